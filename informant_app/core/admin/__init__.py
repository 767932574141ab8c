"""Administration from the app: accounts, devices, set-up code sheets, the register, exports."""

"""The administration page: accounts, devices, set-up code sheets, the register, completeness."""

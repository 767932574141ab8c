"""The Qt user interface: windows, table models and dialogs over the core's store."""

"""The sync side of the window: the sync thread, its controller, status and conflicts."""

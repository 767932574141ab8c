"""Running core work off the GUI thread: the database worker and its jobs."""

"""Running work off the GUI thread: the task manager, its lanes and its typed jobs."""

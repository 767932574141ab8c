"""The main window: it puts the features' pages, menus and the sync side together per role."""

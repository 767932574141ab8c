"""The headless command line of ``informant-app`` (Qt-free): import, export, sync, review."""

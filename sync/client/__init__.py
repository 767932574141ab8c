"""The Qt-free HTTP client of the city server's API, used by the app's sync engine."""

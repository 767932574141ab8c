"""The informant desktop app: offline-first disaster reporting for village informants."""

__version__ = "0.1.0"

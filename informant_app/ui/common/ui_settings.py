"""The UI's own settings (language, window geometry, last server address) in an INI file.

Read and written through ``QSettings``.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from informant_app.core.private_files import private_dir, private_file

#: Languages the UI offers: code → the language's own name.
LANGUAGES: dict[str, str] = {"zh_CN": "中文（简体）", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"
SETTINGS_FILE = "ui-settings.ini"


def normalize_language(value: str | None) -> str | None:
    """Return the supported language code for ``value`` ("zh", "zh-CN", "en_US" …) or ``None``."""
    if not value:
        return None
    lowered = value.strip().replace("-", "_").lower()
    if lowered.startswith("zh"):
        return "zh_CN"
    if lowered.startswith("en"):
        return "en"
    return None


class UiSettings:
    """Typed access to the UI settings file."""

    def __init__(self, path: Path) -> None:
        """Use the INI file at ``path`` (created empty, 0600, in a 0700 folder).

        An existing file others could read is made this user's only; ``QSettings`` keeps the
        mode of the file it rewrites.
        """
        self.path = path
        with contextlib.suppress(OSError):  # a read-only place: QSettings just cannot save
            private_file(private_dir(path.parent) / path.name)
        self._qsettings = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def language(self) -> str | None:
        """The chosen language code, or ``None`` when never chosen."""
        value = self._qsettings.value("ui/language")
        return normalize_language(str(value)) if value else None

    @language.setter
    def language(self, value: str) -> None:
        self._qsettings.setValue("ui/language", value)
        self._qsettings.sync()

    @property
    def server_url(self) -> str | None:
        """The city server's address last signed in to, or ``None``."""
        value = self._qsettings.value("sync/server_url")
        return str(value) if value else None

    @server_url.setter
    def server_url(self, value: str) -> None:
        self._qsettings.setValue("sync/server_url", value)

    def geometry(self, key: str) -> QByteArray | None:
        """Return a saved window geometry."""
        value = self._qsettings.value(f"geometry/{key}")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, key: str, value: QByteArray) -> None:
        """Remember a window geometry."""
        self._qsettings.setValue(f"geometry/{key}", value)

    def sync(self) -> None:
        """Write pending changes to the file."""
        self._qsettings.sync()

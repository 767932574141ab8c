"""The Qt side of the diagnostic block: versions, platform, screen, language and font.

Read on the GUI thread (no disk); Help → Copy diagnostic information and the crash dialog's
copy both put these lines in the application part of the block.
"""

from __future__ import annotations

import PySide6
from PySide6.QtCore import QLocale, qVersion
from PySide6.QtGui import QGuiApplication

from informant_app.core.diagnostics import Line


def toolkit_lines(lang: str | None = None) -> list[Line]:
    """Return the Qt side of the diagnostic block (GUI thread; no disk)."""
    lines: list[Line] = [("Qt", qVersion()), ("PySide6", PySide6.__version__)]
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        lines.append(("Qt platform", QGuiApplication.platformName()))
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            size = screen.availableGeometry()
            lines.append(
                (
                    "Screen",
                    f"{size.width()}×{size.height()} available, scale "
                    f"{screen.devicePixelRatio():g}, "
                    f"{screen.logicalDotsPerInch():.0f} dpi",
                )
            )
        font = QGuiApplication.font()
        lines.append(
            ("Font", f"{', '.join(font.families() or [font.family()])} {font.pointSizeF():g} pt")
        )
    language = f"{lang} (locale {QLocale().name()})" if lang else QLocale().name()
    lines.append(("Language", language))
    return lines

"""Chinese text needs a CJK font: add one behind the platform font, or say which to install.

The app font keeps the platform's family first, so Latin text looks native; a family that
covers Simplified Chinese follows it, so every Chinese character falls back to that family
instead of to whatever the system finds (or to empty boxes).  Village and person names are
Chinese in the English UI too, so this is done in both languages.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar

from informant_app.ui.common.labels import WARNING_COLOR

log = logging.getLogger(__name__)

#: CJK families in the order they are preferred (Windows, macOS, then Linux packages).
PREFERRED_CJK_FAMILIES: tuple[str, ...] = (
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
)
#: The Debian/Ubuntu package that brings a CJK font (README's system packages).
FONT_PACKAGE = "fonts-noto-cjk"
#: How long the notice about a missing font stays in the status bar.
NOTICE_MS = 120_000


def chinese_families() -> list[str]:
    """Return the installed families that cover Simplified Chinese."""
    return list(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def pick_cjk_family(available: Sequence[str]) -> str | None:
    """Return the family to fall back to for Chinese among ``available``, or ``None``.

    A preferred family wins in ``PREFERRED_CJK_FAMILIES`` order; else a sans-serif family made
    for Simplified Chinese ("… SC"), else any family that is neither serif nor monospaced,
    else the first one.
    """
    if not available:
        return None
    for family in PREFERRED_CJK_FAMILIES:
        if family in available:
            return family

    def plain(name: str) -> bool:
        return not any(word in name for word in ("Serif", "Mono", "Ming", "Song"))

    for test in (lambda n: plain(n) and n.endswith(" SC"), plain):
        found = next((name for name in available if test(name)), None)
        if found is not None:
            return found
    return available[0]


def apply_cjk_fallback(app: QGuiApplication, available: Sequence[str] | None = None) -> str | None:
    """Put a CJK family behind the platform font of ``app``; return it, or ``None`` if none.

    Call it before the first window is made: widgets take the application font when they
    are created.

    Args:
        app: the application.
        available: the families that cover Simplified Chinese (tests); ``None`` asks
            ``QFontDatabase``.
    """
    families = chinese_families() if available is None else list(available)
    cjk = pick_cjk_family(families)
    if cjk is None:
        log.warning(
            "no font for Simplified Chinese is installed; Chinese text may show as "
            "boxes (install %s)",
            FONT_PACKAGE,
        )
        return None
    font = app.font()
    base = [f for f in (font.families() or [font.family()]) if f != cjk]
    font.setFamilies([*base, cjk])
    app.setFont(font)
    log.info("fonts: %s, Chinese falls back to %s", ", ".join(base), cjk)
    return cjk


def missing_font_notice() -> str:
    """Return the notice about a missing Chinese font, in English and in Chinese.

    Both languages, untranslated on purpose: without the font, the Chinese half shows as
    boxes, and the English half is what can still be read.
    """
    return (
        f"No Chinese font is installed, so Chinese text may show as boxes: install "
        f"{FONT_PACKAGE} (Noto Sans CJK SC). · 未安装中文字体，中文可能显示为方框：请安装 "
        f"{FONT_PACKAGE}（Noto Sans CJK SC）。"
    )


def show_font_notice(status_bar: QStatusBar, text: str | None = None) -> QLabel:
    """Show the missing-font notice at the left of ``status_bar`` for a while; return it."""
    label = QLabel(text or missing_font_notice(), status_bar)
    label.setObjectName("font_notice")
    label.setStyleSheet(f"color: {WARNING_COLOR};")
    label.setToolTip(label.text())
    # it gives way to the rest of the bar; the tooltip has all of it
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    label.setMinimumWidth(240)
    status_bar.insertPermanentWidget(0, label, 1)
    QTimer.singleShot(NOTICE_MS, label, label.hide)
    return label

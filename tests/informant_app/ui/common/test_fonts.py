"""Chinese falls back to a CJK family behind the platform font; without one, the user is told."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from informant_app.ui.common import fonts


@pytest.fixture
def app_font(qapp: QApplication) -> Iterator[QFont]:
    """The application font before the test; put back after it."""
    before = QFont(qapp.font())
    yield before
    qapp.setFont(before)


def test_the_preferred_family_wins_in_order() -> None:
    assert (
        fonts.pick_cjk_family(["WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei"])
        == "Microsoft YaHei"
    )
    assert (
        fonts.pick_cjk_family(
            ["Droid Sans Fallback", "Noto Serif CJK SC", "WenQuanYi Micro Hei", "Noto Sans CJK SC"]
        )
        == "Noto Sans CJK SC"
    )
    assert (
        fonts.pick_cjk_family(
            ["Noto Serif CJK SC", "Noto Sans Mono CJK SC", "AR PL UMing CN", "Droid Sans Fallback"]
        )
        == "Droid Sans Fallback"
    )
    assert fonts.pick_cjk_family(["Noto Serif CJK SC"]) == "Noto Serif CJK SC"
    assert fonts.pick_cjk_family([]) is None


def test_latin_keeps_the_platform_font_and_chinese_falls_back(
    qapp: QApplication, app_font: QFont
) -> None:
    platform_family = app_font.family()
    chosen = fonts.apply_cjk_fallback(qapp, ["WenQuanYi Micro Hei", "Noto Sans CJK SC"])
    assert chosen == "Noto Sans CJK SC"
    assert qapp.font().families() == [platform_family, "Noto Sans CJK SC"]
    assert qapp.font().family() == platform_family
    assert fonts.apply_cjk_fallback(qapp, ["Noto Sans CJK SC"]) == "Noto Sans CJK SC"
    assert qapp.font().families().count("Noto Sans CJK SC") == 1  # not added twice


def test_the_installed_fonts_are_asked(qapp: QApplication, app_font: QFont) -> None:
    installed = fonts.chinese_families()
    chosen = fonts.apply_cjk_fallback(qapp)
    assert chosen == fonts.pick_cjk_family(installed)
    if chosen is not None:
        assert qapp.font().families()[-1] == chosen


def test_without_a_chinese_font_a_warning_and_a_notice_in_both_languages(
    qtbot: QtBot, qapp: QApplication, app_font: QFont, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger=fonts.__name__):
        assert fonts.apply_cjk_fallback(qapp, []) is None
    assert any("fonts-noto-cjk" in r.getMessage() for r in caplog.records)
    assert qapp.font().families() == app_font.families()

    window = QMainWindow()
    qtbot.addWidget(window)
    label = fonts.show_font_notice(window.statusBar())
    window.show()
    assert label.isVisible()
    assert "No Chinese font is installed" in label.text()
    assert "未安装中文字体" in label.text()
    assert label.text().count(fonts.FONT_PACKAGE) == 2

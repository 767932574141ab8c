"""The UI speaks Chinese unless English is asked for (``--lang en`` or the settings)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from informant_app.app import install_translators, resolve_language, settings_path
from informant_app.core.store.types import Profile, ReportState
from informant_app.ui.account.settings_dialog import SettingsDialog
from informant_app.ui.common.labels import state_label
from informant_app.ui.common.ui_settings import UiSettings
from informant_app.ui.window.main_window import MainWindow


@pytest.fixture
def translated(qapp: QApplication) -> Iterator[Callable[[str], None]]:
    """Install the translators of a language for one test."""
    installed = []

    def install(lang: str) -> None:
        installed.extend(install_translators(qapp, lang))

    yield install
    for translator in installed:
        QCoreApplication.removeTranslator(translator)


def test_chinese_is_the_default(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    profiled: Profile,
    ui_settings: UiSettings,
    translated: Callable[[str], None],
) -> None:
    lang = resolve_language(None, ui_settings)
    assert lang == "zh_CN"
    translated(lang)
    window = make_window(lang)
    qtbot.waitUntil(lambda: window.profile is not None)
    assert window.windowTitle() == "灾情信息报送 — 张明（A角）"
    assert window.act_new.text() == "新建报告(&N)"
    assert window.act_continue.text() == "新建续报(&C)"
    assert window.act_settings.text() == "设置(&S)…"
    assert [state_label(s) for s in ReportState] == [
        "草稿",
        "待发送",
        "发送中",
        "已送达",
        "冲突",
        "出错",
    ]
    assert window.filters.stage.itemText(1) == "初报"  # contract data, in Chinese
    review = window.filters.review
    assert [review.itemText(i) for i in range(review.count())] == [
        "全部审核状态",
        "待审核",
        "已退回",
        "已通过",
    ]


def test_english_on_request(
    qtbot: QtBot, make_window: Callable[..., MainWindow], profiled: Profile, ui_settings: UiSettings
) -> None:
    lang = resolve_language("en", ui_settings)
    assert lang == "en"
    window = make_window(lang)
    qtbot.waitUntil(lambda: window.profile is not None)
    assert window.windowTitle() == "Disaster information reporting — 张明 (post A)"
    assert window.act_new.text() == "&New report"
    assert window.filters.stage.itemText(1) == "Initial"


def test_the_settings_dialog_stores_the_language_for_the_next_start(
    qtbot: QtBot, ui_settings: UiSettings, tmp_path: Path
) -> None:
    dialog = SettingsDialog(ui_settings, "zh_CN", tmp_path, None)
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.accept()
    reread = UiSettings(ui_settings.path)
    assert reread.language == "en"
    assert resolve_language(None, reread) == "en"
    assert resolve_language("zh", reread) == "zh_CN"  # --lang still wins


def test_settings_live_in_an_explicit_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INFORMANT_DATA_DIR", raising=False)
    assert settings_path(tmp_path) == tmp_path / "ui-settings.ini"
    monkeypatch.setenv("INFORMANT_DATA_DIR", str(tmp_path / "env"))
    assert settings_path(None) == tmp_path / "env" / "ui-settings.ini"

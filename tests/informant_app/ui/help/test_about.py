"""Help → About: name in both languages, version, server (or not signed in), folders, icon."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMenu
from pytestqt.qtbot import QtBot

from informant_app import __version__
from informant_app.core.store.types import Profile
from informant_app.core.sync.types import Account, TokenStorage
from informant_app.ui.help.about_dialog import APP_NAME_EN, APP_NAME_ZH, AboutDialog
from informant_app.ui.window.main_window import MainWindow

ACCOUNT = Account(
    server_url="https://someone:pw@city.example:8443/",
    username="wafang_a",
    display_name="张明",
    role="village_informant",
    jurisdiction_code="530502208201",
    posts=(),
    device_id="dev-1",
    token_storage=TokenStorage.FILE,
)


# popping a menu up offscreen: the platform cannot raise it or grab the keyboard for it
@pytest.mark.qt_log_ignore(
    "^This plugin does not support raise\\(\\)$",
    "^This plugin does not support grabbing the keyboard$",
)
def test_about_from_the_help_menu_by_keyboard(
    qtbot: QtBot, profiled: Profile, make_window: Callable[..., MainWindow], data_dir: Path
) -> None:
    window = make_window("en")
    qtbot.waitUntil(lambda: window.profile is not None)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)  # opens &Help
    qtbot.waitUntil(window.help.menu.isVisible)
    with qtbot.waitSignal(window.help.dialog_opened) as opened:
        QTest.keyClick(window.help.menu, Qt.Key.Key_A)  # &About…
    dialog = opened.args[0]
    assert isinstance(dialog, AboutDialog)
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert APP_NAME_ZH in texts and APP_NAME_EN in texts
    assert dialog.version.text() == f"Version {__version__}"
    assert dialog.server.text() == "Not signed in"
    assert dialog.data_folder.text() == str(data_dir)
    icon = dialog.findChild(QLabel, "about_icon")
    assert icon is not None and not icon.pixmap().isNull()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert not any(isinstance(w, QMenu) and w.isVisible() for w in QApplication.topLevelWidgets())


def test_about_names_the_server_without_its_credentials(qtbot: QtBot, tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "informant-app.log"
    dialog = AboutDialog(ACCOUNT, "village informant", tmp_path / "data", log_file)
    qtbot.addWidget(dialog)
    assert dialog.server.text() == (
        "https://city.example:8443/\nsigned in as wafang_a (village informant)"
    )
    assert "pw" not in dialog.server.text()
    assert dialog.log_folder.text() == str(log_file.parent)
    with qtbot.waitSignal(dialog.copy_requested):
        QTest.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)


def test_about_in_chinese(qtbot: QtBot, chinese: None, tmp_path: Path) -> None:
    dialog = AboutDialog(None, None, tmp_path, None)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "关于灾情信息报送"
    assert dialog.server.text() == "未登录"
    assert dialog.version.text() == f"版本 {__version__}"
    assert dialog.copy_button.text() == "复制诊断信息(&C)"

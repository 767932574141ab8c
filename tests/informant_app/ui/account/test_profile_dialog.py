"""First start: without a profile the app asks who reports and for which villages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import PostRole
from informant_app.ui.account.profile_dialog import ProfileDialog
from informant_app.ui.window.main_window import MainWindow

Call = Callable[[Callable[[ReportStore], Any]], Any]


def test_first_start_asks_for_the_profile_and_saves_it(
    qtbot: QtBot, make_window: Callable[..., MainWindow], call: Call
) -> None:
    window = make_window("en")
    qtbot.waitUntil(
        lambda: (
            getattr(window, "profile_dialog", None) is not None
            and window.profile_dialog.isVisible()
        )
    )
    dialog = window.profile_dialog
    assert isinstance(dialog, ProfileDialog)
    assert not window.act_new.isEnabled()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)

    QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.errors.text().splitlines() == [
        "Please enter your name.",
        "Please enter a phone number we can reach you on (at least 7 digits).",
        "Choose at least one village you report for.",
    ]

    QTest.keyClicks(dialog.name, "Li Hua")
    QTest.keyClicks(dialog.phone, "13912345678")
    dialog.role_b.setChecked(True)
    picker = dialog.picker
    picker.choose_township("530502205000")  # 瓦渡乡
    assert picker.villages.count() == 10
    for row in (0, 2):
        picker.villages.item(row).setCheckState(Qt.CheckState.Checked)
    assert len(picker.chosen()) == 2
    QTest.mouseClick(ok, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: window.profile is not None)
    assert window.act_new.isEnabled()
    saved = call(lambda store: store.profile())
    assert saved.informant_name == "Li Hua"
    assert saved.role is PostRole.B
    assert saved.village_codes == ("530502205201", "530502205203")
    assert saved.post_code == "530502205000"  # two villages: the township is the post
    assert "Li Hua (post B)" in window.windowTitle()


def test_the_dialog_shows_an_existing_profile(qtbot: QtBot) -> None:
    from sync.contract import default_divisions
    from tests.informant_app.ui.helpers import PROFILE

    dialog = ProfileDialog(default_divisions(), PROFILE)
    qtbot.addWidget(dialog)
    assert dialog.name.text() == PROFILE.informant_name
    assert dialog.picker.chosen() == list(PROFILE.village_codes)
    assert dialog.picker.township.currentData() == "530502208000"
    assert dialog.problems() == []
    assert dialog.profile().post_code == "530502208000"

"""Sign in once with the account the township gave; later starts do not ask again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import PostRole
from informant_app.core.sync.engine import SignInError, current_account
from informant_app.core.sync.types import Account, TokenStorage
from informant_app.ui.account.profile_dialog import ProfileDialog
from informant_app.ui.account.sign_in_dialog import SignInDialog
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.window.main_window import MainWindow
from tests.informant_app.ui.helpers import submitted_report
from tests.support.city_server import CityServer

Call = Callable[[Callable[[ReportStore], Any]], Any]
Seed = Callable[[Callable[[ReportStore], Any]], Any]


def fill(qtbot: QtBot, dialog: SignInDialog, url: str, user: str, password: str) -> None:
    for edit, text in ((dialog.server, url), (dialog.username, user), (dialog.password, password)):
        edit.clear()
        QTest.keyClicks(edit, text)


def first_start_dialog(qtbot: QtBot, window: MainWindow) -> SignInDialog:
    actions = window.sync_actions
    assert actions is not None
    qtbot.waitUntil(
        lambda: (
            getattr(actions, "sign_in_dialog", None) is not None
            and actions.sign_in_dialog.isVisible()
        )
    )
    return actions.sign_in_dialog


def test_first_start_signs_in_and_the_profile_comes_from_the_account(
    qtbot: QtBot,
    city_server: CityServer,
    call: Call,
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    controller = make_controller()
    window = make_window("en", sync=controller)
    dialog = first_start_dialog(qtbot, window)
    assert not window.act_new.isEnabled()
    note = dialog.findChild(type(dialog.message), "token_note")
    assert note is not None and "keyring" in note.text()

    QTest.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text().splitlines() == [
        "Enter the server address, starting with http:// or https://.",
        "Enter your user name.",
        "Enter your password.",
    ]

    fill(qtbot, dialog, city_server.url, "wafang_b", city_server.password("wafang_b"))
    with qtbot.waitSignal(controller.signed_in, timeout=30_000):
        QTest.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.pages.currentIndex() == 1
    text = dialog.done_text.text()
    assert "瓦房社区信息员B (wafang_b)" in text
    assert "a file that only your user account can read" in text  # no keyring in tests
    assert dialog.account is not None and dialog.account.token_storage is TokenStorage.FILE
    QTest.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: window.profile is not None)
    assert window.profile is not None and window.profile.role is PostRole.B
    assert window.act_new.isEnabled()
    assert window.sync_actions is not None
    assert window.sync_actions.act_sign_out.isEnabled()
    assert not window.sync_actions.act_sign_in.isEnabled()
    assert call(current_account).username == "wafang_b"
    qtbot.waitUntil(lambda: controller.status is not None and controller.status.signed_in)


def test_a_wrong_password_is_said_in_the_users_language(
    qtbot: QtBot,
    chinese: None,
    city_server: CityServer,
    make_controller: Callable[..., SyncController],
) -> None:
    controller = make_controller()
    dialog = SignInDialog(controller, "zh_CN")
    qtbot.addWidget(dialog)
    dialog.show()
    fill(qtbot, dialog, city_server.url, "shuigou_b", "not-the-password")
    with qtbot.waitSignal(controller.sign_in_failed, timeout=30_000) as failed:
        QTest.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    error = failed.args[0]
    assert isinstance(error, SignInError)
    assert dialog.message.text() == error.zh
    assert "密码" in dialog.message.text()
    assert dialog.isVisible() and dialog.pages.currentIndex() == 0
    assert dialog.password.isEnabled() and dialog.account is None


def test_an_unreachable_server_is_a_plain_message(
    qtbot: QtBot, make_controller: Callable[..., SyncController]
) -> None:
    controller = make_controller()
    dialog = SignInDialog(controller, "en")
    qtbot.addWidget(dialog)
    fill(qtbot, dialog, "http://127.0.0.1:9", "wafang_a", "whatever")
    with qtbot.waitSignal(controller.sign_in_failed, timeout=30_000) as failed:
        dialog.submit()
    assert dialog.message.text() == failed.args[0].en
    assert not dialog.busy


def test_working_offline_leads_to_the_local_profile(
    qtbot: QtBot,
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    window = make_window("en", sync=make_controller())
    dialog = first_start_dialog(qtbot, window)
    QTest.mouseClick(dialog.offline_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            isinstance(getattr(window, "profile_dialog", None), ProfileDialog)
            and window.profile_dialog.isVisible()
        )
    )
    assert not dialog.isVisible()


def test_a_later_start_does_not_ask_and_sign_out_keeps_unsent_reports(
    qtbot: QtBot,
    own_city_server: CityServer,
    sign_in_as: Callable[..., Account],
    seed: Seed,
    call: Call,
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    own_city_server.start()
    sign_in_as("wafang_a", own_city_server)
    own_city_server.stop()  # offline: the report stays queued
    version = seed(submitted_report)
    controller = make_controller()
    window = make_window("en", sync=controller)
    qtbot.waitUntil(lambda: window.profile is not None)
    actions = window.sync_actions
    assert actions is not None and getattr(actions, "sign_in_dialog", None) is None
    qtbot.waitUntil(
        lambda: controller.status is not None and controller.status.queued == 1, timeout=30_000
    )
    qtbot.waitUntil(lambda: not controller.running, timeout=30_000)

    actions.act_sign_out.trigger()
    box = actions.sign_out_box
    assert isinstance(box, QMessageBox)
    assert "(1 now) are kept here" in box.text()
    with qtbot.waitSignal(controller.signed_out, timeout=30_000):
        QTest.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert call(current_account) is None
    assert call(lambda store: store.outbox_size()) == 1
    assert call(lambda store: store.version_content(version)) is not None
    assert actions.act_sign_in.isEnabled() and not actions.act_sign_out.isEnabled()
    assert "kept" in window.statusBar().currentMessage()


def test_a_reviewer_is_named_by_role_not_by_post(
    qtbot: QtBot,
    sign_in_as: Callable[..., Account],
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    sign_in_as("wafang_reviewer")
    window = make_window("en", sync=make_controller())
    qtbot.waitUntil(lambda: window.profile is not None)
    assert window.windowTitle() == (
        "Disaster information reporting — 瓦房乡应急办 (township reviewer)"
    )

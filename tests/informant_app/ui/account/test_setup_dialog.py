"""The set-up page: test the connection, sign in with the township's set-up code; the roster's
"Set-up code…" that makes one.  Against the real city server, through the real threads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from informant_app.core.account.setup_text import read_setup_file
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import PostRole
from informant_app.core.sync.engine import current_account
from informant_app.core.sync.types import Account
from informant_app.ui.account.sign_in_dialog import SignInDialog
from informant_app.ui.duty.setup_code_dialog import SetupCodeDialog
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.window.main_window import MainWindow
from sync.client.api import SyncClient
from tests.informant_app.ui.duty.test_duty_flow import post_shown, roster_of
from tests.informant_app.ui.helpers import OTHER_VILLAGE, VILLAGE
from tests.informant_app.ui.review_story import synced
from tests.support.city_server import CityServer, free_port

Call = Callable[[Callable[[ReportStore], Any]], Any]
Seed = Callable[[Callable[[ReportStore], Any]], Any]
LEFT = Qt.MouseButton.LeftButton


def setup_text_for(server: CityServer, username: str) -> str:
    """Return a fresh set-up text for ``username``, issued by the township reviewer."""
    with SyncClient(server.url, device_id="ui-test-township") as client:
        client.login("wafang_reviewer", server.password("wafang_reviewer"))
        return client.issue_setup_code(username).text


def test_the_connection_test_says_what_it_found_in_chinese(
    qtbot: QtBot,
    chinese: None,
    city_server: CityServer,
    make_controller: Callable[..., SyncController],
) -> None:
    controller = make_controller()
    dialog = SignInDialog(controller, "zh_CN")
    qtbot.addWidget(dialog)
    dialog.show()
    step = dialog.server_step
    assert dialog.windowTitle() == "设置本机"
    assert dialog.test_button.text() == "测试连接(&T)"

    step.server.setText(city_server.url.removeprefix("http://") + "/")
    with qtbot.waitSignal(controller.server_checked, timeout=30_000):
        QTest.mouseClick(dialog.test_button, LEFT)
    assert step.server.text() == city_server.url  # http:// added, the slash gone
    text = step.result.text()
    assert text.startswith("✔ 已连接") and "0.1.0" in text, text
    assert dialog.test_button.isEnabled()

    closed = f"http://127.0.0.1:{free_port()}"
    step.server.setText(closed)
    with qtbot.waitSignal(controller.server_checked, timeout=30_000):
        QTest.mouseClick(dialog.test_button, LEFT)
    text = step.result.text()
    assert text.startswith("✘") and "拒绝" in text and "127.0.0.1" in text, text

    step.server.setText("不是地址")
    QTest.mouseClick(dialog.test_button, LEFT)  # said at once: nothing is sent
    assert not step.checking and "不是服务器地址" in step.result.text()


def test_pasting_a_set_up_text_signs_in_and_the_app_starts_as_after_a_sign_in(
    qtbot: QtBot,
    city_server: CityServer,
    call: Call,
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    controller = make_controller()
    window = make_window("en", sync=controller)
    actions = window.sync_actions
    assert actions is not None
    qtbot.waitUntil(
        lambda: (
            getattr(actions, "sign_in_dialog", None) is not None
            and actions.sign_in_dialog.isVisible()
        )
    )
    dialog = actions.sign_in_dialog
    assert isinstance(dialog, SignInDialog) and dialog.server.text() == ""

    text = setup_text_for(city_server, "shuigou_a")
    QGuiApplication.clipboard().setText(text.replace("\n", "\r\n"))
    dialog.method_tabs.setCurrentIndex(1)
    assert dialog.sign_in_button.text() == "Sign in with the code"
    QTest.mouseClick(dialog.code_panel.paste_button, LEFT)
    assert dialog.server.text() == city_server.url  # taken from the text
    assert dialog.code_panel.found.text().startswith("✔ A set-up code for shuigou_a.")
    with qtbot.waitSignal(controller.signed_in, timeout=30_000):
        QTest.mouseClick(dialog.sign_in_button, LEFT)
    assert dialog.pages.currentIndex() == 1
    assert "水沟洼村信息员A (shuigou_a)" in dialog.done_text.text()
    assert dialog.code_panel.text.toPlainText() == ""
    QTest.mouseClick(dialog.done_button, LEFT)

    qtbot.waitUntil(lambda: window.profile is not None)
    assert window.profile is not None and window.profile.role is PostRole.A
    assert window.profile.village_codes == (OTHER_VILLAGE,)
    assert call(current_account).username == "shuigou_a"
    qtbot.waitUntil(lambda: controller.status is not None and controller.status.signed_in)


def test_a_text_that_is_not_a_set_up_text_signs_nothing_in(
    qtbot: QtBot,
    chinese: None,
    city_server: CityServer,
    call: Call,
    make_controller: Callable[..., SyncController],
) -> None:
    controller = make_controller()
    dialog = SignInDialog(controller, "zh_CN", server_url=city_server.url)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.use_code("瓦房社区今日降雨 35 毫米，无人员伤亡。")
    found = dialog.code_panel.found.text()
    assert found.startswith("这不是设置码文本")
    with (
        qtbot.assertNotEmitted(controller.signed_in, wait=300),
        qtbot.assertNotEmitted(controller.sign_in_failed, wait=300),
    ):
        QTest.mouseClick(dialog.sign_in_button, LEFT)
    assert dialog.code_panel.found.text() == found and not dialog.message.isVisible()
    assert dialog.code_panel.text.hasFocus() or not dialog.isActiveWindow()
    assert not dialog.busy and dialog.pages.currentIndex() == 0 and dialog.account is None
    assert call(current_account) is None

    used = setup_text_for(city_server, "dangxi_a")
    with SyncClient(city_server.url, device_id="ui-test-elsewhere") as client:
        client.provision(read_setup_file_text_of(used))  # someone else used it first
    dialog.use_code(used)
    with qtbot.waitSignal(controller.sign_in_failed, timeout=30_000):
        QTest.mouseClick(dialog.sign_in_button, LEFT)
    assert "设置码无效" in dialog.message.text()
    assert dialog.account is None and call(current_account) is None


def read_setup_file_text_of(text: str) -> str:
    from informant_app.core.account.setup_text import parse_setup_text

    return parse_setup_text(text).code


# popping the holder menu up offscreen: the platform cannot raise it or grab the keyboard for it
@pytest.mark.qt_log_ignore(
    "^This plugin does not support raise\\(\\)$",
    "^This plugin does not support grabbing the keyboard$",
)
def test_the_roster_issues_a_set_up_code_to_copy_and_save(
    qtbot: QtBot,
    city_server: CityServer,
    sign_in_as: Callable[..., Account],
    seed: Seed,
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
    tmp_path: Path,
) -> None:
    sign_in_as("wafang_reviewer")
    seed(synced)
    window = make_window("en", sync=make_controller(start=False))
    _workspace, page = roster_of(qtbot, window)
    window.tabs.setCurrentWidget(page)
    qtbot.waitUntil(
        lambda: post_shown(page, VILLAGE, lambda p: p.manageable and len(p.holders) == 2),
        timeout=20_000,
    )
    assert page.select_post(VILLAGE)
    assert page.setup_code_button.isEnabled()
    QTest.mouseClick(page.setup_code_button, LEFT)  # A and B: which one?
    menu = page.setup_menu
    assert [a.text() for a in menu.actions()] == [
        "A: 瓦房社区信息员A (wafang_a)",
        "B: 瓦房社区信息员B (wafang_b)",
    ]
    with qtbot.waitSignal(page.dialog_opened, timeout=30_000) as opened:
        menu.actions()[1].trigger()
    menu.close()
    dialog = opened.args[0]
    assert isinstance(dialog, SetupCodeDialog)
    assert dialog.windowTitle() == "Set-up code for 瓦房社区信息员B"
    text = dialog.text.toPlainText()
    assert f"服务器 server: {city_server.url}" in text and "用户 user: wafang_b" in text
    assert dialog.note.text().startswith("The code works once, until ")

    QTest.mouseClick(dialog.copy_button, LEFT)
    assert QGuiApplication.clipboard().text() == text
    target = tmp_path / "set-up code wafang_b.txt"
    dialog.save_to(target)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Saved to"), timeout=10_000)
    setup = read_setup_file(target)
    assert setup.username == "wafang_b" and setup.server_url == city_server.url
    dialog.close()

    assert page.select_post(OTHER_VILLAGE)
    with qtbot.waitSignal(page.dialog_opened, timeout=30_000) as opened:
        page.ask_setup_code("B")
    assert "用户 user: shuigou_b" in opened.args[0].text.toPlainText()
    opened.args[0].close()

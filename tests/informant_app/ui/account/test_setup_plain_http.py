"""Plain http:// to another computer is warned about (orange) on the address's message line."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from informant_app.core.account.server_check import ServerCheck, ServerCheckKind
from informant_app.ui.account.setup_server_step import ServerStep
from informant_app.ui.account.sign_in_dialog import SignInDialog
from informant_app.ui.common.labels import WARNING_COLOR
from informant_app.ui.sync.controller import SyncController
from sync.contract import PROTOCOL_VERSION


def y_of(widget: QWidget, top: QWidget) -> int:
    return widget.mapTo(top, QPoint(0, 0)).y()


def test_plain_http_to_another_computer_is_warned_about_and_loopback_or_https_is_not(
    qtbot: QtBot,
) -> None:
    step = ServerStep("http://192.168.1.10:8765")
    qtbot.addWidget(step)
    assert "not encrypted" in step.result.text()  # a saved address is warned about at once
    assert WARNING_COLOR in step.result.styleSheet()
    for address, warned in (
        ("https://city.example", False),
        ("http://127.0.0.1:8765", False),
        ("localhost:8765", False),
        ("county.example:8765", True),
    ):
        step.server.clear()
        QTest.keyClicks(step.server, address)
        assert ("not encrypted" in step.result.text()) is warned, address
    step.show_result(ServerCheck("http://county.example:8765", ServerCheckKind.REACHABLE))
    assert "not encrypted" in step.result.text()  # an answer from elsewhere changes nothing
    step.request_check()
    assert step.checking
    step.show_result(
        ServerCheck(
            "http://county.example:8765",
            ServerCheckKind.REACHABLE,
            server_version="1.0",
            protocol_version=PROTOCOL_VERSION,
        )
    )
    text = step.result.text()
    assert "Connected" in text and "not encrypted" in text and "https://" in text
    assert WARNING_COLOR in step.result.styleSheet()
    assert step.test_button.isEnabled()  # it warns, it does not block


def test_the_warning_fits_its_line_and_moves_nothing(
    qtbot: QtBot, chinese: None, make_controller: Callable[..., SyncController]
) -> None:
    dialog = SignInDialog(make_controller(start=False), "zh_CN")
    qtbot.addWidget(dialog)
    dialog.resize(760, 640)
    dialog.show()
    qtbot.waitExposed(dialog)
    step = dialog.server_step
    step.server.clear()
    QTest.keyClicks(step.server, "https://city.example")
    fields = (dialog.username, dialog.password)
    before = [y_of(w, dialog) for w in fields]
    QTest.keyClicks(step.server, "x")
    step.server.clear()
    QTest.keyClicks(step.server, "http://192.168.1.10:8765")
    assert step.result.text()  # the warning, in Chinese
    assert [y_of(w, dialog) for w in fields] == before
    assert step.result.heightForWidth(step.result.width()) <= step.result.height()

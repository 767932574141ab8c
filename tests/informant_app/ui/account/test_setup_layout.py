"""The set-up page keeps still: the connection test's message never moves the sign-in fields."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from informant_app.ui.account.sign_in_dialog import SignInDialog
from informant_app.ui.sync.controller import SyncController

LEFT = Qt.MouseButton.LeftButton


def y_of(widget: QWidget, top: QWidget) -> int:
    return widget.mapTo(top, QPoint(0, 0)).y()


def test_the_password_field_stays_put_when_the_test_message_comes_and_goes(
    qtbot: QtBot, chinese: None, make_controller: Callable[..., SyncController]
) -> None:
    dialog = SignInDialog(make_controller(start=False), "zh_CN")
    qtbot.addWidget(dialog)
    dialog.resize(760, 640)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    step = dialog.server_step
    fields = (dialog.username, dialog.password)
    before = [y_of(w, dialog) for w in fields]
    at_username = dialog.username.mapTo(dialog, QPoint(10, dialog.username.height() // 2))

    step.server.setText("不是地址")
    QTest.mouseClick(dialog.test_button, LEFT)  # the message appears (said at once)
    assert "不是服务器地址" in step.result.text()
    assert [y_of(w, dialog) for w in fields] == before

    step.server.setFocus()
    QTest.keyClick(step.server, Qt.Key.Key_Backspace)  # an edit: the message goes away
    assert step.result.text() == ""
    assert [y_of(w, dialog) for w in fields] == before

    # a click aimed at the user name lands there, not in the password field
    target = dialog.childAt(at_username)
    assert target is not None
    QTest.mouseClick(target, LEFT, pos=target.mapFrom(dialog, at_username))
    focused = QApplication.focusWidget()
    assert focused is dialog.username
    QTest.keyClicks(focused, "wafang_a")
    assert dialog.username.text().endswith("wafang_a")
    assert dialog.password.text() == ""

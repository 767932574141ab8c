"""An initial report filed with the keyboard alone, from the main window to submitted.

Every key goes to the widget that has the focus, as a person's keyboard would send it; the
keys beyond the narrative's text are counted.  The count and a person's time under a stated
model are printed (``-s``) for the issue's measurement:

    seconds = 0.3 s per keystroke + 2 s per decision (each field or action chosen)
              + 1 s per Chinese character of the narrative (pinyin input, 60 characters/min)
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from informant_app.core.store.types import ReportState
from informant_app.ui.reports.form import ReportForm
from informant_app.ui.window.main_window import MainWindow

#: A 60-character situation narrative.
NARRATIVE = (
    "今晨暴雨引发山洪，村东河段漫堤，冲毁农田和道路，三户房屋倒塌，"
    "一人死亡，两人失踪，正组织搜救和转移群众，请求上级尽快支援"
)
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


class Keyboard:
    """Sends keys to the focused widget and counts them."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.keys = 0
        self.decisions = 0

    def focused(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def press(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        QTest.keyClick(self.focused(), key, modifier)
        self.keys += 1

    def type(self, digits: str) -> None:
        QTest.keyClicks(self.focused(), digits)
        self.keys += len(digits)

    def type_text(self, text: str) -> None:
        """The narrative: committed text, not counted (the goal counts keys beyond it)."""
        widget = self.focused()
        for char in text:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
                QApplication.sendEvent(widget, event)

    def decide(self) -> None:
        self.decisions += 1


def test_an_initial_report_is_filed_with_the_keyboard_alone(
    qtbot: QtBot, window: MainWindow
) -> None:
    started = time.monotonic()
    keyboard = Keyboard(qtbot)
    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)

    with qtbot.waitSignal(window.form_opened) as opened:
        keyboard.press(Qt.Key.Key_N, CTRL)  # new report
    form = opened.args[0]
    assert isinstance(form, ReportForm)
    qtbot.waitUntil(lambda: form.isActiveWindow() and form.area_events_loaded)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)

    keyboard.decide()
    keyboard.press(Qt.Key.Key_T, ALT)  # the disaster type
    assert form.header.disaster_type.hasFocus()
    keyboard.press(Qt.Key.Key_Down)  # the first type: flood
    assert form.header.disaster_type.currentData() == "flood"

    fields = form.sections.fields
    keyboard.press(Qt.Key.Key_1, ALT)  # people: its first figure
    assert fields["affected_pop"].edit.hasFocus()
    for name, digits in (("affected_pop", "120"), ("deaths", "1"), ("missing", "2")):
        keyboard.decide()
        assert fields[name].edit.hasFocus(), name
        keyboard.type(digits)
        if name != "missing":
            keyboard.press(Qt.Key.Key_Tab)
    keyboard.press(Qt.Key.Key_2, ALT)  # houses: its first figure
    for name, digits in (("house_collapsed_hh", "3"), ("house_collapsed_rooms", "8")):
        keyboard.decide()
        assert fields[name].edit.hasFocus(), name
        keyboard.type(digits)
        if name == "house_collapsed_hh":
            keyboard.press(Qt.Key.Key_Tab)

    keyboard.decide()
    keyboard.press(Qt.Key.Key_N, ALT)  # the narrative
    assert form.narrative.edit.hasFocus()
    keyboard.type_text(NARRATIVE)
    assert len(NARRATIVE) == 60 and form.narrative.text() == NARRATIVE

    keyboard.decide()
    keyboard.press(Qt.Key.Key_0, CTRL)  # the blank ★ figures: 0
    assert fields["urgent_aid"].edit.text() == "0" and fields["affected_pop"].edit.text() == "120"

    keyboard.decide()
    with qtbot.waitSignal(form.submitted, timeout=10_000):
        keyboard.press(Qt.Key.Key_Return, CTRL)  # submit
    qtbot.waitUntil(lambda: not window.open_forms())
    qtbot.waitUntil(
        lambda: window.model.rowCount() == 1 and window.model.row_at(0).state is ReportState.QUEUED
    )
    row = window.model.row_at(0)
    assert row.affected_pop == 120

    assert keyboard.keys < 40
    person = 0.3 * keyboard.keys + 2 * keyboard.decisions + 1.0 * len(NARRATIVE)
    print(
        f"\nkeyboard-only initial report: {keyboard.keys} keystrokes beyond the text, "
        f"{keyboard.decisions} decisions, {len(NARRATIVE)} characters; "
        f"a person ≈ {person:.0f} s; this run {time.monotonic() - started:.1f} s"
    )
    assert person < 90

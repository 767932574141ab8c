"""Typing into the report form: nothing typed is rewritten, messages never move the fields,
a refused submit points at something visible, ★ is explained and blank ★ is mended in one key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QGroupBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState
from informant_app.ui.reports.form import ReportForm
from informant_app.ui.tasks.manager import TaskManager
from informant_app.ui.window.main_window import MainWindow
from tests.informant_app.ui.reports.test_report_flow import choose, open_new_report, type_into

Call = Callable[[Callable[[ReportStore], Any]], Any]


def type_wide(widget: QWidget, text: str) -> None:
    """Type characters QTest.keyClicks cannot (full-width, Chinese): a key event per character."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def figure(form: ReportForm, name: str) -> QLineEdit:
    return form.sections.fields[name].edit


def messages(form: ReportForm, name: str) -> list[str]:
    return form.issue_box(name).messages()


def test_a_number_input_keeps_what_was_typed_and_refuses_it_at_the_field(
    qtbot: QtBot, window: MainWindow, worker: TaskManager, call: Call
) -> None:
    form = open_new_report(qtbot, window)
    choose(form.header.disaster_type, "flood")
    type_into(qtbot, figure(form, "deaths"), "1.5")
    type_into(qtbot, figure(form, "affected_pop"), "-5abc")
    type_into(qtbot, figure(form, "crop_affected_ha"), "12.345")
    figure(form, "missing").setFocus()
    type_wide(figure(form, "missing"), "１２")  # full-width digits
    type_into(qtbot, figure(form, "crop_damaged_ha"), "2.5")  # allowed: hectares take 2
    figure(form, "relocated").setFocus()

    assert figure(form, "deaths").text() == "1.5"  # not 15
    assert figure(form, "affected_pop").text() == "-5abc"  # not 5
    assert figure(form, "crop_affected_ha").text() == "12.345"
    assert figure(form, "missing").text() == "１２"
    assert messages(form, "deaths") == ["✖ Enter a whole number (persons)"]
    assert messages(form, "affected_pop") == ["✖ Cannot be negative"]
    assert messages(form, "crop_affected_ha") == ["✖ At most 2 decimal places"]
    assert messages(form, "missing")[0].startswith("✖ Use half-width digits")
    assert messages(form, "crop_damaged_ha") == []
    assert "border" in figure(form, "deaths").styleSheet()  # the red frame
    assert figure(form, "crop_damaged_ha").styleSheet() == ""

    # the draft keeps the text as typed; the store refuses it too
    qtbot.waitUntil(form.is_saved)
    draft = call(lambda store: store.load_draft(form.version_uuid))
    assert draft.content["figures"]["deaths"] == "1.5"
    assert draft.content["figures"]["affected_pop"] == "-5abc"
    assert draft.content["figures"]["crop_damaged_ha"] == 2.5

    # a refused text blocks the submit, naming the field
    QTest.keyClicks(form.narrative.edit, "Heavy rain.")
    form.fill_blank_core()
    form.submit()
    qtbot.waitUntil(lambda: "Not submitted" in form.banner.text())
    assert "First: People affected" in form.banner.text()
    assert call(lambda store: store.state_counts())[ReportState.QUEUED] == 0

    # reopened, the text is still there and still refused
    version = form.version_uuid
    form.close()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1 and worker.pending == 0)
    window.table.selectRow(0)
    with qtbot.waitSignal(window.form_opened) as opened:
        window.act_open.trigger()
    again = opened.args[0]
    assert isinstance(again, ReportForm) and again.version_uuid == version
    assert figure(again, "deaths").text() == "1.5"
    assert messages(again, "deaths") == ["✖ Enter a whole number (persons)"]

    # fixed: the refusal goes, the number is stored as a number
    type_into(qtbot, figure(again, "deaths"), "1")
    assert messages(again, "deaths") == [] and figure(again, "deaths").styleSheet() == ""
    qtbot.waitUntil(again.is_saved)
    draft = call(lambda store: store.load_draft(version))
    assert draft.content["figures"]["deaths"] == 1


def test_an_unfinished_number_waits_until_the_field_is_left(
    qtbot: QtBot, window: MainWindow
) -> None:
    form = open_new_report(qtbot, window)
    type_into(qtbot, figure(form, "crop_affected_ha"), "12.")
    assert messages(form, "crop_affected_ha") == []  # still typing
    QTest.keyClick(figure(form, "crop_affected_ha"), Qt.Key.Key_Tab)
    assert messages(form, "crop_affected_ha")[0].startswith("✖ Add the digits after the point")
    type_into(qtbot, figure(form, "crop_affected_ha"), "12.5")
    assert messages(form, "crop_affected_ha") == []


def window_y(widget: QWidget, form: ReportForm) -> int:
    return widget.mapTo(form, QPoint(0, 0)).y()


def click_and_type(qtbot: QtBot, form: ReportForm, point: QPoint, text: str) -> None:
    """Click at ``point`` of the form (what a person aims at) and type ``text``."""
    target = form.childAt(point)
    assert target is not None
    QTest.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.mapFrom(form, point))
    focused = QApplication.focusWidget()
    assert focused is not None
    QTest.keyClicks(focused, text)


def test_messages_never_move_the_fields_below(qtbot: QtBot, window: MainWindow) -> None:
    form = open_new_report(qtbot, window)
    choose(form.header.disaster_type, "flood")
    qtbot.waitUntil(form.is_saved)
    names = list(form.sections.fields)
    form.scroll_area.ensureWidgetVisible(figure(form, "affected_pop"), 0, 0)
    before = {name: window_y(figure(form, name), form) for name in names}
    narrative_before = window_y(form.narrative.edit, form)

    # an error, a warning and a refusal on fields above the others
    type_into(qtbot, figure(form, "affected_pop"), "1")
    type_into(qtbot, figure(form, "deaths"), "2.5")  # refused at once
    type_into(qtbot, figure(form, "crop_affected_ha"), "5")
    type_into(qtbot, figure(form, "crop_damaged_ha"), "10")  # error: more than affected
    qtbot.waitUntil(lambda: bool(messages(form, "crop_damaged_ha")))
    type_into(qtbot, figure(form, "deaths"), "2")  # warning on affected_pop
    qtbot.waitUntil(lambda: any(m.startswith("⚠") for m in messages(form, "affected_pop")))
    assert messages(form, "deaths") == []
    assert {name: window_y(figure(form, name), form) for name in names} == before
    assert window_y(form.narrative.edit, form) == narrative_before

    # "120", then a click where 因灾失踪人口 was seen, then "200": each keeps its own number
    missing = figure(form, "missing")
    at_missing = QPoint(
        missing.mapTo(form, QPoint(0, 0)).x() + 20, before["missing"] + missing.height() // 2
    )
    type_into(qtbot, figure(form, "affected_pop"), "120")  # the warning goes away
    qtbot.waitUntil(lambda: messages(form, "affected_pop") == [])
    assert window_y(missing, form) == before["missing"]
    click_and_type(qtbot, form, at_missing, "200")
    assert figure(form, "affected_pop").text() == "120"
    assert missing.text() == "200"


def test_a_refused_submit_shows_the_first_field_and_its_message_and_follows_the_fix(
    qtbot: QtBot, window: MainWindow
) -> None:
    form = open_new_report(qtbot, window)
    choose(form.header.disaster_type, "flood")
    type_into(qtbot, figure(form, "affected_pop"), "120")
    form.fill_blank_core()
    form.scroll_area.verticalScrollBar().setValue(0)
    QTest.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    box = form.narrative.issues
    qtbot.waitUntil(lambda: bool(box.issues))
    banner = form.banner.text()
    assert banner == "Not submitted: 1 problem(s) marked in red. First: Situation narrative."
    assert " 0 " not in banner
    assert form.narrative.edit.hasFocus()
    viewport = form.scroll_area.viewport()
    for widget in (form.narrative.edit, box):  # the field and its message, top to bottom
        top = widget.mapTo(viewport, QPoint(0, 0)).y()
        bottom = widget.mapTo(viewport, QPoint(0, widget.height() - 1)).y()
        assert top >= 0 and bottom < viewport.height(), (top, bottom, viewport.height())

    QTest.keyClicks(form.narrative.edit, "Heavy rain flooded the fields.")
    qtbot.waitUntil(lambda: "fixed" in form.banner.text())
    assert form.banner.text() == "Everything marked is fixed: submit again (Ctrl+Enter)."
    with qtbot.waitSignal(form.submitted):
        QTest.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_blank_core_figures_block_an_initial_report_and_ctrl_0_fills_only_them(
    qtbot: QtBot, window: MainWindow
) -> None:
    form = open_new_report(qtbot, window)
    assert "★" in form.sections.legend.text() and "0" in form.sections.legend.text()
    narrative_group = form.narrative.parentWidget()
    assert isinstance(narrative_group, QGroupBox) and narrative_group.title().startswith("★")
    choose(form.header.disaster_type, "flood")
    QTest.keyClicks(form.narrative.edit, "Heavy rain.")
    type_into(qtbot, figure(form, "affected_pop"), "120")
    form.submit()
    qtbot.waitUntil(lambda: "Not submitted" in form.banner.text())
    assert "Ctrl+0" in form.banner.text()
    assert messages(form, "deaths")[0].startswith("✖ ★ figure left blank")
    assert form.focusWidget() is figure(form, "deaths")

    QTest.keyClick(form, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    fields = form.sections.fields
    assert figure(form, "affected_pop").text() == "120"
    assert all(
        f.edit.text() == "0" for n, f in fields.items() if f.indicator.core and n != "affected_pop"
    )
    assert all(f.edit.text() == "" for f in fields.values() if not f.indicator.core)
    assert messages(form, "deaths") == []
    with qtbot.waitSignal(form.submitted):
        form.submit()


def test_the_disaster_type_is_not_a_mistake_before_it_is_touched(
    qtbot: QtBot, window: MainWindow
) -> None:
    form = open_new_report(qtbot, window)
    type_into(qtbot, figure(form, "affected_pop"), "1")
    type_into(qtbot, figure(form, "deaths"), "2")
    qtbot.waitUntil(lambda: bool(messages(form, "affected_pop")))  # the check came back
    assert messages(form, "disaster_type") == []
    assert messages(form, "narrative") == []

    form.header.disaster_type.setFocus()
    figure(form, "deaths").setFocus()  # left without a choice
    assert messages(form, "disaster_type") == ["✖ Choose the disaster type"]
    choose(form.header.disaster_type, "flood")
    qtbot.waitUntil(lambda: messages(form, "disaster_type") == [])

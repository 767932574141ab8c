"""The household ledger (户数台账) in the report form: shown for the verified stage, edited by
keyboard, saved with the draft, and checked against the house figures (rule 11)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QSpinBox
from pytestqt.qtbot import QtBot

from informant_app.core.store.report_store import ReportStore
from informant_app.ui.reports.form import ReportForm
from informant_app.ui.window.main_window import MainWindow
from tests.informant_app.ui.reports.test_report_flow import choose, open_new_report, type_into


def verified_form(qtbot: QtBot, window: MainWindow) -> ReportForm:
    form = open_new_report(qtbot, window)
    choose(form.header.disaster_type, "flood")
    choose(form.header.stage, "verified")
    form.activateWindow()  # a cell editor commits on focus-out only in the active window
    qtbot.waitUntil(form.isActiveWindow)
    return form


Call = Callable[[Callable[[ReportStore], Any]], Any]


def stored_content(call: Call, form: ReportForm) -> dict[str, Any]:
    """Return the draft's content as the store keeps it."""
    return dict(call(lambda store: store.load_draft(form.version_uuid)).content)


def test_the_household_ledger_shows_for_the_verified_stage(
    qtbot: QtBot, window: MainWindow
) -> None:
    form = open_new_report(qtbot, window)
    assert not form.households_group.isVisibleTo(form)
    choose(form.header.stage, "verified")
    assert form.households_group.isVisibleTo(form)
    assert "&Household ledger" in form.households_group.title()
    choose(form.header.stage, "continuing")
    assert not form.households_group.isVisibleTo(form)
    # rows entered earlier keep the table on screen at any stage
    form.households.add_row("张三", "minor", 2)
    form.households.changed.emit()
    choose(form.header.stage, "initial")
    assert form.households_group.isVisibleTo(form)


def test_households_are_added_edited_and_removed_by_keyboard(
    qtbot: QtBot, window: MainWindow, call: Call
) -> None:
    form = verified_form(qtbot, window)
    editor = form.households
    # Space on "Add household" adds a row and starts editing its head of household
    editor.add_button.setFocus()
    QTest.keyClick(editor.add_button, Qt.Key.Key_Space)
    assert editor.table.rowCount() == 1
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    cell_editor = QApplication.focusWidget()
    assert cell_editor is not None and editor.table.isAncestorOf(cell_editor)
    QTest.keyClicks(cell_editor, "Li Si")  # QTest types ASCII only
    QTest.keyClick(cell_editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not cell_editor)
    qtbot.wait(20)
    # Tab goes from the table to the row's damage choice, then its rooms
    editor.table.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(editor.table, Qt.Key.Key_Tab)
    damage = QApplication.focusWidget()
    assert isinstance(damage, QComboBox) and damage.objectName() == "household_damage"
    QTest.keyClick(damage, Qt.Key.Key_Down)  # collapsed → severely damaged
    QTest.keyClick(damage, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    rooms = editor.table.cellWidget(0, 2)
    assert isinstance(rooms, QSpinBox)
    assert focused is rooms or (focused is not None and focused.parent() is rooms)
    QTest.keyClick(focused, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(focused, "3")
    assert editor.entries() == [{"head": "Li Si", "damage": "severe", "rooms": 3, "note": ""}]
    qtbot.waitUntil(form.is_saved)
    assert stored_content(call, form)["households"] == editor.entries()
    # a second row, then Remove household takes away the current one
    editor.add_row("王五", "collapsed", 4)
    editor.table.setCurrentCell(1, 0)
    editor.remove_button.setFocus()
    QTest.keyClick(editor.remove_button, Qt.Key.Key_Space)
    assert [row["head"] for row in editor.entries()] == ["Li Si"]
    # a row without a head of household is not a household
    editor.add_row("", "minor", 2)
    assert len(editor.entries()) == 1


def test_the_rule_checks_the_ledger_against_the_house_figures(
    qtbot: QtBot, window: MainWindow, call: Call
) -> None:
    form = verified_form(qtbot, window)
    form.header.event_stable.setChecked(True)
    type_into(qtbot, form.sections.fields["house_collapsed_hh"].edit, "2")
    type_into(qtbot, form.sections.fields["house_collapsed_rooms"].edit, "5")
    box = form.issue_box("households")
    assert box is form.households.issues

    def household_issues() -> list[str]:
        return [i.en for i in form.issues if i.field == "households"]

    form.save_now()
    qtbot.waitUntil(lambda: bool(household_issues()))
    assert "2 collapsed households (0 listed)" in household_issues()[0]
    qtbot.waitUntil(lambda: box.isVisibleTo(form) and bool(box.issues))
    form.households.add_row("张三", "collapsed", 2)
    form.households.add_row("李四", "collapsed", 2)
    form.households.changed.emit()
    form.save_now()
    qtbot.waitUntil(lambda: "5 collapsed rooms in all (4 listed)" in "".join(household_issues()))
    spin = form.households.table.cellWidget(1, 2)
    assert isinstance(spin, QSpinBox)
    spin.setValue(3)  # emits changed
    form.save_now()
    qtbot.waitUntil(lambda: not household_issues())
    qtbot.waitUntil(form.is_saved)
    assert stored_content(call, form)["households"] == [
        {"head": "张三", "damage": "collapsed", "rooms": 2, "note": ""},
        {"head": "李四", "damage": "collapsed", "rooms": 3, "note": ""},
    ]


def test_read_only_locks_the_household_rows(qtbot: QtBot, window: MainWindow) -> None:
    form = verified_form(qtbot, window)
    form.households.set_entries([{"head": "张三", "damage": "minor", "rooms": 2, "note": "已修缮"}])
    assert form.households.entries() == [
        {"head": "张三", "damage": "minor", "rooms": 2, "note": "已修缮"}
    ]
    form.households.set_read_only(True)
    assert not form.households.add_button.isVisibleTo(form)
    for column in (1, 2):
        widget = form.households.table.cellWidget(0, column)
        assert widget is not None and not widget.isEnabled()
    assert form.households.table.editTriggers() == form.households.table.EditTrigger.NoEditTriggers

"""The report form by keyboard: Tab follows the contract's field order, labels have mnemonics."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from informant_app.ui.reports.form import ReportForm
from informant_app.ui.window.main_window import MainWindow
from sync.contract import indicators_by_section
from tests.informant_app.ui.reports.test_report_flow import choose, open_new_report, type_into

HEADER = [
    "stage",
    "village_code",
    "event_uuid",
    "event_name",
    "disaster_type",
    "disaster_subtype",
    "occurred_at",
    "data_cutoff_at",
    "latitude",
    "longitude",
    "emergency_response",
    "event_stable",
]


def figures_in_contract_order() -> list[str]:
    return [f"figure_{i.field}" for _section, members in indicators_by_section() for i in members]


def tab_walk(qtbot: QtBot, start: QWidget, presses: int = 200) -> list[QWidget]:
    """Press Tab from ``start``; return each widget the focus stopped on, once per stop."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(start.hasFocus)
    stops: list[QWidget] = []
    for _ in range(presses):
        widget = QApplication.focusWidget()
        assert widget is not None
        if stops and widget is stops[0] and len(stops) > 1:
            break  # round the whole form once
        if not stops or widget is not stops[-1]:  # a date input takes one Tab per section
            stops.append(widget)
        QTest.keyClick(widget, Qt.Key.Key_Tab)
    return stops


def open_full_form(qtbot: QtBot, window: MainWindow) -> ReportForm:
    """A verified flood report (subtype and ledgers shown): two people, one household."""
    form = open_new_report(qtbot, window)
    choose(form.header.stage, "verified")
    choose(form.header.disaster_type, "flood")
    form.ledger.add_row("王五", "missing")
    form.ledger.add_row("李四", "death")
    form.households.add_row("赵六", "severe", 3)
    qtbot.waitUntil(form.is_saved)
    form.activateWindow()
    return form


def test_tab_visits_header_figures_in_contract_order_then_the_rest_then_the_buttons(
    qtbot: QtBot, window: MainWindow
) -> None:
    form = open_full_form(qtbot, window)
    stops = tab_walk(qtbot, form.header.stage)
    assert [w.objectName() for w in stops] == [
        *HEADER,
        *figures_in_contract_order(),
        "narrative",
        "add_photos",
        "photos",
        "ledger",
        "ledger_status",
        "ledger_status",
        "add_person",
        "remove_person",
        "households",
        "household_damage",
        "household_rooms",
        "add_household",
        "remove_household",
        "close_form",
        "submit_report",
    ]
    # the input Tab arrives at is scrolled into view
    form.scroll_area.verticalScrollBar().setValue(0)
    before = form.sections.fields["loss_public"].edit
    before.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(before, Qt.Key.Key_Tab)
    last_figure = form.sections.fields["loss_other"].edit
    assert last_figure.hasFocus()
    viewport = form.scroll_area.viewport()
    top_left = last_figure.mapTo(viewport, last_figure.rect().topLeft())
    bottom_right = last_figure.mapTo(viewport, last_figure.rect().bottomRight())
    assert viewport.rect().contains(top_left) and viewport.rect().contains(bottom_right)


def test_shift_tab_goes_back_the_same_way(qtbot: QtBot, window: MainWindow) -> None:
    form = open_full_form(qtbot, window)
    forward = [w.objectName() for w in tab_walk(qtbot, form.header.stage)]
    form.header.stage.setFocus(Qt.FocusReason.TabFocusReason)
    back: list[str] = []
    for _ in range(len(forward)):
        widget = QApplication.focusWidget()
        assert widget is not None
        back.append(widget.objectName())
        QTest.keyClick(widget, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    # date inputs step back through their sections first: compare the distinct stops
    distinct = [name for i, name in enumerate(back) if i == 0 or name != back[i - 1]]
    assert distinct[:6] == [
        "stage",
        "submit_report",
        "close_form",
        "remove_household",
        "add_household",
        "household_rooms",
    ]


def test_a_warning_note_follows_its_field(qtbot: QtBot, window: MainWindow) -> None:
    form = open_new_report(qtbot, window)
    choose(form.header.disaster_type, "flood")
    type_into(qtbot, form.sections.fields["affected_pop"].edit, "1")
    type_into(qtbot, form.sections.fields["deaths"].edit, "2")
    box = form.issue_box("affected_pop")
    # wait for the check of both figures (R6: deaths above the affected), not an earlier one
    qtbot.waitUntil(lambda: box.isVisible() and any(i.rule == "R6" for i in box.issues))
    note = box.note_edit(next(i.key for i in box.issues if i.rule == "R6"))
    assert note is not None
    stops = tab_walk(qtbot, form.sections.fields["affected_pop"].edit, presses=3)
    assert stops[1] is note


def test_header_labels_have_mnemonics_and_buddies(qtbot: QtBot, window: MainWindow) -> None:
    form = open_new_report(qtbot, window)
    header = form.header
    buddies = {
        label.buddy().objectName(): label.text()
        for label in header.findChildren(QLabel)
        if label.buddy() is not None
    }
    for field in HEADER[:10]:
        assert "&" in buddies[field], field
    letters = [text[text.index("&") + 1].lower() for text in buddies.values()]
    assert len(letters) == len(set(letters)), "each mnemonic once"
    for name, figure in form.sections.fields.items():
        assert figure.label.buddy() is figure.edit, name
        assert figure.edit.accessibleName().startswith(figure.indicator.label("en"))

    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    form.sections.fields["deaths"].edit.setFocus()
    QTest.keyClick(form, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(form.narrative.edit.hasFocus)
    QTest.keyClick(form, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(header.longitude.hasFocus)

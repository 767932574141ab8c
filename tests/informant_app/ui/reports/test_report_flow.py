"""The informant's way through the app: a new report, a refused submit, a fix, the queue."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState
from informant_app.ui.reports.form import ReportForm
from informant_app.ui.tasks.manager import TaskManager
from informant_app.ui.window.main_window import MainWindow
from tests.informant_app.ui.helpers import OTHER_VILLAGE, submitted_report

Call = Callable[[Callable[[ReportStore], Any]], Any]


def open_new_report(qtbot: QtBot, window: MainWindow) -> ReportForm:
    with qtbot.waitSignal(window.form_opened) as opened:
        QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = opened.args[0]
    assert isinstance(form, ReportForm)
    return form


def type_into(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(edit, text)


def choose(combo: Any, data: str) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def test_refused_submit_shows_the_rule_beside_the_field_then_the_fix_queues_it(
    qtbot: QtBot, window: MainWindow, call: Call
) -> None:
    form = open_new_report(qtbot, window)
    fields = form.sections.fields
    choose(form.header.village, OTHER_VILLAGE)
    choose(form.header.disaster_type, "flood")
    type_into(qtbot, fields["affected_pop"].edit, "120")
    type_into(qtbot, fields["crop_affected_ha"].edit, "30")
    type_into(qtbot, fields["crop_damaged_ha"].edit, "10")
    type_into(qtbot, fields["crop_failed_ha"].edit, "15")
    QTest.keyClicks(form.narrative.edit, "Heavy rain flooded the rice fields.")
    QTest.keyClick(form, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)  # blank ★ → 0

    QTest.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)

    box = form.issue_box("crop_failed_ha")
    qtbot.waitUntil(
        lambda: any("Crops failed" in m and "cannot exceed" in m for m in box.messages())
    )
    assert box.isVisible()
    assert form.banner.isVisible() and "Not submitted" in form.banner.text()
    assert form.focusWidget() is fields["crop_failed_ha"].edit
    assert call(lambda store: store.state_counts())[ReportState.QUEUED] == 0

    type_into(qtbot, fields["crop_failed_ha"].edit, "5")
    with qtbot.waitSignal(form.submitted):
        QTest.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: not window.open_forms())
    model = window.model
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.row_at(0).state is ReportState.QUEUED)
    row = model.row_at(0)
    assert row.village_code == OTHER_VILLAGE
    assert row.affected_pop == 120
    assert model.index(0, 0).data() == "Queued"
    qtbot.waitUntil(lambda: window.state_counts.get(ReportState.QUEUED) == 1)


def test_a_warning_takes_a_note_that_is_saved_and_lets_the_report_through(
    qtbot: QtBot, window: MainWindow, call: Call
) -> None:
    form = open_new_report(qtbot, window)
    choose(form.header.disaster_type, "flood")
    QTest.keyClicks(form.narrative.edit, "Two houses collapsed.")
    type_into(qtbot, form.sections.fields["affected_pop"].edit, "1")
    type_into(qtbot, form.sections.fields["deaths"].edit, "2")
    form.fill_blank_core()

    box = form.issue_box("affected_pop")

    def note_shown() -> bool:  # the box keeps its line reserved: wait for the warning itself
        edit = box.note_edit(box.issues[0].key) if box.issues else None
        return edit is not None and edit.isVisible()

    qtbot.waitUntil(note_shown)
    issue = box.issues[0]
    note = box.note_edit(issue.key)
    assert note is not None and note.isVisible()
    assert box.messages()[0].startswith("⚠")
    QTest.keyClicks(note, "Two passers-by from outside the village")
    qtbot.waitUntil(form.is_saved)

    draft = call(lambda store: store.load_draft(form.version_uuid))
    assert draft.content["notes"] == {issue.key: "Two passers-by from outside the village"}
    with qtbot.waitSignal(form.submitted):
        form.submit()


def test_a_draft_is_listed_and_reopens_editable(
    qtbot: QtBot, window: MainWindow, worker: TaskManager
) -> None:
    form = open_new_report(qtbot, window)
    type_into(qtbot, form.sections.fields["deaths"].edit, "3")
    qtbot.waitUntil(form.is_saved)
    version = form.version_uuid
    form.close()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1 and worker.pending == 0)
    assert window.model.row_at(0).state is ReportState.DRAFT
    assert window.model.index(0, 0).data() == "Draft"

    window.table.selectRow(0)
    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)
    with qtbot.waitSignal(window.form_opened) as opened:
        QTest.keyClick(window.table, Qt.Key.Key_Return)
    again = opened.args[0]
    assert again.version_uuid == version and not again.read_only
    assert again.sections.fields["deaths"].edit.text() == "3"


def test_a_submitted_version_opens_read_only_and_revise_makes_a_new_version(
    qtbot: QtBot, make_window: Callable[..., MainWindow], profiled: object, seed: Call
) -> None:
    version = seed(submitted_report)
    window = make_window("en")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    window.table.selectRow(0)
    assert window.act_open.isEnabled()
    with qtbot.waitSignal(window.form_opened) as opened:
        window.act_open.trigger()
    shown = opened.args[0]
    assert shown.read_only and shown.version_uuid == version
    assert not shown.submit_button.isVisible()
    assert shown.sections.fields["affected_pop"].edit.isReadOnly()
    assert shown.sections.fields["affected_pop"].edit.text() == "120"
    shown.close()

    assert window.act_revise.isEnabled()
    with qtbot.waitSignal(window.form_opened) as opened:
        window.act_revise.trigger()
    revision = opened.args[0]
    assert not revision.read_only and revision.version_uuid != version
    assert revision.sections.fields["crop_failed_ha"].edit.text() == "5"


def test_photos_are_attached_with_thumbnails_and_removed(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, call: Call
) -> None:
    form = open_new_report(qtbot, window)
    paths = []
    for i, color in enumerate(("red", "green")):
        image = QImage(640, 480, QImage.Format.Format_RGB32)
        image.fill(QColor(color))
        path = tmp_path / f"photo{i}.png"
        assert image.save(str(path))
        paths.append(path)
    form.photos.add_files(paths)
    qtbot.waitUntil(lambda: form.photos.count() == 2 and not form.photos.busy)
    assert not form.photos.list.item(0).icon().isNull()
    assert len(call(lambda store: store.load_draft(form.version_uuid)).content["photos"]) == 2

    form.photos.list.item(0).setSelected(True)
    QTest.mouseClick(form.photos.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.photos.count() == 1)
    assert len(call(lambda store: store.load_draft(form.version_uuid)).content["photos"]) == 1


def test_the_narrative_counter_turns_red_above_200_for_an_initial_report(
    qtbot: QtBot, window: MainWindow
) -> None:
    form = open_new_report(qtbot, window)
    QTest.keyClicks(form.narrative.edit, "x" * 200)
    assert form.narrative.counter.text() == "200 / 200"
    assert "color" not in form.narrative.counter.styleSheet()
    QTest.keyClicks(form.narrative.edit, "y")
    assert form.narrative.counter.text() == "201 / 200"
    assert "color" in form.narrative.counter.styleSheet()


def _next_in_chain(widget: QWidget) -> QWidget:
    following = widget.nextInFocusChain()
    assert following is not None  # the focus chain is a ring
    return following


def next_tab_stop(widget: QWidget) -> QWidget:
    """Return the widget Tab moves to from ``widget`` (its own inner editor skipped)."""
    candidate = _next_in_chain(widget)
    while not (
        candidate.focusPolicy() & Qt.FocusPolicy.TabFocus
        and candidate.isVisible()
        and candidate.isEnabled()
        and not widget.isAncestorOf(candidate)
    ):
        candidate = _next_in_chain(candidate)
    return candidate


def test_tab_follows_the_field_order(qtbot: QtBot, window: MainWindow) -> None:
    form = open_new_report(qtbot, window)
    header = form.header
    choose(header.disaster_type, "flood")  # enables the subtype
    chain: list[QWidget] = [
        header.stage,
        header.village,
        header.event_combo,
        header.event_name,
        header.disaster_type,
        header.subtype,
        header.occurred_at,
        header.data_cutoff_at,
        header.latitude,
        header.longitude,
        header.emergency_response,
        header.event_stable,
        *(f.edit for f in form.sections.fields.values()),
        form.narrative.edit,
        form.photos.add_button,
    ]
    assert chain[12] is form.sections.fields["affected_pop"].edit
    for first, second in itertools.pairwise(chain):
        assert next_tab_stop(first) is second, (first, second)

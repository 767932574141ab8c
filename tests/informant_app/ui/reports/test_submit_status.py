"""After a submit the status bar says what the report's row says: queued, then delivered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import Profile, ReportState
from informant_app.core.sync.types import RoundSummary
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.window.main_window import MainWindow
from tests.informant_app.ui.reports.test_report_flow import choose, open_new_report, type_into

Call = Callable[[Callable[[ReportStore], Any]], Any]


def test_the_status_bar_follows_the_submitted_report_to_delivered(
    qtbot: QtBot,
    profiled: Profile,
    call: Call,
    make_window: Callable[..., MainWindow],
    make_controller: Callable[..., SyncController],
) -> None:
    controller = make_controller(start=False)  # no server: the round's end is played below
    window = make_window("en", sync=controller)
    qtbot.waitUntil(lambda: window.profile is not None and not window.model.loading)
    form = open_new_report(qtbot, window)
    choose(form.header.disaster_type, "flood")
    type_into(qtbot, form.sections.fields["affected_pop"].edit, "120")
    QTest.keyClicks(form.narrative.edit, "Heavy rain.")
    QTest.keyClick(form, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(form.submitted) as submitted:
        form.submit()
    version = submitted.args[0]
    bar = window.statusBar()
    qtbot.waitUntil(lambda: "queued" in bar.currentMessage())
    assert "delivered" not in bar.currentMessage()

    # the round delivers it: the row says received, and so does the status bar
    call(lambda store: store.set_state(version, ReportState.RECEIVED))
    controller.round_finished.emit(RoundSummary(pushed=1))
    qtbot.waitUntil(
        lambda: bar.currentMessage() == "Report submitted and delivered: the server has it."
    )
    window.refresh()  # the real round announces its change; here the list is asked
    qtbot.waitUntil(lambda: window.model.row_at(0).state is ReportState.RECEIVED)
    assert bar.currentMessage() == "Report submitted and delivered: the server has it."

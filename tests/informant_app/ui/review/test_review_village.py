"""Back to the village: a returned report is marked, says why, and is revised and resubmitted.

A real city server; the reviewer decides through the core on a device of its own, village
informant A works in the app.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from informant_app.core.review.service import DecisionKind, ReviewStatus
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState
from informant_app.core.sync.types import Account
from informant_app.ui.common.review_labels import REVIEW_COLORS
from informant_app.ui.reports.form import ReportForm
from informant_app.ui.reports.history_dialog import HistoryDialog
from informant_app.ui.reports.table_model import Column
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.window.main_window import MainWindow
from tests.informant_app.ui.helpers import submitted_report
from tests.informant_app.ui.review_story import COMMENT, FIRST_FIGURES, REASON, Device, synced
from tests.support.city_server import CityServer

Seed = Callable[[Callable[[ReportStore], Any]], Any]
LEFT = Qt.MouseButton.LeftButton


def test_the_village_sees_why_its_report_came_back_and_resubmits(
    qtbot: QtBot,
    tmp_path: Path,
    city_server: CityServer,
    sign_in_as: Callable[..., Account],
    seed: Seed,
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    sign_in_as("wafang_a")
    version = seed(lambda store: submitted_report(store, figures=dict(FIRST_FIGURES)))
    seed(synced)
    reviewer = Device(tmp_path / "reviewer", city_server, "wafang_reviewer").sign_in()
    reviewer.decide(version, DecisionKind.RETURN, REASON, {"crop_failed_ha": COMMENT})

    controller = make_controller()
    window = make_window("en", sync=controller)
    assert window.review is None and window.tabs.count() == 1  # an informant's window
    model = window.model

    def row_of_version() -> int | None:
        return next(
            (i for i in range(model.rowCount()) if model.row_at(i).version_uuid == version), None
        )

    def state_text() -> str:
        line = row_of_version()
        return "" if line is None else str(model.data(model.index(line, Column.STATE)))

    # the list marks it returned, in the returned colour; the line below says why
    qtbot.waitUntil(lambda: state_text() == "Returned", timeout=30_000)
    line = row_of_version()
    assert line is not None
    color = model.data(model.index(line, Column.STATE), Qt.ItemDataRole.ForegroundRole)
    assert color.name() == REVIEW_COLORS[ReviewStatus.RETURNED]
    window.table.selectRow(line)
    assert REASON in window.detail.text()

    # opening it shows the reason at the top and the comment beside its field
    with qtbot.waitSignal(window.form_opened, timeout=10_000) as opened:
        window.act_open.trigger()
    form = opened.args[0]
    assert isinstance(form, ReportForm) and form.read_only
    assert REASON in form.banner.text()
    assert form.issue_box("crop_failed_ha").review_comment() == COMMENT
    assert form.issue_box("crop_failed_ha").isVisibleTo(form)
    assert form.issue_box("affected_pop").review_comment() == ""
    assert form.revise_button.isVisible()
    report_uuid = form_report(form)

    # "Revise report" makes a new version that still shows the comment
    with qtbot.waitSignal(window.form_opened, timeout=10_000) as opened:
        QTest.mouseClick(form.revise_button, LEFT)
    draft = opened.args[0]
    assert isinstance(draft, ReportForm) and not draft.read_only
    assert draft.issue_box("crop_failed_ha").review_comment() == COMMENT
    assert REASON in draft.banner.text()
    edit = draft.sections.fields["crop_failed_ha"].edit
    edit.selectAll()
    QTest.keyClicks(edit, "5")
    draft.fill_blank_core()  # blank ★ figures are refused: 0 = none
    with qtbot.waitSignal(controller.round_finished, timeout=30_000):
        QTest.mouseClick(draft.submit_button, LEFT)

    # resubmitted as usual: delivered, no longer marked returned
    def latest_state() -> ReportState | None:
        line = model.row_of(report_uuid)
        return None if line is None else model.row_at(line).state

    qtbot.waitUntil(lambda: latest_state() is ReportState.RECEIVED, timeout=30_000)
    line = model.row_of(report_uuid)
    assert line is not None and model.row_at(line).version_no == 2
    assert model.data(model.index(line, Column.STATE)) == "Delivered"

    # the history shows the submission, the return and the resubmission (Ctrl+H)
    window.table.selectRow(line)
    with qtbot.waitSignal(window.dialog_opened, timeout=10_000) as opened:
        window.act_history.trigger()
    history = opened.args[0]
    assert isinstance(history, HistoryDialog)
    events = [entry.event for entry in history.entries]
    assert "returned" in events
    assert events.index("returned") < max(
        i for i, e in enumerate(events) if e in ("resubmitted", "received", "submitted")
    )
    history.close()


def form_report(form: ReportForm) -> str:
    return str(form.content()["report_uuid"])


def test_an_approved_report_is_marked_approved(
    qtbot: QtBot,
    tmp_path: Path,
    city_server: CityServer,
    sign_in_as: Callable[..., Account],
    seed: Seed,
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    sign_in_as("wafang_a")
    version = seed(lambda store: submitted_report(store, figures=dict(FIRST_FIGURES)))
    seed(synced)
    reviewer = Device(tmp_path / "reviewer", city_server, "wafang_reviewer").sign_in()
    reviewer.decide(version, DecisionKind.APPROVE)
    window = make_window("en", sync=make_controller())
    model = window.model

    def state_text() -> str:
        line = next(
            (i for i in range(model.rowCount()) if model.row_at(i).version_uuid == version), None
        )
        return "" if line is None else str(model.data(model.index(line, Column.STATE)))

    qtbot.waitUntil(lambda: state_text() == "Approved", timeout=30_000)

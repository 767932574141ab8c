"""The township reviewer's window: the queue, the detail view, returning and approving.

A real city server; village A files through the core on a device of its own, the reviewer
works in the app as a person would.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from informant_app.core.clock import ManualClock
from informant_app.core.review.service import (
    DecisionKind,
    ReviewItem,
    ReviewStatus,
    set_review_deadline,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.types import Account
from informant_app.ui.common.review_labels import OVERDUE_COLOR
from informant_app.ui.reports.history_dialog import HistoryDialog
from informant_app.ui.review.detail_dialog import ReviewDetailDialog
from informant_app.ui.review.queue_model import ReviewColumn
from informant_app.ui.review.queue_page import ReviewQueuePage
from informant_app.ui.review.return_dialog import ReturnDialog
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.window.main_window import MainWindow
from informant_app.ui.window.review_workspace import ReviewWorkspace
from tests.informant_app.ui.review_story import REASON, REVISED_FIGURES, Device, synced
from tests.support.city_server import CityServer

Seed = Callable[[Callable[[ReportStore], Any]], Any]
LEFT = Qt.MouseButton.LeftButton


def reviewer_window(
    qtbot: QtBot, make_window: Callable[..., MainWindow], controller: SyncController
) -> tuple[MainWindow, ReviewWorkspace]:
    window = make_window("en", sync=controller)
    qtbot.waitUntil(lambda: window.review is not None, timeout=10_000)
    assert window.review is not None
    return window, window.review


def shown(page: ReviewQueuePage, report_uuid: str) -> ReviewItem | None:
    line = page.model.row_of(report_uuid)
    return None if line is None else page.model.row_at(line)


def cell(page: ReviewQueuePage, report_uuid: str, column: ReviewColumn) -> str:
    line = page.model.row_of(report_uuid)
    assert line is not None
    return str(page.model.data(page.model.index(line, column)))


def tip_of(page: ReviewQueuePage, report_uuid: str, column: ReviewColumn) -> str:
    line = page.model.row_of(report_uuid)
    assert line is not None
    return str(page.model.data(page.model.index(line, column), Qt.ItemDataRole.ToolTipRole))


def test_the_reviewer_returns_a_report_offline_and_the_decision_goes_out_later(
    qtbot: QtBot,
    tmp_path: Path,
    city_server: CityServer,
    sign_in_as: Callable[..., Account],
    seed: Seed,
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
    call: Seed,
) -> None:
    village = Device(tmp_path / "device-a", city_server, "wafang_a").sign_in()
    report_uuid, version = village.file()
    sign_in_as("wafang_reviewer")
    seed(synced)  # the reviewer's computer fetched the report, then lost the network
    seed(lambda store: set_review_deadline(store, timedelta(seconds=1)))
    clock = ManualClock()
    clock.advance(timedelta(seconds=1.2))  # the report has now waited longer than the deadline
    call(lambda store: setattr(store, "clock", clock))
    controller = make_controller(start=False)
    window, review = reviewer_window(qtbot, make_window, controller)
    page = review.queue

    # the window is a review workspace: no "new report" for a reviewer
    assert window.tabs.currentWidget() is page
    assert window.roles.tab_titles() == [
        "Review queue",
        "Township report",
        "Dashboard",
        "Events and deadlines",
        "Roster and duty",
        "Administration",
        "Reports",
    ]
    assert not window.act_new.isVisible() and not window.act_new.isEnabled()
    qtbot.waitUntil(lambda: shown(page, report_uuid) is not None, timeout=10_000)
    item = shown(page, report_uuid)
    assert item is not None and item.version_uuid == version
    assert item.status is ReviewStatus.PENDING and item.overdue
    overdue = [i.overdue for i in page.model.items()]
    assert overdue == sorted(overdue, reverse=True)  # overdue first
    assert cell(page, report_uuid, ReviewColumn.STATUS) == "Pending review · Overdue"
    line = page.model.row_of(report_uuid)
    assert line is not None
    color = page.model.data(
        page.model.index(line, ReviewColumn.STATUS), Qt.ItemDataRole.ForegroundRole
    )
    assert color.name() == OVERDUE_COLOR
    assert cell(page, report_uuid, ReviewColumn.VILLAGE) == "瓦房社区"
    assert cell(page, report_uuid, ReviewColumn.FILED_BY) == "瓦房社区信息员A (A post)"
    assert cell(page, report_uuid, ReviewColumn.FILED_AS) in ("A", "")  # "" from an old server
    assert cell(page, report_uuid, ReviewColumn.AFFECTED) == "120"
    assert cell(page, report_uuid, ReviewColumn.DIRECT_LOSS) == "12.50"

    # the detail view: every indicator with its unit
    assert page.select_report(report_uuid)
    with qtbot.waitSignal(page.dialog_opened, timeout=10_000) as opened:
        QTest.mouseClick(page.open_button, LEFT)
    detail = opened.args[0]
    assert isinstance(detail, ReviewDetailDialog)
    labels = [row.label for row in detail.rows]
    assert "Crops failed (loss ≥ 80 %) (ha)" in labels
    assert "Direct economic loss (10k CNY)" in labels
    assert len([row for row in detail.rows if row.is_figure]) == 37
    failed = next(row for row in detail.rows if row.key == "crop_failed_ha")
    assert failed.current == "9.00"
    assert detail.approve_button.isEnabled() and detail.return_button.isEnabled()

    # return: a blank reason is refused
    with qtbot.waitSignal(page.dialog_opened) as opened:
        QTest.mouseClick(detail.return_button, LEFT)
    dialog = opened.args[0]
    assert isinstance(dialog, ReturnDialog)
    assert not dialog.return_button.isEnabled()
    assert dialog.reason_error.isVisible()
    QTest.keyClicks(dialog.reason, "   ")
    assert not dialog.return_button.isEnabled()
    dialog.accept()
    assert dialog.isVisible()  # still asking

    # a reason and a comment on one field
    dialog.reason.clear()
    QTest.keyClicks(dialog.reason, "The failed crop area does not match the site check")
    assert dialog.return_button.isEnabled() and not dialog.reason_error.isVisible()
    dialog.field.setCurrentIndex(dialog.field.findData("crop_failed_ha"))
    QTest.keyClicks(dialog.comment, "Measure the failed area again")
    QTest.mouseClick(dialog.add_button, LEFT)
    assert dialog.table.rowCount() == 1
    assert dialog.field_comments() == {"crop_failed_ha": "Measure the failed area again"}
    with qtbot.waitSignal(page.decided, timeout=10_000) as decided:
        QTest.mouseClick(dialog.return_button, LEFT)
    decision = decided.args[0]
    assert decision.kind is DecisionKind.RETURN
    assert decision.field_comments == {"crop_failed_ha": "Measure the failed area again"}

    # offline: the row waits to be sent, and the version cannot be decided again meanwhile
    qtbot.waitUntil(lambda: (i := shown(page, report_uuid)) is not None and i.decision_queued)
    assert cell(page, report_uuid, ReviewColumn.STATUS) == (
        "Returned · To send: The failed crop area does not match the site check"
    )
    assert not detail.approve_button.isEnabled() and not detail.return_button.isEnabled()
    detail.close()
    page.select_report(report_uuid)
    assert not page.approve_button.isEnabled()

    # the network comes back: the decision goes out and the row says returned
    controller.start()
    qtbot.waitUntil(
        lambda: (
            (i := shown(page, report_uuid)) is not None
            and not i.decision_queued
            and i.status is ReviewStatus.RETURNED
        ),
        timeout=30_000,
    )
    # the list says why, not only that it went back
    assert cell(page, report_uuid, ReviewColumn.STATUS) == (
        "Returned: The failed crop area does not match the site check"
    )

    # the history: who, in which role, device time and server time (Ctrl+H)
    page.select_report(report_uuid)
    with qtbot.waitSignal(page.dialog_opened, timeout=10_000) as opened:
        window.act_history.trigger()
    history = opened.args[0]
    assert isinstance(history, HistoryDialog)
    events = [entry.event for entry in history.entries]
    assert "returned" in events
    returned = next(e for e in history.entries if e.event == "returned")
    assert returned.server_time is not None and returned.device_time is not None
    assert (
        "The failed crop area does not match the site check"
        in history.texts(6)[events.index("returned")]
    )
    history.close()


def test_the_reviewer_approves_the_revision_and_it_is_frozen(
    qtbot: QtBot,
    tmp_path: Path,
    city_server: CityServer,
    sign_in_as: Callable[..., Account],
    seed: Seed,
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    village = Device(tmp_path / "device-a", city_server, "wafang_a").sign_in()
    report_uuid, first = village.file()
    other = Device(tmp_path / "reviewer-laptop", city_server, "wafang_reviewer").sign_in()
    other.decide(first, DecisionKind.RETURN, REASON, {"crop_failed_ha": "?"})
    village.sync()
    second = village.revise(report_uuid, REVISED_FIGURES)
    sign_in_as("wafang_reviewer")
    controller = make_controller()
    _window, review = reviewer_window(qtbot, make_window, controller)
    page = review.queue
    qtbot.waitUntil(
        lambda: (i := shown(page, report_uuid)) is not None and i.version_uuid == second,
        timeout=30_000,
    )
    item = shown(page, report_uuid)
    assert item is not None and item.status is ReviewStatus.PENDING and item.version_no == 2

    # the revision beside the returned version: the changed figure is highlighted
    page.select_report(report_uuid)
    with qtbot.waitSignal(page.dialog_opened, timeout=10_000) as opened:
        page.open_selected()
    detail = opened.args[0]
    assert isinstance(detail, ReviewDetailDialog)
    assert "crop_failed_ha" in detail.changed_keys()
    failed = next(row for row in detail.rows if row.key == "crop_failed_ha")
    assert (failed.current, failed.previous, failed.changed) == ("5.00", "9.00", True)
    affected = next(row for row in detail.rows if row.key == "affected_pop")
    assert not affected.changed

    with qtbot.waitSignal(page.dialog_opened) as opened:
        QTest.mouseClick(detail.approve_button, LEFT)
    box = opened.args[0]
    with qtbot.waitSignal(page.decided, timeout=10_000):
        box.button(box.StandardButton.Yes).click()
    assert not detail.approve_button.isEnabled()
    detail.close()
    qtbot.waitUntil(
        lambda: (
            (i := shown(page, report_uuid)) is not None
            and i.status is ReviewStatus.APPROVED
            and not i.decision_queued
        ),
        timeout=30_000,
    )
    assert cell(page, report_uuid, ReviewColumn.STATUS) == "Approved"

    # approved versions are frozen: no decision can be made on them again
    page.select_report(report_uuid)
    assert not page.approve_button.isEnabled() and not page.return_button.isEnabled()
    with qtbot.waitSignal(page.dialog_opened, timeout=10_000) as opened:
        page.open_selected()
    frozen = opened.args[0]
    assert not frozen.approve_button.isEnabled() and not frozen.return_button.isEnabled()
    frozen.close()

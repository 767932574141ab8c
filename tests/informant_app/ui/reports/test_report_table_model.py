"""The report list loads lazily, page by page, with its filters applied in SQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from informant_app.core.store.models import ConflictRow, ReportVersionRow, VersionReviewRow
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportFilter, ReportState
from informant_app.ui.common.paged_table_model import PAGE_SIZE
from informant_app.ui.reports.table_model import Column, ReportTableModel
from informant_app.ui.tasks.manager import TaskManager
from informant_app.ui.window.main_window import MainWindow
from tests.informant_app.ui.helpers import valid_content

NOW = datetime(2024, 7, 2, 8, 0, tzinfo=UTC)

Seed = Callable[[Callable[[ReportStore], Any]], Any]


def seed_drafts(store: ReportStore, count: int) -> None:
    for _ in range(count):
        store.new_draft()


def test_rows_arrive_in_pages(qtbot: QtBot, seed: Seed, worker: TaskManager) -> None:
    seed(lambda store: seed_drafts(store, 500))
    model = ReportTableModel(worker, "en")
    model.set_filter(ReportFilter())
    qtbot.waitUntil(lambda: model.rowCount() == PAGE_SIZE == 200)
    assert model.total == 500
    assert model.canFetchMore()

    with qtbot.waitSignal(model.rowsInserted):
        model.fetchMore()
    assert model.rowCount() == 400
    with qtbot.waitSignal(model.rowsInserted):
        model.fetchMore()
    assert model.rowCount() == 500
    assert not model.canFetchMore()
    assert len({model.row_at(i).report_uuid for i in range(500)}) == 500


def test_a_filter_reloads_from_the_first_page(
    qtbot: QtBot, seed: Seed, worker: TaskManager
) -> None:
    def populate(store: ReportStore) -> None:
        seed_drafts(store, 3)
        draft = store.new_draft()
        store.save_draft(draft.version_uuid, valid_content(draft.content))
        assert store.submit(draft.version_uuid).ok

    seed(populate)
    model = ReportTableModel(worker, "en")
    model.set_filter(ReportFilter())
    qtbot.waitUntil(lambda: model.rowCount() == 4)
    model.set_filter(ReportFilter(state=ReportState.QUEUED))
    qtbot.waitUntil(lambda: model.rowCount() == 1 and not model.loading)
    row = model.row_at(0)
    assert row.state is ReportState.QUEUED
    assert model.index(0, Column.VILLAGE).data() == "瓦房社区"
    assert model.index(0, Column.DISASTER).data() == "Flood"
    assert model.index(0, Column.AFFECTED).data() == "120"
    header = model.headerData(Column.DIRECT_LOSS, Qt.Orientation.Horizontal)
    assert header == "Direct loss (10k CNY)"


def test_the_view_asks_for_more_when_scrolled_to_the_end(
    qtbot: QtBot, seed: Seed, make_window: Callable[..., MainWindow], profiled: object
) -> None:
    seed(lambda store: seed_drafts(store, 450))
    window = make_window("en")
    qtbot.waitUntil(lambda: window.model.rowCount() == 200)
    window.table.scrollToBottom()
    qtbot.waitUntil(lambda: window.model.rowCount() == 400)
    window.table.scrollToBottom()
    qtbot.waitUntil(lambda: window.model.rowCount() == 450)


def _submitted(store: ReportStore) -> str:
    draft = store.new_draft()
    store.save_draft(draft.version_uuid, valid_content(draft.content))
    assert store.submit(draft.version_uuid).ok
    store.set_state(draft.version_uuid, ReportState.RECEIVED)
    return draft.version_uuid


def test_the_review_filter_narrows_the_list(
    qtbot: QtBot, seed: Seed, make_window: Callable[..., MainWindow], profiled: object
) -> None:
    def populate(store: ReportStore) -> tuple[str, str]:
        returned, _approved = _submitted(store), _submitted(store)
        _submitted(store)  # not reviewed yet
        with Session(store.engine) as s, s.begin():
            for version, status in ((returned, "returned"), (_approved, "approved")):
                row = s.get(ReportVersionRow, version)
                assert row is not None
                s.add(
                    VersionReviewRow(
                        version_uuid=version,
                        report_uuid=row.report_uuid,
                        village_code=row.village_code,
                        event_uuid=row.event_uuid,
                        event_name="山洪",
                        stage=row.stage,
                        version_no=row.version_no,
                        status=status,
                        is_current=True,
                        decision_uuid=None,
                        reason=None,
                        filed_by="zhangming",
                        submitted_at=NOW,
                        received_at=NOW,
                        updated_at=NOW,
                    )
                )
        return returned, _approved

    returned, approved = seed(populate)
    window = make_window("en")
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    combo = window.filters.review
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "All review statuses",
        "Pending review",
        "Returned",
        "Approved",
    ]
    combo.setCurrentIndex(combo.findData("returned"))
    assert window.model.report_filter.review_status == "returned"
    qtbot.waitUntil(lambda: window.model.rowCount() == 1 and not window.model.loading)
    assert window.model.row_at(0).version_uuid == returned
    combo.setCurrentIndex(combo.findData("approved"))
    qtbot.waitUntil(
        lambda: (
            not window.model.loading
            and window.model.rowCount() == 1
            and window.model.row_at(0).version_uuid == approved
        )
    )
    combo.setCurrentIndex(combo.findData("pending"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 0 and not window.model.loading)
    combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)


def test_an_open_conflict_shows_from_the_store(
    qtbot: QtBot, seed: Seed, worker: TaskManager
) -> None:
    def populate(store: ReportStore) -> str:
        version = _submitted(store)
        report = store.report_rows(ReportFilter(), 0, 1)[0].report_uuid
        with Session(store.engine) as s, s.begin():
            s.add(
                ConflictRow(
                    conflict_version_uuid="other",
                    report_uuid=report,
                    main_version_uuid="main",
                    detected_at=NOW,
                )
            )
        return version

    seed(populate)
    model = ReportTableModel(worker, "en")
    model.set_filter(ReportFilter(state=ReportState.CONFLICT))
    qtbot.waitUntil(lambda: model.rowCount() == 1 and not model.loading)
    assert model.row_at(0).state is ReportState.CONFLICT
    assert model.total == 1

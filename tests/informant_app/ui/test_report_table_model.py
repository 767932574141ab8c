"""The report list loads lazily, page by page, with its filters applied in SQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from informant_app.core.store import ReportStore
from informant_app.core.types import ReportFilter, ReportState
from informant_app.ui.main_window import MainWindow
from informant_app.ui.report_table_model import PAGE_SIZE, Column, ReportTableModel
from informant_app.ui.worker import DbWorker

from .helpers import valid_content

Seed = Callable[[Callable[[ReportStore], Any]], Any]


def seed_drafts(store: ReportStore, count: int) -> None:
    for _ in range(count):
        store.new_draft()


def test_rows_arrive_in_pages(qtbot: QtBot, seed: Seed, worker: DbWorker) -> None:
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


def test_a_filter_reloads_from_the_first_page(qtbot: QtBot, seed: Seed,
                                              worker: DbWorker) -> None:
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
    assert model.index(0, Column.VILLAGE).data() == "瓦房村"
    assert model.index(0, Column.DISASTER).data() == "Flood"
    assert model.index(0, Column.AFFECTED).data() == "120"
    header = model.headerData(Column.DIRECT_LOSS, Qt.Orientation.Horizontal)
    assert header == "Direct loss (10k CNY)"


def test_the_view_asks_for_more_when_scrolled_to_the_end(
        qtbot: QtBot, seed: Seed, make_window: Callable[..., MainWindow], profiled: object) -> None:
    seed(lambda store: seed_drafts(store, 450))
    window = make_window("en")
    qtbot.waitUntil(lambda: window.model.rowCount() == 200)
    window.table.scrollToBottom()
    qtbot.waitUntil(lambda: window.model.rowCount() == 400)
    window.table.scrollToBottom()
    qtbot.waitUntil(lambda: window.model.rowCount() == 450)

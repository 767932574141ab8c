"""The report list stays fast at 100,000 reports: counting and paging run on indexes."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, event

from informant_app.core.store.models import to_db_time
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportFilter, ReportRow, ReportState
from sync.contract import ReportStage
from tests.informant_app.core.conftest import VILLAGE

REPORTS = 100_000
STATES = ("queued", "received", "error", "conflict", "sending")


def fill_directly(db: Path, events: list[str]) -> None:
    """Insert 100k latest versions with plain sqlite3 (fast), as a long season would leave."""
    content = json.dumps(
        {
            "event_name": "2024年7月2日隆阳区山洪",
            "disaster_type": "flood",
            "figures": {"affected_pop": 120, "direct_loss": 35.5},
            "photos": [],
        },
        ensure_ascii=False,
    )
    base = 1_700_000_000
    rows = []
    for i in range(REPORTS):
        state = "draft" if i % 97 == 0 else STATES[i % 5]
        stamp = to_db_time(_utc(base + i))
        rows.append(
            (
                str(uuid.uuid4()),
                str(uuid.uuid4()),
                1,
                1,
                events[i % len(events)],
                VILLAGE,
                "continuing" if i % 3 else "initial",
                content,
                None if state == "draft" else "0" * 64,
                state,
                stamp,
                stamp,
                None if state == "draft" else stamp,
            )
        )
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            "INSERT INTO report_versions (version_uuid, report_uuid, version_no, is_latest, "
            "event_uuid, village_code, stage, content, content_hash, state, created_at, "
            "updated_at, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    conn.close()


def _utc(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _plans(store: ReportStore, call: Callable[[], object]) -> list[str]:
    """Run ``call`` and return SQLite's query plan of every SELECT it issued."""
    statements: list[tuple[str, Any]] = []  # (SQL, its DB-API parameters)

    def capture(
        conn: Connection,
        cursor: object,
        statement: str,
        parameters: Any,
        context: object,
        executemany: bool,
    ) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        call()
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)
    conn = sqlite3.connect(store.data_dir / "informant.db")
    try:
        return [
            " | ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
            for sql, params in statements
        ]
    finally:
        conn.close()


@pytest.mark.slow
def test_list_queries_run_on_indexes_at_100k_reports(tmp_path: Path) -> None:
    """Counting and paging never sort or scan the table: their cost does not grow with it.

    Asserting plans (not milliseconds) keeps the test exact on a loaded machine; the timings
    themselves are reported by the benchmarks.
    """
    events = [str(uuid.uuid4()) for _ in range(50)]
    with ReportStore.open(tmp_path):
        pass
    fill_directly(tmp_path / "informant.db", events)
    with ReportStore.open(tmp_path) as store:
        filters = [
            ReportFilter(),
            ReportFilter(state=ReportState.ERROR),
            ReportFilter(state=ReportState.CONFLICT),
            ReportFilter(stage=ReportStage.CONTINUING),
            ReportFilter(event_uuid=events[7]),
            ReportFilter(event_uuid=events[7], stage=ReportStage.INITIAL, state=ReportState.ERROR),
        ]
        pages: list[list[ReportRow]] = []
        for filt in filters:
            pages.clear()

            def first_page(f: ReportFilter = filt) -> None:
                pages.append(store.report_rows(f, 0, 100))

            plans = _plans(store, first_page)
            assert plans and all("TEMP B-TREE" not in p for p in plans), (filt, plans)
            assert all("INDEX" in p for p in plans), (filt, plans)
            total = store.count_reports(filt)
            for plan in _plans(store, partial(store.count_reports, filt)):
                assert "INDEX" in plan, (filt, plan)
            assert total > 0 and len(pages[0]) == min(100, total)
        assert store.count_reports(ReportFilter()) == REPORTS
        newest = store.report_rows(ReportFilter(), 0, 2)
        assert newest[0].updated_at > newest[1].updated_at
        last = store.report_rows(ReportFilter(), REPORTS - 100, 100)
        assert len(last) == 100
        assert sum(store.state_counts().values()) == REPORTS
        for plan in _plans(store, store.state_counts):
            assert "INDEX" in plan and "TEMP B-TREE" not in plan, plan

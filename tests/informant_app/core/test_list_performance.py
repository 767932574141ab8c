"""The report list stays fast at 100,000 reports: counting and paging run on indexes."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from pathlib import Path

from informant_app.core.models import to_db_time
from informant_app.core.store import ReportStore
from informant_app.core.types import ReportFilter, ReportState
from sync.contract import ReportStage

from .conftest import VILLAGE

REPORTS = 100_000
STATES = ("queued", "received", "error", "conflict", "sending")


def fill_directly(db: Path, events: list[str]) -> None:
    """Insert 100k latest versions with plain sqlite3 (fast), as a long season would leave."""
    content = json.dumps({"event_name": "2024年7月2日隆阳区山洪", "disaster_type": "flood",
                          "figures": {"affected_pop": 120, "direct_loss": 35.5},
                          "photos": []}, ensure_ascii=False)
    base = 1_700_000_000
    rows = []
    for i in range(REPORTS):
        state = "draft" if i % 97 == 0 else STATES[i % 5]
        stamp = to_db_time(_utc(base + i))
        rows.append((str(uuid.uuid4()), str(uuid.uuid4()), 1, 1, events[i % len(events)],
                     VILLAGE, "continuing" if i % 3 else "initial", content,
                     None if state == "draft" else "0" * 64, state, stamp, stamp,
                     None if state == "draft" else stamp))
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            "INSERT INTO report_versions (version_uuid, report_uuid, version_no, is_latest, "
            "event_uuid, village_code, stage, content, content_hash, state, created_at, "
            "updated_at, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.close()


def _utc(seconds: int):  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, UTC)


def test_count_and_first_page_at_100k_reports(tmp_path: Path) -> None:
    events = [str(uuid.uuid4()) for _ in range(50)]
    with ReportStore.open(tmp_path):
        pass
    fill_directly(tmp_path / "informant.db", events)
    with ReportStore.open(tmp_path) as store:
        filters = [
            ReportFilter(),
            ReportFilter(state=ReportState.ERROR),
            ReportFilter(stage=ReportStage.CONTINUING),
            ReportFilter(event_uuid=events[7]),
            ReportFilter(event_uuid=events[7], stage=ReportStage.INITIAL,
                         state=ReportState.ERROR),
        ]
        store.count_reports(ReportFilter())  # warm the connection and page cache
        for filt in filters:
            started = time.perf_counter()
            total = store.count_reports(filt)
            page = store.report_rows(filt, 0, 100)
            elapsed = time.perf_counter() - started
            assert total > 0 and len(page) == min(100, total)
            assert elapsed < 0.1, f"{filt}: count + first page took {elapsed * 1000:.1f} ms"
        assert store.count_reports(ReportFilter()) == REPORTS
        newest = store.report_rows(ReportFilter(), 0, 2)
        assert newest[0].updated_at > newest[1].updated_at
        started = time.perf_counter()
        last = store.report_rows(ReportFilter(), REPORTS - 100, 100)
        assert len(last) == 100 and time.perf_counter() - started < 0.1
        started = time.perf_counter()
        assert sum(store.state_counts().values()) == REPORTS
        assert time.perf_counter() - started < 0.1

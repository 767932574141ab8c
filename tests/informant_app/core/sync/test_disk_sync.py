"""A sync round on a full disk, against a real city server: a plain message, nothing lost.

Informant A files reports on a normal disk; informant B (same village) has two queued reports
on a small disk that fills up.  B's round meets the full disk while it records what the server
took and writes the pulled changes: the round ends with a ``disk`` problem (no exception),
the database stays intact and B's queue is kept.  Once space is freed the next round sends
B's reports (each exactly once on the server) and pulls every one of A's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_state import sync_state
from informant_app.core.store.types import ReportFilter
from informant_app.core.sync.engine import SyncEngine, sign_in
from informant_app.core.sync.types import SyncErrorKind
from tests.informant_app.core.conftest import fill
from tests.informant_app.core.disk_helpers import (
    SmallDisk,
    drafts_of,
    integrity,
    queue_of,
    small_disk,
)
from tests.support.city_server import CityServer

REPORTS_OF_A = 40


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CityServer]:
    """A city server where informant A has filed ``REPORTS_OF_A`` reports."""
    patch = pytest.MonkeyPatch()
    patch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    city = CityServer(tmp_path_factory.mktemp("city"))
    city.init()
    city.start()
    try:
        with ReportStore.open(tmp_path_factory.mktemp("device-a")) as a:
            sign_in(a, city.url, "wafang_a", city.password("wafang_a"))
            file_reports(a, REPORTS_OF_A, "A村民报告：河水上涨，冲毁农田。")
            assert SyncEngine(a).run_round().ok
        yield city
    finally:
        city.stop()
        patch.undo()


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    with small_disk(tmp_path / "disk", size_kib=8192) as mounted:
        yield mounted


def file_reports(store: ReportStore, count: int, narrative: str) -> list[str]:
    versions = []
    for n in range(count):
        draft = store.new_draft()
        store.save_draft(draft.version_uuid, fill(draft.content, narrative=f"{narrative}{n}"))
        assert store.submit(draft.version_uuid).ok
        versions.append(draft.version_uuid)
    return versions


def server_copies(city: CityServer, versions: list[str]) -> dict[str, int]:
    conn = sqlite3.connect(city.folder / "city.db")
    try:
        marks = ",".join("?" * len(versions))
        rows = conn.execute(
            f"SELECT version_uuid, count(*) FROM report_versions "
            f"WHERE version_uuid IN ({marks}) GROUP BY version_uuid",
            versions,
        )
        return dict(rows.fetchall())
    finally:
        conn.close()


def server_reports(city: CityServer) -> int:
    conn = sqlite3.connect(city.folder / "city.db")
    try:
        return int(conn.execute("SELECT count(*) FROM reports").fetchone()[0])
    finally:
        conn.close()


def test_round_on_a_full_disk_keeps_the_queue_and_resumes(
    server: CityServer, disk: SmallDisk
) -> None:
    with ReportStore.open(disk.data_dir) as b:
        sign_in(b, server.url, "wafang_b", server.password("wafang_b"))
        mine = file_reports(b, 2, "B的报告")
        before = queue_of(disk.data_dir)
        disk.fill(leave_kib=0)
        summary = SyncEngine(b).run_round()  # must not raise
        assert summary.problem is not None and summary.problem.kind is SyncErrorKind.DISK
        assert "磁盘空间已满" in summary.problem.zh and "disk is full" in summary.problem.en
        assert integrity(disk.data_dir) == "ok"
        assert queue_of(disk.data_dir) == before  # nothing acknowledged half-way
        assert b.outbox_size() == 2
        disk.free()
        for _ in range(3):
            summary = SyncEngine(b).run_round()
            if summary.ok and summary.still_queued == 0:
                break
        assert summary.ok, summary.problem
        assert b.outbox_size() == 0
        assert server_copies(server, mine) == {v: 1 for v in mine}
        assert b.count_reports(ReportFilter()) >= REPORTS_OF_A + 2
    assert integrity(disk.data_dir) == "ok"


def test_pulled_changes_meet_a_full_disk(server: CityServer, disk: SmallDisk) -> None:
    with ReportStore.open(disk.data_dir) as b:
        sign_in(b, server.url, "wafang_b", server.password("wafang_b"))
        draft = b.new_draft()
        b.save_draft(draft.version_uuid, fill(draft.content, narrative="拉取前保存的草稿"))
        kept = drafts_of(disk.data_dir)
        with b.write_session() as s:
            cursor = sync_state(s).cursor
        disk.fill(leave_kib=0)
        summary = SyncEngine(b, page_limit=10).run_round()  # nothing to push: pull fills it
        assert summary.problem is not None and summary.problem.kind is SyncErrorKind.DISK
        assert "磁盘空间已满" in summary.problem.zh and "disk is full" in summary.problem.en
        assert integrity(disk.data_dir) == "ok"
        assert drafts_of(disk.data_dir) == kept
        with b.write_session() as s:  # a page is applied with its cursor, or not at all
            state = sync_state(s)
            shown = b.count_reports(ReportFilter()) - 1
            assert (state.cursor == cursor) == (shown == 0)
        disk.free()
        summary = SyncEngine(b, page_limit=10).run_round()
        assert summary.ok, summary.problem
        assert b.count_reports(ReportFilter()) == server_reports(server) + 1  # and the draft
        assert drafts_of(disk.data_dir) == kept
    assert integrity(disk.data_dir) == "ok"

"""Issue 19, parts 1 and 2: the pull of a fresh device, and the round of one changed report.

* **Pull**: device A of 瓦房社区 pushes N reports (10,000; quick: 1,000); a fresh device of
  the other informant (B) then runs one round, whose pull phase is timed (versions/s; the
  median of 3 such devices).  The limit, in the same run (the median of 3, one after each
  pull): the same rows B's store ended with (``server_versions``,
  ``report_versions``, ``version_sync``, ``version_reviews``) written into an empty device
  store directly, in one transaction.  Goals: ≥ 0.5 × the limit, ≥ 3,000 versions/s (full).
* **Round**: on a synced store of S reports (100 and 10,000; quick: 100 and 2,000), one new
  report is filed and one round runs (median of 20), against a bare ``GET /health`` round trip
  (median of 20).  Goal: ≤ 3 × the bare round trip, on both sizes (it must not grow).  The
  details name the requests of a round (``/me``, the push, the pull: 3).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import requests
from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from bench.figures import Figure, Options
from bench.push_common import device_store, file_reports, timed_phases
from bench.server import NO_QUOTA, CityServer
from informant_app.core.store.models import (
    ReportVersionRow,
    ServerVersionRow,
    VersionReviewRow,
    VersionSyncRow,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.engine import SyncEngine

PART = "pull"
RUNS = 20
#: Fresh devices that pull the whole feed (the pull figure is their median).
PULL_RUNS = 3
PULL_GOAL_RATE = 3_000.0
#: The tables a pull writes for each version, in the order they are written.
TABLES = (ServerVersionRow, ReportVersionRow, VersionSyncRow, VersionReviewRow)


def sizes(options: Options) -> tuple[int, tuple[int, int]]:
    """Return (versions pulled, the two store sizes of the round figure)."""
    if options.quick:
        return 1_000, (100, 2_000)
    return 10_000, (100, 10_000)


@contextmanager
def counted_requests() -> Iterator[list[str]]:
    """Record the method and path of every HTTP request sent meanwhile (any session)."""
    sent: list[str] = []
    original = requests.Session.send

    def send(self: requests.Session, request: requests.PreparedRequest, **kw: Any) -> Any:
        sent.append(f"{request.method} {request.path_url.split('?')[0]}")
        return original(self, request, **kw)

    requests.Session.send = send  # type: ignore[method-assign]
    try:
        yield sent
    finally:
        requests.Session.send = original  # type: ignore[method-assign]


def _round(store: ReportStore) -> None:
    summary = SyncEngine(store).run_round()
    if summary.problem is not None:
        raise RuntimeError(f"the round failed: {summary.problem}")


def direct_write(source: ReportStore, folder: Path) -> float:
    """Write the rows the pull left in ``source`` into an empty store; return the seconds.

    Every row the pull wrote (the server's versions and pointers, the shown versions, their
    sync rows and state log, the review rows, the events) as stored, in one transaction, one
    ``executemany`` per table: the statement text built once, the values passed as they are
    stored (no per-value conversion).  The auto-numbered keys (``seq``, ``id``) are left to
    SQLite, as in the pull.
    """
    from informant_app.core.store.models import EventRow, ServerReportRow, StateChangeRow

    tables = [
        cast(Table, model.__table__)
        for model in (
            EventRow,
            ServerVersionRow,
            ServerReportRow,
            ReportVersionRow,
            VersionSyncRow,
            StateChangeRow,
            VersionReviewRow,
        )
    ]
    with Session(source.engine) as s:
        dialect = s.get_bind().dialect
        conn = s.connection()
        plan = []
        for table in tables:
            columns = [c for c in table.columns if not (c.primary_key and c.autoincrement is True)]
            read = str(select(*columns).compile(dialect=dialect))
            write = str(
                insert(table).compile(dialect=dialect, column_keys=[c.key for c in columns])
            )
            plan.append((write, conn.exec_driver_sql(read).fetchall()))
    with ReportStore.open(folder) as empty:
        start = time.perf_counter()
        with empty.write_session() as s, s.begin():
            conn = s.connection()
            for write, rows in plan:
                if rows:
                    conn.exec_driver_sql(write, [tuple(r) for r in rows])
        return time.perf_counter() - start


def measure_pull(workdir: Path, n: int) -> Figure:
    """Time fresh devices' pulls of ``n`` versions against the direct write (medians).

    ``PULL_RUNS`` fresh devices each pull the whole feed, and each pull's rows are written
    into an empty store directly after it: one cold pull or one slow write (the disk, the
    page cache) must not decide the figure, whose two sides swing by a fifth from run to run.
    """
    pulls, directs = [], []
    with CityServer(workdir / "pull-server", env=NO_QUOTA) as city:
        pusher = device_store(workdir / "pull-a", city, "wafang_a", n, seed=1)
        try:
            _round(pusher)
            start = time.perf_counter()
            _round(pusher)  # the pusher's next round: nothing new but its own versions
            again_s = time.perf_counter() - start
        finally:
            pusher.close()
        for run in range(PULL_RUNS):
            fresh = device_store(workdir / f"pull-b{run}", city, "wafang_b", 0)
            try:
                with timed_phases() as times:
                    _round(fresh)
                pulls.append(times.seconds["pull"])
                directs.append(direct_write(fresh, workdir / f"pull-direct{run}"))
            finally:
                fresh.close()
    pull_s, direct_s = statistics.median(pulls), statistics.median(directs)
    rate, limit = n / pull_s, n / direct_s
    return Figure(
        PART,
        f"fresh device pulls {n:,} versions",
        rate,
        "versions/s",
        "direct write, one transaction",
        limit,
        f"≥ 0.5 × direct write and ≥ {PULL_GOAL_RATE:,.0f}/s (full size)",
        rate >= 0.5 * limit and (n < 10_000 or rate >= PULL_GOAL_RATE),
        {
            "versions": n,
            "pull_s": pull_s,
            "direct_s": direct_s,
            "pull_s_all": pulls,
            "direct_s_all": directs,
            "pusher_next_round_s": again_s,
        },
    )


def measure_round(workdir: Path, size: int) -> Figure:
    """Median round of one new report on a synced store of ``size``, against ``/health``."""
    with CityServer(workdir / f"round-server-{size}", env=NO_QUOTA) as city:
        store = device_store(workdir / f"round-{size}", city, "wafang_a", size, seed=3)
        try:
            _round(store)
            _round(store)
            rounds, requests_sent = [], []
            for i in range(RUNS):
                file_reports(store, 1, seed=100 + i)
                with counted_requests() as sent:
                    start = time.perf_counter()
                    _round(store)
                    rounds.append(time.perf_counter() - start)
                requests_sent.append(len(sent))
        finally:
            store.close()
        health = []
        with requests.Session() as http:
            http.get(city.url + "/health", timeout=10).raise_for_status()
            for _ in range(RUNS):
                start = time.perf_counter()
                http.get(city.url + "/health", timeout=10).raise_for_status()
                health.append(time.perf_counter() - start)
    round_ms = statistics.median(rounds) * 1000
    health_ms = statistics.median(health) * 1000
    details: dict[str, Any] = {
        "store": size,
        "runs": RUNS,
        "round_ms_all": rounds,
        "requests_per_round": max(requests_sent),
        "requests": sent,
        # The fastest round against the fastest bare round trip: what load adds to either
        # (more to the round's work than to a bare request) counts least here.
        "best_ratio": min(rounds) / min(health),
    }
    return Figure(
        PART,
        f"round of one changed report, store of {size:,}",
        round_ms,
        "ms",
        "bare GET /health round trip",
        health_ms,
        "≤ 3 × bare round trip",
        round_ms <= 3 * health_ms,
        details,
    )


def measure(workdir: Path, n: int, stores: tuple[int, ...]) -> list[Figure]:
    """Return the pull figure and one round figure per store size."""
    return [measure_pull(workdir, n), *(measure_round(workdir, size) for size in stores)]


def run(options: Options) -> list[Figure]:
    """Measure the pull and the incremental round (SQLite)."""
    n, stores = sizes(options)
    return measure(Path(options.workdir), n, stores)

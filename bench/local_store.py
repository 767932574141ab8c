"""Issue 8, part 4: a big local store (100,000 reports; quick: 5,000) against 100 reports.

* **Start-up**: ``informant-app`` started in a subprocess (``QT_QPA_PLATFORM=offscreen``) on the
  store until the report list shows its first page; wall time from just before the process is
  spawned.  The app's ``INFORMANT_BENCH_READY=FILE`` hook (``informant_app/app.py``,
  ``bench_ready_hook``) writes the time and the peak RSS, then quits.  Goal ≤ 1.5 s.
* **Filtering**: what the list model runs on the worker for a filter change
  (``count_reports`` + the first page with its sync details, ``load_page``), for filters by
  event, stage and state; median, goal ≤ 100 ms.
* **Opening a report**: what the form's opening runs on the worker (``load_version``: the
  version's content and the township's decision); warmed, best of the runs, goal ≤ 100 ms.
* **Memory**: the app's peak RSS (``ru_maxrss``) at the big size against 100 reports.

The store is built with ``import_reports(…, submit=True)`` in batches of 5,000 (the sample
generator's event times squeezed so that all of them lie in the past).
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.figures import Figure, Options
from informant_app.core.reports.importing import import_reports
from informant_app.core.reports.sample import DEMO_PROFILE, _village_names, make_reports
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportFilter, ReportState
from sync.contract import ReportStage, format_time, parse_time

PART = "local_store"
BIG = 100_000
QUICK_BIG = 5_000
SMALL = 100
BATCH = 5_000
PAGE = 100  # the list's page size (ui/paged_table_model.PAGE_SIZE)
STARTUP_GOAL_S = 1.5
QUERY_GOAL_MS = 100.0
ROOT = Path(__file__).resolve().parents[1]


def _squeezed(document: dict[str, Any]) -> dict[str, Any]:
    """Return the document with events 2.4 h apart instead of 3 days, so all are in the past."""
    reports = document["reports"]
    base = parse_time(reports[0]["occurred_at"], "occurred_at")
    for r in reports:
        occurred = parse_time(r["occurred_at"], "occurred_at")
        cutoff = parse_time(r["data_cutoff_at"], "data_cutoff_at")
        moved = base + (occurred - base) / 30 - timedelta(days=30)
        r["occurred_at"] = format_time(moved)
        r["data_cutoff_at"] = format_time(moved + (cutoff - occurred))
    return document


def build_store(folder: Path, n: int) -> float:
    """Fill a new store in ``folder`` with ``n`` submitted reports; return the seconds taken."""
    start = time.perf_counter()
    document = _squeezed(make_reports(n, seed=8))
    with ReportStore.open(folder) as store:
        villages = tuple(sorted(_village_names()))
        store.save_profile(dataclasses.replace(DEMO_PROFILE, village_codes=villages))
        reports = document["reports"]
        for i in range(0, len(reports), BATCH):
            import_reports(store, {**document, "reports": reports[i : i + BATCH]}, submit=True)
    return time.perf_counter() - start


def start_app(folder: Path) -> tuple[float, float, int]:
    """Start the app on ``folder`` until its list shows the first page.

    Returns (seconds from spawning the process, peak RSS in MiB, reports in the list).
    """
    with tempfile.TemporaryDirectory() as tmp:
        ready = Path(tmp) / "ready"
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "INFORMANT_BENCH_READY": str(ready),
            "INFORMANT_TOKEN_STORAGE": "file",
        }
        env.pop("INFORMANT_DATA_DIR", None)
        command = [sys.executable, "-m", "informant_app", "--data-dir", str(folder), "--lang", "en"]
        start = time.time()
        result = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, timeout=120, check=False
        )
        if not ready.exists():
            raise RuntimeError(
                f"the app never showed its list (exit {result.returncode}): "
                f"{result.stderr.decode(errors='replace')[-2000:]}"
            )
        stamp, peak_kib, total = ready.read_text(encoding="utf-8").split()
    return float(stamp) - start, int(peak_kib) / 1024, int(total)


def _times_ms(call: Any, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _median_ms(call: Any, runs: int) -> float:
    return statistics.median(_times_ms(call, runs))


def queries(folder: Path, runs: int) -> tuple[float, float, dict[str, float]]:
    """Return the median ms of a filter change (worst filter) and of opening a report."""
    from informant_app.ui.reports.table_model import load_page
    from informant_app.ui.reports.village_review import load_version

    with ReportStore.open(folder) as store:
        events = store.events()
        event = events[len(events) // 2].event_uuid
        filters = {
            "all": ReportFilter(),
            "event": ReportFilter(event_uuid=event),
            "stage": ReportFilter(stage=ReportStage.CONTINUING),
            "state": ReportFilter(state=ReportState.QUEUED),
            "event+stage": ReportFilter(event_uuid=event, stage=ReportStage.INITIAL),
        }
        per_filter: dict[str, float] = {}
        for name, filt in filters.items():

            def change(f: ReportFilter = filt) -> None:
                store.count_reports(f)
                load_page(store, f, 0, PAGE)

            change()  # warm the page cache once, as the app's first page does
            per_filter[name] = _median_ms(change, runs)
        total = store.count_reports(ReportFilter())
        rows = [
            store.report_rows(ReportFilter(), offset, 1)[0]
            for offset in (0, total // 3, total // 2, total - 1)
        ]

        def open_one() -> None:
            for row in rows:
                load_version(store, row.version_uuid, row.report_uuid)

        # Warm once (as a filter change is), then the best of the runs: opening takes about a
        # millisecond, so one preempted run on a busy machine would otherwise set the figure.
        open_one()
        open_ms = min(_times_ms(open_one, runs)) / len(rows)
    return max(per_filter.values()), open_ms, per_filter


def measure(workdir: Path, big: int, startups: int = 3, runs: int = 9) -> dict[str, Any]:
    """Build both stores and measure them; return the raw numbers."""
    out: dict[str, Any] = {}
    stores = (("big", big), ("small", SMALL))
    for label, n in stores:
        out[f"{label}_n"] = n
        out[f"{label}_build_s"] = build_store(workdir / f"store-{n}", n)
    # The start-ups of both sizes interleaved: a machine getting busier mid-run slows both.
    runs_of: dict[str, list[tuple[float, float, int]]] = {label: [] for label, _ in stores}
    for _ in range(startups):
        for label, n in stores:
            runs_of[label].append(start_app(workdir / f"store-{n}"))
    for label, n in stores:
        folder = workdir / f"store-{n}"
        starts = runs_of[label]
        out[f"{label}_startup_s"] = statistics.median(s[0] for s in starts)
        out[f"{label}_startups_s"] = [round(s[0], 3) for s in starts]
        out[f"{label}_rss_mib"] = max(s[1] for s in starts)
        out[f"{label}_listed"] = starts[0][2]
        filt, open_ms, per_filter = queries(folder, runs)
        out[f"{label}_filter_ms"] = filt
        out[f"{label}_filters_ms"] = {k: round(v, 2) for k, v in per_filter.items()}
        out[f"{label}_open_ms"] = open_ms
        out[f"{label}_db_mib"] = (folder / "informant.db").stat().st_size / 2**20
    return out


def run(options: Options) -> list[Figure]:
    """Measure part 4; return its figures."""
    big = QUICK_BIG if options.quick else BIG
    m = measure(
        Path(options.workdir) / PART,
        big,
        startups=3,
        runs=5 if options.quick else 9,
    )
    at_big, at_small = f"{big:,} reports", f"{SMALL} reports"
    details = {
        "build_s": round(m["big_build_s"], 1),
        "db_mib": round(m["big_db_mib"], 1),
        "listed": m["big_listed"],
    }
    return [
        Figure(
            PART,
            f"start-up to the list's first page, {at_big}",
            m["big_startup_s"],
            "s",
            f"same, {at_small}",
            m["small_startup_s"],
            f"≤ {STARTUP_GOAL_S} s",
            m["big_startup_s"] <= STARTUP_GOAL_S,
            {**details, "runs_s": m["big_startups_s"], "small_runs_s": m["small_startups_s"]},
        ),
        Figure(
            PART,
            f"filter change (count + first page, worst filter), {at_big}",
            m["big_filter_ms"],
            "ms",
            f"same, {at_small}",
            m["small_filter_ms"],
            f"≤ {QUERY_GOAL_MS:.0f} ms",
            m["big_filter_ms"] <= QUERY_GOAL_MS,
            {"per_filter_ms": m["big_filters_ms"], "small_per_filter_ms": m["small_filters_ms"]},
        ),
        Figure(
            PART,
            f"opening a report (content + decision), {at_big}",
            m["big_open_ms"],
            "ms",
            f"same, {at_small}",
            m["small_open_ms"],
            f"≤ {QUERY_GOAL_MS:.0f} ms",
            m["big_open_ms"] <= QUERY_GOAL_MS,
        ),
        Figure(
            PART,
            f"app peak memory (RSS), {at_big}",
            m["big_rss_mib"],
            "MiB",
            f"same, {at_small}",
            m["small_rss_mib"],
            "reported (no goal)",
            None,
            {"small_build_s": round(m["small_build_s"], 2)},
        ),
    ]


if __name__ == "__main__":
    from bench.figures import table

    with tempfile.TemporaryDirectory() as where:
        figures = run(Options(workdir=Path(where), quick="--quick" in sys.argv))
    print(table(figures))
    for f in figures:
        print(f.name, f.details)

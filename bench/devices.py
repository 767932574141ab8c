"""Issue 8, part 5: many devices syncing at once against the PostgreSQL city server.

A fresh PostgreSQL database, ``city-server serve --workers 4``.  500 simulated devices
(quick: 40), each a thread with its own ``SyncClient`` (its own ``requests.Session``) and its
own device id, signed in once as one of the sample's village informants.  A device's round is
the app's: ``GET /me``, ``POST /reports/batch`` with a few new reports, then ``GET /changes``
page by page from its cursor.

* **Steady**: every device runs ``ROUNDS`` rounds at once; throughput (requests/s,
  reports/s), p50/p99 latency of each request, errors (goal 0).
* **Outage**: the server stops; every device fails its round and waits as the app waits
  (``informant_app.core.sync.engine.retry_delay``: full-jitter exponential backoff); the
  server starts again after ``OUTAGE_S``.  Measured from the moment it answers ``/health``
  again: errors (a refused connection while it is down is expected; any failure of a request
  sent after it is back is an error), the time until every device has completed a round, and
  the peak request rate (1 s bins) against the steady rate.  Compared with the same return
  without jitter (``retry_delay(…, jitter=False)``: every device retries at the same instant).
"""

from __future__ import annotations

import copy
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.figures import Figure, Options
from bench.local_store import build_store
from bench.server import CityServer, fresh_postgres_database
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sending import pending_versions
from informant_app.core.sync.engine import retry_delay
from sync.client.api import ClientError, SyncClient

PART = "devices"
DEVICES = 500
QUICK_DEVICES = 40
ROUNDS = 3
REPORTS_PER_PUSH = 3
WORKERS = 4
OUTAGE_S = 3.0
QUICK_OUTAGE_S = 1.0
BIN_S = 1.0
#: The sample's village informants with a post (devices are spread over them).
INFORMANTS = ("wafang_a", "wafang_b", "shuigou_a", "shuigou_b", "dangxi_a")


@dataclass
class Log:
    """Every request of a phase: (start time, seconds, ok), and the failures' kinds."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[tuple[float, float, bool]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def call(self, fn: Callable[[], Any], after: float = 0.0) -> Any:
        """Run one request; log it; failures sent at or after ``after`` count as errors."""
        start = time.monotonic()
        try:
            result = fn()
        except ClientError as exc:
            with self.lock:
                self.requests.append((start, time.monotonic() - start, False))
                if start >= after:
                    self.errors.append(f"{exc.kind}:{exc.code}")
            raise
        with self.lock:
            self.requests.append((start, time.monotonic() - start, True))
        return result


def templates(folder: Path) -> dict[str, dict[str, Any]]:
    """Return one valid initial report's content per village (made by the app's import)."""
    build_store(folder, 300)
    found: dict[str, dict[str, Any]] = {}
    with ReportStore.open(folder) as store, store.write_session() as s:
        for pending in pending_versions(s, 0, 300, 10**9):
            content = pending.item["content"]
            if content["stage"] == "initial":
                found.setdefault(content["village_code"], content)
    return found


class Device:
    """One simulated village computer."""

    def __init__(
        self,
        url: str,
        username: str,
        password: str,
        village: str,
        template: dict[str, Any],
        seed: int,
    ) -> None:
        self.client = SyncClient(url, device_id=str(uuid.uuid4()))
        self.username, self.password = username, password
        self.village, self.template = village, template
        self.cursor: str | None = None
        self.rng = random.Random(seed)
        self.pushed = 0

    def sign_in(self, log: Log) -> None:
        log.call(lambda: self.client.login(self.username, self.password, "bench"))

    def _items(self) -> list[dict[str, Any]]:
        items = []
        for _ in range(REPORTS_PER_PUSH):
            content = copy.deepcopy(self.template)
            content["report_uuid"] = str(uuid.uuid4())
            items.append(
                {
                    "version_uuid": str(uuid.uuid4()),
                    "parent_version_uuid": None,
                    "version_no": 1,
                    "content": content,
                }
            )
        return items

    def round(self, log: Log, after: float = 0.0) -> None:
        """One sync round as the app runs it; raises ``ClientError`` on a failed request."""
        log.call(self.client.me, after)
        items = self._items()
        answer = log.call(lambda: self.client.push_batch(items, datetime.now(UTC)), after)
        bad = [r for r in answer.results if r.status not in ("accepted", "duplicate")]
        if bad:
            with log.lock:
                log.errors.append(f"refused:{bad[0].code}")
        self.pushed += len(items)
        while True:
            page = log.call(lambda: self.client.changes(self.cursor), after)
            self.cursor = page.cursor
            if not page.has_more:
                break


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _peak_rate(starts: list[float], since: float, until: float) -> float:
    """Return the most requests started in any ``BIN_S`` bin in [since, until), per second."""
    bins: dict[int, int] = {}
    for t in starts:
        if since <= t < until:
            bins[int((t - since) / BIN_S)] = bins.get(int((t - since) / BIN_S), 0) + 1
    return max(bins.values(), default=0) / BIN_S


def steady(devices: list[Device]) -> dict[str, Any]:
    """Every device runs ROUNDS rounds at once; return throughput, latency and errors."""
    log = Log()
    pushed_before = sum(d.pushed for d in devices)

    def work(device: Device) -> None:
        for _ in range(ROUNDS):
            try:
                device.round(log)
            except ClientError:
                return

    start = time.monotonic()
    with ThreadPoolExecutor(len(devices)) as pool:
        list(pool.map(work, devices))
    wall = time.monotonic() - start
    latencies = [r[1] for r in log.requests]
    return {
        "wall_s": wall,
        "requests": len(log.requests),
        "requests_per_s": len(log.requests) / wall,
        "reports_per_s": (sum(d.pushed for d in devices) - pushed_before) / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": _percentile(latencies, 0.99) * 1000,
        "errors": len(log.errors),
        "error_kinds": sorted(set(log.errors))[:5],
    }


def outage(
    server: CityServer, devices: list[Device], jitter: bool, outage_s: float = OUTAGE_S
) -> dict[str, Any]:
    """Stop the server, let every device fail and back off, start it again; return figures."""
    log = Log()
    back_at = [float("inf")]
    synced: list[float] = []
    server.stop()  # the whole process group: uvicorn's workers too

    def work(device: Device) -> None:
        failures = 0
        while True:
            try:
                device.round(log, after=back_at[0])
            except ClientError:
                failures += 1
                time.sleep(retry_delay(failures, device.rng, jitter=jitter))
                continue
            with log.lock:
                synced.append(time.monotonic())
            return

    pool = ThreadPoolExecutor(len(devices))
    futures = [pool.submit(work, d) for d in devices]
    time.sleep(outage_s)
    server.start()
    back_at[0] = time.monotonic()
    for f in futures:
        f.result()
    pool.shutdown()
    after = [r for r in log.requests if r[0] >= back_at[0]]
    return {
        "errors_after_restart": len(log.errors),
        "error_kinds": sorted(set(log.errors))[:5],
        "all_synced_s": max(synced) - back_at[0],
        "peak_rate": _peak_rate([r[0] for r in after], back_at[0], max(synced) + BIN_S),
        "requests_after_restart": len(after),
        "refused_during_outage": sum(1 for r in log.requests if r[0] < back_at[0] and not r[2]),
        "p99_ms_after": _percentile([r[1] for r in after], 0.99) * 1000,
    }


def measure(workdir: Path, n: int, outage_s: float = OUTAGE_S) -> dict[str, Any]:
    """Run both phases on a fresh PostgreSQL server; return the raw numbers."""
    contents = templates(workdir / "template-store")
    db_url = fresh_postgres_database("bench_devices")
    server = CityServer(workdir / "server", db_url, workers=WORKERS)
    server.init()
    server.start()
    try:
        villages = {"wafang": "530502208201", "shuigou": "530502208206", "dangxi": "530502208207"}
        devices = []
        for i in range(n):
            user = INFORMANTS[i % len(INFORMANTS)]
            village = villages[user.split("_")[0]]
            devices.append(
                Device(server.url, user, server.passwords[user], village, contents[village], seed=i)
            )
        log = Log()
        with ThreadPoolExecutor(min(n, 50)) as pool:
            list(pool.map(lambda d: d.sign_in(log), devices))
        if log.errors:
            raise RuntimeError(f"sign-in failed: {log.errors[:3]}")
        out: dict[str, Any] = {"devices": n, "steady": steady(devices)}
        out["jitter"] = outage(server, devices, jitter=True, outage_s=outage_s)
        out["no_jitter"] = outage(server, devices, jitter=False, outage_s=outage_s)
        out["outage_s"] = outage_s
        return out
    finally:
        server.stop()  # the whole process group: uvicorn's workers too


def run(options: Options) -> list[Figure]:
    """Measure part 5; return its figures (none without PostgreSQL)."""
    if not options.postgres:
        return []
    n = QUICK_DEVICES if options.quick else DEVICES
    m = measure(Path(options.workdir) / PART, n, QUICK_OUTAGE_S if options.quick else OUTAGE_S)
    st, j, nj = m["steady"], m["jitter"], m["no_jitter"]
    where = f"{n} devices, PostgreSQL, {WORKERS} workers"
    return [
        Figure(
            PART,
            f"steady sync throughput, {where}",
            st["requests_per_s"],
            "requests/s",
            details={
                "reports_per_s": round(st["reports_per_s"], 1),
                "requests": st["requests"],
                "wall_s": round(st["wall_s"], 2),
                "rounds": ROUNDS,
                "reports_per_push": REPORTS_PER_PUSH,
            },
        ),
        Figure(PART, f"steady sync reports pushed, {where}", st["reports_per_s"], "reports/s"),
        Figure(PART, "steady request latency p50", st["p50_ms"], "ms"),
        Figure(PART, "steady request latency p99", st["p99_ms"], "ms", "p50", st["p50_ms"]),
        Figure(
            PART,
            "steady errors",
            st["errors"],
            "errors",
            goal="0",
            met=st["errors"] == 0,
            details={"kinds": st["error_kinds"]},
        ),
        Figure(
            PART,
            "errors after restart (with jitter)",
            j["errors_after_restart"],
            "errors",
            "without jitter",
            nj["errors_after_restart"],
            "0 with jitter",
            j["errors_after_restart"] == 0,
            {
                "kinds": j["error_kinds"],
                "kinds_without_jitter": nj["error_kinds"],
                "refused_during_outage": j["refused_during_outage"],
            },
        ),
        Figure(
            PART,
            "all devices synced again after restart (with jitter)",
            j["all_synced_s"],
            "s",
            "without jitter",
            nj["all_synced_s"],
            details={"outage_s": m["outage_s"]},
        ),
        Figure(
            PART,
            "peak request rate after restart (with jitter)",
            j["peak_rate"],
            "requests/s",
            "without jitter",
            nj["peak_rate"],
            "< without jitter",
            j["peak_rate"] < nj["peak_rate"],
            {
                "steady_requests_per_s": round(st["requests_per_s"], 1),
                "bin_s": BIN_S,
                "p99_ms_after": round(j["p99_ms_after"], 1),
                "p99_ms_after_without_jitter": round(nj["p99_ms_after"], 1),
            },
        ),
    ]


if __name__ == "__main__":
    from bench.figures import table

    with tempfile.TemporaryDirectory() as where:
        figures = run(Options(workdir=Path(where), quick="--quick" in sys.argv))
    print(table(figures))
    for f in figures:
        print(f.name, f.details)

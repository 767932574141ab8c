"""Crash consistency on the server: ``city-server`` SIGKILLed mid-batch, on SQLite and PostgreSQL.

A real server (bench's ``CityServer``: its own process group; on PostgreSQL with two worker
processes) takes concurrent pushes from four devices, each with big batches of report
versions and photos sent in chunks.  A passthrough ``FaultProxy`` sits in between only to see
which requests are in flight.  At a seeded random moment, preferably while a batch or photo
chunk is in flight, the whole process group gets SIGKILL.  With the server dead, its database
and photo folder are checked directly (``server_kill_checks.RULES``): every version has its
report, its photo links and exactly one change-feed row, nothing points at a missing row, no
stored photo is anything but the photo.  Then the server starts again, the devices file more
and push on, and it is killed again.  At the end every device syncs to completion: every
submitted version is on the server exactly once (in the database and in the change feed),
every photo is complete, and every device shows its versions received.

PostgreSQL is mandatory under ``REQUIRE_POSTGRES=1`` (fails when unreachable), else skipped
without it.  ``SOAK_ITERATIONS`` raises the kills per backend (``SOAK_ITERATIONS // 20``).
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.server import CityServer
from informant_app.core.store.types import ReportState
from sync.client.api import Timeouts
from tests.integration.faultproxy import FaultProxy, Faults
from tests.integration.helpers import (
    SHUIGOU,
    WAFANG,
    Device,
    ServerView,
    assert_exactly_once,
    device,
    file_reports,
    soak_iterations,
    states_of,
)
from tests.integration.server_kill_checks import ServerStore, file_with_photos
from tests.server.conftest import make_db_url

KILLS = soak_iterations(1, per=20)
USERS = {"wafang_a": WAFANG, "wafang_b": WAFANG, "shuigou_a": SHUIGOU, "shuigou_b": SHUIGOU}
PASS = Faults(passthrough=1.0, delay=0, throttle=0, stall=0, reset=0, truncate=0)
MAX_ROUNDS = 60
#: Reports each device files before the first kill (half as many before each further one).
REPORTS = 40
BATCH = 20
TOTALS: Counter[str] = Counter()


@pytest.fixture(params=("sqlite", "postgresql"))
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CityServer]:
    url, schema = make_db_url(request.param, tmp_path / "city")
    workers = 2 if request.param == "postgresql" else 1
    env = {"CITY_DB_POOL_SIZE": "4", "CITY_DB_MAX_OVERFLOW": "2"}
    city = CityServer(tmp_path / "city", db_url=url, workers=workers, env=env)
    try:
        city.init()
        city.start()
        yield city
    finally:
        city.stop()
        if schema is not None:
            schema.drop()


def kill_group(city: CityServer) -> None:
    """SIGKILL the server's whole process group (master and workers) and reap it."""
    assert city.proc is not None
    os.killpg(city.proc.pid, signal.SIGKILL)
    city.proc.wait(timeout=10)
    city.proc = None


def push_until(dev: Device, url: str, stop: threading.Event, errors: list[str]) -> None:
    """Run rounds of ``dev`` until ``stop`` (a dead server makes them fail fast)."""
    engine = dev.engine(
        server_url=url,
        timeouts=Timeouts(connect=1.0, read=5.0),
        batch_size=BATCH,
        chunk_size=16 * 1024,
    )
    try:
        while not stop.is_set():
            engine.run_round()
    except Exception as exc:  # a round must never raise: report it
        errors.append(f"{dev.username}: {exc!r}")


def photo_originals(devices: dict[str, Device], versions: dict[str, list[str]]) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for name, dev in devices.items():
        for version in versions[name]:
            for photo in dev.store.version_content(version).photos:
                out[photo.sha256] = dev.store.photo_path(photo.sha256).read_bytes()
    return out


def test_server_killed_mid_batch(server: CityServer, tmp_path: Path) -> None:
    seed = zlib_seed(server.db_url)
    rng = random.Random(seed)
    devices = {u: device(server, tmp_path / u, u) for u in USERS}
    submitted: dict[str, list[str]] = {u: [] for u in USERS}
    store = ServerStore(server.db_url, server.folder / "photos")
    # Counts, and seconds: a Counter adds any numbers, though typeshed types its values int
    # (hence the ignores where seconds are added).
    figures: Counter[str] = Counter()
    clock = time.monotonic()
    with FaultProxy(server.port, seed=seed, faults=PASS) as proxy:
        for kill in range(KILLS):
            for i, (name, village) in enumerate(USERS.items()):
                dev = devices[name]
                submitted[name] += file_reports(
                    dev.store,
                    REPORTS if kill == 0 else REPORTS // 2,
                    village=village,
                    seed=seed + kill * 10 + i,
                )
                submitted[name] += file_with_photos(
                    dev.store,
                    tmp_path / "originals" / name,
                    1,
                    2,
                    seed=seed + kill * 10 + i,
                    village=village,
                )
            figures["filing_s"] += round(time.monotonic() - clock, 1)  # type: ignore[assignment]
            clock = time.monotonic()
            stop = threading.Event()
            errors: list[str] = []
            threads = [
                threading.Thread(target=push_until, args=(d, proxy.url, stop, errors))
                for d in devices.values()
            ]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.1, 1.2))
            deadline = time.monotonic() + 3.0
            while time.monotonic() < deadline and not _busy(proxy.in_flight()):
                time.sleep(0.002)
            time.sleep(rng.uniform(0.0, 0.03))
            flying = proxy.in_flight()
            kill_group(server)
            stop.set()
            for t in threads:
                t.join(timeout=60)
            assert not any(t.is_alive() for t in threads), "a round hung after the kill"
            assert not errors, errors
            figures["kills"] += 1
            figures["kills_with_batch_in_flight"] += any("reports/batch" in r for r in flying)
            figures["kills_with_photo_in_flight"] += any("/photos/" in r for r in flying)
            figures["requests_in_flight_at_kill"] += len(flying)
            stored = set(store.version_uuids())
            for name, dev in devices.items():
                states = states_of(dev.store, submitted[name])
                assert states[ReportState.SENDING] == 0, (name, states)
                unacked = [v for v in submitted[name] if v in stored]
                figures["stored_but_unacknowledged"] += len(unacked) - states[ReportState.RECEIVED]
            problems = store.violations(photo_originals(devices, submitted))
            assert not problems, f"kill {kill}: half-written items: {problems[:10]}"
            figures["kill_cycle_s"] += round(time.monotonic() - clock, 1)  # type: ignore[assignment]
            clock = time.monotonic()
            server.start()
        everything = [v for vs in submitted.values() for v in vs]
        for name, dev in devices.items():
            engine = dev.engine(server_url=proxy.url, timeouts=Timeouts(1.0, 5.0), batch_size=BATCH)
            for _ in range(MAX_ROUNDS):
                summary = engine.run_round()
                status = engine.status()
                if summary.problem is None and status.queued == 0 and status.photos_pending == 0:
                    break
            else:
                raise AssertionError(f"{name} did not converge: {engine.status()}")
            assert states_of(dev.store, submitted[name]) == {
                ReportState.RECEIVED: len(submitted[name])
            }, name
    figures["converge_s"] += round(time.monotonic() - clock, 1)  # type: ignore[assignment]
    copies = Counter(store.version_uuids())
    assert sorted(copies) == sorted(everything) and set(copies.values()) == {1}
    originals = photo_originals(devices, submitted)
    assert not store.violations(originals)
    complete = {sha for sha, c in store.rows("SELECT sha256, complete FROM photos") if c}
    assert complete == set(originals), "photos missing after convergence"
    view = ServerView(server)
    try:
        assert_exactly_once(view, everything)
        assert sum(view.versions.values()) == len(everything)
    finally:
        view.close()
    store.close()
    for dev in devices.values():
        dev.close()
    TOTALS.update(figures)
    print(
        f"server kill ({server.db_url.split(':')[0]}, {server.workers} worker(s)): "
        f"{len(everything)} versions, {len(originals)} photos; {dict(figures)}; "
        f"all so far {dict(TOTALS)}"
    )


def _busy(flying: list[str]) -> bool:
    return any("reports/batch" in r or "/photos/" in r for r in flying)


def zlib_seed(text: str) -> int:
    """A stable seed per backend (``hash()`` of a str changes between runs)."""
    import zlib

    return zlib.crc32(text.split(":")[0].encode()) % 10_000

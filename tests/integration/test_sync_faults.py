"""Guarantee (c): through a fault-injecting proxy everything converges, nothing twice or lost.

Between the app and the real server sits ``FaultProxy``: delays, bandwidth caps, stalls longer
than the read timeout, connection resets and truncated answers, drawn per connection.  Rounds
run until the device has nothing left to send; then the server holds every version exactly
once and every photo complete, and the other informant of the post, pulling through the same
proxy, sees them all.  ``SOAK_ITERATIONS`` repeats it with new seeds.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from informant_app.core.store import ReportStore
from informant_app.core.sync_engine import photo_progress
from informant_app.core.types import ReportState
from sync.client import SyncClient, Timeouts
from tests.integration.conftest import CityServer
from tests.integration.faultproxy import FaultProxy, Faults
from tests.integration.helpers import (
    ServerView,
    assert_exactly_once,
    device,
    file_reports,
    report_record,
    soak_iterations,
    states_of,
)

MAX_ROUNDS = 200
FAULTS = Faults(delay_seconds=(0.005, 0.05), bytes_per_second=256 * 1024, stall_seconds=1.5)


def photo_file(folder: Path, seed: int, size: int) -> Path:
    """Write an image file (PNG signature, random body) of ``size`` bytes."""
    rng = random.Random(seed)
    path = folder / f"photo-{seed}.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + rng.randbytes(size - 8))
    return path


def file_with_photos(store: ReportStore, folder: Path, n: int, photos: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        draft = store.new_draft()
        record = report_record("530502208201", rng)
        record["report_uuid"] = draft.report_uuid
        store.save_draft(draft.version_uuid, record)
        for k in range(photos):
            size = rng.randint(20_000, 80_000)
            store.add_photo(draft.version_uuid, photo_file(folder, seed * 100 + i * 10 + k, size))
        result = store.submit(draft.version_uuid)
        assert result.ok, result.issues
        out.append(draft.version_uuid)
    return out


def converge(engine_run: object, done: object) -> int:
    for rounds in range(1, MAX_ROUNDS + 1):
        engine_run()  # type: ignore[operator]
        if done():  # type: ignore[operator]
            return rounds
    raise AssertionError(f"no convergence in {MAX_ROUNDS} rounds")


@pytest.mark.parametrize("seed", range(soak_iterations(1, per=10)))
def test_faults_converge_exactly_once(live_city: CityServer, tmp_path: Path, seed: int) -> None:
    a = device(live_city, tmp_path / "a", "wafang_a")
    b = device(live_city, tmp_path / "b", "wafang_b")
    versions = file_reports(a.store, 80, seed=500 + seed)
    with_photos = file_with_photos(a.store, tmp_path, 2, photos=2, seed=600 + seed)
    versions += with_photos
    timeouts = Timeouts(connect=1.0, read=1.0)
    with FaultProxy(live_city.port, seed=seed, faults=FAULTS) as proxy:
        engine_a = a.engine(server_url=proxy.url, timeouts=timeouts, batch_size=25,
                            chunk_size=16 * 1024)
        rounds_a = converge(engine_a.run_round, lambda: (
            (s := engine_a.status()).queued == 0 and s.photos_pending == 0
            and s.last_problem is None))
        engine_b = b.engine(server_url=proxy.url, timeouts=timeouts, page_limit=40)
        rounds_b = converge(engine_b.run_round, lambda: (
            engine_b.status().last_problem is None
            and states_of(b.store, versions)[ReportState.RECEIVED] == len(versions)))
        stats = dict(proxy.stats)
    assert sum(stats.values()) - stats.get("pass", 0) > 0, stats  # faults did happen
    assert states_of(a.store, versions) == {ReportState.RECEIVED: len(versions)}
    for version in with_photos:
        progress = photo_progress(a.store, version)
        assert progress.received == progress.total == 2
    view = ServerView(live_city)
    try:
        assert_exactly_once(view, versions)
        check = SyncClient(live_city.url, device_id=view.client.device_id, token=view.client.token)
        for version in with_photos:
            for photo in a.store.version_content(version).photos:
                state = check.photo_state(photo.sha256)
                assert state.complete and state.received == photo.size
        check.close()
    finally:
        view.close()
    print(f"seed {seed}: A converged in {rounds_a} rounds, B in {rounds_b}; faults {stats}")
    a.close()
    b.close()

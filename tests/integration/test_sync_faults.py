"""Guarantee (c): through a fault-injecting proxy everything converges, nothing twice or lost.

Between the app and the real server sits ``FaultProxy``: latency, a bandwidth cap, stalls
longer than the read timeout, connection resets, truncated answers, half-open connections
(nothing forwarded, nothing closed) and garbled answers (status line and headers, gzip body,
digits of a plain JSON body), drawn per exchange.  Rounds run until the device has nothing
left to send; then the server holds every version exactly once and every photo complete, and
the other informant of the post, pulling through the same proxy, sees them all with the very
content that was sent (a garbled figure must never be stored as received).

- ``test_faults_converge_exactly_once``: every kind mixed, a bigger workload;
- ``test_each_fault_kind``: one kind at a time, each checked to have been injected;
- ``test_no_way_through``: every exchange broken: the round ends with a clear bilingual
  message, never a traceback, and the queue is kept.

``SOAK_ITERATIONS`` repeats them with new seeds; the faults injected per kind are printed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypedDict, cast

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from informant_app.core.store.models import ServerVersionRow
from informant_app.core.store.types import ReportState
from informant_app.core.sync.engine import photo_progress
from sync.client.api import SyncClient, Timeouts
from tests.integration.faultproxy import FaultProxy, Faults
from tests.integration.helpers import (
    Device,
    ServerView,
    assert_exactly_once,
    device,
    file_reports,
    soak_iterations,
    states_of,
)
from tests.integration.server_kill_checks import file_with_photos
from tests.support.city_server import CityServer

MAX_ROUNDS = 200
FAULTS = Faults(
    delay_seconds=(0.005, 0.05),
    bytes_per_second=256 * 1024,
    stall_seconds=1.5,
    half_open=0.5,
    garble=1.5,
    half_open_seconds=10.0,
)
TIMEOUTS = Timeouts(connect=1.0, read=1.0)


class Odds(TypedDict, total=False):
    """The plan weights of a :class:`Faults`, by plan name."""

    passthrough: float
    delay: float
    throttle: float
    stall: float
    reset: float
    truncate: float
    half_open: float
    garble: float


NONE: Odds = {
    "passthrough": 1.0,
    "delay": 0.0,
    "throttle": 0.0,
    "stall": 0.0,
    "reset": 0.0,
    "truncate": 0.0,
    "half_open": 0.0,
    "garble": 0.0,
}
#: One kind at a time: its weight (beside passthrough 1) and what ``injected`` counts it as.
KINDS = {
    "delay": 2.0,
    "throttle": 2.0,
    "stall": 0.4,
    "reset": 1.0,
    "truncate": 1.0,
    "half_open": 0.4,
    "garble": 2.0,
}
#: ``make test`` runs the two newest kinds alone (the mixed test covers the rest); a soak all.
EACH_KIND = (
    sorted(KINDS) if os.environ.get("SOAK_ITERATIONS", "").strip() else ["garble", "half_open"]
)
NO_WAY_THROUGH = (
    ["reset", "truncate", "half_open", "garble"] if len(EACH_KIND) > 2 else ["half_open", "garble"]
)
INJECTED: Counter[str] = Counter()
CJK = re.compile(r"[\u4e00-\u9fff]")


def converge(engine_run: Callable[[], object], done: Callable[[], bool]) -> int:
    for rounds in range(1, MAX_ROUNDS + 1):
        engine_run()
        if done():
            return rounds
    raise AssertionError(f"no convergence in {MAX_ROUNDS} rounds")


def canonical_hash(content: dict[str, object]) -> str:
    raw = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def sync_through(
    proxy: FaultProxy,
    live_city: CityServer,
    a: Device,
    b: Device,
    versions: list[str],
    with_photos: list[str],
) -> tuple[int, int]:
    """Converge A (push) and B (pull) through ``proxy``; check exactly once and intact."""
    engine_a = a.engine(
        server_url=proxy.url, timeouts=TIMEOUTS, batch_size=25, chunk_size=16 * 1024
    )
    rounds_a = converge(
        engine_a.run_round,
        lambda: (
            (s := engine_a.status()).queued == 0
            and s.photos_pending == 0
            and s.last_problem is None
        ),
    )
    engine_b = b.engine(server_url=proxy.url, timeouts=TIMEOUTS, page_limit=40)
    rounds_b = converge(
        engine_b.run_round,
        lambda: (
            engine_b.status().last_problem is None
            and states_of(b.store, versions)[ReportState.RECEIVED] == len(versions)
        ),
    )
    assert states_of(a.store, versions) == {ReportState.RECEIVED: len(versions)}
    for version in with_photos:
        progress = photo_progress(a.store, version)
        assert progress.received == progress.total == 2
    with Session(b.store.engine) as s:
        pulled = {
            r.version_uuid: r
            for r in s.scalars(
                select(ServerVersionRow).where(ServerVersionRow.version_uuid.in_(versions))
            )
        }
    assert sorted(pulled) == sorted(versions)
    for version in versions:  # what B holds is what A sent, to the last digit
        sent = a.store.version_content(version).to_dict()
        got = json.loads(pulled[version].content)
        assert canonical_hash(got) == canonical_hash(sent), f"{version} arrived changed"
        assert pulled[version].content_hash == canonical_hash(sent)
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
    return rounds_a, rounds_b


@pytest.mark.parametrize("seed", range(soak_iterations(1, per=10)))
def test_faults_converge_exactly_once(live_city: CityServer, tmp_path: Path, seed: int) -> None:
    a = device(live_city, tmp_path / "a", "wafang_a")
    b = device(live_city, tmp_path / "b", "wafang_b")
    versions = file_reports(a.store, 80, seed=500 + seed)
    with_photos = file_with_photos(a.store, tmp_path / "originals", 2, photos=2, seed=600 + seed)
    versions += with_photos
    with FaultProxy(live_city.port, seed=seed, faults=FAULTS) as proxy:
        rounds = sync_through(proxy, live_city, a, b, versions, with_photos)
        stats, injected = dict(proxy.stats), dict(proxy.injected)
    assert sum(injected.values()) > 0, stats  # faults did happen
    INJECTED.update(injected)
    print(
        f"seed {seed}: A converged in {rounds[0]} rounds, B in {rounds[1]}; planned {stats}; "
        f"injected {injected}; all so far {dict(INJECTED)}"
    )
    a.close()
    b.close()


@pytest.mark.parametrize("seed", range(soak_iterations(1, per=30)))
@pytest.mark.parametrize("kind", EACH_KIND)
def test_each_fault_kind(live_city: CityServer, tmp_path: Path, kind: str, seed: int) -> None:
    a = device(live_city, tmp_path / "a", "wafang_a")
    b = device(live_city, tmp_path / "b", "wafang_b")
    versions = file_reports(a.store, 30, seed=700 + seed)
    with_photos = file_with_photos(a.store, tmp_path / "originals", 1, photos=2, seed=800 + seed)
    versions += with_photos
    faults = Faults(
        **cast(Odds, {**NONE, kind: KINDS[kind]}),
        delay_seconds=(0.01, 0.08),
        bytes_per_second=128 * 1024,
        stall_seconds=1.3,
        half_open_seconds=10.0,
    )
    with FaultProxy(live_city.port, seed=1000 + seed, faults=faults) as proxy:
        rounds = sync_through(proxy, live_city, a, b, versions, with_photos)
        injected = dict(proxy.injected)
    fired = sum(n for k, n in injected.items() if k.startswith(kind))
    assert fired > 0, f"no {kind} fault took effect: {injected}"
    INJECTED.update(injected)
    print(
        f"{kind} seed {seed}: A in {rounds[0]} rounds, B in {rounds[1]}; injected {injected}; "
        f"all so far {dict(INJECTED)}"
    )
    a.close()
    b.close()


@pytest.mark.parametrize("kind", NO_WAY_THROUGH)
def test_no_way_through(live_city: CityServer, tmp_path: Path, kind: str) -> None:
    """Every exchange broken: a clear bilingual message, the queue kept, nothing doubled."""
    a = device(live_city, tmp_path / "a", "wafang_a")
    versions = file_reports(a.store, 10, seed=900)
    faults = Faults(
        **cast(Odds, {**NONE, "passthrough": 0.0, kind: 1.0}),
        fault_after_bytes=(0, 40),
        garble_bytes=(3, 6),
        half_open_seconds=5.0,
    )
    with FaultProxy(live_city.port, seed=7, faults=faults) as proxy:
        engine = a.engine(
            server_url=proxy.url, timeouts=Timeouts(connect=1.0, read=0.5), batch_size=5
        )
        summary = engine.run_round()
        injected = dict(proxy.injected)
    assert sum(injected.values()) > 0, injected
    INJECTED.update(injected)
    problem = summary.problem
    assert problem is not None, f"{kind}: a round through a broken link cannot succeed"
    assert CJK.search(problem.zh) and problem.en and "Traceback" not in problem.en, problem
    counts = states_of(a.store, versions)
    assert counts[ReportState.SENDING] == 0
    assert counts[ReportState.QUEUED] + counts[ReportState.RECEIVED] == len(versions), counts
    status = engine.status()
    assert status.last_problem is not None and status.queued == counts[ReportState.QUEUED]
    print(
        f"no way through ({kind}): {problem.kind.value}: {problem.zh} / {problem.en}; "
        f"injected {injected}"
    )
    again = a.engine(timeouts=TIMEOUTS, batch_size=5).run_round()  # straight to the server
    assert again.ok and again.still_queued == 0, again
    view = ServerView(live_city)
    try:
        assert_exactly_once(view, versions)
    finally:
        view.close()
    a.close()

"""Guarantee (b): the server stopped in the middle of a round.

The versions not yet acknowledged stay queued (none left ``sending``); the round reports a
network problem; when the server is back the next round sends them, each exactly once.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from informant_app.core.store.types import ReportState
from informant_app.core.sync.types import RoundSummary, SyncErrorKind
from sync.client.api import Timeouts
from tests.integration.helpers import (
    ServerView,
    assert_exactly_once,
    device,
    file_reports,
    soak_iterations,
    states_of,
)
from tests.support.city_server import CityServer


@pytest.mark.parametrize("iteration", range(soak_iterations(1, per=10)))
def test_server_stopped_mid_round_then_back(
    live_city: CityServer, tmp_path: Path, iteration: int
) -> None:
    dev = device(live_city, tmp_path / "a", "wafang_a")
    versions = file_reports(dev.store, 300, seed=200 + iteration)
    engine = dev.engine(batch_size=3, timeouts=Timeouts(2.0, 5.0))
    result: list[RoundSummary] = []
    worker = threading.Thread(target=lambda: result.append(engine.run_round()))
    worker.start()
    deadline = time.monotonic() + 30
    while states_of(dev.store, versions)[ReportState.RECEIVED] < 3 + iteration % 40:
        assert time.monotonic() < deadline, "the round never got going"
        time.sleep(0.005)
    live_city.stop()
    worker.join(timeout=60)
    assert not worker.is_alive()
    summary = result[0]
    try:
        assert summary.problem is not None
        assert summary.problem.kind is SyncErrorKind.NETWORK
        counts = states_of(dev.store, versions)
        assert counts[ReportState.SENDING] == 0  # the batch in flight went back to the queue
        assert counts[ReportState.QUEUED] == summary.still_queued > 0
        assert counts[ReportState.RECEIVED] + counts[ReportState.QUEUED] == len(versions)
        status = engine.status()
        assert status.online is False and status.queued == summary.still_queued
        assert status.last_problem is not None and status.failures == 1
    finally:
        live_city.start()
    again = engine.run_round()
    assert again.ok and again.still_queued == 0, again
    assert states_of(dev.store, versions) == {ReportState.RECEIVED: len(versions)}
    assert engine.status().failures == 0
    view = ServerView(live_city)
    try:
        assert_exactly_once(view, versions)
    finally:
        view.close()
    dev.close()

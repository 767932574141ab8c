"""Guarantee (a): ``informant-app sync`` killed with SIGKILL at random moments while pushing.

The data folder holds 200 queued reports; a sync process is started and killed (SIGKILL) at a
random moment, again and again (``SOAK_ITERATIONS`` times under ``make soak``, each adding a
few more reports); then a last run finishes.  The server must hold every submitted version
exactly once, and the device must show them all received.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState
from tests.integration.helpers import (
    ServerView,
    assert_exactly_once,
    device,
    file_reports,
    soak_iterations,
    states_of,
)
from tests.support.city_server import ROOT, CityServer


def sync_process(folder: Path, batch: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "INFORMANT_SYNC_BATCH_SIZE": str(batch),
        "INFORMANT_TOKEN_STORAGE": "file",
        "INFORMANT_SYNC_TIMEOUT": "10",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "informant_app", "--data-dir", str(folder), "sync"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )


def test_sigkill_at_random_moments_then_every_version_exactly_once(
    live_city: CityServer, tmp_path: Path
) -> None:
    folder = tmp_path / "wafang_a"
    dev = device(live_city, folder, "wafang_a")
    versions = file_reports(dev.store, 200, seed=11)
    dev.close()
    rng = random.Random(20250101)
    iterations = soak_iterations(3)
    mid_push = 0
    for i in range(iterations):
        if i > 0:  # under soak every iteration brings new work to be killed in the middle of
            with ReportStore.open(folder) as store:
                versions += file_reports(store, 10, seed=1000 + i)
        proc = sync_process(folder, batch=rng.choice((5, 10, 20)))
        time.sleep(rng.uniform(0.2, 1.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
        with ReportStore.open(folder) as store:
            counts = states_of(store, versions)
        if (
            counts[ReportState.RECEIVED]
            and counts[ReportState.QUEUED] + counts[ReportState.SENDING]
        ):
            mid_push += 1
    # Then run again until done.
    for _ in range(5):
        proc = sync_process(folder, batch=50)
        out, _err = proc.communicate(timeout=120)
        summary = json.loads(out.decode().strip().splitlines()[-1])
        if proc.returncode == 0:
            break
    assert proc.returncode == 0, summary
    assert summary["still_queued"] == 0 and summary["ok"], summary

    view = ServerView(live_city)
    try:
        assert_exactly_once(view, versions)
    finally:
        view.close()
    with ReportStore.open(folder) as store:
        assert states_of(store, versions) == {ReportState.RECEIVED: len(versions)}
        assert store.outbox_size() == 0
    held = {r["current_version_uuid"] for r in live_city.reports()}
    assert set(versions) <= held  # the operator's CLI agrees
    print(f"{iterations} SIGKILLs, {mid_push} in the middle of a push")

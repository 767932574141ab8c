"""The sync controller runs rounds on its own thread against a real city server."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtNetwork import QNetworkInformation
from pytestqt.qtbot import QtBot

from informant_app.app import sync_interval
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState
from informant_app.core.sync.types import Account, RoundSummary, SyncErrorKind, SyncStatus
from informant_app.ui.sync.controller import CALM_INTERVAL, SyncController
from tests.informant_app.ui.helpers import state_of, submitted_report
from tests.support.city_server import CityServer

Call = Callable[[Callable[[ReportStore], Any]], Any]
Seed = Callable[[Callable[[ReportStore], Any]], Any]


def test_a_round_at_start_up_sends_the_queue_and_reports_the_status(
    qtbot: QtBot,
    sign_in_as: Callable[..., Account],
    seed: Seed,
    call: Call,
    make_controller: Callable[..., SyncController],
) -> None:
    sign_in_as("wafang_a")
    version = seed(submitted_report)
    controller = make_controller(start=False)
    statuses: list[SyncStatus] = []
    summaries: list[RoundSummary] = []
    controller.status_changed.connect(statuses.append)
    controller.round_finished.connect(summaries.append)
    with qtbot.waitSignals(
        [controller.round_started, controller.round_finished, controller.reports_changed],
        timeout=30_000,
    ):
        controller.start()
    [summary] = summaries
    assert summary.ok and summary.pushed == 1 and summary.still_queued == 0
    assert statuses[-1].online is True and statuses[-1].queued == 0
    assert statuses[-1].last_success_at is not None
    assert call(lambda store: state_of(store, version)) is ReportState.RECEIVED
    # calm after a success: the next round waits about a minute
    assert controller.next_round_in_ms is not None
    assert controller.next_round_in_ms > (CALM_INTERVAL - 5) * 1000


def test_sync_now_and_submit_run_one_round_at_a_time(
    qtbot: QtBot, sign_in_as: Callable[..., Account], make_controller: Callable[..., SyncController]
) -> None:
    sign_in_as("wafang_a")
    controller = make_controller(start=False)
    threads: set[str] = set()
    started: list[int] = []
    controller.round_started.connect(lambda: started.append(1))
    controller.round_finished.connect(lambda _s: threads.add(threading.current_thread().name))
    with qtbot.waitSignal(controller.round_finished, timeout=30_000):
        controller.start()
        # asked three times during the start-up round: one more round, not three
        controller.sync_now()
        controller.on_submitted("x")
        controller.sync_now()
        assert controller.running
    qtbot.waitUntil(lambda: len(started) == 2 and not controller.running, timeout=30_000)
    # settled: no request is left over once the next round is the timed one
    qtbot.waitUntil(lambda: controller.next_round_in_ms is not None)
    assert len(started) == 2
    assert threads == {threading.main_thread().name}  # signals arrive on the GUI thread


def test_a_network_hint_runs_a_round(
    qtbot: QtBot, sign_in_as: Callable[..., Account], make_controller: Callable[..., SyncController]
) -> None:
    sign_in_as("wafang_a")
    controller = make_controller()
    qtbot.waitUntil(
        lambda: controller.last_summary is not None and not controller.running, timeout=30_000
    )
    with qtbot.assertNotEmitted(controller.round_started, wait=100):
        controller.on_reachability_changed(QNetworkInformation.Reachability.Disconnected)
    with qtbot.waitSignal(controller.round_finished, timeout=30_000):
        controller.on_reachability_changed(QNetworkInformation.Reachability.Online)


def test_failures_back_off_and_the_reports_stay_queued(
    qtbot: QtBot,
    own_city_server: CityServer,
    sign_in_as: Callable[..., Account],
    seed: Seed,
    make_controller: Callable[..., SyncController],
) -> None:
    own_city_server.start()
    sign_in_as("wafang_a", own_city_server)
    own_city_server.stop()
    seed(submitted_report)
    controller = make_controller(start=False)
    with qtbot.waitSignal(controller.round_finished, timeout=30_000) as blocker:
        controller.start()
    summary = blocker.args[0]
    assert summary.problem is not None and summary.problem.kind is SyncErrorKind.NETWORK
    assert summary.still_queued == 1
    assert controller.failures == 1
    assert controller.status is not None and controller.status.online is False
    waiting = controller.next_round_in_ms
    assert waiting is not None and waiting <= 5_250  # the first retry comes soon

    own_city_server.start()
    with qtbot.waitSignal(controller.round_finished, timeout=30_000) as blocker:
        controller.sync_now()
    assert blocker.args[0].ok and blocker.args[0].pushed == 1
    assert controller.failures == 0


def test_without_an_account_no_round_is_planned(
    qtbot: QtBot, make_controller: Callable[..., SyncController]
) -> None:
    controller = make_controller(start=False)
    with qtbot.waitSignal(controller.round_finished, timeout=30_000) as blocker:
        controller.start()
    assert blocker.args[0].problem.kind is SyncErrorKind.NOT_SIGNED_IN
    assert controller.status is not None and not controller.status.signed_in
    assert controller.next_round_in_ms is None


def test_the_network_backend_is_watched_when_there_is_one(
    qtbot: QtBot, make_controller: Callable[..., SyncController]
) -> None:
    controller = make_controller(watch_network=True)
    qtbot.waitUntil(
        lambda: controller.last_summary is not None and not controller.running, timeout=30_000
    )
    info = QNetworkInformation.instance()
    if info is not None:  # offscreen without a backend the timer alone drives the rounds
        with qtbot.waitSignal(controller.round_started):
            info.reachabilityChanged.emit(QNetworkInformation.Reachability.Online)
        qtbot.waitUntil(lambda: not controller.running, timeout=30_000)
    controller.stop()  # a second stop (teardown) is harmless


def test_a_shorter_interval_caps_every_wait(
    qtbot: QtBot,
    own_city_server: CityServer,
    sign_in_as: Callable[..., Account],
    make_controller: Callable[..., SyncController],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    own_city_server.start()
    sign_in_as("wafang_a", own_city_server)
    controller = make_controller(start=False, calm_interval=3.0, max_delay=2.0)
    with qtbot.waitSignal(controller.round_finished, timeout=30_000):
        controller.start()
    waiting = controller.next_round_in_ms
    assert waiting is not None and waiting <= 2_100  # a coarse timer: 5 %
    own_city_server.stop()
    with qtbot.waitSignal(controller.round_finished, timeout=30_000) as blocker:
        pass  # the timed round comes by itself
    assert blocker.args[0].problem is not None
    waiting = controller.next_round_in_ms
    assert waiting is not None and waiting <= 2_100  # a coarse timer: 5 %

    monkeypatch.setenv("INFORMANT_SYNC_INTERVAL", "10")
    assert sync_interval() == 10.0
    monkeypatch.setenv("INFORMANT_SYNC_INTERVAL", "soon")
    assert sync_interval() is None

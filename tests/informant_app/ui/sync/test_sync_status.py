"""The status bar says, in plain words, whether reports can go out and what stopped them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from pytestqt.qtbot import QtBot

from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.engine import SyncEngine
from informant_app.core.sync.types import Account, SyncStatus
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.sync.status import SyncStatusBar
from informant_app.ui.window.main_window import MainWindow
from tests.informant_app.ui.helpers import submitted_report
from tests.support.city_server import CityServer

Seed = Callable[[Callable[[ReportStore], Any]], Any]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_offline_with_the_server_down_and_the_last_error_in_chinese(
    qtbot: QtBot,
    chinese: None,
    own_city_server: CityServer,
    sign_in_as: Callable[..., Account],
    seed: Seed,
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    own_city_server.start()
    sign_in_as("wafang_a", own_city_server)
    own_city_server.stop()
    seed(submitted_report)
    controller = make_controller(start=False)
    window = make_window("zh_CN", sync=controller)
    with qtbot.waitSignal(controller.round_finished, timeout=30_000):
        controller.start()
    bar = window.sync_actions.status_bar if window.sync_actions else None
    assert isinstance(bar, SyncStatusBar)
    status = controller.status
    assert status is not None and status.last_problem is not None
    assert "离线" in bar.connection.text()
    assert bar.problem.isVisible()
    assert bar.problem.text() == status.last_problem.zh
    assert CHINESE.search(bar.problem.text())
    assert bar.queue.text() == "待发送：1"
    assert bar.last_sync.text() == "尚未同步"

    own_city_server.start()
    assert window.sync_actions is not None
    with qtbot.waitSignal(controller.round_finished, timeout=30_000):
        window.sync_actions.act_sync_now.trigger()
    assert "在线" in bar.connection.text()
    assert not bar.problem.isVisible()
    assert bar.queue.text() == "待发送：0"
    assert bar.last_sync.text().startswith("上次同步：")


def test_syncing_shows_while_a_round_runs(
    qtbot: QtBot,
    sign_in_as: Callable[..., Account],
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    sign_in_as("wafang_a")
    controller = make_controller(start=False)
    window = make_window("en", sync=controller)
    bar = window.sync_actions.status_bar if window.sync_actions else None
    assert bar is not None
    with qtbot.waitSignal(controller.round_started):
        controller.start()
    assert "Syncing" in bar.connection.text()
    qtbot.waitUntil(lambda: not controller.running, timeout=30_000)
    assert "Online" in bar.connection.text()


def test_a_device_clock_a_day_ahead_is_shown(
    qtbot: QtBot,
    chinese: None,
    sign_in_as: Callable[..., Account],
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    sign_in_as("wafang_b")

    def ahead() -> datetime:
        return datetime.now(UTC) + timedelta(days=1)

    controller = make_controller(
        start=False, engine_factory=lambda store: SyncEngine(store, clock=ahead)
    )
    window = make_window("zh_CN", sync=controller)
    with qtbot.waitSignal(controller.round_finished, timeout=30_000):
        controller.start()
    bar = window.sync_actions.status_bar if window.sync_actions else None
    assert bar is not None and bar.skew.isVisible()
    assert bar.skew.text() == "本机时间比服务器快 24 小时"


def test_clock_and_duration_texts(qtbot: QtBot) -> None:
    bar = SyncStatusBar("en")
    qtbot.addWidget(bar)
    assert bar.skew_text(None) == ""
    assert bar.skew_text(120) == ""
    assert bar.skew_text(86_400) == "This computer's clock is 24 hours ahead of the server"
    assert bar.skew_text(-3_600) == "This computer's clock is 1 hour behind the server"
    assert bar.skew_text(-600) == "This computer's clock is 10 minutes behind the server"
    assert bar.skew_text(5 * 86_400) == "This computer's clock is 5 days ahead of the server"


def test_not_signed_in_says_so(qtbot: QtBot) -> None:
    bar = SyncStatusBar("en")
    qtbot.addWidget(bar)
    bar.set_status(
        SyncStatus(
            signed_in=False,
            online=None,
            last_success_at=None,
            queued=2,
            errors=0,
            conflicts=0,
            photos_pending=0,
        )
    )
    assert "Not signed in" in bar.connection.text()
    assert bar.queue.text() == "To send: 2"

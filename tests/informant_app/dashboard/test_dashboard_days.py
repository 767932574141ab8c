"""The overview's day choice against a real city server (pytest-qt, the real task manager).

瓦房社区 files a report of a flood dated yesterday (China time).  The township reviewer of
瓦房彝族苗族乡 opens the dashboard: today's view shows the server's standing now; picking
yesterday asks ``GET /townships/{code}/completeness?event_uuid=&day=`` and shows 瓦房社区
filed at the end of that day, and the label says what the standing on a day means; the day
before, it had not reported.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from informant_app.core.dashboard.board import Board, Standing
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.engine import sign_in
from informant_app.ui.common.errors import ErrorPresenter
from informant_app.ui.dashboard.page import DashboardPage, china_today
from informant_app.ui.tasks.manager import TaskManager
from sync.client.api import SyncClient
from tests.server.factories import content, item
from tests.support.city_server import CityServer
from tests.support.places import SHUIGOU, WAFANG, WAFANG_TOWNSHIP

WAIT = 30_000


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CityServer]:
    """One city server with the Baoshan sample for this module."""
    with CityServer(tmp_path_factory.mktemp("dashboard-days")) as server:
        yield server


def file_on(city: CityServer, day: date, event: str) -> None:
    """瓦房社区's informant files a report of ``event`` submitted at 07:20 on ``day``."""
    stamp = f"{day.isoformat()}T07:20:00+08:00"
    body = content(
        WAFANG,
        event_uuid=event,
        event_name="瓦房洪涝",
        figures={"affected_pop": 12},
        occurred_at=f"{day.isoformat()}T05:30:00+08:00",
        data_cutoff_at=f"{day.isoformat()}T07:00:00+08:00",
        submitted_at=stamp,
    )
    with SyncClient(city.url, device_id="dev-wafang_a") as client:
        client.login("wafang_a", city.password("wafang_a"), device_name="wafang_a")
        [result] = client.push_batch([item(body)], datetime.now(UTC)).results
    assert result.status == "accepted", result


def test_the_township_picks_a_past_day_and_sees_who_reported_then(
    qtbot: QtBot, worker: TaskManager, data_dir: Path, city: CityServer
) -> None:
    yesterday = china_today() - timedelta(days=1)
    event = str(uuid.uuid4())
    file_on(city, yesterday, event)
    store = ReportStore.open(data_dir)
    try:
        account = sign_in(store, city.url, "wafang_reviewer", city.password("wafang_reviewer"))
    finally:
        store.close()
    host = QWidget()
    qtbot.addWidget(host)
    page = DashboardPage(worker, "en", ErrorPresenter(host, "en", None), account, host)
    host.show()
    boards: list[Board] = []
    page.board_shown.connect(boards.append)
    assert page.day() is None  # today: the standing now
    assert "24:00" in page.day_edit.toolTip()
    with qtbot.waitSignal(page.events_shown, timeout=WAIT):
        page.start()
    page.choose_event(event, "initial")
    qtbot.waitUntil(lambda: any(b.event_uuid == event for b in boards), timeout=WAIT)
    qtbot.waitUntil(lambda: page.busy_jobs == 0, timeout=WAIT)
    assert page.board is not None and page.board.day is None
    assert "now" in page.counts.text()

    boards.clear()
    page.choose_day(yesterday)
    assert page.day() == yesterday
    qtbot.waitUntil(lambda: any(b.day == yesterday for b in boards), timeout=WAIT)
    board = boards[-1]
    assert board.unit_code == WAFANG_TOWNSHIP
    standing = {line.code: line.standing for line in board.lines}
    assert standing[WAFANG] is Standing.FILED
    assert standing[SHUIGOU] is Standing.NONE  # no opening, no report that day
    assert f"at the end of {yesterday.isoformat()}" in page.counts.text()

    boards.clear()
    before = yesterday - timedelta(days=1)
    page.choose_day(before)
    qtbot.waitUntil(lambda: any(b.day == before for b in boards), timeout=WAIT)
    standing = {line.code: line.standing for line in boards[-1].lines}
    assert standing[WAFANG] is not Standing.FILED  # it reported the day after
    qtbot.waitUntil(lambda: page.busy_jobs == 0, timeout=WAIT)

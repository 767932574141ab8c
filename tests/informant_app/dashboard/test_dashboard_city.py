"""The dashboard against a real city server, through the real task manager.

Two villages of 瓦房彝族苗族乡 file an initial report of one flood; the township approves them
and submits its total.  The county admin of 隆阳区 opens the dashboard: the event is among the
open events, the township's submitted totals wait for the county's decision, and nothing counts
yet.  A return without a reason is refused on the device; the admin passes the report, and the
board shows 瓦房 counted with the village figures added up, in the table and the bar chart.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from informant_app.core.dashboard import online as dashboard
from informant_app.core.dashboard.board import Board
from informant_app.core.review.types import ReviewRefusedError
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.engine import sign_in
from informant_app.ui.common.errors import ErrorPresenter
from informant_app.ui.dashboard.page import DashboardPage
from informant_app.ui.tasks.manager import TaskManager
from sync.client.api import SyncClient
from tests.server.factories import content, item
from tests.support.city_server import CityServer
from tests.support.places import LONGYANG, SHUIGOU, WAFANG, WAFANG_TOWNSHIP

WAIT = 30_000
EVENT_NAME = "2026年7月1日隆阳区洪涝"
W = {"affected_pop": 120, "house_collapsed_hh": 2, "house_collapsed_rooms": 6, "direct_loss": 150.5}
S = {"affected_pop": 30, "crop_affected_ha": 1.05, "direct_loss": 10.01}


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CityServer]:
    """One city server with the Baoshan sample for this module."""
    with CityServer(tmp_path_factory.mktemp("dashboard-city")) as server:
        yield server


def client_of(city: CityServer, username: str) -> SyncClient:
    client = SyncClient(city.url, device_id=f"dev-{username}")
    client.login(username, city.password(username), device_name=username)
    return client


def file(city: CityServer, user: str, village: str, event: str, figures: dict[str, Any]) -> str:
    body = content(
        village,
        event_uuid=event,
        event_name=EVENT_NAME,
        figures=figures,
        occurred_at="2026-07-01T05:30:00+08:00",
        data_cutoff_at="2026-07-01T07:00:00+08:00",
        submitted_at="2026-07-01T07:20:00+08:00",
    )
    version = item(body)
    with client_of(city, user) as client:
        [result] = client.push_batch([version], datetime.now(UTC)).results
    assert result.status == "accepted", result
    return str(version["version_uuid"])


def township_files_and_submits(city: CityServer, event: str) -> Any:
    w = file(city, "wafang_a", WAFANG, event, W)
    s = file(city, "shuigou_a", SHUIGOU, event, S)
    with client_of(city, "wafang_reviewer") as reviewer:
        decisions = [
            {"decision_uuid": str(uuid.uuid4()), "version_uuid": v, "decision": "approve"}
            for v in (w, s)
        ]
        results = reviewer.push_decisions(decisions, datetime.now(UTC)).results
        assert [r.status for r in results] == ["accepted", "accepted"]
        live = reviewer.township_report(WAFANG_TOWNSHIP, event, "initial")
        submitted = reviewer.submit_township_report(
            WAFANG_TOWNSHIP,
            event,
            "initial",
            submission_uuid=str(uuid.uuid4()),
            figures=live.total,
        )
    return submitted.report


def added(*many: dict[str, Any]) -> dict[str, Decimal]:
    total: dict[str, Decimal] = {}
    for figures in many:
        for k, v in figures.items():
            total[k] = total.get(k, Decimal(0)) + Decimal(str(v))
    return total


def test_the_county_sees_the_township_total_and_passes_it(
    qtbot: QtBot, worker: TaskManager, data_dir: Path, city: CityServer
) -> None:
    event = str(uuid.uuid4())
    submitted = township_files_and_submits(city, event)
    store = ReportStore.open(data_dir)
    try:
        account = sign_in(store, city.url, "longyang_admin", city.password("longyang_admin"))
        # the device refuses a return without a reason before asking the server
        with pytest.raises(ReviewRefusedError) as refused:
            dashboard.decide(store, event, "initial", submitted.submission_uuid, "return", " ")
        assert refused.value.code == "reason_required"
    finally:
        store.close()

    host = QWidget()
    qtbot.addWidget(host)
    page = DashboardPage(worker, "en", ErrorPresenter(host, "en", None), account, host)
    page.resize(1366, 700)
    host.show()
    page.show()
    boards: list[Board] = []
    page.board_shown.connect(boards.append)
    with qtbot.waitSignal(page.events_shown, timeout=WAIT):
        page.start()
    assert event in [e.event_uuid for e in page.events]
    page.choose_event(event, "initial")
    qtbot.waitUntil(lambda: any(b.event_uuid == event for b in boards), timeout=WAIT)
    qtbot.waitUntil(lambda: page.busy_jobs == 0, timeout=WAIT)
    board = page.board
    assert board is not None and board.unit_code == LONGYANG and board.event_uuid == event
    [waiting] = board.waiting
    assert (waiting.unit_code, waiting.submission_uuid) == (
        WAFANG_TOWNSHIP,
        submitted.submission_uuid,
    )
    assert {k: Decimal(str(v)) for k, v in waiting.figures.items()} == added(W, S)
    line = next(x for x in board.lines if x.code == WAFANG_TOWNSHIP)
    assert not line.counted and line.waiting is not None
    assert page.waiting_model.rowCount() == 1 and "(1)" in page.tabs.tabText(1)

    # select the waiting report and pass it with the button
    page.tabs.setCurrentIndex(1)
    page.waiting_table.selectRow(0)
    assert page.pass_button.isEnabled() and page.return_button.isEnabled()
    boards.clear()
    with qtbot.waitSignal(page.decided, timeout=WAIT) as decided:
        page.pass_button.click()
    assert decided.args[0].decision.decision == "pass"
    assert decided.args[0].decision.decided_by == "longyang_admin"
    qtbot.waitUntil(lambda: bool(boards), timeout=WAIT)
    board = boards[-1]
    assert board.waiting == [] and page.waiting_model.rowCount() == 0
    line = next(x for x in board.lines if x.code == WAFANG_TOWNSHIP)
    assert line.counted and line.waiting is None
    assert dict(line.figures) == added(W, S)
    assert board.total == added(W, S)
    bars = dict(page.bar_chart.values())
    assert bars[line.name] == Decimal(150)
    assert [v for _t, v, _n in page.step_chart.steps()] == [Decimal(150)]
    qtbot.waitUntil(lambda: page.summary is not None, timeout=WAIT)
    assert page.summary is not None and page.summary.code == LONGYANG

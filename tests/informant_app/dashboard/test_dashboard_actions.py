"""The county's and the city's actions on the dashboard, against a real city server.

Two villages of 瓦房彝族苗族乡 file an initial report of a flood; the township approves them and
submits.  The county admin of 隆阳区 passes the township on the dashboard, adds a reasoned
adjustment through the dialog and submits upward; a verified report is refused by the server
(瓦房 has filed no verified one) and the refusal shows in Chinese.  The county's report is
exported as .xlsx (填报单位 = 隆阳区) and PDF.  The city's dashboard then shows 隆阳区's report
waiting with the county's total.  Last, two floods of 隆阳区 are merged from the dashboard: the
second leaves the open events and its village's figures count in the first's totals.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from informant_app.app import open_store
from informant_app.core.dashboard.board import Board
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.engine import sign_in
from informant_app.core.sync.types import Account
from informant_app.ui.common.errors import ErrorPresenter
from informant_app.ui.dashboard.dialogs import MergeDialog, UnitAdjustmentDialog
from informant_app.ui.dashboard.page import DashboardPage
from informant_app.ui.tasks.manager import TaskManager
from sync.client.api import SyncClient
from tests.server.factories import content, item
from tests.support.city_server import CityServer
from tests.support.places import BAOSHAN, LONGYANG, SHUIGOU, WAFANG, WAFANG_TOWNSHIP

WAIT = 30_000
W = {"affected_pop": 120, "house_collapsed_hh": 2, "house_collapsed_rooms": 6, "direct_loss": 150.5}
S = {"affected_pop": 30, "crop_affected_ha": 1.05, "direct_loss": 10.01}


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CityServer]:
    """One city server with the Baoshan sample for this module."""
    with CityServer(tmp_path_factory.mktemp("dashboard-actions")) as server:
        yield server


def client_of(city: CityServer, username: str) -> SyncClient:
    client = SyncClient(city.url, device_id=f"dev-{username}")
    client.login(username, city.password(username), device_name=username)
    return client


def file(
    city: CityServer, user: str, village: str, event: str, name: str, figures: dict[str, Any]
) -> str:
    """File an initial report of ``event`` for ``village``; return its version."""
    body = content(
        village,
        event_uuid=event,
        event_name=name,
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


def approve(city: CityServer, versions: list[str]) -> None:
    with client_of(city, "wafang_reviewer") as reviewer:
        decisions = [
            {"decision_uuid": str(uuid.uuid4()), "version_uuid": v, "decision": "approve"}
            for v in versions
        ]
        results = reviewer.push_decisions(decisions, datetime.now(UTC)).results
        assert {r.status for r in results} == {"accepted"}


def township_submits(city: CityServer, event: str) -> str:
    """瓦房彝族苗族乡 submits its live initial report of ``event``; return the submission."""
    with client_of(city, "wafang_reviewer") as reviewer:
        live = reviewer.township_report(WAFANG_TOWNSHIP, event, "initial")
        submitted = reviewer.submit_township_report(
            WAFANG_TOWNSHIP,
            event,
            "initial",
            submission_uuid=str(uuid.uuid4()),
            figures=live.total,
        )
    return submitted.report.submission_uuid


def added(*many: dict[str, Any]) -> dict[str, Decimal]:
    total: dict[str, Decimal] = {}
    for figures in many:
        for k, v in figures.items():
            total[k] = total.get(k, Decimal(0)) + Decimal(str(v))
    return total


def nonzero(figures: Any) -> dict[str, Decimal]:
    return {k: Decimal(str(v)) for k, v in dict(figures).items() if Decimal(str(v))}


def signed_in(folder: Path, city: CityServer, username: str) -> Account:
    store = ReportStore.open(folder)
    try:
        return sign_in(store, city.url, username, city.password(username))
    finally:
        store.close()


@pytest.fixture
def open_page(qtbot: QtBot) -> Iterator[Any]:
    """Opens dashboard pages, each with its own store and task manager (stopped at the end)."""
    managers: list[TaskManager] = []

    def make(folder: Path, account: Account, lang: str = "en") -> tuple[DashboardPage, Any]:
        tasks = TaskManager(lambda: open_store(folder))
        opened: list[object] = []
        tasks.open(on_done=opened.append)
        qtbot.waitUntil(lambda: bool(opened))
        managers.append(tasks)
        host = QWidget()
        qtbot.addWidget(host)
        errors = ErrorPresenter(host, lang, None)
        page = DashboardPage(tasks, lang, errors, account, host, export_dir=folder)
        page.resize(1366, 700)
        host.show()
        with qtbot.waitSignal(page.events_shown, timeout=WAIT):
            page.start()
        return page, errors

    yield make
    for tasks in managers:
        qtbot.waitUntil(lambda t=tasks: t.pending == 0, timeout=WAIT)  # type: ignore[misc]
        tasks.stop()


def show_event(qtbot: QtBot, page: DashboardPage, event: str, stage: str = "initial") -> Board:
    boards: list[Board] = []
    page.board_shown.connect(boards.append)
    page.choose_event(event, stage)
    qtbot.waitUntil(
        lambda: any(b.event_uuid == event and b.stage == stage for b in boards), timeout=WAIT
    )
    qtbot.waitUntil(lambda: page.busy_jobs == 0, timeout=WAIT)
    page.board_shown.disconnect(boards.append)
    assert page.board is not None
    return page.board


def next_board(qtbot: QtBot, page: DashboardPage, action: Any) -> Board:
    boards: list[Board] = []
    page.board_shown.connect(boards.append)
    action()
    qtbot.waitUntil(lambda: bool(boards), timeout=WAIT)
    qtbot.waitUntil(lambda: page.busy_jobs == 0, timeout=WAIT)
    page.board_shown.disconnect(boards.append)
    return boards[-1]


def test_the_county_submits_exports_and_the_city_sees_it(
    qtbot: QtBot, open_page: Any, tmp_path: Path, city: CityServer, chinese: None
) -> None:
    event = str(uuid.uuid4())
    name = "2026年7月1日隆阳区洪涝"
    approve(
        city,
        [
            file(city, "wafang_a", WAFANG, event, name, W),
            file(city, "shuigou_a", SHUIGOU, event, name, S),
        ],
    )
    submission = township_submits(city, event)
    county = signed_in(tmp_path / "county", city, "longyang_admin")
    page, errors = open_page(tmp_path / "county", county, "zh_CN")
    dialogs: list[Any] = []
    page.dialog_opened.connect(dialogs.append)
    board = show_event(qtbot, page, event)
    assert page.submit_button.isVisible() and page.merge_button.isVisible()
    # nothing passed yet: the county's report adds up to nothing
    assert board.report is not None and not nonzero(board.total)
    assert not page.submit_button.isEnabled() and page.xlsx_button.isEnabled()

    # pass the township's report, then adjust with a reason
    [waiting] = board.waiting
    assert waiting.submission_uuid == submission
    board = next_board(qtbot, page, lambda: page.decide(waiting, "pass"))
    assert nonzero(board.total) == nonzero(added(W, S))
    assert page.adjust_button.isEnabled() and page.submit_button.isEnabled()
    page.adjust_button.click()
    dialog = dialogs[-1]
    assert isinstance(dialog, UnitAdjustmentDialog)
    assert dialog.objectName() == "unit_adjustment_dialog"
    dialog.field.setCurrentIndex(dialog.field.findData("affected_pop"))
    dialog.delta.setText("5")
    assert not dialog.ok_button.isEnabled()  # no reason yet
    dialog.reason.setText("板桥镇借住的5人由县民政局统计")
    with qtbot.waitSignal(page.adjusted, timeout=WAIT):
        board = next_board(qtbot, page, dialog.ok_button.click)
    qtbot.waitUntil(lambda: page.board is not None and page.board.adjustments == 1, timeout=WAIT)
    board = page.board
    assert board is not None
    expected = nonzero(added(W, S, {"affected_pop": 5}))
    assert nonzero(board.total) == expected

    # submit upward: a confirmation, then the server's answer
    page.submit_button.click()
    box = dialogs[-1]
    assert isinstance(box, QMessageBox) and "隆阳区" in box.text()
    with qtbot.waitSignal(page.submitted, timeout=WAIT) as submitted:
        box.button(QMessageBox.StandardButton.Yes).click()
    result = submitted.args[0]
    assert result.status == "accepted" and result.report.level == "county"
    assert result.report.submitted_by == "longyang_admin"
    assert nonzero(result.report.figures) == expected
    qtbot.waitUntil(lambda: page.board is not None and page.board.submitted == "submitted")
    qtbot.waitUntil(lambda: not page.submit_button.isEnabled(), timeout=WAIT)

    # exports on the national form: Excel (填报单位 = the county) and PDF
    xlsx, pdf = tmp_path / "county.xlsx", tmp_path / "county"
    page.choose_save_path = lambda *_a: str(xlsx)
    with qtbot.waitSignal(page.exported, timeout=WAIT):
        page.xlsx_button.click()
    sheet = openpyxl.load_workbook(xlsx).worksheets[0]
    lines = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "填报单位：隆阳区" in lines and f"灾害过程：{name}" in lines
    assert "灾害种类：洪涝" in lines  # from the registry's event: the county keeps no report of it
    assert "瓦房彝族苗族乡" in lines  # the passed township's row
    page.choose_save_path = lambda *_a: str(pdf)  # the suffix is added
    with qtbot.waitSignal(page.exported, timeout=WAIT) as exported:
        page.pdf_button.click()
    assert exported.args[0].endswith(".pdf")
    assert Path(exported.args[0]).read_bytes().startswith(b"%PDF")

    # a verified report is refused while 瓦房 has filed no verified one: said in Chinese
    board = show_event(qtbot, page, event, "verified")
    assert page.submit_button.isEnabled()
    page.submit_button.click()
    with qtbot.waitSignal(page.refused, timeout=WAIT) as refused:
        dialogs[-1].button(QMessageBox.StandardButton.Yes).click()
    assert "核报" in refused.args[0] and "瓦房彝族苗族乡" in refused.args[0]
    assert errors.last_message == refused.args[0]
    assert "瓦房彝族苗族乡" in page.notice.text()

    # the city's dashboard shows the county's report waiting, with the county's total
    account = signed_in(tmp_path / "city", city, "baoshan_city")
    city_page, _ = open_page(tmp_path / "city", account, "zh_CN")
    assert event in [e.event_uuid for e in city_page.events]
    board = show_event(qtbot, city_page, event)
    assert board.level == "city" and board.unit_code == BAOSHAN
    line = next(x for x in board.lines if x.code == LONGYANG)
    assert line.waiting is not None and not line.counted
    assert line.waiting.submission_uuid == result.report.submission_uuid
    assert nonzero(line.waiting.figures) == expected
    assert city_page.submit_button.isVisible() and not city_page.submit_button.isEnabled()


def test_the_county_merges_two_events(
    qtbot: QtBot, open_page: Any, tmp_path: Path, city: CityServer
) -> None:
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    approve(
        city,
        [
            file(city, "wafang_a", WAFANG, first, "2026年7月1日瓦房乡洪涝", W),
            file(city, "shuigou_a", SHUIGOU, second, "2026年7月1日水沟洼洪涝", S),
        ],
    )
    account = signed_in(tmp_path / "county", city, "longyang_admin")
    page, _errors = open_page(tmp_path / "county", account)
    dialogs: list[Any] = []
    page.dialog_opened.connect(dialogs.append)
    assert {first, second} <= {e.event_uuid for e in page.events}
    show_event(qtbot, page, first)
    assert page.merge_button.isEnabled()

    page.merge_button.click()
    qtbot.waitUntil(lambda: any(isinstance(d, MergeDialog) for d in dialogs), timeout=WAIT)
    dialog = dialogs[-1]
    assert dialog.keep.event_uuid == first
    offered = [
        dialog.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.list.count())
    ]  # Qt.UserRole
    assert second in offered and first not in offered
    dialog.choose(second)
    assert dialog.ok_button.isEnabled() and dialog.chosen().event_uuid == second
    dialog.ok_button.click()
    box = dialogs[-1]
    assert isinstance(box, QMessageBox)
    assert "2026年7月1日水沟洼洪涝" in box.text() and "2026年7月1日瓦房乡洪涝" in box.text()
    with (
        qtbot.waitSignal(page.merged, timeout=WAIT) as merged,
        qtbot.waitSignal(page.events_shown, timeout=WAIT),
    ):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert merged.args[0].event.event_uuid == first
    assert [m.event_uuid for m in merged.args[0].event.merged] == [second]
    ids = [e.event_uuid for e in page.events]
    assert first in ids and second not in ids


def test_a_merge_moves_the_reports_into_the_kept_events_totals(
    qtbot: QtBot, open_page: Any, tmp_path: Path, city: CityServer
) -> None:
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    approve(
        city,
        [
            file(city, "wafang_a", WAFANG, first, "2026年7月2日瓦房乡洪涝", W),
            file(city, "shuigou_a", SHUIGOU, second, "2026年7月2日水沟洼洪涝", S),
        ],
    )
    with client_of(city, "longyang_admin") as county:
        assert county.merge_event(second, into=first).status == "accepted"
    township_submits(city, first)
    account = signed_in(tmp_path / "county", city, "longyang_admin")
    page, _errors = open_page(tmp_path / "county", account)
    board = show_event(qtbot, page, first)
    [waiting] = board.waiting
    assert nonzero(waiting.figures) == nonzero(added(W, S))  # the township adds up both
    board = next_board(qtbot, page, lambda: page.decide(waiting, "pass"))
    assert nonzero(board.total) == nonzero(added(W, S))

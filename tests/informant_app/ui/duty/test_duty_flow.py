"""A/B duty in the main window, through the real workers, the real store and a real server.

B files while A is on duty and is asked first; the informant's banner; the reviewer's roster
tab, marking A off duty, the handover and its sign-off, A back; an event opened for villages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from informant_app.core.duty import service as duty
from informant_app.core.duty.types import OpenEvent, PostDuty, WindowStatus
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState
from informant_app.core.sync.types import Account
from informant_app.ui.duty.absence_dialog import AbsenceDialog
from informant_app.ui.duty.events_panel import EventsPanel
from informant_app.ui.duty.filing_check import FilingCheck
from informant_app.ui.duty.open_event_dialog import OpenEventDialog
from informant_app.ui.duty.roster_model import RosterColumn
from informant_app.ui.duty.roster_page import RosterPage
from informant_app.ui.duty.workspace import DutyWorkspace
from informant_app.ui.reports.form import ReportForm
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.window.main_window import MainWindow
from tests.informant_app.ui.helpers import OTHER_VILLAGE, VILLAGE, valid_content
from tests.informant_app.ui.review_story import synced
from tests.support.city_server import CityServer

Seed = Callable[[Callable[[ReportStore], Any]], Any]
Call = Callable[[Callable[[ReportStore], Any]], Any]
LEFT = Qt.MouseButton.LeftButton


def open_version(qtbot: QtBot, window: MainWindow, version: str) -> ReportForm:
    """Open the draft ``version`` from the report list, as a person would."""
    model = window.model

    def line() -> int | None:
        return next(
            (i for i in range(model.rowCount()) if model.row_at(i).version_uuid == version), None
        )

    window.refresh()
    qtbot.waitUntil(lambda: line() is not None, timeout=10_000)
    found = line()
    assert found is not None
    window.table.selectRow(found)
    with qtbot.waitSignal(window.form_opened, timeout=10_000) as opened:
        window.act_open.trigger()
    form = opened.args[0]
    assert isinstance(form, ReportForm) and form.version_uuid == version
    return form


def test_b_is_asked_before_filing_while_a_is_on_duty(
    qtbot: QtBot,
    city_server: CityServer,
    sign_in_as: Callable[..., Account],
    seed: Seed,
    call: Call,
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    sign_in_as("wafang_b")
    seed(synced)  # the roster of 瓦房社区 comes down: A (wafang_a) holds the post, on duty
    window = make_window("en", sync=make_controller(start=False))
    duty = window.duty
    assert duty is not None
    qtbot.waitUntil(lambda: duty.active and bool(duty.duties), timeout=10_000)
    assert duty.banner.isVisible()
    assert duty.banner.texts()[-1] == "You are B of 瓦房社区; A (瓦房社区信息员A) is on duty."
    assert not window.roles.duty and window.act_new.isVisible()  # an informant files

    def new_draft(store: ReportStore) -> str:
        draft = store.new_draft()
        store.save_draft(draft.version_uuid, valid_content(draft.content, village_code=VILLAGE))
        return draft.version_uuid

    version = call(new_draft)
    form = open_version(qtbot, window, version)
    queued_before = call(lambda store: store.state_counts()).get(ReportState.QUEUED, 0)

    # "No" goes back to the form: nothing is submitted
    form.fill_blank_core()  # blank ★ figures are refused: 0 = none
    QTest.mouseClick(form.submit_button, LEFT)
    qtbot.waitUntil(
        lambda: form.filing_box is not None and form.filing_box.isVisible(), timeout=10_000
    )
    box = form.filing_box
    assert box is not None
    assert box.text() == (
        "A (瓦房社区信息员A) is on duty. You can still file as B; the report "
        "will be marked “filed by B while A was on duty”."
    )
    QTest.mouseClick(box.button(QMessageBox.StandardButton.No), LEFT)
    assert form.isVisible() and form.submit_button.isEnabled() and form.filing_box is None
    assert call(lambda store: store.state_counts()).get(ReportState.QUEUED, 0) == queued_before

    # "Yes" files as B
    form.fill_blank_core()  # blank ★ figures are refused: 0 = none
    QTest.mouseClick(form.submit_button, LEFT)
    qtbot.waitUntil(
        lambda: form.filing_box is not None and form.filing_box.isVisible(), timeout=10_000
    )
    again = form.filing_box
    assert again is not None
    form.fill_blank_core()  # blank ★ figures are refused: 0 = none
    with qtbot.waitSignal(form.submitted, timeout=10_000):
        QTest.mouseClick(again.button(QMessageBox.StandardButton.Yes), LEFT)
    assert call(lambda store: store.state_counts()).get(ReportState.QUEUED, 0) == (
        queued_before + 1
    )


def test_a_files_without_a_question(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, window: MainWindow, call: Call
) -> None:
    """No account, or A: the form submits straight away (the check says so)."""
    checked: list[str] = []

    def check(_store: ReportStore, village_code: str) -> FilingCheck:
        checked.append(village_code)
        return FilingCheck(None)

    monkeypatch.setattr("informant_app.ui.reports.form.check_filing", check)

    def new_draft(store: ReportStore) -> str:
        draft = store.new_draft()
        store.save_draft(draft.version_uuid, valid_content(draft.content))
        return draft.version_uuid

    form = open_version(qtbot, window, call(new_draft))
    form.fill_blank_core()  # blank ★ figures are refused: 0 = none
    with qtbot.waitSignal(form.submitted, timeout=10_000):
        QTest.mouseClick(form.submit_button, LEFT)
    assert checked == [VILLAGE]
    assert form.filing_box is None
    assert window.duty is None  # no sync controller: no banner, no Duty menu


def roster_of(qtbot: QtBot, window: MainWindow) -> tuple[DutyWorkspace, RosterPage]:
    qtbot.waitUntil(lambda: window.roles.duty is not None, timeout=10_000)
    workspace = window.roles.duty
    assert workspace is not None
    return workspace, workspace.roster


def post_shown(
    page: RosterPage, code: str, check: Callable[[PostDuty], bool] = lambda _p: True
) -> bool:
    row = page.model.row_of(code)
    return row is not None and check(page.model.post_at(row))


def test_the_reviewer_marks_a_off_duty_signs_the_handover_off_and_a_comes_back(
    qtbot: QtBot,
    own_city_server: CityServer,
    sign_in_as: Callable[..., Account],
    seed: Seed,
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    own_city_server.start()
    sign_in_as("wafang_reviewer", own_city_server)
    seed(synced)
    window = make_window("en", sync=make_controller(start=False))
    workspace, page = roster_of(qtbot, window)
    assert window.roles.tab_titles() == [
        "Review queue",
        "Township report",
        "Dashboard",
        "Events and deadlines",
        "Roster and duty",
        "Administration",
        "Reports",
    ]
    assert not window.act_new.isVisible()  # a reviewer files no village report
    window.tabs.setCurrentWidget(page)
    qtbot.waitUntil(
        lambda: (
            post_shown(page, OTHER_VILLAGE, lambda p: p.manageable)
            and "fetched from the server" in page.notice.text()
        ),
        timeout=20_000,
    )
    assert page.cell(OTHER_VILLAGE, RosterColumn.A) == "水沟洼村信息员A · 13808752021"
    assert page.cell(OTHER_VILLAGE, RosterColumn.ON_DUTY) == "水沟洼村信息员A (A)"

    # mark 水沟洼村's A off duty: B is on duty, acting for A
    assert page.select_post(OTHER_VILLAGE)
    with qtbot.waitSignal(page.dialog_opened) as opened:
        QTest.mouseClick(page.absent_button, LEFT)
    dialog = opened.args[0]
    assert isinstance(dialog, AbsenceDialog)
    dialog.reason.setPlainText("到县里培训")
    with qtbot.waitSignal(page.changed, timeout=20_000):
        QTest.mouseClick(dialog.ok_button, LEFT)
    qtbot.waitUntil(
        lambda: post_shown(page, OTHER_VILLAGE, lambda p: p.on_duty_role == "B"), timeout=20_000
    )
    assert page.cell(OTHER_VILLAGE, RosterColumn.ON_DUTY) == (
        "水沟洼村信息员B (B, acting for A 水沟洼村信息员A)"
    )
    assert "到县里培训" in page.cell(OTHER_VILLAGE, RosterColumn.ABSENCE)

    # the handover A → B waits for the township's sign-off
    panel = page.handovers
    qtbot.waitUntil(lambda: "水沟洼村信息员A → 水沟洼村信息员B" in panel.texts(1), timeout=20_000)
    line = panel.texts(1).index("水沟洼村信息员A → 水沟洼村信息员B")
    assert panel.texts(5)[line] == "Awaiting sign-off"
    panel.table.selectRow(line)
    QTest.mouseClick(panel.sign_off_button, LEFT)
    sign_off = panel.sign_off_dialog
    assert sign_off is not None
    QTest.keyClicks(sign_off.note, "checked the queue by phone")
    with qtbot.waitSignal(panel.signed_off, timeout=20_000):
        QTest.mouseClick(sign_off.ok_button, LEFT)
    qtbot.waitUntil(
        lambda: any(t.startswith("Signed off by") for t in panel.texts(5)), timeout=20_000
    )

    # A is back
    assert page.select_post(OTHER_VILLAGE)
    assert page.back_button.isEnabled()
    with qtbot.waitSignal(page.dialog_opened) as opened:
        QTest.mouseClick(page.back_button, LEFT)
    box = opened.args[0]
    with qtbot.waitSignal(page.changed, timeout=20_000):
        QTest.mouseClick(box.button(QMessageBox.StandardButton.Yes), LEFT)
    qtbot.waitUntil(
        lambda: post_shown(page, OTHER_VILLAGE, lambda p: p.on_duty_role == "A"), timeout=20_000
    )
    assert workspace.events is not None


def test_the_reviewer_opens_an_event_and_sees_each_village_waiting(
    qtbot: QtBot,
    own_city_server: CityServer,
    sign_in_as: Callable[..., Account],
    seed: Seed,
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    own_city_server.start()
    sign_in_as("wafang_reviewer", own_city_server)
    seed(synced)
    window = make_window("en", sync=make_controller(start=False))
    workspace, _page = roster_of(qtbot, window)
    panel = workspace.events
    assert isinstance(panel, EventsPanel)
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: "No open event" in panel.summary.text(), timeout=10_000)
    with qtbot.waitSignal(panel.dialog_opened) as opened:
        QTest.mouseClick(panel.open_button, LEFT)
    dialog = opened.args[0]
    assert isinstance(dialog, OpenEventDialog)
    dialog.name.setText("12月1日瓦房乡暴雨")
    with qtbot.waitSignal(
        panel.events_shown, timeout=20_000, check_params_cb=lambda: bool(panel.events)
    ):
        QTest.mouseClick(dialog.ok_button, LEFT)
    qtbot.waitUntil(lambda: bool(panel.events), timeout=20_000)
    event: OpenEvent = panel.events[0]
    assert event.event_name == "12月1日瓦房乡暴雨"
    lines = panel.village_lines(event.event_uuid)
    assert ("瓦房社区", "○ Waiting") in lines and ("水沟洼村", "○ Waiting") in lines
    assert all(v.status is WindowStatus.WAITING for v in event.villages)


def test_a_county_administrator_gets_the_roster_and_no_filing_actions(
    qtbot: QtBot,
    city_server: CityServer,
    sign_in_as: Callable[..., Account],
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    sign_in_as("longyang_admin")
    window = make_window("en", sync=make_controller(start=False))
    _workspace, page = roster_of(qtbot, window)
    assert window.roles.tab_titles() == [
        "Dashboard",
        "Roster and duty",
        "Administration",
        "Reports",
    ]
    assert window.roles.dashboard is not None
    assert window.tabs.currentWidget() is window.roles.dashboard  # the county opens on it
    window.tabs.setCurrentWidget(page)
    assert not window.act_new.isVisible()  # a county administrator files no village report
    assert window.duty is not None and not window.duty.banner.isVisible()
    window.roles.apply(None, [])
    assert window.roles.duty is None and window.roles.tab_titles() == ["Reports"]
    assert window.roles.dashboard is None
    assert window.act_new.isVisible()


def test_offline_the_cached_roster_shows_and_actions_say_the_server_is_needed(
    qtbot: QtBot,
    own_city_server: CityServer,
    sign_in_as: Callable[..., Account],
    seed: Seed,
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    own_city_server.start()
    sign_in_as("wafang_reviewer", own_city_server)
    seed(synced)
    seed(duty.refresh_roster)  # the roster as the reviewer last fetched it
    own_city_server.stop()
    window = make_window("en", sync=make_controller(start=False))
    _workspace, page = roster_of(qtbot, window)
    qtbot.waitUntil(
        lambda: page.notice.text().startswith("Offline:") and post_shown(page, VILLAGE),
        timeout=30_000,
    )
    assert page.cell(VILLAGE, RosterColumn.A) == "瓦房社区信息员A · 13808752011"
    assert page.cell(VILLAGE, RosterColumn.ON_DUTY) == "瓦房社区信息员A (A)"

    assert page.select_post(VILLAGE)
    with qtbot.waitSignal(page.dialog_opened) as opened:
        QTest.mouseClick(page.absent_button, LEFT)
    dialog = opened.args[0]
    dialog.reason.setPlainText("培训")
    with qtbot.waitSignal(window.errors.shown, timeout=30_000) as shown:
        QTest.mouseClick(dialog.ok_button, LEFT)
    assert "the server cannot be reached" in shown.args[0]

"""Village A is told at once when the township opens an event, once per device; who is on duty.

The real city server, store and workers: the reviewer's device opens an event for 瓦房社区;
village A's next sync round brings it, and A's window shows a banner line (event, disaster
type, initial report due in China time), a status bar message and a notice whose "File the
initial report" starts a report joined to the event.  Another round, and a window opened again
on the same folder, do not tell it again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from informant_app.core.duty import service as duty
from informant_app.core.duty.types import (
    AbsenceInfo,
    AbsenceKind,
    OnDutyNow,
    PostDuty,
    PostHolder,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import Draft
from informant_app.core.sync.engine import current_account, sign_in
from informant_app.core.sync.types import Account
from informant_app.ui.common.labels import local_time_text
from informant_app.ui.duty.event_notice import NewEventNotice
from informant_app.ui.duty.informant_duty import InformantDuty
from informant_app.ui.duty.on_duty_dialog import OnDutyDialog
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.tasks.manager import TaskManager
from informant_app.ui.window.main_window import MainWindow
from tests.informant_app.core import duty_helpers as helpers
from tests.informant_app.core.review.test_review_store import play
from tests.support.city_server import CityServer
from tests.support.places import WAFANG

LEFT = Qt.MouseButton.LeftButton


def test_village_a_is_told_of_a_new_event_at_once_and_only_once(
    qtbot: QtBot,
    tmp_path: Path,
    city_server: CityServer,
    sign_in_as: Callable[..., Account],
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
    worker: TaskManager,
    call: Callable[[Callable[[ReportStore], Any]], Any],
) -> None:
    sign_in_as("wafang_a")
    controller = make_controller(start=False)
    window = make_window("en", sync=controller)
    informant = window.duty
    assert informant is not None
    qtbot.waitUntil(lambda: informant.active, timeout=10_000)
    notices: list[NewEventNotice] = []
    informant.notice_shown.connect(notices.append)
    messages: list[str] = []
    informant.message.connect(messages.append)

    event = f"ev-{uuid.uuid4()}"
    name = f"测试山洪 {event[-6:]}"
    with ReportStore.open(tmp_path / "reviewer") as reviewer:
        sign_in(
            reviewer,
            city_server.url,
            "wafang_reviewer",
            city_server.password("wafang_reviewer"),
        )
        opened = duty.open_event(
            reviewer, name, "flood", datetime.now(UTC), [WAFANG], event_uuid=event
        )
    [village] = [v for v in opened.villages if v.village_code == WAFANG]
    due = next(w.window.due_at for w in village.windows if w.window.stage == "initial")

    def mine() -> list[NewEventNotice]:
        return [n for n in notices if n.entry.event_uuid == event]

    controller.start()  # the round brings the opening: told at once, not at half time
    qtbot.waitUntil(lambda: bool(mine()), timeout=20_000)
    [notice] = mine()
    assert notice.isVisible() and not notice.isModal()
    expected = (
        f"The township opened the event “{name}” (Flood) for 瓦房社区: file the initial "
        f"report by {local_time_text(due)} (China time)."
    )
    assert notice.text.text() == expected
    assert expected in informant.banner.texts()
    assert any(name in m and local_time_text(due) in m for m in messages)

    drafts: list[Draft] = []
    informant.draft_ready.connect(drafts.append)
    QTest.mouseClick(notice.file_button, LEFT)
    qtbot.waitUntil(lambda: bool(drafts), timeout=10_000)
    content: dict[str, Any] = drafts[0].content
    assert (content["event_uuid"], content["event_name"], content["village_code"]) == (
        event,
        name,
        WAFANG,
    )
    assert content["disaster_type"] == "flood" and content["stage"] == "initial"

    # told once: not again after another round, nor in a window opened again
    with qtbot.waitSignal(informant.shown, timeout=20_000):
        controller.sync_now()
    qtbot.waitUntil(lambda: any(event in n.key for n in informant.news), timeout=10_000)
    assert len(mine()) == 1
    again = InformantDuty(window, worker, "en", window.errors, None)
    later: list[NewEventNotice] = []
    again.notice_shown.connect(later.append)
    with qtbot.waitSignal(again.shown, timeout=10_000):
        again.set_account(call(current_account))
    assert any(n.event_uuid == event and n.told for n in again.news)
    assert not [n for n in later if n.entry.event_uuid == event]


NOW = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)


def post(**changes: Any) -> PostDuty:
    values: dict[str, Any] = {
        "post_code": WAFANG,
        "post_name": "瓦房社区",
        "level": "village",
        "holders": (
            PostHolder(1, "A", "zhang", "张三", NOW - timedelta(days=300), "13800000001"),
            PostHolder(2, "B", "li", "李四", NOW - timedelta(days=200)),
        ),
        "on_duty_username": "zhang",
        "on_duty_name": "张三",
        "on_duty_role": "A",
    }
    return PostDuty(**{**values, **changes})


def test_who_is_on_duty_names_a_b_and_why_since_when(qtbot: QtBot) -> None:
    leave = AbsenceInfo(
        "ab-1",
        WAFANG,
        "zhang",
        "张三",
        NOW - timedelta(hours=2),
        NOW + timedelta(days=2),
        AbsenceKind.LEAVE,
        "探亲",
    )
    acting = post(
        on_duty_username="li",
        on_duty_name="李四",
        on_duty_role="B",
        acting_for_name="张三",
        absence=leave,
    )
    dialog = OnDutyDialog([OnDutyNow(acting, leave.starts_at)])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Who is on duty"
    assert dialog.texts == [
        f"李四 (B), acting for A (张三): A is on leave (探亲) until "
        f"{local_time_text(leave.ends_at)}."
    ]
    labels = {w.objectName(): w.text() for w in dialog.findChildren(QLabel)}
    assert labels["on_duty_a"] == "张三 · 13800000001" and labels["on_duty_b"] == "李四"
    assert labels["on_duty_since"] == f"{local_time_text(leave.starts_at)} (China time)"


def test_the_duty_menu_shows_who_is_on_duty_from_the_store(
    qtbot: QtBot,
    window: MainWindow,
    worker: TaskManager,
    call: Callable[[Callable[[ReportStore], Any]], Any],
) -> None:
    """Duty → Who is on duty: read from the store, B acting for A since A went on leave."""
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)

    def seed(store: ReportStore) -> None:
        helpers.sign_in(store, "li")
        play(store, *helpers.a_and_b(), helpers.absence("ab-1", starts=started))

    call(seed)
    informant = InformantDuty(window, worker, "en", window.errors, None)
    with qtbot.waitSignal(informant.dialog_opened, timeout=10_000) as opened:
        informant.act_refresh.trigger()
    dialog = opened.args[0]
    assert isinstance(dialog, OnDutyDialog) and dialog.isVisible()
    assert dialog.windowTitle() == "Who is on duty"
    [text] = dialog.texts
    assert text.startswith("李四 (B), acting for A (张三): A is on leave (探亲) until ")
    labels = {w.objectName(): w.text() for w in dialog.findChildren(QLabel)}
    assert labels["on_duty_since"] == f"{local_time_text(started)} (China time)"
    assert labels["on_duty_a"] == "张三" and labels["on_duty_b"] == "李四"
    dialog.close()

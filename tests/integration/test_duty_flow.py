"""A/B duty end to end through the real city server, on 党西村 (no other test uses it).

The township reviewer gives 党西村 a B; its A marks themselves on leave with a report still
queued; B's device hears of it and acts for A; the reviewer signs the handover off and opens an
event; B is alerted when half the time is gone, files, and the reviewer sees the report filed
by B acting for A.  A comes back; the event is closed.  Every online answer shows on the
device at once, before any sync round.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from informant_app.core.clock import ManualClock
from informant_app.core.duty.service import (
    AbsenceKind,
    AlertKind,
    FilingRole,
    ReviewRefusedError,
    WindowStatus,
    assign,
    candidates,
    close_event,
    duty_alerts,
    end_absence,
    filing_role_for,
    handovers,
    mark_absent,
    my_duty,
    open_event,
    open_events,
    post_history,
    refresh_duty,
    refresh_roster,
    roster_posts,
    sign_off,
)
from informant_app.core.reports.importing import FORMAT_NAME, FORMAT_VERSION, import_reports
from informant_app.core.review.service import ReviewFilter, review_queue
from informant_app.core.store.sync_state import now_utc
from informant_app.core.store.types import ReportFilter
from tests.integration.helpers import Device, device, report_record
from tests.support.city_server import CityServer
from tests.support.places import DANGXI


def sync(dev: Device) -> Any:
    summary = dev.engine().run_round()
    assert summary.ok, summary
    return summary


def file_one(dev: Device, event_uuid: str, event_name: str, seed: int) -> str:
    record = report_record(
        DANGXI, random.Random(seed), event_uuid=event_uuid, event_name=event_name
    )
    summary = import_reports(
        dev.store,
        {"format": FORMAT_NAME, "version": FORMAT_VERSION, "reports": [record]},
        submit=True,
    )
    assert summary.imported == 1, summary
    return str(summary.version_uuids[0])


@pytest.fixture
def clock() -> ManualClock:
    """The devices' clock: the computer's, moved on by hand."""
    return ManualClock()


@pytest.fixture
def devices(
    live_city: CityServer, tmp_path: Path, clock: ManualClock
) -> Iterator[dict[str, Device]]:
    made = {
        name: device(live_city, tmp_path / name, name)
        for name in ("wafang_reviewer", "dangxi_a", "dangxi_b")
    }
    for dev in made.values():
        dev.store.clock = clock
    yield made
    for dev in made.values():
        dev.close()


def test_b_takes_over_while_a_is_on_leave(devices: dict[str, Device], clock: ManualClock) -> None:
    r, a, b = devices["wafang_reviewer"], devices["dangxi_a"], devices["dangxi_b"]

    # The reviewer's roster: 党西村 has an A and no B; the township may change it.
    posts = {p.post_code: p for p in refresh_roster(r.store)}
    dangxi = posts[DANGXI]
    assert dangxi.manageable and [h.username for h in dangxi.holders] == ["dangxi_a"]
    assert all(p.level == "village" for p in posts.values())
    assert "dangxi_b" in [c.username for c in candidates(r.store, DANGXI)]
    after = assign(r.store, DANGXI, "dangxi_b", "B", "补充 B角")
    assert [(h.username, h.post_role) for h in after.holders] == [
        ("dangxi_a", "A"),
        ("dangxi_b", "B"),
    ]
    assert {p.post_code: p for p in roster_posts(r.store)}[DANGXI].holder("B") is not None
    clock.advance(timedelta(seconds=1.1))  # whole-second submitted_at: file after B's first second

    # A, with a report still queued, marks themselves on leave.
    sync(a)
    [mine] = my_duty(a.store)
    assert (mine.my_role, mine.on_duty, mine.partner_name) == ("A", True, "党西村信息员B")
    queued = file_one(a, "ev-dangxi-before", "请假前的报告", seed=601)
    now = now_utc()
    leave = mark_absent(
        a.store,
        DANGXI,
        now - timedelta(minutes=1),
        now + timedelta(days=2),
        AbsenceKind.LEAVE,
        "探亲",
    )
    assert (leave.username, leave.reason, leave.kind) == ("dangxi_a", "探亲", AbsenceKind.LEAVE)
    [mine] = my_duty(a.store)
    assert not mine.on_duty and mine.absence is not None  # at once, before a sync round
    with pytest.raises(ReviewRefusedError) as err:
        mark_absent(a.store, DANGXI, now, now + timedelta(days=1), AbsenceKind.AWAY, "又一次")
    assert err.value.code == "absence_overlaps" and err.value.zh and err.value.en

    # B's device hears of it at the next round: B is on duty, acting for A.
    sync(b)
    [theirs] = my_duty(b.store)
    assert (theirs.my_role, theirs.on_duty, theirs.acting_for_name) == ("B", True, "党西村信息员A")
    assert filing_role_for(b.store, DANGXI) is FilingRole.B_ACTING

    # The reviewer sees the handover with A's queued report, and signs it off.
    sync(r)
    [pending] = [h for h in handovers(r.store, pending_only=True) if h.post_code == DANGXI]
    assert pending.kind == "absence" and (pending.from_name, pending.to_name) == (
        "党西村信息员A",
        "党西村信息员B",
    )
    assert [u["version_uuid"] for u in pending.open_items["unsent_reports"]] == [queued]
    signed = sign_off(r.store, pending.handover_uuid, "已电话确认")
    assert signed is not None and signed.signed_off and signed.sign_off_note == "已电话确认"
    history = post_history(r.store, DANGXI)
    assert [x.username for x in history.assignments][-1] == "dangxi_b"
    assert [x.absence_uuid for x in history.absences] == [leave.absence_uuid]

    # The reviewer opens an event for 党西村: the initial report is due within the hour.
    # (it occurred 5 minutes ago: the hour counts from the occurrence)
    event = open_event(r.store, "党西村山洪", "flood", now - timedelta(minutes=5), [DANGXI])
    assert [(v.village_code, v.status) for v in event.villages] == [(DANGXI, WindowStatus.WAITING)]
    assert event.event_uuid in [e.event_uuid for e in refresh_duty(r.store)]

    # B hears of the opening, is alerted at half time, files against the township's event.
    sync(b)
    assert event.event_uuid in [e.event_uuid for e in b.store.events()]
    [alert] = [
        x
        for x in duty_alerts(b.store, event.opened_at + timedelta(minutes=31))
        if x.event_uuid == event.event_uuid
    ]
    assert alert.kind == AlertKind.ESCALATED and "请假" in alert.zh and "代 A" in alert.zh
    version = file_one(b, event.event_uuid, event.event_name, seed=602)
    [row] = [x for x in b.store.report_rows(ReportFilter(), 0, 100) if x.version_uuid == version]
    assert (row.filing_role, row.acting_for_name) == (FilingRole.B_ACTING, "党西村信息员A")
    sync(b)
    assert [
        x
        for x in duty_alerts(b.store, event.opened_at + timedelta(minutes=31))
        if x.event_uuid == event.event_uuid
    ] == []

    # The reviewer sees it filed by B acting for A.
    sync(r)
    [item] = review_queue(r.store, ReviewFilter(event_uuid=event.event_uuid), 0, 10)
    assert (item.version_uuid, item.filing_role, item.acting_for_name) == (
        version,
        FilingRole.B_ACTING,
        "党西村信息员A",
    )
    [seen] = [e for e in open_events(r.store) if e.event_uuid == event.event_uuid]
    assert seen.villages[0].windows[0].status is WindowStatus.FILED

    # A is back; the event is closed.
    back = end_absence(a.store, leave.absence_uuid)
    assert back is not None and back.ended_at is not None
    sync(b)
    assert filing_role_for(b.store, DANGXI) is FilingRole.B_WHILE_A_ON_DUTY
    close_event(r.store, event.event_uuid)
    assert event.event_uuid not in [e.event_uuid for e in open_events(r.store)]

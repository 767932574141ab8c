"""Deadlines of an opened event and the alerts they raise, judged offline at a given moment.

The township opens the event for 瓦房社区 at T0 (10:00 China time); its occurrence unknown,
the initial report is due within 60 minutes (11:00), B is alerted from half the time on
(10:30).  With an occurrence, the hour counts from it (never less than 10 minutes after the
opening).  Alerts name times in
China time whatever the device's zone; most tests run on a device set to China time.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from informant_app.core.duty.service import (
    AlertKind,
    WindowStatus,
    duty_alerts,
    open_events,
)
from informant_app.core.store.report_store import ReportStore
from sync.contract import format_time
from tests.informant_app.core.conftest import fill
from tests.informant_app.core.duty_helpers import (
    EVENT,
    OTHER_VILLAGE,
    TOWNSHIP,
    VILLAGE,
    a_and_b,
    absence,
    at,
    opening,
    sign_in,
)
from tests.informant_app.core.review.test_review_store import content, play, version_change


@pytest.fixture(autouse=True)
def _china_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run as on an informant's PC: local time is China time (POSIX TZ, no tzdata needed)."""
    monkeypatch.setenv("TZ", "CST-8")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def village_status(store: ReportStore, when: datetime, code: str = VILLAGE) -> WindowStatus:
    [event] = open_events(store, when)
    return next(v.status for v in event.villages if v.village_code == code)


def test_b_is_alerted_at_half_time_and_when_overdue(store: ReportStore) -> None:
    sign_in(store, "li")
    play(store, *a_and_b(), opening())
    assert village_status(store, at(10)) is WindowStatus.WAITING
    assert duty_alerts(store, at(10)) == []

    [half] = duty_alerts(store, at(31))
    assert (half.kind, half.post_code, half.event_uuid, half.stage, half.due_at) == (
        AlertKind.ESCALATED,
        VILLAGE,
        EVENT,
        "initial",
        at(60),
    )
    assert half.zh == (
        "事件“7月1日瓦房乡山洪”：A（张三）尚未报送初报，已过半时限（截止 11:00）。请 B 立即报送。"
    )
    assert "half the time is gone (due 11:00)" in half.en and "B, please" in half.en
    assert half.village_name == "瓦房社区"

    [late] = duty_alerts(store, at(61))
    assert late.kind == AlertKind.OVERDUE and "已超时（截止 11:00）" in late.zh
    assert "overdue" in late.en
    assert village_status(store, at(61)) is WindowStatus.OVERDUE


def test_an_event_that_occurred_before_its_opening_is_due_from_the_occurrence(
    store: ReportStore,
) -> None:
    """Occurred 50 minutes before the township opened it: B hears at once, overdue at 10:10."""
    sign_in(store, "li")
    play(store, *a_and_b(), opening(occurred=at(-50)))
    [event] = open_events(store, at(1))
    [village] = event.villages
    assert village.status is WindowStatus.ESCALATED
    [window] = village.windows
    assert (window.window.starts_at, window.window.due_at) == (at(-50), at(10))
    [half] = duty_alerts(store, at(1))
    assert (half.kind, half.stage, half.due_at) == (AlertKind.ESCALATED, "initial", at(10))
    assert "已过半时限（截止 10:10）" in half.zh
    assert duty_alerts(store, at(9))[0].kind == AlertKind.ESCALATED
    [late] = duty_alerts(store, at(10))
    assert late.kind == AlertKind.OVERDUE and "已超时（截止 10:10）" in late.zh
    assert village_status(store, at(10)) is WindowStatus.OVERDUE


def test_an_event_opened_hours_after_it_occurred_leaves_ten_minutes(store: ReportStore) -> None:
    sign_in(store, "li")
    play(store, *a_and_b(), opening(occurred=at(-300)))
    assert village_status(store, at(0)) is WindowStatus.ESCALATED
    assert village_status(store, at(9)) is WindowStatus.ESCALATED
    assert village_status(store, at(10)) is WindowStatus.OVERDUE


def test_the_alert_says_when_a_is_away(store: ReportStore) -> None:
    sign_in(store, "li")
    play(store, *a_and_b(), absence("ab-1", starts=at(-60), reason="探亲"), opening())
    [alert] = duty_alerts(store, at(40))
    assert "A（张三）请假" in alert.zh and "请 B 立即代 A 报送" in alert.zh
    assert "is on leave" in alert.en and "file for A" in alert.en


def test_a_is_asked_to_file_too(store: ReportStore) -> None:
    sign_in(store, "zhang", posts=((VILLAGE, "A"),))
    play(store, *a_and_b(), opening())
    [alert] = duty_alerts(store, at(45))
    assert alert.zh.endswith("瓦房社区尚未报送初报，已过半时限（截止 11:00）。请立即报送。")


def test_a_pulled_filing_by_a_clears_the_alert(store: ReportStore) -> None:
    sign_in(store, "li")
    data = content("r-a", event=EVENT)
    data["submitted_at"] = format_time(at(20))
    play(store, *a_and_b(), opening(), version_change(data, "v-a", by="zhang", received=at(21)))
    assert duty_alerts(store, at(61)) == []
    [event] = open_events(store, at(61))
    [village] = event.villages
    assert village.status is WindowStatus.FILED
    assert village.windows[0].filed_at == at(20)
    assert village.on_duty_name == "张三"


def test_a_filing_after_the_due_time_counts_as_late(store: ReportStore) -> None:
    sign_in(store, "li")
    data = content("r-a", event=EVENT)
    data["submitted_at"] = format_time(at(70))
    play(store, *a_and_b(), opening(), version_change(data, "v-a", by="zhang", received=at(71)))
    assert village_status(store, at(80)) is WindowStatus.FILED_LATE
    assert duty_alerts(store, at(80)) == []


def test_a_local_filing_clears_the_alert_before_it_is_sent(store: ReportStore) -> None:
    sign_in(store, "li")
    opened = datetime.now(UTC) - timedelta(minutes=40)  # the filing below is made now
    play(store, *a_and_b(), opening(opened=opened))
    assert [a.kind for a in duty_alerts(store, opened + timedelta(minutes=39))] == [
        AlertKind.ESCALATED
    ]
    draft = store.new_draft(event_uuid=EVENT, village_code=VILLAGE)
    store.save_draft(draft.version_uuid, fill(draft.content))
    assert store.submit(draft.version_uuid).ok  # queued, not sent
    assert duty_alerts(store, opened + timedelta(minutes=61)) == []
    [event] = open_events(store, opened + timedelta(minutes=61))
    initial = event.villages[0].windows[0]  # (after China midnight a continuing one follows)
    assert (initial.window.stage, initial.status) == ("initial", WindowStatus.FILED)


def test_a_continuing_report_is_due_each_morning_after_china_midnight(store: ReportStore) -> None:
    sign_in(store, "li")
    opened = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)  # 14:00 China time
    midnight = datetime(2026, 7, 1, 16, 0, tzinfo=UTC)  # 00:00 China time, 2 July
    initial = content("r-1", event=EVENT)
    initial["submitted_at"] = format_time(opened + timedelta(minutes=20))
    play(
        store,
        *a_and_b(),
        opening(opened=opened),
        version_change(initial, "v-1", by="zhang", received=opened + timedelta(minutes=21)),
    )
    assert duty_alerts(store, midnight - timedelta(minutes=1)) == []
    assert village_status(store, midnight + timedelta(minutes=30)) is WindowStatus.WAITING
    [half] = duty_alerts(store, midnight + timedelta(hours=4, minutes=1))  # 04:01
    assert (half.kind, half.stage) == (AlertKind.ESCALATED, "continuing")
    assert "续报" in half.zh and "截止 08:00" in half.zh
    [late] = duty_alerts(store, midnight + timedelta(hours=8, minutes=1))
    assert late.kind == AlertKind.OVERDUE
    daily = content("r-2", event=EVENT, stage="continuing")
    daily["submitted_at"] = format_time(midnight + timedelta(hours=3))
    play(
        store,
        version_change(daily, "v-2", by="zhang", received=midnight + timedelta(hours=3, minutes=1)),
    )
    assert duty_alerts(store, midnight + timedelta(hours=8, minutes=1)) == []


def test_a_closed_event_raises_nothing(store: ReportStore) -> None:
    sign_in(store, "li")
    play(store, *a_and_b(), opening(), opening(closed=at(20)))
    assert open_events(store, at(61)) == []
    assert duty_alerts(store, at(61)) == []


def test_the_reviewer_sees_late_villages_first_and_who_is_on_duty(store: ReportStore) -> None:
    sign_in(store, "reviewer", role="township_reviewer", posts=((TOWNSHIP, "A"),))
    data = content("r-s", village=OTHER_VILLAGE, event=EVENT)
    data["submitted_at"] = format_time(at(10))
    play(
        store,
        *a_and_b(),
        absence("ab-1", starts=at(-60)),
        opening(villages=(OTHER_VILLAGE, VILLAGE)),
        version_change(data, "v-s", by="shuigou_a", received=at(11)),
    )
    [event] = open_events(store, at(61))
    assert [(v.village_code, v.status) for v in event.villages] == [
        (VILLAGE, WindowStatus.OVERDUE),
        (OTHER_VILLAGE, WindowStatus.FILED),
    ]
    assert [v.village_code for v in event.late_villages] == [VILLAGE]
    [alert] = duty_alerts(store, at(61))
    assert alert.kind == AlertKind.OVERDUE and alert.post_code == VILLAGE
    assert "瓦房社区尚未报送初报，已超时（截止 11:00）。值守：李四。" in alert.zh
    assert "On duty: 李四." in alert.en


def test_an_informant_sees_only_their_villages(store: ReportStore) -> None:
    sign_in(store, "li")
    play(store, *a_and_b(), opening(villages=(VILLAGE, OTHER_VILLAGE)))
    [event] = open_events(store, at(61))
    assert [v.village_code for v in event.villages] == [VILLAGE]
    assert [a.post_code for a in duty_alerts(store, at(61))] == [VILLAGE]


def test_alerts_name_china_time_whatever_the_devices_zone(
    store: ReportStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a device set to UTC the deadline still reads 11:00, as every other time on screen."""
    monkeypatch.setenv("TZ", "UTC0")
    time.tzset()
    sign_in(store, "li")
    play(store, *a_and_b(), opening())
    [half] = duty_alerts(store, at(31))
    assert "（截止 11:00）" in half.zh and "(due 11:00)" in half.en

"""Event openings and deadlines: open/close, ``GET /api/v1/duty`` as time moves, alerts.

The defaults: an initial report is due 60 minutes after the opening (escalated after 30), a
continuing report every day by 08:00 China time (escalated after 04:00).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sync.contract.duty import CHINA_TZ
from sync.server.settings import Settings
from tests.server.duty_steps import (
    Clock,
    absence,
    get,
    open_event,
    post,
    push_now,
    timed_item,
    village_of,
)
from tests.server.factories import SHUIGOU, WAFANG, WAFANG_TOWNSHIP, XINZHAI, new_id
from tests.server.steps import pull_all
from tests.server.world import World
from tests.support.places import DANGXI

DUTY = "/api/v1/duty"


#: The app of this module runs on its ``clock`` fixture (``tests/server/conftest.py``).
USES_CLOCK = True


def village_alerts(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the alerts about villages (the township's own deadlines are tested apart)."""
    return [a for a in answer["alerts"] if a.get("level", "village") == "village"]


@pytest.fixture(scope="module")
def event(client: TestClient, world: World) -> dict[str, Any]:
    """An event the township opened for 瓦房社区 and 水沟洼村 at the clock's start."""
    opened: dict[str, Any] = open_event(client, world, [WAFANG, SHUIGOU])["opening"]
    return opened


def test_open_is_idempotent_and_adds_villages(
    client: TestClient, world: World, clock: Clock
) -> None:
    event_uuid = new_id()
    first = open_event(client, world, [WAFANG], event_uuid=event_uuid)
    assert first["status"] == "accepted"
    opening = first["opening"]
    assert opening["village_codes"] == [WAFANG] and opening["closed_at"] is None
    assert opening["deadlines"] == {
        "initial_minutes": 60,
        "continuing_due": "08:00",
        "escalate_fraction": 0.5,
    }
    assert opening["opened_by_name"] == "瓦房乡应急办"
    assert open_event(client, world, [WAFANG], event_uuid=event_uuid)["status"] == "duplicate"
    clock.advance(minutes=5)
    more = open_event(client, world, [SHUIGOU], event_uuid=event_uuid)
    assert more["status"] == "accepted"
    assert more["opening"]["village_codes"] == [WAFANG, SHUIGOU]
    assert more["opening"]["opened_at"] == opening["opened_at"]
    opened = {v["village_code"]: v["opened_at"] for v in more["opening"]["villages"]}
    assert opened[WAFANG] == opening["opened_at"] and opened[SHUIGOU] > opened[WAFANG]
    # Empty list: every village of the township that has a post.
    every = open_event(client, world, [])["opening"]
    assert {WAFANG, SHUIGOU, DANGXI} <= set(every["village_codes"])
    assert all(code.startswith("530502208") for code in every["village_codes"])
    # Close, close again, reopen.
    path = f"/api/v1/events/{event_uuid}/close"
    body = {"township_code": WAFANG_TOWNSHIP}
    post(client, world, "longyang_admin", path, body, 403)
    closed = post(client, world, "wafang_reviewer", path, body)
    assert closed["status"] == "accepted" and closed["opening"]["closed_at"] is not None
    assert post(client, world, "wafang_reviewer", path, body)["status"] == "duplicate"
    assert event_uuid not in {
        e["event_uuid"] for e in get(client, world, "wafang_reviewer", DUTY)["events"]
    }
    reopened = open_event(client, world, [WAFANG], event_uuid=event_uuid)
    assert reopened["status"] == "accepted" and reopened["opening"]["closed_at"] is None
    post(client, world, "wafang_reviewer", "/api/v1/events/never/close", body, 404)
    for uuid in (event_uuid, every["event_uuid"]):  # out of the way of the tests below
        post(client, world, "wafang_reviewer", f"/api/v1/events/{uuid}/close", body)


@pytest.mark.parametrize(
    ("user", "villages", "township", "status"),
    [
        ("wafang_a", [WAFANG], WAFANG_TOWNSHIP, 404),  # an informant does not see the township
        ("lujiang_reviewer", [WAFANG], WAFANG_TOWNSHIP, 404),
        ("longyang_admin", [WAFANG], WAFANG_TOWNSHIP, 403),
        ("wafang_reviewer", [XINZHAI], WAFANG_TOWNSHIP, 422),  # not a village of the township
        ("wafang_reviewer", [WAFANG], WAFANG, 404),  # not a township
    ],
)
def test_who_may_open(
    client: TestClient, world: World, user: str, villages: list[str], township: str, status: int
) -> None:
    body = open_event(client, world, villages, user, township=township, status=status)
    assert body["error"]["zh"] and body["error"]["en"]


def test_initial_window_waits_escalates_and_is_overdue(
    client: TestClient, world: World, clock: Clock, event: dict[str, Any]
) -> None:
    uuid = event["event_uuid"]
    opened = datetime.fromisoformat(event["opened_at"])
    clock.jump_to(opened + timedelta(minutes=10))
    township = get(client, world, "wafang_reviewer", DUTY)
    wafang = village_of(township, uuid, WAFANG)
    assert wafang["status"] == "waiting"
    [window] = wafang["windows"]
    assert window["stage"] == "initial" and window["filed_at"] is None
    assert datetime.fromisoformat(window["escalate_at"]) == opened + timedelta(minutes=30)
    assert datetime.fromisoformat(window["due_at"]) == opened + timedelta(minutes=60)
    assert wafang["on_duty"]["username"] == "wafang_a"
    assert not [a for a in village_alerts(township) if a.get("event_uuid") == uuid]
    assert get(client, world, "wafang_b", DUTY)["alerts"] == []

    clock.jump_to(opened + timedelta(minutes=31))
    b = get(client, world, "wafang_b", DUTY)
    assert [e["event_uuid"] for e in b["events"]] == [uuid]
    assert [v["village_code"] for v in b["events"][0]["villages"]] == [WAFANG]
    [alert] = b["alerts"]
    assert (alert["kind"], alert["post_code"], alert["event_uuid"], alert["stage"]) == (
        "escalated",
        WAFANG,
        uuid,
        "initial",
    )
    assert alert["a_away"] is False and event["event_name"] in alert["zh"]
    assert "初报" in alert["zh"] and "A角在岗" in alert["zh"]
    assert "initial report" in alert["en"] and "China time" in alert["en"]
    township = get(client, world, "wafang_reviewer", DUTY)
    assert village_of(township, uuid, WAFANG)["status"] == "escalated"
    flagged = {
        (a["kind"], a["post_code"]) for a in village_alerts(township) if a["event_uuid"] == uuid
    }
    assert flagged == {("escalated", WAFANG), ("escalated", SHUIGOU)}

    # 瓦房社区 files before the due time (its device submitted a minute ago).
    clock.jump_to(opened + timedelta(minutes=40))
    version = timed_item(clock, WAFANG, uuid)
    assert push_now(client, world, clock, [version], "wafang_a")[0]["status"] == "accepted"
    clock.jump_to(opened + timedelta(minutes=61))
    township = get(client, world, "wafang_reviewer", DUTY)
    wafang = village_of(township, uuid, WAFANG)
    assert wafang["status"] == "filed"
    assert datetime.fromisoformat(wafang["windows"][0]["filed_at"]) == opened + timedelta(
        minutes=39
    )
    assert village_of(township, uuid, SHUIGOU)["status"] == "overdue"
    late = [
        (a["kind"], a["post_code"]) for a in village_alerts(township) if a["event_uuid"] == uuid
    ]
    assert late == [("overdue", SHUIGOU)]
    assert "值班：水沟洼村信息员A" in next(
        a["zh"] for a in village_alerts(township) if a["event_uuid"] == uuid
    )
    assert get(client, world, "wafang_b", DUTY)["alerts"] == []
    assert [a["kind"] for a in get(client, world, "shuigou_b", DUTY)["alerts"]] == ["overdue"]
    # Filed after the due time: filed late.
    late_version = timed_item(clock, SHUIGOU, uuid, filed_ago=timedelta(0))
    assert push_now(client, world, clock, [late_version], "shuigou_a")[0]["status"] == "accepted"
    township = get(client, world, "wafang_reviewer", DUTY)
    assert village_of(township, uuid, SHUIGOU)["status"] == "filed_late"


def test_a_skewed_device_clock_is_corrected(client: TestClient, world: World, clock: Clock) -> None:
    uuid = open_event(client, world, [DANGXI])["opening"]["event_uuid"]
    clock.advance(minutes=20)
    # The device's clock runs 3 hours fast: its submitted_at says 3 hours from now.
    skew = timedelta(hours=3)
    version = timed_item(clock, DANGXI, uuid, filed_ago=timedelta(minutes=2) - skew)
    assert push_now(client, world, clock, [version], "dangxi_a", skew)[0]["status"] == "accepted"
    dangxi = village_of(get(client, world, "wafang_reviewer", DUTY), uuid, DANGXI)
    assert dangxi["status"] == "filed"
    assert datetime.fromisoformat(dangxi["windows"][0]["filed_at"]) == clock.now - timedelta(
        minutes=2
    )


def test_b_is_told_when_a_is_away(client: TestClient, world: World, clock: Clock) -> None:
    absence(client, world, "wafang_a", WAFANG, clock.now, clock.now + timedelta(days=1))
    uuid = open_event(client, world, [WAFANG])["opening"]["event_uuid"]
    clock.advance(minutes=45)
    alerts = [a for a in get(client, world, "wafang_b", DUTY)["alerts"] if a["event_uuid"] == uuid]
    assert [(a["kind"], a["a_away"]) for a in alerts] == [("escalated", True)]
    assert "A角瓦房社区信息员A请假" in alerts[0]["zh"]
    assert "A (瓦房社区信息员A) is on leave; B files for them" in alerts[0]["en"]
    wafang = village_of(get(client, world, "wafang_reviewer", DUTY), uuid, WAFANG)
    assert wafang["on_duty"]["username"] == "wafang_b"
    assert wafang["on_duty"]["acting_for"] == "wafang_a"


def test_continuing_window_after_midnight_china_time(
    client: TestClient, world: World, clock: Clock, event: dict[str, Any]
) -> None:
    uuid = event["event_uuid"]
    local = clock.now.astimezone(CHINA_TZ)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), CHINA_TZ)
    clock.jump_to(midnight + timedelta(hours=2))
    wafang = village_of(get(client, world, "wafang_reviewer", DUTY), uuid, WAFANG)
    assert [w["stage"] for w in wafang["windows"]] == ["initial", "continuing"]
    continuing = wafang["windows"][1]
    assert datetime.fromisoformat(continuing["starts_at"]) == midnight
    assert datetime.fromisoformat(continuing["escalate_at"]) == midnight + timedelta(hours=4)
    assert datetime.fromisoformat(continuing["due_at"]) == midnight + timedelta(hours=8)
    assert continuing["status"] == "waiting" and wafang["status"] == "waiting"
    clock.jump_to(midnight + timedelta(hours=5))
    assert (
        village_of(get(client, world, "wafang_reviewer", DUTY), uuid, WAFANG)["status"]
        == "escalated"
    )
    version = timed_item(clock, WAFANG, uuid, stage="continuing")
    assert push_now(client, world, clock, [version], "wafang_b")[0]["status"] == "accepted"
    wafang = village_of(get(client, world, "wafang_reviewer", DUTY), uuid, WAFANG)
    assert wafang["status"] == "filed" and wafang["windows"][1]["status"] == "filed"


def test_the_feed_carries_openings_to_their_villages(client: TestClient, world: World) -> None:
    uuid = new_id()
    cursor = {
        u: pull_all(client, world, u)[1] for u in ("wafang_a", "xinzhai_a", "wafang_reviewer")
    }
    open_event(client, world, [WAFANG], event_uuid=uuid)
    mine = [
        c
        for c in pull_all(client, world, "wafang_a", cursor["wafang_a"])[0]
        if c["kind"] == "event_opening"
    ]
    assert len(mine) == 1 and mine[0]["event_uuid"] == uuid
    assert mine[0]["village_codes"] == [WAFANG] and mine[0]["township_code"] == WAFANG_TOWNSHIP
    assert mine[0]["deadlines"]["initial_minutes"] == 60
    assert mine[0]["opened_by_name"] == "瓦房乡应急办"
    township = [
        c
        for c in pull_all(client, world, "wafang_reviewer", cursor["wafang_reviewer"])[0]
        if c["kind"] == "event_opening"
    ]
    assert len(township) == 2  # the village's row and the township's
    assert not [
        c
        for c in pull_all(client, world, "xinzhai_a", cursor["xinzhai_a"])[0]
        if c["kind"] == "event_opening"
    ]


def test_deadline_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITY_DEADLINE_INITIAL_MINUTES", "90")
    monkeypatch.setenv("CITY_DEADLINE_CONTINUING_DUE", "09:30")
    monkeypatch.setenv("CITY_DEADLINE_ESCALATE_FRACTION", "0.25")
    deadlines = Settings().deadlines
    assert (deadlines.initial_minutes, deadlines.continuing_due, deadlines.escalate_fraction) == (
        90,
        time(9, 30),
        0.25,
    )

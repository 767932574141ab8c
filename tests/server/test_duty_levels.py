"""Deadlines of the township, county and city reports from the disaster, and death alerts.

``GET /api/v1/duty`` on a real server (SQLite and PostgreSQL) as its clock moves: the units
owing a report on an event, their windows counted from the event's occurrence, the alerts of
late units to the managers in reach, and the death/missing alert to the township, the county
and the city at once.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from fastapi.testclient import TestClient

from sync.contract.deadlines import casualty_alert_id
from sync.contract.duty import CHINA_TZ
from tests.server.duty_steps import Clock, get, iso, push_now, timed_item
from tests.server.factories import WAFANG, WAFANG_TOWNSHIP, decision, new_id
from tests.server.steps import decide
from tests.server.world import World

#: The app of this module runs on its ``clock`` fixture (``tests/server/conftest.py``).
USES_CLOCK = True
DUTY = "/api/v1/duty"
LONGYANG = "530502000000"
BAOSHAN = "530500000000"


def unit(answer: dict[str, Any], event: str, code: str) -> dict[str, Any]:
    """Return one unit of one event in a duty answer."""
    found: dict[str, Any] = next(
        u for u in answer["units"] if u["event_uuid"] == event and u["unit_code"] == code
    )
    return found


def alerts(answer: dict[str, Any], event: str, kind: str | None = None) -> list[tuple[str, str]]:
    """Return ``(kind, post_code)`` of the unit alerts about ``event``."""
    return sorted(
        (a["kind"], a["post_code"])
        for a in answer["alerts"]
        if a["event_uuid"] == event
        and a.get("level") != "village"
        and (kind is None or a["kind"] == kind)
    )


def at(answer: dict[str, Any], key: str) -> datetime:
    return datetime.fromisoformat(str(answer[key]))


def submit_township(client: TestClient, world: World, event: str, stage: str) -> None:
    """Submit the township report of ``event`` as the server adds it up."""
    base = f"/api/v1/townships/{WAFANG_TOWNSHIP}/reports/{event}/{stage}"
    headers = world.headers(client, "wafang_reviewer")
    total = client.get(base, headers=headers).json()["total"]
    r = client.post(
        f"{base}/submit", headers=headers, json={"submission_uuid": new_id(), "figures": total}
    )
    assert r.status_code == 200, r.text


def test_township_and_county_deadlines_run_from_the_disaster(
    client: TestClient, world: World, clock: Clock
) -> None:
    event = new_id()
    occurred = clock.now - timedelta(minutes=10)
    version = timed_item(clock, WAFANG, event, figures={"affected_pop": 12})
    version["content"]["occurred_at"] = iso(occurred)
    assert push_now(client, world, clock, [version], "wafang_a")[0]["status"] == "accepted"

    county = get(client, world, "longyang_admin", DUTY)
    township = unit(county, event, WAFANG_TOWNSHIP)
    assert township["level"] == "township" and township["status"] == "waiting"
    [initial] = township["windows"]
    assert initial["stage"] == "initial"
    assert at(initial, "starts_at") == occurred
    assert at(initial, "escalate_at") == occurred + timedelta(minutes=30)
    assert at(initial, "due_at") == occurred + timedelta(hours=1)
    own = unit(county, event, LONGYANG)
    assert own["level"] == "county"
    assert at(own["windows"][0], "due_at") == occurred + timedelta(hours=2)
    assert not [u for u in county["units"] if u["unit_code"] == BAOSHAN]  # above its reach
    city = get(client, world, "baoshan_city", DUTY)
    assert at(unit(city, event, BAOSHAN)["windows"][0], "due_at") == occurred + timedelta(hours=2)
    assert not [u for u in get(client, world, "wafang_a", DUTY)["units"]]  # informants: none
    assert not [
        u for u in get(client, world, "tengchong_admin", DUTY)["units"] if u["event_uuid"] == event
    ]

    # Half an hour after the disaster the township has not filed: its own post hears of it
    # (B is alerted at every level with a post), and so do the county and the city.
    clock.jump_to(occurred + timedelta(minutes=31))
    mine = get(client, world, "wafang_reviewer", DUTY)
    assert alerts(mine, event) == [("escalated", WAFANG_TOWNSHIP)]
    text = next(a for a in mine["alerts"] if a["post_code"] == WAFANG_TOWNSHIP)
    assert "乡镇初报" in text["zh"] and "值班" in text["zh"]
    assert "township initial report" in text["en"]
    assert ("escalated", WAFANG_TOWNSHIP) in alerts(
        get(client, world, "longyang_admin", DUTY), event
    )
    assert ("escalated", WAFANG_TOWNSHIP) in alerts(get(client, world, "baoshan_city", DUTY), event)

    # The township reviews and submits: filed in time; an hour later the county is late.
    decide(client, world, [decision(version["version_uuid"])])
    submit_township(client, world, event, "initial")
    clock.jump_to(occurred + timedelta(minutes=61))
    county = get(client, world, "longyang_admin", DUTY)
    assert unit(county, event, WAFANG_TOWNSHIP)["status"] == "filed"
    assert alerts(county, event) == [("escalated", LONGYANG)]
    assert alerts(get(client, world, "wafang_reviewer", DUTY), event) == []
    clock.jump_to(occurred + timedelta(minutes=121))
    assert alerts(get(client, world, "baoshan_city", DUTY), event) == [
        ("overdue", BAOSHAN),
        ("overdue", LONGYANG),
    ]

    # The next China day: the continuing reports, cut-off 24:00, due 08:00 / 09:00 / 10:00.
    next_day = clock.now.astimezone(CHINA_TZ).date() + timedelta(days=1)
    clock.jump_to(datetime.combine(next_day, time(8, 30), CHINA_TZ))
    city = get(client, world, "baoshan_city", DUTY)
    dues = {}
    for code in (WAFANG_TOWNSHIP, LONGYANG, BAOSHAN):
        windows = unit(city, event, code)["windows"]
        [continuing] = [w for w in windows if w["stage"] == "continuing"]
        assert at(continuing, "starts_at") == datetime.combine(next_day, time(0), CHINA_TZ)
        dues[code] = at(continuing, "due_at").astimezone(CHINA_TZ).time()
    assert dues == {WAFANG_TOWNSHIP: time(8), LONGYANG: time(9), BAOSHAN: time(10)}
    assert unit(city, event, WAFANG_TOWNSHIP)["status"] == "overdue"


def test_a_death_or_missing_person_alerts_township_county_and_city(
    client: TestClient, world: World, clock: Clock
) -> None:
    event, calm = new_id(), new_id()
    hurt = timed_item(clock, WAFANG, event, figures={"affected_pop": 30, "deaths": 1, "missing": 2})
    quiet = timed_item(clock, WAFANG, calm, figures={"affected_pop": 5})
    results = push_now(client, world, clock, [hurt, quiet], "wafang_a")
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    wanted = casualty_alert_id(event, WAFANG, 1, 2)
    for user in ("wafang_reviewer", "longyang_admin", "baoshan_city"):
        answer = get(client, world, user, DUTY)
        found = [a for a in answer["alerts"] if a["kind"] == "casualty"]
        assert [a["alert_id"] for a in found if a["event_uuid"] == event] == [wanted], user
        assert not [a for a in found if a["event_uuid"] == calm], user
        alert = next(a for a in found if a["event_uuid"] == event)
        assert (alert["deaths"], alert["missing"]) == (1, 2)
        assert "死亡 1 人、失踪 2 人" in alert["zh"] and "1 dead and 2 missing" in alert["en"]
    for user in ("wafang_a", "tengchong_admin"):
        assert not [a for a in get(client, world, user, DUTY)["alerts"] if a["kind"] == "casualty"]

    # A correction that finds the missing person: a new alert (new figures), the old one gone.
    clock.advance(minutes=5)
    fix = timed_item(
        clock,
        WAFANG,
        event,
        figures={"affected_pop": 30, "deaths": 1, "missing": 0},
        report_uuid=hurt["content"]["report_uuid"],
    )
    fix.update(parent_version_uuid=hurt["version_uuid"], version_no=2)
    assert push_now(client, world, clock, [fix], "wafang_a")[0]["status"] == "accepted"
    ids = [
        a["alert_id"]
        for a in get(client, world, "longyang_admin", DUTY)["alerts"]
        if a["kind"] == "casualty" and a["event_uuid"] == event
    ]
    assert ids == [casualty_alert_id(event, WAFANG, 1, 0)]

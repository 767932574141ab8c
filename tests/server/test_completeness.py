"""Completeness: which villages have not reported (24-hour zero-report rule), and who is on duty."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from sync.server.models import Assignment, Post, User
from sync.server.services.accounts import end_assignment
from tests.server.factories import SHUIGOU, WAFANG, WAFANG_TOWNSHIP, new_id
from tests.server.steps import filed
from tests.server.world import World
from tests.support.places import DANGXI

URL = f"/api/v1/townships/{WAFANG_TOWNSHIP}/completeness"


def panel(client: TestClient, world: World, **params: str) -> dict[str, Any]:
    r = client.get(URL, headers=world.headers(client, "wafang_reviewer"), params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def missing(body: dict[str, Any]) -> dict[str, Any]:
    """Each missing village's ``on_duty`` (an object, or None when nobody holds the post)."""
    return {v["village_code"]: v["on_duty"] for v in body["villages"] if not v["reported"]}


def test_lists_every_village_and_who_is_on_duty_where_missing(
    client: TestClient, world: World
) -> None:
    event = new_id()
    filed(client, world, event_uuid=event)
    body = panel(client, world, event_uuid=event)
    codes = [v["village_code"] for v in body["villages"]]
    assert len(codes) == 19 and codes == sorted(codes)
    assert all(c.startswith("530502208") for c in codes)
    assert [v["village_code"] for v in body["villages"] if v["reported"]] == [WAFANG]
    assert (body["reported_count"], body["missing_count"]) == (1, 18)
    gone = missing(body)
    assert gone[SHUIGOU] == {
        "username": "shuigou_a",
        "display_name": "水沟洼村信息员A",
        "phone": "13808752021",
        "post_role": "A",
    }
    assert gone[DANGXI]["username"] == "dangxi_a"  # 党西村: the sample's A
    assert gone["530502208204"] is None  # 党东村: nobody holds the post
    reported = body["villages"][0]
    assert reported["on_duty"] is None and reported["report_count"] == 1
    assert reported["village_name"] == "瓦房社区" and reported["last_received_at"]


def test_a_day_runs_from_midnight_to_midnight_china_time(client: TestClient, world: World) -> None:
    late = {
        "data_cutoff_at": "2024-07-02T23:00:00+08:00",
        "submitted_at": "2024-07-02T23:50:00+08:00",
    }  # 15:50 UTC: still 2 July
    after = {
        "data_cutoff_at": "2024-07-03T00:00:00+08:00",
        "submitted_at": "2024-07-03T00:10:00+08:00",
    }  # 16:10 UTC on 2 July: 3 July
    event = new_id()
    filed(client, world, SHUIGOU, "shuigou_b", event_uuid=event, stage="continuing", **late)
    filed(client, world, event_uuid=event, stage="continuing", **after)
    day2 = panel(client, world, day="2024-07-02", event_uuid=event)
    assert [v["village_code"] for v in day2["villages"] if v["reported"]] == [SHUIGOU]
    assert day2["window_start"].startswith("2024-07-01T16:00:00")
    assert day2["window_end"].startswith("2024-07-02T16:00:00")
    day3 = panel(client, world, day="2024-07-03", event_uuid=event)
    assert [v["village_code"] for v in day3["villages"] if v["reported"]] == [WAFANG]
    assert WAFANG in [
        v["village_code"]
        for v in panel(client, world, day="2024-07-03")["villages"]
        if v["reported"]
    ]


def test_needs_an_event_or_a_day(client: TestClient, world: World) -> None:
    h = world.headers(client, "wafang_reviewer")
    r = client.get(URL, headers=h)
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request"
    r = client.get(URL, headers=h, params={"day": "July 2"})
    assert r.status_code == 422


def test_b_is_on_duty_when_the_a_has_left(client: TestClient, world: World) -> None:
    with world.app.state.db.writing() as session:
        active = session.scalar(
            select(Assignment)
            .join(Post, Post.id == Assignment.post_id)
            .join(User, User.id == Assignment.user_id)
            .where(
                Post.division_code == SHUIGOU,
                User.username == "shuigou_a",
                Assignment.valid_to.is_(None),
            )
        )
        assert active is not None
        end_assignment(session, active)
    gone = missing(panel(client, world, event_uuid=new_id()))
    assert gone[SHUIGOU] == {
        "username": "shuigou_b",
        "display_name": "水沟洼村信息员B",
        "phone": "13808752022",
        "post_role": "B",
    }

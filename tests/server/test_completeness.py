"""Completeness: which villages have not reported (24-hour zero-report rule), and who is on duty."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from sync.contract.china_time import CHINA_TZ
from sync.server.models import Assignment, Post, User
from sync.server.services.accounts import end_assignment
from tests.server.factories import SHUIGOU, WAFANG, WAFANG_TOWNSHIP, batch, content, item, new_id
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


def _filed_now(client: TestClient, world: World, village: str, user: str, **overrides: Any) -> None:
    """File one report from a device whose clock is right (its filing time is believed)."""
    body = content(village, **overrides)
    now = datetime.now(UTC).isoformat()
    r = client.post(
        "/api/v1/reports/batch",
        headers=world.headers(client, user),
        json=batch(f"dev-{user}", [item(body)], device_time=now),
    )
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "accepted", r.text


def test_a_day_runs_from_midnight_to_midnight_china_time(client: TestClient, world: World) -> None:
    # Three days ago and the day after, in China: recent enough that the filing times of a
    # device whose clock is right are kept as filed.
    day = (datetime.now(CHINA_TZ) - timedelta(days=3)).date()
    next_day = day + timedelta(days=1)
    late = {
        "data_cutoff_at": f"{day}T23:00:00+08:00",
        "submitted_at": f"{day}T23:50:00+08:00",
    }  # 15:50 UTC: still ``day``
    after = {
        "data_cutoff_at": f"{next_day}T00:00:00+08:00",
        "submitted_at": f"{next_day}T00:10:00+08:00",
    }  # 16:10 UTC on ``day``: ``next_day`` in China
    event = new_id()
    _filed_now(client, world, SHUIGOU, "shuigou_b", event_uuid=event, stage="continuing", **late)
    _filed_now(client, world, WAFANG, "wafang_a", event_uuid=event, stage="continuing", **after)
    first = panel(client, world, day=str(day), event_uuid=event)
    assert [v["village_code"] for v in first["villages"] if v["reported"]] == [SHUIGOU]
    before = day - timedelta(days=1)
    assert first["window_start"].startswith(f"{before}T16:00:00")
    assert first["window_end"].startswith(f"{day}T16:00:00")
    second = panel(client, world, day=str(next_day), event_uuid=event)
    assert [v["village_code"] for v in second["villages"] if v["reported"]] == [WAFANG]
    assert WAFANG in [
        v["village_code"]
        for v in panel(client, world, day=str(next_day))["villages"]
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

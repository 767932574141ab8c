"""The A/B roster: database constraints and read access."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from sync.server.db import utc_now
from sync.server.models import Assignment, Post, PostRole, Role, User
from sync.server.services.accounts import add_user, assign, end_assignment
from tests.server.factories import SHUIGOU, WAFANG, WAFANG_TOWNSHIP
from tests.server.world import PASSWORD, World

VILLAGE = "530502208208"  # 浪戛村: a post nobody holds in the shared world


def _user(world: World, name: str, village: str = VILLAGE) -> User:
    with world.app.state.db.writing() as session:
        return add_user(
            session, world.app.state.passwords, name, Role.VILLAGE_INFORMANT, village, PASSWORD
        )


def test_second_active_a_is_refused_by_the_database(world: World) -> None:
    first, second = _user(world, "shangzhai_a1"), _user(world, "shangzhai_a2")
    with world.app.state.db.writing() as session:
        assign(session, first.username, VILLAGE, PostRole.A)
    with world.app.state.db.writing() as session:
        post = session.scalar(select(Post).where(Post.division_code == VILLAGE))
        assert post is not None
        post_id = post.id
    # Straight to the table, bypassing every service check: the index refuses it.
    with pytest.raises(IntegrityError), world.app.state.db.writing() as session:
        session.add(
            Assignment(post_id=post_id, user_id=second.id, post_role="A", valid_from=utc_now())
        )
        session.flush()
    with pytest.raises(IntegrityError), world.app.state.db.writing() as session:
        assign(session, second.username, VILLAGE, PostRole.A)
    # A B beside the A is fine; a second B is not; the same person twice is not.
    with world.app.state.db.writing() as session:
        assign(session, second.username, VILLAGE, PostRole.B)
    with pytest.raises(IntegrityError), world.app.state.db.writing() as session:
        assign(session, first.username, VILLAGE, PostRole.B)
    # Handing over: end the A, then the next A may start; history keeps both.
    with world.app.state.db.writing() as session:
        active = session.scalar(
            select(Assignment).where(
                Assignment.post_id == post_id,
                Assignment.post_role == "A",
                Assignment.valid_to.is_(None),
            )
        )
        assert active is not None
        end_assignment(session, active)
    third = _user(world, "shangzhai_a3")
    with world.app.state.db.writing() as session:
        assign(session, third.username, VILLAGE, PostRole.A)
        rows = session.scalars(select(Assignment).where(Assignment.post_id == post_id)).all()
    assert sorted((r.post_role, r.valid_to is None) for r in rows) == [
        ("A", False),
        ("A", True),
        ("B", True),
    ]


def test_period_check(world: World) -> None:
    user = _user(world, "period")
    with world.app.state.db.writing() as session:
        post_id = session.scalar(select(Post.id).where(Post.division_code == WAFANG))
    with pytest.raises(IntegrityError), world.app.state.db.writing() as session:
        now = utc_now()
        session.add(Assignment(post_id=post_id, user_id=user.id, post_role="C", valid_from=now))
        session.flush()


def test_me_lists_active_posts(client: TestClient, world: World) -> None:
    me = client.get("/api/v1/me", headers=world.headers(client, "wafang_b")).json()
    assert me["user"]["posts"] == [
        {"division_code": WAFANG, "division_name": "瓦房社区", "level": "village", "post_role": "B"}
    ]
    assert me["user"]["jurisdiction_name"] == "瓦房社区"
    reviewer = client.get("/api/v1/me", headers=world.headers(client, "wafang_reviewer")).json()
    assert reviewer["user"]["posts"] == [
        {
            "division_code": WAFANG_TOWNSHIP,
            "division_name": "瓦房彝族苗族乡",
            "level": "township",
            "post_role": "A",
        }
    ]
    assert reviewer["user"]["jurisdiction_code"] == WAFANG_TOWNSHIP


def test_roster_within_reach(client: TestClient, world: World) -> None:
    r = client.get(f"/api/v1/roster?under={WAFANG}", headers=world.headers(client, "wafang_a"))
    assert r.status_code == 200
    posts = r.json()["posts"]
    assert [p["division_code"] for p in posts] == [WAFANG]
    assert [(h["post_role"], h["username"]) for h in posts[0]["holders"]] == [
        ("A", "wafang_a"),
        ("B", "wafang_b"),
    ]
    r = client.get(f"/api/v1/roster?under={SHUIGOU}", headers=world.headers(client, "wafang_a"))
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = client.get(
        f"/api/v1/roster?under={WAFANG_TOWNSHIP}", headers=world.headers(client, "wafang_reviewer")
    )
    codes = {p["division_code"] for p in r.json()["posts"]}
    assert {WAFANG, SHUIGOU} <= codes
    assert all(c.startswith("530502208") for c in codes)
    r = client.get("/api/v1/roster?under=garbage", headers=world.headers(client, "baoshan_city"))
    assert r.status_code == 404

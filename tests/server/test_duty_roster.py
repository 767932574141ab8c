"""Managing the A/B roster through the API: assign, replace, no-op, end, who may, users.

docs/duty.md "Who manages which posts": a township reviewer manages its village posts, a
county admin its township posts, a city admin its county posts.  Outside the reach: 404;
inside it but not the manager: 403.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from sync.server.models import AbsenceRow, Assignment, Post, ReportVersion, Role
from sync.server.services.accounts import add_user
from tests.server.duty_steps import Clock, get, post, push_now, timed_item
from tests.server.factories import (
    LONGYANG,
    SHUIGOU,
    WAFANG,
    WAFANG_TOWNSHIP,
    XINZHAI,
    new_id,
)
from tests.server.steps import pull_all
from tests.server.world import PASSWORD, World
from tests.support.places import DANGXI

ASSIGN = "/api/v1/roster/assignments"


#: The app of this module runs on its ``clock`` fixture (``tests/server/conftest.py``).
USES_CLOCK = True


def _add(world: World, username: str, role: Role, jurisdiction: str) -> None:
    with world.app.state.db.writing() as session:
        add_user(
            session,
            world.app.state.passwords,
            username,
            role,
            jurisdiction,
            PASSWORD,
            username.upper(),
        )


def _assign(
    client: TestClient,
    world: World,
    username: str,
    role: str,
    post_code: str = DANGXI,
    user: str = "wafang_reviewer",
    status: int = 200,
    **extra: object,
) -> dict[str, Any]:
    return post(
        client,
        world,
        user,
        ASSIGN,
        {"post_code": post_code, "username": username, "post_role": role, **extra},
        status,
    )


def test_a_b_assigned_later_sees_the_post_and_pushes(
    client: TestClient, world: World, clock: Clock
) -> None:
    me = get(client, world, "dangxi_b", "/api/v1/me")
    assert me["user"]["posts"] == []
    done = _assign(client, world, "dangxi_b", "B", reason="党西村补充 B角")
    assert done["status"] == "accepted" and done["ended"] is None and done["handover"] is None
    assert done["assignment"]["username"] == "dangxi_b"
    assert done["assignment"]["reason"] == "党西村补充 B角"
    assert done["assignment"]["created_by"] == "wafang_reviewer"
    me = get(client, world, "dangxi_b", "/api/v1/me")
    assert [(p["division_code"], p["post_role"]) for p in me["user"]["posts"]] == [(DANGXI, "B")]
    clock.advance(minutes=5)
    version = timed_item(clock, DANGXI, new_id())
    assert push_now(client, world, clock, [version], "dangxi_b")[0]["status"] == "accepted"
    report = get(
        client, world, "wafang_reviewer", f"/api/v1/reports/{version['content']['report_uuid']}"
    )
    assert report["versions"][0]["filing_role"] == "B_while_A_on_duty"
    # Asking again for what is already so changes nothing.
    again = _assign(client, world, "dangxi_b", "B")
    assert again["status"] == "unchanged"
    assert again["assignment"]["assignment_id"] == done["assignment"]["assignment_id"]


def test_role_taken_and_one_person_one_role(client: TestClient, world: World) -> None:
    _add(world, "dangxi_new", Role.VILLAGE_INFORMANT, DANGXI)
    error = _assign(client, world, "dangxi_new", "A", status=409)["error"]
    assert error["code"] == "role_taken" and error["holder"] == "dangxi_a"
    assert error["zh"] and error["en"]
    error = _assign(client, world, "dangxi_b", "A", replace=True, status=409)["error"]
    assert error["code"] == "holds_other_role"


def test_replace_hands_the_post_over(client: TestClient, world: World, clock: Clock) -> None:
    clock.advance(minutes=1)
    cursor = pull_all(client, world, "wafang_reviewer")[1]
    done = _assign(client, world, "dangxi_new", "A", replace=True, reason="原 A角调任")
    assert done["status"] == "accepted"
    assert done["ended"]["username"] == "dangxi_a" and done["ended"]["valid_to"] is not None
    assert done["ended"]["ended_reason"] == "原 A角调任"
    assert done["ended"]["ended_by"] == "wafang_reviewer"
    assert done["ended"]["valid_to"] == done["assignment"]["valid_from"]
    handover = done["handover"]
    assert (handover["kind"], handover["from_username"], handover["to_username"]) == (
        "assignment",
        "dangxi_a",
        "dangxi_new",
    )
    assert handover["open_items"]["unsent_reports"] is None
    assert handover["signed_off_at"] is None
    roster = get(client, world, "wafang_reviewer", "/api/v1/roster", under=DANGXI)["posts"][0]
    assert [(h["post_role"], h["username"]) for h in roster["holders"]] == [
        ("A", "dangxi_new"),
        ("B", "dangxi_b"),
    ]
    assert roster["on_duty"]["username"] == "dangxi_new" and roster["manageable"] is True
    changes = pull_all(client, world, "wafang_reviewer", cursor)[0]
    assert [(c["kind"], c.get("username")) for c in changes] == [
        ("roster", "dangxi_a"),
        ("roster", "dangxi_new"),
        ("handover", None),
    ]
    assert changes[0]["ended_reason"] == "原 A角调任" and changes[1]["reason"] == "原 A角调任"
    assert changes[2]["handover_kind"] == "assignment"
    # The A who left no longer reaches the village.
    assert get(client, world, "dangxi_a", "/api/v1/me")["user"]["posts"] == []


def test_end_an_assignment(client: TestClient, world: World, clock: Clock) -> None:
    clock.advance(minutes=1)
    roster = get(client, world, "wafang_reviewer", "/api/v1/roster", under=DANGXI)["posts"][0]
    b = next(h for h in roster["holders"] if h["post_role"] == "B")
    path = f"{ASSIGN}/{b['assignment_id']}/end"
    assert (
        post(client, world, "dangxi_b", path, {"reason": "x"}, 403)["error"]["code"] == "forbidden"
    )
    assert post(client, world, "lujiang_reviewer", path, {}, 404)["error"]["code"] == "not_found"
    done = post(client, world, "wafang_reviewer", path, {"reason": "B角外出务工"})
    assert done["status"] == "accepted" and done["assignment"]["valid_to"] is not None
    assert (done["handover"]["from_username"], done["handover"]["to_username"]) == (
        "dangxi_b",
        "dangxi_new",
    )
    again = post(client, world, "wafang_reviewer", path, {"reason": "B角外出务工"})
    assert again["status"] == "unchanged" and again["handover"] is None
    history = get(client, world, "wafang_reviewer", "/api/v1/roster/history", post=DANGXI)
    assert [
        (a["username"], a["post_role"], a["valid_to"] is None) for a in history["assignments"]
    ] == [("dangxi_a", "A", False), ("dangxi_b", "B", False), ("dangxi_new", "A", True)]
    assert [h["kind"] for h in history["handovers"]] == ["assignment", "assignment"]
    assert history["assignments"][1]["ended_reason"] == "B角外出务工"
    get(client, world, "shuigou_a", "/api/v1/roster/history", 404, post=DANGXI)
    # Ending the last holder hands over to nobody: no handover.
    a = history["assignments"][2]["assignment_id"]
    assert post(client, world, "wafang_reviewer", f"{ASSIGN}/{a}/end")["handover"] is None


@pytest.mark.parametrize(
    ("user", "post_code", "username", "role", "status"),
    [
        ("wafang_reviewer", XINZHAI, "xinzhai_a", "B", 404),  # another township's village
        ("lujiang_reviewer", WAFANG, "wafang_b", "B", 404),
        ("tengchong_admin", WAFANG, "wafang_b", "B", 404),  # another county
        ("wafang_a", WAFANG, "wafang_b", "B", 403),  # an informant manages nothing
        ("longyang_admin", SHUIGOU, "shuigou_b", "B", 403),  # the county manages townships
        ("baoshan_city", SHUIGOU, "shuigou_b", "B", 403),
        ("longyang_admin", WAFANG_TOWNSHIP, "wafang_reviewer2", "B", 200),
        ("baoshan_city", LONGYANG, "longyang_admin", "A", 200),
        ("baoshan_city", WAFANG_TOWNSHIP, "wafang_reviewer2", "B", 403),
        ("wafang_reviewer", WAFANG, "gudong_a", "B", 422),  # not in the manager's jurisdiction
        ("wafang_reviewer", WAFANG, "wafang_reviewer", "B", 422),  # not an informant
        ("wafang_reviewer", WAFANG, "shuigou_a", "B", 422),  # the post is outside their area
    ],
)
def test_who_may_assign(
    client: TestClient,
    world: World,
    user: str,
    post_code: str,
    username: str,
    role: str,
    status: int,
) -> None:
    if username == "wafang_reviewer2" and not _exists(world, username):
        _add(world, username, Role.TOWNSHIP_REVIEWER, WAFANG_TOWNSHIP)
    body = _assign(client, world, username, role, post_code, user, status, replace=True)
    codes = {403: "forbidden", 404: "not_found", 422: "assignee_not_eligible"}
    if status != 200:
        assert body["error"]["code"] == codes[status] and body["error"]["zh"], body


def _exists(world: World, username: str) -> bool:
    from sync.server.models import User

    with world.app.state.db.read_session() as session:
        return session.scalar(select(User.id).where(User.username == username)) is not None


def test_roster_shows_ids_duty_and_who_may_manage(client: TestClient, world: World) -> None:
    mine = get(client, world, "wafang_a", "/api/v1/roster")["posts"]
    assert [p["division_code"] for p in mine] == [WAFANG]
    assert mine[0]["manageable"] is False and mine[0]["absences"] == []
    assert all(isinstance(h["assignment_id"], int) for h in mine[0]["holders"])
    assert mine[0]["on_duty"] == {
        "username": "wafang_a",
        "display_name": "瓦房社区信息员A",
        "phone": "13808752011",
        "post_role": "A",
        "acting_for": None,
        "acting_for_name": None,
        "absence_uuid": None,
    }
    county = get(client, world, "longyang_admin", "/api/v1/roster", under=WAFANG_TOWNSHIP)
    manageable = {p["division_code"]: p["manageable"] for p in county["posts"]}
    assert manageable[WAFANG_TOWNSHIP] is True and manageable[WAFANG] is False


def test_users_for_managers_only(client: TestClient, world: World) -> None:
    users = get(client, world, "wafang_reviewer", "/api/v1/users")
    assert users["under"] == WAFANG_TOWNSHIP
    by_name = {u["username"]: u for u in users["users"]}
    assert by_name["wafang_a"]["posts"] == [{"post_code": WAFANG, "post_role": "A"}]
    assert by_name["wafang_a"]["phone"] == "13808752011"
    assert "xinzhai_a" not in by_name and "gudong_a" not in by_name
    assert all(
        set(u)
        == {"username", "display_name", "role", "jurisdiction_code", "phone", "disabled", "posts"}
        for u in users["users"]
    )
    assert get(client, world, "wafang_a", "/api/v1/users", 403)["error"]["code"] == "forbidden"
    get(client, world, "lujiang_reviewer", "/api/v1/users", 404, under=WAFANG_TOWNSHIP)
    county = get(client, world, "longyang_admin", "/api/v1/users", under=SHUIGOU)
    assert {u["username"] for u in county["users"]} == {"shuigou_a", "shuigou_b"}


def test_the_database_refuses_a_bad_absence_and_filing_role(world: World) -> None:
    db = world.app.state.db
    with db.read_session() as session:
        post_id, assignment_id, user_id = session.execute(
            select(Post.id, Assignment.id, Assignment.user_id)
            .join(Assignment, Assignment.post_id == Post.id)
            .where(
                Post.division_code == WAFANG,
                Assignment.post_role == "A",
                Assignment.valid_to.is_(None),
            )
        ).one()
        version = session.scalar(select(ReportVersion.version_uuid).limit(1))
    from sync.server.db import utc_now

    now = utc_now()
    for starts, ends in [(now, now), (now, now.replace(year=now.year - 1))]:
        with pytest.raises(IntegrityError), db.writing() as session:
            session.add(
                AbsenceRow(
                    absence_uuid=new_id(),
                    post_id=post_id,
                    assignment_id=assignment_id,
                    user_id=user_id,
                    starts_at=starts,
                    ends_at=ends,
                    kind="leave",
                    reason="x",
                    created_at=now,
                )
            )
            session.flush()
    with pytest.raises(IntegrityError), db.writing() as session:
        session.add(
            AbsenceRow(
                absence_uuid=new_id(),
                post_id=post_id,
                assignment_id=assignment_id,
                user_id=user_id,
                starts_at=now,
                ends_at=now.replace(year=now.year + 1),
                kind="holiday",
                reason="x",
                created_at=now,
            )
        )
        session.flush()
    assert version is not None
    with pytest.raises(IntegrityError), db.writing() as session:
        row = session.get(ReportVersion, version)
        assert row is not None
        row.filing_role = "C"
        session.flush()


def test_one_person_holds_posts_in_two_villages(
    client: TestClient, world: World, clock: Clock
) -> None:
    """A township-wide informant is B of two villages: both posts, pushes for both."""
    _add(world, "roving_b", Role.VILLAGE_INFORMANT, WAFANG_TOWNSHIP)
    for village in ("530502208204", "530502208205"):  # 党东村, 桂花村: no holders yet
        done = _assign(client, world, "roving_b", "B", post_code=village, reason="片区 B角")
        assert done["status"] == "accepted"
    me = get(client, world, "roving_b", "/api/v1/me")
    assert sorted((p["division_code"], p["post_role"]) for p in me["user"]["posts"]) == [
        ("530502208204", "B"),
        ("530502208205", "B"),
    ]
    clock.advance(minutes=1)
    items = [timed_item(clock, v, new_id()) for v in ("530502208204", "530502208205")]
    results = push_now(client, world, clock, items, "roving_b")
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    # With no A on either post, B is on duty alone and files as acting.
    report = get(client, world, "roving_b", f"/api/v1/reports/{items[0]['content']['report_uuid']}")
    assert report["versions"][0]["filing_role"] == "B_acting"


def test_roster_lists_the_villages_still_to_staff(client: TestClient, world: World) -> None:
    """A township sees every village it manages, with a post or not, so it can staff them."""
    posts = {
        p["division_code"]: p
        for p in get(client, world, "wafang_reviewer", "/api/v1/roster")["posts"]
    }
    meilanshan = posts["530502208203"]  # 梅兰山村: nobody holds a post there
    assert meilanshan["holders"] == [] and meilanshan["manageable"] is True
    assert meilanshan["division_name"] == "梅兰山村" and meilanshan["on_duty"]["username"] is None
    assert posts[WAFANG]["holders"]  # the staffed ones are still there, in code order
    assert list(posts) == sorted(posts)
    # An informant sees only their own post; a county admin its townships, not villages.
    assert [
        p["division_code"] for p in get(client, world, "wafang_a", "/api/v1/roster")["posts"]
    ] == [WAFANG]
    county = {
        p["division_code"]: p
        for p in get(client, world, "longyang_admin", "/api/v1/roster")["posts"]
    }
    assert "530502208203" not in county  # a village to staff is the township's business
    assert county["530502106000"]["holders"] == []  # 潞江镇: a township still to staff
    assert county["530502106000"]["manageable"] is True

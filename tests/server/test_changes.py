"""The change feed: pages, cursors, reach filtering and roster changes."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from sync.server.errors import ApiError
from sync.server.models import PostRole, Role
from sync.server.services.accounts import add_user, assign
from sync.server.services.changes import Cursor
from tests.server.factories import SHUIGOU, WAFANG, batch, content, item
from tests.server.steps import settle_feed
from tests.server.world import PASSWORD, World


def pull_all(
    client: TestClient, h: dict[str, str], cursor: str | None = None, limit: int = 7
) -> tuple[list[dict[str, Any]], str]:
    settle_feed(client)
    changes: list[dict[str, Any]] = []
    while True:
        r = client.get(
            "/api/v1/changes",
            headers=h,
            params={"limit": limit, **({"cursor": cursor} if cursor else {})},
        )
        assert r.status_code == 200, r.text
        body = r.json()
        changes += body["changes"]
        cursor = body["cursor"]
        if not body["has_more"]:
            return changes, cursor


def test_pages_and_cursor(client: TestClient, world: World) -> None:
    h = world.headers(client, "wafang_b")
    _, cursor = pull_all(client, h)
    pushed = [item(content()) for _ in range(23)]
    client.post(
        "/api/v1/reports/batch",
        headers=world.headers(client, "wafang_a"),
        json=batch("dev-wafang_a", pushed),
    )
    changes, cursor2 = pull_all(client, h, cursor, limit=5)
    assert [c["version_uuid"] for c in changes] == [p["version_uuid"] for p in pushed]
    first = changes[0]
    assert first["kind"] == "report_version" and first["status"] == "accepted"
    assert first["content"]["report_uuid"] == pushed[0]["content"]["report_uuid"]
    assert first["submitted_by"] == "wafang_a" and first["village_code"] == WAFANG
    again, _ = pull_all(client, h, cursor2)
    assert again == []


def test_reach_filters_changes(client: TestClient, world: World) -> None:
    mine = item(content(WAFANG))
    theirs = item(content(SHUIGOU))
    client.post(
        "/api/v1/reports/batch",
        headers=world.headers(client, "wafang_a"),
        json=batch("dev-wafang_a", [mine]),
    )
    client.post(
        "/api/v1/reports/batch",
        headers=world.headers(client, "shuigou_a"),
        json=batch("dev-shuigou_a", [theirs]),
    )
    seen_a = {c.get("version_uuid") for c in pull_all(client, world.headers(client, "wafang_b"))[0]}
    assert mine["version_uuid"] in seen_a and theirs["version_uuid"] not in seen_a
    seen_t = {
        c.get("version_uuid") for c in pull_all(client, world.headers(client, "wafang_reviewer"))[0]
    }
    assert {mine["version_uuid"], theirs["version_uuid"]} <= seen_t


def test_roster_changes_are_pulled(client: TestClient, world: World) -> None:
    h = world.headers(client, "wafang_reviewer")
    _, cursor = pull_all(client, h)
    with world.app.state.db.writing() as session:
        add_user(
            session,
            world.app.state.passwords,
            "dangdong_a",
            Role.VILLAGE_INFORMANT,
            "530502208204",
            PASSWORD,
        )
        assign(session, "dangdong_a", "530502208204", PostRole.A)
    changes, _ = pull_all(client, h, cursor)
    assert [
        (c["kind"], c["username"], c["post_code"], c["post_role"], c["valid_to"]) for c in changes
    ] == [("roster", "dangdong_a", "530502208204", "A", None)]
    # Out of the township's reach: 水沟洼村's informants do not hear of it.
    out, _ = pull_all(client, world.headers(client, "shuigou_b"), None)
    assert all(c.get("username") != "dangdong_a" for c in out)


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "e30",
        "!!!",
        base64.urlsafe_b64encode(json.dumps({"v": 1, "x": -1, "s": 0}).encode()).decode(),
        base64.urlsafe_b64encode(json.dumps({"v": 2, "x": 1, "s": 0}).encode()).decode(),
        "x" * 500,
    ],
)
def test_bad_cursor(client: TestClient, world: World, cursor: str) -> None:
    r = client.get(
        "/api/v1/changes", headers=world.headers(client, "wafang_a"), params={"cursor": cursor}
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_cursor"


def test_cursor_round_trip() -> None:
    c = Cursor(123456789012, 42)
    assert Cursor.decode(c.encode()) == c
    assert Cursor.decode(None) == Cursor() == Cursor.decode("")


def test_report_listing_pages(client: TestClient, world: World) -> None:
    h = world.headers(client, "wafang_reviewer")
    seen: list[str] = []
    cursor = None
    while True:
        r = client.get(
            "/api/v1/reports",
            headers=h,
            params={"under": WAFANG, "limit": 4, **({"cursor": cursor} if cursor else {})},
        )
        assert r.status_code == 200
        seen += [x["report_uuid"] for x in r.json()["reports"]]
        assert all(x["village_code"] == WAFANG for x in r.json()["reports"])
        cursor = r.json()["cursor"]
        if not r.json()["has_more"]:
            break
    assert len(seen) == len(set(seen)) > 4 and seen == sorted(seen)
    r = client.get("/api/v1/reports", headers=h, params={"cursor": "%%%"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_cursor"


@given(
    st.text(max_size=300)
    | st.binary(max_size=200).map(lambda b: base64.urlsafe_b64encode(b).decode())
)
def test_any_text_is_a_cursor_or_bad_cursor(text: str) -> None:
    try:
        cursor = Cursor.decode(text)
    except ApiError as exc:
        assert exc.kind.code == "bad_cursor"
    else:
        assert Cursor.decode(cursor.encode()) == cursor


@given(st.integers(0, 2**63 - 1), st.integers(0, 2**63 - 1))
def test_cursor_round_trips(txid: int, seq: int) -> None:
    assert Cursor.decode(Cursor(txid, seq).encode()) == Cursor(txid, seq)


def _display_name(world: World, username: str) -> str:
    from sqlalchemy import select

    from sync.server.models import User

    with world.app.state.db.writing() as session:
        return str(session.scalar(select(User.display_name).where(User.username == username)))


def test_version_changes_name_the_current_version_and_the_filer(
    client: TestClient, world: World
) -> None:
    h_a, h_b = world.headers(client, "wafang_a"), world.headers(client, "wafang_b")
    body = content(WAFANG)
    v1 = item(body)
    client.post("/api/v1/reports/batch", headers=h_a, json=batch("dev-wafang_a", [v1]))
    reviewer = world.headers(client, "wafang_reviewer")
    first = pull_all(client, reviewer)[0][-1]
    assert first["version_uuid"] == v1["version_uuid"]
    assert first["current_version_uuid"] == v1["version_uuid"]
    v2 = item(dict(body, narrative="B 的修改"), parent=v1["version_uuid"], version_no=2)
    assert (
        client.post("/api/v1/reports/batch", headers=h_b, json=batch("dev-wafang_b", [v2])).json()[
            "results"
        ][0]["status"]
        == "accepted"
    )
    v2a = item(dict(body, narrative="A 的修改"), parent=v1["version_uuid"], version_no=2)
    assert (
        client.post("/api/v1/reports/batch", headers=h_a, json=batch("dev-wafang_a", [v2a])).json()[
            "results"
        ][0]["status"]
        == "conflict"
    )
    changes, _ = pull_all(client, reviewer)
    mine = {c["version_uuid"]: c for c in changes if c.get("report_uuid") == body["report_uuid"]}
    assert set(mine) == {v1["version_uuid"], v2["version_uuid"], v2a["version_uuid"]}
    # Read now, every change of the report names its current version (not the one at write).
    assert {c["current_version_uuid"] for c in mine.values()} == {v2["version_uuid"]}
    assert [
        (mine[v["version_uuid"]]["post_role"], mine[v["version_uuid"]]["submitted_by_name"])
        for v in (v1, v2, v2a)
    ] == [
        ("A", _display_name(world, "wafang_a")),
        ("B", _display_name(world, "wafang_b")),
        ("A", _display_name(world, "wafang_a")),
    ]
    assert all(c["submitted_by_name"] for c in mine.values())


def _forged(txid: int, seq: int) -> str:
    """A cursor made by hand (not handed out by the server)."""
    raw = json.dumps({"v": 1, "x": txid, "s": seq}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_future_cursor_is_refused(client: TestClient, world: World) -> None:
    """A cursor past the log's end (forged, or from a server set up anew) is bad_cursor."""
    h = world.headers(client, "wafang_a")
    _, cursor = pull_all(client, h)
    seq = Cursor.decode(cursor).seq
    for forged in (_forged(seq + 1, seq + 1), _forged(2**62, 2**62)):
        r = client.get("/api/v1/changes", headers=h, params={"cursor": forged})
        assert r.status_code == 400 and r.json()["error"]["code"] == "bad_cursor", r.text
    assert client.get("/api/v1/changes", headers=h, params={"cursor": cursor}).status_code == 200


def test_forged_cursor_never_yields_rows_outside_the_jurisdiction(
    client: TestClient, world: World
) -> None:
    """Every position a cursor can name gives the caller only rows of its own reach.

    The cursor is unsigned on purpose (docs/security.md): it is a position, not a permission.
    """
    theirs = [item(content(SHUIGOU)) for _ in range(3)]
    client.post(
        "/api/v1/reports/batch",
        headers=world.headers(client, "shuigou_a"),
        json=batch("dev-shuigou_a", theirs),
    )
    mine = item(content(WAFANG))
    client.post(
        "/api/v1/reports/batch",
        headers=world.headers(client, "wafang_a"),
        json=batch("dev-wafang_a", [mine]),
    )
    # The start, and every position just before each of the latest changes, forged by hand.
    top = Cursor.decode(pull_all(client, world.headers(client, "wafang_reviewer"))[1]).seq
    h = world.headers(client, "wafang_b")
    seen: set[str] = set()
    villages: set[str] = set()
    for seq in [0, *range(max(1, top - 8), top + 1)]:
        changes, _ = pull_all(client, h, _forged(seq, seq) if seq else None, limit=1000)
        villages |= {c.get("village_code") or c.get("post_code") or "" for c in changes}
        seen |= {c["version_uuid"] for c in changes if c["kind"] == "report_version"}
    assert mine["version_uuid"] in seen
    assert not seen & {t["version_uuid"] for t in theirs}
    assert villages <= {WAFANG, ""}, villages

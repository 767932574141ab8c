"""The security log's account lines and its read side (``GET /api/v1/admin/security-log``).

Disabling, enabling and revoking devices through the admin routes, the same at the shell
(``city-server user disable|passwd``, ``device revoke``), a set-up code sheet and a register
import that changes a role each leave a line naming the account, who did it and from where, in
the transaction of the change.  Reading: the city admin reads every line, a county admin or
township reviewer only the lines of the accounts it administers (never a failed sign-in under
a name that is no account), an informant 403, no token 401 without touching the database;
reading is not itself logged.
"""

from __future__ import annotations

import io
import itertools
from typing import Any

import msgspec
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sync.contract.wire.admin import SecurityLog
from sync.server import cli
from sync.server.db import utc_now
from sync.server.models import LoginAttempt, Role, SecurityEvent, User
from sync.server.services.accounts import add_user
from sync.server.services.security_log import record_event_now
from sync.server.settings import Settings
from tests.server.world import PASSWORD, World, sign_in
from tests.support.places import BANQIAO, BANQIAO_TOWNSHIP, GUDONG, WAFANG, XINZHAI

LOG = "/api/v1/admin/security-log"
ADMIN = "/api/v1/admin"
_serial = itertools.count(1)


def new_informant(app: FastAPI, village: str = WAFANG) -> str:
    name = f"sl_{next(_serial)}"
    with app.state.db.writing() as session:
        add_user(session, app.state.passwords, name, Role.VILLAGE_INFORMANT, village, PASSWORD)
    return name


def lines(app: FastAPI, username: str) -> list[SecurityEvent]:
    with app.state.db.read_session() as session:
        found = session.scalars(
            select(SecurityEvent)
            .where(SecurityEvent.username == username)
            .order_by(SecurityEvent.id)
        ).all()
        session.expunge_all()
        return list(found)


def count(app: FastAPI) -> tuple[int, int]:
    with app.state.db.read_session() as session:
        return (
            session.scalar(select(func.count()).select_from(SecurityEvent)) or 0,
            session.scalar(select(func.count()).select_from(LoginAttempt)) or 0,
        )


def read(client: TestClient, world: World, user: str, status: int = 200, **params: Any) -> Any:
    r = client.get(LOG, params=params, headers=world.headers(client, user))
    assert r.status_code == status, r.text
    return r.json()


def test_admin_routes_write_disable_enable_and_revoke_lines(
    app: FastAPI, client: TestClient, world: World
) -> None:
    name = new_informant(app)
    sign_in(client, name, "sl-phone")
    headers = world.headers(client, "wafang_reviewer")
    r = client.post(
        f"{ADMIN}/devices/revoke", json={"username": name, "device_id": "sl-phone"}, headers=headers
    )
    assert r.status_code == 200 and r.json()["revoked"] == 1
    assert client.post(f"{ADMIN}/accounts/{name}/disable", headers=headers).status_code == 200
    assert client.post(f"{ADMIN}/accounts/{name}/enable", headers=headers).status_code == 200
    got = [
        (e.kind, e.actor, e.client, e.device_id)
        for e in lines(app, name)
        if e.kind.startswith(("device.", "account."))
    ]
    assert got == [
        ("device.revoke", "wafang_reviewer", "testclient", "sl-phone"),
        ("account.disable", "wafang_reviewer", "testclient", ""),
        ("account.enable", "wafang_reviewer", "testclient", ""),
    ]
    user_ids = {e.user_id for e in lines(app, name)}
    assert None not in user_ids and len(user_ids) == 1


def test_a_refused_disable_writes_no_line(app: FastAPI, client: TestClient, world: World) -> None:
    name = new_informant(app, GUDONG)  # another county: outside the reviewer's reach
    r = client.post(
        f"{ADMIN}/accounts/{name}/disable", headers=world.headers(client, "wafang_reviewer")
    )
    assert r.status_code == 404
    assert lines(app, name) == []


def test_the_shell_writes_password_disable_and_revoke_lines(
    app: FastAPI,
    client: TestClient,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = new_informant(app)
    sign_in(client, name, "sl-shell")
    db = ["--db", settings.database_url or ""]
    monkeypatch.setattr(cli, "Passwords", lambda *_a: app.state.passwords)  # fast hashing
    assert cli.main([*db, "device", "revoke", "--device-id", "sl-shell"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a-new-long-password-9\n"))
    assert cli.main([*db, "user", "passwd", name, "--password-stdin"]) == 0
    assert cli.main([*db, "user", "disable", name]) == 0
    got = [(e.kind, e.actor, e.device_id) for e in lines(app, name) if e.kind != "signin.ok"]
    assert got == [
        ("device.revoke", "cli", "sl-shell"),
        ("account.password", "cli", ""),
        ("account.disable", "cli", ""),
    ]


def test_a_setup_sheet_and_a_role_change_by_the_register_are_logged(
    app: FastAPI, client: TestClient, world: World
) -> None:
    token = world.token(client, "longyang_admin")
    auth = {"Authorization": f"Bearer {token}"}
    person = {"row": 2, "name": "安全日志", "phone": "13955500001", "post_role": "A"}
    village = {**person, "level": "village", "post_code": BANQIAO}
    r = client.post(
        f"{ADMIN}/register/import", json={"dry_run": False, "entries": [village]}, headers=auth
    )
    assert r.status_code == 200 and r.json()["applied"], r.text
    username = r.json()["rows"][0]["username"]
    r = client.post(f"{ADMIN}/setup-codes", json={"under": BANQIAO}, headers=auth)
    assert username in {e["username"] for e in r.json()["entries"]}
    township = {**person, "level": "township", "post_code": BANQIAO_TOWNSHIP}
    r = client.post(
        f"{ADMIN}/register/import", json={"dry_run": False, "entries": [township]}, headers=auth
    )
    assert r.status_code == 200 and r.json()["applied"], r.text
    got = [(e.kind, e.actor) for e in lines(app, username)]
    assert got == [("setup_code.issue", "longyang_admin"), ("account.role", "longyang_admin")]
    detail = msgspec.json.decode(lines(app, username)[1].detail)
    assert detail == {
        "from_role": "village_informant",
        "role": "township_reviewer",
        "from_jurisdiction": BANQIAO,
        "jurisdiction_code": BANQIAO_TOWNSHIP,
    }


def test_who_reads_which_lines(app: FastAPI, client: TestClient, world: World) -> None:
    mine, sibling_county = new_informant(app, WAFANG), new_informant(app, XINZHAI)
    city = world.headers(client, "baoshan_city")
    for name in (mine, sibling_county):
        assert client.post(f"{ADMIN}/accounts/{name}/disable", headers=city).status_code == 200
    ghost = f"nobody_{next(_serial)}"
    record_event_now(app.state.db, "signin.failed", utc_now(), username=ghost, client="10.9.9.9")
    record_event_now(app.state.db, "signin.slowed", utc_now(), client="10.9.9.9")

    def names(user: str) -> set[str]:
        return {e["username"] for e in read(client, world, user, limit=500)["events"]}

    assert {mine, sibling_county, ghost, ""} <= names("baoshan_city")
    county = names("longyang_admin")
    assert {mine, sibling_county} <= county and ghost not in county and "" not in county
    reviewer = names("wafang_reviewer")
    assert mine in reviewer and sibling_county not in reviewer and ghost not in reviewer
    with app.state.db.read_session() as session:
        roles = set(session.scalars(select(User.role).where(User.username.in_(reviewer))))
    assert roles == {"village_informant"}

    # one account: the city names anyone (an unknown name too); below, only administered ones
    only = read(client, world, "baoshan_city", username=ghost)["events"]
    assert [(e["kind"], e["client"]) for e in only] == [("signin.failed", "10.9.9.9")]
    assert read(client, world, "wafang_reviewer", username=mine)["events"][0]["username"] == mine
    read(client, world, "wafang_reviewer", 404, username=sibling_county)
    read(client, world, "wafang_reviewer", 404, username=ghost)
    read(client, world, "longyang_admin", 403, username="longyang_admin")  # not administered
    read(client, world, "wafang_a", 403)


def test_kind_filter_and_paging_newest_first(
    app: FastAPI, client: TestClient, world: World
) -> None:
    name = new_informant(app)
    headers = world.headers(client, "wafang_reviewer")
    for _ in range(3):
        client.post(f"{ADMIN}/accounts/{name}/disable", headers=headers)
        client.post(f"{ADMIN}/accounts/{name}/enable", headers=headers)
    first = read(client, world, "wafang_reviewer", username=name, limit=4)
    msgspec.convert(first, SecurityLog, strict=False)
    ids = [e["id"] for e in first["events"]]
    assert ids == sorted(ids, reverse=True) and first["next_before"] == ids[-1]
    rest = read(client, world, "wafang_reviewer", username=name, before=ids[-1], limit=4)
    assert len(rest["events"]) == 2 and rest["next_before"] is None
    assert all(e["id"] < ids[-1] for e in rest["events"])
    kinds = [e["kind"] for e in first["events"] + rest["events"]]
    assert kinds == ["account.enable", "account.disable"] * 3
    only = read(client, world, "wafang_reviewer", username=name, kind="account.disable")
    assert [e["kind"] for e in only["events"]] == ["account.disable"] * 3
    read(client, world, "wafang_reviewer", 422, kind="no.such.kind")


def test_without_a_token_401_and_reading_writes_nothing(
    app: FastAPI, client: TestClient, world: World
) -> None:
    headers = world.headers(client, "baoshan_city")
    before = count(app)
    for _ in range(20):
        assert client.get(LOG).status_code == 401
    assert client.get(LOG, headers={"Authorization": "Basic x"}).status_code == 401
    assert client.get(LOG, headers=headers).status_code == 200
    assert count(app) == before  # neither the refusals nor the reading left a line

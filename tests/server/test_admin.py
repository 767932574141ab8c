"""Administration routes (``/api/v1/admin``) on the real app, on SQLite and on PostgreSQL.

Accounts (list, create, disable, enable), devices, the set-up code sheet (and its .xlsx),
roster completeness, the contact list, the admin log, and the city's own A/B post.  板桥镇
(a township of 隆阳区 without sample accounts) is staffed by the tests themselves.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from sync.contract import Division, DivisionLevel
from sync.contract.contacts_sheet import write_contacts_sheet
from sync.contract.setup_sheet import HEADERS, write_setup_sheet
from sync.contract.wire import admin as wire
from sync.contract.wire.base import Wire
from sync.server import cli
from sync.server.models import Device, DivisionRow, Role, User
from sync.server.services.accounts import add_user
from sync.server.services.divisions import add_division
from sync.server.settings import Settings
from tests.server.duty_steps import Clock
from tests.server.world import PASSWORD, World, sign_in
from tests.support.places import (
    BANQIAO,
    BANQIAO_TOWNSHIP,
    BAOSHAN,
    GUDONG,
    LONGYANG,
    WAFANG,
    WAFANG_TOWNSHIP,
)

#: The app of this module runs on its ``clock`` fixture (``tests/server/conftest.py``).
USES_CLOCK = True
ADMIN = "/api/v1/admin"


def call(
    client: TestClient,
    world: World,
    user: str,
    method: str,
    path: str,
    status: int = 200,
    **kw: Any,
) -> Any:
    r = client.request(method, ADMIN + path, headers=world.headers(client, user), **kw)
    assert r.status_code == status, r.text
    return r.json()


def decode(kind: type[Wire], body: Any) -> Any:
    import msgspec

    return msgspec.convert(body, kind, strict=False)


def banqiao_villages(world: World) -> list[str]:
    with world.app.state.db.read_session() as session:
        return list(
            session.scalars(
                select(DivisionRow.code)
                .where(
                    DivisionRow.parent_code == BANQIAO_TOWNSHIP,
                    DivisionRow.level == "village",
                    DivisionRow.retired_vintage.is_(None),
                )
                .order_by(DivisionRow.code)
            )
        )


def create(
    client: TestClient, world: World, by: str, username: str, role: str, code: str, **more: Any
) -> Any:
    body = {
        "username": username,
        "display_name": more.pop("display_name", username),
        "role": role,
        "jurisdiction_code": code,
        **more,
    }
    return call(client, world, by, "POST", "/accounts", json=body)


@pytest.fixture(scope="module")
def banqiao(client: TestClient, world: World) -> dict[str, str]:
    """板桥镇: a reviewer with a password, and informants made by the county (no password)."""
    with world.app.state.db.writing() as session:
        add_user(
            session,
            world.app.state.passwords,
            "banqiao_reviewer",
            Role.TOWNSHIP_REVIEWER,
            BANQIAO_TOWNSHIP,
            PASSWORD,
            "板桥镇应急办",
        )
    villages = banqiao_villages(world)
    assert len(villages) >= 3, "板桥镇 needs three villages in the division table"
    names = {"bq_a": villages[0], "bq_b": villages[1], "bq_c": villages[2]}
    for name, village in names.items():
        create(client, world, "longyang_admin", name, "village_informant", village)
    return names


# --- accounts -----------------------------------------------------------------------------


def test_each_caller_lists_the_accounts_it_administers(client: TestClient, world: World) -> None:
    world.headers(client, "wafang_a")  # signs wafang_a in on dev-wafang_a
    township = decode(
        wire.AdminAccounts, call(client, world, "wafang_reviewer", "GET", "/accounts")
    )
    assert township.under == WAFANG_TOWNSHIP
    assert {a.role for a in township.accounts} == {"village_informant"}
    wafang_a = next(a for a in township.accounts if a.username == "wafang_a")
    assert [(p.post_code, p.post_role) for p in wafang_a.posts] == [(WAFANG, "A")]
    assert any(d.signed_in for d in wafang_a.devices) and wafang_a.last_sync_at is not None
    county = call(client, world, "longyang_admin", "GET", "/accounts")["accounts"]
    assert {a["role"] for a in county} == {"village_informant", "township_reviewer"}
    assert "xinzhai_a" in {a["username"] for a in county}
    assert "gudong_a" not in {a["username"] for a in county}
    city = {
        a["username"] for a in call(client, world, "baoshan_city", "GET", "/accounts")["accounts"]
    }
    assert {"baoshan_city", "longyang_admin", "tengchong_admin", "gudong_a"} <= city


def test_who_may_administer(client: TestClient, world: World) -> None:
    assert client.get(f"{ADMIN}/accounts").status_code == 401
    for path in ("/accounts", "/completeness", "/contacts", "/actions"):
        body = call(client, world, "wafang_a", "GET", path, 403)
        assert body["error"]["code"] == "forbidden"
    call(client, world, "wafang_a", "POST", "/accounts/wafang_b/disable", 403)
    call(client, world, "wafang_reviewer", "GET", f"/accounts?under={GUDONG}", 404)
    call(client, world, "wafang_reviewer", "POST", "/accounts/xinzhai_a/disable", 404)
    with world.app.state.db.writing() as session:
        add_user(
            session,
            world.app.state.passwords,
            "wafang_reviewer2",
            Role.TOWNSHIP_REVIEWER,
            WAFANG_TOWNSHIP,
            PASSWORD,
        )
    # A township reviewer administers village informants only.
    call(client, world, "wafang_reviewer", "POST", "/accounts/wafang_reviewer2/disable", 403)
    call(client, world, "wafang_reviewer", "POST", "/accounts/longyang_admin/disable", 404)
    body = {
        "username": "x_reviewer",
        "display_name": "x",
        "role": "township_reviewer",
        "jurisdiction_code": WAFANG_TOWNSHIP,
    }
    call(client, world, "wafang_reviewer", "POST", "/accounts", 403, json=body)
    call(client, world, "longyang_admin", "POST", "/accounts/baoshan_city/disable", 404)
    call(client, world, "baoshan_city", "POST", "/accounts/baoshan_city/disable", 403)


def test_create_refuses_with_a_reason(client: TestClient, world: World) -> None:
    with world.app.state.db.writing() as session:
        add_division(
            session,
            Division("530502101298", "撤销村", DivisionLevel.VILLAGE, BANQIAO_TOWNSHIP, False),
        )
        session.execute(
            update(DivisionRow)
            .where(DivisionRow.code == "530502101298")
            .values(retired_vintage="2023")
        )

    def refused(username: str, role: str, code: str, status: int = 422) -> str:
        body = {"username": username, "display_name": "某人", "role": role}
        r = client.post(
            f"{ADMIN}/accounts",
            headers=world.headers(client, "longyang_admin"),
            json={**body, "jurisdiction_code": code},
        )
        assert r.status_code == status, r.text
        error = r.json()["error"]
        assert error["zh"] and error["en"]
        return str(error.get("reason", error["code"]))

    assert refused("wafang_a", "village_informant", BANQIAO) == "username_taken"
    assert refused("new1", "village_boss", BANQIAO) == "bad_role"
    assert refused("new1", "village_informant", "530502101297") == "unknown_division"
    assert refused("new1", "village_informant", "530502101298") == "retired_division"
    assert refused("new1", "township_reviewer", BANQIAO) == "wrong_jurisdiction_level"
    assert refused("new1", "village_informant", GUDONG, 404) == "not_found"
    assert refused("new1", "county_admin", LONGYANG, 403) == "forbidden"
    made = create(
        client,
        world,
        "longyang_admin",
        "new1",
        "village_informant",
        BANQIAO,
        display_name="新信息员",
        phone="13900000001",
        backup_phone="0875-1234567",
    )
    assert made["disabled"] is False and made["devices"] == []
    assert made["backup_phone"] == "0875-1234567"
    r = client.post(
        "/api/v1/auth/login",
        json={"username": "new1", "password": "", "device_id": "d", "device_name": "d"},
    )
    assert r.status_code in (401, 422)


def test_disable_signs_out_and_enable_lets_back_in(client: TestClient, world: World) -> None:
    with world.app.state.db.writing() as session:
        add_user(
            session, world.app.state.passwords, "wf_x", Role.VILLAGE_INFORMANT, WAFANG, PASSWORD
        )
    token = sign_in(client, "wf_x", "dev-x")
    bearer = {"Authorization": f"Bearer {token}"}
    done = call(client, world, "wafang_reviewer", "POST", "/accounts/wf_x/disable")
    assert done["disabled"] is True and not any(d["signed_in"] for d in done["devices"])
    assert client.get("/api/v1/me", headers=bearer).json()["error"]["code"] == "token_revoked"
    r = client.post(
        "/api/v1/auth/login",
        json={"username": "wf_x", "password": PASSWORD, "device_id": "dev-x", "device_name": "x"},
    )
    assert r.status_code == 401
    assert (
        call(client, world, "wafang_reviewer", "POST", "/accounts/wf_x/enable")["disabled"] is False
    )
    sign_in(client, "wf_x", "dev-x")
    log = call(client, world, "wafang_reviewer", "GET", "/actions")["actions"]
    mine = [(a["actor"], a["action"]) for a in log if a["target"] == "wf_x"]
    assert mine[:2] == [
        ("wafang_reviewer", "account.enable"),
        ("wafang_reviewer", "account.disable"),
    ]


def test_revoke_one_device_or_all(client: TestClient, world: World) -> None:
    with world.app.state.db.writing() as session:
        add_user(
            session, world.app.state.passwords, "wf_y", Role.VILLAGE_INFORMANT, WAFANG, PASSWORD
        )
    one, two = sign_in(client, "wf_y", "y-1"), sign_in(client, "wf_y", "y-2")
    body = {"username": "wf_y", "device_id": "y-1"}
    assert call(client, world, "longyang_admin", "POST", "/devices/revoke", json=body) == {
        "revoked": 1
    }
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {one}"}).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {two}"}).status_code == 200
    call(
        client,
        world,
        "longyang_admin",
        "POST",
        "/devices/revoke",
        404,
        json={**body, "device_id": "zz"},
    )
    everything = {"username": "wf_y"}
    assert (
        call(client, world, "longyang_admin", "POST", "/devices/revoke", json=everything)["revoked"]
        == 1
    )
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {two}"}).status_code == 401


# --- the set-up code sheet ----------------------------------------------------------------


def test_the_sheet_lists_only_accounts_without_a_device(
    client: TestClient, world: World, banqiao: dict[str, str], tmp_path: Path
) -> None:
    with world.app.state.db.writing() as session:
        add_user(
            session,
            world.app.state.passwords,
            "bq_signed",
            Role.VILLAGE_INFORMANT,
            BANQIAO,
            PASSWORD,
        )
    sign_in(client, "bq_signed", "bq-dev")
    create(client, world, "longyang_admin", "bq_off", "village_informant", BANQIAO)
    call(client, world, "longyang_admin", "POST", "/accounts/bq_off/disable")
    sheet = decode(
        wire.SetupSheet,
        call(
            client,
            world,
            "longyang_admin",
            "POST",
            "/setup-codes",
            json={"under": BANQIAO_TOWNSHIP},
        ),
    )
    listed = [e.username for e in sheet.entries]
    assert set(banqiao) <= set(listed)
    assert "bq_signed" not in listed and "bq_off" not in listed
    assert "banqiao_reviewer" in listed  # the county provisions township reviewers too
    keys = [(e.township_code or "", e.post_code or "", e.username) for e in sheet.entries]
    assert keys == sorted(keys)
    assert {e.township_name for e in sheet.entries} == {"板桥镇"}
    assert sheet.server_url and sheet.expires_at > sheet.issued_at
    # The reviewer's own sheet: village informants only.
    reviewer_sheet = call(
        client, world, "banqiao_reviewer", "POST", "/setup-codes", json={"under": BANQIAO_TOWNSHIP}
    )
    assert {e["role"] for e in reviewer_sheet["entries"]} == {"village_informant"}
    # The reviewer's sheet replaced the county's codes: the county's first code is dead.
    first = next(e for e in sheet.entries if e.username == "bq_a")
    r = client.post(
        "/api/v1/auth/provision",
        json={"code": first.code, "device_id": "bq-a-old", "device_name": "x"},
    )
    assert r.status_code == 401
    newest = next(e for e in reviewer_sheet["entries"] if e["username"] == "bq_a")
    r = client.post(
        "/api/v1/auth/provision",
        json={"code": newest["code"], "device_id": "bq-a-new", "device_name": "板桥社区电脑"},
    )
    assert r.status_code == 200 and r.json()["user"]["username"] == "bq_a"
    again = call(
        client, world, "banqiao_reviewer", "POST", "/setup-codes", json={"under": BANQIAO_TOWNSHIP}
    )
    assert "bq_a" not in {e["username"] for e in again["entries"]}
    log = call(client, world, "longyang_admin", "GET", f"/actions?under={BANQIAO_TOWNSHIP}")
    assert ("banqiao_reviewer", "setup_code.sheet", BANQIAO_TOWNSHIP) in {
        (a["actor"], a["action"], a["target"]) for a in log["actions"]
    }
    assert not any("code" in a["detail"] for a in log["actions"])
    # The .xlsx: one worksheet per township, the title with the server, the columns.
    out = tmp_path / "sheet.xlsx"
    assert write_setup_sheet(sheet, out) == 1
    book = openpyxl.load_workbook(out)
    ws = book[book.sheetnames[0]]
    assert book.sheetnames == ["板桥镇"]
    assert "板桥镇" in ws["A1"].value and sheet.server_url in ws["A2"].value
    assert tuple(c.value for c in ws[4]) == HEADERS
    rows = [tuple(c.value for c in row) for row in ws.iter_rows(min_row=5)]
    assert [r[3] for r in rows] == listed
    assert rows[0][4] == sheet.entries[0].code


def test_the_cli_writes_the_sheet(
    world: World, banqiao: dict[str, str], settings: Settings, tmp_path: Path
) -> None:
    create_user = world.app.state.db.writing
    with create_user() as session:
        add_user(
            session, world.app.state.passwords, "bq_cli", Role.VILLAGE_INFORMANT, BANQIAO, PASSWORD
        )
    out = tmp_path / "cli.xlsx"
    argv = ["--db", settings.database_url or "", "setup-codes", "--under", BANQIAO_TOWNSHIP]
    assert cli.main([*argv, "--xlsx", str(out)]) == 2  # no server address
    code = cli.main([*argv, "--server-url", "http://10.0.0.5:8765", "--xlsx", str(out)])
    assert code == 0
    book = openpyxl.load_workbook(out)
    names = {row[3].value for row in book["板桥镇"].iter_rows(min_row=5)}
    assert "bq_cli" in names
    assert (
        cli.main(
            [
                "--db",
                settings.database_url or "",
                "setup-codes",
                "--under",
                "530502101297",
                "--server-url",
                "http://x",
                "--xlsx",
                str(out),
            ]
        )
        == 2
    )


# --- completeness, contacts ---------------------------------------------------------------


def call_provisioning(client: TestClient, world: World, by: str, username: str) -> str:
    r = client.post(
        "/api/v1/provisioning", headers=world.headers(client, by), json={"username": username}
    )
    assert r.status_code == 200, r.text
    return str(r.json()["code"])


def assign(client: TestClient, world: World, by: str, post: str, user: str, role: str) -> None:
    r = client.post(
        "/api/v1/roster/assignments",
        headers=world.headers(client, by),
        json={"post_code": post, "username": user, "post_role": role, "reason": "测试"},
    )
    assert r.status_code == 200, r.text


def test_completeness_per_township_and_county(
    client: TestClient, world: World, banqiao: dict[str, str], clock: Clock
) -> None:
    villages = banqiao_villages(world)
    assign(client, world, "banqiao_reviewer", villages[0], "bq_a", "A")
    assign(client, world, "banqiao_reviewer", villages[1], "bq_b", "B")
    assign(client, world, "banqiao_reviewer", villages[2], "bq_c", "B")
    code = call_provisioning(client, world, "banqiao_reviewer", "bq_c")
    r = client.post(
        "/api/v1/auth/provision", json={"code": code, "device_id": "bq-c", "device_name": "c"}
    )
    assert r.status_code == 200, r.text
    with world.app.state.db.writing() as session:
        bq_a = session.scalar(select(User.id).where(User.username == "bq_a"))
        session.execute(
            update(Device)
            .where(Device.user_id == bq_a)
            .values(last_seen_at=clock.now - timedelta(days=40))
        )
    got = call(client, world, "longyang_admin", "GET", f"/completeness?under={LONGYANG}")
    rows = {r["code"]: r for r in got["rows"]}
    bq = rows[BANQIAO_TOWNSHIP]
    assert bq == {
        "code": BANQIAO_TOWNSHIP,
        "name": "板桥镇",
        "level": "township",
        "posts": len(villages),
        "with_a": 1,
        "with_b": 2,
        "vacant": len(villages) - 3,
        "stale": 2,  # bq_a synced 40 days ago, bq_b never; bq_c just signed in
    }
    county = rows[LONGYANG]
    townships = [r for r in got["rows"] if r["level"] == "township"]
    assert county["posts"] == sum(t["posts"] for t in townships) + len(townships)
    assert county["with_a"] >= sum(t["with_a"] for t in townships) + 1  # 瓦房's reviewer is A
    assert got["total"]["posts"] == county["posts"] and got["total"]["code"] == LONGYANG
    week = call(
        client,
        world,
        "banqiao_reviewer",
        "GET",
        f"/completeness?under={BANQIAO_TOWNSHIP}&stale_days=60",
    )
    assert week["total"]["stale"] == 1 and [r["code"] for r in week["rows"]] == [BANQIAO_TOWNSHIP]
    assert week["total"]["posts"] == len(villages)


def test_contacts_sorted_and_written(
    client: TestClient, world: World, banqiao: dict[str, str], tmp_path: Path
) -> None:
    villages = banqiao_villages(world)
    got = decode(
        wire.Contacts, call(client, world, "longyang_admin", "GET", f"/contacts?under={LONGYANG}")
    )
    keys = [(c.county, c.township, c.post_code) for c in got.contacts]
    assert [k[2] for k in keys] == sorted(k[2] for k in keys)
    mine = [(c.post_code, c.post_role, c.name) for c in got.contacts if c.post_code == WAFANG]
    assert [(code, role) for code, role, _ in mine] == [(WAFANG, "A"), (WAFANG, "B")]
    assert {c.county for c in got.contacts} == {"隆阳区"}
    assert any(c.township == "瓦房彝族苗族乡" for c in got.contacts)
    reviewer = call(client, world, "banqiao_reviewer", "GET", "/contacts")["contacts"]
    assert {c["post_code"] for c in reviewer} <= set(villages)
    out = tmp_path / "contacts.xlsx"
    assert write_contacts_sheet(got, out, per="township") >= 2
    book = openpyxl.load_workbook(out)
    assert "瓦房彝族苗族乡" in book.sheetnames
    ws = book["瓦房彝族苗族乡"]
    assert ws["A3"].value == "县（区）" and ws["D4"].value.startswith("530502208")
    assert write_contacts_sheet(got, tmp_path / "by-county.xlsx", per="county") == 1


# --- the city post ------------------------------------------------------------------------


def test_the_city_admin_assigns_the_city_post(client: TestClient, world: World) -> None:
    for name in ("city_a", "city_b"):
        create(client, world, "baoshan_city", name, "city_admin", BAOSHAN)
    assign(client, world, "baoshan_city", BAOSHAN, "city_a", "A")
    assign(client, world, "baoshan_city", BAOSHAN, "city_b", "B")
    roster = client.get(
        f"/api/v1/roster?under={BAOSHAN}", headers=world.headers(client, "baoshan_city")
    ).json()
    city = next(p for p in roster["posts"] if p["division_code"] == BAOSHAN)
    assert city["manageable"] is True
    assert {(h["username"], h["post_role"]) for h in city["holders"]} == {
        ("city_a", "A"),
        ("city_b", "B"),
    }
    r = client.post(
        "/api/v1/roster/assignments",
        headers=world.headers(client, "longyang_admin"),
        json={"post_code": BAOSHAN, "username": "city_a", "post_role": "A", "reason": "x"},
    )
    assert r.status_code == 404
    # A county admin may not hold the city post.
    r = client.post(
        "/api/v1/roster/assignments",
        headers=world.headers(client, "baoshan_city"),
        json={
            "post_code": BAOSHAN,
            "username": "longyang_admin",
            "post_role": "A",
            "reason": "x",
            "replace": True,
        },
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "assignee_not_eligible"
    log = call(client, world, "baoshan_city", "GET", f"/actions?under={BAOSHAN}")["actions"]
    assert ("baoshan_city", "roster.assign", BAOSHAN) in {
        (a["actor"], a["action"], a["target"]) for a in log
    }
    contacts = call(client, world, "baoshan_city", "GET", "/contacts")["contacts"]
    assert [(c["post_code"], c["post_role"]) for c in contacts[:2]] == [
        (BAOSHAN, "A"),
        (BAOSHAN, "B"),
    ]

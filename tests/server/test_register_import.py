"""The informant register import (花名册), ``POST /api/v1/admin/register/import``.

On a real server (FastAPI TestClient) with real SQLite files and real PostgreSQL schemas:
the dry run changes nothing and judges every row; the 1,434-person example register imports
(timed, the seconds printed) and a second import changes no row; a sheet with one bad row of
each kind imports nothing and names every bad row; a person is matched by register id and by
phone, never duplicated; a replaced holder hands the post over; who may import what; the admin
log.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text, update

from sync.client.api import SyncClient
from sync.contract.register import read_register
from sync.contract.wire.base import as_object
from sync.server.app import create_app
from sync.server.models import (
    AdminAction,
    Assignment,
    Change,
    DivisionRow,
    Handover,
    Post,
    Role,
    User,
)
from sync.server.services.accounts import add_user
from sync.server.services.register import UNUSABLE_PASSWORD
from tests.server.conftest import BACKENDS, LiveServer, fast_settings, make_db_url
from tests.server.world import PASSWORD, World, sign_in
from tests.support.places import (
    BANQIAO,
    BANQIAO_TOWNSHIP,
    BAOSHAN,
    DANGXI,
    GUDONG,
    LONGYANG,
    WAFANG_TOWNSHIP,
    XINZHAI,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample" / "baoshan_register_sample.csv"
URL = "/api/v1/admin/register/import"
#: Villages of 板桥镇 (隆阳区) with no sample account.
BANQIAO_VILLAGES = [f"{BANQIAO_TOWNSHIP[:9]}{n:03d}" for n in range(201, 220)]
#: The tables an import writes, compared row for row before and after.
TABLES = ("users", "posts", "assignments", "handovers", "absences", "change_log")


def entry(row: int, **values: str) -> dict[str, Any]:
    """A register row as the wire carries it (a village A of 板桥社区 unless told)."""
    base = {
        "row": row,
        "name": f"测试人{row}",
        "phone": f"139123{row:05d}",
        "level": "village",
        "post_code": BANQIAO,
        "post_role": "A",
    }
    return {**base, **values}


def post(client: TestClient, token: str, entries: list[dict[str, Any]], dry_run: bool) -> Any:
    response = client.post(
        URL,
        json={"dry_run": dry_run, "entries": entries},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    return response.json()


def snapshot(app: FastAPI) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables an import writes (ordered), to compare before and after."""
    with app.state.db.read_session() as session:
        return {
            table: [
                tuple(row)
                for row in session.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
            ]
            for table in TABLES
        }


def sample_entries() -> list[dict[str, Any]]:
    return [as_object(e) for e in read_register(SAMPLE).entries]


# --- the example register on a fresh database -----------------------------------------------


@pytest.fixture(params=BACKENDS)
def fresh(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[FastAPI, TestClient, str]]:
    """A fresh server (divisions only) with one city admin ``boss``: app, client, token."""
    url, schema = make_db_url(request.param, tmp_path)
    app = create_app(fast_settings(url, tmp_path))
    with app.state.db.writing() as session:
        add_user(session, app.state.passwords, "boss", Role.CITY_ADMIN, BAOSHAN, PASSWORD)
    try:
        with TestClient(app) as client:
            yield app, client, sign_in(client, "boss", "dev-boss")
    finally:
        app.state.db.dispose()
        if schema is not None:
            schema.drop()


def test_the_sample_register_imports_once_then_changes_nothing(
    fresh: tuple[FastAPI, TestClient, str], request: pytest.FixtureRequest
) -> None:
    app, client, token = fresh
    entries = sample_entries()
    assert len(entries) == 1434

    before = snapshot(app)
    dry = post(client, token, entries, dry_run=True)
    assert (dry["dry_run"], dry["applied"], dry["created"], dry["refused"]) == (
        True,
        False,
        1434,
        0,
    )
    assert [r["row"] for r in dry["rows"]] == list(range(2, 1436))
    assert {r["outcome"] for r in dry["rows"]} == {"create"}
    assert snapshot(app) == before, "a dry run changes nothing"

    started = time.perf_counter()
    done = post(client, token, entries, dry_run=False)
    seconds = time.perf_counter() - started
    backend = request.node.callspec.params["fresh"]
    print(f"\nregister import of 1,434 people on {backend}: {seconds:.2f} s")
    assert (done["applied"], done["created"], done["updated"], done["refused"]) == (
        True,
        1434,
        0,
        0,
    )
    usernames = {r["username"] for r in done["rows"]}
    assert len(usernames) == 1434 and all(u.startswith("u1380875") for u in usernames)

    with app.state.db.read_session() as session:
        roles = dict(
            session.execute(
                select(User.role, func.count()).where(User.username != "boss").group_by(User.role)
            ).all()
        )
        assert roles == {
            "city_admin": 2,
            "county_admin": 10,
            "township_reviewer": 152,
            "village_informant": 1270,
        }
        held = dict(
            session.execute(
                select(Assignment.post_role, func.count())
                .where(Assignment.valid_to.is_(None))
                .group_by(Assignment.post_role)
            ).all()
        )
        assert held == {"A": 1 + 5 + 76 + 957, "B": 1 + 5 + 76 + 313}
        assert session.scalar(select(func.count()).select_from(Post)) == 1 + 5 + 76 + 957
        # Each person's jurisdiction is their post, and nobody has a usable password.
        mismatched = session.scalar(
            select(func.count())
            .select_from(Assignment)
            .join(Post, Post.id == Assignment.post_id)
            .join(User, User.id == Assignment.user_id)
            .where(User.jurisdiction_code != Post.division_code)
        )
        assert mismatched == 0
        hashes = set(session.scalars(select(User.password_hash).where(User.username != "boss")))
        assert hashes == {UNUSABLE_PASSWORD}
        first = session.execute(select(User).where(User.register_id == "BS-000001")).scalar_one()
        assert (first.role, first.jurisdiction_code, first.phone) == (
            "city_admin",
            BAOSHAN,
            entries[0]["phone"],
        )
        assert first.display_name == entries[0]["name"]
        assert first.appointed_on == entries[0]["appointed_on"]

    after_first = snapshot(app)
    again = post(client, token, entries, dry_run=False)
    assert (again["applied"], again["created"], again["updated"], again["unchanged"]) == (
        False,
        0,
        0,
        1434,
    )
    assert snapshot(app) == after_first, "a second import changes no row"

    # An imported informant has no password; it signs in with a set-up code.
    village_user = next(
        r["username"] for r, e in zip(done["rows"], entries, strict=True) if e["level"] == "village"
    )
    refused = client.post(
        "/api/v1/auth/login",
        json={
            "username": village_user,
            "password": UNUSABLE_PASSWORD,
            "device_id": "d1",
            "device_name": "x",
        },
    )
    assert refused.status_code == 401
    issued = client.post(
        "/api/v1/provisioning",
        json={"username": village_user},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert issued.status_code == 200, issued.text
    signed = client.post(
        "/api/v1/auth/provision",
        json={"code": issued.json()["code"], "device_id": "d1", "device_name": "村电脑"},
    )
    assert signed.status_code == 200, signed.text
    assert signed.json()["user"]["posts"][0]["post_role"] == "A"


# --- the shared world: bad rows, matching, permissions --------------------------------------


def test_a_dry_run_reports_every_row_and_changes_nothing(
    app: FastAPI, client: TestClient, world: World
) -> None:
    rows = [entry(2, post_code=BANQIAO_VILLAGES[10]), entry(3, post_code=BANQIAO_VILLAGES[10])]
    rows[1]["post_role"] = "B"
    before = snapshot(app)
    answer = post(client, world.token(client, "longyang_admin"), rows, dry_run=True)
    assert answer["dry_run"] is True and answer["applied"] is False
    assert [(r["row"], r["outcome"]) for r in answer["rows"]] == [(2, "create"), (3, "create")]
    assert answer["rows"][0]["username"] == "u13912300002"
    assert "新建账号" in answer["rows"][0]["reason_zh"]
    assert snapshot(app) == before


def test_a_sheet_with_one_bad_row_of_each_kind_imports_nothing(
    app: FastAPI, client: TestClient, world: World
) -> None:
    retired = f"{BANQIAO_TOWNSHIP[:9]}299"
    with app.state.db.writing() as session:
        session.add(
            DivisionRow(
                code=retired,
                name="旧村民委员会",
                short_name="旧村",
                level="village",
                parent_code=BANQIAO_TOWNSHIP,
                official=True,
                vintage="2020",
                retired_vintage="2023",
                revision=1,
            )
        )
        other = add_user(
            session,
            app.state.passwords,
            "someone_else",
            Role.VILLAGE_INFORMANT,
            BANQIAO_VILLAGES[18],
            PASSWORD,
            phone="13912399999",
        )
        other.register_id = "OTHER-1"
    v = BANQIAO_VILLAGES
    rows = [
        entry(2, post_code=v[0]),  # fine
        entry(3, name="", post_code=v[1]),
        entry(4, phone="", post_code=v[1], post_role="B"),
        entry(5, phone="1380875", post_code=v[2]),
        entry(6, post_code=f"{BANQIAO_TOWNSHIP[:9]}999"),
        entry(7, post_code=retired),
        entry(8, level="township", post_code=v[3]),
        entry(9, phone="13912300100", post_code=v[4]),
        entry(10, phone="13912300100", post_code=v[5]),
        entry(11, register_id="NEW-11", phone="13912399999", post_code=v[6]),
        entry(12, post_code=v[7]),
        entry(13, post_code=v[7]),
        entry(14, phone="13912300140", post_code=v[8]),
        entry(15, phone="13912300140", post_code=v[8], post_role="B"),
        entry(16, post_code=GUDONG),
        entry(17, level="city", post_code=BAOSHAN),
    ]
    expected = {
        3: ("缺少姓名", "the name is missing"),
        4: ("缺少手机号", "the phone number is missing"),
        5: ("手机号格式不正确", "not a mobile phone number"),
        6: ("未知的区划代码", "unknown division code"),
        7: ("已撤销", "was retired"),
        8: ("不符", "does not match"),
        9: ("手机号与第 10 行重复", "also on row 10"),
        10: ("手机号与第 9 行重复", "also on row 9"),
        11: ("已属于另一人", "belongs to another person"),
        12: ("有两个 A角", "has two As"),
        13: ("有两个 A角", "has two As"),
        14: ("A角和B角是同一人（第 15 行）", "A and B are the same person"),
        15: ("A角和B角是同一人（第 14 行）", "A and B are the same person"),
        16: ("不在您的管辖范围内", "outside your reach"),
        17: ("不在您的管辖范围内", "outside your reach"),
    }
    before = snapshot(app)
    answer = post(client, world.token(client, "longyang_admin"), rows, dry_run=False)
    assert answer["applied"] is False
    assert answer["refused"] == len(expected) and answer["created"] == 1
    by_row = {r["row"]: r for r in answer["rows"]}
    assert set(by_row) == set(range(2, 18))
    for row, (zh, en) in expected.items():
        judged = by_row[row]
        assert judged["outcome"] == "refused", judged
        assert zh in judged["reason_zh"] and en in judged["reason_en"], judged
    assert by_row[2]["outcome"] == "create"
    assert "未写入" in by_row[2]["reason_zh"]
    assert snapshot(app) == before, "a refused row: nothing is applied"


def _user(app: FastAPI, **where: str) -> User:
    with app.state.db.read_session() as session:
        user: User = session.execute(select(User).filter_by(**where)).scalar_one()
        return user


def test_a_person_is_matched_by_register_id_or_phone_and_never_duplicated(
    app: FastAPI, client: TestClient, world: World
) -> None:
    token = world.token(client, "longyang_admin")
    v1, v2 = BANQIAO_VILLAGES[12], BANQIAO_VILLAGES[13]
    first = [
        entry(2, register_id="T-1", phone="13912341001", post_code=v1, title="村委会主任"),
        entry(3, phone="13912341002", post_code=v1, post_role="B"),
    ]
    done = post(client, token, first, dry_run=False)
    assert (done["applied"], done["created"]) == (True, 2)
    with app.state.db.read_session() as session:
        users_before = session.scalar(select(func.count()).select_from(User))

    # The same register id with a new phone, and the same phone with a register id added.
    second = [
        entry(2, register_id="T-1", phone="13912341009", post_code=v1, title="文书"),
        entry(3, register_id="T-2", name="改名", phone="13912341002", post_code=v1, post_role="B"),
    ]
    done = post(client, token, second, dry_run=False)
    assert (done["created"], done["updated"], done["applied"]) == (0, 2, True)
    assert [r["username"] for r in done["rows"]] == ["u13912341001", "u13912341002"]
    one = _user(app, register_id="T-1")
    assert (one.username, one.phone, one.title) == ("u13912341001", "13912341009", "文书")
    two = _user(app, username="u13912341002")
    assert (two.register_id, two.display_name) == ("T-2", "改名")
    with app.state.db.read_session() as session:
        assert session.scalar(select(func.count()).select_from(User)) == users_before

    # T-1 moves to another village; a newcomer takes the A of the first one: a handover.
    third = [
        entry(2, register_id="T-1", phone="13912341009", post_code=v2, title="文书"),
        entry(3, register_id="T-2", name="改名", phone="13912341002", post_code=v1, post_role="B"),
        entry(4, register_id="T-3", name="新人", phone="13912341003", post_code=v1),
    ]
    done = post(client, token, third, dry_run=False)
    assert [r["outcome"] for r in done["rows"]] == ["update", "unchanged", "create"]
    assert "接替" in done["rows"][2]["reason_zh"]
    newcomer = _user(app, register_id="T-3")
    with app.state.db.read_session() as session:
        active = session.execute(
            select(Post.division_code, Assignment.post_role)
            .join(Post, Post.id == Assignment.post_id)
            .where(Assignment.user_id == one.id, Assignment.valid_to.is_(None))
        ).all()
        assert [tuple(a) for a in active] == [(v2, "A")]
        handover = session.execute(
            select(Handover).join(Post, Post.id == Handover.post_id).where(Post.division_code == v1)
        ).scalar_one()
        assert (handover.from_user_id, handover.to_user_id, handover.kind) == (
            one.id,
            newcomer.id,
            "assignment",
        )
        assert json.loads(handover.open_items_json)["returned_reports"] == []
        kinds = set(
            session.scalars(select(Change.kind).where(Change.ref == handover.handover_uuid))
        )
        assert kinds == {"handover"}
        ended = session.execute(
            select(Assignment).where(Assignment.id == handover.assignment_id)
        ).scalar_one()
        assert ended.valid_to is not None and ended.ended_reason

        # The admin log names who imported and the counts.
        logged = (
            session.execute(
                select(AdminAction)
                .where(AdminAction.action == "register.import")
                .where(AdminAction.actor == "longyang_admin")
                .order_by(AdminAction.id.desc())
            )
            .scalars()
            .first()
        )
        assert logged is not None
        detail = json.loads(logged.detail)
        assert (detail["created"], detail["updated"], detail["unchanged"]) == (1, 1, 1)
        assert detail["applied"] is True and detail["handovers"] == 1


def test_a_disabled_account_is_a_refused_row(
    app: FastAPI, client: TestClient, world: World
) -> None:
    village = BANQIAO_VILLAGES[15]
    with app.state.db.writing() as session:
        gone = add_user(
            session,
            app.state.passwords,
            "gone",
            Role.VILLAGE_INFORMANT,
            village,
            PASSWORD,
            phone="13912344001",
        )
        session.flush()
        session.execute(
            update(User).where(User.id == gone.id).values(disabled_at=func.current_timestamp())
        )
    rows = [entry(2, phone="13912344001", post_code=village)]
    answer = post(client, world.token(client, "longyang_admin"), rows, dry_run=True)
    assert answer["rows"][0]["outcome"] == "refused"
    assert "已停用" in answer["rows"][0]["reason_zh"]
    assert "disabled" in answer["rows"][0]["reason_en"]


def test_a_township_reviewer_imports_only_its_villages(
    client: TestClient, world: World, live_server: LiveServer
) -> None:
    rows = [
        entry(2, phone="13912342001", post_code=DANGXI, post_role="B"),
        entry(3, phone="13912342002", post_code=XINZHAI, post_role="B"),
        entry(4, phone="13912342003", level="township", post_code=WAFANG_TOWNSHIP),
    ]
    token = world.token(client, "wafang_reviewer")
    answer = post(client, token, rows, dry_run=True)
    outcomes = {r["row"]: r["outcome"] for r in answer["rows"]}
    assert outcomes == {2: "create", 3: "refused", 4: "refused"}
    assert all("管辖范围" in r["reason_zh"] for r in answer["rows"][1:])

    # The app's client speaks the same request (the contract's types, a real HTTP server).
    from sync.contract.wire.register import RegisterEntry

    sync_client = SyncClient(live_server.url, device_id="dev-wafang_reviewer", token=token)
    try:
        result = sync_client.register_import([RegisterEntry(**rows[0])], dry_run=True)
    finally:
        sync_client.close()
    assert (result.created, result.applied, result.rows[0].username) == (
        1,
        False,
        "u13912342001",
    )


def test_a_county_admin_imports_its_townships_and_villages_not_its_own_post(
    client: TestClient, world: World
) -> None:
    rows = [
        entry(2, phone="13912349001", level="township", post_code=WAFANG_TOWNSHIP, post_role="B"),
        entry(3, phone="13912349002", post_code=DANGXI, post_role="B"),
        entry(4, phone="13912349003", level="county", post_code=LONGYANG, post_role="B"),
    ]
    answer = post(client, world.token(client, "longyang_admin"), rows, dry_run=True)
    outcomes = {r["row"]: r["outcome"] for r in answer["rows"]}
    # the county's own A/B are the city's to manage, as for the roster
    assert outcomes == {2: "create", 3: "create", 4: "refused"}, answer["rows"]


def test_an_informant_gets_403_and_anonymous_401(client: TestClient, world: World) -> None:
    body = {"dry_run": True, "entries": [entry(2)]}
    informant = client.post(URL, json=body, headers=world.headers(client, "wafang_a"))
    assert informant.status_code == 403
    assert informant.json()["error"]["code"] == "forbidden"
    anonymous = client.post(URL, json=body)
    assert anonymous.status_code == 401


# --- the command line -----------------------------------------------------------------------


def test_the_command_line_import(tmp_path: Path) -> None:
    from tests.server.test_cli import city

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert city(url, tmp_path, "init").returncode == 0
    header = "登记号,姓名,手机号,层级,岗位区划代码,AB角,任职日期\n"
    good = tmp_path / "good.csv"
    good.write_text(
        header
        + f"C-1,赵一,13912344001,村级,{BANQIAO},A角,2022-01-05\n"
        + f"C-2,钱二,13912344002,乡镇级,{BANQIAO_TOWNSHIP},B角,\n",
        encoding="utf-8-sig",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        header
        + f"C-1,赵一,13912344001,村级,{BANQIAO},A角,\nC-3,,13912344003,村级,{BANQIAO},B角,\n",
        encoding="gb18030",
    )

    refused = city(
        url, tmp_path, "register", "import", str(bad), "--report", str(tmp_path / "r.xlsx")
    )
    assert refused.returncode == 2, refused.stderr
    assert "第 3 行" in refused.stdout and "缺少姓名" in refused.stdout
    assert "the name is missing" in refused.stdout
    assert (tmp_path / "r.xlsx").exists()

    dry = city(url, tmp_path, "register", "import", str(good), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "新建 created 2" in dry.stdout
    done = city(url, tmp_path, "register", "import", str(good))
    assert done.returncode == 0 and "已写入 / applied" in done.stdout, done.stdout + done.stderr
    again = city(url, tmp_path, "register", "import", str(good), "--json")
    assert again.returncode == 0
    result = json.loads(again.stdout)
    assert (result["unchanged"], result["applied"]) == (2, False)
    assert [r["username"] for r in result["rows"]] == ["u13912344001", "u13912344002"]

    from sync.server.db import Database

    db = Database(url)
    try:
        with db.read_session() as session:
            actors = set(
                session.scalars(
                    select(AdminAction.actor).where(AdminAction.action == "register.import")
                )
            )
            roles = {n: r for n, r in session.execute(select(User.username, User.role))}
    finally:
        db.dispose()
    assert actors == {"cli"}
    assert roles == {"u13912344001": "village_informant", "u13912344002": "township_reviewer"}

    unreadable = city(url, tmp_path, "register", "import", str(tmp_path / "none.xlsx"))
    assert unreadable.returncode == 2 and "无法读取" in unreadable.stderr

"""One-time set-up codes: who may issue one, redeeming it once, expiry, revocation, throttling.

Every module runs on SQLite and on PostgreSQL.  The app's clock is the tests' own, so a code
expires and a throttle window passes without waiting.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from sync.contract.setup_code import normalize_code
from sync.server.app import create_app
from sync.server.models import Device, Role, SetupCode, User
from sync.server.services.accounts import add_user, disable_user
from tests.server.conftest import LiveServer, fast_settings
from tests.server.duty_steps import Clock
from tests.server.world import PASSWORD, World
from tests.support.places import SHUIGOU

CODE_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


#: The app of this module runs on its ``clock`` fixture (``tests/server/conftest.py``).
USES_CLOCK = True


def issue(
    client: TestClient, world: World, manager: str, username: str, status: int = 200
) -> dict[str, Any]:
    r = client.post(
        "/api/v1/provisioning", headers=world.headers(client, manager), json={"username": username}
    )
    assert r.status_code == status, r.text
    body: dict[str, Any] = r.json()
    return body


def redeem(
    client: TestClient, code: str, device_id: str = "dev-new", status: int = 200
) -> dict[str, Any]:
    r = client.post(
        "/api/v1/auth/provision",
        json={"code": code, "device_id": device_id, "device_name": "乡镇新电脑"},
    )
    assert r.status_code == status, r.text
    body: dict[str, Any] = r.json()
    return body


def stored_codes(app: FastAPI, username: str) -> list[SetupCode]:
    with app.state.db.read_session() as session:
        return list(
            session.scalars(
                select(SetupCode)
                .join(User, User.id == SetupCode.user_id)
                .where(User.username == username)
                .order_by(SetupCode.id)
            )
        )


def test_issue_redeem_once_and_the_token_works(
    client: TestClient, world: World, app: FastAPI, clock: Clock
) -> None:
    issued = issue(client, world, "wafang_reviewer", "wafang_b")
    assert CODE_RE.match(issued["code"]), issued["code"]
    assert issued["username"] == "wafang_b" and issued["display_name"] == "瓦房社区信息员B"
    assert issued["server_url"] == "http://testserver"
    assert issued["expires_at"].startswith((clock.now + timedelta(days=7)).date().isoformat())
    lines = issued["text"].splitlines()
    assert lines[0] == "灾情直报 设置码 / set-up code"
    assert "服务器 server: http://testserver" in lines
    assert f"设置码 code: {issued['code']}" in lines and "用户 user: wafang_b" in lines
    assert any(line.startswith("有效期至 expires: ") and line.endswith("(UTC+8)") for line in lines)

    typed = " " + issued["code"].lower().replace("-", " ") + " "
    signed = redeem(client, typed, device_id="dev-provisioned")
    assert signed["user"]["username"] == "wafang_b" and signed["device_id"] == "dev-provisioned"
    assert signed["token_type"] == "bearer" and signed["expires_at"] > signed["server_time"]
    assert signed["user"]["posts"][0]["post_role"] == "B"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {signed['token']}"})
    assert me.status_code == 200 and me.json()["user"]["username"] == "wafang_b"
    assert me.json()["device_id"] == "dev-provisioned"

    again = redeem(client, issued["code"], device_id="dev-thief", status=401)
    assert again["error"]["code"] == "setup_code_invalid"

    (row,) = stored_codes(app, "wafang_b")
    assert row.used_at == clock.now and row.revoked_at is None
    assert row.expires_at == clock.now + timedelta(days=7)
    with app.state.db.read_session() as session:
        device = session.get(Device, row.used_by_device)
        reviewer = session.scalar(select(User).where(User.username == "wafang_reviewer"))
    assert device is not None and device.device_id == "dev-provisioned"
    assert reviewer is not None and row.issued_by == reviewer.id


def test_the_code_is_stored_only_as_its_hash(
    client: TestClient, world: World, app: FastAPI
) -> None:
    issued = issue(client, world, "wafang_reviewer", "shuigou_a")
    plain = normalize_code(issued["code"])
    assert plain is not None
    with app.state.db.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM setup_codes")).all()
    cells = [str(cell) for row in rows for cell in row]
    assert not [c for c in cells if plain in c or issued["code"] in c]
    assert hashlib.sha256(plain.encode()).hexdigest() in cells


def test_unknown_used_and_expired_codes_answer_alike(
    client: TestClient, world: World, clock: Clock
) -> None:
    used = issue(client, world, "wafang_reviewer", "shuigou_b")
    redeem(client, used["code"])
    expired = issue(client, world, "wafang_reviewer", "dangxi_a")
    clock.advance(days=7, minutes=1)
    answers = [
        redeem(client, code, status=401)["error"]
        for code in ("ZZZZ-ZZZZ-ZZZZ", used["code"], expired["code"], "not a code at all")
    ]
    assert all(a == answers[0] for a in answers), answers
    assert answers[0]["code"] == "setup_code_invalid" and "乡镇" in answers[0]["zh"]


def test_a_new_code_revokes_the_older_unused_one(
    client: TestClient, world: World, app: FastAPI
) -> None:
    first = issue(client, world, "wafang_reviewer", "dangxi_b")
    second = issue(client, world, "wafang_reviewer", "dangxi_b")
    assert first["code"] != second["code"]
    assert redeem(client, first["code"], status=401)["error"]["code"] == "setup_code_invalid"
    assert redeem(client, second["code"])["user"]["username"] == "dangxi_b"
    rows = stored_codes(app, "dangxi_b")[-2:]
    assert rows[0].revoked_at is not None and rows[0].used_at is None
    assert rows[1].used_at is not None and rows[1].revoked_at is None


@pytest.mark.parametrize(
    ("manager", "username", "status"),
    [
        ("wafang_reviewer", "xinzhai_a", 404),  # a village of another township
        ("wafang_reviewer", "no_such_user", 404),
        ("lujiang_reviewer", "wafang_a", 404),
        ("tengchong_admin", "wafang_a", 404),  # another county
        ("longyang_admin", "baoshan_city", 404),  # above the county
        ("longyang_admin", "gudong_a", 404),
        ("wafang_reviewer", "wafang_reviewer", 403),  # not a village informant
        ("wafang_a", "wafang_b", 403),  # an informant manages nobody
        ("longyang_admin", "longyang_admin", 403),
    ],
)
def test_only_the_accounts_manager_issues_a_code(
    client: TestClient, world: World, manager: str, username: str, status: int
) -> None:
    error = issue(client, world, manager, username, status)["error"]
    assert error["code"] == {403: "forbidden", 404: "not_found"}[status]


@pytest.mark.parametrize(
    ("manager", "username"),
    [
        ("longyang_admin", "wafang_reviewer"),
        ("longyang_admin", "wafang_a"),
        ("baoshan_city", "longyang_admin"),
        ("baoshan_city", "xinzhai_a"),
    ],
)
def test_county_and_city_admins_issue_within_their_jurisdiction(
    client: TestClient, world: World, manager: str, username: str
) -> None:
    assert issue(client, world, manager, username)["username"] == username


def test_issuing_needs_a_sign_in(client: TestClient) -> None:
    r = client.post("/api/v1/provisioning", json={"username": "wafang_b"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "not_authenticated"


def test_a_disabled_account_gets_no_code_and_cannot_redeem_one(
    client: TestClient, world: World, app: FastAPI
) -> None:
    with app.state.db.writing() as session:
        add_user(
            session,
            app.state.passwords,
            "leaving_b",
            Role.VILLAGE_INFORMANT,
            SHUIGOU,
            PASSWORD,
        )
    issued = issue(client, world, "wafang_reviewer", "leaving_b")
    with app.state.db.writing() as session:
        disable_user(session, "leaving_b")
    assert redeem(client, issued["code"], status=401)["error"]["code"] == "account_disabled"
    (row,) = stored_codes(app, "leaving_b")
    assert row.used_at is None
    error = issue(client, world, "wafang_reviewer", "leaving_b", 422)["error"]
    assert error["code"] == "user_disabled"


def test_neither_code_nor_token_is_logged(
    client: TestClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        issued = issue(client, world, "wafang_reviewer", "wafang_a")
        signed = redeem(client, issued["code"], device_id="dev-logged")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "set-up code issued for wafang_a" in logged
    plain = normalize_code(issued["code"])
    assert plain is not None
    for secret in (issued["code"], plain, signed["token"]):
        assert secret not in logged


def test_the_ttl_and_public_url_settings(
    db_url: str, tmp_path: Path, world: World, clock: Clock
) -> None:
    settings = fast_settings(
        db_url, tmp_path, provision_ttl_hours=2, public_url="https://zaiqing.example.cn/"
    )
    other = create_app(settings, clock=clock)
    try:
        with TestClient(other) as client:
            issued = issue(client, world, "wafang_reviewer", "shuigou_a")
            assert issued["server_url"] == "https://zaiqing.example.cn"
            assert "服务器 server: https://zaiqing.example.cn\n" in issued["text"]
            clock.advance(hours=2, seconds=1)
            redeem(client, issued["code"], status=401)
    finally:
        other.state.db.dispose()


def test_failed_tries_are_throttled_per_client_and_device(
    db_url: str, tmp_path: Path, world: World, clock: Clock
) -> None:
    clock.advance(minutes=20)  # the earlier tests' failures are out of the window
    settings = fast_settings(
        db_url, tmp_path, provision_failures_max=3, provision_failures_minutes=10
    )
    other = create_app(settings, clock=clock)
    try:
        with TestClient(other) as client:
            issued = issue(client, world, "wafang_reviewer", "shuigou_b")
            for _ in range(3):
                redeem(client, "AAAA-BBBB-CCCC", device_id="dev-throttled", status=401)
            r = client.post(
                "/api/v1/auth/provision",
                json={"code": issued["code"], "device_id": "dev-throttled"},
            )
            assert r.status_code == 429, r.text
            assert r.json()["error"]["code"] == "too_many_attempts"
            assert 0 < int(r.headers["Retry-After"]) <= 600
            assert r.json()["error"]["retry_after"] == int(r.headers["Retry-After"])
            clock.advance(minutes=10, seconds=1)
            assert redeem(client, issued["code"])["user"]["username"] == "shuigou_b"
    finally:
        other.state.db.dispose()


@pytest.fixture
def racing_server(app: FastAPI, world: World) -> Iterator[LiveServer]:
    server = LiveServer(app).start()
    yield server
    server.stop()


def test_racing_devices_get_one_token_between_them(
    racing_server: LiveServer, client: TestClient, world: World
) -> None:
    code = issue(client, world, "wafang_reviewer", "shuigou_a")["code"]
    statuses: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def race(i: int) -> None:
        start.wait(timeout=30)
        r = requests.post(
            f"{racing_server.url}/api/v1/auth/provision",
            timeout=60,
            json={"code": code, "device_id": f"dev-race-{i}"},
        )
        with lock:
            statuses.append(r.status_code)

    threads = [threading.Thread(target=race, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(statuses) == [200] + [401] * 7, statuses

"""Sign-in: Argon2 hashes, tokens stored as hashes, expiry, revocation, disabling.

The slowdown of failed sign-ins (which replaced the lock-out) is tested in test_signin_guard.py.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from sync.server.db import utc_now
from sync.server.models import Role, Token, User
from sync.server.security import Passwords, token_hash
from sync.server.services.accounts import add_user, disable_user, revoke_tokens, set_password
from sync.server.services.auth import slowdown_seconds
from sync.server.settings import Settings
from tests.server.world import PASSWORD, World, sign_in


def login(
    client: TestClient, username: str, password: str = PASSWORD, device_id: str = "dev-auth"
) -> httpx2.Response:
    return client.post(
        "/api/v1/auth/login",
        json={
            "username": username,
            "password": password,
            "device_id": device_id,
            "device_name": "测试电脑",
        },
    )


def new_user(world: World, name: str) -> str:
    with world.app.state.db.writing() as session:
        add_user(
            session,
            world.app.state.passwords,
            name,
            Role.TOWNSHIP_REVIEWER,
            "530502208000",
            PASSWORD,
        )
    return name


def error_code(response: httpx2.Response) -> str:
    code: str = response.json()["error"]["code"]
    return code


def test_argon2_hashes() -> None:
    passwords = Passwords(time_cost=1, memory_kib=1024)
    hashed = passwords.hash("秘密 password")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify(hashed, "秘密 password")
    assert not passwords.verify(hashed, "wrong")
    assert not passwords.verify(None, "anything")
    assert not passwords.verify("not-a-hash", "anything")
    assert Passwords(time_cost=2, memory_kib=1024).needs_rehash(hashed)


def test_login_returns_token_user_and_time(client: TestClient, world: World) -> None:
    r = login(client, "wafang_a")
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body["token"]) >= 43 and body["token_type"] == "bearer"
    assert body["user"]["role"] == "village_informant"
    assert body["user"]["posts"] == [
        {
            "division_code": "530502208201",
            "division_name": "瓦房社区",
            "level": "village",
            "post_role": "A",
        }
    ]
    assert body["server_time"] and body["expires_at"] > body["server_time"]
    with world.app.state.db.read_session() as session:
        stored = session.scalars(select(Token.token_hash)).all()
    assert body["token"] not in stored
    assert hashlib.sha256(body["token"].encode()).hexdigest() in stored
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.json()["user"]["username"] == "wafang_a"


def test_wrong_password_and_unknown_user_look_alike(client: TestClient, world: World) -> None:
    name = new_user(world, "alike")
    a, b = login(client, name, "wrong-password"), login(client, "no-such-user", "x")
    assert a.status_code == b.status_code == 401
    assert error_code(a) == error_code(b) == "invalid_credentials"
    assert a.json()["error"]["zh"] and a.json()["error"]["en"]


def test_new_sign_in_retires_the_old_token_of_that_device(client: TestClient, world: World) -> None:
    first = sign_in(client, "wafang_b", "dev-retire")
    second = sign_in(client, "wafang_b", "dev-retire")
    other = sign_in(client, "wafang_b", "dev-other")
    assert client.get("/api/v1/me", headers=_bearer(second)).status_code == 200
    assert client.get("/api/v1/me", headers=_bearer(other)).status_code == 200
    r = client.get("/api/v1/me", headers=_bearer(first))
    assert r.status_code == 401 and error_code(r) == "token_revoked"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_bad_and_missing_tokens(client: TestClient, world: World) -> None:
    r = client.get("/api/v1/me")
    assert r.status_code == 401 and error_code(r) == "not_authenticated"
    r = client.get("/api/v1/me", headers=_bearer("garbage"))
    assert r.status_code == 401 and error_code(r) == "token_invalid"


def test_expired_token(client: TestClient, world: World) -> None:
    token = sign_in(client, "shuigou_a", "dev-expire")
    with world.app.state.db.writing() as session:
        session.execute(
            update(Token)
            .where(Token.token_hash == token_hash(token))
            .values(expires_at=utc_now() - timedelta(seconds=1))
        )
    r = client.get("/api/v1/me", headers=_bearer(token))
    assert r.status_code == 401 and error_code(r) == "token_expired"


def test_token_lifetime_follows_the_setting(
    client: TestClient, world: World, settings: Settings
) -> None:
    body = login(client, "shuigou_b", device_id="dev-ttl").json()
    with world.app.state.db.read_session() as session:
        row = session.scalar(select(Token).where(Token.token_hash == token_hash(body["token"])))
        assert row is not None
        assert abs(
            (row.expires_at - row.issued_at) - timedelta(days=settings.token_ttl_days)
        ) < timedelta(seconds=1)


def test_logout_and_device_revoke(client: TestClient, world: World) -> None:
    token = sign_in(client, "shuigou_b", "dev-logout")
    assert client.post("/api/v1/auth/logout", headers=_bearer(token)).status_code == 200
    r = client.get("/api/v1/me", headers=_bearer(token))
    assert r.status_code == 401 and error_code(r) == "token_revoked"
    token = sign_in(client, "shuigou_b", "dev-lost")
    keep = sign_in(client, "shuigou_b", "dev-kept")
    with world.app.state.db.writing() as session:
        assert revoke_tokens(session, device_id="dev-lost") == 1
    assert error_code(client.get("/api/v1/me", headers=_bearer(token))) == "token_revoked"
    assert client.get("/api/v1/me", headers=_bearer(keep)).status_code == 200
    # The password still works: a revoked device may sign in again.
    assert login(client, "shuigou_b", device_id="dev-lost").status_code == 200


def test_disabled_account_is_refused_at_once(client: TestClient, world: World) -> None:
    name = new_user(world, "to-disable")
    token = sign_in(client, name, "dev-dis")
    with world.app.state.db.writing() as session:
        disable_user(session, name)
    r = client.get("/api/v1/me", headers=_bearer(token))
    assert r.status_code == 401 and error_code(r) in ("account_disabled", "token_revoked")
    r = login(client, name)  # the right password: the same answer as a wrong one
    assert r.status_code == 401 and error_code(r) == "invalid_credentials"
    assert error_code(login(client, name, "wrong-pass")) == "invalid_credentials"


def test_disabled_check_does_not_rely_on_revocation(client: TestClient, world: World) -> None:
    name = new_user(world, "disabled-direct")
    token = sign_in(client, name, "dev-dd")
    with world.app.state.db.writing() as session:
        session.execute(update(User).where(User.username == name).values(disabled_at=utc_now()))
    r = client.get("/api/v1/me", headers=_bearer(token))
    assert r.status_code == 401 and error_code(r) == "account_disabled"


def test_success_resets_the_counter(client: TestClient, world: World, settings: Settings) -> None:
    name = new_user(world, "forgetful")
    for round_ in range(3):
        for i in range(settings.login_free_failures_per_name - 1):
            assert error_code(login(client, name, f"wrong-{round_}-{i}")) == "invalid_credentials"
        assert login(client, name).status_code == 200


def test_set_up_code_failures_slow_down_bounded() -> None:
    s = Settings(login_slowdown_after=3, login_slowdown_max_seconds=2.0)
    delays = [slowdown_seconds(n, s) for n in range(1, 10)]
    assert delays[:2] == [0.0, 0.0]
    assert 0 < delays[2] < delays[3] <= 2.0
    assert max(delays) == 2.0


def test_password_change_clears_lock_and_signs_out(client: TestClient, world: World) -> None:
    name = new_user(world, "changer")
    token = sign_in(client, name, "dev-ch")
    with world.app.state.db.writing() as session:
        set_password(session, world.app.state.passwords, name, "a-new-password")
    assert error_code(client.get("/api/v1/me", headers=_bearer(token))) == "token_revoked"
    assert login(client, name, "a-new-password").status_code == 200
    assert error_code(login(client, name)) == "invalid_credentials"


@pytest.mark.parametrize(
    "payload", [{}, {"username": "x"}, {"username": "", "password": "p", "device_id": "d"}]
)
def test_malformed_login(client: TestClient, payload: dict[str, Any]) -> None:
    r = client.post("/api/v1/auth/login", json=payload)
    assert r.status_code == 422 and error_code(r) == "invalid_request"

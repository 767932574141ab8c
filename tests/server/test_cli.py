"""The ``city-server`` command, run as a subprocess on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sync.server.db import Database, utc_now
from sync.server.errors import ApiError
from sync.server.security import Passwords
from sync.server.services.accounts import AccountError, check_phone
from sync.server.services.auth import login
from sync.server.settings import Settings
from tests.support.places import DANGXI, SHUIGOU, WAFANG

ROOT = Path(__file__).resolve().parents[2]


def cli_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "CITY_ARGON2_TIME_COST": "1",
            "CITY_ARGON2_MEMORY_KIB": "1024",
            "PYTHONPATH": str(ROOT),
            "HOME": str(tmp),
            "XDG_DATA_HOME": str(tmp / "data"),
            "CITY_DATA_DIR": str(tmp / "city"),
        }
    )
    for name in ("DATABASE_URL", "CITY_DATABASE_URL"):
        env.pop(name, None)
    return env


def python(tmp: Path, *argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run this Python with ``argv`` as an administrator's shell would (``cli_env``)."""
    return subprocess.run(
        [sys.executable, *argv],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=cli_env(tmp),
        check=False,
    )


def city(db_url: str, tmp: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return python(tmp, "-m", "sync.server.cli", "--db", db_url, *args, stdin=stdin)


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli")


@pytest.fixture(scope="module")
def sample(db_url: str, tmp: Path) -> dict[str, Any]:
    done = city(db_url, tmp, "init", "--sample", "baoshan", "--json")
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def can_sign_in(db_url: str, username: str, password: str) -> str:
    """Return "ok" or the error code of a sign-in straight through the service."""
    from sync.server.errors import ApiError

    db = Database(Settings(database_url=db_url).url)
    try:
        login(
            db,
            Passwords(1, 1024),
            Settings(login_slowdown_max_seconds=0),
            username=username,
            password=password,
            device_id="cli-test",
            device_name="",
        )
        return "ok"
    except ApiError as exc:
        return exc.kind.code
    finally:
        db.dispose()


def test_init_sample_prints_accounts_once(db_url: str, tmp: Path, sample: dict[str, Any]) -> None:
    accounts = {a["username"]: a for a in sample["accounts"]}
    roles = {a["role"] for a in accounts.values()}
    assert roles == {"city_admin", "county_admin", "township_reviewer", "village_informant"}
    assert accounts["longyang_admin"]["jurisdiction"] == "530502000000"
    assert accounts["wafang_reviewer"]["jurisdiction"] == "530502208000"
    posts = {(a["post"], a["post_role"]) for a in accounts.values() if a["post"]}
    assert {
        (WAFANG, "A"),
        (WAFANG, "B"),
        (SHUIGOU, "A"),
        (SHUIGOU, "B"),
        ("530502208000", "A"),
        (DANGXI, "A"),
    } <= posts
    assert len(accounts) == 9
    # 党西村's second informant has no post: the township assigns them in the demo.
    assert accounts["dangxi_b"]["post"] is None and accounts["dangxi_b"]["post_role"] is None
    assert accounts["dangxi_b"]["jurisdiction"] == DANGXI
    phones = [a["phone"] for a in accounts.values()]
    assert all(p and len(p) == 11 and p.startswith("138") for p in phones)
    assert len(set(phones)) == len(phones)
    assert len({a["password"] for a in accounts.values()}) == len(accounts)
    assert sample["divisions_added"] > 100
    assert can_sign_in(db_url, "wafang_a", accounts["wafang_a"]["password"]) == "ok"
    again = city(db_url, tmp, "init", "--sample", "baoshan", "--json")
    assert again.returncode == 0, again.stderr
    second = json.loads(again.stdout)
    assert second["accounts"] == [] and set(second["existing"]) == set(accounts)
    assert second["divisions_added"] == 0
    plain = city(db_url, tmp, "init")
    assert plain.returncode == 0 and "database ready" in plain.stdout


@pytest.mark.slow
def test_user_add_disable_passwd(db_url: str, tmp: Path, sample: dict[str, Any]) -> None:
    done = city(
        db_url,
        tmp,
        "user",
        "add",
        "dangxi_c",
        "--role",
        "village_informant",
        "--jurisdiction",
        DANGXI,
        "--password-stdin",
        stdin="first-password\n",
    )
    assert done.returncode == 0, done.stderr
    assert can_sign_in(db_url, "dangxi_c", "first-password") == "ok"
    generated = city(
        db_url,
        tmp,
        "user",
        "add",
        "gen",
        "--role",
        "township_reviewer",
        "--jurisdiction",
        "530502208000",
        "--phone",
        "139 0875 1234",
        "--json",
    )
    assert generated.returncode == 0
    assert json.loads(generated.stdout)["phone"] == "139 0875 1234"
    assert can_sign_in(db_url, "gen", json.loads(generated.stdout)["password"]) == "ok"
    done = city(
        db_url, tmp, "user", "passwd", "dangxi_c", "--password-stdin", stdin="second-password\n"
    )
    assert done.returncode == 0, done.stderr
    assert can_sign_in(db_url, "dangxi_c", "first-password") == "invalid_credentials"
    assert can_sign_in(db_url, "dangxi_c", "second-password") == "ok"
    assert city(db_url, tmp, "user", "disable", "dangxi_c").returncode == 0
    assert can_sign_in(db_url, "dangxi_c", "second-password") == "invalid_credentials"


@pytest.mark.parametrize(
    ("args", "stdin", "needle"),
    [
        (
            ("user", "add", "x", "--role", "village_informant", "--jurisdiction", "123"),
            "",
            "unknown division",
        ),
        (
            ("user", "add", "y", "--role", "county_admin", "--jurisdiction", WAFANG),
            "",
            "needs a county",
        ),
        (("user", "disable", "nobody"), "", "no such user"),
        (("user", "passwd", "wafang_a", "--password-stdin"), "short\n", "at least 10"),
        (
            (
                "user",
                "add",
                "wafang_a",
                "--role",
                "village_informant",
                "--jurisdiction",
                WAFANG,
            ),
            "",
            "already exists",
        ),
        (("roster", "assign", "wafang_b", "--post", WAFANG, "--role", "A"), "", "active A"),
        (("user", "provision", "nobody", "--server-url", "http://x:8765"), "", "no such user"),
        (("user", "provision", "wafang_b"), "", "CITY_PUBLIC_URL"),
    ],
)
def test_bad_input_is_explained_in_both_languages(
    db_url: str, tmp: Path, sample: dict[str, Any], args: tuple[str, ...], stdin: str, needle: str
) -> None:
    done = city(db_url, tmp, *args, stdin=stdin)
    assert done.returncode == 2, done.stderr
    assert "错误" in done.stderr and needle in done.stderr


def test_user_provision_prints_the_set_up_text(
    db_url: str, tmp: Path, sample: dict[str, Any]
) -> None:
    from sync.server.services.provisioning import redeem_code

    done = city(
        db_url,
        tmp,
        "user",
        "provision",
        "shuigou_b",
        "--server-url",
        "http://192.168.1.10:8765/",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    first = json.loads(done.stdout)
    assert first["server_url"] == "http://192.168.1.10:8765"
    assert f"设置码 code: {first['code']}" in first["text"]
    done = city(
        db_url, tmp, "user", "provision", "shuigou_b", "--server-url", "http://192.168.1.10:8765"
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:2] == ["灾情直报 设置码 / set-up code", "服务器 server: http://192.168.1.10:8765"]
    code = next(line.split(": ", 1)[1] for line in lines if line.startswith("设置码 code"))
    db = Database(Settings(database_url=db_url).url)
    settings = Settings(login_slowdown_max_seconds=0)
    try:
        with pytest.raises(ApiError) as refused:  # the newer code revoked the first
            redeem_code(
                db,
                settings,
                code=first["code"],
                device_id="cli-a",
                device_name="",
                client_key="cli",
                now=utc_now(),
            )
        assert refused.value.kind.code == "setup_code_invalid"
        signed = redeem_code(
            db,
            settings,
            code=code,
            device_id="cli-b",
            device_name="",
            client_key="cli",
            now=utc_now(),
        )
        assert signed.caller.username == "shuigou_b"
    finally:
        db.dispose()


def test_device_revoke(db_url: str, tmp: Path, sample: dict[str, Any]) -> None:
    from fastapi.testclient import TestClient

    from sync.server.app import create_app

    settings = Settings(
        database_url=db_url,
        photo_dir=tmp / "photos",
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        migrate_on_start=False,
    )
    app = create_app(settings)
    password = {a["username"]: a["password"] for a in sample["accounts"]}["shuigou_a"]
    with TestClient(app) as client:

        def token(device: str) -> str:
            return str(
                client.post(
                    "/api/v1/auth/login",
                    json={"username": "shuigou_a", "password": password, "device_id": device},
                ).json()["token"]
            )

        def me(tok: str) -> int:
            return int(
                client.get("/api/v1/me", headers={"Authorization": f"Bearer {tok}"}).status_code
            )

        lost, kept = token("lost-phone"), token("office-pc")
        done = city(db_url, tmp, "device", "revoke", "--device-id", "lost-phone")
        assert done.returncode == 0 and "1" in done.stdout
        assert (me(lost), me(kept)) == (401, 200)
        done = city(db_url, tmp, "device", "revoke", "--user", "shuigou_a")
        assert done.returncode == 0
        assert me(kept) == 401
    app.state.db.dispose()


@pytest.mark.slow
def test_reports_json(db_url: str, tmp: Path, sample: dict[str, Any]) -> None:
    from fastapi.testclient import TestClient

    from sync.server.app import create_app
    from tests.server.factories import SHUIGOU, WAFANG, batch, content, item

    settings = Settings(database_url=db_url, photo_dir=tmp / "photos", migrate_on_start=False)
    app = create_app(settings)
    passwords = {a["username"]: a["password"] for a in sample["accounts"]}
    with TestClient(app) as client:
        for user, village in (("wafang_b", WAFANG), ("shuigou_b", SHUIGOU)):
            tok = client.post(
                "/api/v1/auth/login",
                json={"username": user, "password": passwords[user], "device_id": "d"},
            ).json()["token"]
            r = client.post(
                "/api/v1/reports/batch",
                headers={"Authorization": f"Bearer {tok}"},
                json=batch("d", [item(content(village))]),
            )
            assert r.json()["results"][0]["status"] == "accepted"
    app.state.db.dispose()
    done = city(db_url, tmp, "reports", "--json")
    assert done.returncode == 0, done.stderr
    villages = [r["village_code"] for r in json.loads(done.stdout)["reports"]]
    assert sorted(villages) == sorted([WAFANG, SHUIGOU])
    done = city(db_url, tmp, "reports", "--json", "--under", WAFANG)
    assert [r["village_code"] for r in json.loads(done.stdout)["reports"]] == [WAFANG]
    assert city(db_url, tmp, "reports", "--json", "--under", "bad").returncode == 2


def test_usage_errors(db_url: str, tmp: Path) -> None:
    assert city(db_url, tmp, "frobnicate").returncode == 2
    assert city(db_url, tmp, "device", "revoke").returncode == 2


@pytest.mark.parametrize(
    ("phone", "stored"),
    [("", None), ("  13912345678 ", "13912345678"), ("+86 139-1234-5678", "+86 139-1234-5678")],
)
def test_phone_numbers(phone: str, stored: str | None) -> None:
    assert check_phone(phone) == stored


@pytest.mark.parametrize("phone", ["abc", "12", "139123456789012345678901234567890123"])
def test_bad_phone_numbers(phone: str) -> None:
    with pytest.raises(AccountError, match="not a phone number"):
        check_phone(phone)


@pytest.mark.slow
def test_roster_absent_and_end(db_url: str, tmp: Path, sample: dict[str, Any]) -> None:
    from datetime import UTC, datetime, timedelta

    import sqlalchemy as sa

    post = SHUIGOU  # 水沟洼村: shuigou_a (A), shuigou_b (B)
    start = datetime.now(UTC)
    span = ["--from", start.isoformat(), "--to", (start + timedelta(days=2)).isoformat()]
    done = city(
        db_url,
        tmp,
        "roster",
        "absent",
        "--post",
        post,
        *span,
        "--kind",
        "away",
        "--reason",
        "到县里开会",
    )
    assert done.returncode == 0, done.stderr
    again = city(db_url, tmp, "roster", "absent", "--post", post, *span, "--reason", "又一次")
    assert again.returncode == 2 and "overlaps" in again.stderr and "错误" in again.stderr
    backwards = city(
        db_url,
        tmp,
        "roster",
        "absent",
        "--post",
        post,
        "--from",
        span[3],
        "--to",
        span[1],
        "--reason",
        "x",
    )
    assert backwards.returncode == 2 and "after the start" in backwards.stderr
    assert (
        city(
            db_url,
            tmp,
            "roster",
            "absent",
            "--post",
            post,
            "--from",
            "2024-07-01T08:00",
            "--to",
            span[3],
            "--reason",
            "x",
        ).returncode
        == 2
    )  # no time zone
    done = city(db_url, tmp, "roster", "end", "--post", post, "--role", "B", "--reason", "调走")
    assert done.returncode == 0, done.stderr
    done = city(db_url, tmp, "roster", "end", "--post", post, "--role", "B")
    assert done.returncode == 2 and "no active B" in done.stderr
    db = Database(Settings(database_url=db_url).url)
    try:
        with db.engine.connect() as conn:
            kinds = conn.execute(
                sa.text(
                    "SELECT h.kind, h.to_user_id IS NULL FROM handovers h JOIN posts p "
                    "ON p.id = h.post_id WHERE p.division_code = :post ORDER BY h.id"
                ),
                {"post": post},
            ).all()
            assert [tuple(k) for k in kinds] == [("absence", False), ("assignment", False)]
            assert conn.execute(sa.text("SELECT kind, created_by FROM absences")).all() == [
                ("away", None)
            ]
    finally:
        db.dispose()


def test_the_commands_do_not_load_the_web_framework(tmp_path: Path) -> None:
    """An administrator's command starts without FastAPI (a third of its start-up time)."""
    code = f"""
import sys
from sync.server.cli import main
db = "sqlite:///{tmp_path / "city.db"}"
assert main(["--db", db, "init", "--sample", "baoshan", "--json"]) == 0
assert main(["--db", db, "user", "disable", "wafang_b"]) == 0
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("fastapi", "uvicorn"))
print("web framework:", loaded)
"""
    done = python(tmp_path, "-c", code)
    assert done.returncode == 0, done.stderr
    assert "web framework: []" in done.stdout, done.stdout

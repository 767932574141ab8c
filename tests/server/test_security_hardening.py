"""Issue 18, low items on the server: private database files, security headers, no CDN
pages, minimum password rules.  In process, on the module's app (TestClient)."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from sync.server.app import create_app
from sync.server.db import Database
from sync.server.headers import API_CSP
from sync.server.models import Role
from sync.server.services.accounts import AccountError, add_user, set_password
from sync.server.services.password_rules import password_problem
from sync.server.settings import Settings
from tests.server.conftest import fast_settings
from tests.server.world import World
from tests.support.places import BAOSHAN


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask 022, under which files are created 0644 unless the server says no."""
    old = os.umask(0o022)
    yield
    os.umask(old)


# --- 1. the database file, its -wal/-shm and its folder are the owner's only ------------------


@pytest.mark.usefixtures("open_umask")
def test_a_new_database_and_its_folder_are_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "city.db"
    db = Database(f"sqlite:///{path}")
    try:
        with db.writing() as session:
            session.execute(text("CREATE TABLE t (x INTEGER)"))
            session.execute(text("INSERT INTO t VALUES (1)"))
        files = [path, path.with_name("city.db-wal"), path.with_name("city.db-shm")]
        assert all(f.exists() for f in files)
        assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
        assert _mode(path.parent) == 0o700
    finally:
        db.dispose()


@pytest.mark.usefixtures("open_umask")
def test_an_open_database_is_tightened_on_start_with_a_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "city.db"
    sqlite3.connect(path).close()
    os.chmod(path, 0o644)
    with caplog.at_level(logging.WARNING, logger="sync.server.db"):
        db = Database(f"sqlite:///{path}")
    db.dispose()
    assert _mode(path) == 0o600
    assert any(
        "tightened" in r.getMessage() and str(path) in r.getMessage() for r in caplog.records
    )


# --- 2. security headers on every answer, errors included -----------------------------------


def _assert_common(headers: Mapping[str, str]) -> None:
    get = headers.get
    assert get("x-content-type-options") == "nosniff"
    assert get("x-frame-options") == "DENY"
    assert get("referrer-policy") == "no-referrer"
    assert get("content-security-policy") == API_CSP


def test_security_headers_on_answers_and_errors(client: TestClient, world: World) -> None:
    token = world.token(client, "dangxi_a")
    answers = {
        "health": client.get("/health"),
        "me": client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}),
        "anonymous 401": client.get("/api/v1/me"),
        "unknown 404": client.get("/api/v1/no-such-route"),
        "openapi": client.get("/openapi.json"),
    }
    assert [a.status_code for a in answers.values()] == [200, 200, 401, 404, 200]
    for name, answer in answers.items():
        _assert_common(answer.headers)
        assert "strict-transport-security" not in answer.headers, name
    assert answers["me"].headers["cache-control"] == "no-store"
    assert answers["anonymous 401"].headers["cache-control"] == "no-store"


def test_hsts_only_when_the_request_came_over_https(app: FastAPI, world: World) -> None:
    with TestClient(app, base_url="https://testserver") as secure:
        for answer in (secure.get("/health"), secure.get("/api/v1/me")):
            assert answer.headers["strict-transport-security"].startswith("max-age=")
            _assert_common(answer.headers)


# --- 3. no page that loads scripts from a CDN ------------------------------------------------

_EXTERNAL_SCRIPT = re.compile(r"<script[^>]+src=[\"']?https?://", re.IGNORECASE)


def test_no_docs_pages_by_default(client: TestClient, world: World) -> None:
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert not _EXTERNAL_SCRIPT.search(answer.text)
    spec = client.get("/openapi.json")
    assert spec.status_code == 200 and not _EXTERNAL_SCRIPT.search(spec.text)


def test_the_docs_come_back_only_when_asked_for(tmp_path: Path) -> None:
    def docs_url(**flag: object) -> str | None:
        settings = fast_settings("sqlite:///:memory:", tmp_path, migrate_on_start=False, **flag)
        return create_app(settings).docs_url

    assert Settings.model_fields["api_docs"].default is False
    assert docs_url() is None
    assert docs_url(api_docs=True) == "/docs"


# --- 4. minimum password rules ---------------------------------------------------------------

WEAK = [
    "password",
    "12345678",
    "short-pw1",
    "1234567890",
    "98765432109",
    "password123",
    "Admin12345",
    "QWERTYUIOP",
]


@pytest.mark.parametrize("password", WEAK)
def test_a_weak_password_is_refused_in_both_languages(password: str) -> None:
    problem = password_problem(password)
    assert problem is not None
    zh, en = problem
    assert re.search(r"[\u4e00-\u9fff]", zh) and en.isascii()


def test_acceptable_passwords_pass() -> None:
    assert password_problem("correct-horse-battery") is None
    assert password_problem("abcd-efgh-jkmn-pqrs") is None  # the shape of random_password()


def test_weak_passwords_are_refused_by_add_user_and_set_password(world: World) -> None:
    app = world.app
    for password in ("password123", "1234567890", "short-pw1"):
        with pytest.raises(AccountError) as refused, app.state.db.writing() as session:
            add_user(session, app.state.passwords, "weakling", Role.CITY_ADMIN, BAOSHAN, password)
        assert refused.value.code == "weak_password"
        with pytest.raises(AccountError) as refused, app.state.db.writing() as session:
            set_password(session, app.state.passwords, "dangxi_a", password)
        assert refused.value.code == "weak_password"

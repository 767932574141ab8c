"""Fixtures of the city-server tests: each module runs on SQLite and on PostgreSQL.

PostgreSQL (127.0.0.1:5432, database ``test``) gets a fresh schema per test module, chosen
through the connection's ``search_path`` and dropped afterwards.  When it cannot be reached
its parameters are skipped, unless ``REQUIRE_POSTGRES=1`` (CI), which makes them fail.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sync.server.app import create_app
from sync.server.settings import Settings
from tests.server.duty_steps import Clock
from tests.server.world import World, build_world
from tests.support.city_server import free_port

BACKENDS = ("sqlite", "postgresql")
PG_CANDIDATES = (
    os.environ.get("CITY_TEST_PG_URL", ""),
    "postgresql://127.0.0.1:5432/test",
    "postgresql://root@127.0.0.1:5432/test",
    "postgresql://postgres@127.0.0.1:5432/test",
)
_pg_url: list[str | None] = []


def postgres_base_url() -> str | None:
    """Return a working PostgreSQL URL for database ``test``, or ``None`` (cached)."""
    if not _pg_url:
        found = None
        for url in filter(None, PG_CANDIDATES):
            try:
                with psycopg.connect(url, connect_timeout=3) as conn:
                    conn.execute("SELECT 1")
                found = url
                break
            except psycopg.Error:
                continue
        _pg_url.append(found)
    return _pg_url[0]


def require_postgres() -> str:
    """Return the PostgreSQL base URL; skip (or fail under REQUIRE_POSTGRES=1) without it."""
    url = postgres_base_url()
    if url is None:
        message = "PostgreSQL is not reachable on 127.0.0.1:5432 (database test)"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(message + " and REQUIRE_POSTGRES=1", pytrace=False)
        pytest.skip(message)
    return url


class PgSchema:
    """A throw-away schema in the ``test`` database."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.name = f"cs_test_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{self.name}"')

    @property
    def url(self) -> str:
        sep = "&" if "?" in self.base else "?"
        return f"{self.base}{sep}options=-csearch_path%3D{self.name}"

    def drop(self) -> None:
        with psycopg.connect(self.base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE')


def make_db_url(backend: str, folder: Path) -> tuple[str, PgSchema | None]:
    """Return a fresh database URL for ``backend`` (and the schema to drop, for PostgreSQL)."""
    if backend == "sqlite":
        return f"sqlite:///{folder / 'city.db'}", None
    schema = PgSchema(require_postgres())
    return schema.url, schema


@pytest.fixture(scope="module", params=BACKENDS)
def db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh, empty database per module: a SQLite file, or a PostgreSQL schema."""
    url, schema = make_db_url(request.param, tmp_path_factory.mktemp(request.param))
    yield url
    if schema is not None:
        schema.drop()


def fast_settings(db_url: str, folder: Path, **overrides: object) -> Settings:
    """Return fast settings for tests (cheap Argon2, short sleeps)."""
    values: dict[str, object] = {
        "database_url": db_url,
        "data_dir": folder,
        "photo_dir": folder / "photos",
        "argon2_time_cost": 1,
        "argon2_memory_kib": 1024,
        "login_slowdown_max_seconds": 0.05,
        "photo_max_bytes": 256 * 1024,
        "batch_max_bytes": 512 * 1024,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def settings(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return fast_settings(db_url, tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module")
def clock() -> Clock:
    """The app's clock of one module: an hour ahead of real time, moved by the tests."""
    return Clock()


@pytest.fixture(scope="module")
def app(request: pytest.FixtureRequest, settings: Settings) -> FastAPI:
    """The app of one module; on the module's ``clock`` when the module sets ``USES_CLOCK``."""
    if getattr(request.module, "USES_CLOCK", False):
        clock: Clock = request.getfixturevalue("clock")
        return create_app(settings, clock=clock)
    return create_app(settings)


@pytest.fixture(scope="module")
def world(app: FastAPI) -> World:
    """The Baoshan sample plus informants in another township and another county."""
    return build_world(app)


@pytest.fixture(scope="module")
def client(app: FastAPI, world: World) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


class LiveServer:
    """A real uvicorn server on a free 127.0.0.1 port, in a thread."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            limit_concurrency=200,
            backlog=512,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)


@pytest.fixture(scope="module")
def live_server(app: FastAPI, world: World) -> Iterator[LiveServer]:
    server = LiveServer(app).start()
    yield server
    server.stop()

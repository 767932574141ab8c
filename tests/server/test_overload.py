"""An overloaded database answers 503 with Retry-After (clients back off), never a bare 500.

When every pooled connection of a worker is busy, SQLAlchemy raises ``TimeoutError`` after
waiting; the server says "busy, try again" so devices treat it like an outage and back off.
The pool's size is a setting per server process.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.pool import QueuePool

from sync.client.api import Timeouts
from sync.server.app import create_app
from sync.server.db import Database
from sync.server.settings import Settings


def test_pool_exhaustion_is_503_with_retry_after(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'city.db'}", data_dir=tmp_path))

    @app.get("/api/v1/_busy_for_test")
    def busy() -> None:
        raise PoolTimeout("QueuePool limit of size 8 overflow 4 reached")

    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/api/v1/_busy_for_test")
    assert r.status_code == 503
    assert 5 <= int(r.headers["Retry-After"]) <= 30  # spread, as a busy answer's
    assert r.json()["error"]["retry_after"] == int(r.headers["Retry-After"])
    assert r.json()["error"]["code"] == "unavailable"
    assert r.json()["error"]["zh"] and r.json()["error"]["en"]


def test_pool_size_is_a_setting_per_process() -> None:
    settings = Settings(
        database_url="postgresql://nobody@127.0.0.1:1/none",
        db_pool_size=3,
        db_max_overflow=1,
        db_pool_timeout=2.5,
    )
    db = Database(
        settings.url, settings.db_pool_size, settings.db_max_overflow, settings.db_pool_timeout
    )
    try:
        pool = db.engine.pool
        assert isinstance(pool, QueuePool)
        assert pool.size() == 3
        assert pool._max_overflow == 1
        assert pool._timeout == 2.5
    finally:
        db.dispose()
    # Four workers with the defaults stay well below PostgreSQL's 100 connections.
    default = Settings()
    assert 4 * (default.db_pool_size + default.db_max_overflow) <= 60
    # A request waiting for a connection is answered 503 before the app's read timeout (15 s)
    # gives up on it: the device backs off on the server's word.
    assert default.db_pool_timeout < Timeouts().read

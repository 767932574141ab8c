"""A server process at its limit of requests answers 503 busy at once, with a spread Retry-After.

Who: any caller; what it costs: nothing past a counter (no body read, no database); logged: a
warning at most every few seconds while shedding (admission.py).  ``/health`` and the sign-in
routes are never counted nor shed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.background import BackgroundTask

from sync.server.app import create_app
from sync.server.settings import Settings
from tests.server.conftest import LiveServer


@pytest.fixture()
def held(tmp_path: Path) -> Iterator[tuple[LiveServer, threading.Event, list[int]]]:
    """A live server whose process takes 2 requests at once; a route that waits to be let go."""
    app: FastAPI = create_app(
        Settings(
            database_url=f"sqlite:///{tmp_path / 'city.db'}",
            data_dir=tmp_path,
            max_in_flight=2,
            busy_retry_min_s=5,
            busy_retry_max_s=30,
        )
    )
    release = threading.Event()
    entered: list[int] = []

    @app.get("/api/v1/_held_for_test")
    def held_route() -> dict[str, bool]:
        entered.append(1)
        release.wait(timeout=30)
        return {"ok": True}

    server = LiveServer(app).start()
    try:
        yield server, release, entered
    finally:
        release.set()
        server.stop()


def test_beyond_the_limit_the_answer_is_busy_at_once_with_a_spread_retry_after(
    held: tuple[LiveServer, threading.Event, list[int]],
) -> None:
    server, release, entered = held
    holders = [
        threading.Thread(target=requests.get, args=(f"{server.url}/api/v1/_held_for_test",))
        for _ in range(2)
    ]
    for t in holders:
        t.start()
    deadline = time.monotonic() + 10
    while len(entered) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(entered) == 2

    waits = set()
    for _ in range(20):
        start = time.monotonic()
        r = requests.get(f"{server.url}/api/v1/me", timeout=10)
        assert time.monotonic() - start < 1.0  # at once, not after a queue
        assert r.status_code == 503
        error = r.json()["error"]
        assert error["code"] == "busy" and error["zh"] and error["en"]
        seconds = int(r.headers["Retry-After"])
        assert 5 <= seconds <= 30 and error["retry_after"] == seconds
        waits.add(seconds)
    assert len(waits) >= 5  # spread: the devices refused together come back apart

    # never counted nor shed: the health probe and the sign-ins (their own bounded pool)
    assert requests.get(f"{server.url}/health", timeout=10).status_code == 200
    login = {"username": "nobody", "password": "wrong-password", "device_id": "dev-x"}
    r = requests.post(f"{server.url}/api/v1/auth/login", json=login, timeout=30)
    assert r.status_code == 401

    release.set()
    for t in holders:
        t.join(timeout=30)
    r = requests.get(f"{server.url}/api/v1/me", timeout=10)
    assert r.status_code == 401  # served again: the slots are free


def test_busy_and_pool_wait_answers_share_the_spread_settings() -> None:
    s = Settings()
    assert (s.busy_retry_min_s, s.busy_retry_max_s) == (5, 30)
    # twice the connections of a process: every connection busy, few requests queued
    assert s.max_in_flight == 2 * (s.db_pool_size + s.db_max_overflow)


def test_a_request_counts_until_its_answer_is_out_not_through_its_clean_up(
    tmp_path: Path,
) -> None:
    # A keep-alive client sends its next request as soon as it has the answer, while the
    # route may still be cleaning up (closing its session, a background task).
    app = create_app(
        Settings(
            database_url=f"sqlite:///{tmp_path / 'city.db'}", data_dir=tmp_path, max_in_flight=1
        )
    )
    cleaning = threading.Event()

    def clean_up() -> None:
        cleaning.set()
        time.sleep(1.0)

    @app.get("/api/v1/_cleans_up_for_test")
    def answered_then_cleans_up() -> JSONResponse:
        return JSONResponse({"ok": True}, background=BackgroundTask(clean_up))

    server = LiveServer(app).start()
    try:
        with requests.Session() as http:
            assert http.get(f"{server.url}/api/v1/_cleans_up_for_test", timeout=10).ok
            assert cleaning.wait(5)
            r = http.get(f"{server.url}/api/v1/me", timeout=10)
            assert r.status_code == 401  # served, not busy: the one slot is free again
    finally:
        server.stop()

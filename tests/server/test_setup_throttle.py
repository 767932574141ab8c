"""The set-up code throttle: per device and per address, no race, forged headers ignored."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
import requests
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select

from sync.server.app import create_app
from sync.server.models import ProvisionFailure, SecurityEvent
from tests.server.conftest import LiveServer, fast_settings
from tests.server.world import World

BAD = "AAAA-BBBB-CCCC"


@pytest.fixture
def throttled(db_url: str, tmp_path: Path, app: FastAPI, world: World) -> Iterator[FastAPI]:
    """An app over the module's database with a limit of 10 per device, 30 per address."""
    with app.state.db.writing() as session:
        session.execute(delete(ProvisionFailure))
    settings = fast_settings(
        db_url,
        tmp_path,
        provision_failures_max=10,
        provision_failures_per_address_max=30,
        login_slowdown_max_seconds=0.0,
    )
    other = create_app(settings)
    yield other
    other.state.db.dispose()


def _try(client: TestClient, code: str, device: str, **headers: str) -> int:
    r = client.post(
        "/api/v1/auth/provision", json={"code": code, "device_id": device}, headers=headers
    )
    return r.status_code


def _issue(client: TestClient, world: World, username: str) -> str:
    r = client.post(
        "/api/v1/provisioning",
        headers=world.headers(client, "wafang_reviewer"),
        json={"username": username},
    )
    assert r.status_code == 200, r.text
    code: str = r.json()["code"]
    return code


def test_a_colleagues_valid_code_works_after_another_devices_failures(
    throttled: FastAPI, world: World
) -> None:
    with TestClient(throttled) as client:
        code = _issue(client, world, "shuigou_b")
        assert [_try(client, BAD, "dev-typo") for _ in range(10)] == [401] * 10
        assert _try(client, BAD, "dev-typo") == 429
        assert _try(client, code, "dev-colleague") == 200
        with throttled.state.db.read_session() as session:
            lines = session.scalar(
                select(func.count())
                .select_from(SecurityEvent)
                .where(SecurityEvent.kind == "setup_code.failed", SecurityEvent.client != "")
            )
        assert lines is not None and lines >= 1  # one per address and minute, not eleven


def test_the_address_limit_caps_rotating_device_ids(throttled: FastAPI) -> None:
    with TestClient(throttled) as client:
        statuses = [_try(client, BAD, f"dev-rot-{i}") for i in range(35)]
    assert statuses.count(401) == 30 and statuses[30:] == [429] * 5


def test_a_forged_forwarded_for_is_ignored(throttled: FastAPI) -> None:
    with TestClient(throttled) as client:
        statuses = [
            _try(client, BAD, "dev-forger", **{"X-Forwarded-For": f"10.0.0.{i}"}) for i in range(12)
        ]
    assert statuses == [401] * 10 + [429] * 2


def test_forty_concurrent_tries_never_pass_a_limit_of_ten(throttled: FastAPI) -> None:
    server = LiveServer(throttled).start()
    statuses: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(40)

    def guess() -> None:
        start.wait(timeout=30)
        r = requests.post(
            f"{server.url}/api/v1/auth/provision",
            timeout=60,
            json={"code": BAD, "device_id": "dev-racer"},
        )
        with lock:
            statuses.append(r.status_code)

    threads = [threading.Thread(target=guess) for _ in range(40)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    finally:
        server.stop()
    assert len(statuses) == 40 and set(statuses) <= {401, 429}, statuses
    assert statuses.count(401) <= 10, statuses
    with throttled.state.db.read_session() as session:
        kept = session.scalar(select(func.count()).select_from(ProvisionFailure))
    assert kept is not None and kept <= 10


def test_a_slowed_bad_code_holds_no_thread_of_the_sync_routes(
    db_url: str, tmp_path: Path, app: FastAPI, world: World
) -> None:
    # Every bad code waits the longest slowdown (2 s); the pool the sync routes share is cut
    # to 3 threads; 6 bad codes at once must leave it free.
    with app.state.db.writing() as session:
        session.execute(delete(ProvisionFailure))
    slowed = create_app(
        fast_settings(
            db_url,
            tmp_path,
            provision_failures_max=100,
            provision_failures_per_address_max=100,
            login_slowdown_after=-5,
            login_slowdown_max_seconds=2.0,
        )
    )

    @slowed.post("/api/v1/_threads_for_test")
    async def three_threads() -> None:
        anyio.to_thread.current_default_thread_limiter().total_tokens = 3

    @slowed.get("/api/v1/_sync_for_test")
    def needs_a_thread() -> dict[str, bool]:
        return {"ok": True}

    server = LiveServer(slowed).start()
    answers: list[tuple[int, float]] = []

    def guess(n: int) -> None:
        start = time.monotonic()
        r = requests.post(
            f"{server.url}/api/v1/auth/provision",
            json={"code": BAD, "device_id": f"dev-slow-{n}"},
            timeout=30,
        )
        answers.append((r.status_code, time.monotonic() - start))

    try:
        requests.post(f"{server.url}/api/v1/_threads_for_test", timeout=10).raise_for_status()
        guesses = [threading.Thread(target=guess, args=(n,)) for n in range(6)]
        for t in guesses:
            t.start()
        time.sleep(0.7)  # every guess is in its pause now
        start = time.monotonic()
        r = requests.get(f"{server.url}/api/v1/_sync_for_test", timeout=30)
        took = time.monotonic() - start
        for t in guesses:
            t.join(timeout=60)
    finally:
        server.stop()
        slowed.state.db.dispose()
    assert r.status_code == 200
    assert took < 0.5, took  # it held a thread for each pause: seconds
    assert len(answers) == 6 and all(status == 401 for status, _ in answers), answers
    assert all(seconds >= 1.9 for _, seconds in answers), answers  # still slowed

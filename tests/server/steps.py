"""Small request helpers the review tests share: push, decide, pull."""

from __future__ import annotations

import time
from typing import Any

import httpx2
from fastapi.testclient import TestClient
from sqlalchemy import text

from tests.server.factories import batch, content, decisions_batch, item
from tests.server.world import World


def push(
    client: TestClient, world: World, items: list[dict[str, Any]], user: str = "wafang_a"
) -> list[dict[str, Any]]:
    """Push report versions as ``user``; return the per-item results."""
    r = client.post(
        "/api/v1/reports/batch",
        headers=world.headers(client, user),
        json=batch(f"dev-{user}", items),
    )
    assert r.status_code == 200, r.text
    results: list[dict[str, Any]] = r.json()["results"]
    return results


def decide(
    client: TestClient, world: World, items: list[dict[str, Any]], user: str = "wafang_reviewer"
) -> list[dict[str, Any]]:
    """Push decisions as ``user``; return the per-item results."""
    r = client.post(
        "/api/v1/decisions/batch",
        headers=world.headers(client, user),
        json=decisions_batch(f"dev-{user}", items),
    )
    assert r.status_code == 200, r.text
    results: list[dict[str, Any]] = r.json()["results"]
    return results


def filed(
    client: TestClient,
    world: World,
    village: str | None = None,
    user: str = "wafang_a",
    **overrides: Any,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """File one new report; return its content and its first version item."""
    body = content(village, **overrides) if village else content(**overrides)
    version = item(body)
    assert push(client, world, [version], user)[0]["status"] == "accepted"
    return body, version


def settle_feed(client: TestClient, seconds: float = 30.0) -> None:
    """On PostgreSQL, wait until every transaction begun before now has ended.

    The feed holds back what a transaction still open anywhere in the cluster might precede
    (``txid < xmin``, ``services/changes.py``): a write transaction of another test worker, in
    any database, delays a fresh change by a moment (never loses it).  A test that pulls what
    it just wrote waits for that moment here.  On SQLite: nothing to wait for.
    """
    engine = client.app.state.db.engine  # type: ignore[attr-defined]
    if engine.dialect.name != "postgresql":
        return
    snapshot = "pg_current_snapshot()"
    with engine.connect() as conn:
        horizon = conn.execute(text(f"SELECT pg_snapshot_xmax({snapshot})::text::bigint"))
        begun_before = int(horizon.scalar_one())
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            conn.rollback()  # a fresh snapshot each time
            xmin = conn.execute(text(f"SELECT pg_snapshot_xmin({snapshot})::text::bigint"))
            if int(xmin.scalar_one()) >= begun_before:
                return
            time.sleep(0.02)


def pull_all(
    client: TestClient, world: World, user: str, cursor: str | None = None
) -> tuple[list[dict[str, Any]], str]:
    """Pull every change ``user`` may see after ``cursor``; return them and the new cursor."""
    settle_feed(client)
    changes: list[dict[str, Any]] = []
    while True:
        r = client.get(
            "/api/v1/changes",
            headers=world.headers(client, user),
            params={"limit": 500, **({"cursor": cursor} if cursor else {})},
        )
        assert r.status_code == 200, r.text
        body = r.json()
        changes += body["changes"]
        cursor = body["cursor"]
        if not body["has_more"]:
            return changes, cursor


def put_photo_chunk(
    client: TestClient,
    h: dict[str, str],
    sha: str,
    offset: int,
    size: int,
    chunk: bytes,
    digest: str | None = None,
) -> httpx2.Response:
    """PUT one chunk of a photo upload as the app does (``digest``: its Content-Digest)."""
    headers = {**h, "Content-Type": "application/octet-stream"}
    if digest is not None:
        headers["Content-Digest"] = digest
    return client.put(
        f"/api/v1/photos/{sha}",
        params={"offset": offset, "size": size},
        headers=headers,
        content=chunk,
    )

"""Compressed bodies: gzip requests are unpacked within the body limit, answers go gzip."""

from __future__ import annotations

import gzip
import json
import zlib
from typing import Any

from fastapi.testclient import TestClient

from tests.server.factories import batch, content, item
from tests.server.world import World


def _post_gzip(
    client: TestClient, headers: dict[str, str], body: bytes, path: str = "/api/v1/reports/batch"
) -> Any:
    return client.post(
        path,
        content=body,
        headers={**headers, "Content-Type": "application/json", "Content-Encoding": "gzip"},
    )


def test_gzip_batch_is_accepted(client: TestClient, world: World) -> None:
    h = world.headers(client, "wafang_a")
    pushed = [item(content()) for _ in range(3)]
    raw = json.dumps(batch("dev-wafang_a", pushed)).encode()
    r = _post_gzip(client, h, gzip.compress(raw))
    assert r.status_code == 200, r.text
    assert [x["status"] for x in r.json()["results"]] == ["accepted"] * 3
    assert r.headers["x-accept-request-encoding"] == "gzip"


def test_zip_bomb_stops_at_the_limit(client: TestClient, world: World) -> None:
    h = world.headers(client, "wafang_a")
    bomb = gzip.compress(b"[" + b" " * (64 * 1024 * 1024) + b"]", compresslevel=9)
    assert len(bomb) < 200_000
    r = _post_gzip(client, h, bomb)
    assert r.status_code == 413, r.text
    assert r.json()["error"]["code"] == "batch_too_large"
    r = _post_gzip(client, h, gzip.compress(b"x" * (2 * 1024 * 1024)), "/api/v1/auth/login")
    assert r.json()["error"]["code"] == "body_too_large"


def test_bad_gzip_and_other_encodings_are_refused(client: TestClient, world: World) -> None:
    h = world.headers(client, "wafang_a")
    raw = json.dumps(batch("dev-wafang_a", [item(content())])).encode()
    for body in (raw, gzip.compress(raw)[:-6], gzip.compress(raw) + b"junk"):
        r = _post_gzip(client, h, body)
        assert r.status_code == 400, r.text
        assert r.json()["error"]["code"] == "bad_request"
    r = client.post(
        "/api/v1/reports/batch",
        content=zlib.compress(raw),
        headers={**h, "Content-Type": "application/json", "Content-Encoding": "deflate"},
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request"


def test_long_answers_go_gzip(client: TestClient, world: World) -> None:
    h = world.headers(client, "wafang_b")
    r = client.get("/api/v1/changes?limit=50", headers={**h, "Accept-Encoding": "gzip"})
    assert r.status_code == 200
    if len(r.content) >= 1024:
        assert r.headers.get("content-encoding") == "gzip"
    r = client.get("/health", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in r.headers

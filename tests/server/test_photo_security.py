"""Photo uploads under attack (issue 18): limits, expiry, per-device claims, access, digests.

- an account cannot leave unlimited unfinished uploads (count and bytes, 429);
- unfinished uploads idle past the TTL are removed with their bytes;
- another device's claim of a hash with a wrong size never blocks the real upload;
- knowing a photo's hash (listing it in one's own report) does not give its bytes: access
  follows the village that uploaded it, and the jurisdiction above it;
- a chunk damaged on the way is refused alone; the bytes before it stay.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sync.contract.wire.reports import chunk_digest
from sync.server.models import Photo, PhotoAccess, PhotoUpload
from sync.server.settings import Settings
from tests.server.conftest import fast_settings
from tests.server.duty_steps import Clock
from tests.server.factories import SHUIGOU, WAFANG, XINZHAI, batch, content, item, photo_bytes
from tests.server.steps import put_photo_chunk as put
from tests.server.world import World

USES_CLOCK = True
MAX_UPLOADS = 5
MAX_BYTES = 1024 * 1024


@pytest.fixture(scope="module")
def settings(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return fast_settings(
        db_url,
        tmp_path_factory.mktemp("data"),
        photo_partial_max_uploads=MAX_UPLOADS,
        photo_partial_max_bytes=MAX_BYTES,
        photo_partial_ttl_hours=24.0,
    )


def error(r: httpx2.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body: dict[str, Any] = r.json()["error"]
    return body


def list_photo(
    client: TestClient, world: World, user: str, village: str, sha: str, size: int
) -> None:
    """Push a report of ``village`` by ``user`` that lists photo ``sha``."""
    body = content(village, photos=[{"sha256": sha, "size": size, "mime": "image/jpeg"}])
    r = client.post(
        "/api/v1/reports/batch",
        headers=world.headers(client, user),
        json=batch(f"dev-{user}", [item(body)]),
    )
    assert r.json()["results"][0]["status"] == "accepted", r.text


def test_unfinished_uploads_are_limited_per_account(client: TestClient, world: World) -> None:
    h = world.headers(client, "wafang_a")
    photos = [photo_bytes(f"quota-{i}", 1000) for i in range(MAX_UPLOADS + 1)]
    for data, sha in photos[:MAX_UPLOADS]:
        assert put(client, h, sha, 0, len(data), data[:10]).status_code == 200
    data, sha = photos[MAX_UPLOADS]
    refused = error(put(client, h, sha, 0, len(data), data[:10]), 429)
    assert refused["code"] == "photo_uploads_limit" and refused["max_uploads"] == MAX_UPLOADS
    assert "未完成" in refused["zh"] and "unfinished" in refused["en"]
    # Another device of the same account counts too; another account does not.
    other_device = {"Authorization": f"Bearer {world.token(client, 'wafang_a', 'dev-quota-2')}"}
    assert put(client, other_device, sha, 0, len(data), data[:10]).status_code == 429
    assert (
        put(client, world.headers(client, "wafang_b"), sha, 0, len(data), data[:10]).status_code
        == 200
    )
    # Finishing an upload frees its place; resuming one already open is never refused.
    first, first_sha = photos[0]
    assert put(client, h, first_sha, 10, len(first), first[10:]).json()["complete"] is True
    assert put(client, h, photos[1][1], 10, 1000, photos[1][0][10:20]).status_code == 200
    assert put(client, h, sha, 0, len(data), data[:10]).status_code == 200


def test_unfinished_bytes_are_limited_per_account(
    client: TestClient, world: World, settings: Settings
) -> None:
    h = world.headers(client, "dangxi_a")
    size = settings.photo_max_bytes
    for i in range(MAX_BYTES // size):  # declared sizes count, not only what arrived
        data, sha = photo_bytes(f"bytes-quota-{i}", size)
        assert put(client, h, sha, 0, size, data[:1]).status_code == 200
    data, sha = photo_bytes("bytes-quota-last", 10)
    assert error(put(client, h, sha, 0, 10, data[:1]), 429)["max_bytes"] == MAX_BYTES


def test_idle_unfinished_uploads_are_removed_with_their_bytes(
    client: TestClient, world: World, settings: Settings, clock: Clock
) -> None:
    folder = settings.photos_path
    idle, idle_sha = photo_bytes("idle", 2000)
    shuigou = world.headers(client, "shuigou_b")
    assert put(client, shuigou, idle_sha, 0, len(idle), idle[:500]).status_code == 200
    [idle_part] = folder.glob(f"{idle_sha}*.part")
    # An unfinished upload of the shared kind kept before 0008 (row and <sha>.part).
    _, old_sha = photo_bytes("pre-0008")
    db = client.app.state.db  # type: ignore[attr-defined]
    with db.writing() as session:
        session.add(Photo(sha256=old_sha, size=5000, complete=False, created_at=clock.now))
    (folder / f"{old_sha}.part").write_bytes(b"x" * 100)
    clock.advance(hours=23)
    fresh, fresh_sha = photo_bytes("fresh", 2000)
    assert put(client, shuigou, fresh_sha, 0, len(fresh), fresh[:500]).status_code == 200
    clock.advance(hours=2)  # the first is idle 25 h, the fresh one 2 h
    data, sha = photo_bytes("sweeper", 1000)  # any upload that starts sweeps
    assert (
        put(client, world.headers(client, "dangxi_b"), sha, 0, len(data), data).status_code == 200
    )
    assert not idle_part.exists() and not (folder / f"{old_sha}.part").exists()
    with db.read_session() as session:
        assert session.get(Photo, old_sha) is None
        left = set(session.scalars(select(PhotoUpload.sha256)))
    assert idle_sha not in left and fresh_sha in left
    assert client.get(f"/api/v1/photos/{idle_sha}", headers=shuigou).json() == {
        "sha256": idle_sha,
        "size": None,
        "received": 0,
        "complete": False,
    }
    resumed = error(put(client, shuigou, idle_sha, 500, len(idle), idle[500:]), 409)
    assert resumed["code"] == "offset_mismatch" and resumed["received"] == 0
    assert put(client, shuigou, fresh_sha, 500, len(fresh), fresh[500:]).json()["complete"]


def test_a_wrong_size_claim_from_another_device_does_not_block(
    client: TestClient, world: World
) -> None:
    data, sha = photo_bytes("claimed-first", 3000)
    attacker = world.headers(client, "gudong_a")
    assert put(client, attacker, sha, 0, len(data) + 7, b"junk").status_code == 200
    h = world.headers(client, "xinzhai_a")
    r = put(client, h, sha, 0, len(data), data[:1000])
    assert r.status_code == 200 and r.json()["received"] == 1000
    assert put(client, h, sha, 1000, len(data), data[1000:]).json()["complete"] is True
    # The attacker's claim stays its own: finishing it with junk fails the hash.
    r = put(client, attacker, sha, 4, len(data) + 7, b"x" * (len(data) + 3))
    assert error(r, 422)["code"] == "photo_hash_mismatch"
    # A device restarting its own upload at 0 with another size replaces its claim.
    again, again_sha = photo_bytes("resized", 2000)
    assert put(client, attacker, again_sha, 0, 9999, b"abc").status_code == 200
    assert put(client, attacker, again_sha, 0, len(again), again).json()["complete"] is True


def test_a_known_hash_does_not_give_another_villages_photo(
    client: TestClient, world: World, settings: Settings
) -> None:
    data, sha = photo_bytes("wafang-only", 4000)
    list_photo(client, world, "wafang_a", WAFANG, sha, len(data))
    assert put(client, world.headers(client, "wafang_a"), sha, 0, len(data), data).json()[
        "complete"
    ]
    # 水沟洼村 (same township) and 新寨 (another township) list the hash in their own reports.
    list_photo(client, world, "shuigou_a", SHUIGOU, sha, len(data))
    list_photo(client, world, "xinzhai_a", XINZHAI, sha, len(data))
    content_url = f"/api/v1/photos/{sha}/content"
    for thief in ("shuigou_a", "xinzhai_a", "lujiang_reviewer"):
        h = world.headers(client, thief)
        assert error(client.get(content_url, headers=h), 404)["code"] == "not_found"
        # The state does not even say that the photo is here.
        state = client.get(f"/api/v1/photos/{sha}", headers=h).json()
        assert state == {"sha256": sha, "size": None, "received": 0, "complete": False}
    for reader in ("wafang_a", "wafang_b", "wafang_reviewer", "longyang_admin", "baoshan_city"):
        r = client.get(content_url, headers=world.headers(client, reader))
        assert r.status_code == 200 and r.content == data, reader
    # Sending the bytes proves possession: stored once, and 水沟洼村 may read it.
    shuigou = world.headers(client, "shuigou_a")
    assert put(client, shuigou, sha, 0, len(data), data[:1500]).json()["complete"] is False
    assert put(client, shuigou, sha, 1500, len(data), data[1500:]).json()["complete"] is True
    assert client.get(content_url, headers=shuigou).content == data
    assert sorted(p.name for p in settings.photos_path.glob(f"{sha}*")) == [sha]
    with client.app.state.db.read_session() as session:  # type: ignore[attr-defined]
        granted = set(
            session.scalars(select(PhotoAccess.village_code).where(PhotoAccess.sha256 == sha))
        )
    assert granted == {WAFANG, SHUIGOU}
    assert client.get(content_url, headers=world.headers(client, "xinzhai_a")).status_code == 404


def test_a_photo_from_before_access_rows_keeps_the_listing_rule(
    client: TestClient, world: World, settings: Settings, clock: Clock
) -> None:
    data, sha = photo_bytes("before-0008", 1200)
    list_photo(client, world, "dangxi_a", "530502208207", sha, len(data))
    settings.photos_path.mkdir(parents=True, exist_ok=True)
    (settings.photos_path / sha).write_bytes(data)
    with client.app.state.db.writing() as session:  # type: ignore[attr-defined]
        session.add(
            Photo(
                sha256=sha,
                size=len(data),
                complete=True,
                created_at=clock.now,
                completed_at=clock.now,
            )
        )
    url = f"/api/v1/photos/{sha}/content"
    assert client.get(url, headers=world.headers(client, "dangxi_a")).content == data
    assert client.get(url, headers=world.headers(client, "wafang_reviewer")).status_code == 200
    assert client.get(url, headers=world.headers(client, "wafang_a")).status_code == 404
    state = client.get(f"/api/v1/photos/{sha}", headers=world.headers(client, "dangxi_a")).json()
    assert state["complete"] is True


def test_a_damaged_chunk_is_refused_alone(
    client: TestClient, world: World, settings: Settings
) -> None:
    h = world.headers(client, "shuigou_a")
    data, sha = photo_bytes("digest", 3000)
    first, second, third = data[:1000], data[1000:2000], data[2000:]
    assert put(client, h, sha, 0, len(data), first, chunk_digest(first)).status_code == 200
    damaged = second[:500] + bytes([second[500] ^ 0xFF]) + second[501:]
    refused = error(put(client, h, sha, 1000, len(data), damaged, chunk_digest(second)), 422)
    assert refused["code"] == "chunk_corrupt" and refused["offset"] == 1000
    assert client.get(f"/api/v1/photos/{sha}", headers=h).json()["received"] == 1000
    assert put(client, h, sha, 1000, len(data), second, chunk_digest(second)).status_code == 200
    malformed = error(put(client, h, sha, 2000, len(data), third, "sha-256=:nope:"), 400)
    assert "Content-Digest" in malformed["en"]
    # Other algorithms are ignored, and a chunk without a digest is taken (older apps).
    r = put(client, h, sha, 2000, len(data), third, "sha-512=:AAAA:")
    assert r.json()["complete"] is True
    assert (settings.photos_path / sha).read_bytes() == data


def test_partial_files_are_per_device(client: TestClient, world: World, settings: Settings) -> None:
    data, sha = photo_bytes("two-devices", 2000)
    one = world.headers(client, "shuigou_b")
    two = {"Authorization": f"Bearer {world.token(client, 'shuigou_b', 'dev-second')}"}
    assert put(client, one, sha, 0, len(data), data[:300]).json()["received"] == 300
    assert put(client, two, sha, 0, len(data), data[:700]).json()["received"] == 700
    assert len(list(Path(settings.photos_path).glob(f"{sha}.*.part"))) == 2
    assert client.get(f"/api/v1/photos/{sha}", headers=one).json()["received"] == 300
    assert put(client, two, sha, 700, len(data), data[700:]).json()["complete"] is True
    # The first device is now told it is complete (its village has access).
    assert put(client, one, sha, 300, len(data), data[300:]).json()["complete"] is True
    assert sorted(p.name for p in settings.photos_path.glob(f"{sha}*")) == [sha]

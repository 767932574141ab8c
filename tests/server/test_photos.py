"""Photos: chunked and resumable, SHA-256 checked, stored once, limited in size."""

from __future__ import annotations

from fastapi.testclient import TestClient

from sync.server.settings import Settings
from tests.server.factories import photo_bytes
from tests.server.steps import put_photo_chunk as put
from tests.server.world import World


def test_chunked_upload_with_resume(client: TestClient, world: World, settings: Settings) -> None:
    h = world.headers(client, "wafang_a")
    data, sha = photo_bytes("chunked", 10_000)
    assert client.get(f"/api/v1/photos/{sha}", headers=h).json() == {
        "sha256": sha,
        "size": None,
        "received": 0,
        "complete": False,
    }
    r = put(client, h, sha, 0, len(data), data[:4000])
    assert r.status_code == 200 and r.json()["received"] == 4000
    assert not r.json()["complete"]
    # The connection broke; the device asks how far the server got, and resumes.
    state = client.get(f"/api/v1/photos/{sha}", headers=h).json()
    assert state == {"sha256": sha, "size": 10_000, "received": 4000, "complete": False}
    r = put(client, h, sha, 4000, len(data), data[4000:7000])
    assert r.json()["received"] == 7000
    r = put(client, h, sha, 7000, len(data), data[7000:])
    assert r.status_code == 200 and r.json() == {
        "sha256": sha,
        "size": 10_000,
        "received": 10_000,
        "complete": True,
    }
    stored = settings.photos_path / sha
    assert stored.read_bytes() == data
    assert not list(settings.photos_path.glob(f"{sha}*.part"))
    # Another device of the same village is told at once that it is complete.
    same_village = world.headers(client, "wafang_b")
    r = put(client, same_village, sha, 0, len(data), data[:100])
    assert r.status_code == 200 and r.json()["complete"] is True
    # Another village's device must send the bytes (proof it holds them); stored once.
    other = world.headers(client, "shuigou_a")
    assert client.get(f"/api/v1/photos/{sha}", headers=other).json()["complete"] is False
    r = put(client, other, sha, 0, len(data), data[:100])
    assert r.status_code == 200 and r.json()["complete"] is False
    assert put(client, other, sha, 100, len(data), data[100:]).json()["complete"] is True
    assert sorted(p.name for p in settings.photos_path.glob(f"{sha}*")) == [sha]


def test_wrong_offset_answers_the_received_offset(client: TestClient, world: World) -> None:
    h = world.headers(client, "wafang_a")
    data, sha = photo_bytes("offset", 3000)
    put(client, h, sha, 0, len(data), data[:1000])
    for offset in (0, 500, 2000):
        r = put(client, h, sha, offset, len(data), data[offset : offset + 500])
        assert r.status_code == 409
        error = r.json()["error"]
        assert error["code"] == "offset_mismatch" and error["received"] == 1000
    r = put(client, h, sha, 1000, len(data) + 1, data[1000:])
    assert r.status_code == 409 and r.json()["error"]["code"] == "photo_size_mismatch"
    r = put(client, h, sha, 1000, len(data), data[1000:] + b"extra")
    assert r.status_code == 400
    assert put(client, h, sha, 1000, len(data), data[1000:]).json()["complete"] is True


def test_hash_mismatch_discards_the_upload(
    client: TestClient, world: World, settings: Settings
) -> None:
    h = world.headers(client, "wafang_a")
    data, sha = photo_bytes("mismatch", 2000)
    corrupted = data[:1000] + b"\x00" * 1000
    put(client, h, sha, 0, len(data), corrupted[:1000])
    r = put(client, h, sha, 1000, len(data), corrupted[1000:])
    assert r.status_code == 422 and r.json()["error"]["code"] == "photo_hash_mismatch"
    assert client.get(f"/api/v1/photos/{sha}", headers=h).json()["received"] == 0
    assert not list(settings.photos_path.glob(f"{sha}*"))
    assert put(client, h, sha, 0, len(data), data).json()["complete"] is True


def test_size_limit_is_a_clear_413(client: TestClient, world: World, settings: Settings) -> None:
    h = world.headers(client, "wafang_a")
    limit = settings.photo_max_bytes
    data, sha = photo_bytes("huge", limit + 1)
    r = put(client, h, sha, 0, len(data), data[:10])
    assert r.status_code == 413
    error = r.json()["error"]
    assert error["code"] == "photo_too_large" and error["limit"] == limit
    assert "MB" in error["zh"] and "MB" in error["en"]
    # A body above the limit is refused even with an honest-looking size.
    r = put(client, h, sha, 0, limit, data)
    assert r.status_code == 413 and r.json()["error"]["code"] == "photo_too_large"


def test_bad_hashes_and_missing_content(client: TestClient, world: World) -> None:
    h = world.headers(client, "wafang_a")
    assert client.get("/api/v1/photos/not-a-hash", headers=h).status_code == 404
    assert put(client, h, "xyz", 0, 1, b"a").status_code == 404
    _, sha = photo_bytes("never-listed")
    r = client.get(f"/api/v1/photos/{sha}/content", headers=h)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"

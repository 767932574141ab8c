"""Unfinished photo uploads expire without an upload coming in; photo files are owner-only.

- ``city-server photos sweep`` removes the uploads idle past ``photo_partial_ttl_hours`` with
  their files and says how many and how many bytes, in both languages or as JSON;
- a starting server sweeps once (logged), and neither a missing photo folder nor a database
  it cannot sweep stops it from starting;
- photo files, unfinished and complete, are 0600 and the folder the server creates is 0700.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from sync.server.app import create_app
from sync.server.db import Database
from sync.server.models import PhotoUpload
from sync.server.settings import Settings
from tests.server.conftest import fast_settings
from tests.server.factories import photo_bytes
from tests.server.steps import put_photo_chunk as put
from tests.server.test_cli import ROOT, cli_env
from tests.server.world import World

#: Long before any test's "now": an upload last touched then is idle past any TTL.
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def settings(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return fast_settings(db_url, tmp_path_factory.mktemp("data"), photo_partial_ttl_hours=24.0)


def start_upload(client: TestClient, world: World, user: str, seed: str, sent: int) -> str:
    """Begin an upload of 2000 bytes by ``user``, send ``sent`` of them; return its hash."""
    data, sha = photo_bytes(seed, 2000)
    r = put(client, world.headers(client, user), sha, 0, len(data), data[:sent])
    assert r.status_code == 200 and r.json()["received"] == sent, r.text
    return sha


def make_idle(db: Database, sha: str) -> None:
    """Let the unfinished uploads of ``sha`` have been idle since long ago."""
    with db.writing() as session:
        session.execute(
            update(PhotoUpload).where(PhotoUpload.sha256 == sha).values(updated_at=LONG_AGO)
        )


def unfinished(db: Database) -> set[str]:
    with db.read_session() as session:
        return set(session.scalars(select(PhotoUpload.sha256)))


def parts(folder: Path, sha: str) -> list[Path]:
    return list(folder.glob(f"{sha}.*.part"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def sweep_cli(
    db_url: str, settings: Settings, tmp: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    env = {**cli_env(tmp), "CITY_PHOTO_DIR": str(settings.photos_path)}
    return subprocess.run(
        [sys.executable, "-m", "sync.server.cli", "--db", db_url, "photos", "sweep", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
        check=False,
    )


def test_the_command_removes_idle_uploads_and_says_how_much(
    client: TestClient, world: World, settings: Settings, db_url: str, tmp_path: Path
) -> None:
    db: Database = client.app.state.db  # type: ignore[attr-defined]
    idle = start_upload(client, world, "shuigou_b", "cli-idle", 700)
    fresh = start_upload(client, world, "shuigou_b", "cli-fresh", 300)
    make_idle(db, idle)
    [idle_part] = parts(settings.photos_path, idle)
    done = sweep_cli(db_url, settings, tmp_path, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "uploads_removed": 1,
        "bytes_freed": 700,
        "idle_hours": 24.0,
        "photo_dir": str(settings.photos_path),
    }
    assert not idle_part.exists() and len(parts(settings.photos_path, fresh)) == 1
    left = unfinished(db)
    assert idle not in left and fresh in left
    again = sweep_cli(db_url, settings, tmp_path)
    assert again.returncode == 0, again.stderr
    assert "已删除闲置超过 24 小时的未完成照片上传 0 个，释放 0 字节" in again.stdout
    assert "removed 0 unfinished photo uploads idle over 24 h, freed 0 bytes" in again.stdout


def test_a_starting_server_sweeps(
    client: TestClient,
    world: World,
    settings: Settings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    db: Database = client.app.state.db  # type: ignore[attr-defined]
    idle = start_upload(client, world, "dangxi_b", "restart-idle", 900)
    make_idle(db, idle)
    [idle_part] = parts(settings.photos_path, idle)
    restarted = create_app(settings)
    with caplog.at_level(logging.INFO, logger="sync.server.app"), TestClient(restarted):
        pass
    restarted.state.db.dispose()
    assert not idle_part.exists() and idle not in unfinished(db)
    assert "1 removed, 900 bytes freed" in caplog.text
    # Without its photo folder the server still starts, and the expired row goes.
    other = start_upload(client, world, "dangxi_b", "restart-no-folder", 100)
    make_idle(db, other)
    missing = tmp_path / "not-there"
    restarted = create_app(settings.model_copy(update={"photo_dir": missing}))
    with TestClient(restarted) as c:
        assert c.get("/health").status_code == 200
    restarted.state.db.dispose()
    assert other not in unfinished(db) and not missing.exists()


def test_a_failed_sweep_does_not_stop_the_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    empty = fast_settings(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path, migrate_on_start=False)
    app = create_app(empty)  # no tables: the sweep fails
    with caplog.at_level(logging.WARNING, logger="sync.server.app"), TestClient(app):
        pass
    app.state.db.dispose()
    assert "start-up sweep of unfinished photo uploads failed" in caplog.text


def test_photo_files_are_owner_only(client: TestClient, world: World, settings: Settings) -> None:
    h = world.headers(client, "wafang_b")
    data, sha = photo_bytes("private", 3000)
    assert put(client, h, sha, 0, len(data), data[:1000]).json()["received"] == 1000
    folder = settings.photos_path
    assert mode(folder) == 0o700
    [part] = parts(folder, sha)
    assert mode(part) == 0o600
    # A part an older server began (0644) is owner-only once complete.
    os.chmod(part, 0o644)
    assert put(client, h, sha, 1000, len(data), data[1000:]).json()["complete"] is True
    assert mode(folder / sha) == 0o600
    whole, whole_sha = photo_bytes("private-whole", 1000)
    assert put(client, h, whole_sha, 0, len(whole), whole).json()["complete"] is True
    assert mode(folder / whole_sha) == 0o600

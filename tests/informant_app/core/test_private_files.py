"""The data folder is 0700 and the database, its -wal/-shm and the token file are 0600.

New files are created so; a looser existing one is tightened when opened, with a log line.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from informant_app.core.account.credentials import load_token, save_token, token_file
from informant_app.core.paths import database_path
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.types import TokenStorage

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_data_folder_and_database_are_this_users_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = os.umask(0o022)
    try:
        data = tmp_path / "data"
        with ReportStore.open(data):  # open and migrated: the WAL files exist meanwhile
            db = database_path(data)
            files = [db, *(db.with_name(db.name + s) for s in ("-wal", "-shm"))]
            assert mode(data) == 0o700
            assert {p.name: mode(p) for p in files if p.exists()} == {
                p.name: 0o600 for p in files if p.exists()
            }
            assert db.exists()
        monkeypatch.setenv("INFORMANT_TOKEN_STORAGE", "file")
        assert save_token(data, "dev", "li", "secret") is TokenStorage.FILE
        assert mode(token_file(data)) == 0o600 and mode(token_file(data).parent) == 0o700
    finally:
        os.umask(old)


def test_looser_existing_files_are_tightened_on_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    ReportStore.open(data).close()
    monkeypatch.setenv("INFORMANT_TOKEN_STORAGE", "file")
    save_token(data, "dev", "li", "secret")
    db = database_path(data)
    wal = db.with_name(db.name + "-wal")
    wal.write_bytes(b"")
    for path, loose in (
        (data, 0o755),
        (db, 0o644),
        (wal, 0o644),
        (token_file(data), 0o644),
        (token_file(data).parent, 0o755),
    ):
        os.chmod(path, loose)
    with caplog.at_level(logging.INFO, logger="informant_app.core.private_files"):
        with ReportStore.open(data):
            assert mode(data) == 0o700 and mode(db) == 0o600 and mode(wal) == 0o600
        assert load_token(data, "dev", "li", TokenStorage.FILE) == "secret"
    assert mode(token_file(data)) == 0o600 and mode(token_file(data).parent) == 0o700
    said = [r.getMessage() for r in caplog.records if "restricted" in r.getMessage()]
    assert any(str(db) in line for line in said)
    assert any(str(token_file(data)) in line for line in said)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="informant_app.core.private_files"):
        ReportStore.open(data).close()
    assert not [r for r in caplog.records if "restricted" in r.getMessage()]  # once

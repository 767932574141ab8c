"""The diagnostic block: every field a supporter needs, never a secret or a report's content."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from informant_app import __version__
from informant_app.core import diagnostics
from informant_app.core.account import credentials
from informant_app.core.store import migrate
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_state import record_round
from informant_app.core.sync.types import (
    Account,
    RoundSummary,
    SyncErrorKind,
    SyncProblem,
    TokenStorage,
)
from tests.informant_app.core.conftest import fill
from tests.support.accounts import sign_in_offline as support_sign_in_offline

TOKEN = "tok-5f1c9e2a-very-secret-device-token"
NARRATIVE = "7月1日凌晨突降暴雨引发山洪，冲毁农田，部分房屋受损。"


def sign_in_offline(store: ReportStore, server_url: str = "https://city.example:8443") -> Account:
    """Sign ``store`` in as the server would have, with the known ``TOKEN``."""
    return support_sign_in_offline(store, TOKEN, server_url)


def failed_round(store: ReportStore) -> None:
    problem = SyncProblem(SyncErrorKind.NETWORK, "无法连接服务器", "the server cannot be reached")
    summary = RoundSummary(
        problem=problem,
        clock_skew_seconds=-754.0,
        server_time=datetime(2026, 11, 28, 8, 7, tzinfo=UTC),
    )
    with store.write_session() as s, s.begin():
        record_round(s, summary, datetime.now(UTC), datetime.now(UTC), True)


@pytest.fixture(autouse=True)
def token_in_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(credentials.STORAGE_ENV, "file")


def test_the_block_names_versions_paths_counts_and_the_sync_state(
    profiled_store: ReportStore, tmp_path: Path
) -> None:
    store = profiled_store
    store.new_draft()
    queued = store.new_draft()
    store.save_draft(queued.version_uuid, fill(queued.content))
    assert store.submit(queued.version_uuid).ok
    sign_in_offline(store)
    failed_round(store)
    log_file = tmp_path / "logs" / "informant-app.log"

    text = diagnostics.diagnostic_text(
        store, store.data_dir, log_file, toolkit=[("Qt", "6.11.3"), ("PySide6", "6.11.3")]
    )

    lines = text.splitlines()
    assert lines[0] == diagnostics.TITLE
    expected = [
        f"App version: {__version__}",
        "Qt: 6.11.3",
        "PySide6: 6.11.3",
        "Python: ",
        "Operating system: ",
        f"Data folder: {store.data_dir}",
        f"Log file: {log_file}",
        f"Database file: {store.data_dir / 'informant.db'}",
        f"Database revision: {migrate.head_revision()} (the app expects "
        f"{migrate.head_revision()}: up to date)",
        "Reports draft: 1",
        "Reports queued: 1",
        "Reports received: 0",
        "Reports error: 0",
        "Versions waiting to be sent: 1",
        "Review decisions queued: 0",
        "Photos still to upload: 0",
        "Signed in: yes",
        "Server: https://city.example:8443",
        "User name: wafang_a",
        "Role: village_informant",
        "Token kept in: file",
        "Last successful sync: never",
        "Failed rounds in a row: 1",
        "Last error: network: the server cannot be reached / 无法连接服务器",
        "Server time at the last sync: 2026-11-28 08:07:00 UTC",
        "Clock skew: 754 s (12.6 min) behind the server",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in lines), start


def test_the_block_never_holds_the_token_a_password_or_a_report(
    profiled_store: ReportStore,
) -> None:
    store = profiled_store
    draft = store.new_draft()
    store.save_draft(draft.version_uuid, fill(draft.content, narrative=NARRATIVE))
    account = sign_in_offline(store, "https://user:hunter2@city.example/api?key=abc")
    assert (
        credentials.load_token(
            store.data_dir, account.device_id, account.username, TokenStorage.FILE
        )
        == TOKEN
    )

    text = diagnostics.diagnostic_text(store, store.data_dir, None)

    assert TOKEN not in text
    assert "hunter2" not in text and "key=abc" not in text
    assert "Server: https://city.example/api" in text
    assert NARRATIVE not in text and "张明" not in text  # no content, no person's name


def test_a_token_that_slipped_into_a_message_is_blanked(profiled_store: ReportStore) -> None:
    store = profiled_store
    sign_in_offline(store)
    problem = SyncProblem(SyncErrorKind.AUTH, f"令牌 {TOKEN} 无效", f"token {TOKEN} refused")
    with store.write_session() as s, s.begin():
        record_round(s, RoundSummary(problem=problem), datetime.now(UTC), datetime.now(UTC), True)
    text = diagnostics.diagnostic_text(store, store.data_dir, None)
    assert TOKEN not in text
    assert f"token {diagnostics.REDACTED} refused" in text


def test_without_a_store_the_versions_and_paths_are_still_given(tmp_path: Path) -> None:
    broken = tmp_path / "data"
    broken.mkdir()
    (broken / "informant.db").write_bytes(b"this is not a database at all" * 100)
    text = diagnostics.diagnostic_text(None, broken, None)
    assert f"App version: {__version__}" in text
    assert f"Data folder: {broken}" in text
    assert "Database revision: unreadable" in text
    assert "Database: not open" in text


def test_the_crash_path_reads_the_store_read_only(
    profiled_store: ReportStore, tmp_path: Path
) -> None:
    store = profiled_store
    store.new_draft()
    sign_in_offline(store)
    db = store.data_dir / "informant.db"
    before = db.stat().st_mtime_ns
    text, complete = diagnostics.diagnostic_text_read_only(
        store.data_dir, tmp_path / "app.log", note="Error: RuntimeError: bug"
    )
    assert complete
    assert "Reports draft: 1" in text
    assert "User name: wafang_a" in text
    assert "Error: RuntimeError: bug" in text
    assert TOKEN not in text
    assert db.stat().st_mtime_ns == before


def test_the_crash_path_says_where_the_counts_are_when_it_cannot_read(tmp_path: Path) -> None:
    text, complete = diagnostics.diagnostic_text_read_only(tmp_path / "nothing-here", None)
    assert not complete
    assert "Help → Copy diagnostic information" in text
    assert f"App version: {__version__}" in text


def test_clock_skew_in_words() -> None:
    assert diagnostics.skew_text(None) == "not measured yet"
    assert diagnostics.skew_text(0.2) == "under a second"
    assert diagnostics.skew_text(90) == "90 s (1.5 min) ahead of the server"

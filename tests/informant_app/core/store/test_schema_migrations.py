"""Alembic owns the schema: fresh databases, upgrades of released fixtures, newer databases."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from informant_app.core.divisions import divisions_for
from informant_app.core.duty.service import FilingRole, filing_role_for, my_duty
from informant_app.core.review.service import ReviewFilter, review_queue
from informant_app.core.store.divisions import cached_divisions, load_divisions, save_divisions
from informant_app.core.store.errors import StoreError
from informant_app.core.store.events_cache import cached_state, open_events, save_open_events
from informant_app.core.store.migrate import alembic_config, head_revision, known_revisions, migrate
from informant_app.core.store.models import Base
from informant_app.core.store.report_store import NewerDatabaseError, ReportStore
from informant_app.core.store.types import PostRole, ReportFilter, ReportState
from sync.contract import default_divisions
from sync.contract.wire.divisions import Division as WireDivision
from sync.contract.wire.divisions import Divisions
from sync.contract.wire.events import Event as WireEvent
from sync.contract.wire.events import EventList
from tests.informant_app.core.fixtures import make_fixture_db as fx

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def revision_of(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def test_fresh_database_is_at_head_and_matches_the_models(tmp_path: Path) -> None:
    with ReportStore.open(tmp_path):
        pass
    db = tmp_path / "informant.db"
    assert revision_of(db) == head_revision()
    assert not list(tmp_path.glob("informant.db.bak-*"))  # nothing to back up
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        triggers = {
            r[0]
            for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
    engine.dispose()
    assert diffs == []
    assert triggers == {
        "tr_report_versions_frozen_content",
        "tr_report_versions_no_unfreeze",
        "tr_report_versions_no_delete_frozen",
    }


def test_reopening_at_head_makes_no_backup(tmp_path: Path) -> None:
    for _ in range(2):
        with ReportStore.open(tmp_path):
            pass
    assert not list(tmp_path.glob("informant.db.bak-*"))


def test_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "informant.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES ('9999_from_the_future')")
        conn.execute("CREATE TABLE future (x)")
    conn.close()
    before = digest(db)
    with pytest.raises(NewerDatabaseError) as err:
        ReportStore.open(tmp_path)
    assert "更新版本" in err.value.zh and "newer version" in err.value.en
    assert "9999_from_the_future" in err.value.en
    assert digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["informant.db"]  # no -wal, no backup


def test_foreign_file_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "informant.db"
    db.write_bytes(b"this is not a database at all" * 100)
    before = digest(db)
    with pytest.raises(StoreError) as err:
        ReportStore.open(tmp_path)
    assert err.value.zh and err.value.en
    assert digest(db) == before


def test_every_released_revision_has_a_fixture() -> None:
    released = known_revisions() - {head_revision()}
    assert released  # at least 0001
    for revision in released:
        assert (FIXTURES / f"informant-{revision}.db").exists(), revision


def test_fixture_0001_upgrades_keeping_its_data(tmp_path: Path) -> None:
    db = tmp_path / "informant.db"
    shutil.copy(FIXTURES / "informant-0001.db", db)
    assert revision_of(db) == "0001"
    original = digest(db)

    with ReportStore.open(tmp_path) as store:
        profile = store.profile()
        assert profile is not None and profile.informant_name == "张明"
        assert profile.role is PostRole.A
        counts = store.state_counts()
        assert (
            counts[ReportState.QUEUED],
            counts[ReportState.RECEIVED],
            counts[ReportState.DRAFT],
        ) == (1, 1, 1)
        assert store.outbox_size() == 1
        assert [e.event_uuid for e in store.events()] == [fx.EVENT_UUID]
        assert store.version_content(fx.VERSION_QUEUED).figures["affected_pop"] == 120
        draft = store.load_draft(fx.VERSION_DRAFT)
        assert draft.content["figures"]["affected_pop"] == 130
        # 0002 backfilled one state change per frozen version, signed by the profile.
        log = store.state_log(fx.VERSION_RECEIVED)
        assert [(c.state, c.informant_name, c.role) for c in log] == [
            (ReportState.RECEIVED, "张明", PostRole.A)
        ]
        # The upgraded store keeps working: revise a frozen report, list it.
        revision = store.revise(fx.REPORT_QUEUED)
        assert revision.parent_version_uuid == fx.VERSION_QUEUED
        assert store.count_reports(ReportFilter()) == 3

    assert revision_of(db) == head_revision()
    backups = list(tmp_path.glob("informant.db.bak-0001-*"))
    assert len(backups) == 1
    assert revision_of(backups[0]) == "0001"
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT count(*) FROM report_versions").fetchone()[0] == 3
    conn.close()
    assert original != digest(db)


def test_backup_includes_uncheckpointed_wal(tmp_path: Path) -> None:
    db = tmp_path / "informant.db"
    shutil.copy(FIXTURES / "informant-0001.db", db)
    writer = sqlite3.connect(db)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    with writer:
        writer.execute("UPDATE profile SET phone = '13911112222'")
    # The change sits in the WAL; the migration's backup must contain it.
    migrate(db)
    writer.close()
    backup = next(tmp_path.glob("informant.db.bak-0001-*"))
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT phone FROM profile").fetchone()[0] == "13911112222"
    conn.close()


def test_migrations_downgrade_and_upgrade_again(tmp_path: Path) -> None:
    db = tmp_path / "informant.db"
    migrate(db)
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    engine.dispose()
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert "report_versions" not in tables
    migrate(db)
    assert revision_of(db) == head_revision()


def test_fixture_0005_upgrades_to_duty_keeping_its_data(tmp_path: Path) -> None:
    db = tmp_path / "informant.db"
    shutil.copy(FIXTURES / "informant-0005.db", db)
    assert revision_of(db) == "0005"
    with sqlite3.connect(db) as before:
        assert before.execute("SELECT cursor FROM sync_state").fetchone()[0] == fx.CURSOR_0005
    before.close()

    with ReportStore.open(tmp_path) as store:
        [mine] = my_duty(store)  # the signed-in A of 瓦房村, from the cached roster
        assert (mine.post_code, mine.my_role, mine.on_duty, mine.partner_name) == (
            "530502208201",
            "A",
            True,
            "瓦房村信息员B",
        )
        assert filing_role_for(store, "530502208201") is FilingRole.A
        [item] = review_queue(store, ReviewFilter(), 0, 10)
        assert (item.version_uuid, item.filed_by, item.filed_role) == (
            fx.VERSION_RECEIVED,
            "水沟村信息员A",
            "A",
        )
        assert item.filing_role is None  # until the feed is read again
        rows = {r.version_uuid: r for r in store.report_rows(ReportFilter(), 0, 10)}
        assert rows[fx.VERSION_QUEUED].filing_role is None  # submitted before duty existed
        assert store.outbox_size() == 1

    assert revision_of(db) == head_revision()
    with sqlite3.connect(db) as after:
        assert after.execute("SELECT cursor FROM sync_state").fetchone()[0] is None  # re-pull
        for table in ("duty_absences", "duty_handovers", "event_openings"):
            assert after.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
        assert (
            after.execute("SELECT count(*) FROM roster_cache WHERE reason IS NULL").fetchone()[0]
            == 2
        )
        triggers = {
            r[0] for r in after.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
        assert "tr_report_versions_frozen_content" in triggers  # no table copy lost them
        with pytest.raises(sqlite3.IntegrityError):
            after.execute(
                "UPDATE report_versions SET content = '{}' WHERE version_uuid = ?",
                (fx.VERSION_QUEUED,),
            )
    after.close()
    assert len(list(tmp_path.glob("informant.db.bak-0005-*"))) == 1


def test_fixture_0006_upgrades_to_the_synced_division_table(tmp_path: Path) -> None:
    db = tmp_path / "informant.db"
    shutil.copy(FIXTURES / "informant-0006.db", db)
    assert revision_of(db) == "0006"

    with ReportStore.open(tmp_path) as store:
        # Nothing synced yet: the bundled table stands in until the first round fetches one.
        assert cached_divisions(store) is None and load_divisions(store) is None
        assert divisions_for(tmp_path) is default_divisions()
        [mine] = my_duty(store)  # the duty caches of 0006 are kept: 瓦房村's A is on leave
        assert (mine.post_code, mine.my_role) == ("530502208201", "A")
        assert store.outbox_size() == 1
        # The upgraded store keeps a table the server sends.
        township = default_divisions().children("530502208000")
        table = save_divisions(
            store,
            Divisions(
                vintage="2023",
                revision=2,
                divisions=[
                    WireDivision(
                        code=d.code,
                        name=d.name,
                        level=d.level.value,
                        parent_code=d.parent_code,
                        official=True,
                        short_name=d.short_name,
                    )
                    for d in township
                ],
            ),
            "https://city.example.cn",
            "530502208000",
        )
        assert divisions_for(tmp_path) is table and len(table) == len(township)

    assert revision_of(db) == head_revision()
    with sqlite3.connect(db) as after:
        assert after.execute("SELECT cursor FROM sync_state").fetchone()[0] == fx.CURSOR_0006
        assert after.execute("SELECT count(*) FROM duty_absences").fetchone()[0] == 1
        assert after.execute("SELECT vintage, revision FROM division_cache_state").fetchone() == (
            "2023",
            2,
        )
        assert after.execute("SELECT count(*) FROM division_cache").fetchone()[0] == len(township)
    after.close()
    assert len(list(tmp_path.glob("informant.db.bak-0006-*"))) == 1


def test_fixture_0007_upgrades_to_the_cached_open_events(tmp_path: Path) -> None:
    db = tmp_path / "informant.db"
    shutil.copy(FIXTURES / "informant-0007.db", db)
    assert revision_of(db) == "0007"
    occurred = datetime(2024, 7, 1, 2, tzinfo=UTC)

    with ReportStore.open(tmp_path) as store:
        # The synced division table of 0007 is kept; no open events until the next round.
        cached = cached_divisions(store)
        assert cached is not None and (cached.vintage, cached.revision) == ("2023", 3)
        assert "530502208206" in divisions_for(tmp_path)
        assert open_events(store) == [] and cached_state(store) is None
        assert store.outbox_size() == 1
        # The upgraded store keeps what the server lists.
        answer = EventList(
            server_time=occurred,
            events=[
                WireEvent(
                    event_uuid="ev-township",
                    name="2024年7月1日隆阳区洪涝",
                    disaster_type="flood",
                    county_code="530502000000",
                    opened_level="township",
                    opened_code="530502208000",
                    occurred_at=occurred,
                    opened_at=occurred,
                    closed_at=None,
                )
            ],
        )
        assert save_open_events(store, answer, "https://city.example.cn") == 1
        [event] = open_events(store)
        assert (event.event_uuid, event.opened_code, event.occurred_at) == (
            "ev-township",
            "530502208000",
            occurred,
        )

    assert revision_of(db) == head_revision()
    with sqlite3.connect(db) as after:
        assert after.execute("SELECT count(*) FROM division_cache").fetchone()[0] == 6
        assert after.execute("SELECT event_uuid, name FROM open_event_cache").fetchall() == [
            ("ev-township", "2024年7月1日隆阳区洪涝")
        ]
        assert after.execute("SELECT server_url FROM open_event_cache_state").fetchone() == (
            "https://city.example.cn",
        )
    after.close()
    assert len(list(tmp_path.glob("informant.db.bak-0007-*"))) == 1


def test_fixture_0008_upgrades_to_review_rows_with_a_time_flag(tmp_path: Path) -> None:
    db = tmp_path / "informant.db"
    shutil.copy(FIXTURES / "informant-0008.db", db)
    assert revision_of(db) == "0008"

    with ReportStore.open(tmp_path) as store:
        # Rows pulled before 0009 keep the device's claim and carry no flag.
        [item] = review_queue(store, ReviewFilter(), 0, 10)
        assert item.version_uuid == fx.VERSION_RECEIVED
        assert item.time_flag is None and item.claimed_at is None
        assert item.submitted_at == datetime(2024, 6, 30, 23, 20, tzinfo=UTC)
        [event] = open_events(store)  # the open event cached in 0008 is kept
        assert event.event_uuid == fx.EVENT_UUID
        assert store.outbox_size() == 1

    assert revision_of(db) == head_revision()
    with sqlite3.connect(db) as after:
        assert after.execute("SELECT time_flag FROM version_reviews").fetchall() == [(None,)]
    after.close()
    assert len(list(tmp_path.glob("informant.db.bak-0008-*"))) == 1

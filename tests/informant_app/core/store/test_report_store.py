"""The local store on real SQLite files: profile, drafts, checks, submission, the list."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from informant_app.core.store.report_store import ReportStore, StoreError
from informant_app.core.store.types import PostRole, Profile, ReportFilter, ReportState
from sync.contract import ReportContent, ReportStage, Severity, content_hash
from tests.informant_app.core.conftest import OTHER_VILLAGE, PROFILE, VILLAGE, fill, png_bytes
from tests.support.places import DANGXI


def submitted(store: ReportStore, **changes: object) -> str:
    draft = store.new_draft()
    store.save_draft(draft.version_uuid, fill(draft.content, **changes))
    result = store.submit(draft.version_uuid)
    assert result.ok, result.issues
    return draft.version_uuid


# --- opening and pragmas --------------------------------------------------------------------


def test_open_creates_database_with_pragmas(tmp_path: Path) -> None:
    with ReportStore.open(tmp_path / "new" / "folder") as store:
        assert (tmp_path / "new" / "folder" / "informant.db").exists()
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


# --- profile --------------------------------------------------------------------------------


def test_profile_absent_then_saved_and_replaced(store: ReportStore) -> None:
    assert store.profile() is None
    store.save_profile(PROFILE)
    assert store.profile() == PROFILE
    other = Profile("李华", "139", PostRole.B, OTHER_VILLAGE, (OTHER_VILLAGE,))
    store.save_profile(other)
    assert store.profile() == other


# --- drafts ---------------------------------------------------------------------------------


def test_new_draft_defaults(profiled_store: ReportStore) -> None:
    draft = profiled_store.new_draft()
    c = draft.content
    assert c["report_uuid"] == draft.report_uuid
    assert c["village_code"] == VILLAGE
    assert c["stage"] == "initial"
    assert c["event_uuid"]
    assert c["occurred_at"].endswith("Z") and c["data_cutoff_at"].endswith("Z")
    assert set(c) >= {"figures", "notes", "photos", "ledger", "narrative", "submitted_at"}
    assert draft.parent_version_uuid is None
    assert profiled_store.drafts()[0].version_uuid == draft.version_uuid


def test_new_draft_without_profile_has_empty_village(store: ReportStore) -> None:
    assert store.new_draft().content["village_code"] == ""


def test_new_draft_joins_event(profiled_store: ReportStore) -> None:
    first = submitted(profiled_store, event_name="7·1山洪")
    event = profiled_store.events()[0]
    draft = profiled_store.new_draft(event_uuid=event.event_uuid, village_code=OTHER_VILLAGE)
    c = draft.content
    assert c["event_uuid"] == event.event_uuid
    assert c["event_name"] == "7·1山洪"
    assert c["disaster_type"] == "flood" and c["disaster_subtype"] == "flash_flood"
    assert c["occurred_at"] == profiled_store.version_content(first).to_dict()["occurred_at"]
    assert c["village_code"] == OTHER_VILLAGE
    assert draft.report_uuid != profiled_store.version_content(first).report_uuid


def test_new_draft_joins_unsubmitted_event_of_a_draft(profiled_store: ReportStore) -> None:
    draft = profiled_store.new_draft()
    profiled_store.save_draft(draft.version_uuid, fill(draft.content))
    second = profiled_store.new_draft(event_uuid=draft.content["event_uuid"])
    assert second.content["disaster_type"] == "flood"


def test_new_draft_unknown_event(store: ReportStore) -> None:
    with pytest.raises(KeyError):
        store.new_draft(event_uuid="no-such-event")


def test_save_draft_replaces_content_and_list_columns(profiled_store: ReportStore) -> None:
    draft = profiled_store.new_draft()
    content = fill(
        draft.content, stage="continuing", village_code=OTHER_VILLAGE, report_uuid="tampered"
    )
    content["figures"]["direct_loss"] = Decimal("35.60")
    profiled_store.save_draft(draft.version_uuid, content)
    loaded = profiled_store.load_draft(draft.version_uuid)
    assert loaded.content["narrative"].startswith("7月1日")
    assert loaded.content["report_uuid"] == draft.report_uuid  # identity cannot be edited
    assert loaded.content["figures"]["direct_loss"] == "35.60"
    assert loaded.updated_at >= draft.updated_at
    row = profiled_store.report_rows(ReportFilter(), 0, 10)[0]
    assert row.stage is ReportStage.CONTINUING and row.village_code == OTHER_VILLAGE
    assert profiled_store.count_reports(ReportFilter(stage=ReportStage.CONTINUING)) == 1


def test_save_draft_accepts_incomplete_content(store: ReportStore) -> None:
    draft = store.new_draft()
    store.save_draft(draft.version_uuid, {"stage": "bogus", "figures": {"deaths": "x"}})
    loaded = store.load_draft(draft.version_uuid)
    assert loaded.content["figures"] == {"deaths": "x"}
    assert store.report_rows(ReportFilter(), 0, 1)[0].stage is ReportStage.INITIAL


def test_save_and_load_refuse_non_drafts(profiled_store: ReportStore) -> None:
    version = submitted(profiled_store)
    with pytest.raises(KeyError):
        profiled_store.save_draft(version, {})
    with pytest.raises(KeyError):
        profiled_store.load_draft(version)
    with pytest.raises(KeyError):
        profiled_store.discard_draft(version)


def test_discard_draft(store: ReportStore) -> None:
    draft = store.new_draft()
    store.discard_draft(draft.version_uuid)
    assert store.drafts() == []
    assert store.count_reports(ReportFilter()) == 0


# --- check and submit -----------------------------------------------------------------------


def test_check_reports_parse_problem_as_r0_issue(profiled_store: ReportStore) -> None:
    store = profiled_store
    draft = store.new_draft()
    issues = store.check(draft.version_uuid)  # no disaster type yet
    assert (issues[0].rule, issues[0].severity, issues[0].field) == (
        "R0",
        Severity.ERROR,
        "disaster_type",
    )
    assert [i.field for i in issues if i.field == "disaster_type"] == ["disaster_type"]
    store.save_draft(draft.version_uuid, fill(draft.content, figures={"deaths": "abc"}))
    issue = store.check(draft.version_uuid)[0]
    assert issue.field == "figures.deaths" and issue.zh
    assert store.submit(draft.version_uuid).ok is False


def test_unfinished_header_does_not_hide_figure_rules(profiled_store: ReportStore) -> None:
    draft = profiled_store.new_draft()
    content = dict(draft.content)
    content.pop("disaster_type", None)
    content["figures"] = {
        "crop_affected_ha": 10,
        "crop_damaged_ha": 5,
        "crop_failed_ha": 8,
        "deaths": "x",
    }
    profiled_store.save_draft(draft.version_uuid, content)
    keys = {i.key for i in profiled_store.check(draft.version_uuid)}
    assert {"R0:disaster_type", "R0:figures.deaths", "R2:crop_failed_ha"} <= keys
    assert profiled_store.submit(draft.version_uuid).ok is False


def test_check_runs_rules_with_profile_villages(profiled_store: ReportStore) -> None:
    draft = profiled_store.new_draft(village_code=DANGXI)  # outside the profile
    content = fill(draft.content)
    content["figures"]["crop_failed_ha"] = 9.0  # > crop_damaged_ha 6.2
    profiled_store.save_draft(draft.version_uuid, content)
    keys = {i.key for i in profiled_store.check(draft.version_uuid)}
    assert "R2:crop_failed_ha" in keys
    assert "R0:village_code" in keys


def test_submit_refused_then_accepted_with_note(profiled_store: ReportStore) -> None:
    draft = profiled_store.new_draft()
    content = fill(draft.content)
    content["figures"]["urgent_aid"] = 500  # above affected_pop 120: warning R6
    profiled_store.save_draft(draft.version_uuid, content)
    result = profiled_store.submit(draft.version_uuid)
    assert not result.ok
    assert [i.key for i in result.issues] == ["R6:affected_pop"]
    assert profiled_store.load_draft(draft.version_uuid)  # still a draft
    assert profiled_store.outbox_size() == 0

    content["notes"] = {"R6:affected_pop": "含邻村前来避险群众"}
    profiled_store.save_draft(draft.version_uuid, content)
    assert profiled_store.submit(draft.version_uuid).ok


def test_submit_freezes_queues_once_and_registers_event(profiled_store: ReportStore) -> None:
    draft = profiled_store.new_draft()
    profiled_store.save_draft(draft.version_uuid, fill(draft.content))
    result = profiled_store.submit(draft.version_uuid)
    assert result.ok and result.version_uuid == draft.version_uuid
    again = profiled_store.submit(draft.version_uuid)
    assert again.ok
    assert profiled_store.outbox_size() == 1
    assert profiled_store.drafts() == []

    frozen = profiled_store.version_content(draft.version_uuid)
    assert frozen.submitted_at is not None
    assert frozen.event_name.endswith("隆阳区山洪")  # the national default name
    with profiled_store.engine.connect() as conn:
        stored, digest, state = conn.execute(
            text(
                "SELECT content, content_hash, state FROM report_versions WHERE version_uuid = :v"
            ),
            {"v": draft.version_uuid},
        ).one()
    assert state == "queued"
    assert digest == content_hash(frozen)
    assert ReportContent.from_dict(json.loads(stored)) == frozen
    events = profiled_store.events()
    assert [(e.event_uuid, e.report_count) for e in events] == [(frozen.event_uuid, 1)]
    assert profiled_store.history(draft.report_uuid) == [
        (draft.version_uuid, 1, ReportState.QUEUED)
    ]


def test_submit_unknown_version(store: ReportStore) -> None:
    with pytest.raises(KeyError):
        store.submit("nope")


def test_frozen_content_is_immutable_in_the_database(profiled_store: ReportStore) -> None:
    version = submitted(profiled_store)
    draft = profiled_store.new_draft()
    with profiled_store.engine.begin() as conn:  # a draft's content may change
        conn.execute(
            text("UPDATE report_versions SET content = '{}' WHERE version_uuid = :v"),
            {"v": draft.version_uuid},
        )
    for statement in (
        "UPDATE report_versions SET content = '{}' WHERE version_uuid = :v",
        "UPDATE report_versions SET content_hash = 'x' WHERE version_uuid = :v",
        "UPDATE report_versions SET state = 'draft' WHERE version_uuid = :v",
        "DELETE FROM report_versions WHERE version_uuid = :v",
    ):
        with (
            pytest.raises(DBAPIError, match="frozen report version"),
            profiled_store.engine.begin() as conn,
        ):
            conn.execute(text(statement), {"v": version})
    with profiled_store.engine.begin() as conn:  # the send state may change
        conn.execute(
            text("UPDATE report_versions SET state = 'sending' WHERE version_uuid = :v"),
            {"v": version},
        )


# --- revisions and continuing reports -------------------------------------------------------


def test_revise_makes_new_version_of_same_report(profiled_store: ReportStore) -> None:
    first = submitted(profiled_store)
    report_uuid = profiled_store.version_content(first).report_uuid
    revision = profiled_store.revise(report_uuid)
    assert revision.report_uuid == report_uuid
    assert revision.parent_version_uuid == first
    assert revision.content["submitted_at"] is None
    assert revision.content["figures"]["affected_pop"] == 120
    assert profiled_store.revise(report_uuid) == revision  # the open draft again
    assert profiled_store.count_reports(ReportFilter()) == 1
    assert profiled_store.report_rows(ReportFilter(), 0, 5)[0].state is ReportState.DRAFT

    content = dict(revision.content)
    content["figures"] = dict(content["figures"], affected_pop=130)
    profiled_store.save_draft(revision.version_uuid, content)
    assert profiled_store.submit(revision.version_uuid).ok
    assert profiled_store.history(report_uuid) == [
        (first, 1, ReportState.QUEUED),
        (revision.version_uuid, 2, ReportState.QUEUED),
    ]
    assert profiled_store.outbox_size() == 2
    assert profiled_store.count_reports(ReportFilter()) == 1


def test_discarding_a_revision_restores_the_parent(profiled_store: ReportStore) -> None:
    first = submitted(profiled_store)
    report_uuid = profiled_store.version_content(first).report_uuid
    revision = profiled_store.revise(report_uuid)
    profiled_store.discard_draft(revision.version_uuid)
    rows = profiled_store.report_rows(ReportFilter(), 0, 5)
    assert [(r.version_uuid, r.state) for r in rows] == [(first, ReportState.QUEUED)]


def test_revise_unknown_report(store: ReportStore) -> None:
    with pytest.raises(KeyError):
        store.revise("nope")


def test_new_continuing_is_a_new_report_with_copied_figures(profiled_store: ReportStore) -> None:
    first = submitted(profiled_store)
    initial = profiled_store.version_content(first)
    draft = profiled_store.new_continuing(initial.event_uuid, VILLAGE)
    c = draft.content
    assert draft.report_uuid != initial.report_uuid
    assert c["stage"] == "continuing"
    assert c["event_uuid"] == initial.event_uuid
    assert c["event_name"] == initial.event_name
    assert c["figures"] == initial.to_dict()["figures"]
    assert c["narrative"] == "" and c["photos"] == []

    lower = dict(c, narrative="雨势减弱。", figures=dict(c["figures"], affected_pop=100))
    profiled_store.save_draft(draft.version_uuid, lower)
    assert "R9:affected_pop" in {i.key for i in profiled_store.check(draft.version_uuid)}
    assert profiled_store.previous_figures(initial.event_uuid, VILLAGE) == initial.figures
    assert profiled_store.previous_figures(initial.event_uuid, OTHER_VILLAGE) is None
    assert (
        profiled_store.previous_figures(
            initial.event_uuid, VILLAGE, before_report_uuid=initial.report_uuid
        )
        is None
    )


def test_new_continuing_for_village_without_report(profiled_store: ReportStore) -> None:
    first = submitted(profiled_store)
    event_uuid = profiled_store.version_content(first).event_uuid
    draft = profiled_store.new_continuing(event_uuid, OTHER_VILLAGE)
    assert draft.content["figures"] == {}
    assert draft.content["disaster_type"] == "flood"
    with pytest.raises(KeyError):
        profiled_store.new_continuing("no-such-event", VILLAGE)


# --- photos ---------------------------------------------------------------------------------


def test_opening_removes_copies_a_crash_left_half_done(tmp_path: Path) -> None:
    import os

    from informant_app.core.paths import photos_dir
    from informant_app.core.store.photos import STALE_INCOMING_SECONDS

    folder = photos_dir(tmp_path) / "ab"
    folder.mkdir(parents=True)
    old, fresh, photo = folder / ".incoming-old", folder / ".incoming-new", folder / "ab12"
    for path in (old, fresh, photo):
        path.write_bytes(b"x" * 10)
    then = old.stat().st_mtime - STALE_INCOMING_SECONDS - 5
    os.utime(old, (then, then))
    os.utime(photo, (then, then))
    ReportStore.open(tmp_path).close()
    assert not old.exists()  # a killed copy is cleaned up
    assert fresh.exists() and photo.exists()  # a copy another window may still write; a photo


def test_add_photo_copies_once_and_links(profiled_store: ReportStore, tmp_path: Path) -> None:
    image = tmp_path / "现场.png"
    image.write_bytes(png_bytes(1))
    draft = profiled_store.new_draft()
    ref = profiled_store.add_photo(draft.version_uuid, image)
    assert ref.mime == "image/png" and ref.size == image.stat().st_size
    stored = profiled_store.photo_path(ref.sha256)
    assert stored == profiled_store.data_dir / "photos" / ref.sha256[:2] / ref.sha256
    assert stored.read_bytes() == image.read_bytes()
    assert profiled_store.add_photo(draft.version_uuid, image) == ref  # no second link
    photos = profiled_store.load_draft(draft.version_uuid).content["photos"]
    assert photos == [{"sha256": ref.sha256, "size": ref.size, "mime": "image/png"}]
    assert not list(stored.parent.glob(".incoming-*"))

    # The form's stale copy of the content must not drop the photo on autosave.
    profiled_store.save_draft(draft.version_uuid, fill(draft.content))
    assert profiled_store.load_draft(draft.version_uuid).content["photos"] == photos
    assert profiled_store.report_rows(ReportFilter(), 0, 1)[0].photo_count == 1

    assert profiled_store.submit(draft.version_uuid).ok
    assert profiled_store.version_content(draft.version_uuid).photos[0].sha256 == ref.sha256
    revision = profiled_store.revise(draft.report_uuid)
    assert revision.content["photos"] == photos
    profiled_store.remove_photo(revision.version_uuid, ref.sha256)
    assert profiled_store.load_draft(revision.version_uuid).content["photos"] == []
    assert stored.exists()  # still used by the frozen version


def test_add_photo_refuses_non_images(store: ReportStore, tmp_path: Path) -> None:
    draft = store.new_draft()
    not_image = tmp_path / "notes.txt"
    not_image.write_text("不是图片")
    with pytest.raises(StoreError) as err:
        store.add_photo(draft.version_uuid, not_image)
    assert "notes.txt" in err.value.zh and "不是可用的图片" in err.value.message("zh_CN")
    assert "not a supported image" in err.value.message("en")
    with pytest.raises(StoreError):
        store.add_photo(draft.version_uuid, tmp_path / "missing.jpg")
    assert store.load_draft(draft.version_uuid).content["photos"] == []


@pytest.mark.parametrize(
    "head",
    [
        b"\xff\xd8\xff\xe0" + b"\0" * 20,
        b"GIF89a" + b"\0" * 20,
        b"RIFF\0\0\0\0WEBPVP8 " + b"\0" * 20,
        b"BM" + b"\0" * 30,
    ],
)
def test_add_photo_accepts_image_types(store: ReportStore, tmp_path: Path, head: bytes) -> None:
    image = tmp_path / "photo.bin"
    image.write_bytes(head)
    draft = store.new_draft()
    assert store.add_photo(draft.version_uuid, image).mime.startswith("image/")


def test_photo_path_rejects_bad_hash(store: ReportStore) -> None:
    with pytest.raises(ValueError):
        store.photo_path("../../etc/passwd")


# --- the list, states and counts ------------------------------------------------------------


def test_list_filters_pages_and_orders_newest_first(profiled_store: ReportStore) -> None:
    versions = [submitted(profiled_store) for _ in range(5)]
    draft = profiled_store.new_draft()
    event_uuid = profiled_store.version_content(versions[0]).event_uuid

    rows = profiled_store.report_rows(ReportFilter(), 0, 10)
    assert [r.version_uuid for r in rows] == [draft.version_uuid, *reversed(versions)]
    page = profiled_store.report_rows(ReportFilter(), 2, 2)
    assert [r.version_uuid for r in page] == [versions[3], versions[2]]
    assert profiled_store.count_reports(ReportFilter()) == 6
    assert profiled_store.count_reports(ReportFilter(state=ReportState.QUEUED)) == 5
    assert profiled_store.count_reports(ReportFilter(state=ReportState.DRAFT)) == 1
    assert profiled_store.count_reports(ReportFilter(event_uuid=event_uuid)) == 1
    only = profiled_store.report_rows(ReportFilter(event_uuid=event_uuid), 0, 10)
    assert [r.version_uuid for r in only] == [versions[0]]
    row = only[0]
    assert row.affected_pop == Decimal(120) and row.direct_loss == Decimal("35.6")
    assert row.deaths is None and row.disaster_type == "flood" and row.event_name


def test_set_state_and_state_counts(profiled_store: ReportStore) -> None:
    counts = profiled_store.state_counts()
    assert set(counts) == set(ReportState) and sum(counts.values()) == 0
    a, b, c = (submitted(profiled_store) for _ in range(3))
    profiled_store.new_draft()
    profiled_store.set_state(a, ReportState.SENDING)
    profiled_store.set_state(a, ReportState.RECEIVED)
    profiled_store.set_state(b, ReportState.ERROR, "村代码不在辖区内")
    profiled_store.set_state(c, ReportState.CONFLICT, "服务器上已有更新的版本")
    counts = profiled_store.state_counts()
    assert counts == {
        ReportState.DRAFT: 1,
        ReportState.QUEUED: 0,
        ReportState.SENDING: 0,
        ReportState.RECEIVED: 1,
        ReportState.CONFLICT: 1,
        ReportState.ERROR: 1,
    }
    rows = {r.version_uuid: r for r in profiled_store.report_rows(ReportFilter(), 0, 10)}
    assert rows[b].error_message == "村代码不在辖区内"
    assert rows[a].error_message is None
    assert profiled_store.outbox_size() == 1  # only the error is still to send
    profiled_store.set_state(b, ReportState.QUEUED)
    assert profiled_store.outbox_size() == 1
    with pytest.raises(ValueError):
        profiled_store.set_state(a, ReportState.DRAFT)
    with pytest.raises(KeyError):
        profiled_store.set_state(profiled_store.drafts()[0].version_uuid, ReportState.QUEUED)


# --- disk problems become plain messages ----------------------------------------------------


def _limit_connections(store: ReportStore, pragma: str) -> None:
    from sqlalchemy import event

    def on_connect(dbapi_connection: sqlite3.Connection, record: object) -> None:
        dbapi_connection.execute(pragma)

    event.listen(store.engine, "connect", on_connect)
    store.engine.dispose()


def test_disk_full_becomes_store_error(store: ReportStore) -> None:
    with store.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    _limit_connections(store, f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError) as err:
        for _ in range(200):
            d = store.new_draft()
            store.save_draft(d.version_uuid, {"narrative": "x" * 5000})
    assert "磁盘空间已满" in err.value.zh and "disk is full" in err.value.en


def test_read_only_becomes_store_error(store: ReportStore) -> None:
    _limit_connections(store, "PRAGMA query_only = ON")
    with pytest.raises(StoreError) as err:
        store.new_draft()
    assert "只读" in err.value.zh and "read-only" in err.value.en

"""Disk trouble under the data folder, on a real small disk: full, and read-only.

The data folder lives on a tmpfs of its own (``disk_helpers``).  Saving a draft, adding a
photo and submitting are each run until the disk is full; the app starts on a read-only
folder, and the folder turns read-only while the store is open.  Each time the user gets the
plain bilingual ``StoreError``, ``PRAGMA integrity_check`` stays ok, the queue and the drafts
saved before are exactly as they were, and once space is freed (or the folder is writable
again) work goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from informant_app.core.paths import photos_dir
from informant_app.core.store.report_store import ReportStore, StoreError
from tests.informant_app.core.conftest import PROFILE, fill, png_bytes
from tests.informant_app.core.disk_helpers import (
    SmallDisk,
    drafts_of,
    integrity,
    queue_of,
    small_disk,
)

#: The app keeps typing: a narrative big enough that a few saves fill what is left.
BIG = "山洪冲毁农田，房屋受损。" * 400
#: A narrative an initial report may carry (at most 200 characters).
SHORT = "山洪冲毁农田，房屋受损。" * 15


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    with small_disk(tmp_path / "disk", size_kib=8192) as mounted:
        yield mounted


@pytest.fixture
def busy_store(disk: SmallDisk) -> Iterator[ReportStore]:
    """A store on the small disk holding two queued reports and a saved draft."""
    store = ReportStore.open(disk.data_dir)
    try:
        store.save_profile(PROFILE)
        for _ in range(2):
            draft = store.new_draft()
            store.save_draft(draft.version_uuid, fill(draft.content))
            assert store.submit(draft.version_uuid).ok
        kept = store.new_draft()
        store.save_draft(kept.version_uuid, fill(kept.content, narrative="保存过的草稿"))
        yield store
    finally:
        store.close()


def assert_full(err: pytest.ExceptionInfo[StoreError]) -> None:
    assert "磁盘空间已满" in err.value.zh and "disk is full" in err.value.en


def assert_read_only(err: pytest.ExceptionInfo[StoreError]) -> None:
    assert "只读" in err.value.zh and "read-only" in err.value.en


def stray_files(data_dir: Path) -> list[Path]:
    return list(photos_dir(data_dir).rglob(".incoming-*"))


def test_saving_a_draft_until_the_disk_is_full(disk: SmallDisk, busy_store: ReportStore) -> None:
    before_queue = queue_of(disk.data_dir)
    before_drafts = drafts_of(disk.data_dir)
    disk.fill(leave_kib=64)
    typing = busy_store.new_draft()
    saved = 0
    with pytest.raises(StoreError) as err:
        for n in range(400):
            busy_store.save_draft(typing.version_uuid, fill(typing.content, narrative=BIG + str(n)))
            saved += 1
            other = busy_store.new_draft()  # each keystroke's save adds; the disk fills
            busy_store.save_draft(other.version_uuid, fill(other.content, narrative=BIG))
    assert_full(err)
    assert integrity(disk.data_dir) == "ok"
    assert queue_of(disk.data_dir) == before_queue
    after = drafts_of(disk.data_dir)
    assert all(after[v] == c for v, c in before_drafts.items())
    if saved:  # the last save that went through is there in full, not a torn write
        assert (
            f"{BIG}{saved - 1}" in busy_store.load_draft(typing.version_uuid).content["narrative"]
        )
    disk.free()
    busy_store.save_draft(typing.version_uuid, fill(typing.content, narrative="空间已释放"))
    assert busy_store.load_draft(typing.version_uuid).content["narrative"] == "空间已释放"
    assert busy_store.submit(typing.version_uuid).ok
    assert busy_store.outbox_size() == 3
    assert integrity(disk.data_dir) == "ok"


def test_adding_a_photo_to_a_full_disk(
    disk: SmallDisk, busy_store: ReportStore, tmp_path: Path
) -> None:
    draft = busy_store.drafts()[0]
    small = tmp_path / "small.png"
    small.write_bytes(png_bytes(1))
    busy_store.add_photo(draft.version_uuid, small)
    before_queue, before_drafts = queue_of(disk.data_dir), drafts_of(disk.data_dir)
    big = tmp_path / "big.png"  # a real PNG header with a camera-sized tail
    big.write_bytes(png_bytes(2) + bytes(600 * 1024))
    disk.fill(leave_kib=300)
    with pytest.raises(StoreError) as err:
        busy_store.add_photo(draft.version_uuid, big)
    assert_full(err)
    assert stray_files(disk.data_dir) == []  # the half-copied photo is gone
    assert integrity(disk.data_dir) == "ok"
    assert queue_of(disk.data_dir) == before_queue
    assert drafts_of(disk.data_dir) == before_drafts
    assert len(busy_store.load_draft(draft.version_uuid).content["photos"]) == 1
    disk.free()
    ref = busy_store.add_photo(draft.version_uuid, big)
    assert busy_store.photo_path(ref.sha256).read_bytes() == big.read_bytes()
    assert len(busy_store.load_draft(draft.version_uuid).content["photos"]) == 2


def test_submitting_on_a_full_disk_keeps_the_draft_a_draft(
    disk: SmallDisk, busy_store: ReportStore
) -> None:
    drafts = []
    for _ in range(8 if disk.real else 60):  # the simulation's free pages take more
        draft = busy_store.new_draft()
        busy_store.save_draft(draft.version_uuid, fill(draft.content, narrative=SHORT))
        drafts.append(draft.version_uuid)
    disk.fill(leave_kib=0)
    before_queue = queue_of(disk.data_dir)
    refused: tuple[str, StoreError] | None = None
    went_through = 0
    for version in drafts:  # some submits may still fit in the WAL; one will not
        try:
            assert busy_store.submit(version).ok
        except StoreError as full:
            refused = (version, full)
            break
        went_through += 1
        before_queue = queue_of(disk.data_dir)
    assert refused is not None, "the full disk never refused a submit"
    version, error = refused
    assert "磁盘空间已满" in error.zh and "disk is full" in error.en
    assert integrity(disk.data_dir) == "ok"
    assert queue_of(disk.data_dir) == before_queue  # nothing half-queued
    assert busy_store.load_draft(version).content["narrative"] == SHORT  # still a draft
    disk.free()
    assert busy_store.submit(version).ok
    assert busy_store.outbox_size() == 2 + went_through + 1
    assert integrity(disk.data_dir) == "ok"


def test_app_started_on_a_read_only_data_folder(disk: SmallDisk) -> None:
    with ReportStore.open(disk.data_dir) as store:
        store.save_profile(PROFILE)
        draft = store.new_draft()
        store.save_draft(draft.version_uuid, fill(draft.content))
        assert store.submit(draft.version_uuid).ok
        kept = store.new_draft()
        store.save_draft(kept.version_uuid, fill(kept.content, narrative="只读之前保存"))
    before_queue, before_drafts = queue_of(disk.data_dir), drafts_of(disk.data_dir)
    disk.read_only()
    reopened: ReportStore | None
    try:
        reopened = ReportStore.open(disk.data_dir)
    except StoreError as exc:  # refusing to open is as good as refusing to write
        assert "只读" in exc.zh and "read-only" in exc.en
        reopened = None
    if reopened is not None:
        with reopened:
            assert [d.version_uuid for d in reopened.drafts()] == [kept.version_uuid]
            assert reopened.outbox_size() == 1
            with pytest.raises(StoreError) as err:
                reopened.save_draft(kept.version_uuid, fill(kept.content, narrative="改不了"))
            assert_read_only(err)
            with pytest.raises(StoreError) as err:
                reopened.new_draft()
            assert_read_only(err)
    assert integrity(disk.data_dir) == "ok"
    assert queue_of(disk.data_dir) == before_queue
    assert drafts_of(disk.data_dir) == before_drafts
    disk.writable()
    with ReportStore.open(disk.data_dir) as again:
        again.save_draft(kept.version_uuid, fill(kept.content, narrative="又可以写了"))
        assert again.submit(kept.version_uuid).ok
        assert again.outbox_size() == 2
    assert integrity(disk.data_dir) == "ok"


def test_folder_turning_read_only_while_the_store_is_open(
    disk: SmallDisk, busy_store: ReportStore, tmp_path: Path
) -> None:
    before_queue, before_drafts = queue_of(disk.data_dir), drafts_of(disk.data_dir)
    draft = busy_store.drafts()[0]
    image = tmp_path / "photo.png"
    image.write_bytes(png_bytes(7))
    disk.read_only_view()
    with pytest.raises(StoreError) as err:  # a new photo file cannot be created
        busy_store.add_photo(draft.version_uuid, image)
    assert_read_only(err)
    busy_store.engine.dispose()  # the next database connection opens on the read-only view
    with pytest.raises(StoreError) as err:
        busy_store.save_draft(draft.version_uuid, fill(draft.content, narrative="改不了"))
    assert_read_only(err)
    with pytest.raises(StoreError) as err:
        busy_store.submit(draft.version_uuid)
    assert_read_only(err)
    assert busy_store.outbox_size() == 2  # reading still works
    busy_store.engine.dispose()
    disk.writable()
    assert integrity(disk.data_dir) == "ok"
    assert queue_of(disk.data_dir) == before_queue
    assert drafts_of(disk.data_dir) == before_drafts
    busy_store.add_photo(draft.version_uuid, image)
    assert busy_store.submit(draft.version_uuid).ok
    assert busy_store.outbox_size() == 3


def test_a_cleanly_closed_store_on_a_read_only_folder_is_refused_as_read_only(
    disk: SmallDisk,
) -> None:
    with ReportStore.open(disk.data_dir) as store:  # closed: no -wal/-shm left beside it
        store.save_profile(PROFILE)
        kept = store.new_draft()
        store.save_draft(kept.version_uuid, fill(kept.content, narrative="关闭前保存"))
    disk.read_only()
    try:
        ReportStore.open(disk.data_dir).close()
    except StoreError as exc:  # SQLite says "unable to open": the user must hear "read-only"
        assert "只读" in exc.zh and "read-only" in exc.en, exc.en
    else:
        with ReportStore.open(disk.data_dir) as store, pytest.raises(StoreError) as err:
            store.new_draft()
        assert_read_only(err)
    disk.writable()
    assert integrity(disk.data_dir) == "ok"
    assert drafts_of(disk.data_dir) == {
        kept.version_uuid: drafts_of(disk.data_dir)[kept.version_uuid]
    }
    with ReportStore.open(disk.data_dir) as store:
        assert store.load_draft(kept.version_uuid).content["narrative"] == "关闭前保存"

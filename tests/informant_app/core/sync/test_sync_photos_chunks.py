"""Photo chunks follow the link's speed, so a slow link never times a chunk out (issue 8).

A chunk the link damaged is sent again alone, smaller (issue 18).
"""

from __future__ import annotations

import random
from pathlib import Path

from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState
from informant_app.core.store.uploads import photos_to_send
from informant_app.core.sync.photos import FIRST_CHUNK, MAX_CHUNK_RESENDS, PhotoUploader
from sync.client.api import ClientError, FailureKind, PhotoState, Timeouts
from tests.informant_app.core.conftest import fill


class SlowLink:
    """A fake client: every chunk costs one round trip plus its bytes at ``rate``."""

    def __init__(self, rate: float, rtt: float) -> None:
        self.rate, self.rtt = rate, rtt
        self.now = 0.0
        self.timeouts = Timeouts()
        self.held: dict[str, int] = {}
        self.chunks: list[tuple[int, float]] = []  # (bytes, seconds)

    def clock(self) -> float:
        return self.now

    def photo_state(self, sha: str) -> PhotoState:
        self.now += self.rtt
        return PhotoState(sha, None, self.held.get(sha, 0), False)

    def put_photo_chunk(self, sha: str, offset: int, size: int, chunk: bytes) -> PhotoState:
        assert offset == self.held.get(sha, 0)
        seconds = self.rtt + len(chunk) / self.rate
        self.now += seconds
        self.chunks.append((len(chunk), seconds))
        self.held[sha] = offset + len(chunk)
        return PhotoState(sha, size, self.held[sha], self.held[sha] == size)


def received_photo(store: ReportStore, folder: Path, size: int) -> None:
    draft = store.new_draft()
    store.save_draft(draft.version_uuid, fill(draft.content))
    path = folder / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + random.Random(1).randbytes(size - 4))
    store.add_photo(draft.version_uuid, path)
    assert store.submit(draft.version_uuid).ok
    store.set_state(draft.version_uuid, ReportState.RECEIVED)


def upload(store: ReportStore, link: SlowLink) -> PhotoUploader:
    uploader = PhotoUploader(store, link, 64 * 1024, clock=link.clock)  # type: ignore[arg-type]
    result = uploader.run()
    assert (result.sent, result.failed, result.error) == (1, 0, None)
    return uploader


def test_chunks_fit_the_timeouts_on_a_slow_link(
    profiled_store: ReportStore, tmp_path: Path
) -> None:
    received_photo(profiled_store, tmp_path, 300_000)
    link = SlowLink(rate=4000, rtt=0.4)  # 32 kbit/s: a 64 KiB chunk would take 16 s
    uploader = upload(profiled_store, link)
    assert sum(n for n, _ in link.chunks) == 300_000
    assert link.chunks[0][0] == FIRST_CHUNK
    assert max(s for _, s in link.chunks) <= Timeouts().connect  # inside the send timeout
    assert uploader.next_chunk < 64 * 1024


def test_chunks_grow_to_the_largest_on_a_fast_link(
    profiled_store: ReportStore, tmp_path: Path
) -> None:
    received_photo(profiled_store, tmp_path, 300_000)
    link = SlowLink(rate=1_000_000, rtt=0.05)
    upload(profiled_store, link)
    sizes = [n for n, _ in link.chunks]
    assert sizes[:3] == [FIRST_CHUNK, 2 * FIRST_CHUNK, 64 * 1024]  # doubling, then the cap
    assert len(sizes) <= 300_000 // (64 * 1024) + 3


class DamagingLink(SlowLink):
    """A fake client whose next ``damaged`` chunks past offset 0 arrive damaged (422)."""

    def __init__(self, damaged: int, code: str = "chunk_corrupt", status: int = 422) -> None:
        super().__init__(rate=1_000_000, rtt=0.01)
        self.damaged, self.code, self.status = damaged, code, status
        self.refused: list[tuple[int, int]] = []  # (offset, length)

    def put_photo_chunk(self, sha: str, offset: int, size: int, chunk: bytes) -> PhotoState:
        if offset > 0 and self.damaged > 0:
            self.damaged -= 1
            self.refused.append((offset, len(chunk)))
            raise ClientError(FailureKind.REQUEST, self.code, "损坏", "damaged", status=self.status)
        return super().put_photo_chunk(sha, offset, size, chunk)


def test_a_damaged_chunk_is_sent_again_smaller_from_the_same_offset(
    profiled_store: ReportStore, tmp_path: Path
) -> None:
    received_photo(profiled_store, tmp_path, 100_000)
    link = DamagingLink(damaged=2)
    upload(profiled_store, link)  # complete in one round, never restarted
    (first, n1), (second, n2) = link.refused
    assert first == second > 0 and n2 == n1 // 2
    assert sum(n for n, _ in link.chunks) == 100_000  # every byte accepted once
    assert photos_to_send(profiled_store) == []


def test_a_link_that_damages_every_chunk_ends_the_round(
    profiled_store: ReportStore, tmp_path: Path
) -> None:
    received_photo(profiled_store, tmp_path, 100_000)
    link = DamagingLink(damaged=1000)
    result = PhotoUploader(profiled_store, link, clock=link.clock).run()  # type: ignore[arg-type]
    assert result.error is not None and result.error.kind is FailureKind.NETWORK
    assert result.error.code == "photo_link_corrupt" and result.failed == 0
    assert len(link.refused) == MAX_CHUNK_RESENDS + 1
    assert len(photos_to_send(profiled_store)) == 1  # not marked refused: tried next round


def test_the_accounts_upload_limit_ends_the_round_without_refusing_the_photo(
    profiled_store: ReportStore, tmp_path: Path
) -> None:
    received_photo(profiled_store, tmp_path, 100_000)
    link = DamagingLink(damaged=1, code="photo_uploads_limit", status=429)
    result = PhotoUploader(profiled_store, link, clock=link.clock).run()  # type: ignore[arg-type]
    assert result.error is not None and result.error.status == 429 and result.failed == 0
    assert len(photos_to_send(profiled_store)) == 1

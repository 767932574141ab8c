"""Photo chunks follow the link's speed, so a slow link never times a chunk out (issue 8)."""

from __future__ import annotations

import random
from pathlib import Path

from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState
from informant_app.core.sync.photos import FIRST_CHUNK, PhotoUploader
from sync.client.api import PhotoState, Timeouts
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

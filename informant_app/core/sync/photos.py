"""Uploading photos after the figures: one photo at a time, chunked, resumed from the server.

A photo is identified by its SHA-256.  Before sending, the server is asked how many bytes it
already holds (``received``) and the upload goes on from there, so an upload cut by a lost
connection or a killed process never starts over.  Only photos of versions the server has
(received or conflict) are sent: figures go first.

Chunks follow the link's speed: a round starts with ``FIRST_CHUNK`` bytes and sizes each next
chunk to take about ``chunk_seconds`` at the speed the last full chunk went at (never more
than the engine's ``chunk_size``).  A fixed 64 KiB chunk takes 8 s at 64 kbit/s and 16 s at
32 kbit/s, longer than the request may take: urllib3 sends the body under the connect timeout
(5 s) and waits for the answer under the read timeout (15 s), so on a slow link every chunk
timed out and was sent again and again (bench/weak_link.py, issue 8).

Each chunk carries its SHA-256 (``Content-Digest``).  A chunk the link damaged is refused
alone (``chunk_corrupt``): it is sent again, halved, from the same offset, at most
``MAX_CHUNK_RESENDS`` times in a row before the round ends with a network problem; the bytes
before it stay on the server, so a damaged chunk never restarts the photo (issue 18).  An
account at its limit of unfinished uploads (429) ends the round too, without marking the photo
refused: the next round tries again.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.uploads import photos_to_send, record_upload
from informant_app.core.sync.types import Phase, Progress, ProgressCallback, Unit
from sync.client.api import ClientError, FailureKind, SyncClient, Timeouts

log = logging.getLogger(__name__)

#: Bytes per PUT request.
CHUNK_SIZE = 64 * 1024
#: The first chunk of a round, before the link's speed is known (4 s at 32 kbit/s).
FIRST_CHUNK = 16 * 1024
#: The smallest chunk the speed may call for.
MIN_CHUNK = 4 * 1024
#: Times in a row one chunk may come back ``chunk_corrupt`` before the round gives up.
MAX_CHUNK_RESENDS = 5


@dataclass
class PhotoResult:
    """What the photo phase did."""

    sent: int = 0
    failed: int = 0
    error: ClientError | None = None


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


class PhotoUploader:
    """Runs the photo phase of one round.

    ``progress`` (optional) hears ``Phase.PHOTOS``: bytes on the server of the bytes of the
    photos to send (a photo resumed counts what the server already held).
    """

    def __init__(
        self,
        store: ReportStore,
        client: SyncClient,
        chunk_size: int = CHUNK_SIZE,
        *,
        chunk_seconds: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        progress: ProgressCallback | None = None,
    ) -> None:
        self.store = store
        self.progress = progress
        self._done_bytes = 0  # bytes of the photos finished (or given up) this round
        self._total_bytes = 0
        self.client = client
        self.chunk_size = max(1024, chunk_size)  # the largest chunk
        if chunk_seconds is None:  # well inside both the send and the answer's timeout
            timeouts = getattr(client, "timeouts", None) or Timeouts()
            chunk_seconds = max(1.0, min(timeouts.connect, timeouts.read / 2))
        self.chunk_seconds = chunk_seconds
        self._clock = clock
        #: The size of the next chunk, adapted to the measured speed.
        self.next_chunk = min(self.chunk_size, FIRST_CHUNK)

    def _measured(self, sent: int, seconds: float) -> None:
        """Size the next chunk from a full chunk's time (at most doubling it)."""
        if sent < self.next_chunk or seconds <= 0:
            return  # a photo's short last chunk says little about the speed
        fit = int(sent / seconds * self.chunk_seconds)
        self.next_chunk = max(min(MIN_CHUNK, self.chunk_size), min(self.chunk_size, 2 * sent, fit))

    def run(self) -> PhotoResult:
        """Upload every photo still missing on the server; stop at a request failure."""
        result = PhotoResult()
        todo = photos_to_send(self.store)
        self._total_bytes = sum(size for _sha, size in todo)
        self._done_bytes = 0
        if todo:
            self._report(0)
        for sha, size in todo:
            try:
                if self._upload(sha, size):
                    result.sent += 1
                else:
                    result.failed += 1
            except ClientError as exc:
                result.error = exc
                return result
            self._done_bytes += size
            self._report(0)
        return result

    def _report(self, offset: int) -> None:
        """Report the bytes done: the photos finished and ``offset`` of the current one."""
        if self.progress is not None:
            total = self._total_bytes
            self.progress(
                Progress(Phase.PHOTOS, min(total, self._done_bytes + offset), total, Unit.BYTES)
            )

    def _upload(self, sha: str, size: int) -> bool:
        """Upload one photo; return whether it is complete on the server now."""
        path = self.store.photo_path(sha)
        if not path.exists():
            missing = "本机照片文件丢失 / the photo file is missing"
            record_upload(self.store, sha, size, 0, False, missing)
            return False
        state = self.client.photo_state(sha)
        offset = state.received
        if state.complete:
            record_upload(self.store, sha, size, size, True)
            return True
        restarts = 0
        resized = False
        damaged = 0  # chunks refused as damaged in a row
        budget = size // min(self.chunk_size, MIN_CHUNK) + 20 + MAX_CHUNK_RESENDS
        with path.open("rb") as f:
            while budget > 0:
                budget -= 1
                f.seek(offset)
                chunk = f.read(self.next_chunk)
                started = self._clock()
                try:
                    state = self.client.put_photo_chunk(sha, offset, size, chunk)
                except ClientError as exc:
                    if exc.kind is not FailureKind.REQUEST or exc.status == 429:
                        raise  # the round ends; the photo is tried again next round
                    if exc.code == "offset_mismatch" and isinstance(exc.extra.get("received"), int):
                        offset = int(exc.extra["received"])
                        continue
                    if exc.code == "chunk_corrupt":
                        damaged += 1
                        if damaged > MAX_CHUNK_RESENDS:
                            raise ClientError(
                                FailureKind.NETWORK,
                                "photo_link_corrupt",
                                "网络多次损坏照片数据，稍后重试",
                                "the network damaged the photo's data again and again; will retry",
                            ) from exc
                        self.next_chunk = max(min(MIN_CHUNK, self.chunk_size), len(chunk) // 2)
                        continue  # the same offset again, a smaller chunk
                    if exc.code == "photo_size_mismatch" and not resized and offset != 0:
                        resized = True  # this device's own earlier upload had another size
                        offset = 0
                        continue
                    if (
                        exc.code == "photo_hash_mismatch"
                        and restarts == 0
                        and _file_hash(path) == sha
                    ):
                        restarts += 1  # the server discarded a damaged upload: once more
                        offset = 0
                        continue
                    record_upload(self.store, sha, size, offset, False, f"{exc.zh} / {exc.en}")
                    log.warning("photo %s refused: %s", sha, exc)
                    return False
                damaged = 0
                self._measured(len(chunk), self._clock() - started)
                offset = state.received
                record_upload(self.store, sha, size, offset, state.complete)
                if state.complete:
                    return True
                self._report(offset)
        raise ClientError(
            FailureKind.NETWORK,
            "photo_stalled",
            "照片上传没有进展，稍后重试",
            "the photo upload made no progress; will retry",
        )

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
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from informant_app.core.store.models import (
    PhotoRow,
    PhotoUploadRow,
    ReportVersionRow,
    VersionPhotoRow,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_state import now_utc
from informant_app.core.store.types import ReportState
from informant_app.core.sync.types import PhotoProgress
from sync.client.api import ClientError, FailureKind, SyncClient, Timeouts

log = logging.getLogger(__name__)

#: Bytes per PUT request.
CHUNK_SIZE = 64 * 1024
#: The first chunk of a round, before the link's speed is known (4 s at 32 kbit/s).
FIRST_CHUNK = 16 * 1024
#: The smallest chunk the speed may call for.
MIN_CHUNK = 4 * 1024
ON_SERVER = (ReportState.RECEIVED.value, ReportState.CONFLICT.value)
NOT_SENT_STATES = (
    ReportState.QUEUED.value,
    ReportState.SENDING.value,
    ReportState.RECEIVED.value,
    ReportState.CONFLICT.value,
)


@dataclass
class PhotoResult:
    """What the photo phase did."""

    sent: int = 0
    failed: int = 0
    error: ClientError | None = None


def photos_to_send(s: Session) -> list[tuple[str, int]]:
    """Return ``(sha256, size)`` of photos the server may not hold yet, oldest report first."""
    first_use = func.min(ReportVersionRow.created_at)
    rows = s.execute(
        select(VersionPhotoRow.sha256, PhotoRow.size)
        .join(ReportVersionRow, ReportVersionRow.version_uuid == VersionPhotoRow.version_uuid)
        .join(PhotoRow, PhotoRow.sha256 == VersionPhotoRow.sha256)
        .outerjoin(PhotoUploadRow, PhotoUploadRow.sha256 == VersionPhotoRow.sha256)
        .where(
            ReportVersionRow.state.in_(ON_SERVER),
            func.coalesce(PhotoUploadRow.complete, False).is_(False),
            PhotoUploadRow.error_message.is_(None),
        )
        .group_by(VersionPhotoRow.sha256, PhotoRow.size)
        .order_by(first_use, VersionPhotoRow.sha256)
    ).all()
    return [(sha, int(size)) for sha, size in rows]


def pending_count(s: Session) -> int:
    """Return how many photos of submitted versions the server does not hold in full."""
    query = (
        select(func.count(func.distinct(VersionPhotoRow.sha256)))
        .join(ReportVersionRow, ReportVersionRow.version_uuid == VersionPhotoRow.version_uuid)
        .outerjoin(PhotoUploadRow, PhotoUploadRow.sha256 == VersionPhotoRow.sha256)
        .where(
            ReportVersionRow.state.in_(NOT_SENT_STATES),
            func.coalesce(PhotoUploadRow.complete, False).is_(False),
        )
    )
    return int(s.scalar(query) or 0)


def progress(store: ReportStore, version_uuid: str) -> PhotoProgress:
    """Return how many of the version's photos the server holds in full.

    Raises:
        KeyError: no such version.
    """
    with Session(store.engine) as s:
        content = s.scalar(
            select(ReportVersionRow.content).where(ReportVersionRow.version_uuid == version_uuid)
        )
        if content is None:
            raise KeyError(version_uuid)
        photos = json.loads(content).get("photos") or []
        hashes = {str(p.get("sha256", "")).lower() for p in photos if isinstance(p, dict)}
        if not hashes:
            return PhotoProgress(0, 0)
        done = (
            s.scalar(
                select(func.count())
                .select_from(PhotoUploadRow)
                .where(PhotoUploadRow.sha256.in_(hashes), PhotoUploadRow.complete.is_(True))
            )
            or 0
        )
        return PhotoProgress(int(done), len(hashes))


def _save(
    store: ReportStore, sha: str, size: int, received: int, complete: bool, error: str | None = None
) -> None:
    values = {
        "size": size,
        "received": received,
        "complete": complete,
        "error_message": error,
        "updated_at": now_utc(),
    }
    with store.write_session() as s, s.begin():
        s.execute(
            sqlite_insert(PhotoUploadRow)
            .values(sha256=sha, **values)
            .on_conflict_do_update(index_elements=["sha256"], set_=values)
        )


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


class PhotoUploader:
    """Runs the photo phase of one round."""

    def __init__(
        self,
        store: ReportStore,
        client: SyncClient,
        chunk_size: int = CHUNK_SIZE,
        *,
        chunk_seconds: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
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
        with Session(self.store.engine) as s:
            todo = photos_to_send(s)
        for sha, size in todo:
            try:
                if self._upload(sha, size):
                    result.sent += 1
                else:
                    result.failed += 1
            except ClientError as exc:
                result.error = exc
                return result
        return result

    def _upload(self, sha: str, size: int) -> bool:
        """Upload one photo; return whether it is complete on the server now."""
        path = self.store.photo_path(sha)
        if not path.exists():
            _save(self.store, sha, size, 0, False, "本机照片文件丢失 / the photo file is missing")
            return False
        state = self.client.photo_state(sha)
        offset = state.received
        if state.complete:
            _save(self.store, sha, size, size, True)
            return True
        restarts = 0
        budget = size // min(self.chunk_size, MIN_CHUNK) + 20
        with path.open("rb") as f:
            while budget > 0:
                budget -= 1
                f.seek(offset)
                chunk = f.read(self.next_chunk)
                started = self._clock()
                try:
                    state = self.client.put_photo_chunk(sha, offset, size, chunk)
                except ClientError as exc:
                    if exc.kind is not FailureKind.REQUEST:
                        raise
                    if exc.code == "offset_mismatch" and isinstance(exc.extra.get("received"), int):
                        offset = int(exc.extra["received"])
                        continue
                    if (
                        exc.code == "photo_hash_mismatch"
                        and restarts == 0
                        and _file_hash(path) == sha
                    ):
                        restarts += 1  # the server discarded a damaged upload: once more
                        offset = 0
                        continue
                    _save(self.store, sha, size, offset, False, f"{exc.zh} / {exc.en}")
                    log.warning("photo %s refused: %s", sha, exc)
                    return False
                self._measured(len(chunk), self._clock() - started)
                offset = state.received
                _save(self.store, sha, size, offset, state.complete)
                if state.complete:
                    return True
        raise ClientError(
            FailureKind.NETWORK,
            "photo_stalled",
            "照片上传没有进展，稍后重试",
            "the photo upload made no progress; will retry",
        )

"""Photos: chunked, resumable uploads checked by SHA-256 and stored once per hash.

Bytes live in the photo folder: ``<sha256>.part`` while arriving, renamed to ``<sha256>`` once
complete and verified.  The received offset is the size of the part file, which is fsynced
after every chunk, so it survives a crash.  A database row per photo records the declared
size; appending happens inside a write transaction that locks that row (``SELECT … FOR
UPDATE`` on PostgreSQL, the database write lock on SQLite), so two processes never append
to the same file at once.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sync.server.db import Database, utc_now
from sync.server.dialect import insert_ignore
from sync.server.errors import (
    BAD_REQUEST,
    NOT_FOUND,
    OFFSET_MISMATCH,
    PHOTO_HASH_MISMATCH,
    PHOTO_SIZE_MISMATCH,
    PHOTO_TOO_LARGE,
    ApiError,
)
from sync.server.models import Photo

SHA256_RE = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class PhotoState:
    """How far an upload has come."""

    size: int | None
    received: int
    complete: bool


def check_sha(sha256: str) -> str:
    """Return ``sha256`` lower-cased; 404 when it is not a SHA-256 in hex."""
    sha = sha256.lower()
    if not SHA256_RE.fullmatch(sha):
        raise ApiError(NOT_FOUND)
    return sha


def too_large(limit: int) -> ApiError:
    """Return the 413 error for a photo above ``limit`` bytes."""
    mib = limit / (1024 * 1024)
    return ApiError(
        PHOTO_TOO_LARGE,
        zh=f"照片过大：每张最多 {mib:g} MB",
        en=f"the photo is too large: at most {mib:g} MB each",
        limit=limit,
    )


class PhotoStore:
    """The photo folder and the upload protocol over it."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes

    def final_path(self, sha: str) -> Path:
        """Return where the complete photo ``sha`` is kept."""
        return self.folder / sha

    def part_path(self, sha: str) -> Path:
        """Return where the bytes of an unfinished upload are kept."""
        return self.folder / f"{sha}.part"

    def _received(self, sha: str) -> int:
        try:
            return self.part_path(sha).stat().st_size
        except FileNotFoundError:
            return 0

    def state(self, session: Session, sha: str) -> PhotoState:
        """Return the upload state of ``sha`` (size ``None`` when nothing has arrived)."""
        row = session.get(Photo, sha)
        if row is None:
            return PhotoState(None, 0, False)
        if row.complete or self.final_path(sha).exists():
            return PhotoState(row.size, row.size, True)
        return PhotoState(row.size, self._received(sha), False)

    def put_chunk(self, db: Database, sha: str, offset: int, size: int, chunk: bytes) -> PhotoState:
        """Append ``chunk`` at ``offset`` of the photo ``sha`` of ``size`` bytes.

        Raises:
            ApiError: 413 above the size limit; 409 ``offset_mismatch`` (with ``received``)
                or ``photo_size_mismatch``; 400 for a chunk past the end; 422
                ``photo_hash_mismatch`` when the completed bytes do not hash to ``sha``.
        """
        if size > self.max_bytes:
            raise too_large(self.max_bytes)
        if size <= 0 or offset < 0:
            raise ApiError(
                BAD_REQUEST,
                zh="照片大小和位置必须为正数",
                en="size must be positive and offset not negative",
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        mismatch = False
        with db.writing() as session:
            session.execute(
                insert_ignore(session, Photo, ["sha256"]),
                [{"sha256": sha, "size": size, "complete": False, "created_at": utc_now()}],
            )
            row = session.scalars(select(Photo).where(Photo.sha256 == sha).with_for_update()).one()
            if row.complete:
                return PhotoState(row.size, row.size, True)
            if row.size != size:
                raise ApiError(PHOTO_SIZE_MISMATCH, size=row.size, received=self._received(sha))
            received = self._received(sha)
            if offset != received:
                raise ApiError(OFFSET_MISMATCH, received=received, size=row.size)
            if offset + len(chunk) > size:
                raise ApiError(BAD_REQUEST, zh="数据超出照片大小", en="the chunk runs past size")
            if chunk:
                self._append(sha, chunk)
            received += len(chunk)
            if received < size:
                return PhotoState(size, received, False)
            if self._hash(self.part_path(sha)) == sha:
                os.replace(self.part_path(sha), self.final_path(sha))
                _fsync_dir(self.folder)
                row.complete = True
                row.completed_at = utc_now()
                return PhotoState(size, size, True)
            self.part_path(sha).unlink(missing_ok=True)
            session.execute(delete(Photo).where(Photo.sha256 == sha))
            mismatch = True
        if mismatch:
            raise ApiError(PHOTO_HASH_MISMATCH)
        raise AssertionError("unreachable")

    def _append(self, sha: str, chunk: bytes) -> None:
        fd = os.open(self.part_path(sha), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            view = memoryview(chunk)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)

    @staticmethod
    def _hash(path: Path) -> str:
        digest = hashlib.sha256()
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1024 * 1024), b""):
                digest.update(block)
        return digest.hexdigest()


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not possible on every platform (Windows)
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

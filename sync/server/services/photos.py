"""Photos: chunked, resumable uploads per device, checked by SHA-256, read by jurisdiction.

- **Per device.**  An unfinished upload is one ``photo_uploads`` row per (photo, device) and
  its bytes are ``<sha256>.<device_pk>.part`` in the photo folder; the received offset is the
  size of that file, fsynced after every chunk, so it survives a crash.  Another device's
  claim of the same hash, whatever size it declared, never blocks an upload.  Appending
  happens inside a write transaction that locks the device's row (``SELECT … FOR UPDATE`` on
  PostgreSQL, the database write lock on SQLite).
- **Complete once.**  Only when the whole photo hashes to its SHA-256 does it become
  ``<sha256>`` with a complete ``photos`` row; a photo already there is not stored twice (the
  verified partial file is dropped).
- **Per-chunk digest.**  A chunk sent with ``Content-Digest: sha-256=:…:`` that does not match
  is refused alone (422 ``chunk_corrupt``); the bytes before it stay.
- **Limits.**  One account may hold at most ``photo_partial_max_uploads`` unfinished uploads
  of ``photo_partial_max_bytes`` declared bytes in all (429 ``photo_uploads_limit``); uploads
  idle longer than ``photo_partial_ttl_hours`` are removed with their bytes (:meth:`sweep`,
  run when an upload starts, when the server starts and by ``city-server photos sweep``).
- **Owner only.**  Photos of disaster sites are not public: the files, unfinished or complete,
  are 0600 and a photo folder the server creates is 0700.
- **Access by jurisdiction.**  Completing an upload grants the uploader's villages
  (:func:`access_codes`) a ``photo_access`` row.  A photo is read (its bytes, and "complete" in
  its state) by callers whose reach holds such a village.  A photo without any access row
  (uploaded before these rows existed) keeps the old rule: a report version within the
  caller's reach lists it.  A device whose villages have no access to a complete photo is told
  to send the bytes (proof of possession); the hash is verified and access granted.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

from sync.server.db import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, Database
from sync.server.dialect import insert_ignore
from sync.server.errors import (
    BAD_REQUEST,
    CHUNK_CORRUPT,
    NOT_FOUND,
    OFFSET_MISMATCH,
    PHOTO_HASH_MISMATCH,
    PHOTO_SIZE_MISMATCH,
    PHOTO_TOO_LARGE,
    PHOTO_UPLOADS_LIMIT,
    ApiError,
)
from sync.server.jurisdiction import Caller, reach_sql
from sync.server.models import Photo, PhotoAccess, PhotoUpload, Role, VersionPhoto
from sync.server.settings import MIB, Settings

log = logging.getLogger(__name__)

SHA256_RE = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class PhotoState:
    """How far an upload has come (for the caller's device, or complete for the caller)."""

    size: int | None
    received: int
    complete: bool


@dataclass(frozen=True)
class Swept:
    """What a sweep removed: unfinished uploads, and the bytes their files held."""

    uploads: int
    bytes_freed: int

    def to_dict(self) -> dict[str, int]:
        """Return the counts as JSON-ready values."""
        return {"uploads_removed": self.uploads, "bytes_freed": self.bytes_freed}


@dataclass(frozen=True)
class PartialLimits:
    """What one account may leave unfinished, and for how long."""

    max_uploads: int = 20
    max_bytes: int = 100 * MIB
    ttl: timedelta = timedelta(hours=24)

    @classmethod
    def from_settings(cls, settings: Settings) -> PartialLimits:
        """Return the limits ``settings`` name."""
        return cls(
            settings.photo_partial_max_uploads,
            settings.photo_partial_max_bytes,
            timedelta(hours=settings.photo_partial_ttl_hours),
        )


def check_sha(sha256: str) -> str:
    """Return ``sha256`` lower-cased; 404 when it is not a SHA-256 in hex."""
    sha = sha256.lower()
    if not SHA256_RE.fullmatch(sha):
        raise ApiError(NOT_FOUND)
    return sha


def too_large(limit: int) -> ApiError:
    """Return the 413 error for a photo above ``limit`` bytes."""
    mib = limit / MIB
    return ApiError(
        PHOTO_TOO_LARGE,
        zh=f"照片过大：每张最多 {mib:g} MB",
        en=f"the photo is too large: at most {mib:g} MB each",
        limit=limit,
    )


def uploads_limit(limits: PartialLimits) -> ApiError:
    """Return the 429 error of an account at its limit of unfinished uploads."""
    mib = limits.max_bytes / MIB
    return ApiError(
        PHOTO_UPLOADS_LIMIT,
        zh=(
            f"未完成的照片上传过多（每个账号最多 {limits.max_uploads} 张、共 {mib:g} MB），"
            "请先完成已开始的上传或稍后再试"
        ),
        en=(
            f"too many unfinished photo uploads (at most {limits.max_uploads}, {mib:g} MB in "
            "all, per account); finish those begun or try again later"
        ),
        max_uploads=limits.max_uploads,
        max_bytes=limits.max_bytes,
    )


def access_codes(caller: Caller) -> tuple[str, ...]:
    """Return the divisions an upload by ``caller`` grants access to a photo.

    A village informant's villages are the posts they hold now (what they read and push for;
    the account's registered village when they hold none); any other role's is its
    jurisdiction (a township reviewer's upload is read by the township and above).
    """
    if caller.role is Role.VILLAGE_INFORMANT and caller.posts:
        return caller.reach
    return (caller.jurisdiction_code,)


class PhotoStore:
    """The photo folder and the upload protocol over it."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes

    def final_path(self, sha: str) -> Path:
        """Return where the complete photo ``sha`` is kept."""
        return self.folder / sha

    def part_path(self, sha: str, device_pk: int) -> Path:
        """Return where the bytes of ``device_pk``'s unfinished upload of ``sha`` are kept."""
        return self.folder / f"{sha}.{device_pk}.part"

    def legacy_part_path(self, sha: str) -> Path:
        """Return where an unfinished upload of the shared (pre-0008) kind was kept."""
        return self.folder / f"{sha}.part"

    def _received(self, sha: str, device_pk: int) -> int:
        try:
            return self.part_path(sha, device_pk).stat().st_size
        except FileNotFoundError:
            return 0

    # --- reading ---------------------------------------------------------------------------

    def readable(self, session: Session, caller: Caller, sha: str) -> bool:
        """Return whether ``caller`` may read photo ``sha`` (bytes present or not).

        True when a village with access lies within the caller's reach; for a photo no
        village has access to (uploaded before access rows), when a report version within
        the reach lists it.
        """
        granted = exists().where(
            PhotoAccess.sha256 == sha, reach_sql(caller, PhotoAccess.village_code)
        )
        legacy = and_(
            ~exists().where(PhotoAccess.sha256 == sha),
            exists().where(
                VersionPhoto.sha256 == sha, reach_sql(caller, VersionPhoto.village_code)
            ),
        )
        return bool(session.scalar(select(or_(granted, legacy))))

    def _complete_size(self, session: Session, caller: Caller, sha: str) -> int | None:
        """Return the size of ``sha`` when it is complete here and ``caller`` may read it."""
        photo = session.get(Photo, sha)
        if photo is None or not photo.complete or not self.final_path(sha).exists():
            return None
        return photo.size if self.readable(session, caller, sha) else None

    def state(self, session: Session, caller: Caller, sha: str) -> PhotoState:
        """Return the upload state of ``sha`` for ``caller``'s device.

        Complete when the photo is here and the caller may read it; otherwise the caller's
        own device's unfinished upload (size ``None`` when it has sent nothing), so knowing a
        hash tells nobody whether another village uploaded it.
        """
        size = self._complete_size(session, caller, sha)
        if size is not None:
            return PhotoState(size, size, True)
        upload = session.scalars(
            select(PhotoUpload).where(
                PhotoUpload.sha256 == sha, PhotoUpload.device_pk == caller.device_pk
            )
        ).one_or_none()
        if upload is None:
            return PhotoState(None, 0, False)
        return PhotoState(
            upload.size, min(upload.size, self._received(sha, caller.device_pk)), False
        )

    # --- writing ---------------------------------------------------------------------------

    def put_chunk(
        self,
        db: Database,
        caller: Caller,
        sha: str,
        offset: int,
        size: int,
        chunk: bytes,
        *,
        now: datetime,
        limits: PartialLimits,
        digest: bytes | None = None,
    ) -> PhotoState:
        """Append ``chunk`` at ``offset`` of ``caller``'s device's upload of ``sha``.

        ``digest`` is the chunk's SHA-256 from ``Content-Digest`` (``None``: not checked).
        An upload starting at offset 0 with another size than the device's unfinished one
        replaces it.

        Raises:
            ApiError: 413 above the size limit; 422 ``chunk_corrupt`` (nothing kept of this
                chunk); 429 ``photo_uploads_limit``; 409 ``offset_mismatch`` (with
                ``received``) or ``photo_size_mismatch``; 400 for a chunk past the end; 422
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
        if digest is not None and hashlib.sha256(chunk).digest() != digest:
            raise ApiError(CHUNK_CORRUPT, offset=offset)
        _private_folder(self.folder)
        if offset == 0:
            self.sweep(db, now - limits.ttl)
        device = caller.device_pk
        with db.writing() as session:
            complete = self._complete_size(session, caller, sha)
            if complete is not None:  # this device's own unfinished upload is not needed
                session.execute(
                    delete(PhotoUpload).where(
                        PhotoUpload.sha256 == sha, PhotoUpload.device_pk == device
                    )
                )
                _unlink(self.part_path(sha, device))
                return PhotoState(complete, complete, True)
            upload = self._locked_upload(session, device, sha)
            if upload is None or (upload.size != size and offset == 0):
                if offset != 0:
                    raise ApiError(OFFSET_MISMATCH, received=0, size=None)
                upload = self._start(session, caller, sha, size, now, limits, upload)
            elif upload.size != size:
                raise ApiError(
                    PHOTO_SIZE_MISMATCH, size=upload.size, received=self._received(sha, device)
                )
            received = self._received(sha, device)
            if offset != received:
                raise ApiError(OFFSET_MISMATCH, received=received, size=upload.size)
            if offset + len(chunk) > size:
                raise ApiError(BAD_REQUEST, zh="数据超出照片大小", en="the chunk runs past size")
            if chunk:
                self._append(self.part_path(sha, device), chunk)
            received += len(chunk)
            upload.received = received
            upload.updated_at = now
            if received < size:
                return PhotoState(size, received, False)
            verified = self._hash(self.part_path(sha, device)) == sha
            if verified:
                self._complete(session, caller, sha, size, now)
            else:
                self.part_path(sha, device).unlink(missing_ok=True)
            session.delete(upload)
        if not verified:
            raise ApiError(PHOTO_HASH_MISMATCH)
        return PhotoState(size, size, True)

    @staticmethod
    def _locked_upload(session: Session, device_pk: int, sha: str) -> PhotoUpload | None:
        return session.scalars(
            select(PhotoUpload)
            .where(PhotoUpload.sha256 == sha, PhotoUpload.device_pk == device_pk)
            .with_for_update()
        ).one_or_none()

    def _start(
        self,
        session: Session,
        caller: Caller,
        sha: str,
        size: int,
        now: datetime,
        limits: PartialLimits,
        replacing: PhotoUpload | None,
    ) -> PhotoUpload:
        """Open (or restart) the device's upload of ``sha``, within the account's limits."""
        others = select(func.count(), func.coalesce(func.sum(PhotoUpload.size), 0)).where(
            PhotoUpload.user_id == caller.user_id
        )
        if replacing is not None:
            others = others.where(PhotoUpload.id != replacing.id)
        count, total = session.execute(others).one()
        if count + 1 > limits.max_uploads or int(total) + size > limits.max_bytes:
            log.warning(
                "photo upload refused: %s (device %s) holds %d unfinished uploads of %d bytes",
                caller.username,
                caller.device_id,
                count,
                total,
            )
            raise uploads_limit(limits)
        part = self.part_path(sha, caller.device_pk)
        if replacing is not None:
            replacing.size = size
            replacing.received = 0
            replacing.created_at = now
            replacing.updated_at = now
            part.unlink(missing_ok=True)
            return replacing
        inserted = session.execute(
            insert_ignore(session, PhotoUpload, ["sha256", "device_pk"]).values(
                sha256=sha,
                device_pk=caller.device_pk,
                user_id=caller.user_id,
                size=size,
                received=0,
                created_at=now,
                updated_at=now,
            )
        )
        if cast("CursorResult[Any]", inserted).rowcount:
            part.unlink(missing_ok=True)  # left by a transaction that rolled back
        upload = self._locked_upload(session, caller.device_pk, sha)
        assert upload is not None
        return upload

    def _complete(
        self, session: Session, caller: Caller, sha: str, size: int, now: datetime
    ) -> None:
        """Keep the verified upload of ``sha`` (once) and grant the caller's villages access."""
        part = self.part_path(sha, caller.device_pk)
        if self.final_path(sha).exists():
            part.unlink()  # verified, and already here: nothing is stored twice
        else:
            # The rename keeps the file's mode; a part begun by an older server was 0644.
            os.chmod(part, PRIVATE_FILE_MODE)
            os.replace(part, self.final_path(sha))
            _fsync_dir(self.folder)
        session.execute(
            insert_ignore(session, Photo, ["sha256"]),
            [
                {
                    "sha256": sha,
                    "size": size,
                    "complete": True,
                    "created_at": now,
                    "completed_at": now,
                }
            ],
        )
        session.execute(
            update(Photo)
            .where(Photo.sha256 == sha, Photo.complete.is_(False))
            .values(size=size, complete=True, completed_at=now)
        )
        session.execute(
            insert_ignore(session, PhotoAccess, ["sha256", "village_code"]),
            [
                {"sha256": sha, "village_code": code, "granted_at": now}
                for code in access_codes(caller)
            ],
        )

    def sweep(self, db: Database, cutoff: datetime) -> Swept:
        """Remove unfinished uploads idle since before ``cutoff``, with their bytes.

        Also the shared unfinished uploads of before 0008 (an incomplete ``photos`` row and
        ``<sha256>.part``) begun before ``cutoff``.  Returns how many uploads were removed and
        the bytes their files held (a missing folder or file frees nothing).
        """
        with db.writing() as session:
            stale = session.execute(
                select(PhotoUpload.id, PhotoUpload.sha256, PhotoUpload.device_pk)
                .where(PhotoUpload.updated_at < cutoff)
                .with_for_update()
            ).all()
            if stale:
                session.execute(
                    delete(PhotoUpload).where(PhotoUpload.id.in_([r.id for r in stale]))
                )
            legacy = list(
                session.scalars(
                    select(Photo.sha256).where(Photo.complete.is_(False), Photo.created_at < cutoff)
                )
            )
            if legacy:
                session.execute(
                    delete(Photo).where(Photo.sha256.in_(legacy), Photo.complete.is_(False))
                )
            paths = [self.part_path(r.sha256, r.device_pk) for r in stale]
            paths += [self.legacy_part_path(sha) for sha in legacy]
            freed = sum(_unlink(path) for path in paths)
        swept = Swept(len(stale) + len(legacy), freed)
        if swept.uploads:
            log.info("removed %d idle unfinished photo uploads (%d bytes)", swept.uploads, freed)
        return swept

    @staticmethod
    def _append(path: Path, chunk: bytes) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE_MODE)
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


def _unlink(path: Path) -> int:
    """Remove ``path`` if it is there; return the bytes it held (0 when none were freed)."""
    try:
        size = path.stat().st_size
        path.unlink()
    except FileNotFoundError:
        return 0
    except OSError as exc:  # a file we cannot remove stays; its row is gone either way
        log.warning("could not remove %s: %s", path, exc)
        return 0
    return size


def _private_folder(folder: Path) -> None:
    """Create ``folder`` and missing parents owner-only (0700); an existing one is left as is.

    An existing folder may be shared on purpose (several servers, ``CITY_PHOTO_DIR``); the
    files in it are 0600 either way.
    """
    if folder.is_dir():  # every chunk comes here: one stat when the folder is there
        return
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for new in reversed(missing):
        new.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)
        os.chmod(new, PRIVATE_DIR_MODE)  # mkdir's mode is masked by the umask


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not possible on every platform (Windows)
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

"""Photo files of the local store: image sniffing and content-addressed, crash-safe copies.

A photo lives at ``<data>/photos/<sha256[:2]>/<sha256>``; it is written to a temporary file,
flushed to disk and renamed into place, so a power cut never leaves a half photo under a hash.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from informant_app.core.store.errors import StoreError

CHUNK = 1 << 20
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class StoredPhoto:
    """A photo file in the photo folder."""

    sha256: str
    size: int
    mime: str
    path: Path


def sniff_image(head: bytes) -> str | None:
    """Return the MIME type of an image from its first bytes (JPEG/PNG/GIF/WEBP/BMP)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(head) >= 12 and head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"BM") and len(head) >= 14:
        return "image/bmp"
    return None


def photo_file(photos_root: Path, sha256: str) -> Path:
    """Return where the photo ``sha256`` lives; ``ValueError`` for a malformed hash."""
    if not _SHA256_RE.match(sha256):
        raise ValueError(f"not a SHA-256: {sha256!r}")
    return photos_root / sha256[:2] / sha256


def not_an_image(path: Path) -> StoreError:
    """Return the user's error for a file that is not a supported image."""
    return StoreError(
        f"“{path.name}”不是可用的图片（支持 JPEG、PNG、GIF、WEBP、BMP）。",
        f"'{path.name}' is not a supported image (JPEG, PNG, GIF, WEBP or BMP).",
    )


def _hash_file(path: Path) -> tuple[str, int, bytes]:
    digest = hashlib.sha256()
    size = 0
    head = b""
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            if not head:
                head = chunk[:32]
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size, head


def store_photo(source: Path, photos_root: Path) -> StoredPhoto:
    """Copy ``source`` into the photo folder under its SHA-256 (no copy when present).

    Raises:
        StoreError: the file is not a supported image.
        OSError: reading or writing failed (the caller translates disk problems).
    """
    try:
        sha256, size, head = _hash_file(source)
    except OSError as exc:  # the source, not the data folder: say which file
        raise StoreError(
            f"无法读取文件“{source.name}”。", f"The file '{source.name}' cannot be read."
        ) from exc
    mime = sniff_image(head)
    if mime is None:
        raise not_an_image(source)
    target = photo_file(photos_root, sha256)
    if target.exists():
        return StoredPhoto(sha256, size, mime, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out, source.open("rb") as f:
            while chunk := f.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256:
            raise StoreError(
                f"“{source.name}”在复制时被改动，请重新添加。",
                f"'{source.name}' changed while it was copied; add it again.",
            )
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    return StoredPhoto(sha256, size, mime, target)


#: A copy left half-done this long ago is not still being written by another window.
STALE_INCOMING_SECONDS = 3600.0


def remove_stale_copies(photos_root: Path, now: float | None = None) -> int:
    """Delete copies left half-done by a crash (``.incoming-*``); return how many.

    ``store_photo`` removes its temporary file when it fails, but not when the process is
    killed.  Only files older than ``STALE_INCOMING_SECONDS`` go, and a folder that cannot
    be written is left alone (the next start tries again).
    """
    now = time.time() if now is None else now
    removed = 0
    for leftover in photos_root.glob("*/.incoming-*"):
        try:
            if now - leftover.stat().st_mtime > STALE_INCOMING_SECONDS:
                leftover.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

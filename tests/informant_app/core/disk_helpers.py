"""A small real disk for the data folder: a tmpfs to fill up and to remount read-only.

``SmallDisk`` mounts a tmpfs of a few MiB (root with CAP_SYS_ADMIN, as in CI).  ``fill``
writes a filler file until the file system answers ENOSPC; ``free`` deletes it.
``read_only`` remounts the tmpfs read-only (only possible while no file on it is open for
writing: the store is closed first); ``read_only_view`` bind-mounts the folder read-only over
itself while the store is open, so every file opened from then on (a new connection, a photo)
meets a read-only file system, as when a USB disk flips to read-only under a running app.

Where mounting is not allowed (not root), the same methods simulate the trouble instead of
skipping: SQLite's ``max_page_count`` (full) and ``query_only`` (read-only) on every pooled
connection, and ENOSPC/EROFS from the photo writer.  ``real`` says which is in use.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

from informant_app.core.paths import database_path

FILLER = ".filler"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, check=False)


def can_mount() -> bool:
    """Return whether this process may mount a tmpfs (root with CAP_SYS_ADMIN).

    ``INFORMANT_SIMULATE_DISK=1`` forces the simulation (to check it where mounting works).
    """
    if os.geteuid() != 0 or os.environ.get("INFORMANT_SIMULATE_DISK") == "1":
        return False
    probe = Path(f"/tmp/informant-mount-probe-{uuid.uuid4().hex}")
    probe.mkdir()
    try:
        if _run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)).returncode:
            return False
        _run("umount", "-l", str(probe))
        return True
    finally:
        probe.rmdir()


class SmallDisk:
    """A data folder on a small disk of its own (see the module docstring)."""

    def __init__(self, root: Path, size_kib: int, real: bool) -> None:
        self.root = root
        self.size_kib = size_kib
        self.real = real
        self.data_dir = root / "data"
        self._views = 0
        self._patch: pytest.MonkeyPatch | None = None
        self._pragma: str | None = None
        self._listening = False

    # --- mounting -------------------------------------------------------------------------

    def mount(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if self.real:
            done = _run(
                "mount",
                "-t",
                "tmpfs",
                "-o",
                f"size={self.size_kib}k,mode=0755",
                "tmpfs",
                str(self.root),
            )
            assert done.returncode == 0, done.stderr
        self.data_dir.mkdir(exist_ok=True)

    def unmount(self) -> None:
        self._unsimulate(end=True)
        if self.real:
            while self.root.is_mount():
                if _run("umount", "-l", str(self.root)).returncode:
                    break

    # --- full -----------------------------------------------------------------------------

    def fill(self, leave_kib: int = 0) -> int:
        """Fill the disk (all but ``leave_kib``); return the bytes written."""
        if not self.real:
            self._simulate("full")
            return 0
        target = self.root / FILLER
        written = 0
        block = b"\0" * 4096
        budget = self.free_bytes() - leave_kib * 1024 if leave_kib else None
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError as exc:  # already full
            assert exc.errno == errno.ENOSPC, exc
            return 0
        try:
            while budget is None or written < budget:
                written += os.write(fd, block)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
        finally:
            os.close(fd)
        return written

    def free(self) -> None:
        """Delete the filler (and end a simulation)."""
        self._unsimulate()
        (self.root / FILLER).unlink(missing_ok=True)

    def free_bytes(self) -> int:
        stat = os.statvfs(self.root)
        return stat.f_bavail * stat.f_frsize

    # --- read-only ------------------------------------------------------------------------

    def read_only(self) -> None:
        """Make the whole disk read-only (no file on it may be open for writing)."""
        if not self.real:
            self._simulate("read_only")
            return
        done = _run("mount", "-o", "remount,ro", str(self.root))
        assert done.returncode == 0, done.stderr

    def writable(self) -> None:
        """Undo ``read_only``/``read_only_view``."""
        if not self.real:
            self._unsimulate()
            return
        while self._views:
            done = _run("umount", str(self.data_dir))
            assert done.returncode == 0, done.stderr
            self._views -= 1
        done = _run("mount", "-o", "remount,rw", str(self.root))
        assert done.returncode == 0, done.stderr

    def read_only_view(self) -> None:
        """Turn the data folder read-only under a running store (new opens see EROFS)."""
        if not self.real:
            self._simulate("read_only")
            return
        folder = str(self.data_dir)
        for args in (
            ("mount", "--bind", folder, folder),
            ("mount", "-o", "remount,ro,bind", folder),
        ):
            done = _run(*args)
            assert done.returncode == 0, done.stderr
        self._views += 1

    # --- the simulation where mounting is not allowed -------------------------------------

    def _simulate(self, kind: str) -> None:
        self._unsimulate()
        self._patch = pytest.MonkeyPatch()
        if kind == "full":
            self._pragma = "max_page_count"
            code, name = errno.ENOSPC, "No space left on device"
        else:
            self._pragma = "query_only"
            code, name = errno.EROFS, "Read-only file system"

        def refuse(*args: Any, **kwargs: Any) -> Any:
            raise OSError(code, name)

        self._patch.setattr("informant_app.core.store.photos.tempfile.mkstemp", refuse)
        if not self._listening:
            event.listen(Pool, "checkout", self._on_checkout)
            self._listening = True

    def _on_checkout(self, dbapi_connection: Any, record: Any, proxy: Any) -> None:
        if self._pragma == "max_page_count":
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            unused = dbapi_connection.execute("PRAGMA freelist_count").fetchone()[0]
            if unused:  # no free pages to grow into: the file is as full as the disk
                dbapi_connection.execute("PRAGMA incremental_vacuum")
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")
        elif self._pragma == "query_only":
            dbapi_connection.execute("PRAGMA query_only = ON")
        else:  # trouble over: lift the limits on connections still in the pool
            dbapi_connection.execute("PRAGMA max_page_count = 1073741823")
            dbapi_connection.execute("PRAGMA query_only = OFF")

    def _unsimulate(self, *, end: bool = False) -> None:
        if self._patch is not None:
            self._patch.undo()
            self._patch = None
            self._pragma = None
        if end and self._listening:
            event.remove(Pool, "checkout", self._on_checkout)
            self._listening = False


@contextmanager
def small_disk(root: Path, size_kib: int = 2048) -> Iterator[SmallDisk]:
    """Yield a mounted ``SmallDisk`` at ``root``; always unmounted afterwards."""
    disk = SmallDisk(root, size_kib, real=can_mount())
    disk.mount()
    try:
        yield disk
    finally:
        disk.unmount()


def integrity(data_dir: Path) -> str:
    """Return ``PRAGMA integrity_check`` of the store's file, read-only."""
    uri = f"{database_path(data_dir).resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def queue_of(data_dir: Path) -> list[tuple[Any, ...]]:
    """Return the outbox and every non-draft version's state, read-only (to compare)."""
    uri = f"{database_path(data_dir).resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        outbox = conn.execute(
            "SELECT version_uuid, attempts FROM outbox ORDER BY version_uuid"
        ).fetchall()
        versions = conn.execute(
            "SELECT version_uuid, state, content_hash FROM report_versions "
            "WHERE state != 'draft' ORDER BY version_uuid"
        ).fetchall()
        return [*outbox, ("--",), *versions]
    finally:
        conn.close()


def drafts_of(data_dir: Path) -> dict[str, str]:
    """Return every draft's stored content by version, read-only."""
    uri = f"{database_path(data_dir).resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        return dict(
            conn.execute(
                "SELECT version_uuid, content FROM report_versions WHERE state = 'draft'"
            ).fetchall()
        )
    finally:
        conn.close()

"""Files only this user may read: the data folder 0700, the database, token, settings, log 0600.

New files are created with these modes; an existing folder or file that other users could
read (an older version created them with the umask's 0755/0644) is tightened when it is
opened, with one log line saying so.  On Windows ``chmod`` only sets the read-only flag, so
nothing is changed there (the user's profile folder already keeps others out).
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

#: Mode of the app's folders: only this user may list or enter them.
PRIVATE_DIR = 0o700
#: Mode of the app's files: only this user may read or write them.
PRIVATE_FILE = 0o600

_ENFORCED = os.name == "posix"


def _tighten(path: Path, mode: int) -> None:
    """Set ``path`` to ``mode`` when others (group or world) have any right on it."""
    if not _ENFORCED:
        return
    try:
        current = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if current & 0o077 == 0:
        return
    try:
        os.chmod(path, mode)
    except OSError as exc:
        log.warning("could not restrict %s (mode %o) to this user: %s", path, current, exc)
        return
    log.info("restricted %s from mode %o to %o (only this user)", path, current, mode)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) if missing; make ``path`` itself 0700; return it."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    _tighten(path, PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """Make ``path`` 0600: create it empty with that mode if missing, else tighten it.

    The folder must exist.  Creating it empty first means the program that writes it
    afterwards (SQLite, ``QSettings``, the log handler) keeps the mode instead of its own.
    """
    if _ENFORCED:
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    _tighten(path, PRIVATE_FILE)
    return path


def tighten_file(path: Path) -> None:
    """Make an existing ``path`` 0600 if others could read it (missing: nothing)."""
    _tighten(path, PRIVATE_FILE)

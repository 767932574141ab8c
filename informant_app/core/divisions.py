"""The division table the device works with now (Qt-free, in memory, no disk).

The device validates and names villages with the divisions of its jurisdiction as last synced
from the city server (kept in the store, ``core/store/divisions.py``).  The store publishes
that table here when it opens and again after a sync round saved a new one; before any sync
the bundled table (``sync.contract.default_divisions()``) stands in.

Tables are kept per data folder, so two stores in one process (tests, the demo) never see
each other's table.  The interface, which has one data folder, reads ``current_divisions()``
on the GUI thread: the table published last, from memory.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from sync.contract import Division, DivisionTable, default_divisions

__all__ = [
    "Published",
    "current_divisions",
    "display_name",
    "divisions_for",
    "find_division",
    "publish",
    "published",
]


@dataclass(frozen=True)
class Published:
    """A table published for a data folder, with the cache revision it was read at."""

    table: DivisionTable
    revision: int
    source: str


_lock = threading.Lock()
_by_folder: dict[Path, Published] = {}
_latest: list[DivisionTable | None] = [None]


def _key(folder: Path) -> Path:
    return Path(folder).resolve()


def publish(folder: Path, table: DivisionTable | None, revision: int = 0, source: str = "") -> None:
    """Make ``table`` the one of ``folder`` (``None``: never synced, the bundled one).

    Args:
        folder: the store's data folder.
        table: the synced table, or ``None`` when the store holds none.
        revision: the server's revision of ``table`` (to skip reloading an unchanged cache).
        source: where ``table`` came from (the server and the code it covers).
    """
    with _lock:
        if table is None:
            _by_folder.pop(_key(folder), None)
        else:
            _by_folder[_key(folder)] = Published(table, revision, source)
        _latest[0] = table


def published(folder: Path) -> Published | None:
    """Return what was published for ``folder``, or ``None`` (nothing synced, or not loaded)."""
    with _lock:
        return _by_folder.get(_key(folder))


def divisions_for(folder: Path) -> DivisionTable:
    """Return the division table of the store in ``folder``: synced, else the bundled one."""
    with _lock:
        entry = _by_folder.get(_key(folder))
    return entry.table if entry is not None else default_divisions()


def current_divisions() -> DivisionTable:
    """Return the table published last (the interface's store), else the bundled one."""
    with _lock:
        table = _latest[0]
    return table if table is not None else default_divisions()


def find_division(code: str, table: DivisionTable | None = None) -> Division | None:
    """Return division ``code`` to show it: from ``table`` (default: the current one).

    A code outside the synced table (another county's, in a list from the server) is looked
    up in the bundled table, so it still shows a name; validation never does this.
    """
    found = (table if table is not None else current_divisions()).get(code)
    return found if found is not None else default_divisions().get(code)


def display_name(code: str, fallback: str = "", table: DivisionTable | None = None) -> str:
    """Return the name screens show for ``code`` (its short name); else ``fallback`` or the code."""
    division = find_division(code, table)
    return division.short_name if division is not None else (fallback or code)

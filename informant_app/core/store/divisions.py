"""The division table as last synced from the city server, kept in the store.

The sync round fetches the divisions of the account's jurisdiction (and their ancestors) when
the server's revision of its table changed, and ``save_divisions`` replaces the cached rows in
one transaction (a few set-based statements).  ``publish_cached`` loads the cache when the
store opens and hands it to ``informant_app.core.divisions``, the one provider of "the
division table now"; a store that never synced leaves the bundled table in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit
from urllib.request import url2pathname

from sqlalchemy import Connection, Engine, delete, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from informant_app.core.divisions import divisions_for, publish, published
from informant_app.core.store.models import DivisionCacheRow, DivisionCacheStateRow
from sync.contract import Division, DivisionLevel, DivisionTable, is_valid_code
from sync.contract.wire.divisions import Divisions

__all__ = [
    "CachedDivisions",
    "cached_divisions",
    "load_divisions",
    "publish_cached",
    "save_divisions",
    "table_of",
]


class _Store(Protocol):
    """What these functions need of a ``ReportStore`` (no import of it: no circle)."""

    @property
    def engine(self) -> Engine: ...

    @property
    def data_dir(self) -> Path: ...

    def write_session(self) -> Session: ...

    def now(self) -> datetime: ...


@dataclass(frozen=True)
class CachedDivisions:
    """What the cached table is: its vintage, the server's revision and where it came from."""

    vintage: str
    revision: int
    server_url: str
    under_code: str | None
    fetched_at: datetime

    @property
    def source(self) -> str:
        """A key that changes with every save (the provider reloads only when it changed)."""
        return f"{self.server_url}|{self.under_code or ''}|{self.fetched_at.isoformat()}"


def to_table(answer: Divisions) -> DivisionTable:
    """Return the table of a ``GET /divisions`` answer.

    Raises:
        ValueError: the answer is empty, or holds a malformed code or an unknown level.
    """
    if not answer.divisions:
        raise ValueError("the server sent no divisions")
    divisions: list[Division] = []
    for d in answer.divisions:
        if not is_valid_code(d.code) or (d.parent_code and not is_valid_code(d.parent_code)):
            raise ValueError(f"not a division code: {d.code!r} / {d.parent_code!r}")
        divisions.append(
            Division(
                code=d.code,
                name=d.name,
                level=DivisionLevel(d.level),
                parent_code=d.parent_code or None,
                official=d.official,
                retired=d.retired,
                short_name=d.short_name,
            )
        )
    return DivisionTable(divisions, vintage=answer.vintage)


def _state(row: DivisionCacheStateRow) -> CachedDivisions:
    return CachedDivisions(
        vintage=row.vintage,
        revision=row.revision,
        server_url=row.server_url,
        under_code=row.under_code,
        fetched_at=row.fetched_at,
    )


def read_cached(s: Session) -> CachedDivisions | None:
    """Return what the cached table is, ``None`` when the device never synced one."""
    row = s.get(DivisionCacheStateRow, 1)
    return _state(row) if row is not None else None


def read_table(s: Session, vintage: str) -> DivisionTable:
    """Return the cached rows as a table (in code order, as the server sends them)."""
    rows = s.execute(select(DivisionCacheRow).order_by(DivisionCacheRow.code)).scalars()
    return DivisionTable(
        (
            Division(
                code=r.code,
                name=r.name,
                level=DivisionLevel(r.level),
                parent_code=r.parent_code,
                official=r.official,
                retired=r.retired,
                short_name=r.short_name,
            )
            for r in rows
        ),
        vintage=vintage,
    )


def cached_divisions(store: _Store) -> CachedDivisions | None:
    """Return what the store's cached table is (vintage, revision, source), or ``None``."""
    with Session(store.engine) as s:
        return read_cached(s)


def load_divisions(store: _Store) -> DivisionTable | None:
    """Return the cached table with its vintage, ``None`` when the device never synced one."""
    with Session(store.engine) as s, s.begin():
        state = read_cached(s)
        return read_table(s, state.vintage) if state is not None else None


def save_divisions(
    store: _Store,
    answer: Divisions,
    server_url: str,
    under_code: str | None,
    revision: int | None = None,
) -> DivisionTable:
    """Replace the cached table with the server's ``answer`` (one transaction) and publish it.

    Args:
        store: the local store.
        answer: the server's ``GET /divisions`` answer.
        server_url: the account's server (a change of server fetches again).
        under_code: the code the answer was asked for (the account's jurisdiction).
        revision: the server's revision to remember (default: the answer's); the sync round
            gives the larger of ``GET /me``'s and the answer's, so the next round asks again
            only when the table changed after both.

    Returns:
        The new table, now the one ``informant_app.core.divisions`` gives for this store.

    Raises:
        ValueError: the answer is empty or malformed (the cache is left as it was).
    """
    table = to_table(answer)
    now = store.now()
    rows = [
        {
            "code": d.code,
            "name": d.name,
            "short_name": d.short_name,
            "level": d.level.value,
            "parent_code": d.parent_code,
            "official": d.official,
            "retired": d.retired,
        }
        for d in table
    ]
    state = {
        "vintage": answer.vintage,
        "revision": answer.revision if revision is None else revision,
        "server_url": server_url,
        "under_code": under_code,
        "fetched_at": now,
    }
    with store.write_session() as s, s.begin():
        s.execute(delete(DivisionCacheRow))
        s.execute(insert(DivisionCacheRow), rows)
        s.execute(
            sqlite_insert(DivisionCacheStateRow)
            .values(id=1, **state)
            .on_conflict_do_update(index_elements=["id"], set_=state)
        )
        saved = read_cached(s)
    assert saved is not None
    publish(store.data_dir, table, saved.revision, saved.source)
    return table


def publish_cached(store: _Store) -> None:
    """Hand the cached table to the provider (the bundled one when none); skip if unchanged.

    Runs when the store opens: one small read, and the rows only when the cache changed
    since it was last published for this data folder.
    """
    with Session(store.engine) as s, s.begin():
        state = read_cached(s)
        if state is None:
            publish(store.data_dir, None)
            return
        known = published(store.data_dir)
        if known is not None and (known.revision, known.source) == (state.revision, state.source):
            publish(store.data_dir, known.table, known.revision, known.source)  # the latest
            return
        table = read_table(s, state.vintage)
    publish(store.data_dir, table, state.revision, state.source)


def _folder(s: Session) -> Path:
    """Return the data folder of the database ``s`` works on (read-only URIs too)."""
    bind = s.get_bind()
    url = bind.engine.url if isinstance(bind, Connection) else bind.url
    database = url.database or ""
    if url.query.get("uri"):
        database = url2pathname(urlsplit(database).path)
    return Path(database).parent


def table_of(s: Session) -> DivisionTable:
    """Return the division table of the store ``s`` works on (from memory, no query)."""
    return divisions_for(_folder(s))

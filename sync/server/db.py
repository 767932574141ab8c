"""Database engines and sessions for SQLite (embedded) and PostgreSQL (psycopg 3).

SQLite gets WAL, ``synchronous=FULL``, foreign keys and a busy timeout on every connection.
Its writers are serialized by the database lock; a session made by ``write_session`` starts
with ``BEGIN IMMEDIATE`` so that it takes the write lock up front (a deferred transaction that
reads first and writes later can fail with "database is locked" instead of waiting).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

SQLITE_BUSY_TIMEOUT_MS = 30_000
#: Execution option that makes a SQLite transaction begin with ``BEGIN IMMEDIATE``.
IMMEDIATE = "city_immediate"


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always returned timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


#: PostgreSQL connections per server process: kept + extra under load.  With ``--workers N``
#: the server may hold N × (pool + overflow); keep that below the database's max_connections
#: (100 by default), leaving room for other clients.
DEFAULT_POOL_SIZE = 8
DEFAULT_MAX_OVERFLOW = 4


class _NoResultRows(logging.Filter):
    """Drop SQLAlchemy's DEBUG records of fetched rows: they hold token and code hashes."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        return not (record.levelno <= logging.DEBUG and message.startswith(("Row ", "Col ")))


def _hide_result_rows() -> None:
    engine_log = logging.getLogger("sqlalchemy.engine.Engine")
    if not any(isinstance(f, _NoResultRows) for f in engine_log.filters):
        engine_log.addFilter(_NoResultRows())


#: The database file and its -wal/-shm hold password, token and code hashes: owner only.
PRIVATE_FILE_MODE = 0o600
#: A folder the server creates for its database: owner only.
PRIVATE_DIR_MODE = 0o700
_SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")

log = logging.getLogger(__name__)


def private_database_file(path: Path) -> None:
    """Create the SQLite file ``path`` (and missing folders) readable by its owner only.

    A new file is created 0600 before SQLite opens it, so SQLite gives its -wal and -shm the
    same mode; folders the server creates are 0700.  An existing file, -wal, -shm or journal
    that others may read is tightened to 0600 and a warning says so.
    """
    missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)
        os.chmod(folder, PRIVATE_DIR_MODE)  # mkdir's mode is masked by the umask
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE_MODE))
    for suffix in _SQLITE_SIDE_FILES:
        file = path.with_name(path.name + suffix)
        try:
            mode = stat.S_IMODE(file.stat().st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            os.chmod(file, PRIVATE_FILE_MODE)
            log.warning(
                "database file %s was open to others (mode %o); tightened to %o",
                file,
                mode,
                PRIVATE_FILE_MODE,
            )


def _keep_private(engine: Engine, path: Path) -> None:
    """Tighten an existing database file now; create a new one private at the first connection.

    Nothing is created before a connection is asked for: a command refused for its arguments
    (``serve`` without its key file) leaves no database behind.
    """
    if path.exists():
        private_database_file(path)

    @event.listens_for(engine, "do_connect")
    def _before_connect(*_args: Any) -> None:
        private_database_file(path)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Return an engine for ``url`` with this server's connection settings.

    Statement parameters never reach a log or an error message (``hide_parameters``): they
    hold token and set-up-code hashes, and SQLAlchemy's DEBUG log and its error text would
    otherwise print them.
    """
    kwargs.setdefault("hide_parameters", True)
    _hide_result_rows()
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs
        )
        if path and path != ":memory:" and not path.startswith("file:"):
            _keep_private(engine, Path(path))
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", DEFAULT_POOL_SIZE)
    kwargs.setdefault("max_overflow", DEFAULT_MAX_OVERFLOW)
    return create_engine(url, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """An engine with its two session factories: reading and writing."""

    def __init__(
        self,
        url: str,
        pool_size: int | None = None,
        max_overflow: int | None = None,
        pool_timeout: float | None = None,
    ) -> None:
        self.url = url
        pool: dict[str, float] = {}
        if pool_size is not None:
            pool["pool_size"] = pool_size
        if max_overflow is not None:
            pool["max_overflow"] = max_overflow
        if pool_timeout is not None:
            pool["pool_timeout"] = pool_timeout
        self.engine = make_engine(url, **(pool if not url.startswith("sqlite") else {}))
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(**{IMMEDIATE: True}), expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        """Return ``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def read_session(self) -> Session:
        """Return a session for reading (a deferred transaction on SQLite)."""
        return self._read()

    def write_session(self) -> Session:
        """Return a session for writing (``BEGIN IMMEDIATE`` on SQLite)."""
        return self._write()

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """Yield a write session; commit on success, roll back on error."""
        with self.write_session() as session, session.begin():
            yield session

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def utc_now() -> datetime:
    """Return the current UTC time with microseconds (server timestamps)."""
    return datetime.now(UTC)

"""The SQLite engine of the local store: one file, WAL, full sync, foreign keys, busy timeout.

``make_engine`` returns an engine whose single ``connect`` listener sets the pragmas.  SQLAlchemy
(not the ``sqlite3`` driver's legacy mode) emits ``BEGIN``, so reads and writes of one unit of
work share one real transaction; writers use ``writer(engine)`` to take the write lock up front
(``BEGIN IMMEDIATE``) so a read-check-write sequence cannot be overtaken by another writer.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext

from informant_app.core.private_files import private_file, tighten_file
from informant_app.core.store.errors import translate_db_error

#: Milliseconds a connection waits for a lock before reporting "database is locked".
BUSY_TIMEOUT_MS = 5000
#: Milliseconds a read-only connection (diagnostics) waits for a lock.
READ_ONLY_BUSY_MS = 500

PRAGMAS: tuple[str, ...] = (
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",  # a submitted report must survive a power cut
    "PRAGMA foreign_keys=ON",
)

_IMMEDIATE = "informant_begin_immediate"


def make_engine(db_path: Path) -> Engine:
    """Return an engine for the SQLite file ``db_path`` (created on first connect).

    A disk problem (full, read-only, locked, damaged) raised by any statement or commit on
    it becomes the user's ``StoreError`` (``errors.translate_db_error``), so every writer (the
    sync rounds, duty and review caches) reports it in plain words instead of as a bug.
    The file is created 0600 (SQLite gives its ``-wal`` and ``-shm`` files the same mode);
    a looser existing file and its ``-wal``/``-shm`` are tightened (``private_files``).
    """
    with contextlib.suppress(OSError):  # a missing or read-only folder: SQLite says so
        private_file(db_path)
    for suffix in ("-wal", "-shm"):
        tighten_file(db_path.with_name(db_path.name + suffix))
    engine = create_engine(URL.create("sqlite+pysqlite", database=str(db_path)))
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    event.listen(engine, "handle_error", _on_error)
    return engine


def make_read_only_engine(db_path: Path) -> Engine:
    """Return an engine that only reads ``db_path`` (``query_only``, a short busy timeout).

    It never creates the file, and waits at most ``READ_ONLY_BUSY_MS`` for a lock, so a
    reader beside a busy or stuck writer answers quickly.
    """
    engine = create_engine(
        URL.create(
            "sqlite+pysqlite",
            database=db_path.resolve().as_uri(),
            query={"mode": "ro", "uri": "true"},
        )
    )
    event.listen(engine, "connect", _on_read_only_connect)
    return engine


def _on_read_only_connect(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={READ_ONLY_BUSY_MS}")
        cursor.execute("PRAGMA query_only=ON")
    finally:
        cursor.close()


def writer(engine: Engine) -> Engine:
    """Return a view of ``engine`` whose transactions start with ``BEGIN IMMEDIATE``."""
    return engine.execution_options(**{_IMMEDIATE: True})


def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    # Hand transaction control to SQLAlchemy (its "begin" hook below emits BEGIN); the pragmas
    # then run outside any transaction, where journal_mode and foreign_keys take effect.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _on_error(context: ExceptionContext) -> BaseException | None:
    if context.sqlalchemy_exception is None:
        return None
    translated = translate_db_error(context.sqlalchemy_exception)
    if translated is not None:
        translated.__cause__ = context.sqlalchemy_exception
    return translated


def _on_begin(conn: Connection) -> None:
    immediate = bool(conn.get_execution_options().get(_IMMEDIATE))
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

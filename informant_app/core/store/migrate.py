"""Bring the local database to this app's schema at start-up, safely.

Reads the database's Alembic revision read-only first: a revision this app does not know means
a newer app wrote it, so it is refused untouched (``NewerDatabaseError``).  A database behind
head is copied aside (``informant.db.bak-<rev>-<UTC time>``, a consistent copy that includes the
WAL) before ``alembic upgrade head`` runs through the Python API; no ``alembic.ini`` is needed.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from informant_app.core.store.db import make_engine
from informant_app.core.store.errors import (
    NOT_A_DATABASE,
    NewerDatabaseError,
    StoreError,
    translate_db_error,
)

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: The newest revision in ``migrations/versions``, kept equal to Alembic's head by a test
#: (tests/informant_app/test_startup_imports.py): a database already there opens without
#: loading Alembic, which would take a good part of the app's start.
HEAD_REVISION = "0009"


def alembic_config() -> Config:
    """Return an Alembic config for the bundled migrations, built in code."""
    from sync.shared import migrations

    return migrations.alembic_config(MIGRATIONS_DIR)


def head_revision() -> str:
    """Return the newest schema revision this app knows."""
    from sync.shared import migrations

    return migrations.head_revision(MIGRATIONS_DIR)


def known_revisions() -> set[str]:
    """Return every schema revision this app knows."""
    from sync.shared import migrations

    return migrations.known_revisions(MIGRATIONS_DIR)


def current_revision(db_path: Path) -> str | None:
    """Return the database's revision (read-only), ``None`` for a new or empty file.

    Raises:
        StoreError: the file is not a database, or an unversioned database with tables.
    """
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if "alembic_version" not in tables:
                if tables:
                    raise StoreError(NOT_A_DATABASE.zh, NOT_A_DATABASE.en)
                return None
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        translated = translate_db_error(exc)
        if translated is None:
            raise
        raise translated from exc
    return str(row[0]) if row else None


def backup_database(db_path: Path, revision: str) -> Path:
    """Write a consistent copy of ``db_path`` (WAL included) beside it; return its path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = db_path.with_name(f"{db_path.name}.bak-{revision}-{stamp}")
    counter = 1
    while target.exists():
        target = db_path.with_name(f"{db_path.name}.bak-{revision}-{stamp}-{counter}")
        counter += 1
    source = sqlite3.connect(str(db_path))
    try:
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    log.info("database backed up to %s before migrating from %s", target, revision)
    return target


def migrate(db_path: Path) -> Path | None:
    """Upgrade ``db_path`` to head; return the backup written, if any.

    Raises:
        NewerDatabaseError: the database has a revision this app does not know.
        StoreError: the file is not a usable database.
    """
    current = current_revision(db_path)
    if current == HEAD_REVISION:
        return None
    head = head_revision()
    if current == head:
        return None
    if current is not None and current not in known_revisions():
        raise NewerDatabaseError(
            f"数据文件 {db_path} 由更新版本的软件创建（数据库版本 {current}），"
            "本版本无法打开。请安装最新版本的软件；数据文件未被改动。",
            f"The data file {db_path} was written by a newer version of this app (schema "
            f"{current}); this version cannot open it. Install the latest version; the file "
            "was not changed.",
        )
    backup = backup_database(db_path, current) if current is not None else None
    engine = make_engine(db_path)
    try:
        with engine.connect() as conn:
            # Batch migrations copy tables: keep foreign keys off while they run (it must be
            # set outside a transaction), then check the result before committing.
            driver = conn.connection.driver_connection
            if driver is None:
                raise RuntimeError("no driver connection")
            driver.execute("PRAGMA foreign_keys=OFF")
            from alembic import command

            config = alembic_config()
            config.attributes["connection"] = conn
            with conn.begin():  # one transaction: all revisions, or none
                command.upgrade(config, "head")
                problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise RuntimeError(f"foreign key problems after migrating: {problems[:5]}")
    finally:
        engine.dispose()
    log.info("database %s migrated from %s to %s", db_path, current, head)
    return backup

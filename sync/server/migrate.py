"""Bring the server's database to the current schema through Alembic's Python API.

``city-server init`` calls ``prepare_database``; so does ``serve`` (and the app factory when
``migrate_on_start`` is set) when the schema is behind.  On PostgreSQL the upgrade holds a
transaction's advisory lock, so several server processes starting at once migrate exactly once
(also through PgBouncer in transaction mode: nothing is kept in the session).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, text

from sync.server.db import Database
from sync.shared import migrations

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: Arbitrary key of the PostgreSQL advisory lock held while migrating.
MIGRATION_LOCK_KEY = 0x63697479  # "city"


class NewerDatabaseError(RuntimeError):
    """The database was migrated by a newer server than this one."""


def alembic_config() -> Config:
    """Return an Alembic config for the bundled migrations, built in code."""
    return migrations.alembic_config(MIGRATIONS_DIR)


def head_revision() -> str:
    """Return the newest schema revision this server knows."""
    return migrations.head_revision(MIGRATIONS_DIR)


def current_revision(conn: Connection) -> str | None:
    """Return the database's schema revision, ``None`` for an empty database."""
    return MigrationContext.configure(conn).get_current_revision()


def is_current(db: Database) -> bool:
    """Return whether the database is at this server's head revision."""
    with db.engine.connect() as conn:
        return current_revision(conn) == head_revision()


def upgrade(db: Database) -> None:
    """Upgrade the database to head (a no-op when it is current).

    Raises:
        NewerDatabaseError: the database carries a revision this server does not know.
    """
    config = alembic_config()
    known = migrations.known_revisions(MIGRATIONS_DIR)
    with db.engine.connect() as conn:
        # One transaction: the lock, the revision read under it, and the upgrade.  The lock is
        # the transaction's (released by its end), so it holds through a connection pooler in
        # transaction mode (PgBouncer), where a session's lock could outlive the session.
        if db.dialect == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
        revision = current_revision(conn)
        if revision is not None and revision not in known:
            raise NewerDatabaseError(revision)
        if revision != head_revision():
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        conn.commit()

"""Filling a database at an older schema revision, for the migration tests.

The models describe the schema at head; an older schema lacks some of their columns, so the
migration tests load the bundled division table with a plain insert of the columns every
revision since 0001 has (not ``load_divisions``, which writes the head's columns).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from sqlalchemy.orm import Session

from sync.contract import default_divisions
from sync.server.db import Database
from sync.server.migrate import alembic_config

_DIVISIONS = sa.table(
    "divisions",
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("level", sa.String),
    sa.column("parent_code", sa.String),
    sa.column("official", sa.Boolean),
    sa.column("vintage", sa.String),
)


def load_divisions_before_0005(session: Session) -> int:
    """Insert the bundled division table with the columns of schemas 0001–0004."""
    table = default_divisions()
    rows = [
        {
            "code": d.code,
            "name": d.name,
            "level": d.level.value,
            "parent_code": d.parent_code,
            "official": d.official,
            "vintage": table.vintage,
        }
        for d in table
    ]
    session.execute(_DIVISIONS.insert(), rows)
    return len(rows)


def database_at(db_url: str, revision: str) -> Database:
    """Return the database at ``db_url`` migrated to ``revision``, with the division table."""
    db = Database(db_url)
    config = alembic_config()
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        conn.commit()
    with db.writing() as session:
        load_divisions_before_0005(session)
    return db

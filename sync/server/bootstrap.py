"""Make a database ready to serve: the schema at head and the division codes loaded."""

from __future__ import annotations

from sync.server.db import Database
from sync.server.migrate import upgrade
from sync.server.services.divisions import load_divisions


def prepare_database(db: Database) -> int:
    """Migrate to head and load missing division codes; return how many were added."""
    upgrade(db)
    with db.writing() as session:
        return load_divisions(session)

"""Alembic through its Python API, for both databases of the system: the device's and the city's.

Each side keeps its own migration scripts and models; what they share is how a migration
folder becomes a config (no ``alembic.ini`` at run time), how its revisions are read, and the
``env.py`` body that runs the scripts on the connection the caller hands in.
"""

from __future__ import annotations

from pathlib import Path

from alembic import context
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, create_engine


def alembic_config(script_location: Path) -> Config:
    """Return an Alembic config for the migration folder ``script_location``."""
    config = Config()
    config.set_main_option("script_location", str(script_location))
    return config


def head_revision(script_location: Path) -> str:
    """Return the newest revision of the migration folder."""
    head = ScriptDirectory.from_config(alembic_config(script_location)).get_current_head()
    if head is None:
        raise RuntimeError(f"the migrations in {script_location} have no head")
    return head


def known_revisions(script_location: Path) -> set[str]:
    """Return every revision of the migration folder."""
    script = ScriptDirectory.from_config(alembic_config(script_location))
    return {s.revision for s in script.walk_revisions()}


def run_env(target_metadata: MetaData, *, purpose: str) -> None:
    """The body of an ``env.py``: migrate the connection handed in, or ``sqlalchemy.url``.

    SQLite runs in batch mode (it cannot ALTER most things, so tables are copied and moved).
    """
    if context.is_offline_mode():
        raise RuntimeError(f"offline (SQL script) migrations are not supported for {purpose}")

    def run(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()

    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection given and no sqlalchemy.url set")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            run(conn)
            conn.commit()
    finally:
        engine.dispose()

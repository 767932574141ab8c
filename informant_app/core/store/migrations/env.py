"""Alembic environment of the local store: runs on the connection the app hands in.

The app calls Alembic through its Python API with ``config.attributes["connection"]`` set
(see ``informant_app.core.store.migrate``); a developer may instead set ``sqlalchemy.url``.
"""

from informant_app.core.store.models import Base
from sync.shared.migrations import run_env

run_env(Base.metadata, purpose="the local store")

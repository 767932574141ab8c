"""Alembic environment of the city server: runs on the connection ``sync.server.migrate`` gives.

A developer may instead set ``sqlalchemy.url`` in a config of their own.
"""

from sync.server.models import Base
from sync.shared.migrations import run_env

run_env(Base.metadata, purpose="the city server")

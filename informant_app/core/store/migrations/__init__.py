"""Alembic migrations of the local store, run at start-up by ``core.store.migrate``."""

"""Alembic scripts of the city server (run through ``sync.server.migrate``)."""

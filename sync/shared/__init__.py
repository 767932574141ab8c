"""Code both ends run that is not part of the wire: the Alembic migration helper."""

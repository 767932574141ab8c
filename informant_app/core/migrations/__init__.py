"""Alembic migrations of the local store; ``informant_app.core.migrate`` runs them at start-up."""

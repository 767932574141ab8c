"""The city server: accounts, jurisdictions, the A/B roster and the reports API (``city-server``).

FastAPI on SQLAlchemy 2 and Alembic; SQLite by default, PostgreSQL in production.  The app
factory is ``sync.server.app.create_app``; the command is ``sync.server.cli``.
"""

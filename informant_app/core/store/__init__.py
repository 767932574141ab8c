"""The local SQLite store: the only room that opens the database (engine, sessions, tables)."""

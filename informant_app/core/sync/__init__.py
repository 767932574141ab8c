"""The sync engine: push the outbox, upload photos, pull the server's changes, conflicts."""

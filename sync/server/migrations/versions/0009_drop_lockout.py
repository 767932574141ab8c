"""Drop the account lock-out's columns: sign-in slowdowns replaced the lock-out (issue 18).

- ``users.failed_logins``, ``users.last_failed_at`` and ``users.locked_until`` counted
  failures and locked an account after five.  Since 0008 failed sign-ins are counted per
  address and per typed name in ``login_attempts`` (``services/signin_guard.py``) and nothing
  reads these columns, so a reader of the schema would believe a lock-out still exists.

The downgrade adds them back as 0001 defined them (``failed_logins`` 0, the times empty).
The batch never copies the table (``recreate="never"``): SQLite (3.35 and later) drops and adds
these plain columns in place, while a copy would have to drop ``users``, which most tables
reference, and the server runs SQLite with foreign keys enforced, so that drop fails.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("users", recreate="never") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("last_failed_at")
        batch.drop_column("failed_logins")


def downgrade() -> None:
    with op.batch_alter_table("users", recreate="never") as batch:
        batch.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("last_failed_at", TS, nullable=True))
        batch.add_column(sa.Column("locked_until", TS, nullable=True))

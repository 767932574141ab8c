"""The division table as synced from the city server, with its vintage and revision.

Revision ID: 0007
Revises: 0006
Create Date: 2026-08-01 00:00:00

Additive.  ``division_cache`` holds the divisions of the account's jurisdiction and its
ancestors as the server last sent them (official and short names, level, parent, retired);
``division_cache_state`` (one row) says their vintage, the server's revision of the table and
where they came from.  Both start empty: until the first sync the bundled table stands in.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.String(27)


def upgrade() -> None:
    op.create_table(
        "division_cache",
        sa.Column("code", sa.String(12), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("short_name", sa.String(100), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("parent_code", sa.String(12), nullable=True),
        sa.Column("official", sa.Boolean(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "division_cache_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vintage", sa.String(16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("server_url", sa.String(500), nullable=False),
        sa.Column("under_code", sa.String(12), nullable=True),
        sa.Column("fetched_at", UTC_TIME, nullable=False),
        sa.CheckConstraint("id = 1", name="ck_division_cache_state_single_row"),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("division_cache_state")
    op.drop_table("division_cache")

"""The open disaster events of the account's area, as last synced from the city server.

Revision ID: 0008
Revises: 0007
Create Date: 2026-09-01 00:00:00

Additive.  ``open_event_cache`` holds the open canonical events the server lists for the
account (``GET /events?open=1``: for an informant, those of its county), so that the report
form defaults a new report to the open event of its area and offers an existing event before
a second "new event", also offline; ``open_event_cache_state`` (one row) says when and from
which server they came.  Both start empty: the next sync round fills them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.String(27)


def upgrade() -> None:
    op.create_table(
        "open_event_cache",
        sa.Column("event_uuid", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("disaster_type", sa.String(32), nullable=False),
        sa.Column("county_code", sa.String(12), nullable=True),
        sa.Column("opened_level", sa.String(16), nullable=False),
        sa.Column("opened_code", sa.String(12), nullable=False),
        sa.Column("opened_name", sa.String(100), nullable=True),
        sa.Column("occurred_at", UTC_TIME, nullable=True),
        sa.Column("opened_at", UTC_TIME, nullable=False),
        sa.Column("merged_uuids", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("event_uuid"),
    )
    op.create_table(
        "open_event_cache_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("server_url", sa.String(500), nullable=False),
        sa.Column("fetched_at", UTC_TIME, nullable=False),
        sa.Column("server_time", UTC_TIME, nullable=False),
        sa.Column("revision", sa.String(64), nullable=False, server_default=""),
        sa.CheckConstraint("id = 1", name="ck_open_event_cache_state_single_row"),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("open_event_cache_state")
    op.drop_table("open_event_cache")

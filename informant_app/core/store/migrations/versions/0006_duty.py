"""A/B duty: cached absences, handovers and event openings; the filing role of each version.

Revision ID: 0006
Revises: 0005
Create Date: 2026-07-01 00:00:00

Additive.  New tables ``duty_absences``, ``duty_handovers`` and ``event_openings`` keep what
the change feed (and the online duty answers) said, so the device judges duty and deadlines
offline.  ``roster_cache`` gains the assignment's ``reason``, ``ended_reason`` and the holder's
``phone``.  ``server_versions`` and ``version_reviews`` gain the server's ``filing_role`` and
``acting_for_name``; ``report_versions`` gains the filing role this device decided at submit
(plain ``ADD COLUMN``: a table copy would drop the frozen-content triggers).  The pull cursor
is cleared so the next round reads the feed again from the start: duty changes an older app
skipped, and the filing role of versions already pulled, arrive (applying is idempotent).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.String(27)
FILING_TABLES = ("report_versions", "server_versions", "version_reviews")


def upgrade() -> None:
    op.create_table(
        "duty_absences",
        sa.Column("absence_uuid", sa.String(64), nullable=False),
        sa.Column("post_code", sa.String(12), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("starts_at", UTC_TIME, nullable=False),
        sa.Column("ends_at", UTC_TIME, nullable=False),
        sa.Column("ended_at", UTC_TIME, nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=True),
        sa.Column("created_by_name", sa.String(100), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=True),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("absence_uuid"),
    )
    op.create_index("ix_duty_absences_post", "duty_absences", ["post_code", "starts_at"])
    op.create_table(
        "duty_handovers",
        sa.Column("handover_uuid", sa.String(64), nullable=False),
        sa.Column("post_code", sa.String(12), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("from_username", sa.String(64), nullable=True),
        sa.Column("from_name", sa.String(100), nullable=False),
        sa.Column("to_username", sa.String(64), nullable=True),
        sa.Column("to_name", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("open_items", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=True),
        sa.Column("signed_off_by", sa.String(64), nullable=True),
        sa.Column("signed_off_name", sa.String(100), nullable=True),
        sa.Column("signed_off_at", UTC_TIME, nullable=True),
        sa.Column("sign_off_note", sa.Text(), nullable=True),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("handover_uuid"),
    )
    op.create_index("ix_duty_handovers_post", "duty_handovers", ["post_code", "created_at"])
    op.create_table(
        "event_openings",
        sa.Column("township_code", sa.String(12), nullable=False),
        sa.Column("event_uuid", sa.String(64), nullable=False),
        sa.Column("event_name", sa.String(200), nullable=False),
        sa.Column("disaster_type", sa.String(32), nullable=False),
        sa.Column("occurred_at", UTC_TIME, nullable=True),
        sa.Column("opened_at", UTC_TIME, nullable=False),
        sa.Column("closed_at", UTC_TIME, nullable=True),
        sa.Column("village_codes", sa.Text(), nullable=False),
        sa.Column("village_opened", sa.Text(), nullable=False),
        sa.Column("deadlines", sa.Text(), nullable=False),
        sa.Column("filed", sa.Text(), nullable=False),
        sa.Column("opened_by_name", sa.String(100), nullable=True),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("township_code", "event_uuid"),
    )
    op.add_column("roster_cache", sa.Column("reason", sa.Text(), nullable=True))
    op.add_column("roster_cache", sa.Column("ended_reason", sa.Text(), nullable=True))
    op.add_column("roster_cache", sa.Column("phone", sa.String(40), nullable=True))
    for table in FILING_TABLES:
        op.add_column(table, sa.Column("filing_role", sa.String(20), nullable=True))
        op.add_column(table, sa.Column("acting_for_name", sa.String(100), nullable=True))
    op.execute("UPDATE sync_state SET cursor = NULL")


def downgrade() -> None:
    # SQLite 3.35+ drops a column in place: no table copy, the triggers stay.
    for table in reversed(FILING_TABLES):
        op.drop_column(table, "acting_for_name")
        op.drop_column(table, "filing_role")
    for column in ("phone", "ended_reason", "reason"):
        op.drop_column("roster_cache", column)
    op.drop_table("event_openings")
    op.drop_index("ix_duty_handovers_post", table_name="duty_handovers")
    op.drop_table("duty_handovers")
    op.drop_index("ix_duty_absences_post", table_name="duty_absences")
    op.drop_table("duty_absences")

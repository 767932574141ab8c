"""Township review: decisions, review state per version, township adjustments and reports.

Adds ``users.phone``; ``report_versions.post_role``, ``review_status`` and
``review_decision_uuid``; and the tables ``decisions``, ``township_adjustments`` and
``township_reports``.  Existing versions start ``pending``; their sender's A/B role is filled
in from the roster history (the assignment active when the version arrived).

Revision ID: 0002
Revises: 0001
Create Date: 2024-07-15
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

#: The A/B role the sender held on the village post when the version arrived.
BACKFILL_POST_ROLE = """
UPDATE report_versions SET post_role = (
    SELECT a.post_role FROM assignments a JOIN posts p ON p.id = a.post_id
    WHERE p.division_code = report_versions.village_code
      AND a.user_id = report_versions.user_id
      AND a.valid_from <= report_versions.server_received_at
      AND (a.valid_to IS NULL OR a.valid_to > report_versions.server_received_at)
    ORDER BY a.valid_from DESC LIMIT 1)
"""


def _who() -> list[sa.Column[object]]:
    """Return the columns that say who did it, in which role, from which device, when."""
    return [
        sa.Column("user_id", sa.BigInteger(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("post_role", sa.String(1), nullable=True),
        sa.Column("device_pk", sa.BigInteger(), sa.ForeignKey("devices.id"), nullable=False),
    ]


def upgrade() -> None:
    op.add_column("users", sa.Column("phone", sa.String(32), nullable=True))
    op.add_column("report_versions", sa.Column("post_role", sa.String(1), nullable=True))
    op.add_column(
        "report_versions",
        sa.Column("review_status", sa.String(16), nullable=False, server_default="pending"),
    )
    op.add_column(
        "report_versions", sa.Column("review_decision_uuid", sa.String(64), nullable=True)
    )
    op.execute(BACKFILL_POST_ROLE)
    op.create_table(
        "decisions",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("decision_uuid", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "version_uuid",
            sa.String(64),
            sa.ForeignKey("report_versions.version_uuid"),
            nullable=False,
            index=True,
        ),
        sa.Column("report_uuid", sa.String(64), nullable=False, index=True),
        sa.Column("village_code", sa.String(12), nullable=False),
        sa.Column("decision", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("field_comments_json", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        *_who(),
        sa.Column("device_decided_at", TS, nullable=True),
        sa.Column("device_time", TS, nullable=True),
        sa.Column("server_received_at", TS, nullable=False),
        sa.Column("clock_skew_seconds", sa.Float(), nullable=True),
        sa.CheckConstraint("decision IN ('approve', 'return')", name="ck_decisions_decision"),
        sa.CheckConstraint("status IN ('applied', 'conflict')", name="ck_decisions_status"),
    )
    op.create_table(
        "township_adjustments",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("adjustment_uuid", sa.String(64), nullable=False, unique=True),
        sa.Column("township_code", sa.String(12), sa.ForeignKey("divisions.code"), nullable=False),
        sa.Column("event_uuid", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("delta", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        *_who(),
        sa.Column("server_received_at", TS, nullable=False),
    )
    op.create_index(
        "ix_township_adjustments_key",
        "township_adjustments",
        ["township_code", "event_uuid", "stage"],
    )
    op.create_table(
        "township_reports",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("submission_uuid", sa.String(64), nullable=False, unique=True),
        sa.Column("township_code", sa.String(12), sa.ForeignKey("divisions.code"), nullable=False),
        sa.Column("event_uuid", sa.String(64), nullable=False),
        sa.Column("event_name", sa.String(200), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("figures_json", sa.Text(), nullable=False),
        sa.Column("villages_json", sa.Text(), nullable=False),
        sa.Column("adjustments_json", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        *_who(),
        sa.Column("server_received_at", TS, nullable=False),
    )
    op.create_index(
        "ix_township_reports_key", "township_reports", ["township_code", "event_uuid", "stage"]
    )


def downgrade() -> None:
    op.execute("DELETE FROM change_log WHERE kind IN ('decision', 'township_report')")
    for table in ("township_reports", "township_adjustments", "decisions"):
        op.drop_table(table)
    for column in ("review_decision_uuid", "review_status", "post_role"):
        op.drop_column("report_versions", column)
    op.drop_column("users", "phone")

"""Township review: decisions and their outbox, review status per version, cached answers.

Revision ID: 0004
Revises: 0003
Create Date: 2025-03-01 00:00:00

New tables only.  The pull cursor is cleared so that the next sync round pulls the change
feed again from the start: that fills ``version_reviews`` for the versions already pulled and
applies the decisions on them (applying is idempotent).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.String(27)


def upgrade() -> None:
    op.create_table(
        "version_reviews",
        sa.Column("version_uuid", sa.String(64), nullable=False),
        sa.Column("report_uuid", sa.String(64), nullable=False),
        sa.Column("village_code", sa.String(12), nullable=False),
        sa.Column("event_uuid", sa.String(64), nullable=False),
        sa.Column("event_name", sa.String(200), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("decision_uuid", sa.String(64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("filed_by", sa.String(64), nullable=False),
        sa.Column("submitted_at", UTC_TIME, nullable=True),
        sa.Column("received_at", UTC_TIME, nullable=False),
        sa.Column("warnings", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'returned', 'approved')", name="ck_version_reviews_status"
        ),
        sa.PrimaryKeyConstraint("version_uuid"),
    )
    op.create_index(
        "ix_version_reviews_queue", "version_reviews", ["is_current", "status", "received_at"]
    )
    op.create_index("ix_version_reviews_report", "version_reviews", ["report_uuid", "received_at"])
    op.create_index(
        "ix_version_reviews_event_village",
        "version_reviews",
        ["event_uuid", "village_code", "received_at"],
    )
    op.create_table(
        "review_decisions",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("decision_uuid", sa.String(64), nullable=False),
        sa.Column("version_uuid", sa.String(64), nullable=False),
        sa.Column("report_uuid", sa.String(64), nullable=False),
        sa.Column("village_code", sa.String(12), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("field_comments", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=False),
        sa.Column("decided_by_name", sa.String(100), nullable=False),
        sa.Column("decided_role", sa.String(1), nullable=True),
        sa.Column("device_id", sa.String(100), nullable=False),
        sa.Column("decided_at", UTC_TIME, nullable=True),
        sa.Column("received_at", UTC_TIME, nullable=True),
        sa.Column("origin", sa.String(8), nullable=False),
        sa.Column("sync_state", sa.String(16), nullable=False),
        sa.Column("applied", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("server_code", sa.String(64), nullable=True),
        sa.Column("message_zh", sa.Text(), nullable=True),
        sa.Column("message_en", sa.Text(), nullable=True),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.CheckConstraint(
            "sync_state IN ('queued', 'sending', 'sent', 'conflict', 'rejected')",
            name="ck_review_decisions_sync_state",
        ),
        sa.CheckConstraint("kind IN ('approve', 'return')", name="ck_review_decisions_kind"),
        sa.CheckConstraint("origin IN ('local', 'remote')", name="ck_review_decisions_origin"),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("decision_uuid"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_review_decisions_report", "review_decisions", ["report_uuid", "seq"])
    op.create_index("ix_review_decisions_version", "review_decisions", ["version_uuid", "seq"])
    op.create_table(
        "decision_outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("decision_uuid", sa.String(64), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["decision_uuid"], ["review_decisions.decision_uuid"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("decision_uuid"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "review_cache",
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("fetched_at", UTC_TIME, nullable=False),
        sa.Column("server_time", UTC_TIME, nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "township_submissions",
        sa.Column("submission_uuid", sa.String(64), nullable=False),
        sa.Column("township_code", sa.String(12), nullable=False),
        sa.Column("event_uuid", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("server_received_at", UTC_TIME, nullable=False),
        sa.Column("pulled_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("submission_uuid"),
    )
    op.create_index(
        "ix_township_submissions_report",
        "township_submissions",
        ["township_code", "event_uuid", "stage", "server_received_at"],
    )
    op.create_table(
        "review_settings",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.execute("UPDATE sync_state SET cursor = NULL")


def downgrade() -> None:
    op.drop_table("review_settings")
    op.drop_index("ix_township_submissions_report", table_name="township_submissions")
    op.drop_table("township_submissions")
    op.drop_table("review_cache")
    op.drop_table("decision_outbox")
    op.drop_index("ix_review_decisions_version", table_name="review_decisions")
    op.drop_index("ix_review_decisions_report", table_name="review_decisions")
    op.drop_table("review_decisions")
    op.drop_index("ix_version_reviews_event_village", table_name="version_reviews")
    op.drop_index("ix_version_reviews_report", table_name="version_reviews")
    op.drop_index("ix_version_reviews_queue", table_name="version_reviews")
    op.drop_table("version_reviews")

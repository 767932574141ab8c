"""Sync: account, sync state and rounds, server versions, photos, roster, conflicts.

Revision ID: 0003
Revises: 0002
Create Date: 2025-02-01 00:00:00

New tables only; ``report_versions`` is not altered (its frozen-content triggers stay as they
are).  Existing frozen versions get a ``version_sync`` row of origin ``local``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.String(27)


def upgrade() -> None:
    op.create_table(
        "sync_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("server_url", sa.String(500), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("jurisdiction_code", sa.String(12), nullable=False),
        sa.Column("posts", sa.Text(), nullable=False),
        sa.Column("token_storage", sa.String(16), nullable=False),
        sa.Column("signed_in_at", UTC_TIME, nullable=False),
        sa.CheckConstraint("id = 1", name="ck_sync_account_single_row"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(100), nullable=False),
        sa.Column("cursor", sa.String(200), nullable=True),
        sa.Column("cursor_owner", sa.String(600), nullable=True),
        sa.Column("online", sa.Boolean(), nullable=True),
        sa.Column("last_attempt_at", UTC_TIME, nullable=True),
        sa.Column("last_success_at", UTC_TIME, nullable=True),
        sa.Column("failures", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("problem_kind", sa.String(32), nullable=True),
        sa.Column("problem_zh", sa.Text(), nullable=True),
        sa.Column("problem_en", sa.Text(), nullable=True),
        sa.Column("server_time", UTC_TIME, nullable=True),
        sa.Column("clock_skew_seconds", sa.Float(), nullable=True),
        sa.CheckConstraint("id = 1", name="ck_sync_state_single_row"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "sync_rounds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", UTC_TIME, nullable=False),
        sa.Column("finished_at", UTC_TIME, nullable=False),
        sa.Column("server_time", UTC_TIME, nullable=True),
        sa.Column("clock_skew_seconds", sa.Float(), nullable=True),
        sa.Column("pushed", sa.Integer(), nullable=False),
        sa.Column("pulled", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("conflicts", sa.Integer(), nullable=False),
        sa.Column("photos_sent", sa.Integer(), nullable=False),
        sa.Column("still_queued", sa.Integer(), nullable=False),
        sa.Column("problem_kind", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "version_sync",
        sa.Column("version_uuid", sa.String(64), nullable=False),
        sa.Column("origin", sa.String(8), nullable=False),
        sa.Column("filed_by", sa.String(64), nullable=True),
        sa.Column("server_parent_uuid", sa.String(64), nullable=True),
        sa.Column("server_version_no", sa.Integer(), nullable=True),
        sa.Column("server_status", sa.String(16), nullable=True),
        sa.Column("server_code", sa.String(64), nullable=True),
        sa.Column("message_zh", sa.Text(), nullable=True),
        sa.Column("message_en", sa.Text(), nullable=True),
        sa.Column("server_received_at", UTC_TIME, nullable=True),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.CheckConstraint("origin IN ('local', 'remote')", name="ck_version_sync_origin"),
        sa.ForeignKeyConstraint(["version_uuid"], ["report_versions.version_uuid"]),
        sa.PrimaryKeyConstraint("version_uuid"),
    )
    op.create_table(
        "server_versions",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_uuid", sa.String(64), nullable=False),
        sa.Column("report_uuid", sa.String(64), nullable=False),
        sa.Column("parent_version_uuid", sa.String(64), nullable=True),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("village_code", sa.String(12), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("submitted_by", sa.String(64), nullable=False),
        sa.Column("server_received_at", UTC_TIME, nullable=False),
        sa.Column("pulled_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("version_uuid"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_server_versions_report", "server_versions", ["report_uuid", "seq"])
    op.create_table(
        "photo_uploads",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("received", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("complete", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "roster_cache",
        sa.Column("assignment_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("post_code", sa.String(12), nullable=False),
        sa.Column("post_level", sa.String(16), nullable=False),
        sa.Column("post_role", sa.String(1), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("valid_from", UTC_TIME, nullable=False),
        sa.Column("valid_to", UTC_TIME, nullable=True),
        sa.PrimaryKeyConstraint("assignment_id"),
    )
    op.create_index("ix_roster_cache_post_code", "roster_cache", ["post_code"])
    op.create_table(
        "sync_conflicts",
        sa.Column("conflict_version_uuid", sa.String(64), nullable=False),
        sa.Column("report_uuid", sa.String(64), nullable=False),
        sa.Column("main_version_uuid", sa.String(64), nullable=False),
        sa.Column("detected_at", UTC_TIME, nullable=False),
        sa.Column("resolved_at", UTC_TIME, nullable=True),
        sa.Column("resolved_by_version_uuid", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("conflict_version_uuid"),
    )
    op.create_index("ix_sync_conflicts_report", "sync_conflicts", ["report_uuid"])
    op.execute(
        """
        INSERT INTO version_sync (version_uuid, origin, updated_at)
        SELECT version_uuid, 'local', updated_at FROM report_versions WHERE state <> 'draft'
        """
    )


def downgrade() -> None:
    op.drop_index("ix_sync_conflicts_report", table_name="sync_conflicts")
    op.drop_table("sync_conflicts")
    op.drop_index("ix_roster_cache_post_code", table_name="roster_cache")
    op.drop_table("roster_cache")
    op.drop_table("photo_uploads")
    op.drop_index("ix_server_versions_report", table_name="server_versions")
    op.drop_table("server_versions")
    op.drop_table("version_sync")
    op.drop_table("sync_rounds")
    op.drop_table("sync_state")
    op.drop_table("sync_account")

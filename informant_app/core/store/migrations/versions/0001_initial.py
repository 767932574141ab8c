"""The initial schema of the local store.

Revision ID: 0001
Revises:
Create Date: 2025-01-01 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.String(27)

FROZEN_TRIGGERS = (
    # A submitted version's content is immutable: a change is a new version.
    """
    CREATE TRIGGER tr_report_versions_frozen_content
    BEFORE UPDATE OF content, content_hash, report_uuid, version_no, parent_version_uuid
    ON report_versions
    WHEN OLD.state <> 'draft'
    BEGIN
        SELECT RAISE(ABORT, 'frozen report version: content is immutable');
    END
    """,
    # Once frozen, a version never becomes a draft again.
    """
    CREATE TRIGGER tr_report_versions_no_unfreeze
    BEFORE UPDATE OF state ON report_versions
    WHEN OLD.state <> 'draft' AND NEW.state = 'draft'
    BEGIN
        SELECT RAISE(ABORT, 'frozen report version cannot become a draft again');
    END
    """,
    # Only drafts may be deleted.
    """
    CREATE TRIGGER tr_report_versions_no_delete_frozen
    BEFORE DELETE ON report_versions
    WHEN OLD.state <> 'draft'
    BEGIN
        SELECT RAISE(ABORT, 'frozen report version cannot be deleted');
    END
    """,
)


def upgrade() -> None:
    op.create_table(
        "profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("informant_name", sa.String(100), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("role", sa.String(1), nullable=False),
        sa.Column("post_code", sa.String(12), nullable=False),
        sa.Column("village_codes", sa.Text(), nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.CheckConstraint("id = 1", name="ck_profile_single_row"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "events",
        sa.Column("event_uuid", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("disaster_type", sa.String(32), nullable=False),
        sa.Column("disaster_subtype", sa.String(32), nullable=True),
        sa.Column("occurred_at", UTC_TIME, nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("event_uuid"),
    )
    op.create_table(
        "report_versions",
        sa.Column("version_uuid", sa.String(64), nullable=False),
        sa.Column("report_uuid", sa.String(64), nullable=False),
        sa.Column("parent_version_uuid", sa.String(64), nullable=True),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("is_latest", sa.Boolean(), nullable=False),
        sa.Column("event_uuid", sa.String(64), nullable=False),
        sa.Column("village_code", sa.String(12), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.Column("submitted_at", UTC_TIME, nullable=True),
        sa.CheckConstraint(
            "state IN ('draft', 'queued', 'sending', 'received', 'conflict', 'error')",
            name="ck_report_versions_state",
        ),
        sa.CheckConstraint(
            "stage IN ('initial', 'continuing', 'verified')", name="ck_report_versions_stage"
        ),
        sa.CheckConstraint(
            "state = 'draft' OR content_hash IS NOT NULL", name="ck_report_versions_frozen_hash"
        ),
        sa.ForeignKeyConstraint(["parent_version_uuid"], ["report_versions.version_uuid"]),
        sa.PrimaryKeyConstraint("version_uuid"),
        sa.UniqueConstraint("report_uuid", "version_no", name="uq_report_versions_report_no"),
    )
    op.create_index(
        "ux_report_versions_latest",
        "report_versions",
        ["report_uuid"],
        unique=True,
        sqlite_where=sa.text("is_latest = 1"),
    )
    op.create_index(
        "ix_report_versions_list", "report_versions", ["is_latest", "created_at", "version_uuid"]
    )
    for name, column in (("state", "state"), ("stage", "stage"), ("event", "event_uuid")):
        op.create_index(
            f"ix_report_versions_list_{name}",
            "report_versions",
            ["is_latest", column, "created_at", "version_uuid"],
        )
    op.create_index(
        "ix_report_versions_event_village",
        "report_versions",
        ["event_uuid", "village_code", "submitted_at"],
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_uuid", sa.String(64), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["version_uuid"], ["report_versions.version_uuid"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version_uuid"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "photos",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("mime", sa.String(40), nullable=False),
        sa.Column("original_name", sa.String(255), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "version_photos",
        sa.Column("version_uuid", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_uuid"], ["report_versions.version_uuid"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["sha256"], ["photos.sha256"]),
        sa.PrimaryKeyConstraint("version_uuid", "sha256"),
    )
    op.create_index("ix_version_photos_sha256", "version_photos", ["sha256"])
    for trigger in FROZEN_TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS tr_report_versions_no_delete_frozen")
    op.execute("DROP TRIGGER IF EXISTS tr_report_versions_no_unfreeze")
    op.execute("DROP TRIGGER IF EXISTS tr_report_versions_frozen_content")
    op.drop_index("ix_version_photos_sha256", table_name="version_photos")
    op.drop_table("version_photos")
    op.drop_table("photos")
    op.drop_table("outbox")
    for name in (
        "ix_report_versions_event_village",
        "ix_report_versions_list_event",
        "ix_report_versions_list_stage",
        "ix_report_versions_list_state",
        "ix_report_versions_list",
        "ux_report_versions_latest",
    ):
        op.drop_index(name, table_name="report_versions")
    op.drop_table("report_versions")
    op.drop_table("events")
    op.drop_table("profile")

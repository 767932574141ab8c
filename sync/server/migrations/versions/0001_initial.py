"""The first schema: divisions, accounts and devices, the A/B roster, reports, photos, changes.

Revision ID: 0001
Revises:
Create Date: 2024-07-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "divisions",
        sa.Column("code", sa.String(12), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("parent_code", sa.String(12), nullable=True, index=True),
        sa.Column("official", sa.Boolean(), nullable=False),
        sa.Column("vintage", sa.String(16), nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column(
            "jurisdiction_code", sa.String(12), sa.ForeignKey("divisions.code"), nullable=False
        ),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("disabled_at", TS, nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_failed_at", TS, nullable=True),
        sa.Column("locked_until", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.CheckConstraint(
            "role IN ('village_informant', 'township_reviewer', 'county_admin', 'city_admin')",
            name="ck_users_role",
        ),
    )
    op.create_table(
        "devices",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column(
            "user_id", sa.BigInteger(), sa.ForeignKey("users.id"), nullable=False, index=True
        ),
        sa.Column("device_id", sa.String(100), nullable=False, index=True),
        sa.Column("device_name", sa.String(200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_seen_at", TS, nullable=True),
        sa.Column("clock_skew_seconds", sa.Float(), nullable=True),
        sa.UniqueConstraint("user_id", "device_id", name="uq_devices_user_device"),
    )
    op.create_table(
        "tokens",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column(
            "device_pk", sa.BigInteger(), sa.ForeignKey("devices.id"), nullable=False, index=True
        ),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("issued_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
    )
    op.create_table(
        "posts",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column(
            "division_code",
            sa.String(12),
            sa.ForeignKey("divisions.code"),
            nullable=False,
            unique=True,
        ),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "assignments",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column(
            "post_id", sa.BigInteger(), sa.ForeignKey("posts.id"), nullable=False, index=True
        ),
        sa.Column(
            "user_id", sa.BigInteger(), sa.ForeignKey("users.id"), nullable=False, index=True
        ),
        sa.Column("post_role", sa.String(1), nullable=False),
        sa.Column("valid_from", TS, nullable=False),
        sa.Column("valid_to", TS, nullable=True),
        sa.CheckConstraint("post_role IN ('A', 'B')", name="ck_assignments_post_role"),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from", name="ck_assignments_period"
        ),
    )
    # At most one active A and one active B per post: a partial unique index, the same SQL on
    # PostgreSQL and SQLite.  An assignment is active while valid_to is NULL.
    active = sa.text("valid_to IS NULL")
    op.create_index(
        "uq_assignments_active_role",
        "assignments",
        ["post_id", "post_role"],
        unique=True,
        postgresql_where=active,
        sqlite_where=active,
    )
    op.create_index(
        "uq_assignments_active_user",
        "assignments",
        ["post_id", "user_id"],
        unique=True,
        postgresql_where=active,
        sqlite_where=active,
    )
    op.create_table(
        "reports",
        sa.Column("report_uuid", sa.String(64), primary_key=True),
        sa.Column("village_code", sa.String(12), nullable=False, index=True),
        sa.Column("event_uuid", sa.String(64), nullable=False, index=True),
        sa.Column("first_version_uuid", sa.String(64), nullable=False),
        sa.Column("current_version_uuid", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "report_versions",
        sa.Column("version_uuid", sa.String(64), primary_key=True),
        sa.Column("report_uuid", sa.String(64), nullable=False, index=True),
        sa.Column("parent_version_uuid", sa.String(64), nullable=True),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("village_code", sa.String(12), nullable=False, index=True),
        sa.Column("event_uuid", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("content_json", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("submitted_at", TS, nullable=True),
        sa.Column("device_time", TS, nullable=True),
        sa.Column("server_received_at", TS, nullable=False),
        sa.Column("clock_skew_seconds", sa.Float(), nullable=True),
        sa.Column("user_id", sa.BigInteger(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("device_pk", sa.BigInteger(), sa.ForeignKey("devices.id"), nullable=False),
        sa.CheckConstraint("status IN ('accepted', 'conflict')", name="ck_versions_status"),
    )
    op.create_table(
        "version_photos",
        sa.Column(
            "version_uuid",
            sa.String(64),
            sa.ForeignKey("report_versions.version_uuid"),
            primary_key=True,
        ),
        sa.Column("sha256", sa.String(64), primary_key=True, index=True),
        sa.Column("village_code", sa.String(12), nullable=False),
    )
    op.create_table(
        "photos",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("completed_at", TS, nullable=True),
    )
    op.create_table(
        "change_log",
        sa.Column("seq", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("division_code", sa.String(12), nullable=False, index=True),
        sa.Column("ref", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        # The writing transaction's id: rows are read in (txid, seq) order and only below the
        # reader's snapshot xmin, so a late commit is never skipped (services/changes.py).
        op.execute(
            "ALTER TABLE change_log ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id()"
        )
        op.execute("CREATE INDEX ix_change_log_txid_seq ON change_log (txid, seq)")


def downgrade() -> None:
    for table in (
        "change_log",
        "photos",
        "version_photos",
        "report_versions",
        "reports",
        "assignments",
        "posts",
        "tokens",
        "devices",
        "users",
        "divisions",
    ):
        op.drop_table(table)

"""Security (issue 18): the security log, sign-in throttling, token idle time, photo uploads.

- ``security_events``: sign-ins, failures, slowdowns, set-up codes issued and redeemed,
  password and role changes, device revocations, account disables (never a secret).
- ``login_attempts``: each sign-in try by client address and typed user name (known or not),
  so per-address and per-name slowdowns are counted in the database (any process sees them).
- ``tokens.last_used_at``: a token unused longer than the idle time stops working.
- ``provision_failures.device_id``: failed set-up code tries count per address and device.
- ``photo_uploads``: one partial upload per photo and device (another device's claim of the
  same hash never blocks it); ``photo_access``: the villages whose devices proved they hold a
  photo's bytes (a photo is read by jurisdiction, not by knowing its hash).
- ``report_versions.device_submitted_at`` / ``time_flag``: the filing time the device claimed
  when the server corrected it, and why.
- An index on ``report_versions (user_id, server_received_at)`` for the per-account quota.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "security_events",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("username", sa.String(64), nullable=False, server_default=""),
        sa.Column("user_id", sa.BigInteger(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("actor", sa.String(64), nullable=False, server_default=""),
        sa.Column("client", sa.String(64), nullable=False, server_default=""),
        sa.Column("device_id", sa.String(100), nullable=False, server_default=""),
        sa.Column("detail", sa.Text(), nullable=False, server_default="{}"),
    )
    op.create_index("ix_security_events_at", "security_events", ["at"])
    op.create_index("ix_security_events_user", "security_events", ["user_id", "at"])
    op.create_table(
        "login_attempts",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("client_key", sa.String(64), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_login_attempts_client", "login_attempts", ["client_key", "at"])
    op.create_index("ix_login_attempts_username", "login_attempts", ["username", "at"])
    op.create_index("ix_login_attempts_at", "login_attempts", ["at"])
    op.add_column("tokens", sa.Column("last_used_at", TS, nullable=True))
    op.add_column(
        "provision_failures",
        sa.Column("device_id", sa.String(100), nullable=False, server_default=""),
    )
    op.create_table(
        "photo_uploads",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("device_pk", sa.BigInteger(), sa.ForeignKey("devices.id"), nullable=False),
        sa.Column("user_id", sa.BigInteger(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("received", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("sha256", "device_pk", name="uq_photo_uploads_sha_device"),
    )
    op.create_index("ix_photo_uploads_user", "photo_uploads", ["user_id"])
    op.create_index("ix_photo_uploads_updated", "photo_uploads", ["updated_at"])
    op.create_table(
        "photo_access",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("village_code", sa.String(12), primary_key=True),
        sa.Column("granted_at", TS, nullable=False),
    )
    op.add_column("report_versions", sa.Column("device_submitted_at", TS, nullable=True))
    op.add_column("report_versions", sa.Column("time_flag", sa.String(24), nullable=True))
    op.create_index(
        "ix_versions_user_received", "report_versions", ["user_id", "server_received_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_versions_user_received", table_name="report_versions")
    for column in ("time_flag", "device_submitted_at"):
        op.drop_column("report_versions", column)
    op.drop_table("photo_access")
    op.drop_index("ix_photo_uploads_updated", table_name="photo_uploads")
    op.drop_index("ix_photo_uploads_user", table_name="photo_uploads")
    op.drop_table("photo_uploads")
    op.drop_column("provision_failures", "device_id")
    op.drop_column("tokens", "last_used_at")
    op.drop_index("ix_login_attempts_at", table_name="login_attempts")
    op.drop_index("ix_login_attempts_username", table_name="login_attempts")
    op.drop_index("ix_login_attempts_client", table_name="login_attempts")
    op.drop_table("login_attempts")
    op.drop_index("ix_security_events_user", table_name="security_events")
    op.drop_index("ix_security_events_at", table_name="security_events")
    op.drop_table("security_events")

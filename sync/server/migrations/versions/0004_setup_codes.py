"""One-time set-up codes, and the failed tries that throttle their redemption.

Adds the tables ``setup_codes`` (only the code's SHA-256, the account, who issued it, when it
was made, expires, was used and by which device, or was revoked by a newer code) and
``provision_failures`` (client address and time of each failed try).  New tables only: the
same DDL on SQLite and PostgreSQL, nothing to copy or backfill.

Revision ID: 0004
Revises: 0003
Create Date: 2024-09-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "setup_codes",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "user_id", sa.BigInteger(), sa.ForeignKey("users.id"), nullable=False, index=True
        ),
        sa.Column("issued_by", sa.BigInteger(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS, nullable=True),
        sa.Column("used_by_device", sa.BigInteger(), sa.ForeignKey("devices.id"), nullable=True),
        sa.Column("revoked_at", TS, nullable=True),
    )
    op.create_table(
        "provision_failures",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("client_key", sa.String(64), nullable=False),
        sa.Column("failed_at", TS, nullable=False, index=True),
    )
    op.create_index(
        "ix_provision_failures_client", "provision_failures", ["client_key", "failed_at"]
    )


def downgrade() -> None:
    op.drop_table("provision_failures")
    op.drop_table("setup_codes")

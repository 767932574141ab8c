"""Change feed: who filed a pulled version (name, A/B) and each report's current version.

Revision ID: 0005
Revises: 0004
Create Date: 2025-03-15 00:00:00

Additive only.  ``server_versions`` gains ``submitted_by_name`` and ``post_role`` (null when
the server did not say: older servers, or rows pulled before this revision; readers fall back
to the cached roster).  ``server_reports`` keeps each report's current version as the server
named it in the change read last (``current_version_uuid`` of a ``report_version`` change).
The cursor is kept: rows without the new values keep the old inference until pulled again.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.String(27)


def upgrade() -> None:
    with op.batch_alter_table("server_versions") as batch:
        batch.add_column(sa.Column("submitted_by_name", sa.String(100), nullable=True))
        batch.add_column(sa.Column("post_role", sa.String(1), nullable=True))
    op.create_table(
        "server_reports",
        sa.Column("report_uuid", sa.String(64), nullable=False),
        sa.Column("current_version_uuid", sa.String(64), nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("report_uuid"),
    )


def downgrade() -> None:
    op.drop_table("server_reports")
    with op.batch_alter_table("server_versions") as batch:
        batch.drop_column("post_role")
        batch.drop_column("submitted_by_name")

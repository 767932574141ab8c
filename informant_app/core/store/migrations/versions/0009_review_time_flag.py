"""Review queue: a filing time the server corrected.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 00:00:00

Additive.  ``version_reviews`` gains ``time_flag``: why the server corrected the filing time a
device claimed (``skew_corrected``, ``future`` or ``too_old``; docs/security.md), from the
change feed.  With it set, the row's ``submitted_at`` is the time the server keeps; the
content keeps the device's claim.  Rows pulled before this revision stay null and show the
claim, as before.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("version_reviews") as batch:
        batch.add_column(sa.Column("time_flag", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("version_reviews") as batch:
        batch.drop_column("time_flag")

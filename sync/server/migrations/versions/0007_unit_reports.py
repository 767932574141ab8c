"""County review and the county and city reports (issue 16).

Adds three tables, the same for every level above the township (``level`` says which):

- ``unit_decisions``: a county's decision on a township report, or the city's on a county
  report: pass or return (a return has a reason), who, in which A/B role, when.  One decision
  per submission (a unique ``submission_uuid``): the first one wins, a passed report is frozen.
- ``unit_adjustments``: a county's or the city's explicit adjustment of one figure, with its
  reason (rule 12 at every level).
- ``unit_reports``: a county or city report as submitted: its figures, the per-unit rows it
  added up (分乡镇/分县数据, with their submission ids) and the adjustments.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _who() -> list[sa.Column[object]]:
    """Return the columns that say who did it, in which role, from which device, when."""
    return [
        sa.Column("user_id", sa.BigInteger(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("post_role", sa.String(1), nullable=True),
        sa.Column("device_pk", sa.BigInteger(), sa.ForeignKey("devices.id"), nullable=False),
        sa.Column("server_received_at", TS, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "unit_decisions",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("decision_uuid", sa.String(64), nullable=False, unique=True),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("submission_uuid", sa.String(64), nullable=False, unique=True),
        sa.Column("unit_code", sa.String(12), sa.ForeignKey("divisions.code"), nullable=False),
        sa.Column("event_uuid", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("decision", sa.String(8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        *_who(),
        sa.CheckConstraint("level IN ('township', 'county')", name="ck_unit_decisions_level"),
        sa.CheckConstraint("decision IN ('pass', 'return')", name="ck_unit_decisions_decision"),
    )
    op.create_index("ix_unit_decisions_unit", "unit_decisions", ["unit_code", "event_uuid"])
    op.create_table(
        "unit_adjustments",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("adjustment_uuid", sa.String(64), nullable=False, unique=True),
        sa.Column("unit_code", sa.String(12), sa.ForeignKey("divisions.code"), nullable=False),
        sa.Column("event_uuid", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("delta", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        *_who(),
    )
    op.create_index(
        "ix_unit_adjustments_key", "unit_adjustments", ["unit_code", "event_uuid", "stage"]
    )
    op.create_table(
        "unit_reports",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("submission_uuid", sa.String(64), nullable=False, unique=True),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("unit_code", sa.String(12), sa.ForeignKey("divisions.code"), nullable=False),
        sa.Column("event_uuid", sa.String(64), nullable=False),
        sa.Column("event_name", sa.String(200), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("data_cutoff_at", TS, nullable=True),
        sa.Column("figures_json", sa.Text(), nullable=False),
        sa.Column("rows_json", sa.Text(), nullable=False),
        sa.Column("adjustments_json", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        *_who(),
        sa.CheckConstraint("level IN ('county', 'city')", name="ck_unit_reports_level"),
    )
    op.create_index("ix_unit_reports_key", "unit_reports", ["unit_code", "event_uuid", "stage"])


def downgrade() -> None:
    op.execute("DELETE FROM change_log WHERE kind = 'unit_decision'")
    for table in ("unit_reports", "unit_adjustments", "unit_decisions"):
        op.drop_table(table)

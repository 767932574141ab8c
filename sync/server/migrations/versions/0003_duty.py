"""A/B duty: absences, handovers, event openings, and the filing role of each version.

Adds the tables ``absences``, ``handovers``, ``event_openings`` and
``event_opening_villages``; ``assignments.reason``, ``ended_reason``, ``created_by`` and
``ended_by``; ``report_versions.filing_role`` and ``acting_for_user_id``.  The columns of
``assignments`` go in through batch mode (on SQLite the table is copied and moved, keeping its
partial unique indexes and CHECK constraints); those of ``report_versions``, a table others
refer to, by plain ``ALTER TABLE … ADD COLUMN`` with column constraints, the same SQL on
SQLite (3.35 or newer) and PostgreSQL.

Existing versions get a filing role from their stored ``post_role`` (there were no absences
before this revision): ``A`` stays ``A``; a ``B`` filing is ``B_while_A_on_duty`` when the
post had an A when the version arrived, else ``B_acting``.

Revision ID: 0003
Revises: 0002
Create Date: 2024-08-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
FILING_ROLE_CHECK = "filing_role IS NULL OR filing_role IN ('A', 'B_acting', 'B_while_A_on_duty')"

#: The new columns of report_versions, each with its own constraint: the same SQL on both
#: databases.  (Batch mode would copy the table on SQLite, and dropping the old copy trips the
#: foreign keys of decisions and version_photos that point at it.)
VERSION_COLUMNS = (
    f"filing_role VARCHAR(24) CONSTRAINT ck_versions_filing_role CHECK ({FILING_ROLE_CHECK})",
    "acting_for_user_id BIGINT CONSTRAINT fk_versions_acting_for REFERENCES users (id)",
)

#: A filing role for the versions stored before this revision, from their sender's role.
BACKFILL_FILING_ROLE = """
UPDATE report_versions SET filing_role = CASE
    WHEN post_role = 'A' THEN 'A'
    WHEN post_role = 'B' THEN CASE WHEN EXISTS (
        SELECT 1 FROM assignments a JOIN posts p ON p.id = a.post_id
        WHERE p.division_code = report_versions.village_code AND a.post_role = 'A'
          AND a.valid_from <= report_versions.server_received_at
          AND (a.valid_to IS NULL OR a.valid_to > report_versions.server_received_at))
        THEN 'B_while_A_on_duty' ELSE 'B_acting' END
    ELSE NULL END
"""


def _user_ref(name: str, nullable: bool = True, fk_name: str | None = None) -> sa.Column[int]:
    return sa.Column(
        name, sa.BigInteger(), sa.ForeignKey("users.id", name=fk_name), nullable=nullable
    )


def upgrade() -> None:
    with op.batch_alter_table("assignments") as batch:
        batch.add_column(sa.Column("reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("ended_reason", sa.Text(), nullable=True))
        batch.add_column(_user_ref("created_by", fk_name="fk_assignments_created_by"))
        batch.add_column(_user_ref("ended_by", fk_name="fk_assignments_ended_by"))
    for column in VERSION_COLUMNS:
        op.execute(f"ALTER TABLE report_versions ADD COLUMN {column}")
    op.execute(BACKFILL_FILING_ROLE)
    op.create_table(
        "absences",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("absence_uuid", sa.String(64), nullable=False, unique=True),
        sa.Column("post_id", sa.BigInteger(), sa.ForeignKey("posts.id"), nullable=False),
        sa.Column(
            "assignment_id", sa.BigInteger(), sa.ForeignKey("assignments.id"), nullable=False
        ),
        _user_ref("user_id", nullable=False),
        sa.Column("starts_at", TS, nullable=False),
        sa.Column("ends_at", TS, nullable=False),
        sa.Column("ended_at", TS, nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _user_ref("created_by"),
        sa.Column("created_at", TS, nullable=False),
        sa.CheckConstraint("kind IN ('leave', 'away', 'unreachable')", name="ck_absences_kind"),
        sa.CheckConstraint("ends_at > starts_at", name="ck_absences_period"),
    )
    op.create_index("ix_absences_post_user", "absences", ["post_id", "user_id"])
    op.create_table(
        "handovers",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("handover_uuid", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "post_id", sa.BigInteger(), sa.ForeignKey("posts.id"), nullable=False, index=True
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        _user_ref("from_user_id", nullable=False),
        _user_ref("to_user_id"),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("open_items_json", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        _user_ref("created_by"),
        _user_ref("signed_off_by"),
        sa.Column("signed_off_at", TS, nullable=True),
        sa.Column("sign_off_note", sa.Text(), nullable=True),
        sa.Column("absence_id", sa.BigInteger(), sa.ForeignKey("absences.id"), nullable=True),
        sa.Column("assignment_id", sa.BigInteger(), sa.ForeignKey("assignments.id"), nullable=True),
        sa.CheckConstraint("kind IN ('assignment', 'absence')", name="ck_handovers_kind"),
    )
    op.create_table(
        "event_openings",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("township_code", sa.String(12), sa.ForeignKey("divisions.code"), nullable=False),
        sa.Column("event_uuid", sa.String(64), nullable=False, index=True),
        sa.Column("event_name", sa.String(200), nullable=False),
        sa.Column("disaster_type", sa.String(32), nullable=False),
        sa.Column("occurred_at", TS, nullable=True),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("closed_at", TS, nullable=True),
        _user_ref("opened_by"),
        sa.Column("deadlines_json", sa.Text(), nullable=False),
        sa.UniqueConstraint("township_code", "event_uuid", name="uq_event_openings_key"),
    )
    op.create_table(
        "event_opening_villages",
        sa.Column(
            "opening_id", sa.BigInteger(), sa.ForeignKey("event_openings.id"), primary_key=True
        ),
        sa.Column("village_code", sa.String(12), primary_key=True, index=True),
        sa.Column("opened_at", TS, nullable=False),
    )


def downgrade() -> None:
    op.execute("DELETE FROM change_log WHERE kind IN ('absence', 'handover', 'event_opening')")
    for table in ("event_opening_villages", "event_openings", "handovers", "absences"):
        op.drop_table(table)
    for column in ("acting_for_user_id", "filing_role"):
        op.execute(f"ALTER TABLE report_versions DROP COLUMN {column}")
    with op.batch_alter_table("assignments") as batch:
        for column in ("ended_by", "created_by", "ended_reason", "reason"):
            batch.drop_column(column)

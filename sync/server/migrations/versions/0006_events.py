"""The disaster-event registry (issue 16): one ``events`` row per event, and merges.

``events`` holds every ``event_uuid`` ever named: its name, disaster type, the county of its
area, the division that opened it (a village by its first report, or a township, county or
city), when it occurred, opened and closed, and ``merged_into`` (the canonical event a merged
one follows; its reports keep their own ``event_uuid``).

Backfill, set-based: for each ``event_uuid`` the earliest of the townships' openings and the
accepted report versions that name it opens the event (an opening wins a tie); name, type and
time of occurrence of a version come from its stored content (JSON).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

_COLUMNS = (
    "event_uuid, name, disaster_type, county_code, opened_level, opened_code, "
    "occurred_at, opened_at, closed_at, created_by"
)


def _json_fields(dialect: str) -> tuple[str, str, str]:
    """Return SQL for a version's event name, disaster type and time of occurrence."""
    if dialect == "postgresql":
        doc = "CAST(v.content_json AS json)"
        return (
            f"({doc} ->> 'event_name')",
            f"({doc} ->> 'disaster_type')",
            f"CAST({doc} ->> 'occurred_at' AS timestamptz)",
        )
    # SQLite keeps times as 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC), as SQLAlchemy writes them.
    return (
        "json_extract(v.content_json, '$.event_name')",
        "json_extract(v.content_json, '$.disaster_type')",
        "strftime('%Y-%m-%d %H:%M:%f', json_extract(v.content_json, '$.occurred_at')) || '000'",
    )


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("event_uuid", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("disaster_type", sa.String(32), nullable=False),
        sa.Column("county_code", sa.String(12), nullable=True),
        sa.Column("opened_level", sa.String(16), nullable=False),
        sa.Column("opened_code", sa.String(12), nullable=False),
        sa.Column("occurred_at", TS, nullable=True),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("closed_at", TS, nullable=True),
        sa.Column("merged_into", sa.String(64), nullable=True),
        sa.Column("merged_at", TS, nullable=True),
        sa.Column(
            "created_by",
            sa.BigInteger(),
            sa.ForeignKey("users.id", name="fk_events_created_by"),
            nullable=True,
        ),
        sa.UniqueConstraint("event_uuid", name="uq_events_event_uuid"),
    )
    op.create_index("ix_events_area", "events", ["county_code", "disaster_type", "occurred_at"])
    op.create_index("ix_events_opened_code", "events", ["opened_code"])
    op.create_index("ix_events_merged_into", "events", ["merged_into"])
    dialect = op.get_bind().dialect.name
    name, kind, occurred = _json_fields(dialect)
    county = "substr({0}, 1, 6) || '000000'"
    op.execute(
        f"""
        INSERT INTO events ({_COLUMNS})
        SELECT {_COLUMNS} FROM (
            SELECT c.*, ROW_NUMBER() OVER (
                PARTITION BY c.event_uuid ORDER BY c.opened_at, c.source, c.opened_code
            ) AS rn
            FROM (
                SELECT o.event_uuid, o.event_name AS name, o.disaster_type,
                       {county.format("o.township_code")} AS county_code,
                       'township' AS opened_level, o.township_code AS opened_code,
                       o.occurred_at, o.opened_at, o.closed_at, o.opened_by AS created_by,
                       0 AS source
                FROM event_openings o
                UNION ALL
                SELECT v.event_uuid, {name} AS name, {kind} AS disaster_type,
                       {county.format("v.village_code")} AS county_code,
                       'village' AS opened_level, v.village_code AS opened_code,
                       {occurred} AS occurred_at, v.server_received_at AS opened_at,
                       NULL AS closed_at, v.user_id AS created_by, 1 AS source
                FROM report_versions v
                WHERE v.status = 'accepted'
            ) c
        ) r
        WHERE r.rn = 1
        """
    )


def downgrade() -> None:
    op.drop_index("ix_events_merged_into", table_name="events")
    op.drop_index("ix_events_opened_code", table_name="events")
    op.drop_index("ix_events_area", table_name="events")
    op.drop_table("events")

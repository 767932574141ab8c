"""The division table in the database: loaded from the contract's table, read back as one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.contract import Division, DivisionLevel, DivisionTable, default_divisions
from sync.server.dialect import insert_ignore
from sync.server.models import DivisionRow


def load_divisions(session: Session, table: DivisionTable | None = None) -> int:
    """Insert the divisions of ``table`` (default: the bundled one) that are missing.

    Returns:
        The number of divisions added (0 when re-run).
    """
    table = table or default_divisions()
    rows = [
        {
            "code": d.code,
            "name": d.name,
            "short_name": d.short_name,
            "level": d.level.value,
            "parent_code": d.parent_code,
            "official": d.official,
            "vintage": table.vintage,
            "revision": 1,
        }
        for d in table
    ]
    if not rows:
        return 0
    before = session.query(DivisionRow).count()
    session.execute(insert_ignore(session, DivisionRow, ["code"]), rows)
    return session.query(DivisionRow).count() - before


def add_division(session: Session, division: Division, vintage: str = "") -> None:
    """Add one division (a no-op when its code exists)."""
    session.execute(
        insert_ignore(session, DivisionRow, ["code"]),
        [
            {
                "code": division.code,
                "name": division.name,
                "short_name": division.short_name,
                "level": division.level.value,
                "parent_code": division.parent_code,
                "official": division.official,
                "vintage": vintage,
            }
        ],
    )


def division_table(session: Session) -> DivisionTable:
    """Return the divisions stored in the database as a contract ``DivisionTable``."""
    rows = session.scalars(select(DivisionRow)).all()
    vintage = rows[0].vintage if rows else ""
    return DivisionTable(
        (
            Division(
                r.code,
                r.name,
                DivisionLevel(r.level),
                r.parent_code,
                r.official,
                retired=r.retired_vintage is not None,
                short_name=r.short_name,
            )
            for r in rows
        ),
        vintage=vintage,
    )

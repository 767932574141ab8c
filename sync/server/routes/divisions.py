"""``GET /api/v1/divisions``: the division table (public reference data for signed-in users)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.contract import is_valid_code
from sync.server.deps import CallerDep, SessionDep
from sync.server.errors import NOT_FOUND, ApiError
from sync.server.jurisdiction import within_sql
from sync.server.models import DivisionRow
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.schemas.divisions import DivisionOut, DivisionsOut
from sync.server.services.divisions import max_revision

router = APIRouter(prefix="/api/v1", tags=["divisions"], responses=COMMON_ERRORS)

#: The most levels above a division (village → township → county → city → province).
_MAX_DEPTH = 8


@router.get("/divisions", response_model=DivisionsOut, responses=error_responses(401, 404))
def divisions(
    caller: CallerDep,
    session: SessionDep,
    under: Annotated[
        str | None, Query(description="Only this division, those inside and its ancestors.")
    ] = None,
) -> DivisionsOut:
    """Return the divisions (codes, names, short names, levels, parents, retired or not).

    With ``under``, the subtree of that division and the chain of its ancestors (so a device
    can show full names).  Retired codes are included, marked, for the history of old reports.
    ``vintage`` is the newest table in force, ``revision`` the table's revision.
    """
    query = select(DivisionRow).order_by(DivisionRow.code)
    if under is not None:
        if not is_valid_code(under):
            raise ApiError(NOT_FOUND)
        query = query.where(within_sql(DivisionRow.code, under))
    rows = list(session.scalars(query).all())
    if under is not None:
        if not rows:
            raise ApiError(NOT_FOUND)
        rows = _ancestors(session, rows[0] if rows[0].code == under else None, under) + rows
    vintages = [r.vintage for r in rows if r.retired_vintage is None and r.vintage]
    return DivisionsOut(
        vintage=max(vintages) if vintages else "",
        revision=max_revision(session),
        divisions=[
            DivisionOut(
                code=r.code,
                name=r.name,
                level=r.level,
                parent_code=r.parent_code,
                official=r.official,
                short_name=r.short_name or r.name,
                retired=r.retired_vintage is not None,
            )
            for r in rows
        ],
    )


def _ancestors(session: Session, top: DivisionRow | None, under: str) -> list[DivisionRow]:
    """Return the ancestors of ``under`` from the top of the table down (not ``under``)."""
    chain: list[DivisionRow] = []
    parent = top.parent_code if top is not None else None
    seen = {under}
    while parent is not None and parent not in seen and len(chain) < _MAX_DEPTH:
        seen.add(parent)
        row = session.get(DivisionRow, parent)
        if row is None:
            break
        chain.append(row)
        parent = row.parent_code
    return list(reversed(chain))

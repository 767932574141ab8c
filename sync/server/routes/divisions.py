"""``GET /api/v1/divisions``: the division table (public reference data for signed-in users)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from sync.contract import is_valid_code
from sync.server.deps import CallerDep, SessionDep
from sync.server.errors import NOT_FOUND, ApiError
from sync.server.jurisdiction import within_sql
from sync.server.models import DivisionRow
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.schemas.divisions import DivisionOut, DivisionsOut

router = APIRouter(prefix="/api/v1", tags=["divisions"], responses=COMMON_ERRORS)


@router.get("/divisions", response_model=DivisionsOut, responses=error_responses(401, 404))
def divisions(
    caller: CallerDep,
    session: SessionDep,
    under: Annotated[str | None, Query(description="Only this division and those inside.")] = None,
) -> DivisionsOut:
    """Return the divisions (codes, names, levels, parents) with the table's vintage."""
    query = select(DivisionRow).order_by(DivisionRow.code)
    if under is not None:
        if not is_valid_code(under):
            raise ApiError(NOT_FOUND)
        query = query.where(within_sql(DivisionRow.code, under))
    rows = session.scalars(query).all()
    if under is not None and not rows:
        raise ApiError(NOT_FOUND)
    return DivisionsOut(
        vintage=rows[0].vintage if rows else "",
        divisions=[
            DivisionOut(
                code=r.code,
                name=r.name,
                level=r.level,
                parent_code=r.parent_code,
                official=r.official,
            )
            for r in rows
        ],
    )

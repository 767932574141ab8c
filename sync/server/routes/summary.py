"""``GET /api/v1/summary/{code}?year=YYYY``: the year's summary of a city, county or township.

County and city admins read it for their jurisdiction and every unit inside it, a township
reviewer for its own township; anything else (a village informant, a unit outside the reach, a
village or unknown code) is 404, and anonymous callers get 401.  Each call is logged.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from sync.server.deps import CallerDep, NowDep, SessionDep
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.schemas.summary import YearSummaryOut
from sync.server.services.year_summary import CHINA, year_summary

router = APIRouter(prefix="/api/v1/summary", tags=["summary"], responses=COMMON_ERRORS)


@router.get("/{code}", response_model=YearSummaryOut, responses=error_responses(401, 404, 422))
def summary(
    code: str,
    caller: CallerDep,
    session: SessionDep,
    now: NowDep,
    year: Annotated[
        int | None, Query(ge=1949, le=9999, description="The year (China time); default: now.")
    ] = None,
) -> YearSummaryOut:
    """The year's summary: events, people affected (人次), deaths, missing, crops, houses, loss.

    For a city a row per county, for a county a row per township, for a township a row per
    village; each village counts with its latest approved figures of every event of the year.
    """
    wanted = year if year is not None else now.astimezone(CHINA).year
    return YearSummaryOut.model_validate(year_summary(session, caller, code, wanted))

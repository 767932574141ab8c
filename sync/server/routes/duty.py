"""``GET /api/v1/duty``: the deadlines of the open events as the server sees them, and alerts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from sync.server.deps import CallerDep, NowDep, SessionDep, SettingsDep
from sync.server.jurisdiction import check_under
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.schemas.duty import DutyOut
from sync.server.services.duty_view import duty_view

router = APIRouter(prefix="/api/v1", tags=["duty"], responses=COMMON_ERRORS)


@router.get("/duty", response_model=DutyOut, responses=error_responses(401, 404))
def duty(
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    under: Annotated[str | None, Query(description="A division code within your reach.")] = None,
) -> DutyOut:
    """Return each open event's villages with their deadline windows, and your alerts.

    A window is ``waiting``, ``escalated`` (half its span gone: B is alerted, the township
    sees it flagged), ``overdue``, ``filed`` or ``filed_late``.
    """
    code = check_under(caller, under)
    return DutyOut.model_validate(
        duty_view(session, caller, code, now, settings.deadlines, settings.level_deadlines)
    )

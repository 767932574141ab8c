"""``GET /api/v1/roster``: posts and their active A and B, within the caller's reach."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from sync.server.deps import CallerDep, SessionDep
from sync.server.jurisdiction import check_under
from sync.server.schemas.common import error_responses
from sync.server.schemas.roster import RosterOut
from sync.server.services.reads import roster as roster_rows

router = APIRouter(prefix="/api/v1", tags=["roster"])


@router.get("/roster", response_model=RosterOut, responses=error_responses(401, 404))
def roster(
    caller: CallerDep, session: SessionDep,
    under: Annotated[str | None, Query(description="A division code within your reach.")] = None,
) -> RosterOut:
    """List the posts inside ``under`` (default: your reach) with who holds A and B."""
    code = check_under(caller, under)
    return RosterOut.model_validate({"under": code, "posts": roster_rows(session, caller, code)})

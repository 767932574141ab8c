"""``GET /api/v1/users``: the accounts a manager may assign to posts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from sync.server.deps import CallerDep, SessionDep
from sync.server.jurisdiction import check_under
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.schemas.duty import UsersOut
from sync.server.services.roster_reads import list_users

router = APIRouter(prefix="/api/v1", tags=["roster"], responses=COMMON_ERRORS)


@router.get("/users", response_model=UsersOut, responses=error_responses(401, 403, 404))
def users(
    caller: CallerDep,
    session: SessionDep,
    under: Annotated[str | None, Query(description="A division code within your reach.")] = None,
) -> UsersOut:
    """List the accounts inside ``under`` (default: your jurisdiction) with their posts.

    Township reviewers, county and city admins only (403 otherwise).
    """
    code = check_under(caller, under)
    return UsersOut.model_validate(
        {"under": code or caller.jurisdiction_code, "users": list_users(session, caller, code)}
    )

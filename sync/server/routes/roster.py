"""The A/B roster: posts and who is on duty, a post's history, assigning and ending."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from sync.server.deps import CallerDep, DbDep, NowDep, SessionDep
from sync.server.jurisdiction import check_under
from sync.server.models import PostRole
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.schemas.roster import (
    AssignIn,
    AssignOut,
    EndAssignmentIn,
    EndAssignmentOut,
    PostHistoryOut,
    RosterOut,
)
from sync.server.services.roster_reads import post_history
from sync.server.services.roster_reads import roster as roster_rows
from sync.server.services.roster_writes import assign_post, end_post_assignment

#: The largest row id a database stores (BIGINT); a larger one is a 422, not a 500.
MAX_ID = 2**63 - 1

router = APIRouter(prefix="/api/v1/roster", tags=["roster"], responses=COMMON_ERRORS)


@router.get("", response_model=RosterOut, responses=error_responses(401, 404))
def roster(
    caller: CallerDep,
    session: SessionDep,
    now: NowDep,
    under: Annotated[str | None, Query(description="A division code within your reach.")] = None,
) -> RosterOut:
    """List the posts inside ``under`` (default: your reach): holders, absences, who is on duty.

    ``manageable`` says whether you may change the post (docs/duty.md).
    """
    code = check_under(caller, under)
    return RosterOut.model_validate(
        {"under": code, "server_time": now, "posts": roster_rows(session, caller, code, now)}
    )


@router.get("/history", response_model=PostHistoryOut, responses=error_responses(401, 404))
def history(
    caller: CallerDep,
    session: SessionDep,
    now: NowDep,
    post: Annotated[str, Query(description="The post's division code.")],
) -> PostHistoryOut:
    """Return every assignment, absence and handover of the post, oldest first."""
    return PostHistoryOut.model_validate(
        {**post_history(session, caller, post), "server_time": now}
    )


@router.post(
    "/assignments", response_model=AssignOut, responses=error_responses(401, 403, 404, 409, 422)
)
def assign(body: AssignIn, caller: CallerDep, db: DbDep, now: NowDep) -> AssignOut:
    """Give a person the post as A or B (the post's manager only).

    Role held and ``replace`` false: 409 ``role_taken``.  With ``replace`` the holder's
    assignment ends now and a handover is recorded.  The person already holding that role:
    ``unchanged`` (a repeat changes nothing).
    """
    done = assign_post(
        db,
        caller,
        body.post_code,
        body.username,
        PostRole(body.post_role),
        body.reason,
        body.replace,
        now,
    )
    return AssignOut.model_validate(
        {
            "status": done.status,
            "assignment": done.assignment,
            "ended": done.ended,
            "handover": done.handover,
            "server_time": now,
        }
    )


@router.post(
    "/assignments/{assignment_id}/end",
    response_model=EndAssignmentOut,
    responses=error_responses(401, 403, 404, 422),
)
def end(
    assignment_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    body: EndAssignmentIn,
    caller: CallerDep,
    db: DbDep,
    now: NowDep,
) -> EndAssignmentOut:
    """End an assignment (the post's manager only); a handover goes to whoever remains."""
    done = end_post_assignment(db, caller, assignment_id, body.reason, now)
    return EndAssignmentOut.model_validate(
        {
            "status": done.status,
            "assignment": done.assignment,
            "handover": done.handover,
            "server_time": now,
        }
    )

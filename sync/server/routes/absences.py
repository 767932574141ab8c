"""A post's A off duty for a period: mark it, end it."""

from __future__ import annotations

from fastapi import APIRouter

from sync.contract.duty import AbsenceKind
from sync.server.deps import CallerDep, DbDep, NowDep
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.schemas.duty import AbsenceIn, AbsenceResultOut, EmptyIn
from sync.server.services.absences import AbsenceOutcome, AbsenceRequest, end_absence, mark_absent

router = APIRouter(prefix="/api/v1/absences", tags=["roster"], responses=COMMON_ERRORS)


def _out(done: AbsenceOutcome, now: object) -> AbsenceResultOut:
    return AbsenceResultOut.model_validate(
        {
            "status": done.status,
            "absence": done.absence,
            "handover": done.handover,
            "server_time": now,
        }
    )


@router.post(
    "", response_model=AbsenceResultOut, responses=error_responses(401, 403, 404, 409, 422)
)
def mark(body: AbsenceIn, caller: CallerDep, db: DbDep, now: NowDep) -> AbsenceResultOut:
    """Mark the post's A off duty (the A themselves, or the post's manager).

    Idempotent by ``absence_uuid``.  A handover A → B is recorded with the open items.
    """
    unsent = body.open_items.unsent_reports if body.open_items else None
    request = AbsenceRequest(
        body.absence_uuid,
        body.post_code,
        body.starts_at,
        body.ends_at,
        AbsenceKind(body.kind),
        body.reason,
        unsent,
    )
    return _out(mark_absent(db, caller, request, now), now)


@router.post(
    "/{absence_uuid}/end",
    response_model=AbsenceResultOut,
    responses=error_responses(401, 403, 404, 422),
)
def end(
    absence_uuid: str, caller: CallerDep, db: DbDep, now: NowDep, body: EmptyIn | None = None
) -> AbsenceResultOut:
    """A is back: end the absence now (``unchanged`` when it already ended)."""
    return _out(end_absence(db, caller, absence_uuid, now), now)

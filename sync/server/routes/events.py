"""A township opens a disaster event for its villages (deadlines start), and closes it."""

from __future__ import annotations

from fastapi import APIRouter

from sync.server.deps import CallerDep, DbDep, NowDep, SettingsDep
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.schemas.duty import CloseEventIn, OpenEventIn, OpeningResultOut
from sync.server.services.openings import OpeningOutcome, OpeningRequest, close_event, open_event

router = APIRouter(prefix="/api/v1/events", tags=["duty"], responses=COMMON_ERRORS)


def _out(done: OpeningOutcome, now: object) -> OpeningResultOut:
    return OpeningResultOut.model_validate(
        {"status": done.status, "opening": done.opening, "server_time": now}
    )


@router.post(
    "/open", response_model=OpeningResultOut, responses=error_responses(401, 403, 404, 422)
)
def open_(
    body: OpenEventIn, caller: CallerDep, db: DbDep, settings: SettingsDep, now: NowDep
) -> OpeningResultOut:
    """Open an event for villages of your township (empty list: every village with a post).

    Idempotent by ``(township_code, event_uuid)``: opening again adds villages (each keeps
    its own opening time) and reopens a closed event.
    """
    request = OpeningRequest(
        body.event_uuid,
        body.event_name,
        body.disaster_type,
        body.occurred_at,
        body.township_code,
        tuple(body.village_codes),
    )
    return _out(open_event(db, caller, request, settings.deadlines, now), now)


@router.post(
    "/{event_uuid}/close",
    response_model=OpeningResultOut,
    responses=error_responses(401, 403, 404, 422),
)
def close(
    event_uuid: str, body: CloseEventIn, caller: CallerDep, db: DbDep, now: NowDep
) -> OpeningResultOut:
    """Close the event: no more continuing reports are due (a repeat answers ``duplicate``)."""
    return _out(close_event(db, caller, event_uuid, body.township_code, now), now)

"""The disaster-event registry: list, similar, open for an area, merge (issue 16)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from sync.contract import is_valid_code
from sync.server.deps import CallerDep, DbDep, NowDep, SessionDep
from sync.server.errors import NOT_FOUND, VALIDATION_FAILED, ApiError
from sync.server.jurisdiction import check_under
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.schemas.events import (
    EventListOut,
    EventResultOut,
    MergeIn,
    OpenAreaEventIn,
)
from sync.server.services.events import (
    AreaEventRequest,
    EventOutcome,
    list_events,
    merge_events,
    open_area_event,
    similar_events,
)

router = APIRouter(prefix="/api/v1/events", tags=["events"], responses=COMMON_ERRORS)


def _result(done: EventOutcome, now: datetime) -> EventResultOut:
    return EventResultOut.model_validate(
        {"status": done.status, "event": done.event, "similar": done.similar, "server_time": now}
    )


@router.get("", response_model=EventListOut, responses=error_responses(401, 404))
def events(
    caller: CallerDep,
    session: SessionDep,
    now: NowDep,
    under: str | None = None,
    open: Annotated[int, Query(ge=0, le=1)] = 0,
) -> EventListOut:
    """The canonical events whose area holds ``under`` or lies within it (default: your reach).

    ``open=1``: only those not closed.  Each lists the events merged into it.
    """
    check_under(caller, under)
    rows = list_events(session, caller, under, bool(open))
    return EventListOut.model_validate({"server_time": now, "events": rows})


@router.get("/similar", response_model=EventListOut, responses=error_responses(401, 404))
def similar(
    caller: CallerDep,
    session: SessionDep,
    now: NowDep,
    type: Annotated[str, Query(max_length=32)],
    county: Annotated[str, Query(min_length=12, max_length=12)],
    occurred_at: datetime,
) -> EventListOut:
    """The open events a new event of this type, county and time would repeat (closest first)."""
    if not is_valid_code(county):
        raise ApiError(NOT_FOUND)
    if occurred_at.tzinfo is None:
        raise ApiError(
            VALIDATION_FAILED,
            zh="发生时间须带时区（如 …Z）",
            en="occurred_at needs a time zone (e.g. …Z)",
        )
    rows = similar_events(session, caller, type, county, occurred_at)
    return EventListOut.model_validate({"server_time": now, "events": rows})


@router.post("", response_model=EventResultOut, responses=error_responses(401, 403, 404, 409, 422))
def open_for_area(
    body: OpenAreaEventIn, caller: CallerDep, db: DbDep, now: NowDep
) -> EventResultOut:
    """A township, county or city opens an event for its area (idempotent by ``event_uuid``).

    The answer lists the open events of the same type, county and close time (``similar``).
    """
    request = AreaEventRequest(
        body.event_uuid, body.name, body.disaster_type, body.occurred_at, body.area_code
    )
    return _result(open_area_event(db, caller, request, now), now)


@router.post(
    "/{event_uuid}/merge",
    response_model=EventResultOut,
    responses=error_responses(401, 403, 404, 422),
)
def merge(
    event_uuid: str, body: MergeIn, caller: CallerDep, db: DbDep, now: NowDep
) -> EventResultOut:
    """Merge the event into ``into`` (a county admin within its county, a city admin).

    History is kept: the reports keep their ``event_uuid`` and every total follows the
    canonical event.  A repeat answers ``duplicate``.
    """
    return _result(merge_events(db, caller, event_uuid, body.into, now), now)

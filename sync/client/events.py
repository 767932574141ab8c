"""The disaster-event registry requests (``/api/v1/events``), mixed into ``SyncClient``.

Each answer is decoded into its type of ``sync.contract.wire.events``.  The ``event_uuid`` of
an opening comes from the caller, so a request repeated after a lost answer is recognised by
the server (``duplicate``).  A township's opening *for its villages* (with deadlines) is
``DutyRequests.open_event`` (``POST /events/open``); ``open_area_event`` here opens an event
for an area (a township, county or city) without naming villages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import quote

from sync.contract import format_time
from sync.contract.wire.base import Wire, as_object
from sync.contract.wire.events import (
    EventList,
    EventResult,
    MergeRequest,
    OpenAreaEventRequest,
)

API = "/api/v1"

T = TypeVar("T", bound=Wire)


class EventRequests:
    """The event-registry requests; ``SyncClient`` provides ``_call`` (the one HTTP place)."""

    def _call(
        self,
        method: str,
        path: str,
        *,
        answer: type[T],
        check: Callable[[T], None] | None = None,
        auth: bool = True,
        json_body: Any = None,
        raw_body: bytes | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> T:
        raise NotImplementedError

    def events(self, under: str | None = None, *, open_only: bool = False) -> EventList:
        """``GET /events?under=&open=1``: the canonical events of an area (default: your reach).

        An informant gets the events of its county (and city-wide ones).
        """
        params: dict[str, Any] = {}
        if under is not None:
            params["under"] = under
        if open_only:
            params["open"] = 1
        return self._call("GET", f"{API}/events", answer=EventList, params=params or None)

    def similar_events(
        self, disaster_type: str, county_code: str, occurred_at: datetime
    ) -> EventList:
        """``GET /events/similar``: the open events a new one of this type, county, time repeats."""
        return self._call(
            "GET",
            f"{API}/events/similar",
            answer=EventList,
            params={
                "type": disaster_type,
                "county": county_code,
                "occurred_at": format_time(occurred_at),
            },
        )

    def open_area_event(
        self,
        event_uuid: str,
        name: str,
        disaster_type: str,
        occurred_at: datetime,
        area_code: str | None = None,
    ) -> EventResult:
        """``POST /events``: a township, county or city opens an event for its area.

        ``area_code`` ``None``: the caller's jurisdiction.  The answer's ``similar`` lists the
        open events of the same type, county and close time.
        """
        body = OpenAreaEventRequest(
            event_uuid=event_uuid,
            name=name,
            disaster_type=disaster_type,
            occurred_at=occurred_at.astimezone(UTC),
            area_code=area_code,
        )
        return self._call("POST", f"{API}/events", answer=EventResult, json_body=as_object(body))

    def merge_event(self, event_uuid: str, into: str) -> EventResult:
        """``POST /events/{uuid}/merge``: merge the event into ``into`` (county or city admin)."""
        return self._call(
            "POST",
            f"{API}/events/{quote(event_uuid, safe='')}/merge",
            answer=EventResult,
            json_body=as_object(MergeRequest(into=into)),
        )

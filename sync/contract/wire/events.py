"""The disaster-event registry (issue 16): events, similar events, opening and merging."""

from __future__ import annotations

from typing import Literal

import msgspec

from sync.contract.wire.base import Time, Wire

__all__ = [
    "Event",
    "EventList",
    "EventResult",
    "MergeRequest",
    "MergedEvent",
    "OpenAreaEventRequest",
]


class MergedEvent(Wire, frozen=True, kw_only=True):
    """An event merged into a canonical one (its reports keep its ``event_uuid``)."""

    event_uuid: str
    name: str
    merged_at: Time | None


class Event(Wire, frozen=True, kw_only=True):
    """An event of the registry: who opened it, its area, and the events merged into it."""

    event_uuid: str
    name: str
    disaster_type: str
    county_code: str | None
    county_name: str | None = None
    opened_level: str
    opened_code: str
    opened_name: str | None = None
    occurred_at: Time | None
    opened_at: Time
    closed_at: Time | None
    merged_into: str | None = None
    merged: list[MergedEvent] = msgspec.field(default_factory=list)


class EventList(Wire, frozen=True, kw_only=True):
    """``GET /events`` and ``GET /events/similar``: canonical events, newest first."""

    server_time: Time
    events: list[Event]


class EventResult(Wire, frozen=True, kw_only=True):
    """``POST /events`` and ``POST /events/{uuid}/merge``: the (canonical) event."""

    status: Literal["accepted", "duplicate"]
    event: Event
    similar: list[Event] = msgspec.field(default_factory=list)
    server_time: Time


class OpenAreaEventRequest(Wire, frozen=True, kw_only=True):
    """The body of ``POST /events`` (no area: the caller's jurisdiction)."""

    event_uuid: str
    name: str
    disaster_type: str
    occurred_at: Time
    area_code: str | None = None


class MergeRequest(Wire, frozen=True, kw_only=True):
    """The body of ``POST /events/{uuid}/merge``."""

    into: str

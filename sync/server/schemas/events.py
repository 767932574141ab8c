"""The disaster-event registry's requests and answers (``sync.contract.wire.events``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from sync.server.schemas.common import InModel

UUID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


class MergedEventOut(BaseModel):
    """An event merged into a canonical one."""

    event_uuid: str
    name: str
    merged_at: datetime | None


class EventOut(BaseModel):
    """An event of the registry."""

    event_uuid: str
    name: str
    disaster_type: str
    county_code: str | None
    county_name: str | None = None
    opened_level: str = Field(description="village, township, county or city")
    opened_code: str
    opened_name: str | None = None
    occurred_at: datetime | None
    opened_at: datetime
    closed_at: datetime | None
    merged_into: str | None = None
    merged: list[MergedEventOut] = []


class EventListOut(BaseModel):
    """Canonical events, newest first."""

    server_time: datetime
    events: list[EventOut]


class EventResultOut(BaseModel):
    """``accepted`` or ``duplicate``, the (canonical) event and open events it may repeat."""

    status: Literal["accepted", "duplicate"]
    event: EventOut
    similar: list[EventOut] = []
    server_time: datetime


class OpenAreaEventIn(InModel):
    """A township, county or city opens an event for its area (default: its jurisdiction)."""

    event_uuid: str = Field(pattern=UUID_PATTERN)
    name: str = Field(min_length=1, max_length=200)
    disaster_type: str = Field(max_length=32)
    occurred_at: datetime
    area_code: str | None = Field(default=None, min_length=12, max_length=12)


class MergeIn(InModel):
    """Merge this event into ``into`` (its canonical event)."""

    into: str = Field(pattern=UUID_PATTERN)

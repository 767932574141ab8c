"""When two disaster events are one: the same type, the same county, close in time.

Nationally an event (灾害过程) is named "date + county + disaster type" and created by the first
initial report; reports of the same type, area and close time belong to one event (floods
within 3 days, docs/domain.md §2).  The windows are data: ``EVENT_MERGE_DAYS`` in
``sync.contract.disasters`` by type, ``DEFAULT_MERGE_DAYS`` for the others.  The app asks
before a second "new event" (``is_close``), and the server answers ``GET /events/similar``
with the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sync.contract.disasters import EVENT_MERGE_DAYS

#: The window of a type that ``EVENT_MERGE_DAYS`` does not name, in days.
DEFAULT_MERGE_DAYS = 1


def same_event_window(disaster_type: str) -> timedelta:
    """Return how far apart two occurrences of ``disaster_type`` may be and still be one event."""
    return timedelta(days=EVENT_MERGE_DAYS.get(disaster_type, DEFAULT_MERGE_DAYS))


def county_of(code: str) -> str | None:
    """Return the county code of a 12-digit division ``code`` (``None`` above county level)."""
    if len(code) != 12 or not code.isdigit() or code[4:6] == "00":
        return None
    return code[:6] + "000000"


@dataclass(frozen=True)
class EventKey:
    """What decides whether two events are one: type, county and time of occurrence."""

    disaster_type: str
    county_code: str | None
    occurred_at: datetime | None


def is_close(a: EventKey, b: EventKey) -> bool:
    """Return whether ``a`` and ``b`` would be the same event (type, county, close in time).

    An event with no county (opened for a whole city) or no time of occurrence is close to
    nothing: the rule cannot judge it.
    """
    if a.disaster_type != b.disaster_type:
        return False
    if a.county_code is None or a.county_code != b.county_code:
        return False
    if a.occurred_at is None or b.occurred_at is None:
        return False
    return abs(a.occurred_at - b.occurred_at) <= same_event_window(a.disaster_type)

"""The open disaster events of the account's area as last synced: kept, read, chosen from.

Each sync round asks the server for the open events it lists for the account
(``GET /events?open=1``: for a village informant, the open events of its county and the
city-wide ones) and ``save_open_events`` replaces the cached rows in one transaction.  The
report form reads them (``open_events``), also offline:

- ``area_default``: the event a new report of a village joins by default: the open event of
  its area (and of the disaster type, when one is chosen), the one its township opened first,
  else the newest one (opened by a neighbour's first initial report, the county or the city);
- ``similar_open``: the open events a second "new event" of this type, county and time would
  repeat (``sync.contract.events.is_close``), closest first: the form offers them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from informant_app.core.store.models import OpenEventCacheRow, OpenEventCacheStateRow
from sync.contract import DivisionLevel, is_within
from sync.contract.events import EventKey, county_of, is_close
from sync.contract.wire.events import EventList

__all__ = [
    "CachedOpenEvents",
    "OpenEvent",
    "area_default",
    "area_events",
    "cached_event_name",
    "cached_state",
    "open_event_names",
    "open_events",
    "read_open_events",
    "save_open_events",
    "similar_open",
]


class _Store(Protocol):
    """What these functions need of a ``ReportStore`` (no import of it: no circle)."""

    @property
    def engine(self) -> Engine: ...

    def write_session(self) -> Session: ...

    def now(self) -> datetime: ...


@dataclass(frozen=True)
class OpenEvent:
    """An open event of the area as the server last listed it."""

    event_uuid: str
    name: str
    disaster_type: str
    county_code: str | None
    opened_level: str
    opened_code: str
    opened_name: str | None
    occurred_at: datetime | None
    opened_at: datetime
    merged_uuids: tuple[str, ...] = ()

    def key(self) -> EventKey:
        """Return what decides whether another event is this one (type, county, time)."""
        return EventKey(self.disaster_type, self.county_code, self.occurred_at)


@dataclass(frozen=True)
class CachedOpenEvents:
    """When the cached open events were fetched (device time), from which server.

    ``revision`` is the server's ``events_revision`` at that time ("" if unknown).
    """

    server_url: str
    fetched_at: datetime
    server_time: datetime
    revision: str = ""


def _event(row: OpenEventCacheRow) -> OpenEvent:
    return OpenEvent(
        event_uuid=row.event_uuid,
        name=row.name,
        disaster_type=row.disaster_type,
        county_code=row.county_code,
        opened_level=row.opened_level,
        opened_code=row.opened_code,
        opened_name=row.opened_name,
        occurred_at=row.occurred_at,
        opened_at=row.opened_at,
        merged_uuids=tuple(json.loads(row.merged_uuids)),
    )


def save_open_events(store: _Store, answer: EventList, server_url: str, revision: str = "") -> int:
    """Replace the cached open events with the server's ``answer`` (one transaction).

    Closed and merged events in the answer are left out; ``revision`` is the server's
    ``events_revision`` the answer belongs to.  Returns how many are cached.
    """
    rows = [
        {
            "event_uuid": e.event_uuid,
            "name": e.name,
            "disaster_type": e.disaster_type,
            "county_code": e.county_code,
            "opened_level": e.opened_level,
            "opened_code": e.opened_code,
            "opened_name": e.opened_name,
            "occurred_at": e.occurred_at,
            "opened_at": e.opened_at,
            "merged_uuids": json.dumps(sorted(m.event_uuid for m in e.merged)),
        }
        for e in {e.event_uuid: e for e in answer.events}.values()
        if e.closed_at is None and e.merged_into is None
    ]
    state = {
        "server_url": server_url,
        "fetched_at": store.now(),
        "server_time": answer.server_time,
        "revision": revision,
    }
    with store.write_session() as s, s.begin():
        s.execute(delete(OpenEventCacheRow))
        if rows:
            s.execute(insert(OpenEventCacheRow), rows)
        s.execute(
            sqlite_insert(OpenEventCacheStateRow)
            .values(id=1, **state)
            .on_conflict_do_update(index_elements=["id"], set_=state)
        )
    return len(rows)


def read_open_events(s: Session) -> list[OpenEvent]:
    """Return the cached open events, newest occurrence first (in the caller's session)."""
    rows = s.scalars(
        select(OpenEventCacheRow).order_by(
            OpenEventCacheRow.occurred_at.desc(),
            OpenEventCacheRow.opened_at.desc(),
            OpenEventCacheRow.event_uuid,
        )
    )
    return [_event(r) for r in rows]


def open_events(store: _Store) -> list[OpenEvent]:
    """Return the cached open events, newest occurrence first (empty before the first sync)."""
    with Session(store.engine) as s:
        return read_open_events(s)


def cached_state(store: _Store) -> CachedOpenEvents | None:
    """Return when the open events were last fetched, ``None`` before the first time."""
    with Session(store.engine) as s:
        row = s.get(OpenEventCacheStateRow, 1)
        if row is None:
            return None
        return CachedOpenEvents(row.server_url, row.fetched_at, row.server_time, row.revision)


def open_event_names(s: Session) -> set[str]:
    """Return the names of the cached open events (a new event's default name avoids them)."""
    return set(s.scalars(select(OpenEventCacheRow.name)))


def cached_event_name(s: Session, event_uuid: str) -> str | None:
    """Return the name of the cached open event ``event_uuid``, ``None`` when not cached."""
    return s.scalar(
        select(OpenEventCacheRow.name).where(OpenEventCacheRow.event_uuid == event_uuid)
    )


def _township_of(village_code: str) -> str:
    return village_code[:9] + "000"


def area_events(events: Iterable[OpenEvent], village_code: str) -> list[OpenEvent]:
    """Return the events of ``village_code``'s area: of its county, or city-wide around it."""
    county = county_of(village_code)
    return [
        e
        for e in events
        if (county is not None and e.county_code == county)
        or (e.county_code is None and is_within(village_code, e.opened_code))
    ]


def area_default(
    events: Iterable[OpenEvent], village_code: str, disaster_type: str | None = None
) -> OpenEvent | None:
    """Return the open event a new report of ``village_code`` joins by default, if any.

    Among the open events of its area (and of ``disaster_type`` when given): the newest one
    its own township opened, else the newest one (opened by a neighbour's first initial
    report, the county or the city).
    """
    mine = [
        e
        for e in area_events(events, village_code)
        if disaster_type is None or e.disaster_type == disaster_type
    ]
    if not mine:
        return None
    township = _township_of(village_code)

    def rank(e: OpenEvent) -> tuple[bool, datetime, datetime]:
        by_township = e.opened_level == DivisionLevel.TOWNSHIP.value and e.opened_code == township
        return (by_township, e.occurred_at or e.opened_at, e.opened_at)

    return max(mine, key=rank)


def similar_open(
    events: Iterable[OpenEvent],
    village_code: str,
    disaster_type: str,
    occurred_at: datetime,
    exclude: Sequence[str] = (),
) -> list[OpenEvent]:
    """Return the open events a new event of this village, type and time repeats, closest first.

    The rule is ``sync.contract.events.is_close`` (same type and county, close in time), the
    server's ``GET /events/similar`` rule.
    """
    key = EventKey(disaster_type, county_of(village_code), occurred_at)
    close = [
        e
        for e in events
        if e.event_uuid not in exclude and e.occurred_at is not None and is_close(key, e.key())
    ]
    return sorted(
        close,
        key=lambda e: (abs((e.occurred_at or occurred_at) - occurred_at), e.opened_at),
    )

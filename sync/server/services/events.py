"""The disaster-event registry: who opened an event, which events are one, and merges.

Every ``event_uuid`` ever named has one ``events`` row.  The first report version that names
an unknown event creates it (``register_from_versions``, called by the ingest, opened by the
village), and so does a township's opening (``register_opening``) or a township, county or city
opening an event for its area (``open_area_event``).  A county admin (within its county) or a
city admin merges one event into another: ``merged_into`` is set, the reports keep their
``event_uuid``, and every total follows the canonical event through ``canonical_event_sql``,
``canonical`` and ``event_members``.

Which events an area sees (``list_events``): those whose area holds it or lies in it.  An
event's area is its county (``county_code``), or the division that opened it when that is
above county level (a city-wide event).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from sync.contract import DISASTER_TYPE_BY_KEY, DivisionLevel, is_valid_code, is_within
from sync.contract.events import EventKey, county_of, is_close, same_event_window
from sync.server.db import Database
from sync.server.dialect import insert_ignore
from sync.server.errors import FORBIDDEN, ID_REUSED, NOT_FOUND, VALIDATION_FAILED, ApiError
from sync.server.jurisdiction import Caller, within_sql
from sync.server.models import DivisionRow, Event, Role
from sync.server.services.admin_log import record_action
from sync.server.services.managers import visible_division

#: The levels that may open an event for their area, and who may merge events.
OPENER_ROLES = frozenset({Role.TOWNSHIP_REVIEWER, Role.COUNTY_ADMIN, Role.CITY_ADMIN})
MERGER_ROLES = frozenset({Role.COUNTY_ADMIN, Role.CITY_ADMIN})
_AREA_LEVELS = {
    DivisionLevel.TOWNSHIP.value,
    DivisionLevel.COUNTY.value,
    DivisionLevel.CITY.value,
}


# --- the canonical event: what other services use ------------------------------------------


def canonical_event_sql(column: Any) -> ColumnElement[str]:
    """Return SQL for the canonical event of the ``event_uuid`` in ``column``.

    ``COALESCE((SELECT merged_into FROM events WHERE event_uuid = column), column)``: merges
    never chain, so one look-up is enough.  Group or filter by it to follow merges, e.g.
    ``where(canonical_event_sql(ReportVersion.event_uuid) == canonical(session, e))``.
    """
    merged = aliased(Event)
    into = select(merged.merged_into).where(merged.event_uuid == column).scalar_subquery()
    return func.coalesce(into, column)


def canonical(session: Session, event_uuid: str) -> str:
    """Return the canonical event of ``event_uuid`` (itself when not merged or unknown)."""
    into = session.scalar(select(Event.merged_into).where(Event.event_uuid == event_uuid))
    return into or event_uuid


def canonical_map(session: Session, event_uuids: Iterable[str]) -> dict[str, str]:
    """Return the canonical event of each of ``event_uuids`` (one query)."""
    wanted = sorted(set(event_uuids))
    out = {e: e for e in wanted}
    if wanted:
        for uuid, into in session.execute(
            select(Event.event_uuid, Event.merged_into).where(
                Event.event_uuid.in_(wanted), Event.merged_into.is_not(None)
            )
        ):
            out[uuid] = into or uuid
    return out


def event_members(session: Session, event_uuid: str) -> list[str]:
    """Return the canonical event of ``event_uuid`` and every event merged into it.

    Filter a unit's reports by ``ReportVersion.event_uuid.in_(event_members(...))`` to add
    up one event whatever uuid each village filed under.
    """
    root = canonical(session, event_uuid)
    merged = session.scalars(select(Event.event_uuid).where(Event.merged_into == root))
    return sorted({root, *merged})


# --- creating rows --------------------------------------------------------------------------


def register_from_versions(
    session: Session, versions: Sequence[Any], user_id: int, now: datetime
) -> None:
    """Create the events that ``versions`` name and the registry does not know (one statement).

    ``versions`` are report contents (``event_uuid``, ``event_name``, ``disaster_type``,
    ``occurred_at``, ``village_code``); the first one per event opens it, for its village.
    """
    rows: dict[str, dict[str, Any]] = {}
    for c in versions:
        rows.setdefault(
            c.event_uuid,
            {
                "event_uuid": c.event_uuid,
                "name": c.event_name[:200],
                "disaster_type": c.disaster_type,
                "county_code": county_of(c.village_code),
                "opened_level": DivisionLevel.VILLAGE.value,
                "opened_code": c.village_code,
                "occurred_at": c.occurred_at,
                "opened_at": now,
                "created_by": user_id,
            },
        )
    if rows:
        session.execute(
            insert_ignore(session, Event, ["event_uuid"]),
            [rows[k] for k in sorted(rows)],
        )


def register_opening(
    session: Session,
    *,
    event_uuid: str,
    name: str,
    disaster_type: str,
    occurred_at: datetime | None,
    code: str,
    level: str,
    user_id: int | None,
    now: datetime,
) -> bool:
    """Create the event opened by the division ``code`` unless it exists; return if created."""
    created = session.execute(
        insert_ignore(session, Event, ["event_uuid"]).returning(Event.id),
        [
            {
                "event_uuid": event_uuid,
                "name": name.strip()[:200],
                "disaster_type": disaster_type,
                "county_code": county_of(code),
                "opened_level": level,
                "opened_code": code,
                "occurred_at": occurred_at,
                "opened_at": now,
                "created_by": user_id,
            }
        ],
    ).first()
    return created is not None


def set_closed(session: Session, event_uuid: str, closed_at: datetime | None) -> None:
    """Mark the event closed at ``closed_at`` (``None``: open again)."""
    session.execute(update(Event).where(Event.event_uuid == event_uuid).values(closed_at=closed_at))


# --- reading --------------------------------------------------------------------------------


def _ancestors(code: str) -> list[str]:
    """Return the codes of ``code``'s province, city, county and township (those it has)."""
    out = [code[:2] + "0" * 10, code[:4] + "0" * 8, code[:6] + "0" * 6, code[:9] + "000"]
    return sorted({c for c in out if c != code and is_within(code, c)})


def touches_sql(code: str) -> ColumnElement[bool]:
    """Return SQL true for events whose area holds ``code`` or lies within it."""
    county = county_of(code)
    terms: list[ColumnElement[bool]] = [
        within_sql(Event.county_code, code),
        within_sql(Event.opened_code, code),
        and_(Event.county_code.is_(None), Event.opened_code.in_(_ancestors(code))),
    ]
    if county is not None:
        terms.append(Event.county_code == county)
    return or_(*terms)


def event_dicts(session: Session, rows: Sequence[Event]) -> list[dict[str, Any]]:
    """Return the answer records of canonical ``rows``, each with the events merged into it."""
    ids = [r.event_uuid for r in rows]
    merged: dict[str, list[dict[str, Any]]] = {e: [] for e in ids}
    codes = {r.opened_code for r in rows} | {r.county_code for r in rows if r.county_code}
    if ids:
        for m in session.scalars(
            select(Event).where(Event.merged_into.in_(ids)).order_by(Event.opened_at)
        ):
            merged[str(m.merged_into)].append(
                {"event_uuid": m.event_uuid, "name": m.name, "merged_at": m.merged_at}
            )
    names: dict[str, str] = {
        code: name
        for code, name in session.execute(
            select(DivisionRow.code, DivisionRow.short_name).where(DivisionRow.code.in_(codes))
        )
    }
    return [
        {
            "event_uuid": r.event_uuid,
            "name": r.name,
            "disaster_type": r.disaster_type,
            "county_code": r.county_code,
            "county_name": names.get(r.county_code or ""),
            "opened_level": r.opened_level,
            "opened_code": r.opened_code,
            "opened_name": names.get(r.opened_code),
            "occurred_at": r.occurred_at,
            "opened_at": r.opened_at,
            "closed_at": r.closed_at,
            "merged_into": r.merged_into,
            "merged": merged.get(r.event_uuid, []),
        }
        for r in rows
    ]


def list_events(
    session: Session, caller: Caller, under: str | None, open_only: bool
) -> list[dict[str, Any]]:
    """Return the canonical events touching ``under`` (default: the caller's reach)."""
    codes = [under] if under is not None else list(caller.reach)
    if not codes:
        return []
    query = select(Event).where(Event.merged_into.is_(None), or_(*(touches_sql(c) for c in codes)))
    if open_only:
        query = query.where(Event.closed_at.is_(None))
    rows = session.scalars(query.order_by(Event.opened_at.desc(), Event.event_uuid)).all()
    return event_dicts(session, rows)


def _check_county(caller: Caller, county: str) -> None:
    """404 unless the county is within the caller's reach or holds part of it."""
    if county_of(county) != county or county[6:] != "0" * 6:
        raise ApiError(NOT_FOUND)
    if not caller.can_see(county) and not any(is_within(r, county) for r in caller.reach):
        raise ApiError(NOT_FOUND)


def similar_events(
    session: Session,
    caller: Caller,
    disaster_type: str,
    county: str,
    occurred_at: datetime,
    *,
    exclude: str | None = None,
) -> list[dict[str, Any]]:
    """Return the open canonical events a new event of this type, county and time would repeat.

    Closest in time first (``sync.contract.events.is_close`` decides).
    """
    _check_county(caller, county)
    window = same_event_window(disaster_type)
    rows = session.scalars(
        select(Event).where(
            Event.merged_into.is_(None),
            Event.closed_at.is_(None),
            Event.disaster_type == disaster_type,
            Event.county_code == county,
            Event.occurred_at >= occurred_at - window,
            Event.occurred_at <= occurred_at + window,
        )
    ).all()
    key = EventKey(disaster_type, county, occurred_at)
    close = [
        r
        for r in rows
        if r.event_uuid != exclude
        and is_close(key, EventKey(r.disaster_type, r.county_code, r.occurred_at))
    ]
    close.sort(
        key=lambda r: (abs(r.occurred_at - occurred_at), r.opened_at) if r.occurred_at else ()
    )
    return event_dicts(session, close)


def _visible_event(session: Session, caller: Caller, event_uuid: str) -> Event:
    """Return the event if its area touches the caller's reach; 404 otherwise."""
    row = session.scalars(
        select(Event)
        .where(Event.event_uuid == event_uuid, or_(*(touches_sql(c) for c in caller.reach)))
        .with_for_update()
    ).first()
    if row is None:
        raise ApiError(NOT_FOUND)
    return row


# --- writing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaEventRequest:
    """A township, county or city opening an event for its area."""

    event_uuid: str
    name: str
    disaster_type: str
    occurred_at: datetime
    area_code: str | None


@dataclass(frozen=True)
class EventOutcome:
    """``accepted`` or ``duplicate``, the event, and open events it may repeat."""

    status: str
    event: dict[str, Any]
    similar: list[dict[str, Any]]


def _forbidden(zh: str, en: str) -> ApiError:
    return ApiError(FORBIDDEN, zh=zh, en=en)


def open_area_event(
    db: Database, caller: Caller, req: AreaEventRequest, now: datetime
) -> EventOutcome:
    """Open an event for the caller's area (a township, county or city); idempotent by uuid.

    Raises:
        ApiError: 403 a village informant; 404 an area outside the jurisdiction; 422 a bad
            name, type or area level; 409 the uuid is an event of other content.
    """
    if caller.role not in OPENER_ROLES:
        raise _forbidden(
            "只有乡镇、县（区）、市可以开启灾害过程", "only a township, county or city opens events"
        )
    if not req.name.strip() or req.disaster_type not in DISASTER_TYPE_BY_KEY:
        raise ApiError(
            VALIDATION_FAILED,
            zh="请填写灾害过程名称和正确的灾种",
            en="the event needs a name and a known disaster type",
        )
    with db.writing() as session:
        area = visible_division(session, caller, req.area_code or caller.jurisdiction_code)
        if area.level not in _AREA_LEVELS or not is_within(area.code, caller.jurisdiction_code):
            raise ApiError(
                VALIDATION_FAILED,
                zh="灾害过程只能由乡镇、县（区）或市为其辖区开启",
                en="an event is opened for a township, county or city area",
            )
        created = register_opening(
            session,
            event_uuid=req.event_uuid,
            name=req.name,
            disaster_type=req.disaster_type,
            occurred_at=req.occurred_at,
            code=area.code,
            level=area.level,
            user_id=caller.user_id,
            now=now,
        )
        row = session.scalars(select(Event).where(Event.event_uuid == req.event_uuid)).one()
        if not created and (row.opened_code != area.code or row.disaster_type != req.disaster_type):
            raise ApiError(ID_REUSED)
        if created:
            record_action(
                session,
                caller,
                "event.open",
                req.event_uuid,
                now,
                {"area": area.code, "type": req.disaster_type, "name": row.name},
            )
        similar = (
            similar_events(
                session,
                caller,
                row.disaster_type,
                row.county_code,
                req.occurred_at,
                exclude=row.event_uuid,
            )
            if row.county_code is not None
            else []
        )
        return EventOutcome(
            "accepted" if created else "duplicate", event_dicts(session, [row])[0], similar
        )


def merge_events(
    db: Database, caller: Caller, event_uuid: str, into: str, now: datetime
) -> EventOutcome:
    """Merge ``event_uuid`` into ``into`` (its canonical event); history is kept.

    The merged event and those merged into it before now follow ``into``'s canonical event;
    reports keep their ``event_uuid``.  Merging again into the same event answers
    ``duplicate``.

    Raises:
        ApiError: 403 not a county or city admin; 404 an event outside the jurisdiction
            (a county admin: its county only); 422 the same event, or of another type.
    """
    if caller.role not in MERGER_ROLES:
        raise _forbidden(
            "只有县（区）、市管理员可以合并灾害过程", "only a county or city admin merges events"
        )
    if not is_valid_code(caller.jurisdiction_code):
        raise ApiError(NOT_FOUND)
    if event_uuid == into:
        raise ApiError(
            VALIDATION_FAILED,
            zh="不能把灾害过程合并到它自己",
            en="an event cannot be merged into itself",
        )
    with db.writing() as session:
        first, second = sorted((event_uuid, into))  # lock in key order
        rows = {e: _visible_event(session, caller, e) for e in (first, second)}
        source, target = rows[event_uuid], rows[into]
        for row in (source, target):
            area = row.county_code or row.opened_code
            if not is_within(area, caller.jurisdiction_code):
                raise ApiError(NOT_FOUND)
        root_uuid = target.merged_into or target.event_uuid
        root = (
            target if root_uuid == target.event_uuid else _visible_event(session, caller, root_uuid)
        )
        if event_uuid == into or root.event_uuid == source.event_uuid:
            raise ApiError(
                VALIDATION_FAILED,
                zh="不能把灾害过程合并到它自己",
                en="an event cannot be merged into itself",
            )
        if source.disaster_type != root.disaster_type:
            raise ApiError(
                VALIDATION_FAILED,
                zh="只能合并同一灾种的灾害过程",
                en="only events of the same disaster type merge",
            )
        if source.merged_into == root.event_uuid:
            return EventOutcome("duplicate", event_dicts(session, [root])[0], [])
        session.execute(
            update(Event)
            .where(
                or_(Event.event_uuid == source.event_uuid, Event.merged_into == source.event_uuid)
            )
            .values(merged_into=root.event_uuid, merged_at=now)
        )
        record_action(
            session,
            caller,
            "event.merge",
            source.event_uuid,
            now,
            {"into": root.event_uuid, "name": source.name, "into_name": root.name},
        )
        session.flush()
        session.refresh(root)
        return EventOutcome("accepted", event_dicts(session, [root])[0], [])


def events_revision(session: Session) -> str:
    """Return a short fingerprint of the event registry (``GET /me``: ``events_revision``).

    It changes whenever an event is opened, closed, reopened or merged anywhere, so a device
    fetches the open events of its area again only then.  One aggregate query.
    """
    row = session.execute(
        select(
            func.count(),
            func.max(Event.opened_at),
            func.max(Event.closed_at),
            func.max(Event.merged_at),
            func.count(Event.closed_at),
            func.count(Event.merged_into),
        )
    ).one()
    text = "|".join("" if v is None else str(v) for v in row)
    return hashlib.sha256(text.encode()).hexdigest()[:16]

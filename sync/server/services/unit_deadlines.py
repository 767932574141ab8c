"""Deadlines of the township, county and city reports, and the death/missing alerts.

Part of ``GET /api/v1/duty`` (docs/duty.md).  The windows come from
``sync.contract.deadlines.unit_deadlines``, counted from the event's occurrence in the
registry (``events.occurred_at``; its opening time when unknown).

- **Which units owe a report.** For each event of the registry not merged and not closed (or
  closed less than the longest verified time ago): every township with an accepted village
  version of it (any event merged into it counts) or an opening of it, or that opened it;
  the county of each of those (and the event's own county); the city above them.  Only the
  units inside the caller's reach are listed.
- **Filed.** A township by its submitted township reports (``township_reports``), a county
  or the city by its unit reports (``unit_reports``), each at its ``server_received_at``.
- **Alerts.** A township, county or city escalated or overdue is an alert for every manager
  whose reach holds it (its own post's A and B, and the level above).  A village version of
  the last ``casualty_alert_days`` days whose latest figures on the event name a death or a
  missing person is an alert for the township reviewer, the county and the city admins at
  once (``alert_id`` from ``casualty_alert_id``; each device acknowledges it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sync.contract import ReportStage, is_within
from sync.contract.deadlines import (
    LevelDeadlineSettings,
    casualties,
    casualty_alert_id,
    unit_deadlines,
)
from sync.contract.duty import CHINA_TZ, Duty, WindowState, worst
from sync.server.jurisdiction import Caller, within_sql
from sync.server.models import (
    DivisionRow,
    Event,
    EventOpening,
    ReportVersion,
    Role,
    TownshipReport,
    UnitReport,
    VersionStatus,
)
from sync.server.services.duty_inputs import duty_dict, load_duty

CHUNK = 500
#: The roles that hear of late units and of deaths and missing persons.
MANAGER_ROLES = frozenset({Role.TOWNSHIP_REVIEWER, Role.COUNTY_ADMIN, Role.CITY_ADMIN})
_LEVEL_NAMES = {
    "township": ("乡镇", "township"),
    "county": ("县（市、区）", "county"),
    "city": ("市", "city"),
}


@dataclass(frozen=True)
class _Event:
    uuid: str
    name: str
    disaster_type: str
    occurred_at: datetime
    closed_at: datetime | None
    members: tuple[str, ...]


def township_of(code: str) -> str:
    """Return the township code of a village code."""
    return code[:9] + "000"


def county_of_code(code: str) -> str:
    """Return the county code of a township or village code."""
    return code[:6] + "000000"


def city_of(code: str) -> str:
    """Return the city code of a county, township or village code."""
    return code[:4] + "00000000"


def _chunks(items: Iterable[str]) -> list[list[str]]:
    values = sorted(set(items))
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def _reach(caller: Caller, under: str | None) -> tuple[str, ...]:
    return (under,) if under is not None else caller.reach


def _in_reach(code: str, reach: Sequence[str]) -> bool:
    return any(is_within(code, r) for r in reach)


def _events(session: Session, now: datetime, settings: LevelDeadlineSettings) -> list[_Event]:
    """Return the canonical events still owing reports, with their merged members."""
    longest = max(d.verified_days for d in settings.levels.values())
    rows = session.scalars(
        select(Event).where(
            Event.merged_into.is_(None),
            or_(Event.closed_at.is_(None), Event.closed_at > now - timedelta(days=longest)),
        )
    ).all()
    if not rows:
        return []
    members: dict[str, list[str]] = {e.event_uuid: [e.event_uuid] for e in rows}
    for chunk in _chunks(members):
        for uuid, into in session.execute(
            select(Event.event_uuid, Event.merged_into).where(Event.merged_into.in_(chunk))
        ):
            members[str(into)].append(uuid)
    return [
        _Event(
            e.event_uuid,
            e.name,
            e.disaster_type,
            e.occurred_at or e.opened_at,
            e.closed_at,
            tuple(sorted(members[e.event_uuid])),
        )
        for e in rows
        if (e.occurred_at or e.opened_at) <= now
    ]


def _owing(session: Session, events: list[_Event]) -> dict[str, set[str]]:
    """Return the townships, counties and city owing a report, by canonical event."""
    root = {m: e.uuid for e in events for m in e.members}
    towns: dict[str, set[str]] = {e.uuid: set() for e in events}
    for chunk in _chunks(root):
        for uuid, village in session.execute(
            select(ReportVersion.event_uuid, ReportVersion.village_code)
            .where(
                ReportVersion.event_uuid.in_(chunk),
                ReportVersion.status == VersionStatus.ACCEPTED.value,
            )
            .distinct()
        ):
            towns[root[uuid]].add(township_of(village))
        for uuid, township in session.execute(
            select(EventOpening.event_uuid, EventOpening.township_code).where(
                EventOpening.event_uuid.in_(chunk)
            )
        ):
            towns[root[uuid]].add(township)
        for uuid, level, code in session.execute(
            select(Event.event_uuid, Event.opened_level, Event.opened_code).where(
                Event.event_uuid.in_(chunk)
            )
        ):
            if level == "township":
                towns[root[uuid]].add(code)
            elif level == "county":
                towns[root[uuid]].add(code)  # a county's own event: the county owes
    out: dict[str, set[str]] = {}
    for uuid, codes in towns.items():
        units: set[str] = set()
        for code in codes:
            county = county_of_code(code)
            if code != county:
                units.add(code)
            units.add(county)
            units.add(city_of(code))
        out[uuid] = units
    return out


def level_of(code: str) -> str:
    """Return the level of a township, county or city code."""
    if code[4:] == "00000000":
        return "city"
    if code[6:] == "000000":
        return "county"
    return "township"


def _filings(
    session: Session, events: list[_Event], codes: Iterable[str]
) -> dict[tuple[str, str], list[tuple[str, datetime]]]:
    """Return ``(stage, received)`` of each unit's submitted reports by (event, unit)."""
    root = {m: e.uuid for e in events for m in e.members}
    out: dict[tuple[str, str], list[tuple[str, datetime]]] = {}
    wanted = sorted(root)
    for chunk in _chunks(codes):
        for i in range(0, len(wanted), CHUNK):
            uuids = wanted[i : i + CHUNK]
            for uuid, code, stage, at in session.execute(
                select(
                    TownshipReport.event_uuid,
                    TownshipReport.township_code,
                    TownshipReport.stage,
                    TownshipReport.server_received_at,
                ).where(
                    TownshipReport.township_code.in_(chunk), TownshipReport.event_uuid.in_(uuids)
                )
            ):
                out.setdefault((root[uuid], code), []).append((stage, at))
            for uuid, code, stage, at in session.execute(
                select(
                    UnitReport.event_uuid,
                    UnitReport.unit_code,
                    UnitReport.stage,
                    UnitReport.server_received_at,
                ).where(UnitReport.unit_code.in_(chunk), UnitReport.event_uuid.in_(uuids))
            ):
                out.setdefault((root[uuid], code), []).append((stage, at))
    return out


def _names(session: Session, codes: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for chunk in _chunks(codes):
        for code, name in session.execute(
            select(DivisionRow.code, DivisionRow.short_name).where(DivisionRow.code.in_(chunk))
        ):
            out[code] = name
    return out


def _window_dict(state: WindowState) -> dict[str, Any]:
    w = state.window
    return {
        "stage": w.stage,
        "starts_at": w.starts_at,
        "escalate_at": w.escalate_at,
        "due_at": w.due_at,
        "status": state.status.value,
        "filed_at": state.filed_at,
    }


def unit_view(
    session: Session,
    caller: Caller,
    under: str | None,
    now: datetime,
    settings: LevelDeadlineSettings,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return ``(units, alerts)``: the township/county/city deadlines in reach, and alerts.

    An informant gets neither (their villages' deadlines are the openings').
    """
    if caller.role not in MANAGER_ROLES:
        return [], []
    reach = _reach(caller, under)
    events = _events(session, now, settings)
    owing = _owing(session, events)
    pairs = [(e, code) for e in events for code in sorted(owing[e.uuid]) if _in_reach(code, reach)]
    codes = {code for _e, code in pairs}
    filings = _filings(session, events, codes)
    names = _names(session, codes)
    duty = load_duty(session, codes, now=now)
    units: list[dict[str, Any]] = []
    alerts: list[dict[str, Any]] = []
    for event, code in pairs:
        if code not in names:
            continue  # not a division of this server (a code made up by slicing)
        level = level_of(code)
        states = unit_deadlines(
            level,
            event.occurred_at,
            event.closed_at,
            event.disaster_type,
            filings.get((event.uuid, code), []),
            now,
            settings,
        )
        post = duty.posts.get(code)
        on_duty = post.on_duty(duty.people, now) if post is not None else Duty(None, None)
        most = worst(states)
        unit = {
            "event_uuid": event.uuid,
            "event_name": event.name,
            "disaster_type": event.disaster_type,
            "occurred_at": event.occurred_at,
            "closed_at": event.closed_at,
            "level": level,
            "unit_code": code,
            "unit_name": names[code],
            "status": most.status.value if most else "waiting",
            "windows": [_window_dict(s) for s in states],
            "on_duty": duty_dict(on_duty, duty.people),
        }
        units.append(unit)
        if most is not None and most.status.late:
            alerts.append(_late_alert(unit, most))
    level_order = {"city": 0, "county": 1, "township": 2}
    units.sort(key=lambda u: (u["event_uuid"], level_order[u["level"]], u["unit_code"]))
    return units, alerts + casualty_alerts(session, reach, now, settings, events)


def _when(at: datetime) -> tuple[str, str]:
    local = at.astimezone(CHINA_TZ)
    return (f"{local.month}月{local.day}日 {local:%H:%M}", f"{local:%Y-%m-%d %H:%M} China time")


def _late_alert(unit: dict[str, Any], state: WindowState) -> dict[str, Any]:
    stage = ReportStage(state.window.stage)
    due_zh, due_en = _when(state.window.due_at)
    name, event_name = unit["unit_name"], unit["event_name"]
    level_zh, level_en = _LEVEL_NAMES[unit["level"]]
    zh = (
        f"{name}：“{event_name}”的{level_zh}{stage.label('zh')}{state.status.zh}，"
        f"应于 {due_zh} 前报送。"
    )
    en = (
        f"{name}: the {level_en} {stage.label('en').lower()} report of “{event_name}”: "
        f"{state.status.en} (due {due_en})."
    )
    who = unit["on_duty"]
    if who["username"]:
        zh += f"值班：{who['display_name']}（{who['post_role']}角）。"
        en += f" On duty: {who['display_name']} ({who['post_role']})."
        if who["post_role"] == "B":
            zh += "请 B角立即报送。"
            en += " B, please file now."
    else:
        zh += "无人值守。"
        en += " Nobody is on duty."
    return {
        "kind": state.status.value,
        "level": unit["level"],
        "post_code": unit["unit_code"],
        "village_name": name,
        "zh": zh,
        "en": en,
        "event_uuid": unit["event_uuid"],
        "event_name": event_name,
        "stage": stage.value,
        "due_at": state.window.due_at,
        "a_away": bool(who["acting_for"]),
        "alert_id": f"late:{unit['unit_code']}:{unit['event_uuid']}:{stage.value}:"
        f"{state.status.value}:{state.window.due_at.isoformat()}",
    }


def casualty_alerts(
    session: Session,
    reach: Sequence[str],
    now: datetime,
    settings: LevelDeadlineSettings,
    events: list[_Event],
) -> list[dict[str, Any]]:
    """Return an alert per village whose latest figures on an event name deaths or missing.

    Only versions received within ``casualty_alert_days`` count, and only of events still
    owing reports (a merged event's reports count under the canonical one).
    """
    root = {m: e for e in events for m in e.members}
    if not root or not reach:
        return []
    since = now - timedelta(days=settings.casualty_alert_days)
    latest: dict[tuple[str, str], tuple[datetime, str, str]] = {}
    for chunk in _chunks(root):
        rows = session.execute(
            select(
                ReportVersion.event_uuid,
                ReportVersion.village_code,
                ReportVersion.server_received_at,
                ReportVersion.version_uuid,
                ReportVersion.content_json,
            ).where(
                ReportVersion.event_uuid.in_(chunk),
                ReportVersion.status == VersionStatus.ACCEPTED.value,
                ReportVersion.server_received_at >= since,
                ReportVersion.server_received_at <= now,
                or_(*(within_sql(ReportVersion.village_code, r) for r in reach)),
            )
        ).all()
        for uuid, village, received, version, content in rows:
            key = (root[uuid].uuid, village)
            if key not in latest or (received, version) > latest[key][:2]:
                latest[key] = (received, version, content)
    names = _names(session, {v for _e, v in latest} | {township_of(v) for _e, v in latest})
    out = []
    for (event_uuid, village), (received, _version, content) in sorted(latest.items()):
        figures = json.loads(content).get("figures") or {}
        deaths, missing = casualties(figures)
        if not (deaths or missing):
            continue
        event = next(e for e in events if e.uuid == event_uuid)
        out.append(_casualty_alert(event, village, names, deaths, missing, received))
    return out


def _casualty_alert(
    event: _Event,
    village: str,
    names: dict[str, str],
    deaths: int,
    missing: int,
    received: datetime,
) -> dict[str, Any]:
    place = names.get(village, village)
    township = names.get(township_of(village))
    where_zh = f"{township}{place}" if township else place
    where_en = f"{place} ({township})" if township else place
    at_zh, at_en = _when(received)
    return {
        "kind": "casualty",
        "level": "village",
        "post_code": village,
        "village_name": place,
        "zh": f"人员伤亡：{where_zh}在“{event.name}”中报告因灾死亡 {deaths} 人、失踪 {missing} 人"
        f"（{at_zh} 报送）。请立即核实并电话上报。",
        "en": f"Deaths or missing: {where_en} reports {deaths} dead and {missing} missing in "
        f"“{event.name}” (filed {at_en}). Verify and phone it upward at once.",
        "event_uuid": event.uuid,
        "event_name": event.name,
        "stage": None,
        "due_at": None,
        "a_away": False,
        "alert_id": casualty_alert_id(event.uuid, village, deaths, missing),
        "deaths": deaths,
        "missing": missing,
    }

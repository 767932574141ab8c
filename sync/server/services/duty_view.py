"""``GET /api/v1/duty``: the deadlines of the open events as the server sees them now, and alerts.

For every open event and every village it was opened for (within the caller's reach), the
windows come from ``sync.contract.duty.village_deadlines`` with the deadline settings kept
with the opening, counted from the event's occurrence (the registry's ``events.occurred_at``,
else the one given at the opening; unknown: from the village's opening).  A village's
filings are its accepted versions of the event, each as ``(stage, filed_at)`` with
``filed_at`` the device's ``submitted_at`` corrected by its clock skew, never later than
the server's receipt (``duty_inputs.filing_moment``).

The township, county and city levels (``units``: each unit's windows from the event's
occurrence) and the death/missing alerts are ``unit_deadlines``'s.

Alerts are for the caller: an informant hears of each of their villages that is escalated or
overdue on an open event (and whether A is away), and of their posts nobody covers (A away,
no B); a township reviewer of their escalated and overdue villages, and uncovered posts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.contract import DivisionLevel, ReportStage
from sync.contract.deadlines import LevelDeadlineSettings
from sync.contract.duty import (
    CHINA_TZ,
    DeadlineSettings,
    Duty,
    WindowState,
    village_deadlines,
    worst,
)
from sync.server.jurisdiction import Caller, reach_sql
from sync.server.models import (
    DivisionRow,
    Event,
    EventOpening,
    EventOpeningVillage,
    Post,
    ReportVersion,
    Role,
    VersionStatus,
)
from sync.server.services.duty_inputs import DutyData, duty_dict, filing_moment, load_duty
from sync.server.services.unit_deadlines import unit_view

CHUNK = 500
NOBODY = Duty(None, None)

Filings = dict[tuple[str, str], list[tuple[str, datetime]]]


def _filings(session: Session, event_uuids: Iterable[str], villages: Iterable[str]) -> Filings:
    """Return the accepted filings by (event, village) as ``(stage, filed_at)``."""
    events, codes = sorted(set(event_uuids)), sorted(set(villages))
    out: Filings = {}
    for i in range(0, len(codes), CHUNK):
        for event, village, stage, submitted, received, skew, claimed in session.execute(
            select(
                ReportVersion.event_uuid,
                ReportVersion.village_code,
                ReportVersion.stage,
                ReportVersion.submitted_at,
                ReportVersion.server_received_at,
                ReportVersion.clock_skew_seconds,
                ReportVersion.device_submitted_at,
            ).where(
                ReportVersion.status == VersionStatus.ACCEPTED.value,
                ReportVersion.event_uuid.in_(events),
                ReportVersion.village_code.in_(codes[i : i + CHUNK]),
            )
        ).all():
            out.setdefault((event, village), []).append(
                (stage, filing_moment(received, submitted, skew, claimed is not None))
            )
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


def _post_duty(duty: DutyData, code: str, now: datetime) -> Duty:
    post = duty.posts.get(code)
    return post.on_duty(duty.people, now) if post is not None else NOBODY


def duty_view(
    session: Session,
    caller: Caller,
    under: str | None,
    now: datetime,
    settings: DeadlineSettings,
    levels: LevelDeadlineSettings | None = None,
) -> dict[str, Any]:
    """Return ``{server_time, deadlines, events, alerts, units}`` for the caller.

    ``units`` and their alerts (late townships, counties and the city; deaths and missing
    persons) come from ``unit_deadlines.unit_view`` (see its module doc).
    """
    levels = levels or LevelDeadlineSettings()
    units, unit_alerts = unit_view(session, caller, under, now, levels)
    rows = session.execute(
        select(
            EventOpening,
            EventOpeningVillage,
            DivisionRow.short_name.label("name"),
            Event.occurred_at,
        )
        .join(EventOpeningVillage, EventOpeningVillage.opening_id == EventOpening.id)
        .join(DivisionRow, DivisionRow.code == EventOpeningVillage.village_code)
        .join(Event, Event.event_uuid == EventOpening.event_uuid, isouter=True)
        .where(
            EventOpening.closed_at.is_(None),
            reach_sql(caller, EventOpeningVillage.village_code, under),
        )
        .order_by(EventOpening.opened_at, EventOpening.id, EventOpeningVillage.village_code)
    ).all()
    codes = {v.village_code for _o, v, _n, _t in rows}
    filings = _filings(session, {o.event_uuid for o, _v, _n, _t in rows}, codes)
    duty = load_duty(session, codes | set(_watched_posts(session, caller, under)), now=now)
    events: dict[int, dict[str, Any]] = {}
    late: list[tuple[dict[str, Any], dict[str, Any], WindowState]] = []
    for opening, village, name, occurred in rows:
        event = events.get(opening.id)
        if event is None:
            event = events[opening.id] = {
                "event_uuid": opening.event_uuid,
                "event_name": opening.event_name,
                "township_code": opening.township_code,
                "disaster_type": opening.disaster_type,
                "occurred_at": occurred or opening.occurred_at,
                "opened_at": opening.opened_at,
                "closed_at": opening.closed_at,
                "deadlines": DeadlineSettings.from_wire(
                    json.loads(opening.deadlines_json)
                ).to_wire(),
                "villages": [],
            }
        states = village_deadlines(
            village.opened_at,
            opening.closed_at,
            filings.get((opening.event_uuid, village.village_code), []),
            now,
            DeadlineSettings.from_wire(event["deadlines"]),
            event["occurred_at"],
        )
        most = worst(states)
        row = {
            "village_code": village.village_code,
            "village_name": name,
            "opened_at": village.opened_at,
            "status": most.status.value if most else "waiting",
            "windows": [_window_dict(s) for s in states],
            "on_duty": duty_dict(_post_duty(duty, village.village_code, now), duty.people),
        }
        event["villages"].append(row)
        if most is not None and most.status.late:
            late.append((event, row, most))
    names = (
        dict(
            session.execute(
                select(DivisionRow.code, DivisionRow.short_name.label("name")).where(
                    DivisionRow.code.in_(sorted(duty.posts))
                )
            ).all()
        )
        if duty.posts
        else {}
    )
    return {
        "server_time": now,
        "deadlines": settings.to_wire(),
        "events": list(events.values()),
        "alerts": unit_alerts + _alerts(caller, late, duty, now, names),
        "units": units,
        "level_deadlines": levels.to_wire(),
    }


def _watched_posts(session: Session, caller: Caller, under: str | None) -> list[str]:
    """Return the posts whose cover the caller hears of: their own, or their villages'."""
    if caller.role is Role.VILLAGE_INFORMANT:
        return [p.division_code for p in caller.posts]
    if caller.role is not Role.TOWNSHIP_REVIEWER:
        return []
    return list(
        session.scalars(
            select(Post.division_code).where(
                reach_sql(caller, Post.division_code, under),
                Post.level == DivisionLevel.VILLAGE.value,
            )
        )
    )


def _alerts(
    caller: Caller,
    late: list[tuple[dict[str, Any], dict[str, Any], WindowState]],
    duty: DutyData,
    now: datetime,
    names: dict[str, str],
) -> list[dict[str, Any]]:
    if caller.role not in (Role.VILLAGE_INFORMANT, Role.TOWNSHIP_REVIEWER):
        return []
    mine = {p.division_code for p in caller.posts}
    informant = caller.role is Role.VILLAGE_INFORMANT
    out = []
    for event, village, state in late:
        if informant and village["village_code"] not in mine:
            continue
        out.append(_late_alert(event, village, state, duty, now, informant))
    for code, post in sorted(duty.posts.items()):
        if informant and code not in mine:
            continue
        on_duty = post.on_duty(duty.people, now)
        if on_duty.username is None and on_duty.absence is not None:
            out.append(_uncovered_alert(code, names.get(code, code), on_duty, duty))
    return out


def _when(at: datetime) -> tuple[str, str]:
    local = at.astimezone(CHINA_TZ)
    return (f"{local.month}月{local.day}日 {local:%H:%M}", f"{local:%Y-%m-%d %H:%M} China time")


def _late_alert(
    event: dict[str, Any],
    village: dict[str, Any],
    state: WindowState,
    duty: DutyData,
    now: datetime,
    informant: bool,
) -> dict[str, Any]:
    stage = ReportStage(state.window.stage)
    due_zh, due_en = _when(state.window.due_at)
    name, event_name = village["village_name"], event["event_name"]
    zh = f"{name}：“{event_name}”的{stage.label('zh')}{state.status.zh}，应于 {due_zh} 前报送。"
    en = (
        f"{name}: the {stage.label('en').lower()} report of “{event_name}”: "
        f"{state.status.en} (due {due_en})."
    )
    on_duty = _post_duty(duty, village["village_code"], now)
    away = on_duty.absence
    if away is not None:
        a = duty.people.get(away.username)
        a_name = a.display_name if a else away.username
        zh += f"A角{a_name}{away.kind.zh}，由 B角代报。"
        en += f" A ({a_name}) is {away.kind.en}; B files for them."
    elif informant:
        zh += "A角在岗。"
        en += " A is on duty."
    if not informant:
        who = village["on_duty"]
        zh += (
            f"值班：{who['display_name']}（{who['post_role']}角）。"
            if who["username"]
            else "无人值守。"
        )
        en += (
            f" On duty: {who['display_name']} ({who['post_role']})."
            if who["username"]
            else " Nobody is on duty."
        )
    return {
        "kind": state.status.value,
        "post_code": village["village_code"],
        "village_name": name,
        "zh": zh,
        "en": en,
        "event_uuid": event["event_uuid"],
        "event_name": event_name,
        "stage": stage.value,
        "due_at": state.window.due_at,
        "a_away": away is not None,
    }


def _uncovered_alert(code: str, name: str, on_duty: Duty, duty: DutyData) -> dict[str, Any]:
    away = on_duty.absence
    assert away is not None
    a = duty.people.get(away.username)
    a_name = a.display_name if a else away.username
    return {
        "kind": "uncovered",
        "post_code": code,
        "village_name": name,
        "zh": f"{name}：A角{a_name}{away.kind.zh}，且没有 B角，无人值守，请安排 B角。",
        "en": f"{name}: A ({a_name}) is {away.kind.en} and there is no B: nobody is on "
        "duty; assign a B.",
        "event_uuid": None,
        "event_name": None,
        "stage": None,
        "due_at": None,
        "a_away": True,
    }

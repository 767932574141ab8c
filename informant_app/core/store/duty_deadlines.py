"""Deadlines of opened events judged offline from the store, and the duty alerts on screen.

An opening (``event_openings``, from the feed or ``GET /duty``) carries its deadline settings,
so the device judges each village's windows with ``sync.contract.duty.village_deadlines``,
counted from the event's occurrence the server sent (``occurred_at``; unknown: from the
village's opening), from the filings it knows: its own submitted versions (queued ones
count: the village has filed), the versions pulled from the server, and the filings the
server listed in its last duty answer.  An informant sees their own villages; a reviewer
or admin every village in reach.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from informant_app.core.duty.types import (
    AlertKind,
    DutyAlert,
    OpenEvent,
    VillageDeadline,
    WindowStatus,
)
from informant_app.core.store.duty import division_name, holdings_of, server_time_of
from informant_app.core.store.duty_views import (
    MANAGED_LEVEL,
    listed_posts,
    my_post_codes,
    post_duty_now,
    roster_codes,
)
from informant_app.core.store.models import (
    EventOpeningRow,
    ReportVersionRow,
    ReviewCacheRow,
    VersionReviewRow,
    VersionSyncRow,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_state import now_utc, read_account, read_state
from informant_app.core.sync.types import Account
from sync.client.api import parse_server_time
from sync.contract import ReportStage, is_within
from sync.contract.china_time import CHINA_TZ
from sync.contract.duty import (
    DeadlineSettings,
    Duty,
    WindowState,
    holder_at,
    village_deadlines,
    worst,
)

#: Local states of a version the village has filed (an error was refused: not filed).
FILED_STATES = ("queued", "sending", "received", "conflict")
_SEVERITY = {
    WindowStatus.OVERDUE: 0,
    WindowStatus.ESCALATED: 1,
    WindowStatus.WAITING: 2,
    WindowStatus.FILED_LATE: 3,
    WindowStatus.FILED: 4,
}


@dataclass(frozen=True)
class Opening:
    """A cached opening, parsed."""

    township_code: str
    event_uuid: str
    event_name: str
    disaster_type: str
    occurred_at: datetime | None
    opened_at: datetime
    closed_at: datetime | None
    villages: tuple[str, ...]
    village_opened: dict[str, datetime]
    settings: DeadlineSettings
    filed: dict[str, list[tuple[str, datetime]]]


def _opening(row: EventOpeningRow) -> Opening:
    filed: dict[str, list[tuple[str, datetime]]] = {}
    for code, items in dict(json.loads(row.filed or "{}")).items():
        filed[code] = [(str(stage), parse_server_time(at)) for stage, at in items]
    return Opening(
        township_code=row.township_code,
        event_uuid=row.event_uuid,
        event_name=row.event_name or row.event_uuid,
        disaster_type=row.disaster_type,
        occurred_at=row.occurred_at,
        opened_at=row.opened_at,
        closed_at=row.closed_at,
        villages=tuple(json.loads(row.village_codes or "[]")),
        village_opened={
            c: parse_server_time(t) for c, t in dict(json.loads(row.village_opened or "{}")).items()
        },
        settings=DeadlineSettings.from_wire(json.loads(row.deadlines or "{}")),
        filed=filed,
    )


def _skew(s: Session) -> timedelta:
    state = read_state(s)
    return timedelta(seconds=(state.clock_skew_seconds if state is not None else None) or 0.0)


def filings(s: Session, opening: Opening, village: str) -> list[tuple[str, datetime]]:
    """Return ``(stage, filed_at)`` of every filing of the village on the event known here.

    Own versions count at their ``submitted_at`` on the server's clock; pulled ones at their
    ``submitted_at``, never later than the server received them.
    """
    skew = _skew(s)
    out = list(opening.filed.get(village, []))
    own = s.execute(
        select(ReportVersionRow.stage, ReportVersionRow.submitted_at, VersionSyncRow.origin)
        .outerjoin(VersionSyncRow, VersionSyncRow.version_uuid == ReportVersionRow.version_uuid)
        .where(
            ReportVersionRow.event_uuid == opening.event_uuid,
            ReportVersionRow.village_code == village,
            ReportVersionRow.state.in_(FILED_STATES),
            ReportVersionRow.submitted_at.is_not(None),
        )
    ).all()
    for stage, submitted, origin in own:
        if submitted is not None:
            out.append((stage, submitted if origin == "remote" else submitted - skew))
    pulled = s.execute(
        select(
            VersionReviewRow.stage, VersionReviewRow.submitted_at, VersionReviewRow.received_at
        ).where(
            VersionReviewRow.event_uuid == opening.event_uuid,
            VersionReviewRow.village_code == village,
        )
    ).all()
    for stage, submitted, received in pulled:
        out.append((stage, min(submitted or received, received)))
    return out


def _villages(s: Session, account: Account | None, opening: Opening, now: datetime) -> list[str]:
    """Return the villages of an opening the person on screen follows."""
    if account is None:
        return list(opening.villages)
    if account.role in MANAGED_LEVEL:
        return [c for c in opening.villages if is_within(c, account.jurisdiction_code)]
    mine = set(my_post_codes(s, account, now))
    return [c for c in opening.villages if c in mine]


def _village(
    s: Session, opening: Opening, code: str, now: datetime, account: Account | None
) -> VillageDeadline:
    opened = opening.village_opened.get(code, opening.opened_at)
    states = village_deadlines(
        opened,
        opening.closed_at,
        filings(s, opening, code),
        now,
        opening.settings,
        opening.occurred_at,
    )
    top = worst(states)
    duty, names = post_duty_now(s, code, now, account)
    return VillageDeadline(
        village_code=code,
        village_name=division_name(code),
        status=top.status if top is not None else WindowStatus.WAITING,
        windows=tuple(states),
        on_duty_name=names.get(duty.username, duty.username) if duty.username else None,
    )


def _events(s: Session, now: datetime) -> list[OpenEvent]:
    account = read_account(s)
    rows = s.scalars(
        select(EventOpeningRow).where(
            or_(EventOpeningRow.closed_at.is_(None), EventOpeningRow.closed_at > now)
        )
    ).all()
    events = []
    for row in rows:
        opening = _opening(row)
        villages = [
            _village(s, opening, c, now, account) for c in _villages(s, account, opening, now)
        ]
        if not villages and account is not None:
            continue
        villages.sort(key=lambda v: (_SEVERITY[v.status], v.village_code))
        events.append(
            OpenEvent(
                event_uuid=opening.event_uuid,
                event_name=opening.event_name,
                township_code=opening.township_code,
                disaster_type=opening.disaster_type,
                opened_at=opening.opened_at,
                villages=tuple(villages),
                closed_at=opening.closed_at,
            )
        )
    events.sort(key=lambda e: (not e.late_villages, -e.opened_at.timestamp(), e.event_uuid))
    return events


def open_events(store: ReportStore, now: datetime | None = None) -> list[OpenEvent]:
    """Return the open events the person on screen follows, late events and villages first."""
    with Session(store.engine) as s:
        return _events(s, server_time_of(s, now or store.now()))


# --- alerts -------------------------------------------------------------------------------


def _hhmm(at: datetime) -> str:
    # China time, as everywhere on screen, whatever the PC's zone.
    return at.astimezone(CHINA_TZ).strftime("%H:%M")


def _late_text(state: WindowState) -> tuple[str, str, str, str]:
    """Return the stage and the lateness, in Chinese and English."""
    stage = ReportStage(state.window.stage)
    due = _hhmm(state.window.due_at)
    if state.status is WindowStatus.OVERDUE:
        return (
            stage.label("zh"),
            f"已超时（截止 {due}）",
            stage.label("en").lower(),
            f"it is overdue (due {due})",
        )
    return (
        stage.label("zh"),
        f"已过半时限（截止 {due}）",
        stage.label("en").lower(),
        f"half the time is gone (due {due})",
    )


def _informant_text(
    s: Session,
    account: Account,
    event: OpenEvent,
    village: VillageDeadline,
    state: WindowState,
    duty: Duty,
    names: dict[str, str],
    now: datetime,
) -> tuple[str, str]:
    stage_zh, late_zh, stage_en, late_en = _late_text(state)
    head_zh, head_en = f"事件“{event.event_name}”：", f'Event "{event.event_name}": '
    holdings = holdings_of(s, village.village_code, account)
    a = holder_at(holdings, "A", now)
    if holder_at(holdings, "B", now) != account.username or a == account.username:
        return (
            f"{head_zh}{village.village_name}尚未报送{stage_zh}，{late_zh}。请立即报送。",
            f"{head_en}{village.village_name} has not filed the {stage_en} report; "
            f"{late_en}. Please file now.",
        )
    if a is None:
        return (
            f"{head_zh}{village.village_name}没有 A，尚未报送{stage_zh}，{late_zh}。"
            "请 B 立即报送。",
            f"{head_en}{village.village_name} has no A and has not filed the {stage_en} "
            f"report; {late_en}. B, please file now.",
        )
    a_name = names.get(a, a)
    if duty.absence is not None:
        kind = duty.absence.kind
        return (
            f"{head_zh}A（{a_name}）{kind.zh}，{village.village_name}尚未报送{stage_zh}，"
            f"{late_zh}。请 B 立即代 A 报送。",
            f"{head_en}A ({a_name}) is {kind.en} and {village.village_name} has not filed "
            f"the {stage_en} report; {late_en}. B, please file for A now.",
        )
    return (
        f"{head_zh}A（{a_name}）尚未报送{stage_zh}，{late_zh}。请 B 立即报送。",
        f"{head_en}A ({a_name}) has not filed the {stage_en} report for "
        f"{village.village_name}; {late_en}. B, please file now.",
    )


def _manager_text(
    event: OpenEvent, village: VillageDeadline, state: WindowState
) -> tuple[str, str]:
    stage_zh, late_zh, stage_en, late_en = _late_text(state)
    who_zh = village.on_duty_name or "无人值守"
    who_en = village.on_duty_name or "nobody"
    return (
        f"事件“{event.event_name}”：{village.village_name}尚未报送{stage_zh}，{late_zh}。"
        f"值守：{who_zh}。",
        f'Event "{event.event_name}": {village.village_name} has not filed the {stage_en} '
        f"report; {late_en}. On duty: {who_en}.",
    )


def _late_alerts(
    s: Session, account: Account, events: list[OpenEvent], now: datetime
) -> list[DutyAlert]:
    alerts = []
    for event in events:
        for village in event.late_villages:
            state = worst(village.windows)
            if state is None:
                continue
            if account.role in MANAGED_LEVEL:
                zh, en = _manager_text(event, village, state)
            else:
                duty, names = post_duty_now(s, village.village_code, now, account)
                zh, en = _informant_text(s, account, event, village, state, duty, names, now)
            kind = (
                AlertKind.OVERDUE if state.status is WindowStatus.OVERDUE else AlertKind.ESCALATED
            )
            alerts.append(
                DutyAlert(
                    kind=kind,
                    post_code=village.village_code,
                    village_name=village.village_name,
                    zh=zh,
                    en=en,
                    event_uuid=event.event_uuid,
                    event_name=event.event_name,
                    stage=state.window.stage,
                    due_at=state.window.due_at,
                )
            )
    return alerts


def _uncovered_alerts(s: Session, account: Account, now: datetime) -> list[DutyAlert]:
    """Return an alert for each followed post whose A is away with no B to take over."""
    alerts = []
    for code in roster_codes(s, account, listed_posts(s), now):
        duty, names = post_duty_now(s, code, now, account)
        if duty.username is not None or duty.absence is None:
            continue
        away = duty.absence
        a_name = names.get(away.username, away.username)
        until = away.effective_end.astimezone(CHINA_TZ).strftime("%m-%d %H:%M")
        name = division_name(code)
        manager = account.role in MANAGED_LEVEL
        ask_zh = "请指定 B。" if manager else "请联系乡镇指定 B。"
        ask_en = "Please assign a B." if manager else "Please ask the township to assign a B."
        alerts.append(
            DutyAlert(
                kind=AlertKind.UNCOVERED,
                post_code=code,
                village_name=name,
                zh=f"{name}：A（{a_name}）{away.kind.zh}（至 {until}），没有 B，"
                f"本岗位无人值守。{ask_zh}",
                en=f"{name}: A ({a_name}) is {away.kind.en} until {until} and there is "
                f"no B: nobody is on duty. {ask_en}",
            )
        )
    return alerts


#: Cache key of the last ``GET /duty`` answer (``informant_app.core.duty.online.DUTY_KEY``).
DUTY_ANSWER_KEY = "duty|duty"
#: Cache key of the alerts acknowledged on this device.
ACKNOWLEDGED_KEY = "duty|acknowledged"


def _acknowledged(s: Session) -> set[str]:
    row = s.get(ReviewCacheRow, ACKNOWLEDGED_KEY)
    return set(json.loads(row.payload).get("ids", [])) if row is not None else set()


def server_alerts(s: Session) -> list[DutyAlert]:
    """Return the alerts of the last ``GET /duty`` the device judges not offline.

    Late townships, counties and the city, and deaths or missing persons (acknowledged ones
    left out): the server judged them at its last answer, kept until the next sync.
    """
    row = s.get(ReviewCacheRow, DUTY_ANSWER_KEY)
    if row is None:
        return []
    done = _acknowledged(s)
    out = []
    for a in json.loads(row.payload).get("alerts", []):
        level, kind = a.get("level", "village"), a.get("kind")
        if level == "village" and kind != AlertKind.CASUALTY:
            continue  # judged here from the openings
        if kind == AlertKind.CASUALTY and a.get("alert_id") in done:
            continue
        out.append(
            DutyAlert(
                kind=str(kind),
                post_code=a["post_code"],
                village_name=a.get("village_name", ""),
                zh=a["zh"],
                en=a["en"],
                event_uuid=a.get("event_uuid"),
                event_name=a.get("event_name"),
                stage=a.get("stage"),
                due_at=parse_server_time(a["due_at"]) if a.get("due_at") else None,
                level=level,
                alert_id=a.get("alert_id", ""),
            )
        )
    return out


def acknowledge_alert(store: ReportStore, alert_id: str) -> None:
    """Remember on this device that ``alert_id`` was seen (it is not shown again)."""
    with store.write_session() as s, s.begin():
        done = _acknowledged(s) | {alert_id}
        row = s.get(ReviewCacheRow, ACKNOWLEDGED_KEY)
        payload = json.dumps({"ids": sorted(done)})
        if row is None:
            s.add(
                ReviewCacheRow(
                    key=ACKNOWLEDGED_KEY,
                    kind="duty_acknowledged",
                    payload=payload,
                    fetched_at=now_utc(),
                    server_time=None,
                )
            )
        else:
            row.payload = payload


def duty_alerts(store: ReportStore, now: datetime | None = None) -> list[DutyAlert]:
    """Return what the person on screen must act on now: late villages, uncovered posts.

    An informant: their villages escalated or overdue on an open event (the message says
    whether A is away and asks B to file), and their posts with A away and no B.  A reviewer
    or admin: the late villages in reach and the uncovered posts they manage.  Overdue first.
    """
    with Session(store.engine) as s:
        now = server_time_of(s, now or store.now())
        account = read_account(s)
        if account is None:
            return []
        alerts = _late_alerts(s, account, _events(s, now), now)
        alerts += _uncovered_alerts(s, account, now)
        alerts += server_alerts(s)
    order = {
        AlertKind.CASUALTY: -1,
        AlertKind.OVERDUE: 0,
        AlertKind.ESCALATED: 1,
        AlertKind.UNCOVERED: 2,
    }
    alerts.sort(key=lambda a: (order.get(a.kind, 3), a.due_at or now, a.post_code))
    return alerts

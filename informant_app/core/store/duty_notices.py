"""What an informant is told of their duty: events newly opened for their village, who is on duty.

``new_events``: the open events the township opened for a village the signed-in informant holds
whose initial report is not filed yet, for its A (always) and its B (while B is on duty).  The
device tells each once (``mark_told``; remembered in ``review_cache`` under ``TOLD_KEY``, so a
restart does not tell it again).  ``on_duty_now``: the informant's posts with who is on duty,
why and since when.  Everything is judged offline from the caches the sync rounds fill.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from informant_app.core.duty.types import NewEvent, OnDutyNow, WindowStatus
from informant_app.core.store.duty import (
    absence_of,
    absence_rows,
    division_name,
    holdings_of,
    server_time_of,
)
from informant_app.core.store.duty_deadlines import open_events
from informant_app.core.store.duty_views import (
    INFORMANT_ROLE,
    listed_posts,
    post_duty,
    roster_codes,
)
from informant_app.core.store.models import EventOpeningRow, ReviewCacheRow
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_state import now_utc, read_account
from sync.contract import ReportStage, format_time
from sync.contract.duty import Absence, Holding, holder_at, on_duty_at

#: Cache key of the (event, village) pairs this device told its informant about.
TOLD_KEY = "duty|told_events"
#: The states of an initial report that is still due.
_DUE = (WindowStatus.WAITING, WindowStatus.ESCALATED, WindowStatus.OVERDUE)


def _told(s: Session) -> set[str]:
    row = s.get(ReviewCacheRow, TOLD_KEY)
    return set(json.loads(row.payload).get("keys", [])) if row is not None else set()


def new_events(store: ReportStore, now: datetime | None = None) -> list[NewEvent]:
    """Return the open events whose initial report my villages still owe, oldest first.

    Only for a village informant: a village's A always, its B while B is on duty there.
    ``told`` says whether this device told the informant already.
    """
    now = now or store.now()
    events = open_events(store, now)
    with Session(store.engine) as s:
        account = read_account(s)
        if account is None or account.role != INFORMANT_ROLE:
            return []
        at = server_time_of(s, now)
        told = _told(s)
        out = []
        for event in events:
            row = s.get(EventOpeningRow, (event.township_code, event.event_uuid))
            for village in event.villages:
                initial = next(
                    (w for w in village.windows if w.window.stage == ReportStage.INITIAL.value),
                    None,
                )
                if initial is None or initial.filed_at is not None or initial.status not in _DUE:
                    continue
                code = village.village_code
                holdings = holdings_of(s, code, account)
                if holder_at(holdings, "A", at) == account.username:
                    role = "A"
                elif holder_at(holdings, "B", at) == account.username:
                    duty = on_duty_at(holdings, [absence_of(r) for r in absence_rows(s, code)], at)
                    if duty.username != account.username:
                        continue  # B, while A is on duty: A is told
                    role = "B"
                else:
                    continue
                news = NewEvent(
                    event_uuid=event.event_uuid,
                    event_name=event.event_name,
                    disaster_type=event.disaster_type,
                    village_code=code,
                    village_name=village.village_name,
                    opened_at=event.opened_at,
                    due_at=initial.window.due_at,
                    status=initial.status,
                    my_role=role,
                    occurred_at=row.occurred_at if row is not None else None,
                )
                out.append(news if news.key not in told else _told_copy(news))
    out.sort(key=lambda n: (n.opened_at, n.event_uuid, n.village_code))
    return out


def _told_copy(news: NewEvent) -> NewEvent:
    return NewEvent(**{**news.__dict__, "told": True})


def mark_told(store: ReportStore, keys: Iterable[str]) -> None:
    """Remember that the informant was told about these (event, village) keys."""
    wanted = set(keys)
    if not wanted:
        return
    with store.write_session() as s, s.begin():
        row = s.get(ReviewCacheRow, TOLD_KEY)
        payload = json.dumps({"keys": sorted(_told(s) | wanted)})
        if row is None:
            s.add(
                ReviewCacheRow(
                    key=TOLD_KEY,
                    kind="duty_told",
                    payload=payload,
                    fetched_at=now_utc(),
                    server_time=None,
                )
            )
        else:
            row.payload = payload


def event_fields(store: ReportStore, event_uuid: str) -> dict[str, Any]:
    """Return the event keys of a report joining the opened event (``KeyError``: not cached)."""
    with Session(store.engine) as s:
        row = s.scalars(
            select(EventOpeningRow)
            .where(EventOpeningRow.event_uuid == event_uuid)
            .order_by(EventOpeningRow.opened_at)
            .limit(1)
        ).first()
        if row is None:
            raise KeyError(event_uuid)
        return {
            "event_uuid": row.event_uuid,
            "event_name": row.event_name or "",
            "disaster_type": row.disaster_type,
            "occurred_at": format_time(row.occurred_at or row.opened_at),
        }


def _since(holdings: Sequence[Holding], absences: Sequence[Absence], now: datetime) -> datetime:
    """Return when the duty in force at ``now`` began (the last change before ``now``)."""
    current = on_duty_at(holdings, absences, now)
    key = (current.username, current.post_role)
    moments = {h.valid_from for h in holdings} | {h.valid_to for h in holdings if h.valid_to}
    moments |= {a.starts_at for a in absences} | {a.effective_end for a in absences}
    earliest = min(moments, default=now)
    for moment in sorted((m for m in moments if m <= now), reverse=True):
        before = on_duty_at(holdings, absences, moment - timedelta(microseconds=1))
        if (before.username, before.post_role) != key:
            return moment
    return earliest


def on_duty_now(store: ReportStore, now: datetime | None = None) -> list[OnDutyNow]:
    """Return the signed-in informant's posts: holders, who is on duty now and since when."""
    with Session(store.engine) as s:
        at = server_time_of(s, now or store.now())
        account = read_account(s)
        if account is None:
            return []
        listed = listed_posts(s)
        out = []
        for code in roster_codes(s, account, listed, at):
            post = post_duty(s, code, at, account, listed.get(code))
            if not post.post_name:
                post = post.__class__(**{**post.__dict__, "post_name": division_name(code)})
            holdings = holdings_of(s, code, account)
            absences = [absence_of(r) for r in absence_rows(s, code)]
            since = _since(holdings, absences, at) if holdings else None
            out.append(OnDutyNow(post, since))
        return out

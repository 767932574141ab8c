"""Keeping the server's duty answers in the local caches at once (no waiting for a sync round).

The ``apply_*`` functions take a typed answer of docs/duty.md (``sync.contract.wire.duty``) in
the caller's transaction.  An item the store cannot keep is skipped with a log line (its
savepoint rolled back): the server has done the work, and the change feed brings the same facts
again at the next round.  The store's upserts take the wire's JSON objects, so each record
crosses that boundary through ``as_object``.  The ``keep_*`` functions are what the online duty
actions (``informant_app.core.duty.online``) call: each keeps one answer in one transaction and
returns what the screen shows next.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from functools import partial
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from informant_app.core.duty.types import AbsenceInfo, AssignmentRecord, HandoverInfo
from informant_app.core.duty.types import PostHistory as PostHistoryView
from informant_app.core.store.duty import (
    absence_rows,
    end_missing_holders,
    holdings_of,
    roster_rows,
    upsert_absence,
    upsert_assignment,
    upsert_handover,
    upsert_opening,
)
from informant_app.core.store.duty_views import absence_info, handover_info
from informant_app.core.store.models import (
    AbsenceRow,
    EventOpeningRow,
    HandoverRow,
    ReportVersionRow,
    RosterRow,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_state import now_utc, read_account
from informant_app.core.store.types import ReportState
from sync.contract.duty import holder_at
from sync.contract.wire.base import as_object, wire_text
from sync.contract.wire.duty import (
    AbsenceResult,
    AssignResult,
    Duty,
    DutyEvent,
    DutyVillage,
    EndAssignmentResult,
    OpeningResult,
    PostHistory,
    Roster,
    SignOffResult,
)

log = logging.getLogger(__name__)

MALFORMED = (KeyError, TypeError, ValueError)


def server_time(payload: Any, fallback: datetime) -> datetime:
    """Return an answer's ``server_time`` in UTC (``fallback`` when it has none)."""
    value = getattr(payload, "server_time", None)
    return value.astimezone(UTC) if isinstance(value, datetime) else fallback


def records(value: object) -> list[dict[str, Any]]:
    """Return the JSON objects of a record, a list of records, or nothing.

    A record is a wire message (``msgspec.Struct``) or a JSON object already.
    """
    items = value if isinstance(value, list | tuple) else [value]
    out: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, msgspec.Struct):
            out.append(as_object(item))
        elif isinstance(item, Mapping):
            out.append(dict(item))
    return out


def keep(s: Session, what: str, apply: Callable[[], object]) -> bool:
    """Run ``apply`` in a savepoint; on a malformed item log it and go on."""
    try:
        with s.begin_nested():
            apply()
    except MALFORMED:
        log.warning("%s of the server's answer not kept", what, exc_info=True)
        return False
    return True


def apply_roster(s: Session, payload: Roster, now: datetime) -> None:
    """Keep a ``GET /roster`` answer: holders, their absences; unlisted holders have ended."""
    at = server_time(payload, now)
    for post in payload.posts:
        code = post.division_code
        for holder in post.holders:
            keep(
                s,
                "holder",
                partial(
                    upsert_assignment,
                    s,
                    {**as_object(holder), "valid_to": None},
                    post_code=code,
                    level=post.level,
                ),
            )
        kept = [h.assignment_id for h in post.holders]  # every holder named: the others ended
        keep(s, "ended holders", partial(end_missing_holders, s, code, kept, at))
        apply_absences(s, post.absences, now, code)


def apply_absences(s: Session, value: object, now: datetime, post_code: str | None = None) -> None:
    """Keep the absences of an answer (one, a list, or none)."""
    for data in records(value):
        keep(
            s, "absence", partial(upsert_absence, s, data, now, data.get("post_code") or post_code)
        )


def apply_handovers(s: Session, value: object, now: datetime, post_code: str | None = None) -> None:
    """Keep the handovers of an answer (one, a list, or none)."""
    for data in records(value):
        keep(
            s,
            "handover",
            partial(upsert_handover, s, data, now, data.get("post_code") or post_code),
        )


def apply_assignments(s: Session, value: object, post_code: str | None = None) -> None:
    """Keep the assignments of an answer (``valid_to`` set when ended)."""
    for data in records(value):
        keep(
            s,
            "assignment",
            partial(upsert_assignment, s, data, post_code=data.get("post_code") or post_code),
        )


def apply_history(s: Session, payload: PostHistory, post_code: str, now: datetime) -> None:
    """Keep a ``GET /roster/history`` answer: assignments, absences, handovers of one post."""
    apply_assignments(s, payload.assignments, post_code)
    apply_absences(s, payload.absences, now, post_code)
    apply_handovers(s, payload.handovers, now, post_code)


def _filed(villages: Iterable[DutyVillage]) -> dict[str, list[list[str]]]:
    """Return each village's filed windows as ``[stage, filed_at]`` pairs."""
    return {
        v.village_code: [
            [w.stage, wire_text(w.filed_at)] for w in v.windows if w.filed_at is not None
        ]
        for v in villages
    }


def apply_duty_event(s: Session, event: DutyEvent, now: datetime) -> None:
    """Keep one open event of a ``GET /duty`` answer: its villages, windows and filings."""
    data = {**as_object(event), "village_codes": [v.village_code for v in event.villages]}
    upsert_opening(s, data, now, filed=_filed(event.villages))


def apply_duty(s: Session, payload: Duty, now: datetime) -> None:
    """Keep a ``GET /duty`` answer's open events."""
    for event in payload.events:
        keep(s, "open event", partial(apply_duty_event, s, event, now))


# --- one answer, one transaction ----------------------------------------------------------

UNSENT_STATES = (
    ReportState.DRAFT.value,
    ReportState.QUEUED.value,
    ReportState.SENDING.value,
    ReportState.ERROR.value,
)


def keep_roster(store: ReportStore, payload: Roster) -> None:
    """Keep a ``GET /roster`` answer."""
    with store.write_session() as s, s.begin():
        apply_roster(s, payload, now_utc())


def keep_history(store: ReportStore, payload: PostHistory, post_code: str) -> PostHistoryView:
    """Keep a ``GET /roster/history`` answer; return the post's history, oldest first."""
    with store.write_session() as s, s.begin():
        apply_history(s, payload, post_code, now_utc())
        assignments = tuple(
            AssignmentRecord(
                r.assignment_id,
                r.post_role,
                r.username,
                r.display_name or r.username,
                r.valid_from,
                r.valid_to,
                r.reason or "",
                r.ended_reason or "",
            )
            for r in roster_rows(s, post_code)
        )
        absences = tuple(absence_info(r) for r in absence_rows(s, post_code))
        handovers = tuple(
            handover_info(r)
            for r in s.scalars(
                select(HandoverRow)
                .where(HandoverRow.post_code == post_code)
                .order_by(HandoverRow.created_at, HandoverRow.handover_uuid)
            )
        )
    return PostHistoryView(post_code, assignments, absences, handovers)


def keep_assignment(store: ReportStore, payload: AssignResult, post_code: str) -> None:
    """Keep the answer to an assignment: the new holder, the one it ended, the handover."""
    with store.write_session() as s, s.begin():
        apply_assignments(s, payload.assignment, post_code)
        apply_assignments(s, payload.ended, post_code)
        apply_handovers(s, payload.handover, now_utc(), post_code)


def keep_ended_assignment(
    store: ReportStore, payload: EndAssignmentResult, assignment_id: int
) -> str | None:
    """Keep the answer to ending an assignment; return its post (``None`` when unknown)."""
    with store.write_session() as s, s.begin():
        cached = s.get(RosterRow, assignment_id)
        apply_assignments(s, payload.assignment)
        post_code = cached.post_code if cached is not None else None
        apply_handovers(s, payload.handover, now_utc(), post_code)
        s.expire_all()  # the upsert wrote past the session's copy
        found = s.get(RosterRow, assignment_id)
        return found.post_code if found is not None else post_code


def unsent_reports(store: ReportStore, post_code: str) -> list[dict[str, Any]]:
    """Return this device's unsent reports of a village (drafts, queued, refused)."""
    with Session(store.engine) as s:
        rows = s.execute(
            select(
                ReportVersionRow.report_uuid,
                ReportVersionRow.version_uuid,
                ReportVersionRow.stage,
                ReportVersionRow.state,
                ReportVersionRow.content,
            )
            .where(
                ReportVersionRow.is_latest.is_(True),
                ReportVersionRow.village_code == post_code,
                ReportVersionRow.state.in_(UNSENT_STATES),
            )
            .order_by(ReportVersionRow.created_at)
        ).all()
    out = []
    for report_uuid, version_uuid, stage, state, content in rows:
        name = json.loads(content).get("event_name") if content else None
        out.append(
            {
                "report_uuid": report_uuid,
                "version_uuid": version_uuid,
                "event_name": str(name or ""),
                "stage": stage,
                "state": state,
            }
        )
    return out


def a_holder_at(store: ReportStore, post_code: str, at: datetime) -> tuple[str | None, str]:
    """Return the post's A at ``at`` as the cache knows it: username and name."""
    with Session(store.engine) as s:
        holdings = holdings_of(s, post_code, read_account(s))
        a = holder_at(holdings, "A", at)
        names = {r.username: r.display_name for r in roster_rows(s, post_code)}
    return a, names.get(a or "", a or "")


def keep_absence(
    store: ReportStore, payload: AbsenceResult, post_code: str | None = None
) -> AbsenceInfo | None:
    """Keep the answer to marking or ending an absence; return it (``None`` when not kept)."""
    now = now_utc()
    with store.write_session() as s, s.begin():
        apply_absences(s, payload.absence, now, post_code)
        apply_handovers(s, payload.handover, now, post_code)
        s.expire_all()  # the upsert wrote past the session's copy
        row = s.get(AbsenceRow, payload.absence.absence_uuid)
        return absence_info(row) if row is not None else None


def keep_sign_off(
    store: ReportStore, payload: SignOffResult, handover_uuid: str, note: str
) -> HandoverInfo | None:
    """Keep a handover signed off as the township; return it (``None`` when not cached)."""
    now = now_utc()
    with store.write_session() as s, s.begin():
        cached = s.get(HandoverRow, handover_uuid)
        item = payload.handover
        if cached is not None and item.signed_off_at is None:
            account = read_account(s)
            cached.signed_off_at = server_time(payload, now)
            cached.signed_off_by = account.username if account is not None else None
            cached.signed_off_name = account.display_name if account is not None else None
            cached.sign_off_note = note
        else:
            apply_handovers(s, item, now, cached.post_code if cached is not None else None)
            s.expire_all()  # the upsert wrote past the session's copy
        row = s.get(HandoverRow, handover_uuid)
        return handover_info(row) if row is not None else None


def keep_opening(
    store: ReportStore, payload: OpeningResult, closed: tuple[str, str] | None = None
) -> datetime:
    """Keep the answer to opening (or, with ``closed``, closing) an event; return its time.

    ``closed`` is ``(township_code, event_uuid)``: the opening is marked closed at the
    answer's time when the answer did not say when.
    """
    now = now_utc()
    data = as_object(payload.opening)
    at = server_time(payload, now)
    with store.write_session() as s, s.begin():
        keep(s, "opening", lambda: upsert_opening(s, data, now))
        if closed is not None:
            row = s.get(EventOpeningRow, closed)
            if row is not None and row.closed_at is None:  # an answer without the time
                row.closed_at = at
    return at


def keep_duty(store: ReportStore, payload: Duty) -> None:
    """Keep a ``GET /duty`` answer's open events."""
    with store.write_session() as s, s.begin():
        apply_duty(s, payload, now_utc())

"""The online duty actions: roster, history, candidates, assignments, absences, events.

Each needs the server (``account.online.call``: ``ReviewOfflineError`` when none answers,
``ReviewRefusedError`` with the server's code when it refuses) and keeps the server's answer in
the local caches at once (``store.duty_answers``), so the screens show it without waiting for
a sync round.  Each action that keeps an answer comes in two steps: ``fetch_…`` asks the server
and only reads the store (the GUI runs it on the task manager's ``network`` lane, on a
read-only connection), ``save_…`` keeps the answer (on the ``db`` lane, the GUI's one writer).
The plain function does both, for the headless commands and the tests.

Input the server would refuse anyway (an absence without a reason or ending before it starts,
an event without a name) is refused here first, in plain Chinese and English.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from informant_app.core.account.online import call, save_cache, signed_in_account
from informant_app.core.duty.types import (
    AbsenceInfo,
    AbsenceKind,
    Candidate,
    HandoverInfo,
    OpenEvent,
    PostDuty,
    PostHistory,
)
from informant_app.core.review.types import ReviewRefusedError
from informant_app.core.store.duty import post_level
from informant_app.core.store.duty_answers import (
    a_holder_at,
    keep_absence,
    keep_assignment,
    keep_duty,
    keep_ended_assignment,
    keep_history,
    keep_opening,
    keep_roster,
    keep_sign_off,
    unsent_reports,
)
from informant_app.core.store.duty_deadlines import open_events
from informant_app.core.store.duty_views import INFORMANT_ROLE, ROSTER_KEY, post_now, roster_posts
from informant_app.core.store.report_store import ReportStore
from sync.contract import DISASTER_TYPE_BY_KEY, is_within
from sync.contract.wire import duty as wire

#: The longest absence the server accepts (docs/duty.md).
MAX_ABSENCE = timedelta(days=90)
#: The account role that may hold a post of each level.
HOLDER_ROLE = {
    "village": "village_informant",
    "township": "township_reviewer",
    "county": "county_admin",
    "city": "city_admin",
}
DUTY_KEY = "duty|duty"


def _refused(zh: str, en: str, code: str) -> ReviewRefusedError:
    return ReviewRefusedError(zh, en, code)


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise _refused("请填写原因", "please give a reason", "reason_required")
    return text


def _aware(value: datetime, what_zh: str, what_en: str) -> datetime:
    if value.tzinfo is None:
        raise _refused(f"{what_zh}缺少时区", f"the {what_en} has no time zone", "bad_time")
    return value


# --- reading online -----------------------------------------------------------------------


def fetch_roster(store: ReportStore) -> wire.Roster:
    """Ask the server for the roster (``GET /roster``); writes nothing."""
    return call(store, lambda c, _a: c.roster())


def save_roster(store: ReportStore, payload: wire.Roster) -> list[PostDuty]:
    """Keep the roster the server sent; return the roster page."""
    save_cache(store, ROSTER_KEY, "duty_roster", payload)
    keep_roster(store, payload)
    return roster_posts(store)


def refresh_roster(store: ReportStore) -> list[PostDuty]:
    """Ask the server for the roster (``GET /roster``), keep it, return the roster page."""
    return save_roster(store, fetch_roster(store))


@dataclass(frozen=True)
class HistoryAnswer:
    """The server's history of a post (``fetch_post_history``)."""

    post_code: str
    payload: wire.PostHistory


def fetch_post_history(store: ReportStore, post_code: str) -> HistoryAnswer:
    """Ask the server for a post's history; writes nothing."""
    return HistoryAnswer(post_code, call(store, lambda c, _a: c.roster_history(post_code)))


def save_post_history(store: ReportStore, answer: HistoryAnswer) -> PostHistory:
    """Keep a post's history the server sent; return it, oldest first."""
    code = answer.post_code
    save_cache(store, f"duty|history|{code}", "duty_history", answer.payload)
    return keep_history(store, answer.payload, code)


def post_history(store: ReportStore, post_code: str) -> PostHistory:
    """Ask the server for a post's history; keep what it says; return it, oldest first."""
    return save_post_history(store, fetch_post_history(store, post_code))


def candidates(store: ReportStore, post_code: str) -> list[Candidate]:
    """Return the enabled accounts of the post's level a manager may assign (``GET /users``).

    Only those whose jurisdiction contains the post (the server refuses anyone else); those
    whose jurisdiction is the post itself come first, then by name.
    """
    payload = call(store, lambda c, _a: c.users())
    wanted = HOLDER_ROLE.get(post_level(post_code))
    out = []
    for user in payload.users:
        if user.role != wanted or user.disabled:
            continue
        # The server assigns only a person whose jurisdiction contains the post.
        if not is_within(post_code, user.jurisdiction_code):
            continue
        out.append(
            Candidate(
                username=user.username,
                display_name=user.display_name or user.username,
                role=user.role,
                jurisdiction_code=user.jurisdiction_code,
                phone=user.phone,
                posts=tuple((p.post_code, p.post_role) for p in user.posts),
            )
        )
    parent = post_code[:9] + "000"
    out.sort(
        key=lambda c: (
            c.jurisdiction_code != post_code,
            not is_within(c.jurisdiction_code, parent),
            c.display_name,
            c.username,
        )
    )
    return out


# --- the roster ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignAnswer:
    """The server's answer to an assignment (``fetch_assign``)."""

    post_code: str
    payload: wire.AssignResult


def fetch_assign(
    store: ReportStore,
    post_code: str,
    username: str,
    post_role: str,
    reason: str,
    replace: bool = False,
) -> AssignAnswer:
    """Ask the server to assign ``username`` as A or B of the post; writes nothing.

    Raises:
        ReviewRefusedError: the server refused (``role_taken``, ``holds_other_role`` …).
        ReviewOfflineError: no server answered.
    """
    if post_role not in ("A", "B"):
        raise _refused("角色只能是 A 或 B", "the role must be A or B", "bad_role")
    why = reason.strip()
    payload = call(store, lambda c, _a: c.assign(post_code, username, post_role, why, replace))
    return AssignAnswer(post_code, payload)


def save_assign(store: ReportStore, answer: AssignAnswer) -> PostDuty:
    """Keep an assignment the server made; return the post afterwards."""
    keep_assignment(store, answer.payload, answer.post_code)
    return post_now(store, answer.post_code)


def assign(
    store: ReportStore,
    post_code: str,
    username: str,
    post_role: str,
    reason: str,
    replace: bool = False,
) -> PostDuty:
    """Assign ``username`` as A or B of the post; ``replace`` ends the current holder.

    Raises:
        ReviewRefusedError: the server refused (``role_taken``, ``holds_other_role`` …).
        ReviewOfflineError: no server answered.
    """
    answer = fetch_assign(store, post_code, username, post_role, reason, replace)
    return save_assign(store, answer)


@dataclass(frozen=True)
class EndAnswer:
    """The server's answer to ending an assignment (``fetch_end_assignment``)."""

    assignment_id: int
    payload: wire.EndAssignmentResult


def fetch_end_assignment(store: ReportStore, assignment_id: int, reason: str) -> EndAnswer:
    """Ask the server to end an assignment; writes nothing."""
    why = reason.strip()
    return EndAnswer(assignment_id, call(store, lambda c, _a: c.end_assignment(assignment_id, why)))


def save_end_assignment(store: ReportStore, answer: EndAnswer) -> PostDuty | None:
    """Keep an ended assignment; return the post afterwards (``None``: not cached here)."""
    post_code = keep_ended_assignment(store, answer.payload, answer.assignment_id)
    return post_now(store, post_code) if post_code else None


def end_assignment(store: ReportStore, assignment_id: int, reason: str) -> PostDuty | None:
    """End an assignment (a handover is recorded when someone remains on the post).

    Returns the post afterwards (``None`` when the assignment was not cached here).
    """
    return save_end_assignment(store, fetch_end_assignment(store, assignment_id, reason))


# --- absences and handovers ---------------------------------------------------------------


@dataclass(frozen=True)
class AbsenceAnswer:
    """The server's answer to marking an absence; ``sent`` stands in when it is not cached."""

    payload: wire.AbsenceResult
    post_code: str
    sent: AbsenceInfo


def fetch_mark_absent(
    store: ReportStore,
    post_code: str,
    starts_at: datetime,
    ends_at: datetime,
    kind: AbsenceKind,
    reason: str,
) -> AbsenceAnswer:
    """Ask the server to mark the post's A off duty; reads the store, writes nothing.

    Raises:
        ReviewRefusedError: no reason, a bad period (end not after start, over 90 days), or
            the server refused (``absence_overlaps`` …).
        ReviewOfflineError: no server answered.
    """
    why = _reason(reason)
    starts = _aware(starts_at, "开始时间", "start")
    ends = _aware(ends_at, "结束时间", "end")
    if ends <= starts:
        raise _refused("结束时间必须晚于开始时间", "the end must be after the start", "bad_period")
    if ends - starts > MAX_ABSENCE:
        raise _refused("离岗最长 90 天", "an absence lasts at most 90 days", "bad_period")
    kind = AbsenceKind(kind)
    account = signed_in_account(store)
    a, a_name = a_holder_at(store, post_code, starts)
    own = account is not None and account.role == INFORMANT_ROLE and a in (None, account.username)
    items: dict[str, Any] = {"unsent_reports": unsent_reports(store, post_code) if own else None}
    absence_uuid = str(uuid.uuid4())
    payload = call(
        store,
        lambda c, _a: c.mark_absent(absence_uuid, post_code, starts, ends, kind.value, why, items),
    )
    me = account.username if account is not None else None
    sent = AbsenceInfo(absence_uuid, post_code, a or me or "", a_name, starts, ends, kind, why)
    return AbsenceAnswer(payload, post_code, sent)


def save_mark_absent(store: ReportStore, answer: AbsenceAnswer) -> AbsenceInfo:
    """Keep an absence the server recorded; return it."""
    kept = keep_absence(store, answer.payload, answer.post_code)
    return kept if kept is not None else answer.sent


def mark_absent(
    store: ReportStore,
    post_code: str,
    starts_at: datetime,
    ends_at: datetime,
    kind: AbsenceKind,
    reason: str,
) -> AbsenceInfo:
    """Mark the post's A off duty from ``starts_at`` to ``ends_at`` (B on duty meanwhile).

    An informant marking themselves sends their unsent reports of the village as the
    handover's open items.

    Raises:
        ReviewRefusedError: no reason, a bad period (end not after start, over 90 days), or
            the server refused (``absence_overlaps`` …).
        ReviewOfflineError: no server answered.
    """
    answer = fetch_mark_absent(store, post_code, starts_at, ends_at, kind, reason)
    return save_mark_absent(store, answer)


def fetch_end_absence(store: ReportStore, absence_uuid: str) -> wire.AbsenceResult:
    """Ask the server to end an absence now; writes nothing."""
    return call(store, lambda c, _a: c.end_absence(absence_uuid))


def save_end_absence(store: ReportStore, payload: wire.AbsenceResult) -> AbsenceInfo | None:
    """Keep an ended absence; return it (``None`` when it is not cached here)."""
    return keep_absence(store, payload)


def end_absence(store: ReportStore, absence_uuid: str) -> AbsenceInfo | None:
    """A is back: end the absence now (``None`` when it is not cached here)."""
    return save_end_absence(store, fetch_end_absence(store, absence_uuid))


@dataclass(frozen=True)
class SignOffAnswer:
    """The server's answer to a sign-off (``fetch_sign_off``)."""

    handover_uuid: str
    note: str
    payload: wire.SignOffResult


def fetch_sign_off(store: ReportStore, handover_uuid: str, note: str = "") -> SignOffAnswer:
    """Ask the server to sign a handover off as the township; writes nothing."""
    text = note.strip()
    payload = call(store, lambda c, _a: c.sign_off_handover(handover_uuid, text))
    return SignOffAnswer(handover_uuid, text, payload)


def save_sign_off(store: ReportStore, answer: SignOffAnswer) -> HandoverInfo | None:
    """Keep a sign-off; return the handover (``None`` when not cached here)."""
    return keep_sign_off(store, answer.payload, answer.handover_uuid, answer.note)


def sign_off(store: ReportStore, handover_uuid: str, note: str = "") -> HandoverInfo | None:
    """Sign a handover off as the township (idempotent); ``None`` when not cached here."""
    return save_sign_off(store, fetch_sign_off(store, handover_uuid, note))


# --- events -------------------------------------------------------------------------------


def _township(store: ReportStore) -> str:
    account = signed_in_account(store)
    if account is None or account.role != "township_reviewer":
        raise _refused(
            "只有乡镇审核人员可以开启或关闭事件",
            "only a township reviewer opens or closes an event",
            "not_reviewer",
        )
    return account.jurisdiction_code


@dataclass(frozen=True)
class OpeningAnswer:
    """The server's answer to opening or closing an event."""

    payload: wire.OpeningResult
    event_uuid: str
    township_code: str
    closed: bool = False
    event_name: str = ""
    disaster_type: str = ""


def fetch_open_event(
    store: ReportStore,
    event_name: str,
    disaster_type: str,
    occurred_at: datetime,
    village_codes: Sequence[str] = (),
    event_uuid: str | None = None,
) -> OpeningAnswer:
    """Ask the server to open an event for villages of the township; writes nothing."""
    township = _township(store)
    name = event_name.strip()
    if not name:
        raise _refused("请填写灾害过程名称", "the event needs a name", "validation_failed")
    if disaster_type not in DISASTER_TYPE_BY_KEY:
        raise _refused(
            f"未知的灾种：{disaster_type}",
            f"unknown disaster type: {disaster_type}",
            "validation_failed",
        )
    occurred = _aware(occurred_at, "发生时间", "time of occurrence")
    outside = [c for c in village_codes if not is_within(c, township)]
    if outside:
        raise _refused(
            f"不属于本乡镇的村：{'、'.join(outside)}",
            f"villages outside the township: {', '.join(outside)}",
            "not_in_township",
        )
    event = event_uuid or str(uuid.uuid4())
    payload = call(
        store,
        lambda c, _a: c.open_event(event, name, disaster_type, occurred, township, village_codes),
    )
    return OpeningAnswer(payload, event, township, event_name=name, disaster_type=disaster_type)


def save_open_event(store: ReportStore, answer: OpeningAnswer) -> OpenEvent:
    """Keep an opening; return the event with each village's deadlines."""
    at = keep_opening(store, answer.payload)
    event = answer.event_uuid
    found = next((e for e in open_events(store) if e.event_uuid == event), None)
    return found or OpenEvent(
        event, answer.event_name, answer.township_code, answer.disaster_type, at, ()
    )


def open_event(
    store: ReportStore,
    event_name: str,
    disaster_type: str,
    occurred_at: datetime,
    village_codes: Sequence[str] = (),
    event_uuid: str | None = None,
) -> OpenEvent:
    """Open an event for villages of the reviewer's township (none named: every village).

    Opening again adds villages.  Returns the event with each village's deadlines.
    """
    answer = fetch_open_event(
        store, event_name, disaster_type, occurred_at, village_codes, event_uuid
    )
    return save_open_event(store, answer)


def fetch_close_event(store: ReportStore, event_uuid: str) -> OpeningAnswer:
    """Ask the server to close an event; writes nothing."""
    township = _township(store)
    payload = call(store, lambda c, _a: c.close_event(event_uuid, township))
    return OpeningAnswer(payload, event_uuid, township, closed=True)


def save_close_event(store: ReportStore, answer: OpeningAnswer) -> None:
    """Keep a closing."""
    keep_opening(store, answer.payload, closed=(answer.township_code, answer.event_uuid))


def close_event(store: ReportStore, event_uuid: str) -> None:
    """Close an event: no more continuing reports are due."""
    save_close_event(store, fetch_close_event(store, event_uuid))


def fetch_duty(store: ReportStore) -> wire.Duty:
    """Ask the server for the deadlines (``GET /duty``); writes nothing."""
    return call(store, lambda c, _a: c.duty())


def save_duty(store: ReportStore, payload: wire.Duty) -> list[OpenEvent]:
    """Keep the deadlines the server sent; return the open events."""
    save_cache(store, DUTY_KEY, "duty", payload)
    keep_duty(store, payload)
    return open_events(store)


def refresh_duty(store: ReportStore) -> list[OpenEvent]:
    """Ask the server for the deadlines (``GET /duty``), keep them, return the open events."""
    return save_duty(store, fetch_duty(store))

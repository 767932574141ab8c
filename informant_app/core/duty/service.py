"""A/B duty on this device: my posts, the roster, absences, handovers, openings and deadlines.

This module is the interface the UI codes against: the values (``duty_types``) and one
function per use.  The offline ones read the caches the change feed fills and judge them at
``now`` (default: the current time) with the shared rules of ``sync.contract.duty``; the
online ones ask the server (``ReviewOfflineError`` when none answers, ``ReviewRefusedError``
when it refuses) and apply its answer to the caches at once.  Every function works on the
store from a worker thread, never the GUI thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from informant_app.core.duty import online as duty_online
from informant_app.core.duty.types import (
    AbsenceInfo,
    AbsenceKind,
    AlertKind,
    AssignmentRecord,
    Candidate,
    DutyAlert,
    FilingRole,
    HandoverInfo,
    MyDuty,
    NewEvent,
    OnDutyNow,
    OpenEvent,
    PostDuty,
    PostHistory,
    PostHolder,
    VillageDeadline,
    WindowState,
    WindowStatus,
)
from informant_app.core.review.types import ReviewOfflineError, ReviewRefusedError
from informant_app.core.store import duty_deadlines, duty_notices, duty_views
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import Draft

__all__ = [
    "AbsenceInfo",
    "AbsenceKind",
    "AlertKind",
    "AssignmentRecord",
    "Candidate",
    "DutyAlert",
    "FilingRole",
    "HandoverInfo",
    "MyDuty",
    "NewEvent",
    "OnDutyNow",
    "OpenEvent",
    "PostDuty",
    "PostHistory",
    "PostHolder",
    "ReviewOfflineError",
    "ReviewRefusedError",
    "VillageDeadline",
    "WindowState",
    "WindowStatus",
    "acknowledge_alert",
    "assign",
    "candidates",
    "close_event",
    "describe_filing",
    "duty_alerts",
    "end_absence",
    "end_assignment",
    "filing_role_for",
    "handovers",
    "mark_absent",
    "mark_told",
    "my_duty",
    "new_events",
    "new_initial_report",
    "on_duty_now",
    "open_event",
    "open_events",
    "post_history",
    "refresh_duty",
    "refresh_roster",
    "roster_posts",
    "sign_off",
]


# --- offline ------------------------------------------------------------------------------


def my_duty(store: ReportStore, now: datetime | None = None) -> list[MyDuty]:
    """Return the signed-in account's posts and whether they are on duty at ``now``."""
    return duty_views.my_duty(store, now)


def duty_alerts(store: ReportStore, now: datetime | None = None) -> list[DutyAlert]:
    """Return what the person on screen must act on: late villages, posts with nobody on duty.

    An informant: their villages escalated or overdue on an open event (saying whether A is
    away, asking B to file) and their posts whose A is away with no B.  A reviewer or admin:
    the late villages in reach and the uncovered posts they manage.  Overdue first.
    """
    return duty_deadlines.duty_alerts(store, now)


def acknowledge_alert(store: ReportStore, alert_id: str) -> None:
    """Remember on this device that a death/missing alert was seen (not shown again)."""
    duty_deadlines.acknowledge_alert(store, alert_id)


def new_events(store: ReportStore, now: datetime | None = None) -> list[NewEvent]:
    """Return the open events whose initial report my villages still owe (A; B on duty).

    ``told`` marks those this device already told the informant about (``mark_told``).
    """
    return duty_notices.new_events(store, now)


def mark_told(store: ReportStore, keys: Sequence[str]) -> None:
    """Remember on this device that the informant was told about these events (``NewEvent.key``)."""
    duty_notices.mark_told(store, keys)


def new_initial_report(store: ReportStore, event_uuid: str, village_code: str) -> Draft:
    """Start the village's initial report of an event the township opened, joined to it."""
    try:
        return store.new_draft(event_uuid=event_uuid, village_code=village_code)
    except KeyError:
        pass  # no report of the event on this device yet: take it from the opening
    draft = store.new_draft(village_code=village_code)
    content = {**draft.content, **duty_notices.event_fields(store, event_uuid)}
    store.save_draft(draft.version_uuid, content)
    return Draft(
        draft.version_uuid, draft.report_uuid, draft.parent_version_uuid, content, draft.updated_at
    )


def on_duty_now(store: ReportStore, now: datetime | None = None) -> list[OnDutyNow]:
    """Return my posts: their A and B, who is on duty now, why and since when."""
    return duty_notices.on_duty_now(store, now)


def filing_role_for(
    store: ReportStore, village_code: str, now: datetime | None = None
) -> FilingRole | None:
    """Return the capacity the signed-in account files in for the village at ``now``.

    ``B_while_A_on_duty``: allowed but flagged; warn before submitting.  ``None`` when not
    signed in or holding no post of the village.
    """
    return duty_views.filing_role_for(store, village_code, now)


def roster_posts(store: ReportStore, now: datetime | None = None) -> list[PostDuty]:
    """Return the roster page from the cache.

    A township reviewer sees the village posts of their township, a county admin the township
    posts of the county, an informant their own posts; posts the server listed without a
    holder too.  ``manageable`` is the server's word (else docs/duty.md's table).
    """
    return duty_views.roster_posts(store, now)


def open_events(store: ReportStore, now: datetime | None = None) -> list[OpenEvent]:
    """Return the open events with each followed village's deadlines, late ones first."""
    return duty_deadlines.open_events(store, now)


def handovers(store: ReportStore, pending_only: bool = False) -> list[HandoverInfo]:
    """Return the cached handovers, newest first (``pending_only``: not yet signed off)."""
    return duty_views.handovers(store, pending_only)


def describe_filing(
    role: FilingRole | None,
    acting_for_name: str | None = None,
    absence_kind: AbsenceKind | None = None,
) -> tuple[str, str]:
    """Return how a filing reads in Chinese and English, e.g. "B 代 A 报送（张三 请假）".

    Empty strings for an unknown role.
    """
    if role is None:
        return "", ""
    if role is FilingRole.A or not acting_for_name:
        return role.zh, role.en
    if role is FilingRole.B_WHILE_A_ON_DUTY:
        return (
            f"B 报送（A {acting_for_name} 在岗）",
            f"filed by B while A ({acting_for_name}) was on duty",
        )
    why_zh = f" {absence_kind.zh}" if absence_kind is not None else ""
    why_en = f", {absence_kind.en}" if absence_kind is not None else ""
    return f"{role.zh}（{acting_for_name}{why_zh}）", f"{role.en} ({acting_for_name}{why_en})"


# --- online -------------------------------------------------------------------------------


def refresh_roster(store: ReportStore) -> list[PostDuty]:
    """Ask the server for the roster, keep it, and return the roster page."""
    return duty_online.refresh_roster(store)


def post_history(store: ReportStore, post_code: str) -> PostHistory:
    """Ask the server for a post's assignments, absences and handovers (oldest first)."""
    return duty_online.post_history(store, post_code)


def candidates(store: ReportStore, post_code: str) -> list[Candidate]:
    """Return the accounts a manager may assign to the post."""
    return duty_online.candidates(store, post_code)


def assign(
    store: ReportStore,
    post_code: str,
    username: str,
    post_role: str,
    reason: str,
    replace: bool = False,
) -> PostDuty:
    """Assign A or B of a post (``replace``: end the current holder, record a handover)."""
    return duty_online.assign(store, post_code, username, post_role, reason, replace)


def end_assignment(store: ReportStore, assignment_id: int, reason: str) -> PostDuty | None:
    """End an assignment; return the post afterwards."""
    return duty_online.end_assignment(store, assignment_id, reason)


def mark_absent(
    store: ReportStore,
    post_code: str,
    starts_at: datetime,
    ends_at: datetime,
    kind: AbsenceKind,
    reason: str,
) -> AbsenceInfo:
    """Mark the post's A off duty for a period (B on duty meanwhile)."""
    return duty_online.mark_absent(store, post_code, starts_at, ends_at, kind, reason)


def end_absence(store: ReportStore, absence_uuid: str) -> AbsenceInfo | None:
    """A is back: end the absence now."""
    return duty_online.end_absence(store, absence_uuid)


def sign_off(store: ReportStore, handover_uuid: str, note: str = "") -> HandoverInfo | None:
    """Sign a handover off as the township."""
    return duty_online.sign_off(store, handover_uuid, note)


def open_event(
    store: ReportStore,
    event_name: str,
    disaster_type: str,
    occurred_at: datetime,
    village_codes: Sequence[str] = (),
    event_uuid: str | None = None,
) -> OpenEvent:
    """Open an event for villages of the reviewer's township; the deadlines start."""
    return duty_online.open_event(
        store, event_name, disaster_type, occurred_at, village_codes, event_uuid
    )


def close_event(store: ReportStore, event_uuid: str) -> None:
    """Close an event: no more continuing reports are due."""
    duty_online.close_event(store, event_uuid)


def refresh_duty(store: ReportStore) -> list[OpenEvent]:
    """Ask the server for the deadlines as it sees them, keep them, return the open events."""
    return duty_online.refresh_duty(store)

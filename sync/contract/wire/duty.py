"""A/B duty (docs/duty.md): the roster, absences, handovers, event openings and deadlines."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from sync.contract.wire.base import Time, Wire

__all__ = [
    "Absence",
    "AbsenceFields",
    "AbsenceKind",
    "AbsenceRequest",
    "AbsenceResult",
    "AccountPost",
    "Alert",
    "AssignRequest",
    "AssignResult",
    "Assignment",
    "CloseEventRequest",
    "Deadlines",
    "Duty",
    "DutyEvent",
    "DutyUnit",
    "DutyVillage",
    "EndAssignmentRequest",
    "EndAssignmentResult",
    "Handover",
    "HandoverFields",
    "HandoverKind",
    "Holder",
    "OnDuty",
    "OpenEventRequest",
    "OpenItems",
    "OpenedEvent",
    "OpenedVillage",
    "Opening",
    "OpeningResult",
    "PostHistory",
    "ReturnedReport",
    "Roster",
    "RosterPost",
    "SignOffRequest",
    "SignOffResult",
    "UserListItem",
    "Users",
    "Window",
]

AbsenceKind = Literal["leave", "away", "unreachable"]
HandoverKind = Literal["assignment", "absence"]
WindowStatus = Literal["filed", "filed_late", "waiting", "escalated", "overdue"]


class Assignment(Wire, frozen=True, kw_only=True):
    """One assignment of a post (active while ``valid_to`` is null)."""

    assignment_id: int
    post_code: str
    post_level: str
    post_role: str
    username: str
    display_name: str
    valid_from: Time
    valid_to: Time | None
    reason: str = ""
    ended_reason: str = ""
    created_by: str | None = None
    created_by_name: str | None = None
    ended_by: str | None = None
    ended_by_name: str | None = None


class AbsenceFields(Wire, frozen=True, kw_only=True):
    """An absence without its kind (the feed calls that ``absence_kind``)."""

    absence_uuid: str
    post_code: str
    username: str
    display_name: str
    starts_at: Time
    ends_at: Time
    ended_at: Time | None
    reason: str
    created_by: str | None
    created_by_name: str | None
    created_at: Time


class Absence(AbsenceFields, frozen=True, kw_only=True):
    """A period in which the post's A is off duty; ``ended_at`` when A came back early."""

    kind: AbsenceKind


class ReturnedReport(Wire, frozen=True, kw_only=True):
    """A report of the village whose current version was returned."""

    report_uuid: str
    version_uuid: str
    event_name: str
    stage: str


class OpenedEvent(Wire, frozen=True, kw_only=True):
    """An event opened for the village and not closed."""

    event_uuid: str
    event_name: str


class OpenItems(Wire, frozen=True, kw_only=True):
    """What was open at the post when it was handed over."""

    unsent_reports: list[Any] | None
    returned_reports: list[ReturnedReport]
    open_events: list[OpenedEvent]


class HandoverFields(Wire, frozen=True, kw_only=True):
    """A handover without its kind (the feed calls that ``handover_kind``)."""

    handover_uuid: str
    post_code: str
    from_username: str
    from_name: str
    to_username: str | None
    to_name: str | None
    reason: str
    open_items: OpenItems
    created_at: Time
    created_by: str | None
    signed_off_by: str | None
    signed_off_name: str | None
    signed_off_at: Time | None
    sign_off_note: str


class Handover(HandoverFields, frozen=True, kw_only=True):
    """A post handed from one person to another, and the township's sign-off."""

    kind: HandoverKind


class Deadlines(Wire, frozen=True, kw_only=True):
    """The deadline settings (``sync.contract.duty.DeadlineSettings.to_wire``)."""

    initial_minutes: int
    continuing_due: str
    escalate_fraction: float


class OpenedVillage(Wire, frozen=True, kw_only=True):
    """A village an event was opened for, and when."""

    village_code: str
    opened_at: Time


class Opening(Wire, frozen=True, kw_only=True):
    """An event a township opened for its villages."""

    event_uuid: str
    township_code: str
    event_name: str
    disaster_type: str
    occurred_at: Time | None
    opened_at: Time
    closed_at: Time | None
    village_codes: list[str]
    villages: list[OpenedVillage] = msgspec.field(default_factory=list)
    deadlines: Deadlines
    opened_by_name: str | None


class OnDuty(Wire, frozen=True, kw_only=True):
    """Who is on duty at a post now (all null when nobody is)."""

    username: str | None
    display_name: str | None
    phone: str | None = None
    post_role: str | None
    acting_for: str | None
    acting_for_name: str | None = None
    absence_uuid: str | None


class Holder(Wire, frozen=True, kw_only=True):
    """A person holding a post now."""

    assignment_id: int
    post_role: str
    username: str
    display_name: str
    phone: str | None = None
    valid_from: Time


class RosterPost(Wire, frozen=True, kw_only=True):
    """A post, its active A and B, its absences not yet over, and who is on duty now."""

    division_code: str
    division_name: str
    level: str
    holders: list[Holder]
    absences: list[Absence] = msgspec.field(default_factory=list)
    on_duty: OnDuty | None = None
    manageable: bool = False


class Roster(Wire, frozen=True, kw_only=True):
    """``GET /roster``: the posts under a division."""

    under: str | None
    posts: list[RosterPost]
    server_time: Time | None = None


class PostHistory(Wire, frozen=True, kw_only=True):
    """``GET /roster/history``: every assignment, absence and handover of a post."""

    post_code: str
    post_name: str
    level: str
    manageable: bool
    assignments: list[Assignment]
    absences: list[Absence]
    handovers: list[Handover]
    server_time: Time


class AssignResult(Wire, frozen=True, kw_only=True):
    """``POST /roster/assignments``: ``accepted``, or ``unchanged``."""

    status: Literal["accepted", "unchanged"]
    assignment: Assignment
    ended: Assignment | None
    handover: Handover | None
    server_time: Time


class EndAssignmentResult(Wire, frozen=True, kw_only=True):
    """``POST /roster/assignments/{id}/end``: ``accepted``, or ``unchanged``."""

    status: Literal["accepted", "unchanged"]
    assignment: Assignment
    handover: Handover | None
    server_time: Time


class AbsenceResult(Wire, frozen=True, kw_only=True):
    """``POST /absences`` and ``/absences/{uuid}/end``."""

    status: Literal["accepted", "duplicate", "unchanged"]
    absence: Absence
    handover: Handover | None
    server_time: Time


class SignOffResult(Wire, frozen=True, kw_only=True):
    """``POST /handovers/{uuid}/sign-off``: ``accepted``, or ``duplicate``."""

    status: Literal["accepted", "duplicate"]
    handover: Handover
    server_time: Time


class OpeningResult(Wire, frozen=True, kw_only=True):
    """``POST /events/open`` and ``/events/{uuid}/close``."""

    status: Literal["accepted", "duplicate"]
    opening: Opening
    server_time: Time


class Window(Wire, frozen=True, kw_only=True):
    """One deadline window of a village and how the village stands on it."""

    stage: Literal["initial", "continuing", "verified"]
    starts_at: Time
    escalate_at: Time
    due_at: Time
    status: WindowStatus
    filed_at: Time | None


class DutyVillage(Wire, frozen=True, kw_only=True):
    """A village on an open event: its worst window, every started window, who is on duty."""

    village_code: str
    village_name: str
    opened_at: Time
    status: WindowStatus
    windows: list[Window]
    on_duty: OnDuty


class DutyEvent(Wire, frozen=True, kw_only=True):
    """An open event and its villages within reach."""

    event_uuid: str
    event_name: str
    township_code: str
    disaster_type: str
    occurred_at: Time | None
    opened_at: Time
    closed_at: Time | None
    deadlines: Deadlines
    villages: list[DutyVillage]


class Alert(Wire, frozen=True, kw_only=True):
    """Something the caller must act on, in both languages."""

    kind: Literal["escalated", "overdue", "uncovered", "casualty"]
    post_code: str
    village_name: str
    zh: str
    en: str
    event_uuid: str | None
    event_name: str | None
    stage: str | None
    due_at: Time | None
    a_away: bool
    level: str = "village"
    alert_id: str = ""
    deaths: int = 0
    missing: int = 0


class DutyUnit(Wire, frozen=True, kw_only=True):
    """A township, county or city on an event: its report windows from the occurrence."""

    event_uuid: str
    event_name: str
    disaster_type: str
    occurred_at: Time
    closed_at: Time | None
    level: Literal["township", "county", "city"]
    unit_code: str
    unit_name: str
    status: WindowStatus
    windows: list[Window]
    on_duty: OnDuty


class Duty(Wire, frozen=True, kw_only=True):
    """``GET /duty``: the deadlines as the server sees them now, and the caller's alerts."""

    server_time: Time
    deadlines: Deadlines
    events: list[DutyEvent]
    alerts: list[Alert]
    units: list[DutyUnit] = msgspec.field(default_factory=list)
    level_deadlines: dict[str, Any] | None = None


class AccountPost(Wire, frozen=True, kw_only=True):
    """A post an account holds now."""

    post_code: str
    post_role: str


class UserListItem(Wire, frozen=True, kw_only=True):
    """An account a manager may assign (never a password hash or a token)."""

    username: str
    display_name: str
    role: str
    jurisdiction_code: str
    phone: str | None
    disabled: bool
    posts: list[AccountPost]


class Users(Wire, frozen=True, kw_only=True):
    """``GET /users``: the accounts inside ``under``."""

    under: str
    users: list[UserListItem]


class AssignRequest(Wire, frozen=True, kw_only=True):
    """The body of ``POST /roster/assignments``."""

    post_code: str
    username: str
    post_role: str  # "A" or "B"; sent as given, the server judges
    reason: str = ""
    replace: bool = False


class EndAssignmentRequest(Wire, frozen=True, kw_only=True):
    """The body of ``POST /roster/assignments/{id}/end``."""

    reason: str = ""


class AbsenceRequest(Wire, frozen=True, kw_only=True):
    """The body of ``POST /absences`` (idempotent by ``absence_uuid``)."""

    absence_uuid: str
    post_code: str
    starts_at: Time
    ends_at: Time
    kind: str
    reason: str
    open_items: dict[str, Any] | None = None


class SignOffRequest(Wire, frozen=True, kw_only=True):
    """The body of ``POST /handovers/{uuid}/sign-off``."""

    note: str = ""


class OpenEventRequest(Wire, frozen=True, kw_only=True):
    """The body of ``POST /events/open`` (no village named: every village with a post)."""

    event_uuid: str
    event_name: str
    disaster_type: str
    occurred_at: Time | None = None
    township_code: str
    village_codes: list[str] = msgspec.field(default_factory=list)


class CloseEventRequest(Wire, frozen=True, kw_only=True):
    """The body of ``POST /events/{uuid}/close``."""

    township_code: str

"""The plain values of A/B duty that the core hands to the UI: posts, absences, deadlines.

INTERFACE: ``informant_app.core.duty.service`` re-exports every name here; the UI codes
against them.
Add fields with defaults, never rename.  The rules behind them are ``sync.contract.duty``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sync.contract.duty import AbsenceKind, FilingRole, WindowState, WindowStatus

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
    "VillageDeadline",
    "WindowState",
    "WindowStatus",
]


@dataclass(frozen=True)
class PostHolder:
    """A person holding a post now."""

    assignment_id: int
    post_role: str  # "A" or "B"
    username: str
    display_name: str
    valid_from: datetime
    phone: str | None = None


@dataclass(frozen=True)
class AbsenceInfo:
    """A period in which a post's A is off duty (B on duty meanwhile)."""

    absence_uuid: str
    post_code: str
    username: str
    display_name: str
    starts_at: datetime
    ends_at: datetime
    kind: AbsenceKind
    reason: str
    ended_at: datetime | None = None
    created_by_name: str = ""

    @property
    def effective_end(self) -> datetime:
        """Return when the absence ends: its planned end, or earlier when A came back."""
        if self.ended_at is not None and self.ended_at < self.ends_at:
            return max(self.ended_at, self.starts_at)
        return self.ends_at


@dataclass(frozen=True)
class PostDuty:
    """A post as the roster page shows it: its holders and who is on duty now."""

    post_code: str
    post_name: str
    level: str
    holders: tuple[PostHolder, ...]
    on_duty_username: str | None
    on_duty_name: str | None
    on_duty_role: str | None
    acting_for_name: str | None = None
    absence: AbsenceInfo | None = None  # the absence in force now
    upcoming: tuple[AbsenceInfo, ...] = ()  # absences not yet begun
    manageable: bool = False  # may the signed-in account change this post

    def holder(self, post_role: str) -> PostHolder | None:
        """Return the holder of ``post_role``, if any."""
        return next((h for h in self.holders if h.post_role == post_role), None)


@dataclass(frozen=True)
class MyDuty:
    """One of the signed-in informant's posts: whether they are on duty there now."""

    post_code: str
    post_name: str
    my_role: str  # "A" or "B"
    on_duty: bool
    acting_for_name: str | None = None  # B on duty: the A they stand in for
    absence: AbsenceInfo | None = None  # the absence that puts B on duty (or keeps A off)
    partner_name: str | None = None  # the other holder of the post


class AlertKind:
    """Why an alert is shown (plain strings, kept in the store as they are)."""

    ESCALATED = "escalated"  # half the time gone, the village has not filed
    OVERDUE = "overdue"  # past the due time, not filed
    UNCOVERED = "uncovered"  # A away and no B: nobody on duty
    CASUALTY = "casualty"  # a village reported a death or a missing person


@dataclass(frozen=True)
class DutyAlert:
    """Something the person on screen must act on, in both languages."""

    kind: str
    post_code: str
    village_name: str
    zh: str
    en: str
    event_uuid: str | None = None
    event_name: str | None = None
    stage: str | None = None
    due_at: datetime | None = None
    level: str = "village"
    alert_id: str = ""

    @property
    def acknowledgeable(self) -> bool:
        """Whether the alert is shown until this device acknowledges it (a death/missing)."""
        return self.kind == AlertKind.CASUALTY and bool(self.alert_id)

    def message(self, lang: str) -> str:
        """Return the message in ``lang``."""
        return self.zh if lang.startswith("zh") else self.en


@dataclass(frozen=True)
class VillageDeadline:
    """One village on an opened event: its worst window and every started window."""

    village_code: str
    village_name: str
    status: WindowStatus
    windows: tuple[WindowState, ...]
    on_duty_name: str | None = None


@dataclass(frozen=True)
class OpenEvent:
    """An event the township opened for its villages, with each village's deadlines."""

    event_uuid: str
    event_name: str
    township_code: str
    disaster_type: str
    opened_at: datetime
    villages: tuple[VillageDeadline, ...]
    closed_at: datetime | None = None

    @property
    def late_villages(self) -> tuple[VillageDeadline, ...]:
        """Return the villages escalated or overdue."""
        return tuple(v for v in self.villages if v.status.late)


@dataclass(frozen=True)
class HandoverInfo:
    """Who handed a post to whom, when and why, what was open, and the township's sign-off."""

    handover_uuid: str
    post_code: str
    post_name: str
    kind: str  # "assignment" or "absence"
    from_name: str
    to_name: str
    reason: str
    created_at: datetime
    open_items: dict[str, Any] = field(default_factory=dict)
    signed_off_name: str | None = None
    signed_off_at: datetime | None = None
    sign_off_note: str = ""

    @property
    def signed_off(self) -> bool:
        """Whether the township reviewer signed the handover off."""
        return self.signed_off_at is not None


@dataclass(frozen=True)
class AssignmentRecord:
    """One assignment in a post's history (ended ones keep ``valid_to``)."""

    assignment_id: int
    post_role: str
    username: str
    display_name: str
    valid_from: datetime
    valid_to: datetime | None = None
    reason: str = ""
    ended_reason: str = ""


@dataclass(frozen=True)
class PostHistory:
    """A post's history: assignments, absences and handovers, oldest first."""

    post_code: str
    assignments: tuple[AssignmentRecord, ...]
    absences: tuple[AbsenceInfo, ...]
    handovers: tuple[HandoverInfo, ...]


@dataclass(frozen=True)
class Candidate:
    """An account a manager may assign to a post."""

    username: str
    display_name: str
    role: str
    jurisdiction_code: str
    phone: str | None = None
    posts: tuple[tuple[str, str], ...] = ()  # (post_code, post_role) held now


@dataclass(frozen=True)
class NewEvent:
    """An event the township opened for one of my villages whose initial report is not filed.

    ``told``: this device already told the informant about it (once per event and village).
    """

    event_uuid: str
    event_name: str
    disaster_type: str
    village_code: str
    village_name: str
    opened_at: datetime
    due_at: datetime  # the initial report's due time
    status: WindowStatus  # of the initial report: waiting, escalated or overdue
    my_role: str  # "A" or "B"
    occurred_at: datetime | None = None
    told: bool = False

    @property
    def key(self) -> str:
        """Return what "told once" is remembered by: the event and the village."""
        return f"{self.event_uuid}|{self.village_code}"


@dataclass(frozen=True)
class OnDutyNow:
    """One of my posts: its holders, who is on duty now, why and since when."""

    post: PostDuty
    since: datetime | None = None  # when the person on duty now took over (None: unknown)

"""Absences, handover sign-off, event openings, the deadlines view, and the account list."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from sync.server.schemas.common import InModel
from sync.server.schemas.duty_records import (
    AbsenceKindOut,
    AbsenceOut,
    DeadlinesOut,
    HandoverOut,
    OnDutyOut,
    OpeningOut,
)

UUID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


class AbsenceOpenItemsIn(InModel):
    """What the marking device knows is open (only its own queue)."""

    unsent_reports: list[Any] | None = Field(default=None, max_length=1000)


class AbsenceIn(InModel):
    """Mark a post's A off duty for a period (idempotent by ``absence_uuid``)."""

    absence_uuid: str = Field(pattern=UUID_PATTERN, description="Made by the device.")
    post_code: str = Field(min_length=12, max_length=12)
    starts_at: datetime
    ends_at: datetime
    kind: AbsenceKindOut
    reason: str = Field(max_length=2000)
    open_items: AbsenceOpenItemsIn | None = None


class AbsenceResultOut(BaseModel):
    """``accepted``, ``duplicate`` (sent before) or ``unchanged`` (already ended)."""

    status: Literal["accepted", "duplicate", "unchanged"]
    absence: AbsenceOut
    handover: HandoverOut | None
    server_time: datetime


class EmptyIn(InModel):
    """No fields."""


class SignOffIn(InModel):
    """The manager's note on a handover."""

    note: str = Field(default="", max_length=2000)


class SignOffOut(BaseModel):
    """``accepted``, or ``duplicate`` when it was already signed off."""

    status: Literal["accepted", "duplicate"]
    handover: HandoverOut
    server_time: datetime


class OpenEventIn(InModel):
    """Open an event for villages of a township (empty: every village with a post)."""

    event_uuid: str = Field(pattern=UUID_PATTERN)
    event_name: str = Field(min_length=1, max_length=200)
    disaster_type: str = Field(max_length=32)
    occurred_at: datetime | None = None
    township_code: str = Field(min_length=12, max_length=12)
    village_codes: list[str] = Field(default=[], max_length=1000)


class CloseEventIn(InModel):
    """Which township's opening of the event to close."""

    township_code: str = Field(min_length=12, max_length=12)


class OpeningResultOut(BaseModel):
    """``accepted`` (something changed) or ``duplicate``, and the opening."""

    status: Literal["accepted", "duplicate"]
    opening: OpeningOut
    server_time: datetime


WindowStatusOut = Literal["filed", "filed_late", "waiting", "escalated", "overdue"]


class WindowOut(BaseModel):
    """One deadline window of a village or a unit and how it stands on it."""

    stage: Literal["initial", "continuing", "verified"]
    starts_at: datetime
    escalate_at: datetime
    due_at: datetime
    status: WindowStatusOut
    filed_at: datetime | None


class DutyVillageOut(BaseModel):
    """A village on an open event: its worst window, every started window, who is on duty."""

    village_code: str
    village_name: str
    opened_at: datetime
    status: WindowStatusOut
    windows: list[WindowOut]
    on_duty: OnDutyOut


class DutyEventOut(BaseModel):
    """An open event and its villages within reach."""

    event_uuid: str
    event_name: str
    township_code: str
    disaster_type: str
    occurred_at: datetime | None
    opened_at: datetime
    closed_at: datetime | None
    deadlines: DeadlinesOut
    villages: list[DutyVillageOut]


class AlertOut(BaseModel):
    """Something the caller must act on, in both languages."""

    kind: Literal["escalated", "overdue", "uncovered", "casualty"]
    post_code: str
    village_name: str = Field(description="The name of the post's division (any level).")
    zh: str
    en: str
    event_uuid: str | None
    event_name: str | None
    stage: str | None
    due_at: datetime | None
    a_away: bool = Field(description="Whether the post's A is off duty.")
    level: str = Field(default="village", description="The level of ``post_code``.")
    alert_id: str = Field(
        default="", description="Stable id: a device acknowledges a casualty alert by it."
    )
    deaths: int = 0
    missing: int = 0


class DutyUnitOut(BaseModel):
    """A township, county or city on an event: its report windows from the occurrence."""

    event_uuid: str
    event_name: str
    disaster_type: str
    occurred_at: datetime
    closed_at: datetime | None
    level: Literal["township", "county", "city"]
    unit_code: str
    unit_name: str
    status: WindowStatusOut
    windows: list[WindowOut]
    on_duty: OnDutyOut


class DutyOut(BaseModel):
    """The deadlines as the server sees them now, and the caller's alerts."""

    server_time: datetime
    deadlines: DeadlinesOut
    events: list[DutyEventOut]
    alerts: list[AlertOut]
    units: list[DutyUnitOut] = Field(default_factory=list)
    level_deadlines: dict[str, Any] | None = Field(
        default=None, description="``sync.contract.deadlines.LevelDeadlineSettings.to_wire``."
    )


class UserPostOut(BaseModel):
    """A post an account holds now."""

    post_code: str
    post_role: str


class UserListItemOut(BaseModel):
    """An account a manager may assign (never a password hash or a token)."""

    username: str
    display_name: str
    role: str
    jurisdiction_code: str
    phone: str | None
    disabled: bool
    posts: list[UserPostOut]


class UsersOut(BaseModel):
    """The accounts inside ``under``."""

    under: str
    users: list[UserListItemOut]

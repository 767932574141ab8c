"""The records of A/B duty as the API and the change feed show them (docs/duty.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

AbsenceKindOut = Literal["leave", "away", "unreachable"]


class AssignmentOut(BaseModel):
    """One assignment of a post (active while ``valid_to`` is null)."""

    assignment_id: int
    post_code: str
    post_level: str
    post_role: str
    username: str
    display_name: str
    valid_from: datetime
    valid_to: datetime | None
    reason: str = ""
    ended_reason: str = ""
    created_by: str | None = Field(default=None, description="Username of who assigned.")
    created_by_name: str | None = None
    ended_by: str | None = Field(default=None, description="Username of who ended it.")
    ended_by_name: str | None = None


class AbsenceFields(BaseModel):
    """An absence without its kind (the feed calls that ``absence_kind``)."""

    absence_uuid: str
    post_code: str
    username: str = Field(description="The A who is off duty.")
    display_name: str
    starts_at: datetime
    ends_at: datetime
    ended_at: datetime | None
    reason: str
    created_by: str | None = Field(description="Username of who marked it (null: the operator).")
    created_by_name: str | None
    created_at: datetime


class AbsenceOut(AbsenceFields):
    """A period in which the post's A is off duty; ``ended_at`` when A came back early."""

    kind: AbsenceKindOut


class ReturnedReportOut(BaseModel):
    """A report of the village whose current version was returned."""

    report_uuid: str
    version_uuid: str
    event_name: str
    stage: str


class OpenEventOut(BaseModel):
    """An event opened for the village and not closed."""

    event_uuid: str
    event_name: str


class OpenItemsOut(BaseModel):
    """What was open at the post when it was handed over."""

    unsent_reports: list[Any] | None = Field(
        description="What the marking device knew of its own queue (A marking themselves "
        "off duty); null when no device told."
    )
    returned_reports: list[ReturnedReportOut]
    open_events: list[OpenEventOut]


HandoverKindOut = Literal["assignment", "absence"]


class HandoverFields(BaseModel):
    """A handover without its kind (the feed calls that ``handover_kind``)."""

    handover_uuid: str
    post_code: str
    from_username: str
    from_name: str
    to_username: str | None
    to_name: str | None
    reason: str
    open_items: OpenItemsOut
    created_at: datetime
    created_by: str | None
    signed_off_by: str | None
    signed_off_name: str | None
    signed_off_at: datetime | None
    sign_off_note: str


class HandoverOut(HandoverFields):
    """A post handed from one person to another, and the township's sign-off."""

    kind: HandoverKindOut


class DeadlinesOut(BaseModel):
    """The deadline settings (``sync.contract.duty.DeadlineSettings.to_wire``)."""

    initial_minutes: int
    continuing_due: str = Field(description="HH:MM, China time.")
    escalate_fraction: float


class OpenedVillageOut(BaseModel):
    """A village an event was opened for, and when (its initial report is due from then)."""

    village_code: str
    opened_at: datetime


class OpeningOut(BaseModel):
    """An event a township opened for its villages."""

    event_uuid: str
    township_code: str
    event_name: str
    disaster_type: str
    occurred_at: datetime | None
    opened_at: datetime
    closed_at: datetime | None
    village_codes: list[str]
    villages: list[OpenedVillageOut] = Field(
        default=[], description="Each village's own opening time (villages added later open later)."
    )
    deadlines: DeadlinesOut
    opened_by_name: str | None


class OnDutyOut(BaseModel):
    """Who is on duty at a post now (all null when nobody is)."""

    username: str | None
    display_name: str | None
    phone: str | None = None
    post_role: str | None
    acting_for: str | None = Field(description="The A that B stands in for (username).")
    acting_for_name: str | None = None
    absence_uuid: str | None = Field(description="The absence that puts B on duty.")

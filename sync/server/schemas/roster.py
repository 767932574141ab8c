"""The A/B roster: posts and who holds them, a post's history, assigning and ending."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from sync.server.schemas.common import InModel
from sync.server.schemas.duty_records import AbsenceOut, AssignmentOut, HandoverOut, OnDutyOut


class HolderOut(BaseModel):
    """A person holding a post now."""

    assignment_id: int
    post_role: str
    username: str
    display_name: str
    phone: str | None = None
    valid_from: datetime


class RosterPostOut(BaseModel):
    """A post, its active A and B, its absences not yet over, and who is on duty now."""

    division_code: str
    division_name: str
    level: str
    holders: list[HolderOut]
    absences: list[AbsenceOut] = []
    on_duty: OnDutyOut | None = None
    manageable: bool = Field(default=False, description="May the caller change this post.")


class RosterOut(BaseModel):
    """The posts under a division."""

    under: str | None
    posts: list[RosterPostOut]
    server_time: datetime | None = None


class PostHistoryOut(BaseModel):
    """Every assignment, absence and handover of a post, oldest first."""

    post_code: str
    post_name: str
    level: str
    manageable: bool
    assignments: list[AssignmentOut]
    absences: list[AbsenceOut]
    handovers: list[HandoverOut]
    server_time: datetime


class AssignIn(InModel):
    """Give a person a post as A or B."""

    post_code: str = Field(min_length=12, max_length=12)
    username: str = Field(min_length=1, max_length=64)
    post_role: Literal["A", "B"]
    reason: str = Field(default="", max_length=2000)
    replace: bool = Field(
        default=False, description="End the current holder's assignment and record a handover."
    )


class AssignOut(BaseModel):
    """``accepted``, or ``unchanged`` when the person already held the role."""

    status: Literal["accepted", "unchanged"]
    assignment: AssignmentOut
    ended: AssignmentOut | None = Field(description="The assignment replaced, if any.")
    handover: HandoverOut | None
    server_time: datetime


class EndAssignmentIn(InModel):
    """End an assignment, and why."""

    reason: str = Field(default="", max_length=2000)


class EndAssignmentOut(BaseModel):
    """``accepted``, or ``unchanged`` when it had already ended."""

    status: Literal["accepted", "unchanged"]
    assignment: AssignmentOut
    handover: HandoverOut | None = Field(description="To whoever remains on the post, if anyone.")
    server_time: datetime

"""The change feed devices pull by cursor."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from sync.server.schemas.duty_records import (
    AbsenceFields,
    AbsenceKindOut,
    HandoverFields,
    HandoverKindOut,
    OpeningOut,
)
from sync.server.schemas.unit_reports import UnitDecisionOut


class ReportVersionChange(BaseModel):
    """A report version was stored (accepted or as a conflict)."""

    kind: Literal["report_version"] = "report_version"
    changed_at: datetime
    version_uuid: str
    report_uuid: str
    parent_version_uuid: str | None
    version_no: int
    status: Literal["accepted", "conflict"]
    village_code: str
    content_hash: str
    content: dict[str, Any]
    submitted_by: str
    server_received_at: datetime
    current_version_uuid: str | None = Field(
        default=None,
        description="The report's current version when this change was read "
        "(not when it was written): decide the main line by this, never by feed order.",
    )
    submitted_by_name: str = Field(default="", description="The filer's display name.")
    post_role: str | None = Field(
        default=None,
        description="A or B: the filer's role on the village's post when the "
        "version was stored (null when unknown).",
    )
    filing_role: Literal["A", "B_acting", "B_while_A_on_duty"] | None = Field(
        default=None,
        description="In which capacity it was filed, at the filing moment "
        "(null when unknown): B_while_A_on_duty is flagged for the reviewer.",
    )
    acting_for_name: str | None = Field(
        default=None, description="For B_acting: the display name of the A stood in for."
    )
    time_flag: Literal["skew_corrected", "future", "too_old"] | None = Field(
        default=None,
        description="Set when the server corrected the filing time the device claimed "
        "(content keeps the claim): skew_corrected (device clock off), future (after the "
        "receipt) or too_old (long before it).",
    )
    filed_at: datetime | None = Field(
        default=None, description="With time_flag: the filing time the server keeps."
    )


class RosterChange(BaseModel):
    """An assignment began or ended."""

    kind: Literal["roster"] = "roster"
    changed_at: datetime
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
    created_by: str | None = None
    created_by_name: str | None = None
    ended_by: str | None = None
    ended_by_name: str | None = None


class AbsenceChange(AbsenceFields):
    """An absence of a post's A was marked, ended early, or cut by the A leaving the post.

    ``kind`` names the change; the absence's own kind is ``absence_kind``.
    """

    kind: Literal["absence"] = "absence"
    absence_kind: AbsenceKindOut
    changed_at: datetime


class HandoverChange(HandoverFields):
    """A post was handed over, or the handover signed off.

    ``kind`` names the change; the handover's own kind is ``handover_kind``.
    """

    kind: Literal["handover"] = "handover"
    handover_kind: HandoverKindOut
    changed_at: datetime


class EventOpeningChange(OpeningOut):
    """A township opened an event for villages (or added villages, or closed it)."""

    kind: Literal["event_opening"] = "event_opening"
    changed_at: datetime


class DecisionChange(BaseModel):
    """A township reviewer decided on a version (``applied``, or a recorded ``conflict``).

    Apply it to the version named, in feed order, only when ``status`` is ``applied``.
    """

    kind: Literal["decision"] = "decision"
    changed_at: datetime
    decision_uuid: str
    report_uuid: str
    version_uuid: str
    village_code: str
    decision: Literal["approve", "return"]
    status: Literal["applied", "conflict"]
    code: str
    reason: str
    field_comments: dict[str, str]
    decided_by: str
    decided_by_name: str
    post_role: str | None
    device_id: str
    device_decided_at: datetime | None
    server_received_at: datetime


class TownshipReportChange(BaseModel):
    """A township report was submitted upward."""

    kind: Literal["township_report"] = "township_report"
    changed_at: datetime
    submission_uuid: str
    township_code: str
    township_name: str
    event_uuid: str
    event_name: str
    stage: str
    figures: dict[str, int | float | str]
    villages: list[dict[str, Any]]
    adjustments: list[dict[str, Any]]
    submitted_by: str
    submitted_by_name: str
    post_role: str | None
    device_id: str
    server_received_at: datetime


class UnitDecisionChange(UnitDecisionOut):
    """A county passed or returned a township report, or the city a county report."""

    kind: Literal["unit_decision"] = "unit_decision"
    changed_at: datetime


Change = Annotated[
    ReportVersionChange
    | RosterChange
    | DecisionChange
    | TownshipReportChange
    | AbsenceChange
    | HandoverChange
    | EventOpeningChange
    | UnitDecisionChange,
    Field(discriminator="kind"),
]


class ChangesOut(BaseModel):
    """A page of changes; keep ``cursor`` and pull again while ``has_more``."""

    changes: list[Change]
    cursor: str
    has_more: bool

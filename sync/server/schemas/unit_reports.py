"""County review and the county and city reports: request bodies and answers."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from sync.server.schemas.common import InModel
from sync.server.schemas.townships import AdjustmentOut, CheckOut, FiguresOut

ID_PATTERN = r"^[A-Za-z0-9_-]+$"


class UnitDecisionOut(BaseModel):
    """A county's decision on a township report, or the city's on a county report."""

    decision_uuid: str
    submission_uuid: str
    level: Literal["township", "county"] = Field(description="The level of the report decided.")
    unit_code: str = Field(description="The unit whose report was decided.")
    unit_name: str
    event_uuid: str
    stage: str
    decision: Literal["pass", "return"]
    reason: str
    decided_by: str
    decided_by_name: str
    post_role: str | None = Field(description="The decider's A/B role on the unit's post.")
    decided_at: datetime


class UnitRowOut(BaseModel):
    """A report submitted by a unit below (a row of 分乡镇/分县数据, or one waiting)."""

    unit_code: str
    unit_name: str
    submission_uuid: str
    event_name: str
    stage: str
    figures: FiguresOut
    data_cutoff_at: datetime | None
    submitted_by: str
    submitted_by_name: str
    post_role: str | None
    server_received_at: datetime
    status: Literal["submitted", "passed", "returned"]
    decision: UnitDecisionOut | None


class UnitSubmissionOut(BaseModel):
    """A county or city report as submitted upward."""

    submission_uuid: str
    level: Literal["county", "city"]
    unit_code: str
    unit_name: str
    event_uuid: str
    event_name: str
    stage: str
    data_cutoff_at: datetime | None
    figures: FiguresOut
    rows: list[UnitRowOut]
    adjustments: list[AdjustmentOut]
    submitted_by: str
    submitted_by_name: str
    post_role: str | None
    device_id: str
    server_received_at: datetime
    status: Literal["submitted", "passed", "returned", "final"] = Field(
        description="A county report waits for the city's decision; the city's is final."
    )
    decision: UnitDecisionOut | None


class UnitReportOut(BaseModel):
    """The live report of a county or the city for one event and stage."""

    level: Literal["county", "city"]
    unit_code: str
    unit_name: str
    event_uuid: str
    event_name: str
    stage: str
    rows: list[UnitRowOut] = Field(description="Per unit below, its latest passed report.")
    row_sum: FiguresOut
    adjustments: list[AdjustmentOut]
    total: FiguresOut = Field(description="row_sum plus the adjustments.")
    check: CheckOut
    waiting: list[UnitRowOut] = Field(description="Newest submissions without a decision.")
    verified_missing: list[str] = Field(
        description="Units below with approved village figures but no passed verified report."
    )
    submission: UnitSubmissionOut | None
    server_time: datetime


class UnitDecisionIn(InModel):
    """Pass or return a report of a unit below."""

    decision_uuid: str = Field(min_length=1, max_length=64, pattern=ID_PATTERN)
    submission_uuid: str = Field(min_length=1, max_length=64, pattern=ID_PATTERN)
    decision: Literal["pass", "return"]
    reason: str = Field(default="", max_length=4000, description="Required for a return.")


class UnitDecisionResultOut(BaseModel):
    """A decision stored now (accepted) or before (duplicate)."""

    status: Literal["accepted", "duplicate"]
    decision: UnitDecisionOut
    server_time: datetime


class UnitSubmitResultOut(BaseModel):
    """A county or city report stored now (accepted) or before (duplicate)."""

    status: Literal["accepted", "duplicate"]
    report: UnitSubmissionOut
    server_time: datetime

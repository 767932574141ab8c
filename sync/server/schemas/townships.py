"""The township report, its adjustments and submission, and the completeness panel."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from sync.server.schemas.common import InModel
from sync.server.schemas.reports import IssueOut

FiguresOut = dict[str, int | float | str]


class VillageRowOut(BaseModel):
    """The approved village version that counts for the township."""

    village_code: str
    village_name: str
    report_uuid: str
    version_uuid: str
    version_no: int
    submitted_by: str
    post_role: str | None
    data_cutoff_at: datetime
    server_received_at: datetime
    figures: FiguresOut


class AdjustmentOut(BaseModel):
    """An explicit township adjustment with its reason."""

    adjustment_uuid: str
    field: str
    delta: int | float | str
    reason: str
    made_by: str
    made_by_name: str
    post_role: str | None
    server_received_at: datetime


class CheckOut(BaseModel):
    """The rule-12 check: no issues means the figures add up."""

    ok: bool
    issues: list[IssueOut]


class SubmissionOut(BaseModel):
    """A township report as submitted upward."""

    submission_uuid: str
    township_code: str
    township_name: str
    event_uuid: str
    event_name: str
    stage: str
    figures: FiguresOut
    villages: list[VillageRowOut]
    adjustments: list[AdjustmentOut]
    submitted_by: str
    submitted_by_name: str
    post_role: str | None
    device_id: str
    server_received_at: datetime
    is_latest: bool = Field(
        default=True, description="The newest submission of its event and stage."
    )
    county_decision: Literal["pass", "return"] | None = Field(
        default=None, description="The county's decision on this submission, if any."
    )
    county_reason: str = Field(default="", description="Why the county returned it.")
    county_decided_at: datetime | None = None


class LatestSubmissionOut(SubmissionOut):
    """The latest submission, checked against the reports approved since."""

    check: CheckOut = Field(
        description="Rule 12 of the submitted figures against the "
        "approved reports and adjustments now."
    )


class TownshipReportOut(BaseModel):
    """The live township report of one event and stage."""

    township_code: str
    township_name: str
    event_uuid: str
    event_name: str
    stage: str
    villages: list[VillageRowOut]
    village_sum: FiguresOut = Field(description="sum_figures of the village rows.")
    adjustments: list[AdjustmentOut]
    total: FiguresOut = Field(description="village_sum plus the adjustments (TownshipTotals).")
    check: CheckOut = Field(description="Rule 12 of total.")
    submission: LatestSubmissionOut | None
    server_time: datetime


class AdjustmentIn(InModel):
    """An adjustment of one township figure."""

    adjustment_uuid: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    field: str = Field(max_length=40, description="An indicator name.")
    delta: int | float | str = Field(description="Added to the village sum; may be negative.")
    reason: str = Field(default="", max_length=4000, description="Required, non-blank.")


class AdjustmentResultOut(BaseModel):
    """An adjustment stored now (accepted) or before (duplicate)."""

    status: Literal["accepted", "duplicate"]
    adjustment: AdjustmentOut
    server_time: datetime


class SubmitIn(InModel):
    """Submitting the township report: the total the reviewer saw."""

    submission_uuid: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    figures: dict[str, Any]


class SubmitResultOut(BaseModel):
    """A township report stored now (accepted) or before (duplicate)."""

    status: Literal["accepted", "duplicate"]
    report: SubmissionOut
    server_time: datetime


class SubmissionsOut(BaseModel):
    """The township reports submitted by a township, oldest first."""

    township_code: str
    township_name: str
    reports: list[SubmissionOut]
    server_time: datetime


class OnDutyOut(BaseModel):
    """The informant on duty at a village post: the A, else the B (A off duty, or no A)."""

    username: str
    display_name: str
    phone: str | None
    post_role: str


class VillageCompletenessOut(BaseModel):
    """Whether one village reported."""

    village_code: str
    village_name: str
    reported: bool
    report_count: int
    last_received_at: datetime | None
    on_duty: OnDutyOut | None = Field(description="Only for villages that have not reported.")


class CompletenessOut(BaseModel):
    """Every village of a township and whether it reported for the event or day."""

    township_code: str
    township_name: str
    event_uuid: str | None
    day: date | None
    window_start: datetime | None = Field(description="00:00 China time of the day, in UTC.")
    window_end: datetime | None = Field(description="The 24:00 cut-off, in UTC.")
    villages: list[VillageCompletenessOut]
    reported_count: int
    missing_count: int
    server_time: datetime

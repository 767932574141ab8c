"""The township report, its adjustments and submission, and the completeness panel."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from sync.contract.wire.base import Time, Wire
from sync.contract.wire.reports import Issue

__all__ = [
    "Adjustment",
    "AdjustmentRequest",
    "AdjustmentResult",
    "Completeness",
    "Figures",
    "FiguresCheck",
    "LatestSubmission",
    "Submission",
    "Submissions",
    "SubmitRequest",
    "SubmitResult",
    "TownshipReport",
    "VillageCompleteness",
    "VillageOnDuty",
    "VillageRow",
]

#: Indicator name to value.
Figures = dict[str, int | float | str]


class VillageRow(Wire, frozen=True, kw_only=True):
    """The approved village version that counts for the township."""

    village_code: str
    village_name: str
    report_uuid: str
    version_uuid: str
    version_no: int
    submitted_by: str
    post_role: str | None
    data_cutoff_at: Time
    server_received_at: Time
    figures: Figures


class Adjustment(Wire, frozen=True, kw_only=True):
    """An explicit township adjustment with its reason."""

    adjustment_uuid: str
    field: str
    delta: int | float | str
    reason: str
    made_by: str
    made_by_name: str
    post_role: str | None
    server_received_at: Time


class FiguresCheck(Wire, frozen=True, kw_only=True):
    """The rule-12 check: no issues means the figures add up."""

    ok: bool
    issues: list[Issue]


class Submission(Wire, frozen=True, kw_only=True):
    """A township report as submitted upward."""

    submission_uuid: str
    township_code: str
    township_name: str
    event_uuid: str
    event_name: str
    stage: str
    figures: Figures
    villages: list[VillageRow]
    adjustments: list[Adjustment]
    submitted_by: str
    submitted_by_name: str
    post_role: str | None
    device_id: str
    server_received_at: Time
    is_latest: bool = True
    #: The county's decision on this submission: ``pass``, ``return`` or none yet.
    county_decision: Literal["pass", "return"] | None = None
    county_reason: str = ""
    county_decided_at: Time | None = None


class LatestSubmission(Submission, frozen=True, kw_only=True):
    """The latest submission, checked against the reports approved since."""

    check: FiguresCheck


class TownshipReport(Wire, frozen=True, kw_only=True):
    """``GET /townships/{code}/reports/{event}/{stage}``: the live township report."""

    township_code: str
    township_name: str
    event_uuid: str
    event_name: str
    stage: str
    villages: list[VillageRow]
    village_sum: Figures
    adjustments: list[Adjustment]
    total: Figures
    check: FiguresCheck
    submission: LatestSubmission | None
    server_time: Time


class AdjustmentResult(Wire, frozen=True, kw_only=True):
    """``POST …/adjustments``: stored now (accepted) or before (duplicate)."""

    status: Literal["accepted", "duplicate"]
    adjustment: Adjustment
    server_time: Time


class SubmitResult(Wire, frozen=True, kw_only=True):
    """``POST …/submit``: stored now (accepted) or before (duplicate)."""

    status: Literal["accepted", "duplicate"]
    report: Submission
    server_time: Time


class VillageOnDuty(Wire, frozen=True, kw_only=True):
    """The informant on duty at a village post: the A, else the B."""

    username: str
    display_name: str
    phone: str | None
    post_role: str


class VillageCompleteness(Wire, frozen=True, kw_only=True):
    """Whether one village reported."""

    village_code: str
    village_name: str
    reported: bool
    report_count: int
    last_received_at: Time | None
    on_duty: VillageOnDuty | None


class Completeness(Wire, frozen=True, kw_only=True):
    """``GET /townships/{code}/completeness``: which villages reported (event or day)."""

    township_code: str
    township_name: str
    event_uuid: str | None
    day: dt.date | None
    window_start: Time | None
    window_end: Time | None
    villages: list[VillageCompleteness]
    reported_count: int
    missing_count: int
    server_time: Time


class AdjustmentRequest(Wire, frozen=True, kw_only=True):
    """The body of ``POST …/adjustments``."""

    adjustment_uuid: str
    field: str
    delta: int | float | str
    reason: str = ""


class SubmitRequest(Wire, frozen=True, kw_only=True):
    """The body of ``POST …/submit``: the total the reviewer saw."""

    submission_uuid: str
    figures: dict[str, Any]


class Submissions(Wire, frozen=True, kw_only=True):
    """``GET /townships/{code}/reports``: the township reports submitted, oldest first."""

    township_code: str
    township_name: str
    reports: list[Submission]
    server_time: Time

"""County review and the county and city reports (``/api/v1/units/…``).

A *unit* is a county or the city; the units below it are its townships or its counties.  The
unit passes or returns their submitted reports (``UnitDecision``), adds up the passed ones
(``UnitRow``) plus its own reasoned adjustments, and submits its report upward.
"""

from __future__ import annotations

from typing import Any, Literal

from sync.contract.wire.base import Time, Wire
from sync.contract.wire.township import Adjustment, Figures, FiguresCheck

__all__ = [
    "UnitDecision",
    "UnitDecisionRequest",
    "UnitDecisionResult",
    "UnitReport",
    "UnitRow",
    "UnitSubmission",
    "UnitSubmitRequest",
    "UnitSubmitResult",
]


class UnitDecision(Wire, frozen=True, kw_only=True):
    """A county's pass or return of a township report, or the city's of a county report."""

    decision_uuid: str
    submission_uuid: str
    level: Literal["township", "county"]
    unit_code: str
    unit_name: str
    event_uuid: str
    stage: str
    decision: Literal["pass", "return"]
    reason: str
    decided_by: str
    decided_by_name: str
    post_role: str | None
    decided_at: Time


class UnitRow(Wire, frozen=True, kw_only=True):
    """A report submitted by a unit below: a row of 分乡镇/分县数据, or one waiting."""

    unit_code: str
    unit_name: str
    submission_uuid: str
    event_name: str
    stage: str
    figures: Figures
    data_cutoff_at: Time | None
    submitted_by: str
    submitted_by_name: str
    post_role: str | None
    server_received_at: Time
    status: Literal["submitted", "passed", "returned"]
    decision: UnitDecision | None


class UnitSubmission(Wire, frozen=True, kw_only=True):
    """A county or city report as submitted (a county's waits for the city; the city's is final)."""

    submission_uuid: str
    level: Literal["county", "city"]
    unit_code: str
    unit_name: str
    event_uuid: str
    event_name: str
    stage: str
    data_cutoff_at: Time | None
    figures: Figures
    rows: list[UnitRow]
    adjustments: list[Adjustment]
    submitted_by: str
    submitted_by_name: str
    post_role: str | None
    device_id: str
    server_received_at: Time
    status: Literal["submitted", "passed", "returned", "final"]
    decision: UnitDecision | None


class UnitReport(Wire, frozen=True, kw_only=True):
    """``GET /units/{code}/reports/{event}/{stage}``: the live county or city report."""

    level: Literal["county", "city"]
    unit_code: str
    unit_name: str
    event_uuid: str
    event_name: str
    stage: str
    rows: list[UnitRow]
    row_sum: Figures
    adjustments: list[Adjustment]
    total: Figures
    check: FiguresCheck
    waiting: list[UnitRow]
    verified_missing: list[str]
    submission: UnitSubmission | None
    server_time: Time


class UnitDecisionRequest(Wire, frozen=True, kw_only=True):
    """The body of ``POST …/decisions``: a return needs a reason."""

    decision_uuid: str
    submission_uuid: str
    decision: Literal["pass", "return"]
    reason: str = ""


class UnitDecisionResult(Wire, frozen=True, kw_only=True):
    """``POST …/decisions``: stored now (accepted) or before (duplicate)."""

    status: Literal["accepted", "duplicate"]
    decision: UnitDecision
    server_time: Time


class UnitSubmitRequest(Wire, frozen=True, kw_only=True):
    """The body of ``POST …/submit``: the total the admin saw."""

    submission_uuid: str
    figures: dict[str, Any]


class UnitSubmitResult(Wire, frozen=True, kw_only=True):
    """``POST …/submit``: stored now (accepted) or before (duplicate)."""

    status: Literal["accepted", "duplicate"]
    report: UnitSubmission
    server_time: Time

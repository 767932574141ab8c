"""A township reviewer's decisions and a report's history: the review messages of the API."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from sync.contract.wire.base import Time, Wire

__all__ = [
    "DecisionBatchRequest",
    "DecisionBatchResult",
    "DecisionItem",
    "DecisionResult",
    "FilingRole",
    "History",
    "HistoryEvent",
    "Report",
    "ReportPage",
    "ReportSummary",
    "Review",
    "ReviewStatus",
    "Version",
]

ReviewStatus = Literal["pending", "returned", "approved"]
#: In which capacity a version was filed (``sync.contract.duty.FilingRole``).
FilingRole = Literal["A", "B_acting", "B_while_A_on_duty"]
DecisionKind = Literal["approve", "return"]
#: What became of one decision (reports may also answer ``quota``; decisions never do).
DecisionStatus = Literal["accepted", "duplicate", "conflict", "rejected"]


class DecisionItem(Wire, frozen=True, kw_only=True):
    """One decision on one version, as pushed."""

    decision_uuid: str
    version_uuid: str
    decision: DecisionKind
    reason: str = ""
    field_comments: dict[str, str] = msgspec.field(default_factory=dict)
    device_decided_at: Time | None = None


class DecisionBatchRequest(Wire, frozen=True, kw_only=True):
    """The body of ``POST /decisions/batch`` (items are checked one by one by the server)."""

    protocol_version: int
    device_id: str
    device_time: Time | None = None
    items: list[dict[str, Any]]


class DecisionResult(Wire, frozen=True, kw_only=True):
    """The result of one decision, in the order of the request."""

    decision_uuid: str | None
    status: DecisionStatus
    code: str
    message_zh: str
    message_en: str
    version_uuid: str | None
    applied: bool
    review_status: ReviewStatus | None
    current_version_uuid: str | None


class DecisionBatchResult(Wire, frozen=True, kw_only=True):
    """``POST /decisions/batch``: one result per decision (HTTP 200 even when rejected)."""

    server_time: Time
    results: list[DecisionResult]


class HistoryEvent(Wire, frozen=True, kw_only=True):
    """One change of a report's state."""

    kind: Literal[
        "received", "resubmitted", "conflict", "returned", "approved", "decision_conflict"
    ]
    version_uuid: str
    version_no: int
    decision_uuid: str | None
    by: str
    by_name: str
    account_role: str
    post_role: str | None
    device_id: str
    device_time: Time | None
    server_time: Time
    decision: DecisionKind | None
    reason: str | None
    field_comments: dict[str, str]
    code: str | None
    filing_role: FilingRole | None = None
    acting_for_name: str | None = None
    signin: Literal["password", "setup_code"] = "password"
    provisioned_by: str | None = None
    provisioned_by_name: str | None = None
    replaced_devices: bool = False
    time_flag: Literal["skew_corrected", "future", "too_old"] | None = None
    submitted_at: Time | None = None
    clock_skew_seconds: float | None = None


class History(Wire, frozen=True, kw_only=True):
    """``GET /reports/{uuid}/history``: every change of a report's state, in server order."""

    report_uuid: str
    review_status: ReviewStatus
    events: list[HistoryEvent]
    server_time: Time


class Review(Wire, frozen=True, kw_only=True):
    """A township reviewer's decision on one version."""

    decision_uuid: str
    report_uuid: str
    version_uuid: str
    village_code: str
    decision: DecisionKind
    status: Literal["applied", "conflict"]
    code: str
    reason: str
    field_comments: dict[str, str]
    decided_by: str
    decided_by_name: str
    post_role: str | None
    device_id: str
    device_decided_at: Time | None
    server_received_at: Time


class Version(Wire, frozen=True, kw_only=True):
    """One stored version of a report."""

    version_uuid: str
    report_uuid: str
    parent_version_uuid: str | None
    version_no: int
    status: Literal["accepted", "conflict"]
    is_current: bool
    content_hash: str
    content: dict[str, Any]
    submitted_by: str
    device_id: str
    device_time: Time | None
    server_received_at: Time
    clock_skew_seconds: float | None
    post_role: str | None = None
    review_status: ReviewStatus = "pending"
    review: Review | None = None
    filing_role: FilingRole | None = None
    acting_for_name: str | None = None


class ReportSummary(Wire, frozen=True, kw_only=True):
    """A report and its current version."""

    report_uuid: str
    village_code: str
    event_uuid: str
    current_version_uuid: str
    version_count: int
    has_conflicts: bool
    created_at: Time
    updated_at: Time
    current: dict[str, Any]
    stage: str | None = None
    review_status: ReviewStatus = "pending"
    review: Review | None = None


class ReportPage(Wire, frozen=True, kw_only=True):
    """``GET /reports``: a page of reports; pass ``cursor`` back for the next one."""

    reports: list[ReportSummary]
    cursor: str | None
    has_more: bool


class Report(Wire, frozen=True, kw_only=True):
    """``GET /reports/{uuid}``: a report with every version the server holds."""

    report_uuid: str
    village_code: str
    event_uuid: str
    current_version_uuid: str
    created_at: Time
    updated_at: Time
    review_status: ReviewStatus = "pending"
    review: Review | None = None
    versions: list[Version]

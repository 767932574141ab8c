"""Pushing report versions and reading reports."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, WithJsonSchema, field_validator

from sync.server.schemas.common import InModel, device_clock


class BatchItemIn(InModel):
    """One report version (``content`` is ``ReportContent.to_dict()``)."""

    version_uuid: str = Field(max_length=64, description="Made by the device; never reused.")
    parent_version_uuid: str | None = Field(
        default=None, description="The server version this one edits; null for a first version."
    )
    version_no: int = Field(default=1, ge=1)
    content: dict[str, Any]


#: Items are checked one by one by the server (a bad item gets its own ``rejected`` result
#: instead of failing the batch), so they are taken as plain objects, documented as above.
LooseItem = Annotated[dict[str, Any], WithJsonSchema(BatchItemIn.model_json_schema())]


class BatchIn(InModel):
    """A batch of report versions from one device."""

    loose_fields = ("items",)  # checked item by item by the route

    protocol_version: int
    device_id: str = Field(max_length=100)
    device_time: datetime | None = Field(
        default=None, description="The device's clock when sending (for the skew estimate)."
    )
    items: list[LooseItem]

    @field_validator("device_time")
    @classmethod
    def _device_clock(cls, value: datetime | None) -> datetime | None:
        return device_clock(value)


class IssueOut(BaseModel):
    """A rule's finding (``Issue.to_dict()``)."""

    rule: str
    severity: str
    field: str
    zh: str
    en: str


class ItemResultOut(BaseModel):
    """The result of one item, in the order of the request."""

    version_uuid: str | None
    status: Literal["accepted", "duplicate", "conflict", "rejected", "quota"]
    code: str
    message_zh: str
    message_en: str
    issues: list[IssueOut] = []


class BatchOut(BaseModel):
    """Per-item results (HTTP 200 even when items are rejected)."""

    server_time: datetime
    results: list[ItemResultOut]


ReviewStatusOut = Literal["pending", "returned", "approved"]
FilingRoleOut = Literal["A", "B_acting", "B_while_A_on_duty"]
FILING_ROLE_DOC = (
    "In which capacity it was filed (sync.contract.duty.FilingRole), at the "
    "filing moment; B_while_A_on_duty is flagged for the reviewer."
)


class ReviewOut(BaseModel):
    """A township reviewer's decision on one version."""

    decision_uuid: str
    report_uuid: str
    version_uuid: str
    village_code: str
    decision: Literal["approve", "return"]
    status: Literal["applied", "conflict"]
    code: str = Field(description="applied, or why it was not: version_superseded, version_frozen.")
    reason: str
    field_comments: dict[str, str] = Field(
        description="Comments by field (a content key or an indicator name)."
    )
    decided_by: str
    decided_by_name: str
    post_role: str | None = Field(description="The reviewer's A/B role on the township post.")
    device_id: str
    device_decided_at: datetime | None
    server_received_at: datetime


class VersionOut(BaseModel):
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
    device_time: datetime | None
    server_received_at: datetime
    clock_skew_seconds: float | None
    post_role: str | None = Field(default=None, description="The sender's A/B role.")
    review_status: ReviewStatusOut = "pending"
    review: ReviewOut | None = Field(
        default=None, description="The decision applied last to this version."
    )
    filing_role: FilingRoleOut | None = Field(default=None, description=FILING_ROLE_DOC)
    acting_for_name: str | None = Field(
        default=None, description="For B_acting: the display name of the A stood in for."
    )


class ReportSummaryOut(BaseModel):
    """A report and its current version."""

    report_uuid: str
    village_code: str
    event_uuid: str
    current_version_uuid: str
    version_count: int
    has_conflicts: bool
    created_at: datetime
    updated_at: datetime
    current: dict[str, Any] = Field(description="The current version's content.")
    stage: str | None = Field(default=None, description="The current version's stage.")
    review_status: ReviewStatusOut = Field(
        default="pending", description="The review status of the current version."
    )
    review: ReviewOut | None = Field(
        default=None, description="The decision applied last to the current version."
    )


class ReportPageOut(BaseModel):
    """A page of reports; pass ``cursor`` back for the next one."""

    reports: list[ReportSummaryOut]
    cursor: str | None
    has_more: bool


class ReportOut(BaseModel):
    """A report with every version the server holds."""

    report_uuid: str
    village_code: str
    event_uuid: str
    current_version_uuid: str
    created_at: datetime
    updated_at: datetime
    review_status: ReviewStatusOut = "pending"
    review: ReviewOut | None = None
    versions: list[VersionOut]


class HistoryEventOut(BaseModel):
    """One change of a report's state."""

    kind: Literal[
        "received", "resubmitted", "conflict", "returned", "approved", "decision_conflict"
    ]
    version_uuid: str
    version_no: int
    decision_uuid: str | None
    by: str = Field(description="The username who did it.")
    by_name: str
    account_role: str
    post_role: str | None = Field(description="A or B on the post, when they held one.")
    device_id: str
    device_time: datetime | None = Field(
        description="The device's clock: when submitted or decided (else when sent)."
    )
    server_time: datetime
    decision: Literal["approve", "return"] | None
    reason: str | None
    field_comments: dict[str, str]
    code: str | None = Field(description="For decision_conflict: why it was not applied.")
    filing_role: FilingRoleOut | None = Field(default=None, description=FILING_ROLE_DOC)
    acting_for_name: str | None = Field(
        default=None, description="For B_acting: the display name of the A stood in for."
    )
    signin: Literal["password", "setup_code"] = Field(
        default="password",
        description="How the device it came from signed in: with a password, or with a "
        "set-up code (经设置码登录) a manager issued (stays so for the device).",
    )
    provisioned_by: str | None = Field(
        default=None,
        description="For setup_code: the username who issued the code (None: the server operator).",
    )
    provisioned_by_name: str | None = Field(
        default=None, description="For setup_code: that person's display name."
    )
    replaced_devices: bool = Field(
        default=False,
        description="For setup_code: redeeming the code signed other devices of the account "
        "out (a replaced PC or a takeover); false for a first set-up.",
    )
    time_flag: Literal["skew_corrected", "future", "too_old"] | None = Field(
        default=None,
        description="For a version whose filing time the server corrected: why "
        "(skew_corrected: the device clock was off; future: after the receipt; too_old: "
        "implausibly old). device_time then keeps the device's claim.",
    )
    submitted_at: datetime | None = Field(
        default=None, description="With time_flag: the filing time the server keeps."
    )
    clock_skew_seconds: float | None = Field(
        default=None,
        description="With time_flag: the device's clock minus the server's, measured at push.",
    )


class HistoryOut(BaseModel):
    """Every change of a report's state, in server order."""

    report_uuid: str
    review_status: ReviewStatusOut
    events: list[HistoryEventOut]
    server_time: datetime

"""Pushing review decisions in batches."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, WithJsonSchema, field_validator

from sync.server.schemas.common import InModel, device_clock


class DecisionItemIn(InModel):
    """One decision on one version."""

    decision_uuid: str = Field(max_length=64, description="Made by the device; never reused.")
    version_uuid: str = Field(max_length=64, description="The version judged.")
    decision: Literal["approve", "return"]
    reason: str = Field(default="", description="Required (non-blank) for a return.")
    field_comments: dict[str, str] = Field(
        default_factory=dict,
        description="Optional comments by field: a content key or an indicator name.",
    )
    device_decided_at: datetime | None = Field(
        default=None, description="The device's clock when the reviewer decided."
    )


#: Items are checked one by one (a bad item gets its own ``rejected`` result).
LooseDecision = Annotated[dict[str, Any], WithJsonSchema(DecisionItemIn.model_json_schema())]


class DecisionBatchIn(InModel):
    """A batch of decisions from one device."""

    loose_fields = ("items",)  # checked item by item by the route

    protocol_version: int
    device_id: str = Field(max_length=100)
    device_time: datetime | None = Field(
        default=None, description="The device's clock when sending (for the skew estimate)."
    )
    items: list[LooseDecision]

    @field_validator("device_time")
    @classmethod
    def _device_clock(cls, value: datetime | None) -> datetime | None:
        return device_clock(value)


class DecisionResultOut(BaseModel):
    """The result of one decision, in the order of the request."""

    decision_uuid: str | None
    status: Literal["accepted", "duplicate", "conflict", "rejected"]
    code: str
    message_zh: str
    message_en: str
    version_uuid: str | None
    applied: bool = Field(
        description="Whether the decision changed the version's review "
        "status (for a duplicate: when it was first received)."
    )
    review_status: Literal["pending", "returned", "approved"] | None = Field(
        description="The judged version's review status now (null when rejected)."
    )
    current_version_uuid: str | None = Field(
        description="The report's current version now (null when rejected)."
    )


class DecisionBatchOut(BaseModel):
    """Per-item results (HTTP 200 even when items are rejected)."""

    server_time: datetime
    results: list[DecisionResultOut]

"""Pushing report versions and photos: the report messages of the API."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from sync.contract.wire.base import Time, Wire

__all__ = [
    "BatchItem",
    "BatchRequest",
    "BatchResult",
    "Issue",
    "ItemResult",
    "PhotoUpload",
    "ResultStatus",
]

#: What became of one pushed item.
ResultStatus = Literal["accepted", "duplicate", "conflict", "rejected"]


class Issue(Wire, frozen=True, kw_only=True):
    """A rule's finding (``Issue.to_dict()``)."""

    rule: str
    severity: str
    field: str
    zh: str
    en: str


class ItemResult(Wire, frozen=True, kw_only=True):
    """The result of one pushed version, in the order of the request."""

    version_uuid: str | None
    status: ResultStatus
    code: str
    message_zh: str
    message_en: str
    issues: list[Issue] = msgspec.field(default_factory=list)


class BatchResult(Wire, frozen=True, kw_only=True):
    """``POST /reports/batch``: one result per item (HTTP 200 even when items are rejected)."""

    server_time: Time
    results: list[ItemResult]


class PhotoUpload(Wire, frozen=True, kw_only=True):
    """``GET``/``PUT /photos/{sha256}``: how much of a photo the server holds."""

    sha256: str
    size: int | None
    received: int
    complete: bool


class BatchItem(Wire, frozen=True, kw_only=True):
    """One report version to push (``content`` is ``ReportContent.to_dict()``)."""

    version_uuid: str
    parent_version_uuid: str | None = None
    version_no: int = 1
    content: dict[str, Any]


class BatchRequest(Wire, frozen=True, kw_only=True):
    """The body of ``POST /reports/batch`` (items are checked one by one by the server)."""

    protocol_version: int
    device_id: str
    device_time: Time | None = None
    items: list[dict[str, Any]]

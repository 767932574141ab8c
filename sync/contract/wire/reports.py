"""Pushing report versions and photos: the report messages of the API."""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any, Literal

import msgspec

from sync.contract.wire.base import Time, Wire

__all__ = [
    "CHUNK_DIGEST_HEADER",
    "QUOTA_EXCEEDED",
    "BatchItem",
    "BatchRequest",
    "BatchResult",
    "Issue",
    "ItemResult",
    "PhotoUpload",
    "ResultStatus",
    "chunk_digest",
    "digest_in",
]

#: What became of one pushed item.  ``quota``: not stored, the account's daily quota is used
#: up; the device keeps the version queued and sends it again in a later round.
ResultStatus = Literal["accepted", "duplicate", "conflict", "rejected", "quota"]
#: The code of a ``quota`` result: not refused, only not now.
QUOTA_EXCEEDED = "quota_exceeded"


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


#: The request header of a photo chunk's SHA-256 (RFC 9530): ``sha-256=:<base64>:``.  A chunk
#: that does not match it is refused alone (422 ``chunk_corrupt``); without it the server
#: still takes the chunk (older apps) and only the whole photo's SHA-256 protects it.
CHUNK_DIGEST_HEADER = "Content-Digest"


def chunk_digest(chunk: bytes) -> str:
    """Return the ``Content-Digest`` value of ``chunk``: ``sha-256=:<base64 of SHA-256>:``."""
    return "sha-256=:" + base64.b64encode(hashlib.sha256(chunk).digest()).decode("ascii") + ":"


def digest_in(header: str) -> bytes | None:
    """Return the SHA-256 a ``Content-Digest`` value names, or ``None`` when it names none.

    Other algorithms (``sha-512=…``) are ignored, as RFC 9530 allows.

    Raises:
        ValueError: the ``sha-256`` member is not ``:<base64 of 32 bytes>:``.
    """
    for member in header.split(","):
        key, sep, value = member.partition("=")
        if not sep or key.strip().lower() != "sha-256":
            continue
        value = value.strip()
        if len(value) < 2 or value[0] != ":" or value[-1] != ":":
            raise ValueError("sha-256 is not a byte sequence (:base64:)")
        try:
            digest = base64.b64decode(value[1:-1], validate=True)
        except binascii.Error as exc:
            raise ValueError("sha-256 is not base64") from exc
        if len(digest) != hashlib.sha256().digest_size:
            raise ValueError("sha-256 is not 32 bytes")
        return digest
    return None


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

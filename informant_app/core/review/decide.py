"""A reviewer's decision on this device: its reason and field comments checked, then queued.

The store records it with its outbox entry in one transaction and refuses what the rules of
review forbid (``store.decisions``: not a reviewer's device, a village outside the township,
a frozen or superseded version); the sync engine pushes it after the report versions.
"""

from __future__ import annotations

from informant_app.core.review.types import Decision, DecisionKind, DecisionRefusedError
from informant_app.core.store.decisions import latest_decision, queue_decision
from informant_app.core.store.report_store import ReportStore
from sync.contract import INDICATOR_BY_FIELD
from sync.contract.report import CONTENT_KEYS

#: Names a field comment may sit beside: a content key or an indicator (as the server checks).
COMMENTABLE = frozenset(CONTENT_KEYS) | frozenset(INDICATOR_BY_FIELD)
MAX_REASON_CHARS = 2000
MAX_COMMENT_CHARS = 1000


def _comments(field_comments: dict[str, str] | None) -> dict[str, str]:
    comments: dict[str, str] = {}
    for name, text in (field_comments or {}).items():
        if name not in COMMENTABLE:
            raise DecisionRefusedError(
                f"未知字段：{name}", f"unknown field: {name}", "unknown_field"
            )
        text = str(text).strip()
        if len(text) > MAX_COMMENT_CHARS:
            raise DecisionRefusedError(
                f"字段意见不超过 {MAX_COMMENT_CHARS} 字",
                f"a field comment has at most {MAX_COMMENT_CHARS} characters",
                "comment_too_long",
            )
        if text:
            comments[name] = text
    return comments


def record_decision(
    store: ReportStore,
    version_uuid: str,
    kind: DecisionKind,
    reason: str,
    field_comments: dict[str, str] | None,
) -> Decision:
    """Store a decision and its outbox entry in one transaction; see ``review.decide``."""
    kind = DecisionKind(kind)
    reason = (reason or "").strip()
    if kind is DecisionKind.RETURN and not reason:
        raise DecisionRefusedError("退回必须说明原因", "a return needs a reason", "reason_required")
    if len(reason) > MAX_REASON_CHARS:
        raise DecisionRefusedError(
            f"原因不超过 {MAX_REASON_CHARS} 字",
            f"a reason has at most {MAX_REASON_CHARS} characters",
            "reason_too_long",
        )
    comments = _comments(field_comments)
    return queue_decision(store, version_uuid, kind, reason, comments)


def latest(store: ReportStore, report_uuid: str) -> Decision | None:
    """Return the latest decision on the report: applied, or made on this device."""
    return latest_decision(store, report_uuid)

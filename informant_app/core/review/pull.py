"""Applying the review kinds of the change feed: decisions and submitted township reports.

Called by ``sync_pull.apply_page`` inside the page's transaction; idempotent, so a page read
again (or the whole feed, after the cursor was cleared) changes nothing.  A decision changes
the version's review status only when the server applied it, in feed order; a decision the
server recorded as a conflict is kept (the reviewer sees why) but changes nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from informant_app.core.review.types import DecisionKind, ReviewStatus
from informant_app.core.store.models import DecisionOutboxRow, DecisionRow, TownshipSubmissionRow
from informant_app.core.store.review import set_review_status
from sync.client.api import parse_server_time

log = logging.getLogger(__name__)

#: The server's words for a decision it recorded but did not apply, by code.
CONFLICT_TEXT: dict[str, tuple[str, str]] = {
    "version_superseded": (
        "已记录，但所审版本已不是当前版本，未生效",
        "recorded, but the version judged is no longer the current one; not applied",
    ),
    "version_frozen": (
        "已记录，但该版本已审核通过（已冻结），未生效",
        "recorded, but the version is already approved (frozen); not applied",
    ),
}
STATUS_OF = {
    DecisionKind.APPROVE: ReviewStatus.APPROVED,
    DecisionKind.RETURN: ReviewStatus.RETURNED,
}


def _optional_time(value: object) -> datetime | None:
    return parse_server_time(value) if value not in (None, "") else None


def apply_decision(s: Session, change: Mapping[str, Any], now: datetime) -> None:
    """Keep one decision of the feed and, when applied, move the version's review status."""
    decision_uuid = str(change["decision_uuid"])
    kind = DecisionKind(str(change["decision"]))
    applied = change["status"] == "applied"
    code = str(change.get("code") or change["status"])
    zh, en = (
        (None, None)
        if applied
        else CONFLICT_TEXT.get(code, ("已记录，但未生效", f"recorded, not applied ({code})"))
    )
    comments = change.get("field_comments") or {}
    if not isinstance(comments, dict):
        raise TypeError("field_comments is not an object")
    server = {
        "received_at": parse_server_time(change["server_received_at"]),
        "applied": applied,
        "sync_state": "sent" if applied else "conflict",
        "server_code": code,
        "message_zh": zh,
        "message_en": en,
        "updated_at": now,
    }
    s.execute(
        sqlite_insert(DecisionRow)
        .values(
            decision_uuid=decision_uuid,
            version_uuid=str(change["version_uuid"]),
            report_uuid=str(change["report_uuid"]),
            village_code=str(change["village_code"]),
            kind=kind.value,
            reason=str(change.get("reason") or ""),
            field_comments=json.dumps(
                {str(k): str(v) for k, v in comments.items()}, ensure_ascii=False, sort_keys=True
            ),
            decided_by=str(change.get("decided_by") or ""),
            decided_by_name=str(change.get("decided_by_name") or ""),
            decided_role=change.get("post_role"),
            device_id=str(change.get("device_id") or ""),
            decided_at=_optional_time(change.get("device_decided_at")),
            origin="remote",
            **server,
        )
        .on_conflict_do_update(index_elements=["decision_uuid"], set_=server)
    )
    s.execute(delete(DecisionOutboxRow).where(DecisionOutboxRow.decision_uuid == decision_uuid))
    if applied:
        set_review_status(
            s,
            str(change["version_uuid"]),
            STATUS_OF[kind].value,
            decision_uuid,
            str(change.get("reason") or ""),
            now,
        )


def apply_township_report(s: Session, change: Mapping[str, Any], now: datetime) -> None:
    """Keep a township report submitted upward (the reviewers' devices hear of it)."""
    payload = {k: v for k, v in change.items() if k != "kind"}
    s.execute(
        sqlite_insert(TownshipSubmissionRow)
        .values(
            submission_uuid=str(change["submission_uuid"]),
            township_code=str(change["township_code"]),
            event_uuid=str(change["event_uuid"]),
            stage=str(change["stage"]),
            payload=json.dumps(payload, ensure_ascii=False),
            server_received_at=parse_server_time(change["server_received_at"]),
            pulled_at=now,
        )
        .on_conflict_do_nothing(index_elements=["submission_uuid"])
    )

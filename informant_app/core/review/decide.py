"""Recording a reviewer's decision on this device, and reading the latest decision on a report.

A decision and its outbox entry are written in one transaction (the sync engine pushes it
after the report versions).  Only the device of a township reviewer decides, and only on
versions of its township.  Approved versions are frozen: a second decision on a version that
is approved, or on which an approval waits to be sent, is refused here; so is a decision on
a version this device already knows to be superseded.
"""

from __future__ import annotations

import json
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from informant_app.core.review.types import (
    Decision,
    DecisionKind,
    DecisionRefusedError,
    ReviewStatus,
)
from informant_app.core.store.models import (
    DecisionOutboxRow,
    DecisionRow,
    VersionReviewRow,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.review import UNSENT, decision_of, visible_decisions
from informant_app.core.store.sync_state import now_utc, read_account
from informant_app.core.sync.types import Account
from sync.contract import INDICATOR_BY_FIELD, is_within
from sync.contract.report import CONTENT_KEYS

REVIEWER_ROLE = "township_reviewer"
#: Names a field comment may sit beside: a content key or an indicator (as the server checks).
COMMENTABLE = frozenset(CONTENT_KEYS) | frozenset(INDICATOR_BY_FIELD)
MAX_REASON_CHARS = 2000
MAX_COMMENT_CHARS = 1000


def _reviewer(s: Session) -> Account:
    account = read_account(s)
    if account is None or account.role != REVIEWER_ROLE:
        raise DecisionRefusedError(
            "只有乡镇审核人员的电脑可以审核报告（请以审核账号登录）",
            "only a township reviewer's device may decide on reports "
            "(sign in with a reviewer account)",
            "not_reviewer",
        )
    return account


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


def _check_version(s: Session, row: VersionReviewRow, account: Account) -> None:
    if not is_within(row.village_code, account.jurisdiction_code):
        raise DecisionRefusedError(
            "该村不属于本乡镇，不能审核", "the village is not in your township", "not_permitted"
        )
    if row.status == ReviewStatus.APPROVED.value:
        raise DecisionRefusedError(
            "该版本已审核通过（已冻结），不能再作决定",
            "this version is approved (frozen); no further decision",
            "version_frozen",
        )
    waiting = s.scalar(
        select(DecisionRow.decision_uuid)
        .where(
            DecisionRow.version_uuid == row.version_uuid,
            DecisionRow.kind == "approve",
            DecisionRow.sync_state.in_((*UNSENT, "sent")),
        )
        .limit(1)
    )
    if waiting is not None:
        raise DecisionRefusedError(
            "已对该版本作出通过决定（已冻结），不能再作决定",
            "this version has been approved here (frozen); no further decision",
            "version_frozen",
        )
    if not row.is_current:
        raise DecisionRefusedError(
            "村里已报送了更新的版本，请审核最新版本",
            "the village has sent a newer version; review that one",
            "version_superseded",
        )


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
    now = now_utc()
    with store.write_session() as s, s.begin():
        account = _reviewer(s)
        row = s.get(VersionReviewRow, version_uuid)
        if row is None:
            raise KeyError(version_uuid)
        _check_version(s, row, account)
        role = next(
            (p.post_role for p in account.posts if is_within(row.village_code, p.division_code)),
            None,
        )
        decision = DecisionRow(
            decision_uuid=str(uuid.uuid4()),
            version_uuid=version_uuid,
            report_uuid=row.report_uuid,
            village_code=row.village_code,
            kind=kind.value,
            reason=reason,
            field_comments=json.dumps(comments, ensure_ascii=False, sort_keys=True),
            decided_by=account.username,
            decided_by_name=account.display_name,
            decided_role=role,
            device_id=account.device_id,
            decided_at=now,
            received_at=None,
            origin="local",
            sync_state="queued",
            applied=False,
            server_code=None,
            message_zh=None,
            message_en=None,
            updated_at=now,
        )
        s.add(decision)
        s.flush()
        s.add(DecisionOutboxRow(decision_uuid=decision.decision_uuid, created_at=now, attempts=0))
        s.flush()
        return decision_of(decision)


def latest(store: ReportStore, report_uuid: str) -> Decision | None:
    """Return the latest decision on the report: applied, or made on this device."""
    with Session(store.engine) as s:
        row = s.scalars(
            select(DecisionRow)
            .where(visible_decisions(report_uuid))
            .order_by(DecisionRow.seq.desc())
            .limit(1)
        ).first()
        return decision_of(row) if row is not None else None

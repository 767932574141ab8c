"""Storing a pushed batch of review decisions: one result per item, one transaction per batch.

A township reviewer approves (通过) or returns (退回) one **version**.  Per item, in order:

- ``rejected``: nothing is stored.  Codes: ``bad_item`` (malformed), ``reason_required`` (a
  return without a reason), ``unknown_field`` (a field comment on a name that is neither a
  content key nor an indicator), ``not_found`` (no such version, or outside the caller's
  reach), ``not_permitted`` (the caller sees the version but is not a reviewer of its
  township), ``own_provisioned_device`` (an approval of a version sent from a device that
  redeemed a set-up code the caller issued: a manager may not file as someone below and
  approve it; ``services.signin_path``), ``decision_id_reused`` (the ``decision_uuid`` is
  stored with other content).
- ``duplicate``: this ``decision_uuid`` is stored with the same content.  ``applied`` says
  whether it took effect; when it was recorded as a conflict, ``code`` is the stored reason
  (``version_superseded`` or ``version_frozen``), else ``duplicate``.
- ``conflict``: stored but **not applied**: the version is no longer the report's current
  version (``version_superseded``), or it is already approved and therefore frozen
  (``version_frozen``).
- ``accepted``: stored and applied: the version's review status is now returned or approved.

Items are handled in their order, so "return, then approve" in one batch ends approved.
Idempotency rests on the unique ``decision_uuid`` (``INSERT … ON CONFLICT DO NOTHING``, then
the stored ``content_hash`` is compared), and the review status moves by compare-and-swap:
``UPDATE report_versions … WHERE review_status <> 'approved' AND`` the version is current.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, insert, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from sync.contract import INDICATOR_BY_FIELD, ContractError, parse_time
from sync.contract.report import CONTENT_KEYS
from sync.server.db import Database, utc_now
from sync.server.dialect import insert_ignore
from sync.server.errors import OWN_PROVISIONED_DEVICE
from sync.server.jurisdiction import Caller
from sync.server.models import (
    Change,
    ChangeKind,
    Decision,
    DecisionKind,
    DecisionStatus,
    Device,
    Report,
    ReportVersion,
    ReviewStatus,
    VersionStatus,
)
from sync.server.services.signin_path import provisioned_by

log = logging.getLogger(__name__)

_UUID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_ATTEMPTS = 5
MAX_REASON_CHARS = 2000
MAX_COMMENT_CHARS = 1000
MAX_COMMENTS = 100
#: The names a field comment may sit beside: a content key or an indicator.
COMMENTABLE = frozenset(CONTENT_KEYS) | frozenset(INDICATOR_BY_FIELD)


@dataclass
class DecisionResult:
    """The server's answer for one pushed decision.

    Attributes:
        applied: whether the decision (now or when first received) changed the version's
            review status; false for conflicts and rejections.
        review_status: the judged version's review status after this item (``None`` when
            rejected).
        current_version_uuid: the report's current version (``None`` when rejected).
    """

    decision_uuid: str | None
    status: str
    code: str
    message_zh: str
    message_en: str
    version_uuid: str | None = None
    applied: bool = False
    review_status: str | None = None
    current_version_uuid: str | None = None


@dataclass(frozen=True)
class DecisionItem:
    """A decision that parsed and is about to be judged."""

    index: int
    decision_uuid: str
    version_uuid: str
    decision: DecisionKind
    reason: str
    field_comments: dict[str, str]
    decided_at: datetime | None
    content_hash: str


@dataclass(frozen=True)
class DecisionBatchOutcome:
    """The results of a batch, in item order, and the server time of receipt."""

    server_time: datetime
    results: list[DecisionResult]


def _rejected(
    decision_uuid: str | None, code: str, zh: str, en: str, version_uuid: str | None = None
) -> DecisionResult:
    return DecisionResult(decision_uuid, "rejected", code, zh, en, version_uuid)


def _bad(decision_uuid: str | None, zh: str, en: str) -> DecisionResult:
    return _rejected(decision_uuid, "bad_item", zh, en)


def _comments(raw: object, decision_uuid: str) -> dict[str, str] | DecisionResult:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or len(raw) > MAX_COMMENTS:
        return _bad(
            decision_uuid,
            "字段意见（field_comments）必须是“字段: 意见”的对象",
            "field_comments must be an object of field: comment",
        )
    comments: dict[str, str] = {}
    for name, text in raw.items():
        if name not in COMMENTABLE:
            return _rejected(
                decision_uuid, "unknown_field", f"未知字段：{name}", f"unknown field: {name}"
            )
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_COMMENT_CHARS:
            return _bad(
                decision_uuid,
                f"字段“{name}”的意见不能为空且不超过 {MAX_COMMENT_CHARS} 字",
                f"the comment on {name} must be non-blank text of at most "
                f"{MAX_COMMENT_CHARS} characters",
            )
        comments[name] = text.strip()
    return comments


def parse_decision(index: int, raw: object) -> DecisionItem | DecisionResult:
    """Check one item's shape; return the parsed decision or its rejection."""
    if not isinstance(raw, dict):
        return _bad(None, "条目必须是 JSON 对象", "an item must be an object")
    decision_uuid = raw.get("decision_uuid")
    if not isinstance(decision_uuid, str) or not _UUID_RE.fullmatch(decision_uuid):
        return _bad(
            None,
            "决定编号（decision_uuid）缺失或格式不正确",
            "decision_uuid is missing or malformed",
        )
    version_uuid = raw.get("version_uuid")
    if not isinstance(version_uuid, str) or not _UUID_RE.fullmatch(version_uuid):
        return _bad(
            decision_uuid,
            "版本编号（version_uuid）缺失或格式不正确",
            "version_uuid is missing or malformed",
        )
    try:
        decision = DecisionKind(str(raw.get("decision")))
    except ValueError:
        return _bad(
            decision_uuid,
            "决定必须是 approve（通过）或 return（退回）",
            "decision must be approve or return",
        )
    reason = raw.get("reason")
    if reason is None:
        reason = ""
    if not isinstance(reason, str) or len(reason) > MAX_REASON_CHARS:
        return _bad(
            decision_uuid,
            f"原因必须是不超过 {MAX_REASON_CHARS} 字的文字",
            f"reason must be text of at most {MAX_REASON_CHARS} characters",
        )
    reason = reason.strip()
    if decision is DecisionKind.RETURN and not reason:
        return _rejected(
            decision_uuid,
            "reason_required",
            "退回必须说明原因",
            "a return needs a reason",
            version_uuid,
        )
    comments = _comments(raw.get("field_comments"), decision_uuid)
    if isinstance(comments, DecisionResult):
        comments.version_uuid = version_uuid
        return comments
    decided_at = None
    if raw.get("device_decided_at") not in (None, ""):
        try:
            decided_at = parse_time(raw["device_decided_at"], "device_decided_at")
        except ContractError:
            return _bad(
                decision_uuid,
                "决定时间（device_decided_at）格式不正确",
                "device_decided_at is not an ISO-8601 time with a zone",
            )
    canonical = json.dumps(
        {
            "version_uuid": version_uuid,
            "decision": decision.value,
            "reason": reason,
            "field_comments": comments,
            "device_decided_at": decided_at.isoformat() if decided_at else None,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")
    return DecisionItem(
        index,
        decision_uuid,
        version_uuid,
        decision,
        reason,
        comments,
        decided_at,
        hashlib.sha256(canonical).hexdigest(),
    )


def decide_batch(
    db: Database, caller: Caller, items: list[Any], device_time: datetime | None
) -> DecisionBatchOutcome:
    """Check, store and apply a batch of decisions; return one result per item."""
    received = utc_now()
    skew = (device_time - received).total_seconds() if device_time is not None else None
    parsed = [parse_decision(i, raw) for i, raw in enumerate(items)]
    wanted = sorted({p.version_uuid for p in parsed if isinstance(p, DecisionItem)})
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with db.writing() as session:
                # Read every target before the first write: on PostgreSQL the transaction id
                # is taken at the first write, so it is above the id of every version read
                # here, and each decision follows its version in the change feed.
                targets = _targets(session, wanted)
                own = _own_provisioned(session, caller, targets)
                results = [
                    p
                    if isinstance(p, DecisionResult)
                    else _decide(
                        session, caller, p, targets.get(p.version_uuid), device_time, skew, own
                    )
                    for p in parsed
                ]
                session.execute(
                    update(Device)
                    .where(Device.id == caller.device_pk)
                    .values(last_seen_at=received, clock_skew_seconds=skew)
                )
            break
        except OperationalError as exc:
            sqlstate = getattr(exc.orig, "sqlstate", None)
            if attempt == MAX_ATTEMPTS or sqlstate not in ("40P01", "40001"):
                raise
            log.info("decision batch retried after %s (attempt %d)", sqlstate, attempt)
    return DecisionBatchOutcome(received, results)


@dataclass(frozen=True)
class _Target:
    report_uuid: str
    village_code: str
    status: str
    review_status: str
    current: str | None
    device_pk: int


def _own_provisioned(session: Session, caller: Caller, targets: dict[str, _Target]) -> set[str]:
    """Return the versions sent from a device set up with a code the caller issued."""
    mine = provisioned_by(session, caller.user_id, {t.device_pk for t in targets.values()})
    return {uuid for uuid, t in targets.items() if t.device_pk in mine}


def _targets(session: Session, version_uuids: list[str]) -> dict[str, _Target]:
    """Return the judged versions (with their report's current version) by id."""
    out: dict[str, _Target] = {}
    for start in range(0, len(version_uuids), 500):
        rows = session.execute(
            select(
                ReportVersion.version_uuid,
                ReportVersion.report_uuid,
                ReportVersion.village_code,
                ReportVersion.status,
                ReportVersion.review_status,
                Report.current_version_uuid,
                ReportVersion.device_pk,
            )
            .join(Report, Report.report_uuid == ReportVersion.report_uuid, isouter=True)
            .where(ReportVersion.version_uuid.in_(version_uuids[start : start + 500]))
        ).all()
        out.update({row[0]: _Target(*row[1:]) for row in rows})
    return out


def _target(session: Session, version_uuid: str) -> _Target | None:
    return _targets(session, [version_uuid]).get(version_uuid)


def _blocked(target: _Target, version_uuid: str) -> str | None:
    """Return why a decision on the version cannot apply now, or ``None`` when it can."""
    if target.status != VersionStatus.ACCEPTED.value or target.current != version_uuid:
        return "version_superseded"
    if target.review_status == ReviewStatus.APPROVED.value:
        return "version_frozen"
    return None


CONFLICT_TEXT = {
    "version_superseded": (
        "已记录，但所审版本已不是当前版本，未生效",
        "recorded, but the version judged is no longer the current one; not applied",
    ),
    "version_frozen": (
        "已记录，但该版本已审核通过（已冻结），未生效",
        "recorded, but the version is already approved (frozen); not applied",
    ),
}


def _decide(
    session: Session,
    caller: Caller,
    item: DecisionItem,
    target: _Target | None,
    device_time: datetime | None,
    skew: float | None,
    own: set[str] | frozenset[str] = frozenset(),
) -> DecisionResult:
    # ``target`` may predate earlier items of this batch: "approved" and "not current" never
    # change back, and the compare-and-swap in ``_apply`` judges the rest afresh.
    if target is None or not caller.can_see(target.village_code):
        return _rejected(
            item.decision_uuid,
            "not_found",
            "未找到所审版本（或不在您的辖区内）",
            "the version judged is not found (or outside your jurisdiction)",
            item.version_uuid,
        )
    if not caller.can_review(target.village_code):
        return _rejected(
            item.decision_uuid,
            "not_permitted",
            "只有本乡镇的审核人员可以审核",
            "only a reviewer of the village's township may decide",
            item.version_uuid,
        )
    if item.decision is DecisionKind.APPROVE and item.version_uuid in own:
        kind = OWN_PROVISIONED_DEVICE
        return _rejected(item.decision_uuid, kind.code, kind.zh, kind.en, item.version_uuid)
    blocked = _blocked(target, item.version_uuid)
    stored_at = utc_now()  # inside the transaction: after every decision it had to wait for
    row = {
        "decision_uuid": item.decision_uuid,
        "version_uuid": item.version_uuid,
        "report_uuid": target.report_uuid,
        "village_code": target.village_code,
        "decision": item.decision.value,
        "status": (DecisionStatus.CONFLICT if blocked else DecisionStatus.APPLIED).value,
        "code": blocked or "applied",
        "reason": item.reason,
        "field_comments_json": json.dumps(item.field_comments, sort_keys=True, ensure_ascii=False),
        "content_hash": item.content_hash,
        "user_id": caller.user_id,
        "post_role": caller.post_role_on(caller.jurisdiction_code),
        "device_pk": caller.device_pk,
        "device_decided_at": item.decided_at,
        "device_time": device_time,
        "server_received_at": stored_at,
        "clock_skew_seconds": skew,
    }
    stmt = insert_ignore(session, Decision, ["decision_uuid"]).returning(Decision.id)
    if session.execute(stmt, [row]).first() is None:
        return _repeat(session, item, target)
    if blocked is None:
        blocked = _apply(session, item, target.report_uuid)
        # The compare-and-swap may have waited for another decision on the version: the time
        # taken now keeps the history in the order the decisions took effect.
        stored_at = utc_now()
        values: dict[str, Any] = {"server_received_at": stored_at}
        if blocked is not None:  # lost a race since the read above: record the conflict
            values.update(status=DecisionStatus.CONFLICT.value, code=blocked)
        session.execute(
            update(Decision).where(Decision.decision_uuid == item.decision_uuid).values(**values)
        )
    session.execute(
        insert(Change),
        [
            {
                "kind": ChangeKind.DECISION.value,
                "division_code": target.village_code,
                "ref": item.decision_uuid,
                "created_at": stored_at,
            }
        ],
    )
    after = _target(session, item.version_uuid)
    assert after is not None
    if blocked is not None:
        zh, en = CONFLICT_TEXT[blocked]
        return DecisionResult(
            item.decision_uuid,
            "conflict",
            blocked,
            zh,
            en,
            item.version_uuid,
            False,
            after.review_status,
            after.current,
        )
    return DecisionResult(
        item.decision_uuid,
        "accepted",
        "accepted",
        "已接收并生效",
        "accepted and applied",
        item.version_uuid,
        True,
        after.review_status,
        after.current,
    )


def _apply(session: Session, item: DecisionItem, report_uuid: str) -> str | None:
    """Move the version's review status; return a conflict code when it may not move."""
    is_current = exists().where(
        Report.report_uuid == report_uuid, Report.current_version_uuid == item.version_uuid
    )
    status = (
        ReviewStatus.APPROVED if item.decision is DecisionKind.APPROVE else ReviewStatus.RETURNED
    )
    moved = session.execute(
        update(ReportVersion)
        .where(
            ReportVersion.version_uuid == item.version_uuid,
            ReportVersion.status == VersionStatus.ACCEPTED.value,
            ReportVersion.review_status != ReviewStatus.APPROVED.value,
            is_current,
        )
        .values(review_status=status.value, review_decision_uuid=item.decision_uuid)
    ).rowcount  # type: ignore[attr-defined]
    if moved == 1:
        return None
    target = _target(session, item.version_uuid)
    assert target is not None
    return _blocked(target, item.version_uuid) or "version_superseded"


def _repeat(session: Session, item: DecisionItem, target: _Target) -> DecisionResult:
    """Answer a ``decision_uuid`` that is already stored: duplicate, or a reused id."""
    stored = session.execute(
        select(Decision.content_hash, Decision.status, Decision.code).where(
            Decision.decision_uuid == item.decision_uuid
        )
    ).one()
    target = _target(session, item.version_uuid) or target  # earlier items may have moved it
    if stored.content_hash != item.content_hash:
        return _rejected(
            item.decision_uuid,
            "decision_id_reused",
            "此决定编号已用于不同的内容，请用新的编号提交",
            "this decision_uuid is already stored with different content; "
            "send the decision under a new decision_uuid",
            item.version_uuid,
        )
    if stored.status == DecisionStatus.CONFLICT.value:
        # Recorded earlier as a conflict: say why (the stored code), still not applied.
        zh, en = CONFLICT_TEXT.get(
            stored.code, ("此前已记录，但未生效", "recorded earlier, not applied")
        )
        return DecisionResult(
            item.decision_uuid,
            "duplicate",
            stored.code,
            zh,
            en,
            item.version_uuid,
            False,
            target.review_status,
            target.current,
        )
    return DecisionResult(
        item.decision_uuid,
        "duplicate",
        "duplicate",
        "此前已接收（重复提交）",
        "already received (duplicate)",
        item.version_uuid,
        True,
        target.review_status,
        target.current,
    )

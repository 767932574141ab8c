"""A reviewer's decisions in the local store: recording one, the latest, and sending them.

A decision and its outbox entry are written in one transaction (the sync engine pushes it
after the report versions).  Only the device of a township reviewer decides, and only on
versions of its township.  Approved versions are frozen: a second decision on a version that
is approved, or on which an approval waits to be sent, is refused here; so is a decision on
a version this device already knows to be superseded.  The push takes decisions from their
outbox (``take_decisions``), and puts them back or settles them with the server's answer.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from informant_app.core.review.types import (
    Decision,
    DecisionKind,
    DecisionRefusedError,
    ReviewStatus,
)
from informant_app.core.store.models import DecisionOutboxRow, DecisionRow, VersionReviewRow
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.review import (
    UNSENT,
    decision_of,
    set_review_status,
    visible_decisions,
)
from informant_app.core.store.sync_state import read_account
from informant_app.core.sync.types import Account
from sync.contract import is_within

REVIEWER_ROLE = "township_reviewer"
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


def queue_decision(
    store: ReportStore,
    version_uuid: str,
    kind: DecisionKind,
    reason: str,
    comments: dict[str, str],
) -> Decision:
    """Store a checked decision and its outbox entry in one transaction.

    Raises:
        KeyError: no version of that id came from the server.
        DecisionRefusedError: not a township reviewer's device, the village is outside the
            township, the version is approved (frozen) or known to be superseded.
    """
    now = store.now()
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


def latest_decision(store: ReportStore, report_uuid: str) -> Decision | None:
    """Return the latest decision on the report: applied, or made on this device."""
    with Session(store.engine) as s:
        row = s.scalars(
            select(DecisionRow)
            .where(visible_decisions(report_uuid))
            .order_by(DecisionRow.seq.desc())
            .limit(1)
        ).first()
        return decision_of(row) if row is not None else None


# --- sending: the decision lane of the push -------------------------------------------------


@dataclass(frozen=True)
class PendingDecision:
    """A decision taken from its outbox to be sent, with its wire item."""

    outbox_id: int
    decision_uuid: str
    item: dict[str, Any]


@dataclass(frozen=True)
class DecisionOutcome:
    """What became of a sent decision, as the push judged the server's answer.

    ``sync_state`` is ``sent``, ``conflict`` or ``rejected`` (the decision leaves its outbox),
    or ``queued`` (left for the next round; nothing else is recorded).  ``received_at`` is
    the server's time, kept unless ``None``; ``review_status`` is the version's review status
    the server answered for an applied decision.
    """

    decision_uuid: str
    sync_state: str
    applied: bool = False
    code: str | None = None
    received_at: datetime | None = None
    zh: str | None = None
    en: str | None = None
    review_status: str | None = None


def _wire_time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def pending_decisions(s: Session, after_id: int, limit: int) -> list[PendingDecision]:
    """Return up to ``limit`` unsent decisions after outbox id ``after_id``, oldest first."""
    rows = s.execute(
        select(DecisionOutboxRow.id, DecisionRow)
        .join(DecisionRow, DecisionRow.decision_uuid == DecisionOutboxRow.decision_uuid)
        .where(DecisionOutboxRow.id > after_id, DecisionRow.sync_state.in_(UNSENT))
        .order_by(DecisionOutboxRow.id)
        .limit(limit)
    ).all()
    return [
        PendingDecision(
            outbox_id,
            row.decision_uuid,
            {
                "decision_uuid": row.decision_uuid,
                "version_uuid": row.version_uuid,
                "decision": row.kind,
                "reason": row.reason,
                "field_comments": json.loads(row.field_comments or "{}"),
                "device_decided_at": _wire_time(row.decided_at),
            },
        )
        for outbox_id, row in rows
    ]


def count_unsent(s: Session) -> int:
    """Return how many decisions wait to be sent (queued or sending)."""
    return int(
        s.scalar(
            select(func.count())
            .select_from(DecisionOutboxRow)
            .join(DecisionRow, DecisionRow.decision_uuid == DecisionOutboxRow.decision_uuid)
            .where(DecisionRow.sync_state.in_(UNSENT))
        )
        or 0
    )


def count_unsent_decisions(store: ReportStore) -> int:
    """Return how many decisions wait to be sent (queued or sending)."""
    with Session(store.engine) as s:
        return count_unsent(s)


def _mark(s: Session, decision_uuids: Sequence[str], state: str, now: datetime) -> None:
    s.execute(
        update(DecisionRow)
        .where(DecisionRow.decision_uuid.in_(decision_uuids))
        .values(sync_state=state, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if state == "sending":
        s.execute(
            update(DecisionOutboxRow)
            .where(DecisionOutboxRow.decision_uuid.in_(decision_uuids))
            .values(attempts=DecisionOutboxRow.attempts + 1)
            .execution_options(synchronize_session=False)
        )


def take_decisions(store: ReportStore, after_id: int, limit: int) -> list[PendingDecision]:
    """Take the next batch of decisions to send and mark it ``sending``, in one transaction."""
    with store.write_session() as s, s.begin():
        batch = pending_decisions(s, after_id, limit)
        if batch:
            _mark(s, [p.decision_uuid for p in batch], "sending", store.now())
        return batch


def requeue_decisions(store: ReportStore, batch: Sequence[PendingDecision]) -> None:
    """Put a batch that did not get through back in the queue."""
    with store.write_session() as s, s.begin():
        _mark(s, [p.decision_uuid for p in batch], "queued", store.now())


def settle_decisions(store: ReportStore, outcomes: Sequence[DecisionOutcome]) -> None:
    """Record what became of each sent decision, in one transaction.

    A settled decision leaves its outbox; an applied one sets its version's review status.
    """
    now = store.now()
    with store.write_session() as s, s.begin():
        for o in outcomes:
            if o.sync_state == "queued":
                _mark(s, [o.decision_uuid], "queued", now)
                continue
            values: dict[str, Any] = {
                "server_code": o.code,
                "updated_at": now,
                "sync_state": o.sync_state,
                "applied": o.applied,
                "message_zh": o.zh,
                "message_en": o.en,
            }
            if o.received_at is not None:
                values["received_at"] = o.received_at
            s.execute(
                update(DecisionRow)
                .where(DecisionRow.decision_uuid == o.decision_uuid)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            s.execute(
                delete(DecisionOutboxRow).where(DecisionOutboxRow.decision_uuid == o.decision_uuid)
            )
            if o.applied and o.review_status:
                row = s.scalar(
                    select(DecisionRow).where(DecisionRow.decision_uuid == o.decision_uuid)
                )
                if row is not None:
                    set_review_status(
                        s, row.version_uuid, o.review_status, row.decision_uuid, row.reason, now
                    )

"""Pushing queued review decisions, after the report versions, in batches, crash-safe.

Like the report push (``sync_push``): each batch is marked ``sending`` before its request, so
a process killed mid-request sends it again next round (the server answers ``duplicate``).
Per-item results: accepted → sent (and the version's review status moves at once);
duplicate → sent, or conflict when the server had recorded it without applying it;
conflict → conflict with the server's message (the version was superseded or is already
approved); rejected → rejected with the message.  Each settles the decision and leaves the
outbox; one bad decision never blocks the rest.  A failed request puts the batch back to
``queued`` and stops the round.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from informant_app.core.review.pull import CONFLICT_TEXT
from informant_app.core.store.models import DecisionOutboxRow, DecisionRow
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.review import UNSENT, set_review_status
from informant_app.core.store.sync_state import now_utc
from informant_app.core.sync.push import TOO_LARGE
from sync.client.api import ClientError, FailureKind, SyncClient
from sync.contract.wire.review import DecisionBatchResult, DecisionResult

log = logging.getLogger(__name__)


@dataclass
class DecisionPushResult:
    """What the decision push did."""

    sent: int = 0
    conflicts: int = 0
    rejected: int = 0
    error: ClientError | None = None


@dataclass(frozen=True)
class _Pending:
    outbox_id: int
    decision_uuid: str
    item: dict[str, Any]


def _wire_time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def next_batch(s: Session, after_id: int, limit: int) -> list[_Pending]:
    """Return up to ``limit`` unsent decisions after outbox id ``after_id``, oldest first."""
    rows = s.execute(
        select(DecisionOutboxRow.id, DecisionRow)
        .join(DecisionRow, DecisionRow.decision_uuid == DecisionOutboxRow.decision_uuid)
        .where(DecisionOutboxRow.id > after_id, DecisionRow.sync_state.in_(UNSENT))
        .order_by(DecisionOutboxRow.id)
        .limit(limit)
    ).all()
    return [
        _Pending(
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
            .join(
                DecisionRow,
                DecisionRow.decision_uuid == DecisionOutboxRow.decision_uuid,
            )
            .where(DecisionRow.sync_state.in_(UNSENT))
        )
        or 0
    )


def _mark(s: Session, batch: Sequence[_Pending], state: str, now: datetime) -> None:
    ids = [p.decision_uuid for p in batch]
    s.execute(
        update(DecisionRow)
        .where(DecisionRow.decision_uuid.in_(ids))
        .values(sync_state=state, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if state == "sending":
        s.execute(
            update(DecisionOutboxRow)
            .where(DecisionOutboxRow.decision_uuid.in_(ids))
            .values(attempts=DecisionOutboxRow.attempts + 1)
            .execution_options(synchronize_session=False)
        )


def _settle(s: Session, decision_uuid: str, values: dict[str, Any]) -> None:
    s.execute(
        update(DecisionRow)
        .where(DecisionRow.decision_uuid == decision_uuid)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    s.execute(delete(DecisionOutboxRow).where(DecisionOutboxRow.decision_uuid == decision_uuid))


def _message(result: DecisionResult) -> tuple[str, str]:
    return (
        result.message_zh or "服务器拒收",
        result.message_en or "refused by the server",
    )


class DecisionPusher:
    """Runs the decision part of the push phase of one round."""

    def __init__(
        self, store: ReportStore, client: SyncClient, clock: Callable[[], datetime], batch_size: int
    ) -> None:
        self.store = store
        self.client = client
        self.clock = clock
        self.batch_size = max(1, batch_size)

    def run(self) -> DecisionPushResult:
        """Push every unsent decision once, batch by batch; stop at a request failure."""
        result = DecisionPushResult()
        after = 0
        size = self.batch_size
        while True:
            with self.store.write_session() as s, s.begin():
                batch = next_batch(s, after, size)
                if not batch:
                    return result
                _mark(s, batch, "sending", now_utc())
            try:
                answer = self.client.push_decisions([p.item for p in batch], self.clock())
            except ClientError as exc:
                with self.store.write_session() as s, s.begin():
                    _mark(s, batch, "queued", now_utc())
                if exc.kind is FailureKind.REQUEST and exc.code in TOO_LARGE and len(batch) > 1:
                    size = max(1, len(batch) // 2)
                    continue
                result.error = exc
                return result
            self._apply(batch, answer, result)
            after = batch[-1].outbox_id

    def _apply(
        self, batch: Sequence[_Pending], answer: DecisionBatchResult, out: DecisionPushResult
    ) -> None:
        received = answer.server_time.astimezone(UTC)
        now = now_utc()
        with self.store.write_session() as s, s.begin():
            for pending, res in zip(batch, answer.results, strict=False):
                named = res.decision_uuid
                if named is not None and named != pending.decision_uuid:
                    log.warning("result for %s names %s; left queued", pending.decision_uuid, named)
                    _mark(s, [pending], "queued", now)
                    continue
                self._apply_one(s, pending, res, received, now, out)

    @staticmethod
    def _apply_one(
        s: Session,
        pending: _Pending,
        res: DecisionResult,
        received: datetime,
        now: datetime,
        out: DecisionPushResult,
    ) -> None:
        status = res.status
        code = res.code or status
        base = {"server_code": code, "updated_at": now}
        applied = res.applied
        if status in ("accepted", "duplicate") and (applied or status == "accepted"):
            _settle(
                s,
                pending.decision_uuid,
                {
                    **base,
                    "sync_state": "sent",
                    "applied": True,
                    "received_at": received,
                    "message_zh": None,
                    "message_en": None,
                },
            )
            row = s.scalar(
                select(DecisionRow).where(DecisionRow.decision_uuid == pending.decision_uuid)
            )
            if row is not None and res.review_status:
                set_review_status(
                    s,
                    row.version_uuid,
                    res.review_status,
                    row.decision_uuid,
                    row.reason,
                    now,
                )
            out.sent += 1
        elif status in ("conflict", "duplicate"):
            zh, en = (
                _message(res)
                if status == "conflict"
                else CONFLICT_TEXT.get(code, ("已记录，但未生效", "recorded earlier, not applied"))
            )
            _settle(
                s,
                pending.decision_uuid,
                {
                    **base,
                    "sync_state": "conflict",
                    "applied": False,
                    "received_at": received,
                    "message_zh": zh,
                    "message_en": en,
                },
            )
            out.conflicts += 1
        else:
            zh, en = _message(res)
            _settle(
                s,
                pending.decision_uuid,
                {
                    **base,
                    "sync_state": "rejected",
                    "applied": False,
                    "message_zh": zh,
                    "message_en": en,
                },
            )
            out.rejected += 1

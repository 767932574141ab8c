"""Judging the server's answer to pushed review decisions (the push loop is ``sync.push``).

Per-item results: accepted → sent (and the version's review status moves at once);
duplicate → sent, or conflict when the server had recorded it without applying it;
conflict → conflict with the server's message (the version was superseded or is already
approved); rejected → rejected with the message.  Each settles the decision and leaves the
outbox; one bad decision never blocks the rest.  A result naming another decision leaves it
queued.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC

from informant_app.core.store.decisions import CONFLICT_TEXT, DecisionOutcome, PendingDecision
from sync.client.api import ClientError
from sync.contract.wire.review import DecisionBatchResult, DecisionResult

log = logging.getLogger(__name__)


@dataclass
class DecisionPushResult:
    """What the decision push did."""

    sent: int = 0
    conflicts: int = 0
    rejected: int = 0
    error: ClientError | None = None


def _message(result: DecisionResult) -> tuple[str, str]:
    return (
        result.message_zh or "服务器拒收",
        result.message_en or "refused by the server",
    )


def judge_decisions(
    batch: Sequence[PendingDecision], answer: DecisionBatchResult, out: DecisionPushResult
) -> list[DecisionOutcome]:
    """Return what becomes of each sent decision by its per-item result, counting in ``out``."""
    received = answer.server_time.astimezone(UTC)
    outcomes: list[DecisionOutcome] = []
    for pending, res in zip(batch, answer.results, strict=False):
        named = res.decision_uuid
        if named is not None and named != pending.decision_uuid:
            log.warning("result for %s names %s; left queued", pending.decision_uuid, named)
            outcomes.append(DecisionOutcome(pending.decision_uuid, "queued"))
            continue
        status = res.status
        code = res.code or status
        if status in ("accepted", "duplicate") and (res.applied or status == "accepted"):
            outcomes.append(
                DecisionOutcome(
                    pending.decision_uuid,
                    "sent",
                    applied=True,
                    code=code,
                    received_at=received,
                    review_status=res.review_status,
                )
            )
            out.sent += 1
        elif status in ("conflict", "duplicate"):
            zh, en = (
                _message(res)
                if status == "conflict"
                else CONFLICT_TEXT.get(code, ("已记录，但未生效", "recorded earlier, not applied"))
            )
            outcomes.append(
                DecisionOutcome(pending.decision_uuid, "conflict", False, code, received, zh, en)
            )
            out.conflicts += 1
        else:
            zh, en = _message(res)
            outcomes.append(
                DecisionOutcome(pending.decision_uuid, "rejected", False, code, None, zh, en)
            )
            out.rejected += 1
    return outcomes

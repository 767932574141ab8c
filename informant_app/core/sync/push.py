"""Pushing the outbox: queued versions in creation order, in batches, crash-safe.

Each batch is marked ``sending`` in the store *before* its request goes out, so a process
killed mid-request leaves it ``sending`` and the next round sends it again (the server
answers ``duplicate``).  A version counts as received only on our server's per-item result.
Per-item outcomes: accepted/duplicate → received, conflict → conflict, rejected → error with
the server's message (quarantined: it is not sent again until retried).  A failure of the
whole request puts the batch back to ``queued`` and stops the round.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from informant_app.core.store.models import OutboxRow, ReportVersionRow, VersionSyncRow
from informant_app.core.store.report_store import ReportStore, apply_states
from informant_app.core.store.sync_state import now_utc
from informant_app.core.store.types import ReportState
from sync.client.api import ClientError, FailureKind, SyncClient
from sync.contract.wire.reports import ItemResult

log = logging.getLogger(__name__)

PENDING = (ReportState.QUEUED.value, ReportState.SENDING.value)
#: Bytes of report content per request at most (the server's default limit is 5 MiB).
MAX_BATCH_BYTES = 1024 * 1024
#: Server codes that mean "send less at a time".
TOO_LARGE = frozenset({"batch_too_large", "body_too_large"})


@dataclass
class PushResult:
    """What the push phase did."""

    pushed: int = 0
    failed: int = 0
    conflicts: int = 0
    error: ClientError | None = None


@dataclass(frozen=True)
class _Pending:
    outbox_id: int
    version_uuid: str
    item: dict[str, Any]
    size: int


def _server_parent(s: Session, row: ReportVersionRow, sync: VersionSyncRow | None) -> str | None:
    """Return the parent to name on the server.

    A resolution names the server's current version (``server_parent_uuid``).  A revision of
    a version the server refused names the nearest ancestor the server does have.
    """
    if sync is not None and sync.server_parent_uuid is not None:
        return sync.server_parent_uuid
    parent = row.parent_version_uuid
    while parent is not None:
        prow = s.get(ReportVersionRow, parent)
        if prow is None or prow.state != ReportState.ERROR.value:
            return parent
        psync = s.get(VersionSyncRow, parent)
        if psync is not None and psync.server_parent_uuid is not None:
            return psync.server_parent_uuid
        parent = prow.parent_version_uuid
    return None


def next_batch(s: Session, after_id: int, limit: int, max_bytes: int) -> list[_Pending]:
    """Return up to ``limit`` pending versions after outbox id ``after_id``, oldest first."""
    rows = s.execute(
        select(OutboxRow.id, ReportVersionRow, VersionSyncRow)
        .join(ReportVersionRow, ReportVersionRow.version_uuid == OutboxRow.version_uuid)
        .outerjoin(VersionSyncRow, VersionSyncRow.version_uuid == OutboxRow.version_uuid)
        .where(OutboxRow.id > after_id, ReportVersionRow.state.in_(PENDING))
        .order_by(OutboxRow.id)
        .limit(limit)
    ).all()
    batch: list[_Pending] = []
    total = 0
    for outbox_id, row, sync in rows:
        size = len(row.content.encode("utf-8")) + 200
        if batch and total + size > max_bytes:
            break
        total += size
        item = {
            "version_uuid": row.version_uuid,
            "parent_version_uuid": _server_parent(s, row, sync),
            "version_no": row.version_no,
            "content": json.loads(row.content),
        }
        batch.append(_Pending(outbox_id, row.version_uuid, item, size))
    return batch


def _result_message(result: ItemResult) -> tuple[str, str]:
    """Return the server's message of a result, with its issues, in Chinese and English."""
    zh, en = result.message_zh, result.message_en
    if result.issues:
        zh += "：" + "；".join(f"{i.field} {i.zh}".strip() for i in result.issues)
        en += ": " + "; ".join(f"{i.field} {i.en}".strip() for i in result.issues)
    return zh or "服务器拒收", en or "refused by the server"


def _record_syncs(
    s: Session, rows: Sequence[tuple[str, str, str, str | None, str | None]], when: datetime
) -> None:
    """Upsert the server's answer for each version (one multi-row statement)."""
    if not rows:
        return
    table = cast(Table, VersionSyncRow.__table__)
    stmt = sqlite_insert(table)
    s.execute(
        stmt.on_conflict_do_update(
            index_elements=["version_uuid"],
            set_={
                name: stmt.excluded[name]
                for name in (
                    "server_status",
                    "server_code",
                    "message_zh",
                    "message_en",
                    "updated_at",
                )
            },
        ),
        [
            {
                "version_uuid": v,
                "origin": "local",
                "server_status": status,
                "server_code": code,
                "message_zh": zh,
                "message_en": en,
                "updated_at": when,
            }
            for v, status, code, zh, en in rows
        ],
    )


class Pusher:
    """Runs the push phase of one round."""

    def __init__(
        self, store: ReportStore, client: SyncClient, clock: Callable[[], datetime], batch_size: int
    ) -> None:
        self.store = store
        self.client = client
        self.clock = clock
        self.batch_size = max(1, batch_size)

    def run(self) -> PushResult:
        """Push every pending version once, batch by batch; stop at a request failure."""
        result = PushResult()
        after = 0
        size = self.batch_size
        while True:
            with self.store.write_session() as s, s.begin():
                batch = next_batch(s, after, size, MAX_BATCH_BYTES)
                if not batch:
                    return result
                apply_states(
                    s, [(p.version_uuid, ReportState.SENDING, None) for p in batch], now_utc()
                )
            try:
                answer = self.client.push_batch([p.item for p in batch], self.clock())
            except ClientError as exc:
                self._back_to_queue(batch)
                if exc.kind is FailureKind.REQUEST and exc.code in TOO_LARGE:
                    if len(batch) > 1:
                        size = max(1, len(batch) // 2)
                        log.info("batch too large; trying %d at a time", size)
                        continue
                    self._apply(batch, [_refused(exc)], result)  # one version alone too big
                    after = batch[-1].outbox_id
                    continue
                result.error = exc
                return result
            self._apply(batch, answer.results, result)
            after = batch[-1].outbox_id

    def _back_to_queue(self, batch: Sequence[_Pending]) -> None:
        with self.store.write_session() as s, s.begin():
            apply_states(s, [(p.version_uuid, ReportState.QUEUED, None) for p in batch], now_utc())

    def _apply(
        self, batch: Sequence[_Pending], results: Sequence[ItemResult], out: PushResult
    ) -> None:
        now = now_utc()
        changes: list[tuple[str, ReportState, str | None]] = []
        synced: list[tuple[str, str, str, str | None, str | None]] = []
        with self.store.write_session() as s, s.begin():
            for pending, res in zip(batch, results, strict=False):
                status = res.status
                named = res.version_uuid
                if named is not None and named != pending.version_uuid:
                    log.warning("result for %s names %s; left queued", pending.version_uuid, named)
                    changes.append((pending.version_uuid, ReportState.QUEUED, None))
                    continue
                code = res.code or status
                if status in ("accepted", "duplicate"):
                    changes.append((pending.version_uuid, ReportState.RECEIVED, None))
                    synced.append((pending.version_uuid, "accepted", code, None, None))
                    out.pushed += 1
                elif status == "conflict":
                    zh, en = _result_message(res)
                    changes.append((pending.version_uuid, ReportState.CONFLICT, zh))
                    synced.append((pending.version_uuid, "conflict", code, zh, en))
                    out.pushed += 1
                    out.conflicts += 1
                else:
                    zh, en = _result_message(res)
                    changes.append((pending.version_uuid, ReportState.ERROR, zh))
                    synced.append((pending.version_uuid, "rejected", code, zh, en))
                    out.failed += 1
            _record_syncs(s, synced, now)
            apply_states(s, changes, now)


def _refused(exc: ClientError) -> ItemResult:
    """Return a per-item result for a single version the server refuses as too large."""
    return ItemResult(
        status="rejected",
        code=exc.code,
        message_zh=exc.zh,
        message_en=exc.en,
        version_uuid=None,
    )

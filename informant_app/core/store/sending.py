"""Sending from the outbox: the store's side of the report lane of the push.

The push takes a batch (``take_versions``: the oldest unsent versions after an outbox id, as
wire items, marked ``sending``), sends it, and either puts it back (``requeue_versions``) or
records what became of each version (``settle_versions``: the server's status, code and
message, and the next local state; ``received`` and ``conflict`` leave the outbox).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from informant_app.core.store.models import OutboxRow, ReportVersionRow, VersionSyncRow
from informant_app.core.store.report_store import ReportStore, apply_states
from informant_app.core.store.types import ReportState

#: Local states of a version still to be sent.
UNSENT_STATES = (ReportState.QUEUED.value, ReportState.SENDING.value)


@dataclass(frozen=True)
class PendingVersion:
    """A version taken from the outbox to be sent: its wire item and its size in bytes."""

    outbox_id: int
    version_uuid: str
    item: dict[str, Any]
    size: int


@dataclass(frozen=True)
class VersionOutcome:
    """What became of a sent version, as the push judged the server's answer.

    ``state`` is the version's next local state (``queued`` leaves it for the next round);
    ``server_status`` (``accepted``, ``conflict`` or ``rejected``) with ``code`` and the
    server's message is kept per version; ``None`` records nothing of the server.
    """

    version_uuid: str
    state: ReportState
    server_status: str | None = None
    code: str | None = None
    zh: str | None = None
    en: str | None = None


def _server_parent(s: Session, parent: str | None, server_parent: str | None) -> str | None:
    """Return the parent to name on the server.

    A resolution names the server's current version (``server_parent``, the version's
    ``server_parent_uuid``).  A revision of a version the server refused names the nearest
    ancestor the server does have.
    """
    if server_parent is not None:
        return server_parent
    while parent is not None:
        prow = s.get(ReportVersionRow, parent)
        if prow is None or prow.state != ReportState.ERROR.value:
            return parent
        psync = s.get(VersionSyncRow, parent)
        if psync is not None and psync.server_parent_uuid is not None:
            return psync.server_parent_uuid
        parent = prow.parent_version_uuid
    return None


def _refused_parents(s: Session, parents: set[str]) -> set[str]:
    """Return which of ``parents`` the server refused (``error``), in one statement per 500."""
    ids = sorted(parents)
    refused: set[str] = set()
    for start in range(0, len(ids), 500):
        refused.update(
            s.scalars(
                select(ReportVersionRow.version_uuid).where(
                    ReportVersionRow.version_uuid.in_(ids[start : start + 500]),
                    ReportVersionRow.state == ReportState.ERROR.value,
                )
            )
        )
    return refused


def pending_versions(s: Session, after_id: int, limit: int, max_bytes: int) -> list[PendingVersion]:
    """Return up to ``limit`` unsent versions after outbox id ``after_id``, oldest first.

    The batch stops before ``max_bytes`` of content (one version always goes).  Only the
    columns the wire item needs are read (no ORM rows); the parents are checked for a refusal
    in one statement, and only a refused one is walked past (``_server_parent``).
    """
    rows = s.execute(
        select(
            OutboxRow.id,
            ReportVersionRow.version_uuid,
            ReportVersionRow.parent_version_uuid,
            ReportVersionRow.version_no,
            ReportVersionRow.content,
            VersionSyncRow.server_parent_uuid,
        )
        .join(ReportVersionRow, ReportVersionRow.version_uuid == OutboxRow.version_uuid)
        .outerjoin(VersionSyncRow, VersionSyncRow.version_uuid == OutboxRow.version_uuid)
        .where(OutboxRow.id > after_id, ReportVersionRow.state.in_(UNSENT_STATES))
        .order_by(OutboxRow.id)
        .limit(limit)
    ).all()
    batch: list[PendingVersion] = []
    sizes = [len(row.content.encode("utf-8")) + 200 for row in rows]
    total, end = 0, 0
    while end < len(rows) and (end == 0 or total + sizes[end] <= max_bytes):
        total += sizes[end]
        end += 1
    taken = list(zip(rows[:end], sizes[:end], strict=True))
    parents = {
        row.parent_version_uuid
        for row, _ in taken
        if row.parent_version_uuid is not None and row.server_parent_uuid is None
    }
    refused = _refused_parents(s, parents) if parents else set()
    for row, size in taken:
        parent = row.server_parent_uuid or row.parent_version_uuid
        if row.server_parent_uuid is None and parent in refused:
            parent = _server_parent(s, parent, None)
        item = {
            "version_uuid": row.version_uuid,
            "parent_version_uuid": parent,
            "version_no": row.version_no,
            "content": json.loads(row.content),
        }
        batch.append(PendingVersion(row.id, row.version_uuid, item, size))
    return batch


def take_versions(
    store: ReportStore, after_id: int, limit: int, max_bytes: int
) -> list[PendingVersion]:
    """Take the next batch to send and mark it ``sending``, in one transaction."""
    with store.write_session() as s, s.begin():
        batch = pending_versions(s, after_id, limit, max_bytes)
        if batch:
            apply_states(
                s, [(p.version_uuid, ReportState.SENDING, None) for p in batch], store.now()
            )
        return batch


def requeue_versions(store: ReportStore, batch: Sequence[PendingVersion]) -> None:
    """Put a batch that did not get through back in the queue."""
    with store.write_session() as s, s.begin():
        apply_states(s, [(p.version_uuid, ReportState.QUEUED, None) for p in batch], store.now())


def settle_versions(store: ReportStore, outcomes: Sequence[VersionOutcome]) -> None:
    """Record the server's answer for each version and its next state, in one transaction.

    A version the server did not take because the account's daily quota is used up
    (``quota``) comes back ``queued`` with the server's message kept (``push.judge_versions``):
    it is sent again in a later round, never quarantined.
    """
    now = store.now()
    synced = [o for o in outcomes if o.server_status is not None]
    with store.write_session() as s, s.begin():
        if synced:
            table = cast(Table, VersionSyncRow.__table__)
            stmt = sqlite_insert(table)
            kept = ("server_status", "server_code", "message_zh", "message_en", "updated_at")
            s.execute(
                stmt.on_conflict_do_update(
                    index_elements=["version_uuid"],
                    set_={name: stmt.excluded[name] for name in kept},
                ),
                [
                    {
                        "version_uuid": o.version_uuid,
                        "origin": "local",
                        "server_status": o.server_status,
                        "server_code": o.code,
                        "message_zh": o.zh,
                        "message_en": o.en,
                        "updated_at": now,
                    }
                    for o in synced
                ],
            )
        apply_states(s, [(o.version_uuid, o.state, o.zh) for o in outcomes], now)

"""Queueing a frozen version: the one way a version enters the outbox.

Submitting a draft, importing a file and resolving a conflict all end here: the version row is
written frozen (``frozen_columns``), then ``queue_versions`` judges its filing role, registers
its event, puts it in the outbox and logs the state ``queued``, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from informant_app.core.store.duty import filing_columns
from informant_app.core.store.events import NewEvent, record_events
from informant_app.core.store.models import OutboxRow, ReportVersionRow, StateChangeRow
from informant_app.core.store.profile import signer
from informant_app.core.store.types import ReportState
from sync.contract import ReportContent, canonical_json, content_hash

DRAFT = ReportState.DRAFT.value


@dataclass(frozen=True)
class QueuedVersion:
    """A version written frozen, to be queued: its id, its content and when it was queued."""

    version_uuid: str
    content: ReportContent
    at: datetime


def frozen_columns(content: ReportContent) -> dict[str, Any]:
    """Return the columns of a frozen, queued version of ``content`` (it has ``submitted_at``)."""
    if content.submitted_at is None:
        raise ValueError("frozen content needs submitted_at")
    return {
        "content": canonical_json(content).decode("utf-8"),
        "content_hash": content_hash(content),
        "state": ReportState.QUEUED.value,
        "submitted_at": content.submitted_at,
        "event_uuid": content.event_uuid,
        "village_code": content.village_code,
        "stage": content.stage.value,
    }


def freeze_draft(s: Session, version_uuid: str, content: ReportContent, now: datetime) -> None:
    """Turn the draft ``version_uuid`` into a frozen version of ``content`` (not queued yet).

    Raises:
        RuntimeError: the version is no draft any more.
    """
    result = s.execute(
        update(ReportVersionRow)
        .where(ReportVersionRow.version_uuid == version_uuid, ReportVersionRow.state == DRAFT)
        .values(**frozen_columns(content), updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise RuntimeError(f"version {version_uuid} was not a draft any more")


def queue_versions(s: Session, versions: Sequence[QueuedVersion]) -> None:
    """Queue versions already written frozen, in the caller's transaction.

    Each version's filing role is judged from the cached roster at its ``submitted_at`` (a B
    filing while A is on duty is allowed and flagged ``B_while_A_on_duty`` before anything is
    sent; nothing is judged when no one is signed in), its event is registered, it enters the
    outbox (once) and the state ``queued`` is logged, signed by the profile.
    """
    if not versions:
        return
    filing = filing_columns(s)
    judged = []
    for v in versions:
        if v.content.submitted_at is None:
            raise ValueError("frozen content needs submitted_at")
        columns = filing(v.content.village_code, v.content.submitted_at)
        if columns:
            judged.append({"version_uuid": v.version_uuid, **columns})
    if judged:  # an UPDATE by primary key per version, in one statement
        s.execute(update(ReportVersionRow), judged)
    record_events(s, (NewEvent.of(v.content, v.at) for v in versions))
    s.execute(
        sqlite_insert(OutboxRow).on_conflict_do_nothing(index_elements=["version_uuid"]),
        [{"version_uuid": v.version_uuid, "created_at": v.at, "attempts": 0} for v in versions],
    )
    who = signer(s)
    s.execute(
        insert(StateChangeRow),
        [
            {
                "version_uuid": v.version_uuid,
                "state": ReportState.QUEUED.value,
                "message": None,
                "changed_at": v.at,
                "informant_name": who[0],
                "role": who[1],
            }
            for v in versions
        ],
    )


def log_state(
    s: Session,
    version_uuid: str,
    state: ReportState,
    message: str | None,
    now: datetime,
    who: tuple[str | None, str | None],
) -> None:
    """Record a state change of a submitted version (in the caller's transaction)."""
    s.execute(
        insert(StateChangeRow).values(
            version_uuid=version_uuid,
            state=state.value,
            message=message,
            changed_at=now,
            informant_name=who[0],
            role=who[1],
        )
    )


def submit_draft(s: Session, version_uuid: str, content: ReportContent, now: datetime) -> None:
    """Freeze the draft ``version_uuid`` with ``content`` and queue it (one unit).

    ``content`` carries ``submitted_at``; see ``freeze_draft`` and ``queue_versions``.
    """
    freeze_draft(s, version_uuid, content, now)
    queue_versions(s, [QueuedVersion(version_uuid, content, now)])

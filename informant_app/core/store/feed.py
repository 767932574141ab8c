"""Applying the server's change feed to the local store, one page per transaction.

Each page is applied and its cursor stored in **one transaction** (``apply_pulled_page``), so a
crash re-reads a page rather than skipping one.  Applying is idempotent.  Per report-version
change:

- it is kept in ``server_versions`` (the device's view of the server: every version of the
  caller's villages, own and the other informant's, accepted or conflict);
- a version of this device is acknowledged (queued/sending → received or conflict);
- a version the server recorded as a conflict opens a conflict against the report's main-line
  version; only an accepted resolution that names it closes it (``store.conflicts
  .resolved_by``), never an ordinary revision filed meanwhile;
- the report's main-line version is shown in the list (a read-only ``received`` version),
  unless the device holds unsent work on that report (a draft, queued, sending or error
  version: that work is never overwritten) or its own version there is an open conflict.

Roster changes refresh the cached roster; absences, handovers and event openings fill the
duty caches (``store.duty``; an opening also makes the event known locally, so the village
files against the township's ``event_uuid``).  A version's filing role (A, B acting, B while
A on duty) is kept as the server decided it.  Township review: an accepted version starts
``pending`` in ``version_reviews``; a decision the server applied moves its version's review
status (a decision the server recorded as a conflict is kept, the reviewer sees why, but
changes nothing); a submitted township report is kept.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from informant_app.core.review.types import DecisionKind, ReviewStatus
from informant_app.core.store.conflicts import resolved_by, server_current
from informant_app.core.store.decisions import CONFLICT_TEXT
from informant_app.core.store.duty import (
    parse_filing_role,
    upsert_absence,
    upsert_assignment,
    upsert_handover,
    upsert_opening,
)
from informant_app.core.store.events import NewEvent, record_events
from informant_app.core.store.models import (
    ConflictRow,
    DecisionOutboxRow,
    DecisionRow,
    PhotoUploadRow,
    ReportVersionRow,
    ServerReportRow,
    ServerVersionRow,
    TownshipSubmissionRow,
    VersionPhotoRow,
    VersionSyncRow,
)
from informant_app.core.store.report_store import ReportStore, apply_states, log_state
from informant_app.core.store.review import (
    mark_current,
    record_accepted_version,
    set_review_status,
)
from informant_app.core.store.sync_state import now_utc, sync_state
from informant_app.core.store.types import ReportState
from sync.contract import ContractError, ReportContent, canonical_json, content_hash
from sync.contract.wire.base import as_object
from sync.contract.wire.feed import (
    AbsenceChange,
    Change,
    DecisionChange,
    EventOpeningChange,
    HandoverChange,
    ReportVersionChange,
    RosterChange,
    TownshipReportChange,
    UnitDecisionChange,
    UnreadChange,
    change_kind,
)

__all__ = [
    "FeedResult",
    "apply_page",
    "apply_pulled_page",
    "catch_up",
    "read_cursor",
    "server_current",
]

log = logging.getLogger(__name__)

UNSENT = (
    ReportState.DRAFT.value,
    ReportState.QUEUED.value,
    ReportState.SENDING.value,
    ReportState.ERROR.value,
)
ACKABLE = (
    ReportState.QUEUED.value,
    ReportState.SENDING.value,
    ReportState.RECEIVED.value,
    ReportState.CONFLICT.value,
)
#: The kinds of change this app reads (a change of another kind is a newer server's).
KNOWN_KINDS = frozenset(
    {"report_version", "roster", "absence", "handover", "event_opening", "decision"}
    | {"township_report"}
)


@dataclass
class FeedResult:
    """What applying the feed did: changes applied, conflicts opened, reports touched.

    ``conflict_versions`` are the versions whose conflict this pull recorded here first
    (also this device's own, when the push's answer was lost and the re-sent version came
    back ``duplicate``).
    """

    pulled: int = 0
    conflicts: int = 0
    pages: int = 0
    touched: set[str] = field(default_factory=set)
    conflict_versions: set[str] = field(default_factory=set)


def _filer(change: ReportVersionChange) -> dict[str, Any]:
    """Return who filed the version as the server said (nothing from an older server)."""
    out: dict[str, Any] = {}
    if change.submitted_by_name:
        out["submitted_by_name"] = change.submitted_by_name[:100]
    if change.post_role in ("A", "B"):
        out["post_role"] = change.post_role
    filing = parse_filing_role(change.filing_role)
    if filing is not None:
        out["filing_role"] = filing.value
        acting_for = change.acting_for_name
        out["acting_for_name"] = acting_for[:100] if acting_for is not None else None
    return out


def _note_current(s: Session, report_uuid: str, current: str | None, now: datetime) -> None:
    """Keep the report's current version as the change read last names it."""
    if not current:
        return  # an older server: the main line is inferred from feed order
    values = {"current_version_uuid": current, "updated_at": now}
    s.execute(
        sqlite_insert(ServerReportRow)
        .values(report_uuid=report_uuid, **values)
        .on_conflict_do_update(index_elements=["report_uuid"], set_=values)
    )
    mark_current(s, report_uuid)


def _sync_values(change: ReportVersionChange, received: datetime, now: datetime) -> dict[str, Any]:
    return {
        "filed_by": change.submitted_by,
        "server_version_no": change.version_no or 1,
        "server_status": change.status,
        "server_received_at": received,
        "updated_at": now,
    }


def apply_version(s: Session, change: ReportVersionChange, now: datetime) -> bool:
    """Apply one report-version change; return whether it opened a new conflict."""
    version_uuid = change.version_uuid
    report_uuid = change.report_uuid
    status = change.status
    received = change.server_received_at.astimezone(UTC)
    filer = _filer(change)
    stmt = sqlite_insert(ServerVersionRow).values(
        version_uuid=version_uuid,
        report_uuid=report_uuid,
        parent_version_uuid=change.parent_version_uuid,
        version_no=change.version_no or 1,
        status=status,
        village_code=change.village_code,
        content_hash=change.content_hash,
        content=json.dumps(change.content, ensure_ascii=False, sort_keys=True),
        submitted_by=change.submitted_by,
        server_received_at=received,
        pulled_at=now,
        **filer,
    )
    s.execute(
        stmt.on_conflict_do_update(index_elements=["version_uuid"], set_=filer)
        if filer
        else stmt.on_conflict_do_nothing(index_elements=["version_uuid"])
    )
    _note_current(s, report_uuid, change.current_version_uuid, now)
    local = s.get(ReportVersionRow, version_uuid)
    if local is not None:
        wanted = ReportState.RECEIVED if status == "accepted" else ReportState.CONFLICT
        if local.state in ACKABLE and local.state != wanted.value:
            message = (
                None if wanted is ReportState.RECEIVED else ("与服务器上的最新版本冲突，需要处理")
            )
            apply_states(s, [(version_uuid, wanted, message)], now)
        values = _sync_values(change, received, now)
        s.execute(
            sqlite_insert(VersionSyncRow)
            .values(
                version_uuid=version_uuid,
                origin="local",
                **values,
            )
            .on_conflict_do_update(index_elements=["version_uuid"], set_=values)
        )
    if status == "conflict":
        return _open_conflict(s, report_uuid, version_uuid, now)
    _close_conflicts(s, report_uuid, version_uuid, now)
    record_accepted_version(s, change, received, now)
    return False


def _open_conflict(s: Session, report_uuid: str, version_uuid: str, now: datetime) -> bool:
    main = server_current(s, report_uuid)
    if main is None or main.version_uuid == version_uuid:
        return False
    result = s.execute(
        sqlite_insert(ConflictRow)
        .values(
            conflict_version_uuid=version_uuid,
            report_uuid=report_uuid,
            main_version_uuid=main.version_uuid,
            detected_at=now,
        )
        .on_conflict_do_nothing(index_elements=["conflict_version_uuid"])
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _close_conflicts(s: Session, report_uuid: str, version_uuid: str, now: datetime) -> None:
    """Close the report's open conflicts that an accepted version resolves by name.

    Only a resolution (its id names its parent and the conflicts: ``store.conflicts
    .resolved_by``) closes a conflict; an ordinary revision filed meanwhile leaves it open,
    so the other side's figures are never dropped without a word.
    """
    parent = s.scalar(
        select(ServerVersionRow.parent_version_uuid).where(
            ServerVersionRow.version_uuid == version_uuid
        )
    )
    open_rows = s.scalars(
        select(ConflictRow).where(
            ConflictRow.report_uuid == report_uuid, ConflictRow.resolved_at.is_(None)
        )
    ).all()
    settled = resolved_by(version_uuid, parent, {r.conflict_version_uuid for r in open_rows})
    for row in open_rows:
        if row.conflict_version_uuid in settled:
            row.resolved_at = now
            row.resolved_by_version_uuid = version_uuid


def show_main_line(s: Session, report_uuid: str, now: datetime) -> None:
    """Show the server's current version of a report in the list, unless work is unsent."""
    current = server_current(s, report_uuid)
    if current is None or s.get(ReportVersionRow, current.version_uuid) is not None:
        return
    latest = s.scalars(
        select(ReportVersionRow).where(
            ReportVersionRow.report_uuid == report_uuid, ReportVersionRow.is_latest.is_(True)
        )
    ).first()
    if latest is not None and latest.state in UNSENT:
        return  # local unsent work is never overwritten by a pull
    if (
        latest is not None
        and latest.state == ReportState.CONFLICT.value
        and s.scalar(
            select(ConflictRow.conflict_version_uuid)
            .where(ConflictRow.report_uuid == report_uuid, ConflictRow.resolved_at.is_(None))
            .limit(1)
        )
        is not None
    ):
        return  # the list keeps showing "conflict" until it is resolved
    try:
        content = ReportContent.from_dict(json.loads(current.content))
    except (ContractError, ValueError):
        log.warning(
            "pulled version %s does not fit this app's contract; not shown", current.version_uuid
        )
        return
    top = (
        s.scalar(
            select(func.max(ReportVersionRow.version_no)).where(
                ReportVersionRow.report_uuid == report_uuid
            )
        )
        or 0
    )
    if latest is not None:
        s.execute(
            update(ReportVersionRow)
            .where(ReportVersionRow.version_uuid == latest.version_uuid)
            .values(is_latest=False)
            .execution_options(synchronize_session=False)
        )
    s.add(
        ReportVersionRow(
            version_uuid=current.version_uuid,
            report_uuid=report_uuid,
            parent_version_uuid=latest.version_uuid if latest is not None else None,
            version_no=max(current.version_no, top + 1),
            is_latest=True,
            event_uuid=content.event_uuid,
            village_code=content.village_code,
            stage=content.stage.value,
            content=canonical_json(content).decode("utf-8"),
            content_hash=content_hash(content),
            state=ReportState.RECEIVED.value,
            error_message=None,
            created_at=current.server_received_at,
            updated_at=now,
            submitted_at=content.submitted_at,
        )
    )
    s.flush()
    record_events(s, [NewEvent.of(content, now)])
    s.add(
        VersionSyncRow(
            version_uuid=current.version_uuid,
            origin="remote",
            filed_by=current.submitted_by,
            server_parent_uuid=current.parent_version_uuid,
            server_version_no=current.version_no,
            server_status="accepted",
            server_code="pulled",
            message_zh=None,
            message_en=None,
            server_received_at=current.server_received_at,
            updated_at=now,
        )
    )
    filer = current.submitted_by_name or current.submitted_by
    log_state(
        s,
        current.version_uuid,
        ReportState.RECEIVED,
        f"从服务器同步（{filer} 提交）",
        now,
        (None, None),
    )


def apply_roster(s: Session, change: RosterChange) -> None:
    """Keep one roster change in the cache (``valid_to`` when ended; reasons when sent)."""
    upsert_assignment(s, {"valid_to": None, **as_object(change)})


def apply_duty(
    s: Session, change: AbsenceChange | HandoverChange | EventOpeningChange, now: datetime
) -> None:
    """Apply an ``absence``, ``handover`` or ``event_opening`` change, all or nothing."""
    data = as_object(change)  # the duty caches' upserts read the wire's objects
    with s.begin_nested():
        if isinstance(change, AbsenceChange):
            upsert_absence(s, data, now)
        elif isinstance(change, HandoverChange):
            upsert_handover(s, data, now)
        else:
            upsert_opening(s, data, now)


def apply_page(
    s: Session, changes: Sequence[Change | UnreadChange], now: datetime, result: FeedResult
) -> None:
    """Apply one page of changes in the caller's transaction.

    A change the client could not read (``UnreadChange``: an unknown kind, or one that does
    not fit its type) is skipped with a log line, and so is one the store cannot keep.
    """
    for change in changes:
        kind = change_kind(change)
        try:
            if isinstance(change, ReportVersionChange):
                if apply_version(s, change, now):
                    result.conflicts += 1
                    result.conflict_versions.add(change.version_uuid)
                result.touched.add(change.report_uuid)
            elif isinstance(change, RosterChange):
                apply_roster(s, change)
            elif isinstance(change, AbsenceChange | HandoverChange | EventOpeningChange):
                apply_duty(s, change, now)
            elif isinstance(change, DecisionChange):
                apply_decision(s, change, now)
            elif isinstance(change, TownshipReportChange):
                apply_township_report(s, change, now)
            elif isinstance(change, UnitDecisionChange):
                # A county's decision on this township's report (or the city's on a county's):
                # the 乡镇报表 view shows it with the report it fetches from the server.
                log.info("unit decision %s on %s", change.decision, change.submission_uuid)
            elif kind in KNOWN_KINDS:
                log.warning("malformed %s change skipped: %s", kind, change.problem)
                continue
            else:
                log.info("change of unknown kind %r skipped", kind)
                continue
        except (KeyError, TypeError, ValueError):
            log.warning("malformed %s change skipped: %r", kind, change, exc_info=True)
            continue
        result.pulled += 1
    for report_uuid in sorted(result.touched):
        show_main_line(s, report_uuid, now)


def catch_up(store: ReportStore) -> None:
    """Show main-line versions held back earlier by unsent work that is gone now."""
    last = (
        select(ServerVersionRow.report_uuid, func.max(ServerVersionRow.seq).label("seq"))
        .where(ServerVersionRow.status == "accepted")
        .group_by(ServerVersionRow.report_uuid)
        .subquery()
    )
    shown = (
        select(ReportVersionRow.version_uuid)
        .where(ReportVersionRow.version_uuid == ServerVersionRow.version_uuid)
        .exists()
    )
    query = (
        select(ServerVersionRow.report_uuid)
        .join(last, ServerVersionRow.seq == last.c.seq)
        .where(~shown)
    )
    named_shown = (
        select(ReportVersionRow.version_uuid)
        .where(ReportVersionRow.version_uuid == ServerReportRow.current_version_uuid)
        .exists()
    )
    named = (
        select(ServerReportRow.report_uuid)
        .join(
            ServerVersionRow, ServerVersionRow.version_uuid == ServerReportRow.current_version_uuid
        )
        .where(ServerVersionRow.status == "accepted", ~named_shown)
    )
    with store.write_session() as s, s.begin():
        reports = sorted(set(s.scalars(query).all()) | set(s.scalars(named).all()))
        now = now_utc()
        for report_uuid in reports:
            show_main_line(s, report_uuid, now)


#: The review status an applied decision gives its version.
STATUS_OF = {
    DecisionKind.APPROVE: ReviewStatus.APPROVED,
    DecisionKind.RETURN: ReviewStatus.RETURNED,
}


def apply_decision(s: Session, change: DecisionChange, now: datetime) -> None:
    """Keep one decision of the feed and, when applied, move the version's review status."""
    decision_uuid = change.decision_uuid
    kind = DecisionKind(change.decision)
    applied = change.status == "applied"
    code = change.code or change.status
    zh, en = (
        (None, None)
        if applied
        else CONFLICT_TEXT.get(code, ("已记录，但未生效", f"recorded, not applied ({code})"))
    )
    server = {
        "received_at": change.server_received_at.astimezone(UTC),
        "applied": applied,
        "sync_state": "sent" if applied else "conflict",
        "server_code": code,
        "message_zh": zh,
        "message_en": en,
        "updated_at": now,
    }
    decided_at = change.device_decided_at
    s.execute(
        sqlite_insert(DecisionRow)
        .values(
            decision_uuid=decision_uuid,
            version_uuid=change.version_uuid,
            report_uuid=change.report_uuid,
            village_code=change.village_code,
            kind=kind.value,
            reason=change.reason,
            field_comments=json.dumps(change.field_comments, ensure_ascii=False, sort_keys=True),
            decided_by=change.decided_by,
            decided_by_name=change.decided_by_name,
            decided_role=change.post_role,
            device_id=change.device_id,
            decided_at=decided_at.astimezone(UTC) if decided_at is not None else None,
            origin="remote",
            **server,
        )
        .on_conflict_do_update(index_elements=["decision_uuid"], set_=server)
    )
    s.execute(delete(DecisionOutboxRow).where(DecisionOutboxRow.decision_uuid == decision_uuid))
    if applied:
        set_review_status(
            s, change.version_uuid, STATUS_OF[kind].value, decision_uuid, change.reason, now
        )


def apply_township_report(s: Session, change: TownshipReportChange, now: datetime) -> None:
    """Keep a township report submitted upward (the reviewers' devices hear of it)."""
    payload = {k: v for k, v in as_object(change).items() if k != "kind"}
    s.execute(
        sqlite_insert(TownshipSubmissionRow)
        .values(
            submission_uuid=change.submission_uuid,
            township_code=change.township_code,
            event_uuid=change.event_uuid,
            stage=change.stage,
            payload=json.dumps(payload, ensure_ascii=False),
            server_received_at=change.server_received_at.astimezone(UTC),
            pulled_at=now,
        )
        .on_conflict_do_nothing(index_elements=["submission_uuid"])
    )


def read_cursor(store: ReportStore, owner: str) -> str | None:
    """Return the feed cursor kept for ``owner`` (server and account), or ``None``."""
    with store.write_session() as s, s.begin():
        state = sync_state(s)
        return state.cursor if state.cursor_owner == owner else None


def forget_cursor(store: ReportStore) -> None:
    """Forget the feed cursor: the next pull reads the whole feed again."""
    with store.write_session() as s, s.begin():
        sync_state(s).cursor = None


def apply_pulled_page(
    store: ReportStore,
    changes: Sequence[Change | UnreadChange],
    cursor: str,
    owner: str,
    result: FeedResult,
) -> None:
    """Apply one pulled page and keep its cursor, in one transaction."""
    with store.write_session() as s, s.begin():
        apply_page(s, changes, now_utc(), result)
        state = sync_state(s)
        state.cursor = cursor
        state.cursor_owner = owner


def versions_missing_photos(store: ReportStore) -> int:
    """Return how many of this device's versions the server holds without all their photos.

    Such a version is not fully received: ``status --json`` says so (``sync_status_json``).
    """
    held = (ReportState.RECEIVED.value, ReportState.CONFLICT.value)
    query = (
        select(func.count(func.distinct(VersionPhotoRow.version_uuid)))
        .join(ReportVersionRow, ReportVersionRow.version_uuid == VersionPhotoRow.version_uuid)
        .outerjoin(PhotoUploadRow, PhotoUploadRow.sha256 == VersionPhotoRow.sha256)
        .where(
            ReportVersionRow.state.in_(held),
            func.coalesce(PhotoUploadRow.complete, False).is_(False),
        )
    )
    with Session(store.engine) as s:
        return int(s.scalar(query) or 0)

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

import hashlib
import json
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from weakref import WeakKeyDictionary, WeakSet

from sqlalchemy import Connection, Engine, delete, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from informant_app.core.review.types import DecisionKind, ReviewStatus
from informant_app.core.store.conflicts import server_current
from informant_app.core.store.decisions import CONFLICT_TEXT
from informant_app.core.store.duty import (
    upsert_absence,
    upsert_assignment,
    upsert_handover,
    upsert_opening,
)
from informant_app.core.store.events import NewEvent, record_events
from informant_app.core.store.models import (
    DecisionOutboxRow,
    DecisionRow,
    PhotoUploadRow,
    ReportVersionRow,
    ServerReportRow,
    ServerVersionRow,
    TownshipSubmissionRow,
    VersionPhotoRow,
    to_db_time,
)
from informant_app.core.store.pulled_versions import (
    AppliedVersions,
    CurrentVersion,
    PreparedVersions,
    apply_versions,
    db_time,
    insert_sql,
    rows_in,
    write_many,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.review import set_review_status
from informant_app.core.store.sync_state import now_utc, sync_state
from informant_app.core.store.types import ReportState
from sync.contract import ContractError, ReportContent, canonical_json
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


def _contents(s: Session, versions: Sequence[str]) -> dict[str, str]:
    """Return the stored server content (JSON text) of each of ``versions``."""
    return {
        str(v): str(c)
        for v, c in rows_in(
            s, "SELECT version_uuid, content FROM server_versions WHERE version_uuid {IN}", versions
        )
    }


#: The columns of a current server version that showing it needs (its content comes apart).
_CURRENT_COLUMNS = (
    "version_uuid, report_uuid, parent_version_uuid, version_no, submitted_by,"
    " submitted_by_name, server_received_at"
)


def _server_currents(s: Session, reports: Sequence[str]) -> dict[str, CurrentVersion]:
    """Return each report's current server version (``server_current``), in two queries.

    The version the report's pointer names when it is accepted, else its accepted version
    read last.  Plain rows (no ORM objects, no content), whatever the number of reports.
    """
    out: dict[str, CurrentVersion] = {}
    named = (
        "SELECT sv.version_uuid, sv.report_uuid, sv.parent_version_uuid, sv.version_no,"
        " sv.submitted_by, sv.submitted_by_name, sv.server_received_at"
        " FROM server_reports AS sr JOIN server_versions AS sv"
        " ON sv.version_uuid = sr.current_version_uuid"
        " WHERE sr.report_uuid {IN} AND sv.status = 'accepted'"
    )
    for row in rows_in(s, named, reports):
        out[row[1]] = CurrentVersion(*row)
    # SQLite returns the bare columns of the row holding max(seq).
    last = (
        f"SELECT {_CURRENT_COLUMNS}, max(seq) FROM server_versions"
        " WHERE report_uuid {IN} AND status = 'accepted' GROUP BY report_uuid"
    )
    for row in rows_in(s, last, [r for r in reports if r not in out]):
        out[row[1]] = CurrentVersion(*row[:7])
    return out


_SHOWN_INSERT = insert_sql(
    "report_versions",
    (
        "version_uuid",
        "report_uuid",
        "parent_version_uuid",
        "version_no",
        "is_latest",
        "event_uuid",
        "village_code",
        "stage",
        "content",
        "content_hash",
        "state",
        "error_message",
        "created_at",
        "updated_at",
        "submitted_at",
        "filing_role",
        "acting_for_name",
    ),
)
_SHOWN_SYNC = insert_sql(
    "version_sync",
    (
        "version_uuid",
        "origin",
        "filed_by",
        "server_parent_uuid",
        "server_version_no",
        "server_status",
        "server_code",
        "message_zh",
        "message_en",
        "server_received_at",
        "updated_at",
    ),
    "ON CONFLICT (version_uuid) DO NOTHING",
)
_SHOWN_LOG = insert_sql(
    "state_changes",
    ("version_uuid", "state", "message", "changed_at", "informant_name", "role"),
)
_DEMOTE = "UPDATE report_versions SET is_latest = 0 WHERE version_uuid = ?"


def show_main_lines(
    s: Session,
    report_uuids: Collection[str],
    now: datetime,
    page: AppliedVersions | None = None,
) -> set[str]:
    """Show each report's current server version in the list, unless work is unsent there.

    Set-based over the reports; returns the reports held back (local unsent work, or this
    device's version there is an open conflict) for ``catch_up`` to look at again.
    ``page``: what applying a page of versions worked out (``apply_versions``): its versions
    parsed, their texts as the server sent them (kept as received, not serialised again),
    and which reports' current versions are among them (not read back).  Only the rest is
    read and parsed here.  Plain SQL with one ``IN`` list parameter per query and one
    ``executemany`` per kind of row.
    """
    reports = sorted(report_uuids)
    if not reports:
        return set()
    parsed: dict[str, ReportContent] = dict(page.contents) if page is not None else {}
    texts = page.texts if page is not None else {}
    hashes = page.hashes if page is not None else {}
    known = page.currents if page is not None else {}
    currents = {**known, **_server_currents(s, [r for r in reports if r not in known])}
    shown = set(page.listed) if page is not None else set()
    shown.update(
        v
        for (v,) in rows_in(
            s,
            "SELECT version_uuid FROM report_versions WHERE version_uuid {IN}",
            [row.version_uuid for r, row in currents.items() if r not in known],
        )
    )
    todo = [r for r in reports if r in currents and currents[r].version_uuid not in shown]
    if not todo:
        return set()
    latest: dict[str, tuple[str, str]] = {}
    top: dict[str, int] = {}
    for report, version, state, is_latest, no in rows_in(
        s,
        "SELECT report_uuid, version_uuid, state, is_latest, version_no FROM report_versions"
        " WHERE report_uuid {IN}",
        todo,
    ):
        if is_latest:
            latest[report] = (version, state)
        top[report] = max(no, top.get(report, no))
    in_conflict = [r for r, (_, state) in latest.items() if state == ReportState.CONFLICT.value]
    conflicted = {
        report
        for (report,) in rows_in(
            s,
            "SELECT DISTINCT report_uuid FROM sync_conflicts"
            " WHERE report_uuid {IN} AND resolved_at IS NULL",
            in_conflict,
        )
    }
    held: set[str] = set()
    demoted: list[tuple[str]] = []
    versions: list[tuple[Any, ...]] = []
    syncs: list[tuple[Any, ...]] = []
    logs: list[tuple[Any, ...]] = []
    events: dict[str, NewEvent] = {}
    for report in todo:
        before = latest.get(report)
        if before is not None and (
            before[1] in UNSENT
            or (before[1] == ReportState.CONFLICT.value and report in conflicted)
        ):
            held.add(report)  # local unsent work is never overwritten; a conflict stays shown
    unparsed = [
        currents[r].version_uuid
        for r in todo
        if r not in held and currents[r].version_uuid not in parsed
    ]
    for version, stored in _contents(s, unparsed).items():
        try:
            parsed[version] = ReportContent.from_dict(json.loads(stored))
        except (ContractError, ValueError):
            log.warning("pulled version %s does not fit this app's contract; not shown", version)
    at = to_db_time(now)
    received = ReportState.RECEIVED.value
    for report in todo:
        if report in held:
            continue
        current = currents[report]
        before = latest.get(report)
        content = parsed.get(current.version_uuid)
        if content is None:
            continue
        text = texts.get(current.version_uuid)
        if text is None:
            text = canonical_json(content).decode("utf-8")
        # The hash the client checked the text against, else worked out here.
        digest = hashes.get(current.version_uuid)
        if digest is None:
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if before is not None:
            demoted.append((before[0],))
        versions.append(
            (
                current.version_uuid,
                report,
                before[0] if before is not None else None,
                max(current.version_no, (top.get(report) or 0) + 1),
                1,
                content.event_uuid,
                content.village_code,
                content.stage.value,
                text,
                digest,
                received,
                None,
                current.server_received_at,
                at,
                db_time(content.submitted_at) if content.submitted_at is not None else None,
                None,
                None,
            )
        )
        if content.event_uuid not in events:  # one registration per event (the first wins)
            events[content.event_uuid] = NewEvent.of(content, now)
        syncs.append(
            (
                current.version_uuid,
                "remote",
                current.submitted_by,
                current.parent_version_uuid,
                current.version_no,
                "accepted",
                "pulled",
                None,
                None,
                current.server_received_at,
                at,
            )
        )
        filer = current.submitted_by_name or current.submitted_by
        logs.append(
            (current.version_uuid, received, f"从服务器同步（{filer} 提交）", at, None, None)
        )
    write_many(s, _DEMOTE, demoted)
    if versions:
        write_many(s, _SHOWN_INSERT, versions)
        record_events(s, events.values())
        write_many(s, _SHOWN_SYNC, syncs)
        write_many(s, _SHOWN_LOG, logs)
    return held


#: Reports held back from the list per store (by engine): all ``catch_up`` looks at again.
_HELD: WeakKeyDictionary[Engine, set[str]] = WeakKeyDictionary()
#: Stores whose reports ``catch_up`` has looked over once in this process.
_SCANNED: WeakSet[Engine] = WeakSet()


def _engine(s: Session) -> Engine:
    bind = s.get_bind()
    return bind.engine if isinstance(bind, Connection) else bind


def _hold(s: Session, reports: set[str]) -> None:
    """Remember reports held back (only ever added here; ``catch_up`` forgets them)."""
    if reports:
        _HELD.setdefault(_engine(s), set()).update(reports)


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
    s: Session,
    changes: Sequence[Change | UnreadChange],
    now: datetime,
    result: FeedResult,
    prepared: PreparedVersions | None = None,
) -> None:
    """Apply one page of changes in the caller's transaction.

    A change the client could not read (``UnreadChange``: an unknown kind, or one that does
    not fit its type) is skipped with a log line, and so is one the store cannot keep.
    ``prepared``: the page's versions parsed ahead (``pulled_versions.prepare_versions``).
    """
    versions = [c for c in changes if isinstance(c, ReportVersionChange)]
    applied = apply_versions(s, versions, now, prepared)
    result.pulled += len(versions)
    result.conflicts += len(applied.opened)
    result.conflict_versions |= applied.opened
    result.touched |= applied.touched
    for change in changes:
        kind = change_kind(change)
        try:
            if isinstance(change, ReportVersionChange):
                continue
            if isinstance(change, RosterChange):
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
    _hold(s, show_main_lines(s, applied.touched, now, applied))


def _unshown(s: Session) -> set[str]:
    """Return every report whose current server version is not shown (the one full scan)."""
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
    return set(s.scalars(query).all()) | set(s.scalars(named).all())


def catch_up(store: ReportStore) -> None:
    """Show main-line versions held back earlier by unsent work that is gone now.

    Incremental: only the reports held back before (kept per store in this process) are
    looked at again; the first call in a process looks over the whole store once (held
    reports of an earlier run), later rounds cost nothing when nothing is held back.
    """
    with store.write_session() as s, s.begin():
        engine = _engine(s)
        held = _HELD.setdefault(engine, set())
        reports = set(held)
        if engine not in _SCANNED:
            reports |= _unshown(s)
        if not reports:
            _SCANNED.add(engine)
            return
        still = show_main_lines(s, reports, now_utc())
    _SCANNED.add(engine)
    held.difference_update(reports - still)
    held.update(still)


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
    prepared: PreparedVersions | None = None,
) -> None:
    """Apply one pulled page and keep its cursor, in one transaction."""
    apply_pulled_pages(store, [(changes, prepared)], cursor, owner, result)


def apply_pulled_pages(
    store: ReportStore,
    pages: Sequence[tuple[Sequence[Change | UnreadChange], PreparedVersions | None]],
    cursor: str,
    owner: str,
    result: FeedResult,
) -> list[int]:
    """Apply consecutive pulled pages and keep the last one's cursor, in one transaction.

    One commit for the pages that arrived while the store wrote the ones before; each page is
    applied as on its own (``apply_page``), in feed order.  Returns ``result.pulled`` as it
    stood after each page.
    """
    counts: list[int] = []
    with store.write_session() as s, s.begin():
        now = now_utc()
        for changes, prepared in pages:
            apply_page(s, changes, now, result, prepared)
            counts.append(result.pulled)
        state = sync_state(s)
        state.cursor = cursor
        state.cursor_owner = owner
    return counts


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

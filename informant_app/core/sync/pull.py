"""Pulling the server's changes by cursor and applying them without touching unsent work.

Each page is applied and its cursor stored in **one transaction**, so a crash re-reads a page
rather than skipping one.  Applying is idempotent.  Per report-version change:

- it is kept in ``server_versions`` (the device's view of the server: every version of the
  caller's villages, own and the other informant's, accepted or conflict);
- a version of this device is acknowledged (queued/sending → received or conflict);
- a version the server recorded as a conflict opens a conflict against the report's main-line
  version; a later accepted version of that report closes it;
- the report's main-line version is shown in the list (a read-only ``received`` version),
  unless the device holds unsent work on that report (a draft, queued, sending or error
  version: that work is never overwritten) or its own version there is an open conflict.

Roster changes refresh the cached roster; absences, handovers and event openings fill the
duty caches (``duty_store``; an opening also makes the event known locally, so the village
files against the township's ``event_uuid``).  A version's filing role (A, B acting, B while
A on duty) is kept as the server decided it.  Township review (``review_pull``): an accepted
version starts ``pending`` in ``version_reviews``; a decision the server applied moves its
version's review status; a submitted township report is kept.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from informant_app.core.review.pull import apply_decision, apply_township_report
from informant_app.core.store.duty import (
    parse_filing_role,
    upsert_absence,
    upsert_assignment,
    upsert_handover,
    upsert_opening,
)
from informant_app.core.store.models import (
    ConflictRow,
    EventRow,
    ReportVersionRow,
    ServerReportRow,
    ServerVersionRow,
    VersionSyncRow,
)
from informant_app.core.store.report_store import ReportStore, apply_states, log_state
from informant_app.core.store.review import mark_current, record_accepted_version
from informant_app.core.store.sync_state import cursor_owner, now_utc, sync_state
from informant_app.core.store.types import ReportState
from informant_app.core.sync.types import Account
from sync.client.api import ClientError, SyncClient, parse_server_time
from sync.contract import ContractError, ReportContent, canonical_json, content_hash
from sync.contract.wire.base import as_object
from sync.contract.wire.feed import Change, UnreadChange

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
#: Change kinds of A/B duty (docs/duty.md), kept in the duty caches.
DUTY_KINDS = frozenset({"absence", "handover", "event_opening"})


@dataclass
class PullResult:
    """What the pull phase did."""

    pulled: int = 0
    conflicts: int = 0
    pages: int = 0
    error: ClientError | None = None
    touched: set[str] = field(default_factory=set)


def server_current(s: Session, report_uuid: str) -> ServerVersionRow | None:
    """Return the report's current version on the server as far as this device knows.

    That is the version the server named current in the change read last
    (``current_version_uuid``), once pulled.  Otherwise (an older server, or the named
    version is still to come) the accepted version that arrived last: feed order, which on
    PostgreSQL can differ from the order the pointer moved in.
    """
    named = s.scalar(
        select(ServerReportRow.current_version_uuid).where(
            ServerReportRow.report_uuid == report_uuid
        )
    )
    if named is not None:
        row = s.scalars(
            select(ServerVersionRow).where(
                ServerVersionRow.version_uuid == named, ServerVersionRow.status == "accepted"
            )
        ).first()
        if row is not None:
            return row
    return s.scalars(
        select(ServerVersionRow)
        .where(ServerVersionRow.report_uuid == report_uuid, ServerVersionRow.status == "accepted")
        .order_by(ServerVersionRow.seq.desc())
        .limit(1)
    ).first()


def _filer(change: Mapping[str, Any]) -> dict[str, Any]:
    """Return who filed the version as the server said (nothing from an older server)."""
    out: dict[str, Any] = {}
    name = change.get("submitted_by_name")
    if isinstance(name, str) and name:
        out["submitted_by_name"] = name[:100]
    role = change.get("post_role")
    if role in ("A", "B"):
        out["post_role"] = role
    filing = parse_filing_role(change.get("filing_role"))
    if filing is not None:
        out["filing_role"] = filing.value
        acting_for = change.get("acting_for_name")
        out["acting_for_name"] = acting_for[:100] if isinstance(acting_for, str) else None
    return out


def _note_current(s: Session, report_uuid: str, current: object, now: datetime) -> None:
    """Keep the report's current version as the change read last names it."""
    if not isinstance(current, str) or not current:
        return  # an older server: the main line is inferred from feed order
    values = {"current_version_uuid": current, "updated_at": now}
    s.execute(
        sqlite_insert(ServerReportRow)
        .values(report_uuid=report_uuid, **values)
        .on_conflict_do_update(index_elements=["report_uuid"], set_=values)
    )
    mark_current(s, report_uuid)


def _sync_values(change: Mapping[str, Any], received: datetime, now: datetime) -> dict[str, Any]:
    return {
        "filed_by": str(change.get("submitted_by") or ""),
        "server_version_no": int(change.get("version_no") or 1),
        "server_status": str(change["status"]),
        "server_received_at": received,
        "updated_at": now,
    }


def apply_version(s: Session, change: Mapping[str, Any], now: datetime) -> bool:
    """Apply one report-version change; return whether it opened a new conflict."""
    version_uuid = str(change["version_uuid"])
    report_uuid = str(change["report_uuid"])
    status = str(change["status"])
    received = parse_server_time(change.get("server_received_at"))
    filer = _filer(change)
    stmt = sqlite_insert(ServerVersionRow).values(
        version_uuid=version_uuid,
        report_uuid=report_uuid,
        parent_version_uuid=change.get("parent_version_uuid"),
        version_no=int(change.get("version_no") or 1),
        status=status,
        village_code=str(change.get("village_code") or ""),
        content_hash=str(change.get("content_hash") or ""),
        content=json.dumps(change.get("content") or {}, ensure_ascii=False, sort_keys=True),
        submitted_by=str(change.get("submitted_by") or ""),
        server_received_at=received,
        pulled_at=now,
        **filer,
    )
    s.execute(
        stmt.on_conflict_do_update(index_elements=["version_uuid"], set_=filer)
        if filer
        else stmt.on_conflict_do_nothing(index_elements=["version_uuid"])
    )
    _note_current(s, report_uuid, change.get("current_version_uuid"), now)
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
    """Close the report's open conflicts that an accepted version arriving later settles."""
    arrived = s.scalar(
        select(ServerVersionRow.seq).where(ServerVersionRow.version_uuid == version_uuid)
    )
    open_rows = s.scalars(
        select(ConflictRow).where(
            ConflictRow.report_uuid == report_uuid, ConflictRow.resolved_at.is_(None)
        )
    ).all()
    for row in open_rows:
        seq = s.scalar(
            select(ServerVersionRow.seq).where(
                ServerVersionRow.version_uuid == row.conflict_version_uuid
            )
        )
        if arrived is not None and seq is not None and arrived > seq:
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
    s.execute(
        sqlite_insert(EventRow)
        .values(
            event_uuid=content.event_uuid,
            name=content.event_name,
            disaster_type=content.disaster_type,
            disaster_subtype=content.disaster_subtype,
            occurred_at=content.occurred_at,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["event_uuid"])
    )
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


def apply_roster(s: Session, change: Mapping[str, Any]) -> None:
    """Keep one roster change in the cache (``valid_to`` when ended; reasons when sent)."""
    upsert_assignment(s, {"valid_to": None, **change})


def apply_duty(s: Session, kind: str, change: Mapping[str, Any], now: datetime) -> None:
    """Apply an ``absence``, ``handover`` or ``event_opening`` change, all or nothing."""
    with s.begin_nested():
        if kind == "absence":
            upsert_absence(s, change, now)
        elif kind == "handover":
            upsert_handover(s, change, now)
        else:
            upsert_opening(s, change, now)


def as_mapping(change: Change | UnreadChange) -> dict[str, Any]:
    """Return a pulled change as the JSON object the appliers and the store read.

    The boundary between the typed feed (``sync.contract.wire.feed``) and the store's
    upserts, which still take the wire's objects; a change the client could not read goes
    on as it came, to be skipped with a log line.
    """
    if isinstance(change, UnreadChange):
        return change.raw
    return as_object(change)


def apply_page(
    s: Session, changes: list[dict[str, Any]], now: datetime, result: PullResult
) -> None:
    """Apply one page of changes in the caller's transaction."""
    for change in changes:
        kind = change.get("kind")
        try:
            if kind == "report_version":
                if apply_version(s, change, now):
                    result.conflicts += 1
                result.touched.add(str(change["report_uuid"]))
            elif kind == "roster":
                apply_roster(s, change)
            elif kind in DUTY_KINDS:
                apply_duty(s, str(kind), change, now)
            elif kind == "decision":
                apply_decision(s, change, now)
            elif kind == "township_report":
                apply_township_report(s, change, now)
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


class Puller:
    """Runs the pull phase of one round."""

    def __init__(
        self,
        store: ReportStore,
        client: SyncClient,
        account: Account,
        page_limit: int = 500,
        max_pages: int = 1000,
    ) -> None:
        self.store = store
        self.client = client
        self.owner = cursor_owner(account)
        self.page_limit = page_limit
        self.max_pages = max_pages

    def _cursor(self) -> str | None:
        with self.store.write_session() as s, s.begin():
            state = sync_state(s)
            return state.cursor if state.cursor_owner == self.owner else None

    def run(self) -> PullResult:
        """Pull page after page until the server has no more (bounded)."""
        result = PullResult()
        cursor = self._cursor()
        for _ in range(self.max_pages):
            try:
                page = self.client.changes(cursor, self.page_limit)
            except ClientError as exc:
                result.error = exc
                return result
            touched_before = set(result.touched)
            result.touched.clear()
            with self.store.write_session() as s, s.begin():
                apply_page(s, [as_mapping(c) for c in page.changes], now_utc(), result)
                state = sync_state(s)
                state.cursor = page.cursor
                state.cursor_owner = self.owner
            result.touched |= touched_before
            result.pages += 1
            cursor = page.cursor
            if not page.has_more:
                break
        catch_up(self.store)
        return result

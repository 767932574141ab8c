"""A page of pulled report versions applied with set-based statements (``store.feed``).

``apply_versions`` reads what the store already knows of the page's versions and reports in a
few queries (one per table, ``IN`` over the page), walks the page in feed order in memory
(which version is current, which conflict opens against which main version, which one a
resolution closes), and writes one statement per kind of change: the new ``server_versions``
rows, the ``server_reports`` pointers, the acknowledgements of this device's versions, their
``version_sync`` rows, the conflicts opened and closed, the ``version_reviews`` rows (new ones
already marked current or not) and one update of the ``is_current`` flags that moved (none
on a fresh device).  Each report is parsed once; its content is kept as the server's canonical
JSON text (``canonical_text``, hash-checked by the client), serialised once.

A version already in ``server_versions`` (re-read after a crash, or pulled again) is not
inserted again.  A version this device pushed itself and the push answer already settled
(its local state is the one the server's status gives) is not re-acknowledged and never shown
again: only its server-side rows are written, in the same bulk statements.

Warnings of a new review row are counted by the rules once the page's rows are in place
(``WARNING_RULES``: all but the size check, an error only); only a continuing or final report
needs the previous report's figures (rule 9), looked up by index.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from informant_app.core.store.conflicts import RESOLUTION_MARK, resolved_by
from informant_app.core.store.divisions import table_of
from informant_app.core.store.duty import parse_filing_role
from informant_app.core.store.models import (
    ConflictRow,
    ReportVersionRow,
    ServerReportRow,
    ServerVersionRow,
    VersionReviewRow,
    VersionSyncRow,
)
from informant_app.core.store.report_store import apply_states
from informant_app.core.store.review import PENDING, rule_context
from informant_app.core.store.types import ReportState
from sync.contract import (
    ContractError,
    ReportContent,
    ReportStage,
    Severity,
    ValidationContext,
)
from sync.contract.rules import RULES, ContentSize
from sync.contract.wire.feed import ReportVersionChange

log = logging.getLogger(__name__)

#: Local states the pull acknowledges (a version sent, or one settled before).
ACKABLE = (
    ReportState.QUEUED.value,
    ReportState.SENDING.value,
    ReportState.RECEIVED.value,
    ReportState.CONFLICT.value,
)
CONFLICT_MESSAGE = "与服务器上的最新版本冲突，需要处理"
#: Ids per ``IN (...)`` list (well under SQLite's bound-parameter limit).
CHUNK = 500


@dataclass
class AppliedVersions:
    """What a page's versions did: conflicts opened here first, reports touched, contents.

    ``texts`` are the page's accepted versions as the server sent them, in canonical JSON
    text (``canonical_text``), to keep as received.
    """

    opened: set[str] = field(default_factory=set)
    touched: set[str] = field(default_factory=set)
    contents: dict[str, ReportContent] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    items = sorted(set(values))
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


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


def _review_filing(change: ReportVersionChange) -> dict[str, Any]:
    role = parse_filing_role(change.filing_role)
    if role is None:
        return {}
    acting_for = change.acting_for_name
    return {
        "filing_role": role.value,
        "acting_for_name": acting_for[:100] if acting_for is not None else None,
    }


@dataclass
class _Known:
    """What the store knows of the page's versions and reports before the page."""

    server: dict[str, tuple[str, str | None]]  # version -> (status, parent)
    named: dict[str, str]  # report -> current_version_uuid
    last_accepted: dict[str, str]  # report -> accepted version read last (feed order)
    accepted: set[str]  # accepted versions among the ones named current
    local: dict[str, str]  # version -> local state
    conflicts: set[str]  # conflict versions with a row (open or closed)
    open_by_report: dict[str, set[str]]
    reviewed: set[str]
    flagged: dict[str, set[str]]  # report -> review rows marked current before the page


def _read_known(s: Session, changes: Sequence[ReportVersionChange]) -> _Known:
    ids = [c.version_uuid for c in changes]
    reports = {c.report_uuid for c in changes}
    known = _Known({}, {}, {}, set(), {}, set(), {}, set(), {})
    for part in _chunks(ids):
        for v, status, parent in s.execute(
            select(
                ServerVersionRow.version_uuid,
                ServerVersionRow.status,
                ServerVersionRow.parent_version_uuid,
            ).where(ServerVersionRow.version_uuid.in_(part))
        ):
            known.server[v] = (status, parent)
        known.local.update(
            (str(v), str(st))
            for v, st in s.execute(
                select(ReportVersionRow.version_uuid, ReportVersionRow.state).where(
                    ReportVersionRow.version_uuid.in_(part)
                )
            )
        )
        known.reviewed.update(
            s.scalars(
                select(VersionReviewRow.version_uuid).where(VersionReviewRow.version_uuid.in_(part))
            )
        )
    conflict_ids = [c.version_uuid for c in changes if c.status == "conflict"]
    for part in _chunks(conflict_ids):
        known.conflicts.update(
            s.scalars(
                select(ConflictRow.conflict_version_uuid).where(
                    ConflictRow.conflict_version_uuid.in_(part)
                )
            )
        )
    for part in _chunks(reports):
        known.named.update(
            (str(r), str(v))
            for r, v in s.execute(
                select(ServerReportRow.report_uuid, ServerReportRow.current_version_uuid).where(
                    ServerReportRow.report_uuid.in_(part)
                )
            )
        )
        # SQLite returns the bare column of the row holding max(seq).
        for report, version, _seq in s.execute(
            select(
                ServerVersionRow.report_uuid,
                ServerVersionRow.version_uuid,
                func.max(ServerVersionRow.seq),
            )
            .where(ServerVersionRow.report_uuid.in_(part), ServerVersionRow.status == "accepted")
            .group_by(ServerVersionRow.report_uuid)
        ):
            known.last_accepted[report] = version
        for report, version in s.execute(
            select(ConflictRow.report_uuid, ConflictRow.conflict_version_uuid).where(
                ConflictRow.report_uuid.in_(part), ConflictRow.resolved_at.is_(None)
            )
        ):
            known.open_by_report.setdefault(report, set()).add(version)
        for report, version in s.execute(
            select(VersionReviewRow.report_uuid, VersionReviewRow.version_uuid).where(
                VersionReviewRow.report_uuid.in_(part), VersionReviewRow.is_current.is_(True)
            )
        ):
            known.flagged.setdefault(report, set()).add(version)
    named = set(known.named.values()) | {
        c.current_version_uuid for c in changes if c.current_version_uuid
    }
    for part in _chunks(named):
        known.accepted.update(
            s.scalars(
                select(ServerVersionRow.version_uuid).where(
                    ServerVersionRow.version_uuid.in_(part), ServerVersionRow.status == "accepted"
                )
            )
        )
    return known


def _current(known: _Known, report: str) -> str | None:
    """Return the report's current version as ``store.conflicts.server_current`` would."""
    named = known.named.get(report)
    if named is not None and named in known.accepted:
        return named
    return known.last_accepted.get(report)


def _parse(change: ReportVersionChange) -> ReportContent | None:
    try:
        return ReportContent.from_dict(change.content)
    except ContractError:
        log.warning(
            "accepted version %s does not fit the contract; not reviewable", change.version_uuid
        )
        return None


def apply_versions(
    s: Session, changes: Sequence[ReportVersionChange], now: datetime
) -> AppliedVersions:
    """Apply a page's report-version changes in the caller's transaction, in feed order."""
    out = AppliedVersions()
    if not changes:
        return out
    known = _read_known(s, changes)
    new_rows: list[dict[str, Any]] = []
    filer_updates: list[dict[str, Any]] = []
    pointers: dict[str, str] = {}
    acks: dict[str, tuple[str, ReportState, str | None]] = {}
    syncs: dict[str, dict[str, Any]] = {}
    opened: list[dict[str, Any]] = []
    closed: list[dict[str, Any]] = []
    reviews: dict[str, dict[str, Any]] = {}
    review_filings: list[dict[str, Any]] = []
    for c in changes:
        v, report, status = c.version_uuid, c.report_uuid, c.status
        out.touched.add(report)
        received = c.server_received_at.astimezone(UTC)
        filer = _filer(c)
        if v not in known.server:
            known.server[v] = (status, c.parent_version_uuid)
            text = canonical_text(c.content)
            if status == "accepted":
                out.texts[v] = text
            new_rows.append(_server_row(c, text, received, now, filer))
            if status == "accepted":
                known.accepted.add(v)
                known.last_accepted[report] = v
        elif filer:
            filer_updates.append({"b_version": v, **filer})
        if c.current_version_uuid:
            known.named[report] = pointers[report] = c.current_version_uuid
        state = known.local.get(v)
        if state is not None:
            wanted = ReportState.RECEIVED if status == "accepted" else ReportState.CONFLICT
            if state in ACKABLE and state != wanted.value:
                message = None if wanted is ReportState.RECEIVED else CONFLICT_MESSAGE
                acks[v] = (v, wanted, message)
                known.local[v] = wanted.value
            syncs[v] = {
                "version_uuid": v,
                "origin": "local",
                "filed_by": c.submitted_by,
                "server_version_no": c.version_no or 1,
                "server_status": status,
                "server_received_at": received,
                "updated_at": now,
            }
        if status == "conflict":
            main = _current(known, report)
            if main is not None and main != v and v not in known.conflicts:
                known.conflicts.add(v)
                known.open_by_report.setdefault(report, set()).add(v)
                opened.append(
                    {
                        "conflict_version_uuid": v,
                        "report_uuid": report,
                        "main_version_uuid": main,
                        "detected_at": now,
                    }
                )
                out.opened.add(v)
            continue
        open_ids = known.open_by_report.get(report, set())
        if RESOLUTION_MARK in v and open_ids:
            settled = resolved_by(v, known.server[v][1], open_ids)
            for conflict in settled:
                closed.append({"b_conflict": conflict, "b_by": v})
            open_ids -= settled
        if v in known.reviewed or v in reviews:
            if _review_filing(c):
                review_filings.append({"b_version": v, **_review_filing(c)})
            continue
        content = out.contents.get(v) or _parse(c)
        if content is None:
            continue
        out.contents[v] = content
        reviews[v] = {
            "version_uuid": v,
            "report_uuid": report,
            "village_code": content.village_code,
            "event_uuid": content.event_uuid,
            "event_name": content.event_name,
            "stage": content.stage.value,
            "version_no": c.version_no or 1,
            "status": PENDING,
            "is_current": False,
            "decision_uuid": None,
            "reason": None,
            "filed_by": c.submitted_by,
            "submitted_at": content.submitted_at,
            "received_at": received,
            "warnings": 0,
            "updated_at": now,
            "filing_role": None,
            "acting_for_name": None,
            **_review_filing(c),
        }
    _write(s, new_rows, filer_updates, pointers, now)
    if acks:
        apply_states(s, list(acks.values()), now)
    _write_syncs(s, list(syncs.values()))
    _write_conflicts(s, opened, closed, now)
    currents = {r: _current(known, r) for r in out.touched}
    for v, row in reviews.items():
        row["is_current"] = currents[row["report_uuid"]] == v
    _write_reviews(s, list(reviews.values()), review_filings)
    _move_current_flags(s, currents, known.flagged, reviews)
    _count_warnings(s, reviews, out.contents)
    return out


def canonical_text(content: dict[str, Any]) -> str:
    """Return the canonical JSON text of a pulled version's content (sorted, no spaces).

    The server's own form: its SHA-256 is the change's ``content_hash`` (the client checked
    it before the page reached the store), so it is kept as received, not re-serialised.
    """
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _server_row(
    c: ReportVersionChange, text: str, received: datetime, now: datetime, filer: dict[str, Any]
) -> dict[str, Any]:
    return {
        "version_uuid": c.version_uuid,
        "report_uuid": c.report_uuid,
        "parent_version_uuid": c.parent_version_uuid,
        "version_no": c.version_no or 1,
        "status": c.status,
        "village_code": c.village_code,
        "content_hash": c.content_hash,
        "content": text,
        "submitted_by": c.submitted_by,
        "server_received_at": received,
        "pulled_at": now,
        "submitted_by_name": None,
        "post_role": None,
        "filing_role": None,
        "acting_for_name": None,
        **filer,
    }


def _write(
    s: Session,
    new_rows: list[dict[str, Any]],
    filer_updates: list[dict[str, Any]],
    pointers: dict[str, str],
    now: datetime,
) -> None:
    servers = cast(Table, ServerVersionRow.__table__)
    if new_rows:
        s.execute(
            sqlite_insert(servers).on_conflict_do_nothing(index_elements=["version_uuid"]),
            new_rows,
        )
    for keys in {tuple(sorted(u)) for u in filer_updates}:
        rows = [u for u in filer_updates if tuple(sorted(u)) == keys]
        s.execute(
            update(servers)
            .where(servers.c.version_uuid == bindparam("b_version"))
            .values({k: bindparam(k) for k in keys if k != "b_version"}),
            rows,
        )
    if pointers:
        table = cast(Table, ServerReportRow.__table__)
        stmt = sqlite_insert(table)
        s.execute(
            stmt.on_conflict_do_update(
                index_elements=["report_uuid"],
                set_={
                    "current_version_uuid": stmt.excluded.current_version_uuid,
                    "updated_at": stmt.excluded.updated_at,
                },
            ),
            [
                {"report_uuid": r, "current_version_uuid": v, "updated_at": now}
                for r, v in pointers.items()
            ],
        )


def _write_syncs(s: Session, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    table = cast(Table, VersionSyncRow.__table__)
    stmt = sqlite_insert(table)
    kept = ("filed_by", "server_version_no", "server_status", "server_received_at", "updated_at")
    s.execute(
        stmt.on_conflict_do_update(
            index_elements=["version_uuid"], set_={k: stmt.excluded[k] for k in kept}
        ),
        rows,
    )


def _write_conflicts(
    s: Session, opened: list[dict[str, Any]], closed: list[dict[str, Any]], now: datetime
) -> None:
    table = cast(Table, ConflictRow.__table__)
    if opened:
        s.execute(
            sqlite_insert(table).on_conflict_do_nothing(index_elements=["conflict_version_uuid"]),
            opened,
        )
    if closed:
        s.execute(
            update(table)
            .where(
                table.c.conflict_version_uuid == bindparam("b_conflict"),
                table.c.resolved_at.is_(None),
            )
            .values(resolved_at=now, resolved_by_version_uuid=bindparam("b_by")),
            closed,
        )


def _write_reviews(s: Session, rows: list[dict[str, Any]], filings: list[dict[str, Any]]) -> None:
    table = cast(Table, VersionReviewRow.__table__)
    if rows:
        s.execute(
            sqlite_insert(table).on_conflict_do_nothing(index_elements=["version_uuid"]), rows
        )
    if filings:
        s.execute(
            update(table)
            .where(table.c.version_uuid == bindparam("b_version"))
            .values(
                filing_role=bindparam("filing_role"), acting_for_name=bindparam("acting_for_name")
            ),
            filings,
        )


def _move_current_flags(
    s: Session,
    currents: dict[str, str | None],
    flagged: dict[str, set[str]],
    inserted: dict[str, dict[str, Any]],
) -> None:
    """Keep ``is_current`` on each report's current version only, touching changed rows only.

    ``flagged``: the rows marked current before the page; ``inserted``: the page's new rows
    (already marked right).  One statement for the page, none when nothing moved.
    """
    moves: list[dict[str, Any]] = []
    for report, current in currents.items():
        before = flagged.get(report, set())
        moves.extend({"b_version": v, "b_flag": False} for v in sorted(before - {current}))
        if current is not None and current not in before and current not in inserted:
            moves.append({"b_version": current, "b_flag": True})
    if moves:
        table = cast(Table, VersionReviewRow.__table__)
        s.execute(
            update(table)
            .where(table.c.version_uuid == bindparam("b_version"))
            .values(is_current=bindparam("b_flag")),
            moves,
        )


#: The checks that can warn: every rule but the size check (an error only, and the last rule,
#: so leaving it out changes no other issue; a stored version was within size anyway).
WARNING_RULES = tuple(check for check in RULES if not isinstance(check, ContentSize))


def warning_count(content: ReportContent, context: ValidationContext) -> int:
    """Return the rules' warnings of ``content``, as ``validate`` would count them."""
    seen: dict[str, Severity] = {}
    for check in WARNING_RULES:
        for issue in check(content, context):
            seen.setdefault(issue.key, issue.severity)
    return sum(1 for severity in seen.values() if severity is Severity.WARNING)


def _count_warnings(
    s: Session, reviews: dict[str, dict[str, Any]], contents: dict[str, ReportContent]
) -> None:
    """Count the rules' warnings of the new review rows; write the ones that have some.

    An initial report is checked without a previous report (rule 9 reads one only for a
    continuing or final report), so only those look theirs up, by index.
    """
    if not reviews:
        return
    divisions = table_of(s)
    counted = []
    for v, row in reviews.items():
        content = contents[v]
        received = row["received_at"]
        if content.stage is ReportStage.INITIAL:
            context = ValidationContext(
                previous_figures=None, now=content.submitted_at or received, divisions=divisions
            )
        else:
            context = rule_context(s, content, received)
        n = warning_count(content, context)
        if n:
            counted.append({"b_version": v, "b_warnings": n})
    if counted:
        table = cast(Table, VersionReviewRow.__table__)
        s.execute(
            update(table)
            .where(table.c.version_uuid == bindparam("b_version"))
            .values(warnings=bindparam("b_warnings")),
            counted,
        )

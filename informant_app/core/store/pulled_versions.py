"""A page of pulled report versions applied with set-based statements (``store.feed``).

``apply_versions`` reads what the store already knows of the page's versions and reports in a
few queries (one per table, ``IN`` over the page), walks the page in feed order in memory
(which version is current, which conflict opens against which main version, which one a
resolution closes), and writes one statement per kind of change: the new ``server_versions``
rows, the ``server_reports`` pointers, the acknowledgements of this device's versions, their
``version_sync`` rows, the conflicts opened and closed, the ``version_reviews`` rows (new ones
already marked current or not) and one update of the ``is_current`` flags that moved (none
on a fresh device).  Each report is parsed once; its content is kept as the server's canonical
JSON text as the client received it and checked against its hash (``ChangesPage.texts``),
never serialised again (``canonical_text`` only for a page handed on without its texts).

A version already in ``server_versions`` (re-read after a crash, or pulled again) is not
inserted again.  A version this device pushed itself and the push answer already settled
(its local state is the one the server's status gives) is not re-acknowledged and never shown
again: only its server-side rows are written, in the same bulk statements.

Warnings of a new review row are counted by the rules that can warn
(``sync.contract.rules.warning_count``) once the page's rows are in place; only a continuing
or final report needs the previous report's figures (rule 9), looked up by index.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, update
from sqlalchemy.orm import Session

from informant_app.core.store.conflicts import RESOLUTION_MARK, resolved_by
from informant_app.core.store.divisions import table_of
from informant_app.core.store.duty import parse_filing_role
from informant_app.core.store.models import TIME_FORMAT, ServerVersionRow, to_db_time
from informant_app.core.store.report_store import apply_states
from informant_app.core.store.review import PENDING, rule_context
from informant_app.core.store.types import ReportState
from sync.contract import (
    ContractError,
    DivisionTable,
    ReportContent,
    ReportStage,
    ValidationContext,
)
from sync.contract.rules import warning_count
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


class CurrentVersion(NamedTuple):
    """A report's current server version as stored (``server_received_at`` as stored text)."""

    version_uuid: str
    report_uuid: str
    parent_version_uuid: str | None
    version_no: int
    submitted_by: str
    submitted_by_name: str | None
    server_received_at: str


@dataclass
class AppliedVersions:
    """What a page's versions did: conflicts opened here first, reports touched, contents.

    ``texts`` are the page's accepted versions as the server sent them, in canonical JSON
    text (``canonical_text``), to keep as received; ``hashes``: the SHA-256 of those the
    client checked against the hash the server sent (``ChangesPage.texts``).  ``currents``:
    the touched reports whose current server version is one of the page's, as ``feed`` would
    read it back; ``listed``: those of them already in this device's list
    (``report_versions``).
    """

    opened: set[str] = field(default_factory=set)
    touched: set[str] = field(default_factory=set)
    contents: dict[str, ReportContent] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    currents: dict[str, CurrentVersion] = field(default_factory=dict)
    listed: set[str] = field(default_factory=set)


@dataclass
class PreparedVersions:
    """What a page's versions give without the store, worked out ahead (``prepare_versions``).

    ``contents``: each accepted version parsed (``None``: it does not fit the contract);
    ``texts``: each version's canonical JSON text; ``checked``: the versions whose text is the
    one the client checked against the change's ``content_hash``; ``warnings``: the rules'
    warnings of each initial report (the only ones that need no earlier report).
    """

    contents: dict[str, ReportContent | None] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)
    warnings: dict[str, int] = field(default_factory=dict)


def prepare_versions(
    changes: Iterable[object],
    divisions: DivisionTable | None,
    texts: Mapping[str, str] | None = None,
) -> PreparedVersions:
    """Parse a page's versions and count the initial reports' warnings, without the store.

    Pure work on the page alone, outside the store's transaction (the puller runs it just
    before applying the page).  ``divisions``: the store's division table
    (``table_of``); ``None`` leaves the warnings to ``apply_versions``.  ``texts``: the
    versions' canonical JSON text as the client received and checked it
    (``ChangesPage.texts``), kept rather than written again.
    """
    out = PreparedVersions()
    sent = texts or {}
    for c in changes:
        if not isinstance(c, ReportVersionChange):
            continue
        v = c.version_uuid
        text = sent.get(v)
        if text is not None:
            out.texts[v] = text
            out.checked.add(v)
        else:
            out.texts[v] = canonical_text(c.content)
        if c.status != "accepted":
            continue
        content = out.contents[v] = _parse(c)
        if divisions is not None and content is not None and content.stage is ReportStage.INITIAL:
            now = content.submitted_at or c.server_received_at.astimezone(UTC)
            context = ValidationContext(previous_figures=None, now=now, divisions=divisions)
            out.warnings[v] = warning_count(content, context)
    return out


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
    for v, status, parent in rows_in(
        s,
        "SELECT version_uuid, status, parent_version_uuid FROM server_versions"
        " WHERE version_uuid {IN}",
        ids,
    ):
        known.server[v] = (status, parent)
    known.local.update(
        (str(v), str(st))
        for v, st in rows_in(
            s, "SELECT version_uuid, state FROM report_versions WHERE version_uuid {IN}", ids
        )
    )
    known.reviewed.update(
        v
        for (v,) in rows_in(
            s, "SELECT version_uuid FROM version_reviews WHERE version_uuid {IN}", ids
        )
    )
    known.conflicts.update(
        v
        for (v,) in rows_in(
            s,
            "SELECT conflict_version_uuid FROM sync_conflicts WHERE conflict_version_uuid {IN}",
            [c.version_uuid for c in changes if c.status == "conflict"],
        )
    )
    known.named.update(
        (str(r), str(v))
        for r, v in rows_in(
            s,
            "SELECT report_uuid, current_version_uuid FROM server_reports WHERE report_uuid {IN}",
            reports,
        )
    )
    # SQLite returns the bare column of the row holding max(seq).
    for report, version, _seq in rows_in(
        s,
        "SELECT report_uuid, version_uuid, max(seq) FROM server_versions"
        " WHERE report_uuid {IN} AND status = 'accepted' GROUP BY report_uuid",
        reports,
    ):
        known.last_accepted[report] = version
    for report, version in rows_in(
        s,
        "SELECT report_uuid, conflict_version_uuid FROM sync_conflicts"
        " WHERE report_uuid {IN} AND resolved_at IS NULL",
        reports,
    ):
        known.open_by_report.setdefault(report, set()).add(version)
    for report, version in rows_in(
        s,
        # "+": by the report's index; the flag's index would read every current row.
        "SELECT report_uuid, version_uuid FROM version_reviews"
        " WHERE report_uuid {IN} AND +is_current = 1",
        reports,
    ):
        known.flagged.setdefault(report, set()).add(version)
    named = set(known.named.values()) | {
        c.current_version_uuid for c in changes if c.current_version_uuid
    }
    named -= {v for v in ids if v not in known.server}  # the page's new versions: not stored yet
    known.accepted.update(
        v
        for (v,) in rows_in(
            s,
            "SELECT version_uuid FROM server_versions"
            " WHERE version_uuid {IN} AND status = 'accepted'",
            named,
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
    s: Session,
    changes: Sequence[ReportVersionChange],
    now: datetime,
    prepared: PreparedVersions | None = None,
) -> AppliedVersions:
    """Apply a page's report-version changes in the caller's transaction, in feed order.

    ``prepared``: the page's versions parsed ahead (``prepare_versions``); what it lacks is
    worked out here.
    """
    out = AppliedVersions()
    if not changes:
        return out
    ready = prepared if prepared is not None else PreparedVersions()
    known = _read_known(s, changes)
    at = to_db_time(now)
    new_rows: list[tuple[Any, ...]] = []
    filer_updates: list[dict[str, Any]] = []
    pointers: dict[str, str] = {}
    acks: dict[str, tuple[str, ReportState, str | None]] = {}
    syncs: dict[str, tuple[Any, ...]] = {}
    opened: list[tuple[Any, ...]] = []
    closed: list[tuple[Any, ...]] = []
    reviews: dict[str, dict[str, Any]] = {}
    review_filings: list[tuple[Any, ...]] = []
    page: dict[str, CurrentVersion] = {}  # the page's new accepted versions, as stored
    for c in changes:
        v, report, status = c.version_uuid, c.report_uuid, c.status
        out.touched.add(report)
        received = c.server_received_at.astimezone(UTC)
        received_text = db_time(received)
        filer = _filer(c)
        if v not in known.server:
            known.server[v] = (status, c.parent_version_uuid)
            text = ready.texts.get(v) or canonical_text(c.content)
            new_rows.append(_server_row(c, text, received_text, at, filer))
            if status == "accepted":
                out.texts[v] = text
                if v in ready.checked:
                    out.hashes[v] = c.content_hash
                known.accepted.add(v)
                known.last_accepted[report] = v
                page[v] = CurrentVersion(
                    v,
                    report,
                    c.parent_version_uuid,
                    c.version_no or 1,
                    c.submitted_by,
                    filer.get("submitted_by_name"),
                    received_text,
                )
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
            syncs[v] = (v, "local", c.submitted_by, c.version_no or 1, status, received_text, at)
        if status == "conflict":
            main = _current(known, report)
            if main is not None and main != v and v not in known.conflicts:
                known.conflicts.add(v)
                known.open_by_report.setdefault(report, set()).add(v)
                opened.append((v, report, main, at))
                out.opened.add(v)
            continue
        open_ids = known.open_by_report.get(report, set())
        if RESOLUTION_MARK in v and open_ids:
            settled = resolved_by(v, known.server[v][1], open_ids)
            closed.extend((at, v, conflict) for conflict in sorted(settled))
            open_ids -= settled
        if v in known.reviewed or v in reviews:
            if "filing_role" in filer:
                review_filings.append((filer["filing_role"], filer["acting_for_name"], v))
            continue
        content = out.contents.get(v) or (ready.contents[v] if v in ready.contents else _parse(c))
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
            "submitted_at": _filed_at(c, content),
            "received_at": received_text,
            "warnings": 0,
            "updated_at": at,
            "filing_role": filer.get("filing_role"),
            "acting_for_name": filer.get("acting_for_name"),
            "time_flag": c.time_flag if c.filed_at is not None else None,
        }
    _write(s, new_rows, filer_updates, pointers, at)
    if acks:
        apply_states(s, list(acks.values()), now)
    write_many(s, _SYNC_UPSERT, list(syncs.values()))
    write_many(s, _CONFLICT_INSERT, opened)
    write_many(s, _CONFLICT_CLOSE, closed)
    currents = {r: _current(known, r) for r in out.touched}
    out.currents = {r: page[v] for r, v in currents.items() if v is not None and v in page}
    out.listed = {c.version_uuid for c in out.currents.values() if c.version_uuid in known.local}
    for v, row in reviews.items():
        row["is_current"] = currents[row["report_uuid"]] == v
    later = _count_initial_warnings(s, reviews, out.contents, ready.warnings)
    write_many(s, _REVIEW_INSERT, [_REVIEW_ROW(row) for row in reviews.values()])
    write_many(s, _REVIEW_FILING, review_filings)
    _move_current_flags(s, currents, known.flagged, reviews)
    _count_warnings(s, later, out.contents)
    return out


def _filed_at(change: ReportVersionChange, content: ReportContent) -> str | None:
    """Return the filing time a review row shows: the server's when it corrected the claim."""
    if change.time_flag is not None and change.filed_at is not None:
        return db_time(change.filed_at)
    return db_time(content.submitted_at) if content.submitted_at is not None else None


def canonical_text(content: dict[str, Any]) -> str:
    """Return the canonical JSON text of a pulled version's content (sorted, no spaces).

    The server's own form: its SHA-256 is the change's ``content_hash`` (the client checked
    it before the page reached the store), so it is kept as received, not re-serialised.
    """
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@lru_cache(maxsize=4096)
def db_time(value: datetime) -> str:
    """Return ``to_db_time(value)``, remembered (few distinct times: a batch arrives at once)."""
    return to_db_time(value)


#: ``IN`` over a JSON list of values, one bound parameter (no chunks, no statement per size).
IN_JSON = "IN (SELECT value FROM json_each(?))"


def rows_in(s: Session, sql: str, values: Iterable[Any]) -> list[Any]:
    """Run ``sql`` (its ``{IN}`` standing for ``IN (values)``) in the caller's transaction.

    Plain SQL through the session's connection: no statement to build or compile, one bound
    parameter whatever the number of values; no query at all for no values.
    """
    items = list(dict.fromkeys(values))
    if not items:
        return []
    conn = s.connection()
    return list(conn.exec_driver_sql(sql.format(IN=IN_JSON), (json.dumps(items),)).fetchall())


def write_many(s: Session, sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """Run one plain SQL statement for each row (one ``executemany``); nothing for no rows.

    The rows hold the stored forms already (times as ``to_db_time`` text, flags as 0/1).
    """
    if rows:
        s.connection().exec_driver_sql(sql, list(rows))


def insert_sql(table: str, columns: Sequence[str], conflict: str = "") -> str:
    """Return ``INSERT INTO table (columns) VALUES (?, …)`` with an ``ON CONFLICT`` clause."""
    marks = ", ".join("?" * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) {conflict}".strip()


_SERVER_COLUMNS = (
    "version_uuid",
    "report_uuid",
    "parent_version_uuid",
    "version_no",
    "status",
    "village_code",
    "content_hash",
    "content",
    "submitted_by",
    "server_received_at",
    "pulled_at",
    "submitted_by_name",
    "post_role",
    "filing_role",
    "acting_for_name",
)
_SERVER_INSERT = insert_sql(
    "server_versions", _SERVER_COLUMNS, "ON CONFLICT (version_uuid) DO NOTHING"
)
_POINTER_UPSERT = insert_sql(
    "server_reports",
    ("report_uuid", "current_version_uuid", "updated_at"),
    "ON CONFLICT (report_uuid) DO UPDATE SET current_version_uuid = excluded.current_version_uuid,"
    " updated_at = excluded.updated_at",
)
_SYNC_KEPT = ("filed_by", "server_version_no", "server_status", "server_received_at", "updated_at")
_SYNC_UPSERT = insert_sql(
    "version_sync",
    ("version_uuid", "origin", *_SYNC_KEPT),
    "ON CONFLICT (version_uuid) DO UPDATE SET "
    + ", ".join(f"{k} = excluded.{k}" for k in _SYNC_KEPT),
)
_CONFLICT_INSERT = insert_sql(
    "sync_conflicts",
    ("conflict_version_uuid", "report_uuid", "main_version_uuid", "detected_at"),
    "ON CONFLICT (conflict_version_uuid) DO NOTHING",
)
_CONFLICT_CLOSE = (
    "UPDATE sync_conflicts SET resolved_at = ?, resolved_by_version_uuid = ?"
    " WHERE conflict_version_uuid = ? AND resolved_at IS NULL"
)
_REVIEW_COLUMNS = (
    "version_uuid",
    "report_uuid",
    "village_code",
    "event_uuid",
    "event_name",
    "stage",
    "version_no",
    "status",
    "is_current",
    "decision_uuid",
    "reason",
    "filed_by",
    "submitted_at",
    "received_at",
    "warnings",
    "updated_at",
    "filing_role",
    "acting_for_name",
    "time_flag",
)
_REVIEW_INSERT = insert_sql(
    "version_reviews", _REVIEW_COLUMNS, "ON CONFLICT (version_uuid) DO NOTHING"
)
#: A review row's values in ``_REVIEW_COLUMNS`` order.
_REVIEW_ROW = itemgetter(*_REVIEW_COLUMNS)
_REVIEW_FILING = (
    "UPDATE version_reviews SET filing_role = ?, acting_for_name = ? WHERE version_uuid = ?"
)
_REVIEW_FLAG = "UPDATE version_reviews SET is_current = ? WHERE version_uuid = ?"
_REVIEW_WARNINGS = "UPDATE version_reviews SET warnings = ? WHERE version_uuid = ?"


def _server_row(
    c: ReportVersionChange, text: str, received: str, at: str, filer: dict[str, Any]
) -> tuple[Any, ...]:
    return (
        c.version_uuid,
        c.report_uuid,
        c.parent_version_uuid,
        c.version_no or 1,
        c.status,
        c.village_code,
        c.content_hash,
        text,
        c.submitted_by,
        received,
        at,
        filer.get("submitted_by_name"),
        filer.get("post_role"),
        filer.get("filing_role"),
        filer.get("acting_for_name"),
    )


def _write(
    s: Session,
    new_rows: list[tuple[Any, ...]],
    filer_updates: list[dict[str, Any]],
    pointers: dict[str, str],
    at: str,
) -> None:
    servers = cast(Table, ServerVersionRow.__table__)
    write_many(s, _SERVER_INSERT, new_rows)
    for keys in {tuple(sorted(u)) for u in filer_updates}:
        rows = [u for u in filer_updates if tuple(sorted(u)) == keys]
        s.execute(
            update(servers)
            .where(servers.c.version_uuid == bindparam("b_version"))
            .values({k: bindparam(k) for k in keys if k != "b_version"}),
            rows,
        )
    write_many(s, _POINTER_UPSERT, [(r, v, at) for r, v in pointers.items()])


#: A report with no review row marked current before the page (the usual case of a pull).
_NONE_FLAGGED: frozenset[str] = frozenset()


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
    moves: list[tuple[int, str]] = []
    for report, current in currents.items():
        before = flagged.get(report, _NONE_FLAGGED)
        if before:
            moves.extend((0, v) for v in sorted(before - {current}))
        if current is not None and current not in before and current not in inserted:
            moves.append((1, current))
    write_many(s, _REVIEW_FLAG, moves)


def _count_initial_warnings(
    s: Session,
    reviews: dict[str, dict[str, Any]],
    contents: dict[str, ReportContent],
    counted: dict[str, int],
) -> dict[str, dict[str, Any]]:
    """Count the warnings of the new initial reports into their rows, before they are written.

    An initial report is checked without a previous report (rule 9 reads one only for a
    continuing or final report): nothing to look up.  Returns the other rows, counted once
    the page's rows are in place (``_count_warnings``).
    """
    later: dict[str, dict[str, Any]] = {}
    divisions: DivisionTable | None = None
    for v, row in reviews.items():
        content = contents[v]
        if content.stage is not ReportStage.INITIAL:
            later[v] = row
            continue
        if v in counted:
            row["warnings"] = counted[v]
            continue
        now = content.submitted_at or _time(row["received_at"])
        divisions = divisions or table_of(s)
        context = ValidationContext(previous_figures=None, now=now, divisions=divisions)
        row["warnings"] = warning_count(content, context)
    return later


def _time(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=UTC)


def _count_warnings(
    s: Session, reviews: dict[str, dict[str, Any]], contents: dict[str, ReportContent]
) -> None:
    """Count the warnings of continuing and final reports; write the ones that have some.

    Rule 9 compares them with the previous report of their event and village, looked up by
    index once the page's rows are in place.
    """
    counted = []
    for v, row in reviews.items():
        content = contents[v]
        n = warning_count(content, rule_context(s, content, _time(row["received_at"])))
        if n:
            counted.append((n, v))
    write_many(s, _REVIEW_WARNINGS, counted)

"""The change log that devices pull by an opaque cursor, without ever skipping a late commit.

Every write that a device may need to hear about (a stored report version, a roster change)
adds a row to ``change_log`` in the same transaction.  A device pulls
``GET /api/v1/changes?cursor=…`` and gets the rows it may see, in pages, plus a new cursor.

**The problem.**  A plain "everything with ``seq`` above my last one" loses changes: writer A
takes ``seq`` 10, writer B takes 11 and commits first, a reader sees 11 and moves its cursor
to 11; when A commits, 10 lies below the cursor and is never read.

**PostgreSQL.**  Each row also carries ``txid xid8 DEFAULT pg_current_xact_id()``, the id of
the transaction that wrote it.  A read takes ``xmin = pg_snapshot_xmin(pg_current_snapshot())``
first: every transaction with an id below ``xmin`` has finished (committed or rolled back),
and any transaction that starts later gets a larger id.  The read then returns rows
``WHERE (txid, seq) > (cursor_txid, cursor_seq) AND txid < xmin ORDER BY txid, seq``.  Below
``xmin`` nothing can appear any more, so a cursor taken from those rows never passes a change
that is still to commit; a long transaction only delays the rows after it, it never loses
them.  (All rows of one transaction share a ``txid`` and become visible together.)

**SQLite.**  Writers are serialized by the database lock: a writer holds it from its first
write until it commits, so ``seq`` order is commit order and the cursor is just ``seq``
(the ``txid`` half of the cursor is ``seq`` again).

**Skipping what the caller cannot see.**  The rows are filtered by the caller's reach.  When a
page is not full, the cursor moves on to the last row below ``xmin`` (or the last row, on
SQLite) even when the caller could not see it, so a device whose villages are quiet does
not rescan the whole log on every pull.  When the caller's reach grows (a new post), the
roster change tells the device, which should pull again from an empty cursor.

**The cursor** is URL-safe base64 of ``{"v": 1, "x": txid, "s": seq}``; anything else is
refused with 400 ``bad_cursor``, and so is a cursor beyond the log's end (a ``seq`` above the
last row, or on PostgreSQL a ``txid`` above the current one: a forged cursor, or a device
whose server was set up anew); the app then forgets it and pulls from the start.

**It is not signed, on purpose.**  A cursor is a position, not a permission: every row a
read returns is filtered by the caller's reach (``reach_sql``) whatever the cursor says, so a
forged or another account's cursor can only skip rows the caller could have read, or re-read
them; it never yields a row outside the caller's jurisdiction.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter
from pydantic_core import to_json
from sqlalchemy import BigInteger, Label, literal_column, select, text
from sqlalchemy.orm import Session, aliased

from sync.server.errors import BAD_CURSOR, ApiError
from sync.server.jurisdiction import Caller, reach_sql
from sync.server.models import Change, ChangeKind, Report, ReportVersion, User
from sync.server.schemas.changes import Change as ChangeOut
from sync.server.services.reads import change_payloads

CURSOR_VERSION = 1
#: Version ids per ``IN`` list of the page's query (a page holds at most ``page_max``).
VERSION_CHUNK = 1000
#: The PostgreSQL-only txid column, as a number.
TXID: Label[int] = literal_column("change_log.txid::text::bigint", BigInteger()).label("txid")


@dataclass(frozen=True)
class Cursor:
    """A position in the change log: (transaction id, sequence number)."""

    txid: int = 0
    seq: int = 0

    def encode(self) -> str:
        """Return the opaque text form a client passes back."""
        raw = json.dumps(
            {"v": CURSOR_VERSION, "x": self.txid, "s": self.seq}, separators=(",", ":")
        ).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str | None) -> Cursor:
        """Parse a cursor; ``None`` or empty means "from the start".

        Raises:
            ApiError: 400 ``bad_cursor`` for anything that is not a cursor of ours.
        """
        if not value:
            return cls()
        try:
            if len(value) > 200:
                raise ValueError("too long")
            padded = value + "=" * (-len(value) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            if not (
                isinstance(data, dict)
                and data.get("v") == CURSOR_VERSION
                and set(data) == {"v", "x", "s"}
            ):
                raise ValueError("not a cursor")
            txid, seq = data["x"], data["s"]
            if not all(
                isinstance(n, int) and not isinstance(n, bool) and 0 <= n < 2**63
                for n in (txid, seq)
            ):
                raise ValueError("bad numbers")
        except (ValueError, UnicodeError, binascii.Error):
            raise ApiError(BAD_CURSOR) from None
        return cls(txid, seq)


@dataclass(frozen=True)
class ChangePage:
    """One page of changes."""

    rows: Sequence[Any]
    cursor: Cursor
    has_more: bool


def read_changes(session: Session, caller: Caller, cursor: Cursor, limit: int) -> ChangePage:
    """Return the next page of changes the caller may see after ``cursor``.

    Raises:
        ApiError: 400 ``bad_cursor`` for a cursor beyond the end of the log.
    """
    _refuse_future(session, cursor)
    if session.get_bind().dialect.name == "postgresql":
        return _read_postgresql(session, caller, cursor, limit)
    return _read_sqlite(session, caller, cursor, limit)


def _refuse_future(session: Session, cursor: Cursor) -> None:
    """Refuse a cursor past the last row of the log (or, on PostgreSQL, the current txid)."""
    if cursor.seq == 0 and cursor.txid == 0:
        return
    top = session.scalar(select(Change.seq).order_by(Change.seq.desc()).limit(1)) or 0
    future = cursor.seq > top
    if not future and session.get_bind().dialect.name == "postgresql":
        now = int(session.execute(text("SELECT pg_current_xact_id()::text::bigint")).scalar_one())
        future = cursor.txid > now
    if future:
        raise ApiError(BAD_CURSOR)


def _columns() -> tuple[Any, ...]:
    return (Change.seq, Change.kind, Change.division_code, Change.ref, Change.created_at)


def _read_postgresql(session: Session, caller: Caller, cursor: Cursor, limit: int) -> ChangePage:
    txid = text("change_log.txid")
    xmin = int(
        session.execute(
            text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        ).scalar_one()
    )
    below = text("change_log.txid < CAST(:xmin AS text)::xid8").bindparams(xmin=str(xmin))
    after = text("(change_log.txid, change_log.seq) > (CAST(:cx AS text)::xid8, :cs)").bindparams(
        cx=str(cursor.txid), cs=cursor.seq
    )
    rows = session.execute(
        select(*_columns(), TXID)
        .where(after, below, reach_sql(caller, Change.division_code))
        .order_by(txid, Change.seq)
        .limit(limit + 1)
    ).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    if has_more:
        last = rows[-1]
        return ChangePage(rows, Cursor(int(last.txid), int(last.seq)), True)
    # Nothing more for this caller below xmin: move past what they cannot see, too.
    tail = session.execute(
        select(TXID, Change.seq)
        .where(after, below)
        .order_by(text("change_log.txid DESC"), Change.seq.desc())
        .limit(1)
    ).first()
    new = Cursor(int(tail[0]), int(tail[1])) if tail is not None else cursor
    return ChangePage(rows, new, False)


def _read_sqlite(session: Session, caller: Caller, cursor: Cursor, limit: int) -> ChangePage:
    # One read transaction: the snapshot holds between the two queries (WAL).
    rows = session.execute(
        select(*_columns(), Change.seq.label("txid"))
        .where(Change.seq > cursor.seq, reach_sql(caller, Change.division_code))
        .order_by(Change.seq)
        .limit(limit + 1)
    ).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    if has_more:
        return ChangePage(rows, Cursor(rows[-1].seq, rows[-1].seq), True)
    top = session.scalar(select(Change.seq).order_by(Change.seq.desc()).limit(1))
    new = Cursor(top, top) if top is not None and top > cursor.seq else cursor
    return ChangePage(rows, new, False)


#: Serialises a change of another kind exactly as the ``ChangesOut`` answer model would.
_OTHER_CHANGE: TypeAdapter[Any] = TypeAdapter(ChangeOut)


def page_json(session: Session, page: ChangePage) -> bytes:
    """Return the ``GET /changes`` answer of ``page`` as JSON bytes (the ``ChangesOut`` shape).

    A report version's content goes out as the canonical JSON text the server stored (its
    SHA-256 is the ``content_hash``), spliced in as is: never parsed, validated and written
    again.  Its other fields come from one plain query per page.  Changes of other kinds are
    read as before (``change_payloads``) and serialised by the answer model.  Feed order is
    kept; a change whose record is gone is left out, as before.
    """
    rows = page.rows
    versions = _version_parts(
        session, [r.ref for r in rows if r.kind == ChangeKind.REPORT_VERSION.value]
    )
    items: list[bytes] = []
    others: list[Any] = []
    for r in rows:
        if r.kind != ChangeKind.REPORT_VERSION.value:
            others.append(r)
            continue
        items.extend(_others_json(session, others))
        others = []
        part = versions.get(r.ref)
        if part is not None:
            fields, content = part
            head = to_json({"kind": r.kind, "changed_at": r.created_at, **fields})
            items.append(head[:-1] + b',"content":' + content + b"}")
    items.extend(_others_json(session, others))
    return b"".join(
        (
            b'{"changes":[',
            b",".join(items),
            b'],"cursor":',
            to_json(page.cursor.encode()),
            b',"has_more":',
            b"true" if page.has_more else b"false",
            b"}",
        )
    )


def _others_json(session: Session, rows: Sequence[Any]) -> list[bytes]:
    if not rows:
        return []
    return [
        _OTHER_CHANGE.dump_json(_OTHER_CHANGE.validate_python(payload))
        for payload in change_payloads(session, rows)
    ]


def _version_parts(
    session: Session, version_ids: Sequence[str]
) -> dict[str, tuple[dict[str, Any], bytes]]:
    """Return each version's feed fields and its stored content text, by version id."""
    if not version_ids:
        return {}
    acting = aliased(User)
    out: dict[str, tuple[dict[str, Any], bytes]] = {}
    for start in range(0, len(version_ids), VERSION_CHUNK):
        for row in session.execute(
            select(
                ReportVersion.version_uuid,
                ReportVersion.report_uuid,
                ReportVersion.parent_version_uuid,
                ReportVersion.version_no,
                ReportVersion.status,
                ReportVersion.village_code,
                ReportVersion.content_hash,
                User.username,
                ReportVersion.server_received_at,
                Report.current_version_uuid,
                User.display_name,
                ReportVersion.post_role,
                ReportVersion.filing_role,
                acting.display_name,
                ReportVersion.content_json,
                ReportVersion.time_flag,
                ReportVersion.submitted_at,
            )
            .join(User, User.id == ReportVersion.user_id)
            .join(Report, Report.report_uuid == ReportVersion.report_uuid, isouter=True)
            .join(acting, acting.id == ReportVersion.acting_for_user_id, isouter=True)
            .where(ReportVersion.version_uuid.in_(version_ids[start : start + VERSION_CHUNK]))
        ):
            fields = {
                "version_uuid": row[0],
                "report_uuid": row[1],
                "parent_version_uuid": row[2],
                "version_no": row[3],
                "status": row[4],
                "village_code": row[5],
                "content_hash": row[6],
                "submitted_by": row[7],
                "server_received_at": row[8],
                "current_version_uuid": row[9],
                "submitted_by_name": row[10] or "",
                "post_role": row[11],
                "filing_role": row[12],
                "acting_for_name": row[13],
            }
            if row[15] is not None:  # a corrected filing time: why, and the one kept
                fields["time_flag"] = row[15]
                fields["filed_at"] = row[16]
            out[row[0]] = (fields, row[14].encode("utf-8"))
    return out

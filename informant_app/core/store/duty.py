"""A/B duty in the local store: cached assignments, absences, handovers and event openings.

Small functions over one session each; the caller owns the transaction.  Nothing here talks
to the network.  The ``upsert_*`` functions take a payload as the change feed or an online
answer carries it (docs/duty.md) and raise ``KeyError``/``TypeError``/``ValueError`` on a
malformed one (callers wrap them in a savepoint).  In the feed ``kind`` names the change, so an
absence's or a handover's own kind comes as ``absence_kind`` / ``handover_kind``; in an
answer it is ``kind``.  The readers hand the cached roster and absences to the
rules of ``sync.contract.duty`` as its value types.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from informant_app.core.divisions import display_name, find_division
from informant_app.core.store.events import NewEvent, record_events
from informant_app.core.store.models import (
    AbsenceRow,
    EventOpeningRow,
    HandoverRow,
    ReportVersionRow,
    RosterRow,
)
from informant_app.core.store.sync_state import read_account, read_state
from informant_app.core.sync.types import Account
from sync.contract import DivisionLevel
from sync.contract.duty import (
    Absence,
    AbsenceKind,
    DeadlineSettings,
    FilingRole,
    Holding,
    filing_role,
    holder_at,
)

#: What a handover was for (its own ``kind``; ``handover_kind`` in the feed).
HANDOVER_KINDS = frozenset({"assignment", "absence"})
#: A holding known only from the account's posts (the roster not pulled yet) began "always".
SINCE_EVER = datetime(2000, 1, 1, tzinfo=UTC)


# --- reading payloads ---------------------------------------------------------------------


def wire_time(value: object) -> datetime:
    """Return a required time of a payload (``ValueError`` when missing or malformed)."""
    from sync.client.api import parse_server_time  # the HTTP client loads after the window

    return parse_server_time(value)


def optional_time(value: object) -> datetime | None:
    """Return an optional time of a payload (``ValueError`` when present but malformed)."""
    return None if value in (None, "") else wire_time(value)


def text(data: Mapping[str, Any], key: str, limit: int | None = None) -> str:
    """Return ``data[key]`` as text ('' when missing); ``TypeError`` for a non-scalar."""
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, dict | list):
        raise TypeError(f"{key} is not text")
    out = str(value)
    return out[:limit] if limit is not None else out


def required(data: Mapping[str, Any], key: str) -> str:
    """Return ``data[key]`` as non-empty text (``KeyError`` otherwise)."""
    out = text(data, key)
    if not out:
        raise KeyError(key)
    return out


def post_level(code: str) -> str:
    """Return the level of a post from the division table, else from the code's shape."""
    division = find_division(code)
    if division is not None:
        return division.level.value
    if code[9:] != "000":
        return DivisionLevel.VILLAGE.value
    if code[6:9] != "000":
        return DivisionLevel.TOWNSHIP.value
    return DivisionLevel.COUNTY.value


def division_name(code: str, fallback: str = "") -> str:
    """Return a division's shown name from the table (``fallback``, else the code, when unknown)."""
    return display_name(code, fallback)


# --- writing the caches -------------------------------------------------------------------


def upsert_assignment(
    s: Session, data: Mapping[str, Any], post_code: str | None = None, level: str | None = None
) -> None:
    """Keep one assignment (a ``roster`` change, a holder of ``GET /roster``, an answer).

    Keys the payload does not carry (a holder's phone in the feed) keep their cached value.
    """
    assignment_id = data["assignment_id"]
    if isinstance(assignment_id, bool) or not isinstance(assignment_id, int | str):
        raise TypeError("assignment_id is not a number")
    code = post_code or required(data, "post_code")
    role = required(data, "post_role")
    if role not in ("A", "B"):
        raise ValueError(f"post_role {role!r}")
    values: dict[str, Any] = {
        "post_code": code,
        "post_level": text(data, "post_level") or level or post_level(code),
        "post_role": role,
        "username": required(data, "username"),
        "display_name": text(data, "display_name", 100),
        "valid_from": wire_time(data.get("valid_from")),
    }
    if "valid_to" in data:
        values["valid_to"] = optional_time(data["valid_to"])
    for key in ("reason", "ended_reason"):
        if key in data:
            values[key] = text(data, key) or None
    if "phone" in data:
        values["phone"] = text(data, "phone", 40) or None
    s.execute(
        sqlite_insert(RosterRow)
        .values(assignment_id=int(assignment_id), **values)
        .on_conflict_do_update(index_elements=["assignment_id"], set_=values)
    )


def end_missing_holders(s: Session, post_code: str, kept: Iterable[int], at: datetime) -> None:
    """End the cached assignments of a post the server no longer lists as active."""
    s.execute(
        update(RosterRow)
        .where(
            RosterRow.post_code == post_code,
            RosterRow.valid_to.is_(None),
            RosterRow.assignment_id.not_in(list(kept)),
        )
        .values(valid_to=at)
        .execution_options(synchronize_session=False)
    )


def _own_kind(data: Mapping[str, Any], key: str, allowed: frozenset[str]) -> str | None:
    """Return a record's own kind: ``key`` in the feed (where ``kind`` names the change)."""
    for value in (data.get(key), data.get("kind")):
        if isinstance(value, str) and value in allowed:
            return value
    if data.get(key) is not None:
        raise ValueError(f"{key} {data.get(key)!r}")
    return None


def _absence_kind(data: Mapping[str, Any]) -> AbsenceKind:
    kind = _own_kind(data, "absence_kind", frozenset(k.value for k in AbsenceKind))
    return AbsenceKind(kind) if kind is not None else AbsenceKind.LEAVE


def upsert_absence(
    s: Session, data: Mapping[str, Any], now: datetime, post_code: str | None = None
) -> None:
    """Keep one absence (an ``absence`` change or an online answer)."""
    starts, ends = wire_time(data.get("starts_at")), wire_time(data.get("ends_at"))
    values: dict[str, Any] = {
        "post_code": post_code or required(data, "post_code"),
        "username": required(data, "username"),
        "display_name": text(data, "display_name", 100),
        "starts_at": starts,
        "ends_at": ends,
        "ended_at": optional_time(data.get("ended_at")),
        "kind": _absence_kind(data).value,
        "reason": text(data, "reason"),
        "created_by": text(data, "created_by", 64) or None,
        "created_by_name": text(data, "created_by_name", 100) or None,
        "created_at": optional_time(data.get("created_at")),
        "updated_at": now,
    }
    s.execute(
        sqlite_insert(AbsenceRow)
        .values(absence_uuid=required(data, "absence_uuid"), **values)
        .on_conflict_do_update(index_elements=["absence_uuid"], set_=values)
    )


def upsert_handover(
    s: Session, data: Mapping[str, Any], now: datetime, post_code: str | None = None
) -> None:
    """Keep one handover (a ``handover`` change or an online answer)."""
    items = data.get("open_items") or {}
    if not isinstance(items, dict):
        raise TypeError("open_items is not an object")
    values: dict[str, Any] = {
        "post_code": post_code or required(data, "post_code"),
        "kind": _own_kind(data, "handover_kind", HANDOVER_KINDS) or "assignment",
        "from_username": text(data, "from_username", 64) or None,
        "from_name": text(data, "from_name", 100),
        "to_username": text(data, "to_username", 64) or None,
        "to_name": text(data, "to_name", 100),
        "reason": text(data, "reason"),
        "open_items": json.dumps(items, ensure_ascii=False, sort_keys=True),
        "created_at": wire_time(data.get("created_at")),
        "created_by": text(data, "created_by", 64) or None,
        "signed_off_by": text(data, "signed_off_by", 64) or None,
        "signed_off_name": text(data, "signed_off_name", 100) or None,
        "signed_off_at": optional_time(data.get("signed_off_at")),
        "sign_off_note": text(data, "sign_off_note") or None,
        "updated_at": now,
    }
    s.execute(
        sqlite_insert(HandoverRow)
        .values(handover_uuid=required(data, "handover_uuid"), **values)
        .on_conflict_do_update(index_elements=["handover_uuid"], set_=values)
    )


def _codes(value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise TypeError("village_codes is not a list of codes")
    return list(value)


def _village_times(value: object) -> list[tuple[str, datetime]]:
    """Return ``(village_code, opened_at)`` of an opening's ``villages`` list, if any."""
    out = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict) and isinstance(item.get("village_code"), str):
            opened = optional_time(item.get("opened_at"))
            if opened is not None:
                out.append((item["village_code"], opened))
    return out


def upsert_opening(
    s: Session,
    data: Mapping[str, Any],
    now: datetime,
    filed: Mapping[str, list[list[str]]] | None = None,
) -> EventOpeningRow:
    """Keep an event opening (an ``event_opening`` change, an online answer, ``GET /duty``).

    Rows of one opening merge: villages add up and each keeps the time it was opened for (the
    payload's ``villages[].opened_at``; else the earliest ``opened_at`` seen with it); the event
    keeps its first ``opened_at``; ``closed_at`` is the latest word.  The event
    also becomes a local event, so the village's informant files against the township's
    ``event_uuid``.
    """
    township = required(data, "township_code")
    event_uuid = required(data, "event_uuid")
    opened = wire_time(data.get("opened_at"))
    codes = _codes(data.get("village_codes"))
    row = s.get(EventOpeningRow, (township, event_uuid))
    if row is None:
        row = EventOpeningRow(
            township_code=township,
            event_uuid=event_uuid,
            opened_at=opened,
            village_codes="[]",
            village_opened="{}",
            deadlines="{}",
            filed="{}",
            event_name="",
            disaster_type="",
        )
        s.add(row)
    village_opened = dict(json.loads(row.village_opened))
    for code in codes:
        known = village_opened.get(code)
        if known is None or wire_time(known) > opened:
            village_opened[code] = opened.isoformat()
    for code, at in _village_times(data.get("villages")):  # the server's word per village
        village_opened[code] = at.isoformat()
        codes.append(code)
    row.village_codes = json.dumps(sorted(set(json.loads(row.village_codes)) | set(codes)))
    row.village_opened = json.dumps(village_opened, sort_keys=True)
    row.opened_at = min(row.opened_at, opened)
    row.event_name = text(data, "event_name", 200) or row.event_name
    row.disaster_type = text(data, "disaster_type", 32) or row.disaster_type or "other"
    row.occurred_at = optional_time(data.get("occurred_at")) or row.occurred_at
    if "closed_at" in data:
        row.closed_at = optional_time(data.get("closed_at"))
    if isinstance(data.get("deadlines"), dict):
        row.deadlines = json.dumps(DeadlineSettings.from_wire(data["deadlines"]).to_wire())
    row.opened_by_name = text(data, "opened_by_name", 100) or row.opened_by_name
    if filed is not None:
        row.filed = json.dumps(dict(filed), sort_keys=True)
    row.updated_at = now
    s.flush()
    record_events(
        s,
        [
            NewEvent(
                event_uuid=event_uuid,
                name=row.event_name or event_uuid,
                disaster_type=row.disaster_type,
                disaster_subtype=None,
                occurred_at=row.occurred_at or row.opened_at,
                created_at=now,
            )
        ],
    )
    return row


# --- reading the caches -------------------------------------------------------------------


def roster_rows(s: Session, post_code: str) -> list[RosterRow]:
    """Return the cached assignments of a post, oldest first."""
    return list(
        s.scalars(
            select(RosterRow)
            .where(RosterRow.post_code == post_code)
            .order_by(RosterRow.valid_from, RosterRow.assignment_id)
        )
    )


def holdings_of(s: Session, post_code: str, account: Account | None = None) -> list[Holding]:
    """Return the post's holdings from the cached roster.

    When the roster holds nothing for the post yet (not pulled), the signed-in account's own
    post stands in, so a B just signed in is still judged as B.
    """
    out = [
        Holding(r.username, r.post_role, r.valid_from, r.valid_to)
        for r in roster_rows(s, post_code)
    ]
    if not out and account is not None:
        out = [
            Holding(account.username, p.post_role, SINCE_EVER)
            for p in account.posts
            if p.division_code == post_code and p.post_role in ("A", "B")
        ]
    return out


def absence_rows(s: Session, post_code: str) -> list[AbsenceRow]:
    """Return the cached absences of a post, by start."""
    return list(
        s.scalars(
            select(AbsenceRow)
            .where(AbsenceRow.post_code == post_code)
            .order_by(AbsenceRow.starts_at, AbsenceRow.absence_uuid)
        )
    )


def absence_of(row: AbsenceRow) -> Absence:
    """Return the contract's value of a cached absence."""
    return Absence(
        row.absence_uuid,
        row.username,
        row.starts_at,
        row.ends_at,
        AbsenceKind(row.kind),
        row.reason,
        row.ended_at,
    )


def names_on_post(s: Session, post_code: str) -> dict[str, str]:
    """Return the display name of each user the post's cached roster or absences name."""
    names = {r.username: r.display_name for r in roster_rows(s, post_code) if r.display_name}
    for a in absence_rows(s, post_code):
        if a.display_name:
            names.setdefault(a.username, a.display_name)
    return names


def judge_filing(
    s: Session, village_code: str, username: str, at: datetime
) -> tuple[FilingRole | None, str | None]:
    """Return the filing role of ``username`` at ``at`` and the post's A then (by name)."""
    return FilingJudge(s, username)(village_code, at)


class FilingJudge:
    """Judges filing roles of one user from the cache, reading each post once (bulk imports)."""

    def __init__(self, s: Session, username: str) -> None:
        self.s = s
        self.username = username
        account = read_account(s)
        self.account = account if account is not None and account.username == username else None
        self._posts: dict[str, tuple[list[Holding], list[Absence], dict[str, str]]] = {}

    def __call__(self, village_code: str, at: datetime) -> tuple[FilingRole | None, str | None]:
        """Return the filing role at ``at`` (server time) and the post's A then (by name)."""
        if village_code not in self._posts:
            self._posts[village_code] = (
                holdings_of(self.s, village_code, self.account),
                [absence_of(r) for r in absence_rows(self.s, village_code)],
                names_on_post(self.s, village_code),
            )
        holdings, absences, names = self._posts[village_code]
        role = filing_role(holdings, absences, self.username, at)
        if role is None or role is FilingRole.A:
            return role, None
        a = holder_at(holdings, "A", at)
        return role, (names.get(a, a) if a is not None else None)


def filing_columns(s: Session) -> Callable[[str, datetime], dict[str, str | None]]:
    """Return a function giving the filing-role columns of a version frozen here.

    It takes the village and the device's ``submitted_at`` (judged on the server's clock);
    nothing is judged when no one is signed in.
    """
    account = read_account(s)
    if account is None:
        return lambda _village, _at: {}
    judge = FilingJudge(s, account.username)

    def columns(village_code: str, at: datetime) -> dict[str, str | None]:
        role, acting_for = judge(village_code, server_time_of(s, at))
        return {
            "filing_role": role.value if role is not None else None,
            "acting_for_name": acting_for,
        }

    return columns


def server_time_of(s: Session, at: datetime) -> datetime:
    """Return the server's clock at device time ``at`` (the last round's skew estimate).

    Cached roster, absence and deadline times are the server's; a device time is corrected
    before it is judged against them, as the server corrects ``submitted_at``.
    """
    state = read_state(s)
    skew = state.clock_skew_seconds if state is not None else None
    return at - timedelta(seconds=skew or 0.0)


def record_filing(s: Session, version_uuid: str, village_code: str, at: datetime) -> None:
    """Record the filing role this device judges for a version frozen here (signed in only).

    ``at`` is the device's ``submitted_at``; it is judged on the server's clock.
    """
    values = filing_columns(s)(village_code, at)
    if values:
        s.execute(
            update(ReportVersionRow)
            .where(ReportVersionRow.version_uuid == version_uuid)
            .values(**values)
            .execution_options(synchronize_session=False)
        )


def parse_filing_role(value: object) -> FilingRole | None:
    """Return a stored or wire filing role (``None`` when absent or unknown)."""
    return _FILING_ROLES.get(str(value)) if value else None


#: The filing roles by value (a look-up, not the enum's call: the pull reads one per version).
_FILING_ROLES = {role.value: role for role in FilingRole}

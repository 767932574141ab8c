"""A/B duty read offline from the local store: my posts, the roster page, handovers, filing role.

Everything is judged at an explicit ``now`` (device time, corrected by the last round's clock
skew) from the cached roster and absences with the rules of ``sync.contract.duty``, so it
works without the server.  The last ``GET /roster`` answer
(kept in ``review_cache``) says which posts the server listed (posts without a holder too),
their names and whether the signed-in account may change them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from informant_app.core.duty.types import (
    AbsenceInfo,
    AbsenceKind,
    FilingRole,
    HandoverInfo,
    MyDuty,
    PostDuty,
    PostHolder,
)
from informant_app.core.store.duty import (
    absence_of,
    absence_rows,
    division_name,
    holdings_of,
    judge_filing,
    names_on_post,
    post_level,
    roster_rows,
    server_time_of,
)
from informant_app.core.store.models import AbsenceRow, HandoverRow, ReviewCacheRow, RosterRow
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_state import now_utc, read_account
from informant_app.core.sync.types import Account
from sync.client.api import parse_server_time
from sync.contract import is_within
from sync.contract.duty import Duty, absence_at, holder_at, on_duty_at

#: Cache key of the last ``GET /roster`` answer.
ROSTER_KEY = "duty|roster"
INFORMANT_ROLE = "village_informant"
#: The levels of the posts each manager role manages (docs/duty.md; the city its own post too).
MANAGED_LEVEL: dict[str, frozenset[str]] = {
    "township_reviewer": frozenset({"village"}),
    "county_admin": frozenset({"township"}),
    "city_admin": frozenset({"county", "city"}),
}


def absence_info(row: AbsenceRow) -> AbsenceInfo:
    """Return the UI's value of a cached absence."""
    return AbsenceInfo(
        absence_uuid=row.absence_uuid,
        post_code=row.post_code,
        username=row.username,
        display_name=row.display_name or row.username,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        kind=AbsenceKind(row.kind),
        reason=row.reason,
        ended_at=row.ended_at,
        created_by_name=row.created_by_name or row.created_by or "",
    )


def handover_info(row: HandoverRow) -> HandoverInfo:
    """Return the UI's value of a cached handover."""
    return HandoverInfo(
        handover_uuid=row.handover_uuid,
        post_code=row.post_code,
        post_name=division_name(row.post_code),
        kind=row.kind,
        from_name=row.from_name or row.from_username or "",
        to_name=row.to_name or row.to_username or "",
        reason=row.reason,
        created_at=row.created_at,
        open_items=dict(json.loads(row.open_items or "{}")),
        signed_off_name=row.signed_off_name or row.signed_off_by,
        signed_off_at=row.signed_off_at,
        sign_off_note=row.sign_off_note or "",
    )


def listed_posts(s: Session) -> dict[str, dict[str, Any]]:
    """Return the posts of the last ``GET /roster`` answer by code (empty before one)."""
    row = s.get(ReviewCacheRow, ROSTER_KEY)
    posts = json.loads(row.payload).get("posts") if row is not None else None
    out: dict[str, dict[str, Any]] = {}
    for post in posts if isinstance(posts, list) else []:
        code = post.get("post_code", post.get("division_code")) if isinstance(post, dict) else None
        if isinstance(code, str):
            out[code] = post
    return out


def my_post_codes(s: Session, account: Account, now: datetime) -> list[str]:
    """Return the posts the account holds: its posts, and the cached roster's at ``now``."""
    codes = {p.division_code for p in account.posts}
    codes |= {
        r.post_code
        for r in s.scalars(select(RosterRow).where(RosterRow.username == account.username))
        if _active(r, now)
    }
    return sorted(codes)


def _active(row: RosterRow, now: datetime) -> bool:
    return row.valid_from <= now and (row.valid_to is None or now < row.valid_to)


def post_duty_now(
    s: Session, post_code: str, now: datetime, account: Account | None = None
) -> tuple[Duty, dict[str, str]]:
    """Return who is on duty at a post at ``now`` and the names the post's cache knows."""
    holdings = holdings_of(s, post_code, account)
    absences = [absence_of(r) for r in absence_rows(s, post_code)]
    return on_duty_at(holdings, absences, now), names_on_post(s, post_code)


def _info_of(s: Session, absence_uuid: str | None) -> AbsenceInfo | None:
    row = s.get(AbsenceRow, absence_uuid) if absence_uuid else None
    return absence_info(row) if row is not None else None


def my_duty(store: ReportStore, now: datetime | None = None) -> list[MyDuty]:
    """Return the signed-in account's posts and whether they are on duty at ``now``."""
    with Session(store.engine) as s:
        now = server_time_of(s, now or store.now())
        account = read_account(s)
        if account is None:
            return []
        out = []
        for code in my_post_codes(s, account, now):
            holdings = holdings_of(s, code, account)
            absences = [absence_of(r) for r in absence_rows(s, code)]
            me = account.username
            role = next((r for r in ("A", "B") if holder_at(holdings, r, now) == me), None)
            if role is None:
                continue
            duty = on_duty_at(holdings, absences, now)
            names = names_on_post(s, code)
            own_absence = absence_at(absences, me, now) if role == "A" else duty.absence
            partner = holder_at(holdings, "B" if role == "A" else "A", now)
            acting_for = duty.acting_for if duty.username == me and role == "B" else None
            out.append(
                MyDuty(
                    post_code=code,
                    post_name=_post_name(code, account),
                    my_role=role,
                    on_duty=duty.username == me,
                    acting_for_name=names.get(acting_for, acting_for) if acting_for else None,
                    absence=_info_of(s, own_absence.absence_uuid if own_absence else None),
                    partner_name=names.get(partner, partner) if partner else None,
                )
            )
        return out


def _post_name(code: str, account: Account | None, listed: Mapping[str, Any] | None = None) -> str:
    fallback = str((listed or {}).get("division_name") or (listed or {}).get("post_name") or "")
    if not fallback and account is not None:
        fallback = next((p.division_name for p in account.posts if p.division_code == code), "")
    return division_name(code, fallback)


def filing_role_for(
    store: ReportStore, village_code: str, now: datetime | None = None
) -> FilingRole | None:
    """Return the capacity the signed-in account would file in for ``village_code`` at ``now``.

    ``B_while_A_on_duty`` is allowed but flagged: the UI warns before submitting.  ``None``
    when not signed in or holding no post of the village.
    """
    with Session(store.engine) as s:
        account = read_account(s)
        if account is None:
            return None
        return judge_filing(
            s, village_code, account.username, server_time_of(s, now or store.now())
        )[0]


def manages(account: Account | None, post_code: str) -> bool:
    """Return whether ``account`` manages the post by the table of docs/duty.md."""
    if account is None or account.role not in MANAGED_LEVEL:
        return False
    return post_level(post_code) in MANAGED_LEVEL[account.role] and is_within(
        post_code, account.jurisdiction_code
    )


def _holders(
    s: Session, code: str, listed: Mapping[str, Any], now: datetime
) -> tuple[PostHolder, ...]:
    rows = [r for r in roster_rows(s, code) if _active(r, now)]
    if rows:
        return tuple(
            PostHolder(
                r.assignment_id,
                r.post_role,
                r.username,
                r.display_name or r.username,
                r.valid_from,
                r.phone,
            )
            for r in sorted(rows, key=lambda r: r.post_role)
        )
    out = []
    for h in listed.get("holders") or []:
        try:  # an older server's answer without assignment ids; the feed fills the cache
            out.append(
                PostHolder(
                    int(h.get("assignment_id") or 0),
                    str(h["post_role"]),
                    str(h["username"]),
                    str(h.get("display_name") or h["username"]),
                    parse_server_time(h.get("valid_from")),
                    h.get("phone"),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    return tuple(sorted(out, key=lambda h: h.post_role))


def post_duty(
    s: Session,
    code: str,
    now: datetime,
    account: Account | None,
    listed: Mapping[str, Any] | None = None,
) -> PostDuty:
    """Return one post as the roster page shows it at ``now``."""
    listed = listed or {}
    duty, names = post_duty_now(s, code, now, account)
    absences = absence_rows(s, code)
    upcoming = tuple(
        absence_info(r)
        for r in absences
        if r.starts_at > now and (r.ended_at is None or r.ended_at > r.starts_at)
    )
    manageable = listed.get("manageable")
    acting_for = duty.acting_for if duty.post_role == "B" else None
    return PostDuty(
        post_code=code,
        post_name=_post_name(code, account, listed),
        level=str(listed.get("level") or post_level(code)),
        holders=_holders(s, code, listed, now),
        on_duty_username=duty.username,
        on_duty_name=names.get(duty.username, duty.username) if duty.username else None,
        on_duty_role=duty.post_role,
        acting_for_name=names.get(acting_for, acting_for) if acting_for else None,
        absence=_info_of(s, duty.absence.absence_uuid if duty.absence else None),
        upcoming=upcoming,
        manageable=manageable if isinstance(manageable, bool) else manages(account, code),
    )


def roster_codes(
    s: Session, account: Account, listed: Mapping[str, Any], now: datetime
) -> list[str]:
    """Return the posts the roster page shows the account.

    An informant sees their own posts; a manager the posts of the level they manage inside
    their jurisdiction: those the server listed (with or without a holder) and those cached.
    """
    if account.role not in MANAGED_LEVEL:
        return my_post_codes(s, account, now)
    levels = MANAGED_LEVEL[account.role]
    cached = set(s.scalars(select(RosterRow.post_code).distinct()))
    codes = {
        c
        for c in set(listed) | cached
        if is_within(c, account.jurisdiction_code)
        and str((listed.get(c) or {}).get("level") or post_level(c)) in levels
    }
    return sorted(codes)


def roster_posts(store: ReportStore, now: datetime | None = None) -> list[PostDuty]:
    """Return the roster page at ``now`` from the cache (see ``roster_codes``)."""
    with Session(store.engine) as s:
        now = server_time_of(s, now or store.now())
        listed = listed_posts(s)
        account = read_account(s)
        if account is None:
            return []
        return [
            post_duty(s, code, now, account, listed.get(code))
            for code in roster_codes(s, account, listed, now)
        ]


def handovers(store: ReportStore, pending_only: bool = False) -> list[HandoverInfo]:
    """Return the cached handovers, newest first (``pending_only``: not yet signed off)."""
    query = select(HandoverRow).order_by(HandoverRow.created_at.desc(), HandoverRow.handover_uuid)
    if pending_only:
        query = query.where(HandoverRow.signed_off_at.is_(None))
    with Session(store.engine) as s:
        return [handover_info(r) for r in s.scalars(query)]


def post_now(store: ReportStore, post_code: str) -> PostDuty:
    """Return one post as the roster page shows it now (device time)."""
    with Session(store.engine) as s:
        account = read_account(s)
        return post_duty(s, post_code, now_utc(), account, listed_posts(s).get(post_code))

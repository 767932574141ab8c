"""Administration read-outs: roster completeness, the contact list (通讯录), the admin log.

- **Completeness** (``GET /admin/completeness``): one row per township inside ``under`` (its
  village posts) and one per county (the township and village posts inside it), and a total
  for ``under`` (the posts of every level strictly inside it; for a village, the village).
  A post is a division of the table that is not retired (staffed or not).  ``with_a`` and
  ``with_b`` count posts with an active A (B) whose account is enabled; ``vacant`` posts with
  neither; ``stale`` the holders (A and B) none of whose devices has synced within
  ``stale_days`` days (or ever).  All of it is three ``GROUP BY`` queries, whatever the size.
- **Contacts**: the enabled active A/B holders of every post inside ``under``, sorted by
  county, township, post and A before B.
- **The admin log**: lines about the accounts inside ``under`` (the target is one of their
  usernames) or about divisions inside it (the target is such a code), newest first.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from sync.contract import DivisionLevel
from sync.server.jurisdiction import Caller, within_sql
from sync.server.models import AdminAction, Assignment, Device, DivisionRow, Post, User
from sync.server.services.admin import admin_under

VILLAGE = DivisionLevel.VILLAGE.value
TOWNSHIP = DivisionLevel.TOWNSHIP.value
COUNTY = DivisionLevel.COUNTY.value
#: The levels whose posts completeness counts below a city.
POST_LEVELS = (VILLAGE, TOWNSHIP, COUNTY)


def _post_stats(code: str, cutoff: datetime) -> Any:
    """Return a subquery: one row per post-worthy division inside ``code`` with its figures.

    Columns: ``code``, ``level``, ``has_a``, ``has_b`` (0/1) and ``stale`` (holders without a
    device sync since ``cutoff``).
    """
    last_seen = (
        select(Device.user_id, func.max(Device.last_seen_at).label("last"))
        .group_by(Device.user_id)
        .subquery()
    )
    holders = (
        select(Assignment.post_id, Assignment.post_role, Assignment.user_id)
        .join(User, User.id == Assignment.user_id)
        .where(Assignment.valid_to.is_(None), User.disabled_at.is_(None))
        .subquery()
    )
    stale = case(
        (
            and_(
                holders.c.user_id.is_not(None),
                or_(last_seen.c.last.is_(None), last_seen.c.last < cutoff),
            ),
            1,
        ),
        else_=0,
    )
    return (
        select(
            DivisionRow.code.label("code"),
            DivisionRow.level.label("level"),
            func.max(case((holders.c.post_role == "A", 1), else_=0)).label("has_a"),
            func.max(case((holders.c.post_role == "B", 1), else_=0)).label("has_b"),
            func.sum(stale).label("stale"),
        )
        .select_from(DivisionRow)
        .outerjoin(Post, Post.division_code == DivisionRow.code)
        .outerjoin(holders, holders.c.post_id == Post.id)
        .outerjoin(last_seen, last_seen.c.user_id == holders.c.user_id)
        .where(
            DivisionRow.retired_vintage.is_(None),
            DivisionRow.level.in_(POST_LEVELS),
            within_sql(DivisionRow.code, code),
        )
        .group_by(DivisionRow.code, DivisionRow.level)
        .subquery()
    )


def _figures(stats: Any, key: Any) -> Any:
    """Return the aggregate select of ``stats`` grouped by ``key``."""
    vacant = case((and_(stats.c.has_a == 0, stats.c.has_b == 0), 1), else_=0)
    return select(
        key.label("key"),
        func.count().label("posts"),
        func.coalesce(func.sum(stats.c.has_a), 0),
        func.coalesce(func.sum(stats.c.has_b), 0),
        func.coalesce(func.sum(vacant), 0),
        func.coalesce(func.sum(stats.c.stale), 0),
    )


def _row(code: str, name: str, level: str, figures: Any | None) -> dict[str, Any]:
    posts, with_a, with_b, vacant, stale = figures[1:] if figures is not None else (0,) * 5
    return {
        "code": code,
        "name": name,
        "level": level,
        "posts": int(posts),
        "with_a": int(with_a),
        "with_b": int(with_b),
        "vacant": int(vacant),
        "stale": int(stale),
    }


def completeness(
    session: Session, caller: Caller, under: str | None, stale_days: int, now: datetime
) -> dict[str, Any]:
    """Return ``RosterCompleteness`` for ``under`` (default: the caller's jurisdiction)."""
    code = admin_under(caller, under)
    stats = _post_stats(code, now - timedelta(days=stale_days))
    township_key = func.substr(stats.c.code, 1, 9)
    by_township = {
        row[0] + "000": row
        for row in session.execute(
            _figures(stats, township_key).where(stats.c.level == VILLAGE).group_by(township_key)
        ).all()
    }
    county_key = func.substr(stats.c.code, 1, 6)
    by_county = {
        row[0] + "000000": row
        for row in session.execute(
            _figures(stats, county_key)
            .where(stats.c.level.in_((VILLAGE, TOWNSHIP)))
            .group_by(county_key)
        ).all()
    }
    me = session.get(DivisionRow, code)
    inside: ColumnElement[bool] = (
        stats.c.code == code if me is not None and me.level == VILLAGE else stats.c.code != code
    )
    total = session.execute(_figures(stats, literal(code)).where(inside)).first()
    places = session.execute(
        select(DivisionRow.code, DivisionRow.name, DivisionRow.level)
        .where(
            DivisionRow.retired_vintage.is_(None),
            DivisionRow.level.in_((TOWNSHIP, COUNTY)),
            within_sql(DivisionRow.code, code),
        )
        .order_by(DivisionRow.code)
    ).all()
    rows = [
        _row(c, name, level, (by_township if level == TOWNSHIP else by_county).get(c))
        for c, name, level in places
    ]
    return {
        "under": code,
        "stale_days": stale_days,
        "rows": rows,
        "total": _row(code, me.name if me else "", me.level if me else "", total),
    }


def _township_code(code: str, level: str) -> str | None:
    if level in (VILLAGE, TOWNSHIP):
        return code[:9] + "000"
    return None


def _county_code(code: str, level: str) -> str | None:
    if level in (VILLAGE, TOWNSHIP, COUNTY):
        return code[:6] + "000000"
    return None


def contacts(session: Session, caller: Caller, under: str | None) -> dict[str, Any]:
    """Return ``Contacts``: the enabled active A/B holders of every post inside ``under``."""
    code = admin_under(caller, under)
    rows = session.execute(
        select(
            Post.division_code,
            DivisionRow.name,
            DivisionRow.short_name,
            DivisionRow.level,
            Assignment.post_role,
            User,
        )
        .join(Assignment, Assignment.post_id == Post.id)
        .join(User, User.id == Assignment.user_id)
        .join(DivisionRow, DivisionRow.code == Post.division_code)
        .where(
            Assignment.valid_to.is_(None),
            User.disabled_at.is_(None),
            within_sql(Post.division_code, code),
        )
    ).all()
    above = {
        c
        for row in rows
        for c in (_township_code(row[0], row[3]), _county_code(row[0], row[3]))
        if c is not None
    }
    names = dict(
        session.execute(
            select(DivisionRow.code, DivisionRow.name).where(DivisionRow.code.in_(sorted(above)))
        ).all()
    )
    out = []
    for post_code, name, short, level, post_role, user in rows:
        county = _county_code(post_code, level)
        township = _township_code(post_code, level)
        out.append(
            (
                (county or "", township or "", post_code, post_role),
                {
                    "county": names.get(county or "", ""),
                    "township": names.get(township or "", ""),
                    "post_code": post_code,
                    "post_name": short or name,
                    "level": level,
                    "post_role": post_role,
                    "name": user.display_name,
                    "phone": user.phone,
                    "backup_phone": user.backup_phone,
                    "gender": user.gender,
                    "unit": user.unit,
                    "title": user.title,
                },
            )
        )
    out.sort(key=lambda pair: pair[0])
    return {"under": code, "contacts": [contact for _, contact in out]}


def actions(session: Session, caller: Caller, under: str | None, limit: int) -> dict[str, Any]:
    """Return ``AdminActions``: the latest admin log lines about accounts or places inside."""
    code = admin_under(caller, under)
    usernames = select(User.username).where(within_sql(User.jurisdiction_code, code))
    rows = session.scalars(
        select(AdminAction)
        .where(
            or_(
                AdminAction.target.in_(usernames),
                and_(func.length(AdminAction.target) == 12, within_sql(AdminAction.target, code)),
            )
        )
        .order_by(AdminAction.at.desc(), AdminAction.id.desc())
        .limit(limit)
    ).all()
    return {
        "under": code,
        "actions": [
            {
                "at": a.at,
                "actor": a.actor,
                "action": a.action,
                "target": a.target,
                "detail": _detail(a.detail),
            }
            for a in rows
        ],
    }


def _detail(text: str) -> dict[str, object]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}

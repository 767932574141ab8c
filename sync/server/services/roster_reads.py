"""Reading the roster: posts with holders, absences and who is on duty; a post's history; users.

Who is on duty comes from ``sync.contract.duty.on_duty_at`` over the post's holdings and its
A's absences (a disabled account is never on duty).  ``manageable`` says whether the caller
may change the post (``services.managers``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.contract.duty import Duty
from sync.server.errors import FORBIDDEN, NOT_FOUND, ApiError
from sync.server.jurisdiction import Caller, reach_sql, within_sql
from sync.server.models import (
    AbsenceRow,
    Assignment,
    DivisionRow,
    Handover,
    Post,
    User,
)
from sync.server.services.duty_inputs import duty_dict, load_duty
from sync.server.services.duty_payloads import absence_dicts, assignment_dicts, handover_dicts
from sync.server.services.managers import MANAGED_LEVEL, manages


def roster(
    session: Session, caller: Caller, under: str | None, now: datetime
) -> list[dict[str, Any]]:
    """Return the posts inside ``under`` (default: the reach) with holders and who is on duty."""
    posts = session.execute(
        select(Post, DivisionRow.short_name.label("name"))
        .join(DivisionRow, DivisionRow.code == Post.division_code)
        .where(reach_sql(caller, Post.division_code, under))
        .order_by(Post.division_code)
    ).all()
    unstaffed = _unstaffed(session, caller, under, {p.Post.division_code for p in posts})
    if not posts:
        return unstaffed
    ids = [p.Post.id for p in posts]
    holders: dict[int, list[dict[str, Any]]] = {}
    for a, user in session.execute(
        select(Assignment, User)
        .join(User, User.id == Assignment.user_id)
        .where(Assignment.post_id.in_(ids), Assignment.valid_to.is_(None))
        .order_by(Assignment.post_role)
    ).all():
        holders.setdefault(a.post_id, []).append(
            {
                "assignment_id": a.id,
                "post_role": a.post_role,
                "username": user.username,
                "display_name": user.display_name,
                "phone": user.phone,
                "valid_from": a.valid_from,
            }
        )
    duty = load_duty(session, [p.Post.division_code for p in posts], now=now)
    current: dict[str, list[str]] = {}
    for code, post_duty in duty.posts.items():
        current[code] = [
            a.absence_uuid
            for a in post_duty.absences
            if a.effective_end > now and a.effective_end > a.starts_at
        ]
    absences = absence_dicts(session, [u for uuids in current.values() for u in uuids])
    out = []
    for post, name in posts:
        post_duty = duty.posts[post.division_code]
        out.append(
            {
                "division_code": post.division_code,
                "division_name": name,
                "level": post.level,
                "holders": holders.get(post.id, []),
                "absences": [
                    absences[u] for u in current.get(post.division_code, []) if u in absences
                ],
                "on_duty": duty_dict(post_duty.on_duty(duty.people, now), duty.people),
                "manageable": manages(caller, post.division_code, post.level),
            }
        )
    return sorted(out + unstaffed, key=lambda p: p["division_code"])


def _unstaffed(
    session: Session, caller: Caller, under: str | None, staffed: set[str]
) -> list[dict[str, Any]]:
    """Return the divisions the caller manages that have no post yet (to staff them)."""
    levels = sorted(level.value for level in MANAGED_LEVEL.get(caller.role, frozenset()))
    if not levels:
        return []
    rows = session.execute(
        select(DivisionRow.code, DivisionRow.short_name.label("name"), DivisionRow.level)
        .where(DivisionRow.level.in_(levels), reach_sql(caller, DivisionRow.code, under))
        .order_by(DivisionRow.code)
    ).all()
    return [
        {
            "division_code": code,
            "division_name": name,
            "level": level,
            "holders": [],
            "absences": [],
            "on_duty": duty_dict(Duty(None, None), {}),
            "manageable": True,
        }
        for code, name, level in rows
        if code not in staffed
    ]


def post_history(session: Session, caller: Caller, post_code: str) -> dict[str, Any]:
    """Return every assignment, absence and handover of a post, oldest first (404 outside)."""
    if not caller.can_see(post_code):
        raise ApiError(NOT_FOUND)
    found = session.execute(
        select(Post, DivisionRow.short_name.label("name"))
        .join(DivisionRow, DivisionRow.code == Post.division_code)
        .where(Post.division_code == post_code)
    ).first()
    if found is None:
        raise ApiError(NOT_FOUND)
    post, name = found
    assignment_ids = list(
        session.scalars(
            select(Assignment.id)
            .where(Assignment.post_id == post.id)
            .order_by(Assignment.valid_from, Assignment.id)
        )
    )
    absence_ids = list(
        session.scalars(
            select(AbsenceRow.absence_uuid)
            .where(AbsenceRow.post_id == post.id)
            .order_by(AbsenceRow.starts_at, AbsenceRow.id)
        )
    )
    handover_ids = list(
        session.scalars(
            select(Handover.handover_uuid)
            .where(Handover.post_id == post.id)
            .order_by(Handover.created_at, Handover.id)
        )
    )
    assignments = assignment_dicts(session, assignment_ids)
    absences = absence_dicts(session, absence_ids)
    handovers = handover_dicts(session, handover_ids)
    return {
        "post_code": post.division_code,
        "post_name": name,
        "level": post.level,
        "manageable": manages(caller, post.division_code, post.level),
        "assignments": [assignments[i] for i in assignment_ids],
        "absences": [absences[u] for u in absence_ids],
        "handovers": [handovers[u] for u in handover_ids],
    }


def list_users(session: Session, caller: Caller, under: str | None) -> list[dict[str, Any]]:
    """Return the accounts inside ``under`` (default: the caller's jurisdiction), for managers.

    Raises:
        ApiError: 403 for a caller who manages no posts (a village informant).
    """
    if caller.role not in MANAGED_LEVEL:
        raise ApiError(
            FORBIDDEN,
            zh="只有管理岗位的人员可以查看账号列表",
            en="only those who manage posts may list accounts",
        )
    code = under or caller.jurisdiction_code
    users = session.scalars(
        select(User)
        .where(within_sql(User.jurisdiction_code, code))
        .order_by(User.jurisdiction_code, User.username)
    ).all()
    posts: dict[int, list[dict[str, str]]] = {}
    if users:
        for user_id, post_code, post_role in session.execute(
            select(Assignment.user_id, Post.division_code, Assignment.post_role)
            .join(Post, Post.id == Assignment.post_id)
            .where(Assignment.user_id.in_([u.id for u in users]), Assignment.valid_to.is_(None))
            .order_by(Post.division_code)
        ).all():
            posts.setdefault(user_id, []).append({"post_code": post_code, "post_role": post_role})
    return [
        {
            "username": u.username,
            "display_name": u.display_name,
            "role": u.role,
            "jurisdiction_code": u.jurisdiction_code,
            "phone": u.phone,
            "disabled": u.disabled_at is not None,
            "posts": posts.get(u.id, []),
        }
        for u in users
    ]

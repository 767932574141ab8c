"""Changing the A/B roster: assign (with replace), end an assignment, with handovers.

- Assigning the person who already holds that role is a no-op (``unchanged``): a repeated
  request after a lost answer changes nothing.
- When the role is held: 409 ``role_taken``, unless ``replace``; then the holder's assignment
  ends at the same instant the new one begins, and a handover old → new is recorded.
- One person cannot be both A and B of a post (409 ``holds_other_role``).
- Ending an assignment records a handover to whoever remains on the post, and ends the
  leaving person's absences there.

The post row is locked first, so concurrent changes of one post queue; the partial unique
indexes remain the last word (a lost race answers 409 ``role_taken``).  Every change logs
``roster`` (and ``handover``/``absence``) rows in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync.server.db import Database
from sync.server.errors import (
    ASSIGNEE_NOT_ELIGIBLE,
    HOLDS_OTHER_ROLE,
    NOT_FOUND,
    ROLE_TAKEN,
    ApiError,
)
from sync.server.jurisdiction import Caller
from sync.server.models import (
    AbsenceRow,
    Assignment,
    ChangeKind,
    HandoverKind,
    Post,
    PostRole,
    User,
)
from sync.server.services.accounts import ensure_post, log_roster_change
from sync.server.services.admin_log import record_action
from sync.server.services.change_log import log_changes
from sync.server.services.duty_payloads import assignment_dicts, handover_dicts
from sync.server.services.handovers import HandoverOf, record_handover
from sync.server.services.managers import find_assignee, require_manager, visible_division

MAX_REASON_CHARS = 2000


@dataclass(frozen=True)
class Placed:
    """What a roster change did: the assignment in force, the one ended, the handover."""

    assignment: Assignment
    ended: Assignment | None
    handover_uuid: str | None
    changed: bool


def lock_post(session: Session, post_id: int) -> None:
    """Lock the post's row until the transaction ends (PostgreSQL; SQLite locks anyway)."""
    session.execute(select(Post.id).where(Post.id == post_id).with_for_update())


def _active(session: Session, post_id: int) -> list[Assignment]:
    return list(
        session.scalars(
            select(Assignment).where(Assignment.post_id == post_id, Assignment.valid_to.is_(None))
        )
    )


def close_assignment(
    session: Session,
    post: Post,
    assignment: Assignment,
    reason: str,
    actor_id: int | None,
    now: datetime,
) -> None:
    """End an active assignment now, and the absences of its holder at the post."""
    assignment.valid_to = max(now, assignment.valid_from)
    assignment.ended_reason = reason
    assignment.ended_by = actor_id
    session.flush()
    log_roster_change(session, assignment, post, now)
    for absence in session.scalars(
        select(AbsenceRow).where(
            AbsenceRow.assignment_id == assignment.id,
            AbsenceRow.ended_at.is_(None),
            AbsenceRow.ends_at > now,
        )
    ):
        absence.ended_at = now
        log_changes(session, ChangeKind.ABSENCE, [post.division_code], absence.absence_uuid, now)
    session.flush()


def place_holder(
    session: Session,
    post: Post,
    user: User,
    post_role: PostRole,
    reason: str,
    replace: bool,
    actor_id: int | None,
    now: datetime,
) -> Placed:
    """Give ``user`` the role at ``post`` (no permission checks: the caller made them)."""
    lock_post(session, post.id)
    active = _active(session, post.id)
    mine = next((a for a in active if a.user_id == user.id), None)
    if mine is not None:
        if mine.post_role == post_role.value:
            return Placed(mine, None, None, changed=False)
        raise ApiError(HOLDS_OTHER_ROLE)
    holder = next((a for a in active if a.post_role == post_role.value), None)
    if holder is not None and not replace:
        name = session.scalar(select(User.username).where(User.id == holder.user_id))
        raise ApiError(ROLE_TAKEN, holder=name)
    if holder is not None:
        close_assignment(session, post, holder, reason, actor_id, now)
    assignment = Assignment(
        post_id=post.id,
        user_id=user.id,
        post_role=post_role.value,
        valid_from=now,
        valid_to=None,
        reason=reason,
        created_by=actor_id,
    )
    session.add(assignment)
    session.flush()
    log_roster_change(session, assignment, post, now)
    handover = None
    if holder is not None:
        handover = record_handover(
            session,
            post,
            HandoverOf(
                HandoverKind.ASSIGNMENT, holder.user_id, user.id, reason, assignment_id=holder.id
            ),
            actor_id,
            now,
        )
    return Placed(assignment, holder, handover, changed=True)


def remove_holder(
    session: Session,
    post: Post,
    assignment: Assignment,
    reason: str,
    actor_id: int | None,
    now: datetime,
) -> str | None:
    """End ``assignment``; hand the post to whoever remains; return the handover's uuid."""
    lock_post(session, post.id)
    close_assignment(session, post, assignment, reason, actor_id, now)
    remaining = next(iter(_active(session, post.id)), None)
    if remaining is None:
        return None
    return record_handover(
        session,
        post,
        HandoverOf(
            HandoverKind.ASSIGNMENT,
            assignment.user_id,
            remaining.user_id,
            reason,
            assignment_id=assignment.id,
        ),
        actor_id,
        now,
    )


@dataclass(frozen=True)
class RosterOutcome:
    """The answer of a roster change: ``accepted`` or ``unchanged``, and the records."""

    status: str
    assignment: dict[str, Any]
    ended: dict[str, Any] | None
    handover: dict[str, Any] | None


def _outcome(session: Session, placed: Placed) -> RosterOutcome:
    ids = [placed.assignment.id] + ([placed.ended.id] if placed.ended else [])
    records = assignment_dicts(session, ids)
    handovers = handover_dicts(session, [placed.handover_uuid] if placed.handover_uuid else [])
    return RosterOutcome(
        "accepted" if placed.changed else "unchanged",
        records[placed.assignment.id],
        records[placed.ended.id] if placed.ended else None,
        handovers.get(placed.handover_uuid or ""),
    )


def _reason(reason: str) -> str:
    return reason.strip()[:MAX_REASON_CHARS]


def assign_post(
    db: Database,
    caller: Caller,
    post_code: str,
    username: str,
    post_role: PostRole,
    reason: str,
    replace: bool,
    now: datetime,
) -> RosterOutcome:
    """Assign ``username`` as A or B of the post at ``post_code`` on behalf of its manager.

    Raises:
        ApiError: 404 outside the reach, 403 not the manager, 422 ``assignee_not_eligible``,
            409 ``role_taken`` or ``holds_other_role``.
    """
    try:
        with db.writing() as session:
            division = visible_division(session, caller, post_code)
            require_manager(caller, division.code, division.level)
            if division.retired_vintage is not None:
                raise ApiError(
                    ASSIGNEE_NOT_ELIGIBLE,
                    zh=f"区划代码 {division.code} 已在区划调整中撤销，不能再安排岗位",
                    en=f"the division code {division.code} was retired by a division update; "
                    "its post takes no new assignments",
                )
            user = find_assignee(session, caller, username, division.code, division.level)
            post = ensure_post(session, division.code, now)
            placed = place_holder(
                session, post, user, post_role, _reason(reason), replace, caller.user_id, now
            )
            if placed.changed:
                record_action(
                    session,
                    caller,
                    "roster.assign",
                    division.code,
                    now,
                    {"username": user.username, "post_role": post_role.value, "replace": replace},
                )
            return _outcome(session, placed)
    except IntegrityError:  # a concurrent assignment won the partial unique index
        raise ApiError(ROLE_TAKEN) from None


def end_post_assignment(
    db: Database, caller: Caller, assignment_id: int, reason: str, now: datetime
) -> RosterOutcome:
    """End an assignment on behalf of the post's manager; ending it again changes nothing.

    Raises:
        ApiError: 404 when absent or outside the reach, 403 when not the manager.
    """
    with db.writing() as session:
        found = session.execute(
            select(Assignment, Post)
            .join(Post, Post.id == Assignment.post_id)
            .where(Assignment.id == assignment_id)
        ).first()
        if found is None or not caller.can_see(found[1].division_code):
            raise ApiError(NOT_FOUND)
        assignment, post = found
        require_manager(caller, post.division_code, post.level)
        if assignment.valid_to is not None:
            return _outcome(session, Placed(assignment, None, None, changed=False))
        handover = remove_holder(session, post, assignment, _reason(reason), caller.user_id, now)
        holder = session.get(User, assignment.user_id)
        record_action(
            session,
            caller,
            "roster.end",
            post.division_code,
            now,
            {
                "username": holder.username if holder else "",
                "post_role": assignment.post_role,
            },
        )
        return _outcome(session, Placed(assignment, None, handover, changed=True))

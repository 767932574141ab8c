"""A post's A off duty for a period (leave, away, unreachable): B is on duty meanwhile.

The A may mark themselves; the post's manager may mark the A.  The request is idempotent by
``absence_uuid`` (made by the device): the same again answers ``duplicate``, other content
under the same id 409 ``id_reused``.  Checks: a reason, ``ends_at > starts_at``, at most
``MAX_DAYS`` days, a start at most ``MAX_PAST`` ago and an end still to come, no overlap with
another absence of the same A at the post (409 ``absence_overlaps``).  Every absence records
a handover A → B (B ``null`` when the post has none) with the open items.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync.contract.duty import AbsenceKind
from sync.server.db import Database
from sync.server.errors import (
    ABSENCE_OVERLAPS,
    BAD_PERIOD,
    FORBIDDEN,
    ID_REUSED,
    NO_A_ON_POST,
    NOT_FOUND,
    REASON_REQUIRED,
    ApiError,
)
from sync.server.jurisdiction import Caller
from sync.server.models import AbsenceRow, Assignment, ChangeKind, Handover, HandoverKind, Post
from sync.server.services.change_log import log_changes
from sync.server.services.duty_inputs import as_absence
from sync.server.services.duty_payloads import absence_dicts, handover_dicts
from sync.server.services.handovers import HandoverOf, record_handover
from sync.server.services.managers import manages, visible_division
from sync.server.services.roster_writes import lock_post

MAX_DAYS = 90
MAX_PAST = timedelta(days=1)
MAX_REASON_CHARS = 2000


@dataclass(frozen=True)
class AbsenceRequest:
    """A request to mark a post's A off duty."""

    absence_uuid: str
    post_code: str
    starts_at: datetime
    ends_at: datetime
    kind: AbsenceKind
    reason: str
    unsent_reports: list[Any] | None = None


@dataclass(frozen=True)
class AbsenceOutcome:
    """``accepted``, ``duplicate`` or ``unchanged``; the absence and its handover."""

    status: str
    absence: dict[str, Any]
    handover: dict[str, Any] | None


def _bad_period(zh: str, en: str) -> ApiError:
    return ApiError(BAD_PERIOD, zh=zh, en=en)


def check_request(req: AbsenceRequest) -> str:
    """Return the request's reason, stripped; raise 422 for a missing reason or bad period."""
    reason = req.reason.strip()
    if not reason or len(reason) > MAX_REASON_CHARS:
        raise ApiError(
            REASON_REQUIRED,
            zh="离岗必须说明原因（不超过 2000 字）",
            en="an absence needs a reason (at most 2000 characters)",
        )
    if req.ends_at <= req.starts_at:
        raise _bad_period("结束时间必须晚于开始时间", "the end must come after the start")
    if req.ends_at - req.starts_at > timedelta(days=MAX_DAYS):
        raise _bad_period(f"离岗最长 {MAX_DAYS} 天", f"an absence lasts at most {MAX_DAYS} days")
    return reason


def _outcome(session: Session, status: str, row: AbsenceRow) -> AbsenceOutcome:
    handover = session.scalar(
        select(Handover.handover_uuid)
        .where(Handover.absence_id == row.id)
        .order_by(Handover.id)
        .limit(1)
    )
    handovers = handover_dicts(session, [handover] if handover else [])
    return AbsenceOutcome(
        status,
        absence_dicts(session, [row.absence_uuid])[row.absence_uuid],
        handovers.get(handover or ""),
    )


def _may_mark(caller: Caller, a_user_id: int | None, post: Post) -> bool:
    return a_user_id == caller.user_id or manages(caller, post.division_code, post.level)


def _repeat(
    session: Session, caller: Caller, req: AbsenceRequest, reason: str
) -> AbsenceOutcome | None:
    found = session.execute(
        select(AbsenceRow, Post)
        .join(Post, Post.id == AbsenceRow.post_id)
        .where(AbsenceRow.absence_uuid == req.absence_uuid)
    ).first()
    if found is None:
        return None
    row, post = found
    if row.created_by != caller.user_id and not _may_mark(caller, row.user_id, post):
        raise ApiError(FORBIDDEN)
    same = (post.division_code, row.starts_at, row.ends_at, row.kind, row.reason) == (
        req.post_code,
        req.starts_at,
        req.ends_at,
        req.kind.value,
        reason,
    )
    if not same:
        raise ApiError(
            ID_REUSED,
            zh="此离岗编号已用于不同的内容，请用新的编号提交",
            en="this absence_uuid is already stored with different content; use a new id",
        )
    return _outcome(session, "duplicate", row)


def mark_absent(db: Database, caller: Caller, req: AbsenceRequest, now: datetime) -> AbsenceOutcome:
    """Record that the post's A is off duty from ``starts_at`` to ``ends_at``.

    Raises:
        ApiError: 404 outside the reach; 403 neither the A nor the manager; 409
            ``no_a_on_post``, ``absence_overlaps`` or ``id_reused``; 422 ``reason_required``
            or ``bad_period``.
    """
    reason = check_request(req)
    try:
        with db.writing() as session:
            division = visible_division(session, caller, req.post_code)
            repeat = _repeat(session, caller, req, reason)
            if repeat is not None:
                return repeat
            post = session.scalar(select(Post).where(Post.division_code == division.code))
            if post is None:
                raise ApiError(NO_A_ON_POST)
            lock_post(session, post.id)
            a = session.scalar(
                select(Assignment).where(
                    Assignment.post_id == post.id,
                    Assignment.post_role == "A",
                    Assignment.valid_to.is_(None),
                )
            )
            own = a is not None and a.user_id == caller.user_id
            if not _may_mark(caller, a.user_id if a else None, post):
                raise ApiError(
                    FORBIDDEN,
                    zh="只有该岗位的 A角本人或上级管理人员可以登记离岗",
                    en="only the post's A or its manager may mark A off duty",
                )
            if a is None:
                raise ApiError(NO_A_ON_POST)
            row = store_absence(
                session,
                post,
                a,
                req,
                reason,
                caller.user_id,
                now,
                req.unsent_reports if own else None,
            )
            return _outcome(session, "accepted", row)
    except IntegrityError:  # a concurrent twin stored the same absence_uuid first
        with db.read_session() as session:
            repeat = _repeat(session, caller, req, reason)
        if repeat is None:
            raise
        return repeat


def store_absence(
    session: Session,
    post: Post,
    a: Assignment,
    req: AbsenceRequest,
    reason: str,
    actor_id: int | None,
    now: datetime,
    unsent: list[Any] | None,
) -> AbsenceRow:
    """Check the period against ``now`` and A's other absences; store it with its handover.

    No permission checks: the caller (route or command line) made them.
    """
    _check_times(req, now)
    _check_overlap(session, post.id, a.user_id, req)
    row = AbsenceRow(
        absence_uuid=req.absence_uuid,
        post_id=post.id,
        assignment_id=a.id,
        user_id=a.user_id,
        starts_at=req.starts_at,
        ends_at=req.ends_at,
        kind=req.kind.value,
        reason=reason,
        created_by=actor_id,
        created_at=now,
    )
    session.add(row)
    session.flush()
    log_changes(session, ChangeKind.ABSENCE, [post.division_code], row.absence_uuid, now)
    b = session.scalar(
        select(Assignment.user_id).where(
            Assignment.post_id == post.id,
            Assignment.post_role == "B",
            Assignment.valid_to.is_(None),
        )
    )
    record_handover(
        session,
        post,
        HandoverOf(HandoverKind.ABSENCE, a.user_id, b, reason, absence_id=row.id),
        actor_id,
        now,
        unsent,
    )
    return row


def _check_times(req: AbsenceRequest, now: datetime) -> None:
    if req.starts_at < now - MAX_PAST:
        raise _bad_period(
            "开始时间最多可以早于现在 1 天", "the start may lie at most one day in the past"
        )
    if req.ends_at <= now:
        raise _bad_period("这段离岗已经结束", "this period is already over")


def _check_overlap(session: Session, post_id: int, user_id: int, req: AbsenceRequest) -> None:
    rows = session.scalars(
        select(AbsenceRow).where(
            AbsenceRow.post_id == post_id,
            AbsenceRow.user_id == user_id,
            AbsenceRow.starts_at < req.ends_at,
            AbsenceRow.ends_at > req.starts_at,
        )
    )
    for row in rows:
        period = as_absence(row, "")
        if period.effective_end > max(row.starts_at, req.starts_at):
            raise ApiError(
                ABSENCE_OVERLAPS,
                absence_uuid=row.absence_uuid,
                starts_at=row.starts_at.isoformat(),
                ends_at=period.effective_end.isoformat(),
            )


def end_absence(db: Database, caller: Caller, absence_uuid: str, now: datetime) -> AbsenceOutcome:
    """A is back: end the absence now (``unchanged`` when it already ended).

    Raises:
        ApiError: 404 when absent or outside the reach; 403 neither that A nor the manager.
    """
    with db.writing() as session:
        found = session.execute(
            select(AbsenceRow, Post)
            .join(Post, Post.id == AbsenceRow.post_id)
            .where(AbsenceRow.absence_uuid == absence_uuid)
        ).first()
        if found is None or not caller.can_see(found[1].division_code):
            raise ApiError(NOT_FOUND)
        row, post = found
        if not _may_mark(caller, row.user_id, post):
            raise ApiError(
                FORBIDDEN,
                zh="只有离岗的 A角本人或上级管理人员可以结束离岗",
                en="only the absent A or the post's manager may end the absence",
            )
        if row.ended_at is not None or as_absence(row, "").effective_end <= now:
            return _outcome(session, "unchanged", row)
        row.ended_at = now
        session.flush()
        log_changes(session, ChangeKind.ABSENCE, [post.division_code], absence_uuid, now)
        return _outcome(session, "accepted", row)

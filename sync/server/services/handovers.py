"""Handovers: a post passed from one person to another, with what was open, and the sign-off.

A handover is recorded when an assignment is replaced or ended while someone remains to take
over (``assignment``), and on every absence of A (``absence``: A → B, or to nobody).  Its open
items are what the server knows then:

- ``returned_reports``: the post's village reports whose current version was returned;
- ``open_events``: the events opened for the post's village (or, for a township post, by the
  township) and not closed;
- ``unsent_reports``: what the marking device knows of its own queue (A marking themselves
  off duty), else ``null``.

The manager of the post signs a handover off (idempotent: a second sign-off changes nothing).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.contract import DivisionLevel
from sync.server.db import Database
from sync.server.errors import NOT_FOUND, ApiError
from sync.server.jurisdiction import Caller
from sync.server.models import (
    ChangeKind,
    EventOpening,
    EventOpeningVillage,
    Handover,
    HandoverKind,
    Post,
    Report,
    ReportVersion,
    ReviewStatus,
)
from sync.server.services.change_log import log_changes
from sync.server.services.duty_payloads import handover_dicts
from sync.server.services.managers import require_manager

MAX_NOTE_CHARS = 2000


def open_items(session: Session, post: Post, unsent: list[Any] | None) -> dict[str, Any]:
    """Return what is open at the post now (see the module docstring)."""
    returned = []
    for report_uuid, version_uuid, stage, content_json in session.execute(
        select(
            Report.report_uuid,
            ReportVersion.version_uuid,
            ReportVersion.stage,
            ReportVersion.content_json,
        )
        .join(ReportVersion, ReportVersion.version_uuid == Report.current_version_uuid)
        .where(
            Report.village_code == post.division_code,
            ReportVersion.review_status == ReviewStatus.RETURNED.value,
        )
        .order_by(Report.report_uuid)
    ).all():
        name = json.loads(content_json).get("event_name", "")
        returned.append(
            {
                "report_uuid": report_uuid,
                "version_uuid": version_uuid,
                "event_name": name,
                "stage": stage,
            }
        )
    if post.level == DivisionLevel.TOWNSHIP.value:
        events = select(EventOpening.event_uuid, EventOpening.event_name).where(
            EventOpening.township_code == post.division_code
        )
    else:
        events = (
            select(EventOpening.event_uuid, EventOpening.event_name)
            .join(EventOpeningVillage, EventOpeningVillage.opening_id == EventOpening.id)
            .where(EventOpeningVillage.village_code == post.division_code)
        )
    opened = [
        {"event_uuid": e, "event_name": n}
        for e, n in session.execute(
            events.where(EventOpening.closed_at.is_(None)).order_by(EventOpening.opened_at)
        )
    ]
    return {"unsent_reports": unsent, "returned_reports": returned, "open_events": opened}


@dataclass(frozen=True)
class HandoverOf:
    """Who hands the post to whom, and why."""

    kind: HandoverKind
    from_user_id: int
    to_user_id: int | None
    reason: str
    absence_id: int | None = None
    assignment_id: int | None = None


def record_handover(
    session: Session,
    post: Post,
    what: HandoverOf,
    actor_id: int | None,
    now: datetime,
    unsent: list[Any] | None = None,
) -> str:
    """Store a handover with the open items now, announce it, and return its uuid."""
    row = Handover(
        handover_uuid=str(uuid.uuid4()),
        post_id=post.id,
        kind=what.kind.value,
        from_user_id=what.from_user_id,
        to_user_id=what.to_user_id,
        reason=what.reason,
        open_items_json=json.dumps(open_items(session, post, unsent), ensure_ascii=False),
        created_at=now,
        created_by=actor_id,
        absence_id=what.absence_id,
        assignment_id=what.assignment_id,
    )
    session.add(row)
    session.flush()
    log_changes(session, ChangeKind.HANDOVER, [post.division_code], row.handover_uuid, now)
    return row.handover_uuid


@dataclass(frozen=True)
class SignedOff:
    """The outcome of a sign-off: ``accepted`` or ``duplicate``, and the handover."""

    status: str
    handover: dict[str, Any]


def sign_off(
    db: Database, caller: Caller, handover_uuid: str, note: str, now: datetime
) -> SignedOff:
    """Sign a handover off as the post's manager; a repeat answers ``duplicate``.

    Raises:
        ApiError: 404 when absent or outside the caller's reach, 403 when not the manager.
    """
    with db.writing() as session:
        found = session.execute(
            select(Handover, Post)
            .join(Post, Post.id == Handover.post_id)
            .where(Handover.handover_uuid == handover_uuid)
            .with_for_update(of=Handover)
        ).first()
        if found is None or not caller.can_see(found[1].division_code):
            raise ApiError(NOT_FOUND)
        handover, post = found
        require_manager(caller, post.division_code, post.level)
        status = "duplicate"
        if handover.signed_off_at is None:
            handover.signed_off_at = now
            handover.signed_off_by = caller.user_id
            handover.sign_off_note = note.strip()[:MAX_NOTE_CHARS]
            session.flush()
            log_changes(session, ChangeKind.HANDOVER, [post.division_code], handover_uuid, now)
            status = "accepted"
        return SignedOff(status, handover_dicts(session, [handover_uuid])[handover_uuid])

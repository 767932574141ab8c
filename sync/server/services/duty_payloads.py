"""The JSON form of assignments, absences, handovers and event openings (docs/duty.md).

The same dicts are the change feed's payloads (``roster``, ``absence``, ``handover``,
``event_opening``), the answers of the writing routes and the rows of a post's history, so a
device sees one shape wherever it meets a record.  Each function reads many records in one
query.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from sync.contract.duty import DeadlineSettings
from sync.server.models import (
    AbsenceRow,
    Assignment,
    Event,
    EventOpening,
    EventOpeningVillage,
    Handover,
    Post,
    User,
)

_CHUNK = 500


def _chunks(ids: Iterable[Any]) -> list[list[Any]]:
    items = sorted(set(ids))
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]


def assignment_dicts(session: Session, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Return assignments by id: post, role, holder, period, why and by whom."""
    creator, ender = aliased(User), aliased(User)
    out: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        for a, post, user, made, ended in session.execute(
            select(Assignment, Post, User, creator, ender)
            .join(Post, Post.id == Assignment.post_id)
            .join(User, User.id == Assignment.user_id)
            .join(creator, creator.id == Assignment.created_by, isouter=True)
            .join(ender, ender.id == Assignment.ended_by, isouter=True)
            .where(Assignment.id.in_(chunk))
        ).all():
            out[a.id] = {
                "assignment_id": a.id,
                "post_code": post.division_code,
                "post_level": post.level,
                "post_role": a.post_role,
                "username": user.username,
                "display_name": user.display_name,
                "valid_from": a.valid_from,
                "valid_to": a.valid_to,
                "reason": a.reason or "",
                "ended_reason": a.ended_reason or "",
                "created_by": made.username if made else None,
                "created_by_name": made.display_name if made else None,
                "ended_by": ended.username if ended else None,
                "ended_by_name": ended.display_name if ended else None,
            }
    return out


def absence_dicts(session: Session, uuids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Return absences by ``absence_uuid``: whose, when, why, and who marked it."""
    creator = aliased(User)
    out: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(uuids):
        for a, post_code, user, made in session.execute(
            select(AbsenceRow, Post.division_code, User, creator)
            .join(Post, Post.id == AbsenceRow.post_id)
            .join(User, User.id == AbsenceRow.user_id)
            .join(creator, creator.id == AbsenceRow.created_by, isouter=True)
            .where(AbsenceRow.absence_uuid.in_(chunk))
        ).all():
            out[a.absence_uuid] = {
                "absence_uuid": a.absence_uuid,
                "post_code": post_code,
                "username": user.username,
                "display_name": user.display_name,
                "starts_at": a.starts_at,
                "ends_at": a.ends_at,
                "ended_at": a.ended_at,
                "kind": a.kind,
                "reason": a.reason,
                "created_by": made.username if made else None,
                "created_by_name": made.display_name if made else None,
                "created_at": a.created_at,
            }
    return out


def handover_dicts(session: Session, uuids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Return handovers by ``handover_uuid``: from whom to whom, what was open, the sign-off."""
    giver, taker, creator, signer = (aliased(User) for _ in range(4))
    out: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(uuids):
        for h, post_code, frm, to, made, signed in session.execute(
            select(Handover, Post.division_code, giver, taker, creator, signer)
            .join(Post, Post.id == Handover.post_id)
            .join(giver, giver.id == Handover.from_user_id)
            .join(taker, taker.id == Handover.to_user_id, isouter=True)
            .join(creator, creator.id == Handover.created_by, isouter=True)
            .join(signer, signer.id == Handover.signed_off_by, isouter=True)
            .where(Handover.handover_uuid.in_(chunk))
        ).all():
            out[h.handover_uuid] = {
                "handover_uuid": h.handover_uuid,
                "post_code": post_code,
                "kind": h.kind,
                "from_username": frm.username,
                "from_name": frm.display_name,
                "to_username": to.username if to else None,
                "to_name": to.display_name if to else None,
                "reason": h.reason,
                "open_items": json.loads(h.open_items_json),
                "created_at": h.created_at,
                "created_by": made.username if made else None,
                "signed_off_by": signed.username if signed else None,
                "signed_off_name": signed.display_name if signed else None,
                "signed_off_at": h.signed_off_at,
                "sign_off_note": h.sign_off_note or "",
            }
    return out


def opening_dicts(session: Session, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Return event openings by id, with their villages and deadline settings.

    ``occurred_at`` is the event's occurrence in the registry (``events``), else the one the
    township gave when opening it: the villages' deadlines count from it (docs/duty.md).
    """
    out: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        for o, opener, occurred in session.execute(
            select(EventOpening, User, Event.occurred_at)
            .join(User, User.id == EventOpening.opened_by, isouter=True)
            .join(Event, Event.event_uuid == EventOpening.event_uuid, isouter=True)
            .where(EventOpening.id.in_(chunk))
        ).all():
            out[o.id] = {
                "event_uuid": o.event_uuid,
                "township_code": o.township_code,
                "event_name": o.event_name,
                "disaster_type": o.disaster_type,
                "occurred_at": occurred or o.occurred_at,
                "opened_at": o.opened_at,
                "closed_at": o.closed_at,
                "village_codes": [],
                "villages": [],
                "deadlines": DeadlineSettings.from_wire(json.loads(o.deadlines_json)).to_wire(),
                "opened_by_name": opener.display_name if opener else None,
            }
        for v in session.scalars(
            select(EventOpeningVillage)
            .where(EventOpeningVillage.opening_id.in_(chunk))
            .order_by(EventOpeningVillage.village_code)
        ):
            if v.opening_id in out:
                out[v.opening_id]["village_codes"].append(v.village_code)
                out[v.opening_id]["villages"].append(
                    {"village_code": v.village_code, "opened_at": v.opened_at}
                )
    return out

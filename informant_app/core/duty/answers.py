"""Applying the server's duty answers to the local caches at once (no waiting for a sync round).

Each function takes a typed answer of docs/duty.md (``sync.contract.wire.duty``) in the
caller's transaction.  An item the store cannot keep is skipped with a log line (its savepoint
rolled back): the server has done the work, and the change feed brings the same facts again
at the next round.  The store's upserts take the wire's JSON objects, so each record crosses
that boundary through ``as_object``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from functools import partial
from typing import Any

import msgspec
from sqlalchemy.orm import Session

from informant_app.core.store.duty import (
    end_missing_holders,
    upsert_absence,
    upsert_assignment,
    upsert_handover,
    upsert_opening,
)
from sync.contract.wire.base import as_object, wire_text
from sync.contract.wire.duty import Duty, DutyEvent, DutyVillage, PostHistory, Roster

log = logging.getLogger(__name__)

MALFORMED = (KeyError, TypeError, ValueError)


def server_time(payload: Any, fallback: datetime) -> datetime:
    """Return an answer's ``server_time`` in UTC (``fallback`` when it has none)."""
    value = getattr(payload, "server_time", None)
    return value.astimezone(UTC) if isinstance(value, datetime) else fallback


def records(value: object) -> list[dict[str, Any]]:
    """Return the JSON objects of a record, a list of records, or nothing.

    A record is a wire message (``msgspec.Struct``) or a JSON object already.
    """
    items = value if isinstance(value, list | tuple) else [value]
    out: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, msgspec.Struct):
            out.append(as_object(item))
        elif isinstance(item, Mapping):
            out.append(dict(item))
    return out


def keep(s: Session, what: str, apply: Callable[[], object]) -> bool:
    """Run ``apply`` in a savepoint; on a malformed item log it and go on."""
    try:
        with s.begin_nested():
            apply()
    except MALFORMED:
        log.warning("%s of the server's answer not kept", what, exc_info=True)
        return False
    return True


def apply_roster(s: Session, payload: Roster, now: datetime) -> None:
    """Keep a ``GET /roster`` answer: holders, their absences; unlisted holders have ended."""
    at = server_time(payload, now)
    for post in payload.posts:
        code = post.division_code
        for holder in post.holders:
            keep(
                s,
                "holder",
                partial(
                    upsert_assignment,
                    s,
                    {**as_object(holder), "valid_to": None},
                    post_code=code,
                    level=post.level,
                ),
            )
        kept = [h.assignment_id for h in post.holders]  # every holder named: the others ended
        keep(s, "ended holders", partial(end_missing_holders, s, code, kept, at))
        apply_absences(s, post.absences, now, code)


def apply_absences(s: Session, value: object, now: datetime, post_code: str | None = None) -> None:
    """Keep the absences of an answer (one, a list, or none)."""
    for data in records(value):
        keep(
            s, "absence", partial(upsert_absence, s, data, now, data.get("post_code") or post_code)
        )


def apply_handovers(s: Session, value: object, now: datetime, post_code: str | None = None) -> None:
    """Keep the handovers of an answer (one, a list, or none)."""
    for data in records(value):
        keep(
            s,
            "handover",
            partial(upsert_handover, s, data, now, data.get("post_code") or post_code),
        )


def apply_assignments(s: Session, value: object, post_code: str | None = None) -> None:
    """Keep the assignments of an answer (``valid_to`` set when ended)."""
    for data in records(value):
        keep(
            s,
            "assignment",
            partial(upsert_assignment, s, data, post_code=data.get("post_code") or post_code),
        )


def apply_history(s: Session, payload: PostHistory, post_code: str, now: datetime) -> None:
    """Keep a ``GET /roster/history`` answer: assignments, absences, handovers of one post."""
    apply_assignments(s, payload.assignments, post_code)
    apply_absences(s, payload.absences, now, post_code)
    apply_handovers(s, payload.handovers, now, post_code)


def _filed(villages: Iterable[DutyVillage]) -> dict[str, list[list[str]]]:
    """Return each village's filed windows as ``[stage, filed_at]`` pairs."""
    return {
        v.village_code: [
            [w.stage, wire_text(w.filed_at)] for w in v.windows if w.filed_at is not None
        ]
        for v in villages
    }


def apply_duty_event(s: Session, event: DutyEvent, now: datetime) -> None:
    """Keep one open event of a ``GET /duty`` answer: its villages, windows and filings."""
    data = {**as_object(event), "village_codes": [v.village_code for v in event.villages]}
    upsert_opening(s, data, now, filed=_filed(event.villages))


def apply_duty(s: Session, payload: Duty, now: datetime) -> None:
    """Keep a ``GET /duty`` answer's open events."""
    for event in payload.events:
        keep(s, "open event", partial(apply_duty_event, s, event, now))

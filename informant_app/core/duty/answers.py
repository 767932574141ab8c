"""Applying the server's duty answers to the local caches at once (no waiting for a sync round).

Each function takes an answer of docs/duty.md in the caller's transaction.  An item that does
not fit is skipped with a log line (its savepoint rolled back): the server has done the work,
and the change feed brings the same facts again at the next round.  Where an answer leaves a
field out, the request's own values (``defaults``) stand in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from informant_app.core.store.duty import (
    end_missing_holders,
    upsert_absence,
    upsert_assignment,
    upsert_handover,
    upsert_opening,
    wire_time,
)
from sync.client.api import parse_server_time

log = logging.getLogger(__name__)

MALFORMED = (KeyError, TypeError, ValueError)


def server_time(payload: Mapping[str, Any], fallback: datetime) -> datetime:
    """Return the answer's ``server_time`` (``fallback`` when it has none)."""
    try:
        return parse_server_time(payload.get("server_time"))
    except ValueError:
        return fallback


def record(payload: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    """Return the record an answer names under one of ``keys``, or the answer itself."""
    for key in keys:
        inner = payload.get(key)
        if isinstance(inner, dict):
            return inner
    return dict(payload)


def records(value: object) -> list[dict[str, Any]]:
    """Return the records of a value that is one object, a list of them, or nothing."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return []


def keep(s: Session, what: str, apply: Callable[[], object]) -> bool:
    """Run ``apply`` in a savepoint; on a malformed item log it and go on."""
    try:
        with s.begin_nested():
            apply()
    except MALFORMED:
        log.warning("%s of the server's answer not kept", what, exc_info=True)
        return False
    return True


def apply_roster(s: Session, payload: Mapping[str, Any], now: datetime) -> None:
    """Keep a ``GET /roster`` answer: holders, their absences; unlisted holders have ended."""
    at = server_time(payload, now)
    for post in records(payload.get("posts")):
        code = post.get("post_code", post.get("division_code"))
        if not isinstance(code, str):
            continue
        level = post.get("level") if isinstance(post.get("level"), str) else None
        holders = records(post.get("holders"))
        kept = [h["assignment_id"] for h in holders if isinstance(h.get("assignment_id"), int)]
        for h in holders:
            if "assignment_id" in h:
                keep(
                    s,
                    "holder",
                    partial(
                        upsert_assignment, s, {**h, "valid_to": None}, post_code=code, level=level
                    ),
                )
        if len(kept) == len(holders):  # every holder named: the others have ended
            keep(s, "ended holders", partial(end_missing_holders, s, code, kept, at))
        apply_absences(s, post.get("absences"), now, code)


def apply_absences(
    s: Session,
    value: object,
    now: datetime,
    post_code: str | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> None:
    """Keep the absences of an answer."""
    for item in records(value):
        data = {**(defaults or {}), **item}
        keep(
            s, "absence", partial(upsert_absence, s, data, now, data.get("post_code") or post_code)
        )


def apply_handovers(s: Session, value: object, now: datetime, post_code: str | None = None) -> None:
    """Keep the handovers of an answer."""
    for item in records(value):
        keep(
            s,
            "handover",
            partial(upsert_handover, s, item, now, item.get("post_code") or post_code),
        )


def apply_assignments(
    s: Session,
    value: object,
    post_code: str | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> None:
    """Keep the assignments of an answer (``valid_to`` set when ended)."""
    for item in records(value):
        data = {**(defaults or {}), **item}
        keep(
            s,
            "assignment",
            partial(upsert_assignment, s, data, post_code=data.get("post_code") or post_code),
        )


def apply_history(s: Session, payload: Mapping[str, Any], post_code: str, now: datetime) -> None:
    """Keep a ``GET /roster/history`` answer: assignments, absences, handovers of one post."""
    apply_assignments(s, payload.get("assignments"), post_code)
    apply_absences(s, payload.get("absences"), now, post_code)
    apply_handovers(s, payload.get("handovers"), now, post_code)


def _filed(villages: Iterable[dict[str, Any]]) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for v in villages:
        items = []
        for w in records(v.get("windows")):
            if isinstance(w.get("stage"), str) and isinstance(w.get("filed_at"), str):
                wire_time(w["filed_at"])
                items.append([w["stage"], w["filed_at"]])
        out[str(v["village_code"])] = items
    return out


def apply_duty_event(
    s: Session, event: Mapping[str, Any], deadlines: object, now: datetime
) -> None:
    """Keep one open event of a ``GET /duty`` answer: its villages, windows and filings."""
    villages = records(event.get("villages"))
    codes = [str(v["village_code"]) for v in villages]
    township = event.get("township_code") or (codes[0][:9] + "000" if codes else None)
    data = {
        **event,
        "township_code": township,
        "village_codes": codes,
        "deadlines": event.get("deadlines") or deadlines,
    }
    upsert_opening(s, data, now, filed=_filed(villages))


def apply_duty(s: Session, payload: Mapping[str, Any], now: datetime) -> None:
    """Keep a ``GET /duty`` answer's open events."""
    for event in records(payload.get("events")):
        keep(s, "open event", partial(apply_duty_event, s, event, payload.get("deadlines"), now))

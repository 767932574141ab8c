"""A report's history: every change of its state, with who, A/B role, device and server time.

Three sources are merged.  The server's history (``GET /reports/{uuid}/history``, fetched when
the server answers quickly and kept for offline reading) is the authority for what reached
the server.  What the change feed brought (``server_versions``, ``review_decisions``) fills in
what a kept copy lacks, or everything when there is no copy.  Both are in server order.  Then
come the acts known only on this device, by device time: versions frozen here but not yet on
the server, versions the server refused, decisions not yet sent or refused.

Asking the server (``request_history``, on the GUI's ``network`` lane: it writes nothing) and
keeping its answer with the merge (``save_history``, on the ``db`` lane, the GUI's one writer)
are two steps; ``history`` does both.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from informant_app.core.account.online import (
    QUICK_TIMEOUTS,
    call,
    last_round_offline,
    load_cache,
    save_cache,
    signed_in_account,
)
from informant_app.core.review.types import (
    HistoryEntry,
    ReviewRefusedError,
    ReviewUnavailableError,
)
from informant_app.core.store.duty import parse_filing_role
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.review_history import (
    KnownHistory,
    optional_server_time,
    read_history,
)
from sync.contract.wire.base import as_object

log = logging.getLogger(__name__)

#: Sorts an entry without a time last.
LATEST = datetime.max.replace(tzinfo=UTC)
VERSION_EVENTS = frozenset({"received", "resubmitted", "conflict"})


def history_key(report_uuid: str) -> str:
    """Return the cache key of a report's server history."""
    return f"history|{report_uuid}"


@dataclass(frozen=True)
class HistoryAnswer:
    """The server's history of a report as requested (``payload`` ``None``: none came)."""

    report_uuid: str
    payload: dict[str, Any] | None = None


def request_history(store: ReportStore, report_uuid: str, fetch: bool = True) -> HistoryAnswer:
    """Ask the server for the report's history when it answers quickly (writes nothing)."""
    if fetch and signed_in_account(store) is not None and not last_round_offline(store):
        try:
            payload = as_object(  # the same JSON object as the cached copy
                call(store, lambda c, _a: c.report_history(report_uuid), QUICK_TIMEOUTS, retries=0)
            )
        except (ReviewUnavailableError, ReviewRefusedError) as exc:
            log.info("history of %s read without the server: %s", report_uuid, exc.en)
        else:
            return HistoryAnswer(report_uuid, payload)
    return HistoryAnswer(report_uuid)


def _server_history(store: ReportStore, answer: HistoryAnswer) -> dict[str, Any] | None:
    if answer.payload is not None:
        save_cache(store, history_key(answer.report_uuid), "history", answer.payload)
        return answer.payload
    cached = load_cache(store, history_key(answer.report_uuid))
    return cached.payload if cached is not None else None


def _name(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _skew(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _provenance(e: dict[str, Any]) -> dict[str, Any]:
    """Return the sign-in path and the filing-time correction of one server event.

    Older servers send neither: a password sign-in and an uncorrected time.
    """
    setup_code = e.get("signin") == "setup_code"
    flag = _name(e.get("time_flag"))
    return {
        "signin": "setup_code" if setup_code else "password",
        "provisioned_by": _name(e.get("provisioned_by")) if setup_code else None,
        "provisioned_by_name": _name(e.get("provisioned_by_name")) if setup_code else None,
        "replaced_devices": bool(e.get("replaced_devices")) if setup_code else False,
        "time_flag": flag,
        "corrected_time": optional_server_time(e.get("submitted_at")) if flag else None,
        "clock_skew_seconds": _skew(e.get("clock_skew_seconds")) if flag else None,
    }


def _from_server(payload: dict[str, Any], known: KnownHistory) -> None:
    for e in payload.get("events") or []:
        kind = str(e["kind"])
        decision = e.get("decision_uuid")
        detail = str(e.get("reason") or e.get("code") or "")
        known.entries.append(
            (
                HistoryEntry(
                    event=kind,
                    version_no=int(e.get("version_no") or 0),
                    who=str(e.get("by_name") or e.get("by") or ""),
                    role=e.get("post_role"),
                    device_time=optional_server_time(e.get("device_time")),
                    server_time=optional_server_time(e.get("server_time")),
                    detail=detail,
                    version_uuid=str(e["version_uuid"]),
                    field_comments=dict(e.get("field_comments") or {}),
                    device_id=e.get("device_id"),
                    from_server=True,
                    filing_role=parse_filing_role(e.get("filing_role")),
                    acting_for_name=_name(e.get("acting_for_name")),
                    username=str(e.get("by") or ""),
                    **_provenance(e),
                ),
                1 if decision else 0,
            )
        )
        if decision:
            known.decisions.add(str(decision))
        elif kind in VERSION_EVENTS:
            known.versions.add(str(e["version_uuid"]))


def history(store: ReportStore, report_uuid: str, fetch: bool = True) -> list[HistoryEntry]:
    """Return every state change of the report, in server order where known."""
    return save_history(store, request_history(store, report_uuid, fetch))


def kept_history(store: ReportStore, report_uuid: str) -> list[HistoryEntry]:
    """Return the history from the server's copy kept here and this device (no request).

    Writes nothing: fit for the detail view, which asks the server afterwards.
    """
    return save_history(store, HistoryAnswer(report_uuid))


def save_history(store: ReportStore, answer: HistoryAnswer) -> list[HistoryEntry]:
    """Keep the server's history (``request_history``), if one came; return the merged history.

    Without one, the kept copy stands in.
    """
    report_uuid = answer.report_uuid
    payload = _server_history(store, answer)
    known = KnownHistory()
    if payload is not None:
        _from_server(payload, known)
    extra, numbers = read_history(store, report_uuid, known)
    ordered = sorted(
        enumerate(known.entries), key=lambda p: (p[1][0].server_time or LATEST, p[1][1], p[0])
    )
    merged = [entry for _i, (entry, _rank) in ordered]
    extra = [
        e if e.version_no else replace(e, version_no=numbers.get(e.version_uuid, 0)) for e in extra
    ]
    extra.sort(key=lambda e: e.device_time or LATEST)
    return merged + extra

"""A report's history: every change of its state, with who, A/B role, device and server time.

Three sources are merged.  The server's history (``GET /reports/{uuid}/history``, fetched when
the server answers quickly and kept for offline reading) is the authority for what reached
the server.  What the change feed brought (``server_versions``, ``review_decisions``) fills in
what a kept copy lacks, or everything when there is no copy.  Both are in server order.  Then
come the acts known only on this device, by device time: versions frozen here but not yet on
the server, versions the server refused, decisions not yet sent or refused.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from informant_app.core.review.online import (
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
    ReviewStatus,
    ReviewUnavailableError,
)
from informant_app.core.store.duty import parse_filing_role
from informant_app.core.store.models import (
    DecisionRow,
    ReportVersionRow,
    ServerVersionRow,
    StateChangeRow,
    VersionReviewRow,
    VersionSyncRow,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.review import display_names, post_roles
from informant_app.core.store.types import ReportState
from sync.client.api import parse_server_time

log = logging.getLogger(__name__)

#: Sorts an entry without a time last.
LATEST = datetime.max.replace(tzinfo=UTC)
VERSION_EVENTS = frozenset({"received", "resubmitted", "conflict"})
DECIDED = (ReviewStatus.RETURNED.value, ReviewStatus.APPROVED.value)


@dataclass
class _Known:
    """Entries in server order, and which versions and decisions they cover."""

    entries: list[tuple[HistoryEntry, int]] = field(default_factory=list)  # (entry, rank)
    versions: set[str] = field(default_factory=set)
    decisions: set[str] = field(default_factory=set)


def history_key(report_uuid: str) -> str:
    """Return the cache key of a report's server history."""
    return f"history|{report_uuid}"


def _server_history(store: ReportStore, report_uuid: str, fetch: bool) -> dict[str, Any] | None:
    if fetch and signed_in_account(store) is not None and not last_round_offline(store):
        try:
            payload = call(
                store, lambda c, _a: c.report_history(report_uuid), QUICK_TIMEOUTS, retries=0
            )
        except (ReviewUnavailableError, ReviewRefusedError) as exc:
            log.info("history of %s read without the server: %s", report_uuid, exc.en)
        else:
            save_cache(store, history_key(report_uuid), "history", payload)
            return payload
    cached = load_cache(store, history_key(report_uuid))
    return cached.payload if cached is not None else None


def _optional_time(value: object) -> datetime | None:
    try:
        return parse_server_time(value) if value else None
    except ValueError:
        return None


def _name(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _from_server(payload: dict[str, Any], known: _Known) -> None:
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
                    device_time=_optional_time(e.get("device_time")),
                    server_time=_optional_time(e.get("server_time")),
                    detail=detail,
                    version_uuid=str(e["version_uuid"]),
                    field_comments=dict(e.get("field_comments") or {}),
                    device_id=e.get("device_id"),
                    from_server=True,
                    filing_role=parse_filing_role(e.get("filing_role")),
                    acting_for_name=_name(e.get("acting_for_name")),
                ),
                1 if decision else 0,
            )
        )
        if decision:
            known.decisions.add(str(decision))
        elif kind in VERSION_EVENTS:
            known.versions.add(str(e["version_uuid"]))


def _from_feed(s: Session, report_uuid: str, known: _Known) -> None:
    versions = s.scalars(
        select(ServerVersionRow)
        .where(ServerVersionRow.report_uuid == report_uuid)
        .order_by(ServerVersionRow.seq)
    ).all()
    fresh = [v for v in versions if v.version_uuid not in known.versions]
    # The server's name and A/B role of the filer; the cached roster only for older servers.
    names = display_names(s, (v.submitted_by for v in fresh if not v.submitted_by_name))
    roles = post_roles(
        s,
        ((v.submitted_by, v.village_code, v.server_received_at) for v in fresh if not v.post_role),
    )
    for v in fresh:
        parent_status = s.scalar(
            select(VersionReviewRow.status).where(
                VersionReviewRow.version_uuid == (v.parent_version_uuid or "")
            )
        )
        kind = (
            "conflict"
            if v.status == "conflict"
            else "resubmitted"
            if parent_status in DECIDED
            else "received"
        )
        submitted = json.loads(v.content).get("submitted_at")
        known.entries.append(
            (
                HistoryEntry(
                    event=kind,
                    version_no=v.version_no,
                    who=v.submitted_by_name or names.get(v.submitted_by, v.submitted_by),
                    role=v.post_role
                    or roles.get((v.submitted_by, v.village_code, v.server_received_at)),
                    device_time=_optional_time(submitted),
                    server_time=v.server_received_at,
                    version_uuid=v.version_uuid,
                    filing_role=parse_filing_role(v.filing_role),
                    acting_for_name=v.acting_for_name,
                ),
                0,
            )
        )
        known.versions.add(v.version_uuid)
    numbers = {v.version_uuid: v.version_no for v in versions}
    decisions = s.scalars(
        select(DecisionRow)
        .where(
            DecisionRow.report_uuid == report_uuid,
            DecisionRow.received_at.is_not(None),
            DecisionRow.sync_state.in_(("sent", "conflict")),
        )
        .order_by(DecisionRow.seq)
    ).all()
    for d in decisions:
        if d.decision_uuid in known.decisions:
            continue
        kind = (
            "decision_conflict"
            if not d.applied
            else "approved"
            if d.kind == "approve"
            else "returned"
        )
        known.entries.append(
            (
                HistoryEntry(
                    event=kind,
                    version_no=numbers.get(d.version_uuid, 0),
                    who=d.decided_by_name or d.decided_by,
                    role=d.decided_role,
                    device_time=d.decided_at,
                    server_time=d.received_at,
                    detail=d.reason if d.applied else (d.server_code or ""),
                    version_uuid=d.version_uuid,
                    field_comments=json.loads(d.field_comments or "{}"),
                    device_id=d.device_id or None,
                ),
                1,
            )
        )
        known.decisions.add(d.decision_uuid)


def _local_only(s: Session, report_uuid: str, known: _Known) -> list[HistoryEntry]:
    extra: list[HistoryEntry] = []
    rows = s.execute(
        select(
            ReportVersionRow.version_uuid,
            ReportVersionRow.version_no,
            StateChangeRow,
            ReportVersionRow.filing_role,
            ReportVersionRow.acting_for_name,
        )
        .join(StateChangeRow, StateChangeRow.version_uuid == ReportVersionRow.version_uuid)
        .outerjoin(VersionSyncRow, VersionSyncRow.version_uuid == ReportVersionRow.version_uuid)
        .where(
            ReportVersionRow.report_uuid == report_uuid,
            ReportVersionRow.state != ReportState.DRAFT.value,
            (VersionSyncRow.origin.is_(None)) | (VersionSyncRow.origin == "local"),
        )
        .order_by(StateChangeRow.id)
    ).all()
    submitted: set[str] = set()
    for version_uuid, version_no, change, filing, acting_for in rows:
        if change.state == ReportState.ERROR.value:
            event = "rejected"
        elif (
            change.state == ReportState.QUEUED.value
            and version_uuid not in known.versions
            and version_uuid not in submitted
        ):
            event = "submitted"
            submitted.add(version_uuid)
        else:
            continue
        extra.append(
            HistoryEntry(
                event=event,
                version_no=version_no,
                who=change.informant_name or "",
                role=change.role,
                device_time=change.changed_at,
                server_time=None,
                detail=change.message or "",
                version_uuid=version_uuid,
                filing_role=parse_filing_role(filing) if event == "submitted" else None,
                acting_for_name=acting_for if event == "submitted" else None,
            )
        )
    pending = s.scalars(
        select(DecisionRow)
        .where(
            DecisionRow.report_uuid == report_uuid,
            DecisionRow.origin == "local",
            DecisionRow.sync_state.in_(("queued", "sending", "rejected")),
        )
        .order_by(DecisionRow.seq)
    )
    for d in pending:
        if d.decision_uuid in known.decisions:
            continue
        rejected = d.sync_state == "rejected"
        extra.append(
            HistoryEntry(
                event="decision_rejected" if rejected else "decision_queued",
                version_no=0,
                who=d.decided_by_name or d.decided_by,
                role=d.decided_role,
                device_time=d.decided_at,
                server_time=None,
                detail=(d.message_zh or "") if rejected else d.reason,
                version_uuid=d.version_uuid,
                field_comments=json.loads(d.field_comments or "{}"),
                device_id=d.device_id or None,
            )
        )
    return extra


def history(store: ReportStore, report_uuid: str, fetch: bool = True) -> list[HistoryEntry]:
    """Return every state change of the report, in server order where known."""
    payload = _server_history(store, report_uuid, fetch)
    known = _Known()
    if payload is not None:
        _from_server(payload, known)
    with Session(store.engine) as s:
        _from_feed(s, report_uuid, known)
        extra = _local_only(s, report_uuid, known)
        numbers = dict(
            s.execute(
                select(ServerVersionRow.version_uuid, ServerVersionRow.version_no).where(
                    ServerVersionRow.report_uuid == report_uuid
                )
            ).all()
        )
    ordered = sorted(
        enumerate(known.entries), key=lambda p: (p[1][0].server_time or LATEST, p[1][1], p[0])
    )
    merged = [entry for _i, (entry, _rank) in ordered]
    extra = [
        e if e.version_no else replace(e, version_no=numbers.get(e.version_uuid, 0)) for e in extra
    ]
    extra.sort(key=lambda e: e.device_time or LATEST)
    return merged + extra

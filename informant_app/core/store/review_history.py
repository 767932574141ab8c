"""A report's history as the local store knows it: the change feed's acts and this device's own.

``read_history`` completes what the server's history (``review.history``) already covers: the
versions and decisions the change feed brought (in server order), then the acts known only on
this device (versions frozen here and not yet on the server or refused, decisions not yet
sent or refused), by device time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from informant_app.core.review.types import HistoryEntry, ReviewStatus
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

DECIDED = (ReviewStatus.RETURNED.value, ReviewStatus.APPROVED.value)


def optional_server_time(value: object) -> datetime | None:
    """Return a time as the server writes it; ``None`` when missing or malformed."""
    try:
        return parse_server_time(value) if value else None
    except ValueError:
        return None


@dataclass
class KnownHistory:
    """Entries in server order, and which versions and decisions they cover."""

    entries: list[tuple[HistoryEntry, int]] = field(default_factory=list)  # (entry, rank)
    versions: set[str] = field(default_factory=set)
    decisions: set[str] = field(default_factory=set)


def read_history(
    store: ReportStore, report_uuid: str, known: KnownHistory
) -> tuple[list[HistoryEntry], dict[str, int]]:
    """Add the feed's entries to ``known``; return the device-only entries and version numbers.

    The numbers are the server's ``version_no`` of each of the report's versions.
    """
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
    return extra, numbers


def _from_feed(s: Session, report_uuid: str, known: KnownHistory) -> None:
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
                    device_time=optional_server_time(submitted),
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


def _local_only(s: Session, report_uuid: str, known: KnownHistory) -> list[HistoryEntry]:
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

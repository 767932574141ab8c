"""Reading reports and versions within the caller's reach, and the change feed's payloads."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session, aliased

from sync.server.errors import BAD_CURSOR, NOT_FOUND, ApiError
from sync.server.jurisdiction import Caller, reach_sql, within_sql
from sync.server.models import (
    ChangeKind,
    Device,
    Report,
    ReportVersion,
    ReviewStatus,
    User,
    VersionStatus,
)
from sync.server.services.duty_payloads import (
    absence_dicts,
    assignment_dicts,
    handover_dicts,
    opening_dicts,
)
from sync.server.services.events import canonical_event_sql
from sync.server.services.review import decision_dicts
from sync.server.services.township import submission_dicts
from sync.server.services.unit_reports import decision_dicts as unit_decision_dicts


def _page_cursor(report_uuid: str) -> str:
    raw = json.dumps({"r": report_uuid}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _page_after(cursor: str | None) -> str | None:
    if not cursor:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(data, dict) or not isinstance(data.get("r"), str):
            raise ValueError(cursor)
    except (ValueError, UnicodeError, binascii.Error):
        raise ApiError(BAD_CURSOR) from None
    after: str = data["r"]
    return after


@dataclass(frozen=True)
class ReportPage:
    """A page of report summaries."""

    reports: list[dict[str, Any]]
    cursor: str | None
    has_more: bool


@dataclass(frozen=True)
class ReportFilter:
    """Optional filters on a report's current version (all must hold)."""

    event_uuid: str | None = None
    stage: str | None = None
    review_status: str | None = None


def list_reports(
    session: Session,
    caller: Caller | None,
    under: str | None,
    cursor: str | None,
    limit: int,
    only: ReportFilter | None = None,
) -> ReportPage:
    """Return reports inside ``under`` (default: the caller's reach), by ``report_uuid``.

    ``caller`` ``None`` is the operator at the command line: no reach applies.
    """
    after = _page_after(cursor)
    query = (
        select(
            Report,
            ReportVersion.content_json,
            ReportVersion.stage,
            ReportVersion.review_status,
            ReportVersion.review_decision_uuid,
        )
        .join(ReportVersion, ReportVersion.version_uuid == Report.current_version_uuid)
        .order_by(Report.report_uuid)
        .limit(limit + 1)
    )
    if only is not None:
        if only.event_uuid is not None:
            # Follow merges: a merged event's reports list under its canonical event.
            query = query.where(
                canonical_event_sql(ReportVersion.event_uuid)
                == canonical_event_sql(literal(only.event_uuid))
            )
        if only.stage is not None:
            query = query.where(ReportVersion.stage == only.stage)
        if only.review_status is not None:
            query = query.where(ReportVersion.review_status == only.review_status)
    if caller is not None:
        query = query.where(reach_sql(caller, Report.village_code, under))
    elif under is not None:
        query = query.where(within_sql(Report.village_code, under))
    if after is not None:
        query = query.where(Report.report_uuid > after)
    rows = session.execute(query).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    ids = [r.Report.report_uuid for r in rows]
    stats: dict[str, tuple[int, int]] = {}
    if ids:
        conflict = func.sum(
            case((ReportVersion.status == VersionStatus.CONFLICT.value, 1), else_=0)
        )
        for rid, count, conflicts in session.execute(
            select(ReportVersion.report_uuid, func.count(), conflict)
            .where(ReportVersion.report_uuid.in_(ids))
            .group_by(ReportVersion.report_uuid)
        ):
            stats[rid] = (int(count), int(conflicts or 0))
    reviews = decision_dicts(
        session, [r.review_decision_uuid for r in rows if r.review_decision_uuid is not None]
    )
    reports = []
    for report, content_json, stage, review_status, decision_uuid in rows:
        count, conflicts = stats.get(report.report_uuid, (1, 0))
        reports.append(
            {
                "report_uuid": report.report_uuid,
                "village_code": report.village_code,
                "event_uuid": report.event_uuid,
                "current_version_uuid": report.current_version_uuid,
                "version_count": count,
                "has_conflicts": conflicts > 0,
                "created_at": report.created_at,
                "updated_at": report.updated_at,
                "current": json.loads(content_json),
                "stage": stage,
                "review_status": review_status,
                "review": reviews.get(decision_uuid or ""),
            }
        )
    next_cursor = _page_cursor(ids[-1]) if has_more else None
    return ReportPage(reports, next_cursor, has_more)


def version_dicts(session: Session, version_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Return stored versions by id, with who sent them and whether each is current."""
    ids = list(version_ids)
    if not ids:
        return {}
    acting = aliased(User)
    rows = session.execute(
        select(
            ReportVersion,
            User.username,
            Device.device_id,
            Report.current_version_uuid,
            User.display_name,
            acting.display_name,
        )
        .join(User, User.id == ReportVersion.user_id)
        .join(Device, Device.id == ReportVersion.device_pk)
        .join(Report, Report.report_uuid == ReportVersion.report_uuid, isouter=True)
        .join(acting, acting.id == ReportVersion.acting_for_user_id, isouter=True)
        .where(ReportVersion.version_uuid.in_(ids))
    ).all()
    reviews = decision_dicts(
        session, [r[0].review_decision_uuid for r in rows if r[0].review_decision_uuid is not None]
    )
    out = {}
    for v, username, device_id, current, display_name, acting_for_name in rows:
        out[v.version_uuid] = {
            "version_uuid": v.version_uuid,
            "report_uuid": v.report_uuid,
            "parent_version_uuid": v.parent_version_uuid,
            "version_no": v.version_no,
            "status": v.status,
            "is_current": current == v.version_uuid,
            "village_code": v.village_code,
            "content_hash": v.content_hash,
            "content": json.loads(v.content_json),
            "submitted_by": username,
            "device_id": device_id,
            "device_time": v.device_time,
            "server_received_at": v.server_received_at,
            "clock_skew_seconds": v.clock_skew_seconds,
            "post_role": v.post_role,
            "review_status": v.review_status,
            "review": reviews.get(v.review_decision_uuid or ""),
            "current_version_uuid": current,
            "submitted_by_name": display_name or "",
            "filing_role": v.filing_role,
            "acting_for_name": acting_for_name,
            "time_flag": v.time_flag,
            "filed_at": v.submitted_at if v.time_flag is not None else None,
        }
    return out


def get_report(session: Session, caller: Caller, report_uuid: str) -> dict[str, Any]:
    """Return a report with all its versions; 404 when absent or outside the reach."""
    report = session.scalar(
        select(Report).where(
            Report.report_uuid == report_uuid, reach_sql(caller, Report.village_code)
        )
    )
    if report is None:
        raise ApiError(NOT_FOUND)
    ids = session.scalars(
        select(ReportVersion.version_uuid)
        .where(ReportVersion.report_uuid == report_uuid)
        .order_by(ReportVersion.server_received_at, ReportVersion.version_no)
    ).all()
    versions = version_dicts(session, ids)
    current = versions.get(report.current_version_uuid, {})
    return {
        "report_uuid": report.report_uuid,
        "village_code": report.village_code,
        "event_uuid": report.event_uuid,
        "current_version_uuid": report.current_version_uuid,
        "created_at": report.created_at,
        "updated_at": report.updated_at,
        "review_status": current.get("review_status", ReviewStatus.PENDING.value),
        "review": current.get("review"),
        "versions": [versions[i] for i in ids if i in versions],
    }


#: Records with a ``kind`` of their own, and the key it takes in the feed.
OWN_KINDS = {ChangeKind.ABSENCE.value: "absence_kind", ChangeKind.HANDOVER.value: "handover_kind"}


def change_payloads(session: Session, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Return the JSON payload of each change-log row, in order (as it stands when read)."""

    def refs(kind: ChangeKind) -> list[str]:
        return [r.ref for r in rows if r.kind == kind.value]

    versions = version_dicts(session, refs(ChangeKind.REPORT_VERSION))
    payloads: dict[str, dict[str, Any]] = {
        ChangeKind.ROSTER.value: {
            str(k): v
            for k, v in assignment_dicts(session, [int(r) for r in refs(ChangeKind.ROSTER)]).items()
        },
        ChangeKind.DECISION.value: decision_dicts(session, refs(ChangeKind.DECISION)),
        ChangeKind.TOWNSHIP_REPORT.value: submission_dicts(
            session, refs(ChangeKind.TOWNSHIP_REPORT)
        ),
        ChangeKind.UNIT_DECISION.value: unit_decision_dicts(
            session, refs(ChangeKind.UNIT_DECISION)
        ),
        ChangeKind.ABSENCE.value: absence_dicts(session, refs(ChangeKind.ABSENCE)),
        ChangeKind.HANDOVER.value: handover_dicts(session, refs(ChangeKind.HANDOVER)),
        ChangeKind.EVENT_OPENING.value: {
            str(k): v
            for k, v in opening_dicts(
                session, [int(r) for r in refs(ChangeKind.EVENT_OPENING)]
            ).items()
        },
    }
    out = []
    for r in rows:
        if r.kind == ChangeKind.REPORT_VERSION.value and r.ref in versions:
            v = dict(versions[r.ref])
            for key in (
                "is_current",
                "device_id",
                "device_time",
                "clock_skew_seconds",
                "review_status",
                "review",
            ):
                v.pop(key)
            out.append({"kind": r.kind, "changed_at": r.created_at, **v})
        elif r.ref in payloads.get(r.kind, {}):
            payload = dict(payloads[r.kind][r.ref])
            if r.kind in OWN_KINDS:  # ``kind`` names the change: the record's own is renamed
                payload[OWN_KINDS[r.kind]] = payload.pop("kind")
            out.append({"kind": r.kind, "changed_at": r.created_at, **payload})
    return out

"""Reading the township's review: decisions, and the history of a report's states.

The review status of a report is the status of its current version (pending, returned or
approved).  The history lists every change of state in server order, each with who did it,
their A/B role on the post at that time, the device's clock and the server's clock; a received
version also carries its filing role (``A``, ``B_acting`` with ``acting_for_name``, or
``B_while_A_on_duty``, flagged for the reviewer).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from sync.server.errors import NOT_FOUND, ApiError
from sync.server.jurisdiction import Caller, reach_sql
from sync.server.models import (
    Decision,
    DecisionKind,
    DecisionStatus,
    Device,
    Report,
    ReportVersion,
    ReviewStatus,
    User,
    VersionStatus,
)
from sync.server.services.signin_path import PASSWORD_PATH, signin_paths


class HistoryKind:
    """The kinds of events in a report's history."""

    RECEIVED = "received"
    RESUBMITTED = "resubmitted"
    CONFLICT = "conflict"
    RETURNED = "returned"
    APPROVED = "approved"
    DECISION_CONFLICT = "decision_conflict"


def decision_dicts(session: Session, decision_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Return stored decisions by ``decision_uuid``, with who decided and from which device."""
    ids = list(decision_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Decision, User.username, User.display_name, Device.device_id)
        .join(User, User.id == Decision.user_id)
        .join(Device, Device.id == Decision.device_pk)
        .where(Decision.decision_uuid.in_(ids))
    ).all()
    return {
        d.decision_uuid: _decision_dict(d, username, name, device)
        for d, username, name, device in rows
    }


def _decision_dict(d: Decision, username: str, display_name: str, device_id: str) -> dict[str, Any]:
    return {
        "decision_uuid": d.decision_uuid,
        "report_uuid": d.report_uuid,
        "version_uuid": d.version_uuid,
        "village_code": d.village_code,
        "decision": d.decision,
        "status": d.status,
        "code": d.code,
        "reason": d.reason,
        "field_comments": json.loads(d.field_comments_json),
        "decided_by": username,
        "decided_by_name": display_name,
        "post_role": d.post_role,
        "device_id": device_id,
        "device_decided_at": d.device_decided_at,
        "server_received_at": d.server_received_at,
    }


def report_history(
    session: Session, caller: Caller, report_uuid: str
) -> tuple[str, list[dict[str, Any]]]:
    """Return a report's review status and every change of its state, in server order.

    Raises:
        ApiError: 404 when the report is absent or outside the caller's reach.
    """
    current = session.scalar(
        select(Report.current_version_uuid).where(
            Report.report_uuid == report_uuid, reach_sql(caller, Report.village_code)
        )
    )
    if current is None:
        raise ApiError(NOT_FOUND)
    acting = aliased(User)
    versions = session.execute(
        select(
            ReportVersion,
            User.username,
            User.display_name,
            User.role,
            Device.device_id,
            acting.display_name,
        )
        .join(User, User.id == ReportVersion.user_id)
        .join(Device, Device.id == ReportVersion.device_pk)
        .join(acting, acting.id == ReportVersion.acting_for_user_id, isouter=True)
        .where(ReportVersion.report_uuid == report_uuid)
    ).all()
    decisions = session.execute(
        select(Decision, User.username, User.display_name, User.role, Device.device_id)
        .join(User, User.id == Decision.user_id)
        .join(Device, Device.id == Decision.device_pk)
        .where(Decision.report_uuid == report_uuid)
    ).all()
    review_of = {v.version_uuid: v.review_status for v, *_ in versions}
    paths = signin_paths(
        session, [v.device_pk for v, *_ in versions] + [d.device_pk for d, *_ in decisions]
    )
    keyed: list[tuple[tuple[datetime, int, int, str], dict[str, Any]]] = []
    for v, username, name, role, device, acting_for_name in versions:
        event = _event(
            _version_kind(v, review_of),
            v.version_uuid,
            v.version_no,
            None,
            username,
            name,
            role,
            v.post_role,
            device,
            v.device_submitted_at or v.submitted_at or v.device_time,
            v.server_received_at,
        )
        event.update(filing_role=v.filing_role, acting_for_name=acting_for_name)
        if (
            v.time_flag is not None
        ):  # the server corrected the filing time (sync/contract/filing_time.py)
            event.update(
                time_flag=v.time_flag,
                submitted_at=v.submitted_at,
                clock_skew_seconds=v.clock_skew_seconds,
            )
        event.update(paths.get(v.device_pk, PASSWORD_PATH).to_dict())
        keyed.append(((v.server_received_at, 0, v.version_no, v.version_uuid), event))
    number = {v.version_uuid: v.version_no for v, *_ in versions}
    for d, username, name, role, device in decisions:
        event = _event(
            _decision_kind(d),
            d.version_uuid,
            number.get(d.version_uuid, 0),
            d.decision_uuid,
            username,
            name,
            role,
            d.post_role,
            device,
            d.device_decided_at or d.device_time,
            d.server_received_at,
        )
        event.update(
            decision=d.decision,
            reason=d.reason,
            field_comments=json.loads(d.field_comments_json),
            code=None if d.status == DecisionStatus.APPLIED.value else d.code,
        )
        event.update(paths.get(d.device_pk, PASSWORD_PATH).to_dict())
        keyed.append(((d.server_received_at, 1, d.id, d.decision_uuid), event))
    keyed.sort(key=lambda pair: pair[0])
    status = review_of.get(current, ReviewStatus.PENDING.value)
    return status, [event for _key, event in keyed]


def _version_kind(v: ReportVersion, review_of: dict[str, str]) -> str:
    if v.status == VersionStatus.CONFLICT.value:
        return HistoryKind.CONFLICT
    parent_review = review_of.get(v.parent_version_uuid or "")
    if parent_review in (ReviewStatus.RETURNED.value, ReviewStatus.APPROVED.value):
        return HistoryKind.RESUBMITTED
    return HistoryKind.RECEIVED


def _decision_kind(d: Decision) -> str:
    if d.status != DecisionStatus.APPLIED.value:
        return HistoryKind.DECISION_CONFLICT
    if d.decision == DecisionKind.APPROVE.value:
        return HistoryKind.APPROVED
    return HistoryKind.RETURNED


def _event(
    kind: str,
    version_uuid: str,
    version_no: int,
    decision_uuid: str | None,
    username: str,
    display_name: str,
    account_role: str,
    post_role: str | None,
    device_id: str,
    device_time: datetime | None,
    server_time: datetime,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "version_uuid": version_uuid,
        "version_no": version_no,
        "decision_uuid": decision_uuid,
        "by": username,
        "by_name": display_name,
        "account_role": account_role,
        "post_role": post_role,
        "device_id": device_id,
        "device_time": device_time,
        "server_time": server_time,
        "decision": None,
        "reason": None,
        "field_comments": {},
        "code": None,
        "filing_role": None,
        "acting_for_name": None,
        "signin": "password",
        "provisioned_by": None,
        "provisioned_by_name": None,
    }

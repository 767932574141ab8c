"""The township report (rule 12): approved village reports, adjustments, and their total.

For one township and event the server takes, per village, its **latest approved version of
any stage** up to the data cut-off (``sync.server.services.aggregation.latest_approved``): a
village that filed only its initial report counts with it in the continuing report, and a
pending or returned correction never takes approved figures out of the total.  The ``stage``
of a township report is the township's own stage; it keys the township's adjustments.
``sync.contract.rules.sum_figures`` adds the village figures up, the township's explicit
adjustments (each with a reason) are added on top (``TownshipTotals``), and
``check_township_figures`` is the rule-12 check.  Submitted township reports are read here too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.contract import DivisionLevel, ReportStage, is_valid_code
from sync.contract.report import Figures, figure_to_json, parse_figure
from sync.contract.rules import (
    Adjustment,
    Issue,
    TownshipTotals,
    check_township_figures,
    sum_figures,
)
from sync.server.errors import FORBIDDEN, NOT_FOUND, ApiError
from sync.server.jurisdiction import Caller, within_sql
from sync.server.models import (
    Device,
    DivisionRow,
    ReportVersion,
    Role,
    TownshipAdjustment,
    TownshipReport,
    UnitDecision,
    User,
)
from sync.server.services.aggregation import VillageRow, figures_json, latest_approved
from sync.server.services.events import event_members

__all__ = [
    "TownshipFigures",
    "VillageRow",
    "adjustment_dict",
    "adjustment_dicts",
    "approved_rows",
    "check_stage",
    "figures_json",
    "latest_submission",
    "list_submissions",
    "require_reviewer",
    "submission_dicts",
    "township_figures",
    "township_in_reach",
]


def township_in_reach(session: Session, caller: Caller, code: str) -> DivisionRow:
    """Return the township ``code`` if the caller may see it; 404 otherwise."""
    if not is_valid_code(code) or not caller.can_see(code):
        raise ApiError(NOT_FOUND)
    row = session.get(DivisionRow, code)
    if row is None or row.level != DivisionLevel.TOWNSHIP.value:
        raise ApiError(NOT_FOUND)
    return row


def require_reviewer(caller: Caller) -> None:
    """Refuse (403) a caller who sees the township but is not its reviewer."""
    if caller.role is not Role.TOWNSHIP_REVIEWER:
        raise ApiError(
            FORBIDDEN,
            zh="只有本乡镇的审核人员可以调整或报送乡镇报表",
            en="only the township's reviewer may adjust or submit its report",
        )


def check_stage(stage: str) -> str:
    """Return ``stage`` when it is a report stage; 404 otherwise."""
    if stage not in {s.value for s in ReportStage}:
        raise ApiError(NOT_FOUND)
    return stage


@dataclass(frozen=True)
class TownshipFigures:
    """Everything rule 12 needs for one township, event and stage."""

    event_name: str
    rows: list[VillageRow]
    adjustments: list[dict[str, Any]]
    totals: TownshipTotals

    @property
    def village_figures(self) -> list[Figures]:
        """Return the figures of the village rows."""
        return [r.figures for r in self.rows]

    @property
    def contract_adjustments(self) -> tuple[Adjustment, ...]:
        """Return the adjustments as the contract's ``Adjustment`` values."""
        return self.totals.adjustments

    def check(self, township: Mapping[str, Decimal]) -> list[Issue]:
        """Return the rule-12 issues of ``township`` figures against these reports."""
        return check_township_figures(township, self.village_figures, self.contract_adjustments)


def approved_rows(
    session: Session, township: str, event_uuid: str, cutoff: datetime | None = None
) -> list[VillageRow]:
    """Return, per village, its latest approved version of the event, of any stage.

    See ``sync.server.services.aggregation.latest_approved``: a pending or returned later
    version changes nothing; an approved correction replaces what it corrects.
    """
    # An event merged into this one counts in it (the villages keep the uuid they filed under).
    return latest_approved(session, township, event_members(session, event_uuid), cutoff)


def adjustment_dicts(
    session: Session, township: str, event_uuid: str, stage: str
) -> list[dict[str, Any]]:
    """Return the township's adjustments for the event and stage, in server order."""
    rows = session.execute(
        select(TownshipAdjustment, User.username, User.display_name)
        .join(User, User.id == TownshipAdjustment.user_id)
        .where(
            TownshipAdjustment.township_code == township,
            TownshipAdjustment.event_uuid == event_uuid,
            TownshipAdjustment.stage == stage,
        )
        .order_by(TownshipAdjustment.id)
    ).all()
    return [adjustment_dict(a, username, name) for a, username, name in rows]


def adjustment_dict(a: TownshipAdjustment, username: str, display_name: str) -> dict[str, Any]:
    """Return the JSON-ready form of a stored adjustment."""
    return {
        "adjustment_uuid": a.adjustment_uuid,
        "field": a.field,
        "delta": figure_to_json(a.field, Decimal(a.delta)),
        "reason": a.reason,
        "made_by": username,
        "made_by_name": display_name,
        "post_role": a.post_role,
        "server_received_at": a.server_received_at,
    }


def township_figures(
    session: Session,
    township: str,
    event_uuid: str,
    stage: str,
    cutoff: datetime | None = None,
) -> TownshipFigures:
    """Return the approved rows, the adjustments and the total of a township report.

    The village rows are each village's latest approved version of **any** stage (up to
    ``cutoff``); ``stage`` is the stage of the township's own report and keys its adjustments.
    """
    rows = approved_rows(session, township, event_uuid, cutoff)
    adjustments = adjustment_dicts(session, township, event_uuid, stage)
    contract = tuple(
        Adjustment(a["field"], parse_figure(a["field"], a["delta"]), a["reason"])
        for a in adjustments
    )
    totals = TownshipTotals(sum_figures(r.figures for r in rows), contract)
    return TownshipFigures(_event_name(session, township, event_uuid), rows, adjustments, totals)


def _event_name(session: Session, township: str, event_uuid: str) -> str:
    content = session.scalar(
        select(ReportVersion.content_json)
        .where(
            within_sql(ReportVersion.village_code, township), ReportVersion.event_uuid == event_uuid
        )
        .order_by(ReportVersion.server_received_at)
        .limit(1)
    )
    if content is None:
        return ""
    return str(json.loads(content).get("event_name") or "")


# --- submitted township reports -------------------------------------------------------------


def submission_dicts(session: Session, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Return submitted township reports by ``submission_uuid``."""
    wanted = list(ids)
    if not wanted:
        return {}
    rows = session.execute(
        select(
            TownshipReport,
            User.username,
            User.display_name,
            Device.device_id,
            DivisionRow.short_name.label("name"),
            UnitDecision,
        )
        .join(User, User.id == TownshipReport.user_id)
        .join(Device, Device.id == TownshipReport.device_pk)
        .join(DivisionRow, DivisionRow.code == TownshipReport.township_code)
        .join(
            UnitDecision,
            UnitDecision.submission_uuid == TownshipReport.submission_uuid,
            isouter=True,
        )
        .where(TownshipReport.submission_uuid.in_(wanted))
    ).all()
    out = {}
    for t, username, name, device, township_name, decided in rows:
        item = _submission_dict(t, username, name, device, township_name)
        if decided is not None:  # the county passed or returned it (back to the township)
            item["county_decision"] = decided.decision
            item["county_reason"] = decided.reason
            item["county_decided_at"] = decided.server_received_at
        out[t.submission_uuid] = item
    return out


def _submission_dict(
    t: TownshipReport, username: str, display_name: str, device_id: str, township_name: str
) -> dict[str, Any]:
    return {
        "submission_uuid": t.submission_uuid,
        "township_code": t.township_code,
        "township_name": township_name,
        "event_uuid": t.event_uuid,
        "event_name": t.event_name,
        "stage": t.stage,
        "figures": json.loads(t.figures_json),
        "villages": json.loads(t.villages_json),
        "adjustments": json.loads(t.adjustments_json),
        "submitted_by": username,
        "submitted_by_name": display_name,
        "post_role": t.post_role,
        "device_id": device_id,
        "server_received_at": t.server_received_at,
    }


def list_submissions(
    session: Session, township: str, event_uuid: str | None = None
) -> list[dict[str, Any]]:
    """Return the township's submitted reports, newest last, each marked whether it is latest."""
    query = (
        select(TownshipReport.submission_uuid)
        .where(TownshipReport.township_code == township)
        .order_by(TownshipReport.id)
    )
    if event_uuid is not None:
        query = query.where(TownshipReport.event_uuid == event_uuid)
    ids = list(session.scalars(query).all())
    found = submission_dicts(session, ids)
    out = [found[i] for i in ids if i in found]
    seen: set[tuple[str, str]] = set()
    for item in reversed(out):
        key = (item["event_uuid"], item["stage"])
        item["is_latest"] = key not in seen
        seen.add(key)
    return out


def latest_submission(
    session: Session, township: str, event_uuid: str, stage: str
) -> dict[str, Any] | None:
    """Return the latest submitted report of the township, event and stage, or ``None``."""
    uuid = session.scalar(
        select(TownshipReport.submission_uuid)
        .where(
            TownshipReport.township_code == township,
            TownshipReport.event_uuid == event_uuid,
            TownshipReport.stage == stage,
        )
        .order_by(TownshipReport.id.desc())
        .limit(1)
    )
    if uuid is None:
        return None
    return submission_dicts(session, [uuid]).get(uuid)

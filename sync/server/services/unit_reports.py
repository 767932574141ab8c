"""County review and the county and city reports: one code for every level above the township.

A *unit* is a county or the city.  The units *below* it are its townships (a county) or its
counties (the city), and their reports are the submitted ``township_reports`` or the county
``unit_reports``.  The same code serves both steps, parametrised by ``Level``:

- **Deciding.**  The unit passes (通过) or returns (退回, with a reason) a report submitted by a
  unit below (``unit_decisions``).  One decision per submission: the first one wins, a passed
  report is frozen, a returned one stays on record and the unit below submits a new one.  Only
  the newest submission of a unit, event and stage can be decided.  A decision enters the
  change feed (kind ``unit_decision``) for the unit decided, so the township's reviewers
  (or the county's admins) hear of a return on their next sync.
- **The report.**  Per unit below, its latest **passed** report of the event (any stage, the
  latest by data cut-off, then by receipt; for the verified stage only passed verified
  reports), so a newer report waiting for a decision never removes passed figures.  The total
  is the sum of the rows plus the unit's own reasoned adjustments (rule 12 at every level).
- **Submitting upward.**  Stored only when the figures equal the server's total; refused for
  an event nobody in the unit filed, and a verified report before every unit below with
  figures has its passed verified report (``services.unit_coverage``).  The county's report
  then waits for the city's decision; the city's own report is final.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sync.contract import INDICATOR_BY_FIELD, INDICATORS, ContractError, DivisionLevel, ReportStage
from sync.contract.report import Figures, figure_to_json, parse_figure, parse_figures, parse_time
from sync.contract.rules import Adjustment, Issue, Severity, TownshipTotals, sum_figures
from sync.server.db import Database, utc_now
from sync.server.errors import (
    ALREADY_DECIDED,
    BAD_FIGURE,
    FORBIDDEN,
    ID_REUSED,
    NOT_FOUND,
    OWN_PROVISIONED_DEVICE,
    REASON_REQUIRED,
    SUBMISSION_SUPERSEDED,
    UNIT_TOTAL_MISMATCH,
    UNKNOWN_FIELD,
    VERIFIED_INCOMPLETE,
    ApiError,
)
from sync.server.jurisdiction import Caller, within_sql
from sync.server.models import (
    ChangeKind,
    Device,
    DivisionRow,
    ReportVersion,
    Role,
    TownshipReport,
    UnitAdjustment,
    UnitDecision,
    UnitReport,
    User,
)
from sync.server.services.change_log import log_changes
from sync.server.services.signin_path import provisioned_by
from sync.server.services.township import figures_json
from sync.server.services.township_writes import MAX_REASON_CHARS, Written, _delta, _hash
from sync.server.services.unit_coverage import require_known_event, units_with_figures

PASS = "pass"
RETURN = "return"
#: A submission's status: waiting, passed or returned by the level above; the city's is final.
SUBMITTED, PASSED, RETURNED, FINAL = "submitted", "passed", "returned", "final"


@dataclass(frozen=True)
class Level:
    """One level above the township: its own level, the level below it, and its admin role."""

    level: str
    below: str
    role: Role


LEVELS = {
    DivisionLevel.COUNTY.value: Level(
        DivisionLevel.COUNTY.value, DivisionLevel.TOWNSHIP.value, Role.COUNTY_ADMIN
    ),
    DivisionLevel.CITY.value: Level(
        DivisionLevel.CITY.value, DivisionLevel.COUNTY.value, Role.CITY_ADMIN
    ),
}


@dataclass(frozen=True)
class Unit:
    """A county or the city, as the routes found it."""

    code: str
    name: str
    level: Level


@dataclass(frozen=True)
class UnitKey:
    """Which unit report: the unit, the event and the stage."""

    unit: Unit
    event_uuid: str
    stage: str


def check_stage(stage: str) -> str:
    """Return ``stage`` when it is a report stage; 404 otherwise."""
    if stage not in {s.value for s in ReportStage}:
        raise ApiError(NOT_FOUND)
    return stage


def unit_in_reach(session: Session, caller: Caller, code: str) -> Unit:
    """Return the county or city ``code`` if the caller may see it; 404 otherwise."""
    if not caller.can_see(code):
        raise ApiError(NOT_FOUND)
    row = session.get(DivisionRow, code)
    if row is None or row.level not in LEVELS:
        raise ApiError(NOT_FOUND)
    return Unit(row.code, row.short_name or row.name, LEVELS[row.level])


def require_unit_admin(caller: Caller, unit: Unit) -> None:
    """Refuse (403) a caller who sees the unit but is not its own admin."""
    if caller.role is not unit.level.role or caller.jurisdiction_code != unit.code:
        raise ApiError(
            FORBIDDEN,
            zh="只有本级（县、市）管理员可以审核、调整或报送本级报表",
            en="only the unit's own admin may decide on, adjust or submit its report",
        )


# --- decisions ----------------------------------------------------------------------------


def decision_dicts(session: Session, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Return stored unit decisions by ``decision_uuid``."""
    return _decisions(session, UnitDecision.decision_uuid, ids, by_submission=False)


def _decisions(
    session: Session, column: Any, ids: Iterable[str], *, by_submission: bool
) -> dict[str, dict[str, Any]]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(
            UnitDecision,
            User.username,
            User.display_name,
            DivisionRow.short_name,
            DivisionRow.name,
        )
        .join(User, User.id == UnitDecision.user_id)
        .join(DivisionRow, DivisionRow.code == UnitDecision.unit_code)
        .where(column.in_(wanted))
    ).all()
    out = {}
    for d, username, display_name, short, name in rows:
        key = d.submission_uuid if by_submission else d.decision_uuid
        out[key] = {
            "decision_uuid": d.decision_uuid,
            "submission_uuid": d.submission_uuid,
            "level": d.level,
            "unit_code": d.unit_code,
            "unit_name": short or name,
            "event_uuid": d.event_uuid,
            "stage": d.stage,
            "decision": d.decision,
            "reason": d.reason,
            "decided_by": username,
            "decided_by_name": display_name,
            "post_role": d.post_role,
            "decided_at": d.server_received_at,
        }
    return out


# --- the reports of the units below -------------------------------------------------------


@dataclass(frozen=True)
class Below:
    """A report submitted by a unit below, with the decision on it (if any)."""

    seq: int
    unit_code: str
    unit_name: str
    submission_uuid: str
    event_name: str
    stage: str
    figures: Figures
    data_cutoff_at: datetime | None
    submitted_by: str
    submitted_by_name: str
    post_role: str | None
    server_received_at: datetime
    decision: dict[str, Any] | None

    @property
    def status(self) -> str:
        """Return ``submitted``, ``passed`` or ``returned``."""
        if self.decision is None:
            return SUBMITTED
        return PASSED if self.decision["decision"] == PASS else RETURNED

    @property
    def order(self) -> tuple[datetime, datetime, int]:
        """Return the key "latest by data cut-off, then by receipt"."""
        return (self.data_cutoff_at or self.server_received_at, self.server_received_at, self.seq)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form (a per-unit row)."""
        return {
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
            "submission_uuid": self.submission_uuid,
            "event_name": self.event_name,
            "stage": self.stage,
            "figures": figures_json(self.figures),
            "data_cutoff_at": self.data_cutoff_at,
            "submitted_by": self.submitted_by,
            "submitted_by_name": self.submitted_by_name,
            "post_role": self.post_role,
            "server_received_at": self.server_received_at,
            "status": self.status,
            "decision": self.decision,
        }


def _cutoff_of_villages(villages_json: str) -> datetime | None:
    """Return the latest ``data_cutoff_at`` of a township report's village rows."""
    times = []
    for row in json.loads(villages_json):
        try:
            times.append(parse_time(row.get("data_cutoff_at"), "data_cutoff_at"))
        except (ContractError, AttributeError):
            continue
    return max(times, default=None)


def below_reports(session: Session, unit: Unit, event_uuid: str) -> list[Below]:
    """Return every report of the event submitted by the units below ``unit``, oldest first."""
    if unit.level.below == DivisionLevel.TOWNSHIP.value:
        township_rows = session.execute(
            select(
                TownshipReport,
                User.username,
                User.display_name,
                DivisionRow.short_name,
                DivisionRow.name,
            )
            .join(User, User.id == TownshipReport.user_id)
            .join(DivisionRow, DivisionRow.code == TownshipReport.township_code)
            .where(
                within_sql(TownshipReport.township_code, unit.code),
                TownshipReport.event_uuid == event_uuid,
            )
            .order_by(TownshipReport.id)
        ).all()
        raw = [
            (t.id, t.township_code, short or name, t.submission_uuid, t.event_name, t.stage,
             t.figures_json, _cutoff_of_villages(t.villages_json), username, display_name,
             t.post_role, t.server_received_at)
            for t, username, display_name, short, name in township_rows
        ]  # fmt: skip
    else:
        unit_rows = session.execute(
            select(UnitReport, User.username, User.display_name, DivisionRow.short_name,
                   DivisionRow.name)
            .join(User, User.id == UnitReport.user_id)
            .join(DivisionRow, DivisionRow.code == UnitReport.unit_code)
            .where(
                UnitReport.level == unit.level.below,
                within_sql(UnitReport.unit_code, unit.code),
                UnitReport.event_uuid == event_uuid,
            )
            .order_by(UnitReport.id)
        ).all()  # fmt: skip
        raw = [
            (u.id, u.unit_code, short or name, u.submission_uuid, u.event_name, u.stage,
             u.figures_json, u.data_cutoff_at, username, display_name, u.post_role,
             u.server_received_at)
            for u, username, display_name, short, name in unit_rows
        ]  # fmt: skip
    decisions = _decisions(
        session, UnitDecision.submission_uuid, [r[3] for r in raw], by_submission=True
    )
    return [
        Below(
            seq,
            code,
            name,
            uuid,
            event_name,
            stage,
            parse_figures(json.loads(figures)),
            cutoff,
            username,
            display_name,
            post_role,
            received,
            decisions.get(uuid),
        )
        for (seq, code, name, uuid, event_name, stage, figures, cutoff, username, display_name,
             post_role, received) in raw
    ]  # fmt: skip


def _latest_of_each(reports: Iterable[Below]) -> dict[tuple[str, str], Below]:
    """Return the newest submission (by server order) of each unit and stage."""
    latest: dict[tuple[str, str], Below] = {}
    for b in reports:
        latest[(b.unit_code, b.stage)] = b  # oldest first: the last one wins
    return latest


# --- adjustments --------------------------------------------------------------------------


def adjustment_dicts(session: Session, key: UnitKey) -> list[dict[str, Any]]:
    """Return the unit's adjustments for the event and stage, in server order."""
    rows = session.execute(
        select(UnitAdjustment, User.username, User.display_name)
        .join(User, User.id == UnitAdjustment.user_id)
        .where(
            UnitAdjustment.unit_code == key.unit.code,
            UnitAdjustment.event_uuid == key.event_uuid,
            UnitAdjustment.stage == key.stage,
        )
        .order_by(UnitAdjustment.id)
    ).all()
    return [_adjustment_dict(a, username, name) for a, username, name in rows]


def _adjustment_dict(a: UnitAdjustment, username: str, display_name: str) -> dict[str, Any]:
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


# --- the unit report ----------------------------------------------------------------------


@dataclass(frozen=True)
class UnitFigures:
    """Everything the unit report shows: rows, adjustments, total, waiting, readiness."""

    key: UnitKey
    event_name: str
    reports: list[Below]
    rows: list[Below]
    adjustments: list[dict[str, Any]]
    totals: TownshipTotals
    waiting: list[Below]
    verified_missing: list[str]

    def check(self, figures: Mapping[str, Decimal]) -> list[Issue]:
        """Return the issues of ``figures`` against the rows plus the adjustments."""
        expected = self.totals.figures
        issues = []
        for ind in INDICATORS:
            want = expected.get(ind.field, Decimal(0))
            got = figures.get(ind.field, Decimal(0))
            if want != got:
                issues.append(
                    Issue(
                        "R12",
                        Severity.ERROR,
                        ind.field,
                        f"“{ind.zh}”（{_fmt(got)}）应等于已通过的下级报表之和加调整数"
                        f"（{_fmt(want)}）",
                        f"'{ind.en}' ({_fmt(got)}) should equal the passed reports below plus "
                        f"adjustments ({_fmt(want)})",
                    )
                )
        return issues


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def unit_figures(session: Session, key: UnitKey) -> UnitFigures:
    """Return the live report of a county or the city for one event and stage."""
    reports = below_reports(session, key.unit, key.event_uuid)
    verified = ReportStage.VERIFIED.value
    best: dict[str, Below] = {}
    for b in reports:
        if b.status != PASSED or (key.stage == verified and b.stage != verified):
            continue
        if b.unit_code not in best or best[b.unit_code].order < b.order:
            best[b.unit_code] = b
    rows = [best[c] for c in sorted(best)]
    waiting = [b for b in _latest_of_each(reports).values() if b.status == SUBMITTED]
    adjustments = adjustment_dicts(session, key)
    contract = tuple(
        Adjustment(a["field"], parse_figure(a["field"], a["delta"]), a["reason"])
        for a in adjustments
    )
    totals = TownshipTotals(sum_figures(r.figures for r in rows), contract)
    with_figures = units_with_figures(session, key.unit.code, key.event_uuid, key.unit.level.below)
    passed_verified = {b.unit_code for b in reports if b.status == PASSED and b.stage == verified}
    event_name = next((b.event_name for b in reversed(reports) if b.event_name), "")
    return UnitFigures(
        key,
        event_name or _event_name(session, key.unit.code, key.event_uuid),
        reports,
        rows,
        adjustments,
        totals,
        sorted(waiting, key=lambda b: b.seq),
        sorted(with_figures - passed_verified),
    )


def _event_name(session: Session, code: str, event_uuid: str) -> str:
    content = session.scalar(
        select(ReportVersion.content_json)
        .where(within_sql(ReportVersion.village_code, code), ReportVersion.event_uuid == event_uuid)
        .order_by(ReportVersion.server_received_at)
        .limit(1)
    )
    return "" if content is None else str(json.loads(content).get("event_name") or "")


# --- the unit's own submissions -----------------------------------------------------------


def submission_dicts(session: Session, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Return submitted county and city reports by ``submission_uuid``."""
    wanted = list(ids)
    if not wanted:
        return {}
    rows = session.execute(
        select(
            UnitReport,
            User.username,
            User.display_name,
            Device.device_id,
            DivisionRow.short_name,
            DivisionRow.name,
        )
        .join(User, User.id == UnitReport.user_id)
        .join(Device, Device.id == UnitReport.device_pk)
        .join(DivisionRow, DivisionRow.code == UnitReport.unit_code)
        .where(UnitReport.submission_uuid.in_(wanted))
    ).all()
    decisions = _decisions(session, UnitDecision.submission_uuid, wanted, by_submission=True)
    out = {}
    for u, username, display_name, device_id, short, name in rows:
        decision = decisions.get(u.submission_uuid)
        if u.level == DivisionLevel.CITY.value:
            status = FINAL
        elif decision is None:
            status = SUBMITTED
        else:
            status = PASSED if decision["decision"] == PASS else RETURNED
        out[u.submission_uuid] = {
            "submission_uuid": u.submission_uuid,
            "level": u.level,
            "unit_code": u.unit_code,
            "unit_name": short or name,
            "event_uuid": u.event_uuid,
            "event_name": u.event_name,
            "stage": u.stage,
            "data_cutoff_at": u.data_cutoff_at,
            "figures": json.loads(u.figures_json),
            "rows": json.loads(u.rows_json),
            "adjustments": json.loads(u.adjustments_json),
            "submitted_by": username,
            "submitted_by_name": display_name,
            "post_role": u.post_role,
            "device_id": device_id,
            "server_received_at": u.server_received_at,
            "status": status,
            "decision": decision,
        }
    return out


def latest_submission(session: Session, key: UnitKey) -> dict[str, Any] | None:
    """Return the unit's latest submitted report of the event and stage, or ``None``."""
    uuid = session.scalar(
        select(UnitReport.submission_uuid)
        .where(
            UnitReport.unit_code == key.unit.code,
            UnitReport.event_uuid == key.event_uuid,
            UnitReport.stage == key.stage,
        )
        .order_by(UnitReport.id.desc())
        .limit(1)
    )
    return None if uuid is None else submission_dicts(session, [uuid]).get(uuid)


# --- writes -------------------------------------------------------------------------------


def decide(
    db: Database,
    caller: Caller,
    key: UnitKey,
    decision_uuid: str,
    submission_uuid: str,
    decision: str,
    reason: str,
) -> Written:
    """Pass or return a report of a unit below (idempotent by ``decision_uuid``).

    Raises:
        ApiError: 422 ``reason_required`` (a return without a reason); 404 ``not_found``
            (no such submission of a unit below for this event and stage); 409 ``id_reused``,
            ``already_decided`` (with the stored ``decision``) or ``submission_superseded``;
            403 ``own_provisioned_device`` (a pass of a report submitted from a device that
            redeemed a set-up code the caller issued).
    """
    reason = reason.strip()
    if (decision == RETURN and not reason) or len(reason) > MAX_REASON_CHARS:
        raise ApiError(
            REASON_REQUIRED,
            zh="退回必须说明原因（不超过 2000 字）",
            en="a return needs a reason (at most 2000 characters)",
        )
    digest = _hash({"submission_uuid": submission_uuid, "decision": decision, "reason": reason})
    with db.writing() as session:
        repeat = _repeat_decision(session, decision_uuid, digest)
        if repeat is not None:
            return repeat
        reports = below_reports(session, key.unit, key.event_uuid)
        target = next(
            (b for b in reports if b.submission_uuid == submission_uuid and b.stage == key.stage),
            None,
        )
        if target is None:
            raise ApiError(NOT_FOUND)
        if target.decision is not None:
            raise ApiError(ALREADY_DECIDED, decision=_jsonable(target.decision))
        if _latest_of_each(reports)[(target.unit_code, target.stage)] is not target:
            raise ApiError(SUBMISSION_SUPERSEDED)
        if decision == PASS:
            _refuse_own_provisioned(session, caller, key.unit.level, submission_uuid)
        now = utc_now()
        row = {
            "decision_uuid": decision_uuid,
            "level": key.unit.level.below,
            "submission_uuid": submission_uuid,
            "unit_code": target.unit_code,
            "event_uuid": key.event_uuid,
            "stage": key.stage,
            "decision": decision,
            "reason": reason,
            "content_hash": digest,
            "user_id": caller.user_id,
            "post_role": caller.post_role_on(key.unit.code),
            "device_pk": caller.device_pk,
            "server_received_at": now,
        }
        module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        stmt = module.insert(UnitDecision).on_conflict_do_nothing().returning(UnitDecision.id)
        if session.execute(stmt, [row]).first() is None:  # a concurrent decision won
            repeat = _repeat_decision(session, decision_uuid, digest)
            if repeat is not None:
                return repeat
            stored = _decisions(
                session, UnitDecision.submission_uuid, [submission_uuid], by_submission=True
            )
            raise ApiError(ALREADY_DECIDED, decision=_jsonable(stored[submission_uuid]))
        log_changes(session, ChangeKind.UNIT_DECISION, [target.unit_code], decision_uuid, now)
        return Written("accepted", decision_dicts(session, [decision_uuid])[decision_uuid])


def _refuse_own_provisioned(
    session: Session, caller: Caller, level: Level, submission_uuid: str
) -> None:
    """Refuse (403) passing a report sent from a device set up with the caller's own code."""
    model = TownshipReport if level.below == DivisionLevel.TOWNSHIP.value else UnitReport
    device_pk = session.scalar(
        select(model.device_pk).where(model.submission_uuid == submission_uuid)
    )
    if device_pk is not None and provisioned_by(session, caller.user_id, [device_pk]):
        raise ApiError(OWN_PROVISIONED_DEVICE)


def _repeat_decision(session: Session, decision_uuid: str, digest: str) -> Written | None:
    stored = session.scalar(
        select(UnitDecision.content_hash).where(UnitDecision.decision_uuid == decision_uuid)
    )
    if stored is None:
        return None
    if stored != digest:
        raise ApiError(
            ID_REUSED,
            zh="此审核编号已用于不同的内容",
            en="this decision_uuid is already stored with different content",
        )
    return Written("duplicate", decision_dicts(session, [decision_uuid])[decision_uuid])


def add_adjustment(
    db: Database,
    caller: Caller,
    key: UnitKey,
    adjustment_uuid: str,
    field_name: str,
    raw_delta: object,
    reason: str,
) -> Written:
    """Store one adjustment of the unit's figures with its reason (idempotent by id)."""
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON_CHARS:
        raise ApiError(
            REASON_REQUIRED,
            zh="调整数必须说明原因（不超过 2000 字）",
            en="an adjustment needs a reason (at most 2000 characters)",
        )
    delta = _delta(field_name, raw_delta)
    text = format(delta.normalize(), "f")
    digest = _hash(
        {
            "unit": key.unit.code,
            "event_uuid": key.event_uuid,
            "stage": key.stage,
            "field": field_name,
            "delta": text,
            "reason": reason,
        }
    )
    with db.writing() as session:
        row = {
            "adjustment_uuid": adjustment_uuid,
            "unit_code": key.unit.code,
            "event_uuid": key.event_uuid,
            "stage": key.stage,
            "field": field_name,
            "delta": text,
            "reason": reason,
            "content_hash": digest,
            "user_id": caller.user_id,
            "post_role": caller.post_role_on(key.unit.code),
            "device_pk": caller.device_pk,
            "server_received_at": utc_now(),
        }
        module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        stmt = (
            module.insert(UnitAdjustment)
            .on_conflict_do_nothing(index_elements=["adjustment_uuid"])
            .returning(UnitAdjustment.id)
        )
        inserted = session.execute(stmt, [row]).first() is not None
        stored = session.execute(
            select(UnitAdjustment, User.username, User.display_name)
            .join(User, User.id == UnitAdjustment.user_id)
            .where(UnitAdjustment.adjustment_uuid == adjustment_uuid)
        ).one()
    if not inserted and stored[0].content_hash != digest:
        raise ApiError(
            ID_REUSED,
            zh="此调整编号已用于不同的内容",
            en="this adjustment_uuid is already stored with different content",
        )
    return Written("accepted" if inserted else "duplicate", _adjustment_dict(*stored))


def submit(
    db: Database, caller: Caller, key: UnitKey, submission_uuid: str, raw_figures: object
) -> Written:
    """Store the unit's report if ``raw_figures`` equal the server's total.

    Raises:
        ApiError: 422 ``unknown_field``/``bad_figure``; 409 ``id_reused``, ``unknown_event``,
            ``verified_incomplete`` (with ``missing``, the units below without a passed
            verified report) or ``unit_total_mismatch`` (with ``figures`` and ``issues``).
    """
    if isinstance(raw_figures, dict):
        for name in raw_figures:
            if name not in INDICATOR_BY_FIELD:
                raise ApiError(
                    UNKNOWN_FIELD,
                    zh=f"未知指标：{name}",
                    en=f"unknown indicator: {name}",
                    field=name,
                )
    try:
        figures = parse_figures(raw_figures)
    except ContractError as exc:
        raise ApiError(BAD_FIGURE, zh=exc.zh, en=exc.en, field=exc.field) from None
    digest = _hash(
        {
            "unit": key.unit.code,
            "event_uuid": key.event_uuid,
            "stage": key.stage,
            "figures": figures_json({k: v for k, v in figures.items() if v}),
        }
    )
    with db.writing() as session:
        repeat = _repeat_submission(session, submission_uuid, digest)
        if repeat is not None:
            return repeat
        require_known_event(session, key.unit.code, key.event_uuid, figures)
        computed = unit_figures(session, key)
        if key.stage == ReportStage.VERIFIED.value and (
            computed.verified_missing or not computed.rows
        ):
            raise ApiError(VERIFIED_INCOMPLETE, missing=computed.verified_missing)
        issues = computed.check(figures)
        if issues:
            raise ApiError(
                UNIT_TOTAL_MISMATCH,
                figures=figures_json(computed.totals.figures),
                issues=[i.to_dict() for i in issues],
            )
        row = {
            "submission_uuid": submission_uuid,
            "level": key.unit.level.level,
            "unit_code": key.unit.code,
            "event_uuid": key.event_uuid,
            "event_name": computed.event_name[:200],
            "stage": key.stage,
            "data_cutoff_at": max((r.order[0] for r in computed.rows), default=None),
            "figures_json": json.dumps(figures_json(computed.totals.figures), ensure_ascii=False),
            "rows_json": json.dumps(
                [_jsonable(r.to_dict()) for r in computed.rows], ensure_ascii=False
            ),
            "adjustments_json": json.dumps(
                [_jsonable(a) for a in computed.adjustments], ensure_ascii=False
            ),
            "content_hash": digest,
            "user_id": caller.user_id,
            "post_role": caller.post_role_on(key.unit.code),
            "device_pk": caller.device_pk,
            "server_received_at": utc_now(),
        }
        module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        stmt = (
            module.insert(UnitReport)
            .on_conflict_do_nothing(index_elements=["submission_uuid"])
            .returning(UnitReport.id)
        )
        if session.execute(stmt, [row]).first() is None:  # a concurrent twin won
            repeat = _repeat_submission(session, submission_uuid, digest)
            assert repeat is not None
            return repeat
        return Written("accepted", submission_dicts(session, [submission_uuid])[submission_uuid])


def _repeat_submission(session: Session, submission_uuid: str, digest: str) -> Written | None:
    stored = session.scalar(
        select(UnitReport.content_hash).where(UnitReport.submission_uuid == submission_uuid)
    )
    if stored is None:
        return None
    if stored != digest:
        raise ApiError(
            ID_REUSED,
            zh="此报送编号已用于不同的内容",
            en="this submission_uuid is already stored with different content",
        )
    return Written("duplicate", submission_dicts(session, [submission_uuid])[submission_uuid])


def _jsonable(value: Any) -> Any:
    """Return ``value`` with its datetimes as ISO-8601 text (for stored JSON snapshots)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value

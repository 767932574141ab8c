"""Writing the township report: explicit adjustments and the submission upward (rule 12).

Both are idempotent by an id the reviewer's device makes (``adjustment_uuid``,
``submission_uuid``): the row goes in with ``INSERT … ON CONFLICT DO NOTHING``; a repeat with
the same content answers ``duplicate``, with other content 409 ``id_reused``.  A submission
is stored only when its figures equal the server's total of the approved village reports
plus the adjustments; otherwise 409 ``township_total_mismatch`` carries the server's total.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.contract import INDICATOR_BY_FIELD, ContractError
from sync.contract.report import parse_figure, parse_figures
from sync.server.db import Database, utc_now
from sync.server.dialect import insert_ignore
from sync.server.errors import (
    BAD_FIGURE,
    ID_REUSED,
    REASON_REQUIRED,
    TOWNSHIP_TOTAL_MISMATCH,
    UNKNOWN_FIELD,
    ApiError,
)
from sync.server.jurisdiction import Caller
from sync.server.models import (
    ChangeKind,
    TownshipAdjustment,
    TownshipReport,
    User,
)
from sync.server.services.change_log import log_changes
from sync.server.services.township import (
    adjustment_dict,
    figures_json,
    submission_dicts,
    township_figures,
)
from sync.server.services.unit_coverage import require_township_ready

MAX_REASON_CHARS = 2000


@dataclass(frozen=True)
class Written:
    """The outcome of an idempotent write: ``accepted`` or ``duplicate``, and the record."""

    status: str
    record: dict[str, Any]


@dataclass(frozen=True)
class ReportKey:
    """Which township report: township code, event and stage."""

    township: str
    event_uuid: str
    stage: str


def _hash(data: dict[str, Any]) -> str:
    raw = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _delta(field: str, raw: object) -> Decimal:
    if field not in INDICATOR_BY_FIELD:
        raise ApiError(
            UNKNOWN_FIELD, zh=f"未知指标：{field}", en=f"unknown indicator: {field}", field=field
        )
    try:
        delta = parse_figure(field, raw)
    except ContractError as exc:
        raise ApiError(BAD_FIGURE, zh=exc.zh, en=exc.en, field=field) from None
    quantum = INDICATOR_BY_FIELD[field].quantum
    if delta.is_zero() or delta != delta.quantize(quantum):
        raise ApiError(
            BAD_FIGURE,
            zh="调整数不能为 0，且小数位数须符合该指标",
            en="an adjustment is non-zero and has the indicator's decimals",
            field=field,
        )
    return delta


def add_adjustment(
    db: Database,
    caller: Caller,
    key: ReportKey,
    adjustment_uuid: str,
    field: str,
    raw_delta: object,
    reason: str,
) -> Written:
    """Store one adjustment with its reason (idempotent by ``adjustment_uuid``)."""
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON_CHARS:
        raise ApiError(
            REASON_REQUIRED,
            zh="调整数必须说明原因（不超过 2000 字）",
            en="an adjustment needs a reason (at most 2000 characters)",
        )
    delta = _delta(field, raw_delta)
    text = format(delta.normalize(), "f")
    digest = _hash(
        {
            "township": key.township,
            "event_uuid": key.event_uuid,
            "stage": key.stage,
            "field": field,
            "delta": text,
            "reason": reason,
        }
    )
    now = utc_now()
    with db.writing() as session:
        row = {
            "adjustment_uuid": adjustment_uuid,
            "township_code": key.township,
            "event_uuid": key.event_uuid,
            "stage": key.stage,
            "field": field,
            "delta": text,
            "reason": reason,
            "content_hash": digest,
            "user_id": caller.user_id,
            "post_role": caller.post_role_on(key.township),
            "device_pk": caller.device_pk,
            "server_received_at": now,
        }
        stmt = insert_ignore(session, TownshipAdjustment, ["adjustment_uuid"]).returning(
            TownshipAdjustment.id
        )
        inserted = session.execute(stmt, [row]).first() is not None
        stored = session.execute(
            select(TownshipAdjustment, User.username, User.display_name)
            .join(User, User.id == TownshipAdjustment.user_id)
            .where(TownshipAdjustment.adjustment_uuid == adjustment_uuid)
        ).one()
    if not inserted and stored[0].content_hash != digest:
        raise ApiError(
            ID_REUSED,
            zh="此调整编号已用于不同的内容",
            en="this adjustment_uuid is already stored with different content",
        )
    return Written("accepted" if inserted else "duplicate", adjustment_dict(*stored))


def submit_report(
    db: Database, caller: Caller, key: ReportKey, submission_uuid: str, raw_figures: object
) -> Written:
    """Store the township report if ``raw_figures`` equal the server's total (rule 12).

    Raises:
        ApiError: 422 ``unknown_field``/``bad_figure``; 409 ``id_reused`` or
            ``township_total_mismatch`` (with the server's ``figures`` and the ``issues``).
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
            "township": key.township,
            "event_uuid": key.event_uuid,
            "stage": key.stage,
            "figures": figures_json({k: v for k, v in figures.items() if v}),
        }
    )
    with db.writing() as session:
        repeat = _repeat(session, submission_uuid, digest)
        if repeat is not None:
            return repeat
        require_township_ready(session, key.township, key.event_uuid, key.stage, figures)
        computed = township_figures(session, key.township, key.event_uuid, key.stage)
        issues = computed.check(figures)
        if issues:
            raise ApiError(
                TOWNSHIP_TOTAL_MISMATCH,
                figures=figures_json(computed.totals.figures),
                issues=[i.to_dict() for i in issues],
            )
        now = utc_now()
        row = {
            "submission_uuid": submission_uuid,
            "township_code": key.township,
            "event_uuid": key.event_uuid,
            "event_name": computed.event_name[:200],
            "stage": key.stage,
            "figures_json": json.dumps(figures_json(computed.totals.figures), ensure_ascii=False),
            "villages_json": json.dumps(
                [_jsonable(r.to_dict()) for r in computed.rows], ensure_ascii=False
            ),
            "adjustments_json": json.dumps(
                [_jsonable(a) for a in computed.adjustments], ensure_ascii=False
            ),
            "content_hash": digest,
            "user_id": caller.user_id,
            "post_role": caller.post_role_on(key.township),
            "device_pk": caller.device_pk,
            "server_received_at": now,
        }
        stmt = insert_ignore(session, TownshipReport, ["submission_uuid"]).returning(
            TownshipReport.id
        )
        if session.execute(stmt, [row]).first() is None:  # a concurrent twin won
            repeat = _repeat(session, submission_uuid, digest)
            assert repeat is not None
            return repeat
        log_changes(session, ChangeKind.TOWNSHIP_REPORT, [key.township], submission_uuid, now)
        return Written("accepted", submission_dicts(session, [submission_uuid])[submission_uuid])


def _repeat(session: Session, submission_uuid: str, digest: str) -> Written | None:
    stored = session.scalar(
        select(TownshipReport.content_hash).where(TownshipReport.submission_uuid == submission_uuid)
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


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    """Return ``row`` with its datetimes as ISO-8601 text (for a stored JSON snapshot)."""
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}

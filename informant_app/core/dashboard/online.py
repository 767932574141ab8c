"""The dashboard's online calls: open events, an event's board, the year summary, decisions.

Each needs the server (``account.online.call``: ``ReviewOfflineError`` when none answers,
``ReviewRefusedError`` with the server's code and words when it refuses).  Nothing here writes
the store: the answers are for the eyes of the county, city or township, so the GUI runs each
call on the task manager's ``network`` lane with its read-only connection.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from informant_app.core.account.online import call, signed_in_account
from informant_app.core.dashboard.board import (
    BOARD_ROLES,
    Board,
    board_of_township,
    board_of_unit,
)
from informant_app.core.divisions import divisions_for
from informant_app.core.review.types import ReviewRefusedError
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.types import Account
from sync.client.api import ClientError, SyncClient
from sync.contract.wire.duty import Duty
from sync.contract.wire.events import EventList
from sync.contract.wire.summary import YearSummary
from sync.contract.wire.unit_reports import UnitDecisionResult

__all__ = ["board", "board_account", "decide", "open_events", "year_summary"]

#: The stages a board can be asked for.
STAGES = ("initial", "continuing", "verified")


def board_account(store: ReportStore) -> tuple[Account, str]:
    """Return the signed-in account and its board level (refused for other roles)."""
    account = signed_in_account(store)
    if account is None or account.role not in BOARD_ROLES:
        raise ReviewRefusedError(
            "只有乡镇审核人员和县（区）、市级管理人员可以查看灾情总览",
            "only township reviewers and county and city administrators see the dashboard",
            "not_manager",
        )
    return account, BOARD_ROLES[account.role]


def open_events(store: ReportStore) -> EventList:
    """Return the open events of the account's jurisdiction (``GET /events?under=&open=1``)."""
    account, _level = board_account(store)
    return call(store, lambda c, _a: c.events(account.jurisdiction_code, open_only=True))


def _duty(client: SyncClient, code: str) -> Duty | None:
    """The deadlines now, or ``None`` when the server cannot tell (the board still shows)."""
    try:
        return client.duty(code)
    except ClientError as exc:
        if exc.code in {"forbidden", "not_found"}:
            return None
        raise


def board(
    store: ReportStore,
    event_uuid: str,
    stage: str,
    event_name: str = "",
    day: date | None = None,
) -> Board:
    """Return the event's board for the account's unit (its report, and ``GET /duty``).

    Args:
        store: the store (the account, its token and the division table).
        event_uuid: the event.
        stage: ``initial``, ``continuing`` or ``verified``.
        event_name: the name to show when the report carries none yet.
        day: a past day (China time): the standings at its end (a township's villages from
            ``GET /townships/{code}/completeness?event_uuid=&day=``; the units below a county
            or the city from their reports of every stage); ``None``: now.
    """
    if stage not in STAGES:
        raise ReviewRefusedError(f"未知阶段：{stage}", f"unknown stage: {stage}", "bad_stage")
    account, level = board_account(store)
    code = account.jurisdiction_code
    table = divisions_for(store.data_dir)
    if level == "township":
        township, duty, completeness = call(
            store,
            lambda c, _a: (
                c.township_report(code, event_uuid, stage),
                _duty(c, code),
                c.township_completeness(code, event_uuid, day.isoformat()) if day else None,
            ),
        )
        return board_of_township(township, duty, table, event_name, completeness, day)
    unit, duty, others = call(
        store,
        lambda c, _a: (
            c.unit_report(code, event_uuid, stage),
            _duty(c, code),
            [c.unit_report(code, event_uuid, s) for s in STAGES if s != stage] if day else [],
        ),
    )
    earlier = [row for other in others for row in (*other.rows, *other.waiting)]
    return board_of_unit(unit, duty, table, event_name, day, earlier)


def year_summary(store: ReportStore, year: int | None = None) -> YearSummary:
    """Return the year's summary of the account's unit (``GET /summary/{code}?year=``)."""
    account, _level = board_account(store)
    if year is not None and not 2000 <= year <= 2100:
        raise ReviewRefusedError("年份不对", "not a year", "bad_year")
    return call(store, lambda c, _a: c.year_summary(account.jurisdiction_code, year))


def decide(
    store: ReportStore,
    event_uuid: str,
    stage: str,
    submission_uuid: str,
    decision: Literal["pass", "return"],
    reason: str = "",
    decision_uuid: str | None = None,
) -> UnitDecisionResult:
    """Pass or return a report of a unit below (a return needs a reason).

    Args:
        store: the store (the account and its token).
        event_uuid: the event.
        stage: the stage of the report decided (the waiting row's).
        submission_uuid: the report decided.
        decision: ``pass`` or ``return``.
        reason: why it is returned (required for a return).
        decision_uuid: the decision's id (default: a new one); the same id again is answered
            ``duplicate``.

    Raises:
        ReviewRefusedError: not a county or city administrator, no reason for a return, or
            refused by the server (``already_decided``, ``submission_superseded`` …).
        ReviewOfflineError: no server answered.
    """
    account, level = board_account(store)
    if level == "township":
        raise ReviewRefusedError(
            "只有县（区）和市级管理人员审核下级报表",
            "only county and city administrators pass or return the reports below them",
            "forbidden",
        )
    reason = reason.strip()
    if decision == "return" and not reason:
        raise ReviewRefusedError("退回必须说明原因", "a return needs a reason", "reason_required")
    if stage not in STAGES:
        raise ReviewRefusedError(f"未知阶段：{stage}", f"unknown stage: {stage}", "bad_stage")
    ident = decision_uuid or str(uuid.uuid4())
    return call(
        store,
        lambda c, _a: c.decide_unit_submission(
            account.jurisdiction_code,
            event_uuid,
            stage,
            decision_uuid=ident,
            submission_uuid=submission_uuid,
            decision=decision,
            reason=reason,
        ),
    )

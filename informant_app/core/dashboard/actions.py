"""What a county or city administrator does from the dashboard: adjust, submit, export, merge.

- **Adjust** (rule 12): one reasoned change of the unit's figures (``POST …/adjustments``).
- **Submit upward**: the county submits its report of an event and stage to the city; the
  city's own is the final one.  The total sent is the one the administrator saw; the server
  refuses one that no longer adds up, a verified report while a unit below has not filed its
  verified one (the refusal names them), and a report of an event nobody filed.
- **Export**: the unit report on the national form (``unit_form_of``), written by the same
  writers as the township's.
- **Merge**: two open events of the same disaster type become one (a county within its
  county, the city anywhere); the event merged keeps its reports, which count in the other.

Each online call needs the server (``ReviewOfflineError`` when none answers,
``ReviewRefusedError`` with the server's code and words when it refuses).  Nothing here writes
the store.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from informant_app.core.account.online import call
from informant_app.core.dashboard.online import board_account
from informant_app.core.divisions import divisions_for
from informant_app.core.review.types import ReviewRefusedError
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.types import Account
from informant_app.core.township.national_form import NationalForm, disaster_text, unit_form_of
from sync.client.api import ClientError, SyncClient
from sync.contract import INDICATOR_BY_FIELD
from sync.contract.report import figure_to_json
from sync.contract.wire.events import Event, EventResult
from sync.contract.wire.township import AdjustmentResult
from sync.contract.wire.unit_reports import UnitReport, UnitSubmitResult

__all__ = [
    "MergeChoice",
    "add_unit_adjustment",
    "can_submit",
    "merge_choices",
    "merge_events",
    "needs_submission",
    "submit_upward",
    "unit_export_form",
]

#: The levels whose administrators adjust, submit and merge from the dashboard.
UNIT_LEVELS = ("county", "city")


@dataclass(frozen=True)
class MergeChoice:
    """An open event that may be merged into the event chosen on the dashboard.

    Attributes:
        event: the event offered.
        similar: whether the server finds it close (same type, county and time) to the chosen.
    """

    event: Event
    similar: bool


def _unit_account(store: ReportStore) -> Account:
    """Return the signed-in county or city administrator (refused for other roles)."""
    account, level = board_account(store)
    if level not in UNIT_LEVELS:
        raise ReviewRefusedError(
            "只有县（区）和市级管理人员可以调整、报送或合并",
            "only county and city administrators adjust, submit or merge",
            "forbidden",
        )
    return account


def add_unit_adjustment(
    store: ReportStore,
    event_uuid: str,
    stage: str,
    field_name: str,
    delta: Decimal,
    reason: str,
    adjustment_uuid: str | None = None,
) -> AdjustmentResult:
    """Record one reasoned adjustment of the unit's figures (rule 12).

    Args:
        store: the store (the account and its token).
        event_uuid: the event.
        stage: the stage whose report is adjusted.
        field_name: the indicator.
        delta: the signed change (not zero).
        reason: why (required).
        adjustment_uuid: the adjustment's id (default: a new one).

    Raises:
        ReviewRefusedError: an unknown indicator, no change or no reason, or refused by the
            server.
        ReviewOfflineError: no server answered.
    """
    account = _unit_account(store)
    if field_name not in INDICATOR_BY_FIELD:
        raise ReviewRefusedError(
            f"未知指标：{field_name}", f"unknown indicator: {field_name}", "unknown_field"
        )
    reason = reason.strip()
    if not reason:
        raise ReviewRefusedError(
            "调整数必须说明原因", "an adjustment needs a reason", "reason_required"
        )
    if not delta:
        raise ReviewRefusedError("调整数不能为零", "an adjustment is not zero", "bad_figure")
    value = figure_to_json(field_name, Decimal(delta))
    ident = adjustment_uuid or str(uuid.uuid4())
    return call(
        store,
        lambda c, _a: c.add_unit_adjustment(
            account.jurisdiction_code,
            event_uuid,
            stage,
            adjustment_uuid=ident,
            field_name=field_name,
            delta=value,
            reason=reason,
        ),
    )


def needs_submission(report: UnitReport) -> bool:
    """Whether the unit's total differs from what it last submitted (or was returned)."""
    sub = report.submission
    if sub is None or sub.status == "returned":
        return True
    return {k: v for k, v in sub.figures.items() if v} != {
        k: v for k, v in report.total.items() if v
    }


def can_submit(report: UnitReport) -> bool:
    """Whether "submit upward" is offered for ``report``.

    Its total must differ from what was last submitted (or that was returned), and there must
    be something to submit: a passed report below or an adjustment.  A verified report whose
    units below have not all filed their verified one is offered too, so that the server's
    refusal says which units it waits for.
    """
    if not needs_submission(report):
        return False
    waiting_for_verified = report.stage == "verified" and bool(report.verified_missing)
    return bool(report.rows or report.adjustments or waiting_for_verified)


def _names(store: ReportStore, codes: Sequence[str]) -> str:
    """Return the units' names joined with 、 (the code when unknown)."""
    table = divisions_for(store.data_dir)
    names = []
    for code in codes:
        division = table.get(code)
        names.append(division.name if division is not None else code)
    return "、".join(names)


def submit_upward(
    store: ReportStore, report: UnitReport, submission_uuid: str | None = None
) -> UnitSubmitResult:
    """Submit the unit's report as shown (its ``total``): a county's to the city, the city's final.

    Args:
        store: the store (the account, its token and the division table).
        report: the unit report the administrator saw.
        submission_uuid: the submission's id (default: a new one).

    Raises:
        ReviewRefusedError: not the unit's administrator, or refused by the server:
            ``verified_incomplete`` (the message names the units below without a verified
            report), ``unit_total_mismatch`` (the figures changed meanwhile), ``unknown_event``.
        ReviewOfflineError: no server answered.
    """
    account = _unit_account(store)
    if account.jurisdiction_code != report.unit_code:
        raise ReviewRefusedError(
            "只能报送本级报表", "only the unit's own report is submitted", "forbidden"
        )
    ident = submission_uuid or str(uuid.uuid4())

    def request(client: SyncClient, _account: Account) -> UnitSubmitResult:
        try:
            return client.submit_unit_report(
                report.unit_code,
                report.event_uuid,
                report.stage,
                submission_uuid=ident,
                figures=dict(report.total),
            )
        except ClientError as exc:
            missing = exc.extra.get("missing") if exc.code == "verified_incomplete" else None
            if exc.code == "verified_incomplete":
                codes = [str(c) for c in missing or report.verified_missing]
                if codes:
                    names = _names(store, codes)
                    raise ReviewRefusedError(
                        f"{exc.zh}：{names} 尚未报送核报（核定）报表。",
                        f"{exc.en}: {names} have not filed their verified reports.",
                        exc.code,
                    ) from exc
                raise ReviewRefusedError(
                    f"{exc.zh}：下级还没有报送任何报表。",
                    f"{exc.en}: no unit below has filed a report yet.",
                    exc.code,
                ) from exc
            raise

    return call(store, request)


def unit_export_form(
    store: ReportStore, report: UnitReport, event: Event | None, now: datetime | None = None
) -> NationalForm:
    """Return the unit report on the national form (``unit_form_of``).

    A county or city device seldom keeps the event among its own reports; the disaster type
    and occurrence then come from the registry's ``event``.
    """
    form = unit_form_of(store, report, now)
    if event is None:
        return form
    changes: dict[str, object] = {}
    if form.disaster_type in ("", "—") and event.disaster_type:
        changes["disaster_type"] = disaster_text(event.disaster_type, None)
    if form.occurred_at is None and event.occurred_at is not None:
        changes["occurred_at"] = event.occurred_at
    return replace(form, **changes) if changes else form  # type: ignore[arg-type]


def merge_choices(store: ReportStore, event_uuid: str) -> tuple[Event, list[MergeChoice]]:
    """Return the event chosen and the other open events of its type that may merge into it.

    The open events of the administrator's jurisdiction (``GET /events?open=1``) of the same
    disaster type; those the server finds similar (same county, close in time;
    ``GET /events/similar``) come first, then by closeness in time.

    Raises:
        ReviewRefusedError: not a county or city administrator, or the event is not open in
            the jurisdiction (any more).
        ReviewOfflineError: no server answered.
    """
    account = _unit_account(store)

    def request(client: SyncClient, _account: Account) -> tuple[Event, list[MergeChoice]]:
        events = client.events(account.jurisdiction_code, open_only=True).events
        chosen = next((e for e in events if e.event_uuid == event_uuid), None)
        if chosen is None:
            raise ReviewRefusedError(
                "该灾害过程已不在本辖区的进行中灾害过程里（可能已被合并或结束）",
                "the event is no longer open in your jurisdiction (merged or closed?)",
                "not_found",
            )
        similar: set[str] = set()
        if chosen.county_code and chosen.occurred_at is not None:
            found = client.similar_events(
                chosen.disaster_type, chosen.county_code, chosen.occurred_at
            )
            similar = {e.event_uuid for e in found.events}
        at = chosen.occurred_at or chosen.opened_at

        def distance(e: Event) -> float:
            return abs(((e.occurred_at or e.opened_at) - at).total_seconds())

        others = sorted(
            (
                e
                for e in events
                if e.event_uuid != event_uuid and e.disaster_type == chosen.disaster_type
            ),
            key=lambda e: (e.event_uuid not in similar, distance(e), e.name),
        )
        return chosen, [MergeChoice(e, e.event_uuid in similar) for e in others]

    return call(store, request)


def merge_events(store: ReportStore, keep_uuid: str, merged_uuid: str) -> EventResult:
    """Merge the event ``merged_uuid`` into ``keep_uuid`` (``POST /events/{merged}/merge``).

    The merged event's reports keep its id and count in the kept event from now on.

    Raises:
        ReviewRefusedError: the same event, or refused by the server (another type, outside
            the jurisdiction …).
        ReviewOfflineError: no server answered.
    """
    _unit_account(store)
    if keep_uuid == merged_uuid:
        raise ReviewRefusedError(
            "不能把灾害过程合并到它自己",
            "an event cannot be merged into itself",
            "validation_failed",
        )
    return call(store, lambda c, _a: c.merge_event(merged_uuid, into=keep_uuid))

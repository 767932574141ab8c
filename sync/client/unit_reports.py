"""County review and the county and city reports (``/api/v1/units/…``), mixed into ``SyncClient``.

A *unit* is a county or the city.  Each answer is decoded into its type of
``sync.contract.wire.unit_reports``; client-made ids (``decision_uuid``, ``adjustment_uuid``,
``submission_uuid``) come from the caller, so a request repeated after a lost answer is
recognised by the server as a duplicate.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar
from urllib.parse import quote

from sync.contract.wire.base import Wire, as_object
from sync.contract.wire.township import AdjustmentRequest, AdjustmentResult
from sync.contract.wire.unit_reports import (
    UnitDecisionRequest,
    UnitDecisionResult,
    UnitReport,
    UnitSubmitRequest,
    UnitSubmitResult,
)

API = "/api/v1"

T = TypeVar("T", bound=Wire)


def _unit_path(unit_code: str, event_uuid: str, stage: str) -> str:
    code, event, stage_part = (quote(p, safe="") for p in (unit_code, event_uuid, stage))
    return f"{API}/units/{code}/reports/{event}/{stage_part}"


class UnitReportRequests:
    """The county and city report requests; ``SyncClient`` provides ``_call``."""

    def _call(
        self,
        method: str,
        path: str,
        *,
        answer: type[T],
        check: Callable[[T], None] | None = None,
        auth: bool = True,
        json_body: Any = None,
        raw_body: bytes | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> T:
        raise NotImplementedError

    def unit_report(self, unit_code: str, event_uuid: str, stage: str) -> UnitReport:
        """``GET /units/{code}/reports/{event}/{stage}``: the live county or city report."""
        return self._call("GET", _unit_path(unit_code, event_uuid, stage), answer=UnitReport)

    def decide_unit_submission(
        self,
        unit_code: str,
        event_uuid: str,
        stage: str,
        *,
        decision_uuid: str,
        submission_uuid: str,
        decision: Literal["pass", "return"],
        reason: str = "",
    ) -> UnitDecisionResult:
        """``POST …/decisions``: pass or return a report of a unit below (a return: a reason)."""
        body = UnitDecisionRequest(
            decision_uuid=decision_uuid,
            submission_uuid=submission_uuid,
            decision=decision,
            reason=reason,
        )
        return self._call(
            "POST",
            _unit_path(unit_code, event_uuid, stage) + "/decisions",
            answer=UnitDecisionResult,
            json_body=as_object(body),
        )

    def add_unit_adjustment(
        self,
        unit_code: str,
        event_uuid: str,
        stage: str,
        *,
        adjustment_uuid: str,
        field_name: str,
        delta: int | float | str,
        reason: str,
    ) -> AdjustmentResult:
        """``POST …/adjustments``: one explicit adjustment of the unit's figures, with reason."""
        body = AdjustmentRequest(
            adjustment_uuid=adjustment_uuid, field=field_name, delta=delta, reason=reason
        )
        return self._call(
            "POST",
            _unit_path(unit_code, event_uuid, stage) + "/adjustments",
            answer=AdjustmentResult,
            json_body=as_object(body),
        )

    def submit_unit_report(
        self,
        unit_code: str,
        event_uuid: str,
        stage: str,
        *,
        submission_uuid: str,
        figures: Mapping[str, int | float | str],
    ) -> UnitSubmitResult:
        """``POST …/submit``: submit the total the admin saw (409 when it no longer adds up)."""
        body = UnitSubmitRequest(submission_uuid=submission_uuid, figures=dict(figures))
        return self._call(
            "POST",
            _unit_path(unit_code, event_uuid, stage) + "/submit",
            answer=UnitSubmitResult,
            json_body=as_object(body),
        )

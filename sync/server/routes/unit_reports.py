"""County review and the county and city reports (docs/server.md "County and city reports").

``{code}`` is a county or the city.  The unit itself and the levels above it read the report;
anyone else gets 404.  Only the unit's own admin (a county admin of that county, the city
admin of that city) decides, adjusts and submits; others who see it get 403.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from sync.contract.report import parse_figures
from sync.server.db import utc_now
from sync.server.deps import CallerDep, DbDep, SessionDep
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.schemas.townships import AdjustmentIn, AdjustmentResultOut, SubmitIn
from sync.server.schemas.unit_reports import (
    UnitDecisionIn,
    UnitDecisionResultOut,
    UnitReportOut,
    UnitSubmitResultOut,
)
from sync.server.services.township import figures_json
from sync.server.services.unit_reports import (
    UnitFigures,
    UnitKey,
    add_adjustment,
    check_stage,
    decide,
    latest_submission,
    require_unit_admin,
    submit,
    unit_figures,
    unit_in_reach,
)

router = APIRouter(prefix="/api/v1/units", tags=["units"], responses=COMMON_ERRORS)
REPORT = "/{code}/reports/{event_uuid}/{stage}"


def _check(computed: UnitFigures, figures: dict[str, Any]) -> dict[str, Any]:
    issues = computed.check(parse_figures(figures))
    return {"ok": not issues, "issues": [i.to_dict() for i in issues]}


@router.get(REPORT, response_model=UnitReportOut, responses=error_responses(401, 404))
def unit_report(
    code: str, event_uuid: str, stage: str, caller: CallerDep, session: SessionDep
) -> UnitReportOut:
    """Return the per-unit rows (分乡镇/分县数据), their sum, adjustments, total and queue.

    A row is each unit's latest **passed** report of the event (any stage, latest by data
    cut-off; for ``verified`` only passed verified reports).  ``waiting`` lists the newest
    submissions without a decision; ``verified_missing`` the units below with approved
    village figures but no passed verified report; ``submission`` the unit's latest own one.
    """
    unit = unit_in_reach(session, caller, code)
    key = UnitKey(unit, event_uuid, check_stage(stage))
    computed = unit_figures(session, key)
    total = figures_json(computed.totals.figures)
    return UnitReportOut.model_validate(
        {
            "level": unit.level.level,
            "unit_code": unit.code,
            "unit_name": unit.name,
            "event_uuid": event_uuid,
            "event_name": computed.event_name,
            "stage": stage,
            "rows": [r.to_dict() for r in computed.rows],
            "row_sum": figures_json(computed.totals.village_sum),
            "adjustments": computed.adjustments,
            "total": total,
            "check": _check(computed, total),
            "waiting": [w.to_dict() for w in computed.waiting],
            "verified_missing": computed.verified_missing,
            "submission": latest_submission(session, key),
            "server_time": utc_now(),
        }
    )


@router.post(
    REPORT + "/decisions",
    response_model=UnitDecisionResultOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
def post_decision(
    code: str,
    event_uuid: str,
    stage: str,
    body: UnitDecisionIn,
    caller: CallerDep,
    db: DbDep,
    session: SessionDep,
) -> UnitDecisionResultOut:
    """Pass or return a report of a unit below (a county: its townships'; the city: counties').

    A return needs a reason (422 ``reason_required``).  Idempotent by ``decision_uuid``; a
    report already decided answers 409 ``already_decided``, an older one of a unit that has
    submitted since 409 ``submission_superseded``.  The decision enters the change feed.
    """
    unit = unit_in_reach(session, caller, code)
    key = UnitKey(unit, event_uuid, check_stage(stage))
    session.close()
    require_unit_admin(caller, unit)
    written = decide(
        db, caller, key, body.decision_uuid, body.submission_uuid, body.decision, body.reason
    )
    return UnitDecisionResultOut.model_validate(
        {"status": written.status, "decision": written.record, "server_time": utc_now()}
    )


@router.post(
    REPORT + "/adjustments",
    response_model=AdjustmentResultOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
def post_adjustment(
    code: str,
    event_uuid: str,
    stage: str,
    body: AdjustmentIn,
    caller: CallerDep,
    db: DbDep,
    session: SessionDep,
) -> AdjustmentResultOut:
    """Add an explicit adjustment of one of the unit's figures, with its reason."""
    unit = unit_in_reach(session, caller, code)
    key = UnitKey(unit, event_uuid, check_stage(stage))
    session.close()
    require_unit_admin(caller, unit)
    written = add_adjustment(
        db, caller, key, body.adjustment_uuid, body.field, body.delta, body.reason
    )
    return AdjustmentResultOut.model_validate(
        {"status": written.status, "adjustment": written.record, "server_time": utc_now()}
    )


@router.post(
    REPORT + "/submit",
    response_model=UnitSubmitResultOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
def post_submit(
    code: str,
    event_uuid: str,
    stage: str,
    body: SubmitIn,
    caller: CallerDep,
    db: DbDep,
    session: SessionDep,
) -> UnitSubmitResultOut:
    """Submit the unit's report upward (the city's is final): ``figures`` = the server's total.

    Otherwise 409 ``unit_total_mismatch`` with the server's ``figures`` and the ``issues``;
    409 ``unknown_event`` for an event nobody in the unit filed; for ``verified``, 409
    ``verified_incomplete`` with ``missing`` until every unit below with figures has its
    passed verified report.  Idempotent by ``submission_uuid``.
    """
    unit = unit_in_reach(session, caller, code)
    key = UnitKey(unit, event_uuid, check_stage(stage))
    session.close()
    require_unit_admin(caller, unit)
    written = submit(db, caller, key, body.submission_uuid, body.figures)
    return UnitSubmitResultOut.model_validate(
        {"status": written.status, "report": written.record, "server_time": utc_now()}
    )

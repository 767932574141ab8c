"""The township report (rule 12), its adjustments and submission, and completeness."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from sync.contract.report import parse_figures
from sync.server.db import utc_now
from sync.server.deps import CallerDep, DbDep, NowDep, SessionDep
from sync.server.errors import BAD_REQUEST, ApiError
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.schemas.townships import (
    AdjustmentIn,
    AdjustmentResultOut,
    CompletenessOut,
    SubmissionsOut,
    SubmitIn,
    SubmitResultOut,
    TownshipReportOut,
)
from sync.server.services.completeness import Window, completeness
from sync.server.services.township import (
    TownshipFigures,
    check_stage,
    figures_json,
    latest_submission,
    list_submissions,
    require_reviewer,
    township_figures,
    township_in_reach,
)
from sync.server.services.township_writes import ReportKey, add_adjustment, submit_report

router = APIRouter(prefix="/api/v1/townships", tags=["township"], responses=COMMON_ERRORS)
REPORT = "/{code}/reports/{event_uuid}/{stage}"


def _check(computed: TownshipFigures, figures: dict[str, Any]) -> dict[str, Any]:
    issues = computed.check(parse_figures(figures))
    return {"ok": not issues, "issues": [i.to_dict() for i in issues]}


@router.get(REPORT, response_model=TownshipReportOut, responses=error_responses(401, 404))
def township_report(
    code: str, event_uuid: str, stage: str, caller: CallerDep, session: SessionDep
) -> TownshipReportOut:
    """Return the approved village rows, their sum, the adjustments, the total and rule 12.

    ``submission`` is the latest submitted report of this event and stage (or null), with
    its own rule-12 check against the reports approved now: ``ok`` false means it is stale.
    """
    township = township_in_reach(session, caller, code)
    computed = township_figures(session, township.code, event_uuid, check_stage(stage))
    total = figures_json(computed.totals.figures)
    submission = latest_submission(session, township.code, event_uuid, stage)
    if submission is not None:
        submission["check"] = _check(computed, submission["figures"])
    return TownshipReportOut.model_validate(
        {
            "township_code": township.code,
            "township_name": township.name,
            "event_uuid": event_uuid,
            "event_name": computed.event_name,
            "stage": stage,
            "villages": [r.to_dict() for r in computed.rows],
            "village_sum": figures_json(computed.totals.village_sum),
            "adjustments": computed.adjustments,
            "total": total,
            "check": _check(computed, total),
            "submission": submission,
            "server_time": utc_now(),
        }
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
    """Add an explicit adjustment of one figure, with its reason (township reviewer only).

    Idempotent by ``adjustment_uuid``: the same again answers ``duplicate``; other content
    under the same id answers 409 ``id_reused``.  No reason: 422 ``reason_required``.
    """
    township = township_in_reach(session, caller, code)
    key = ReportKey(township.code, event_uuid, check_stage(stage))
    session.close()
    require_reviewer(caller)
    written = add_adjustment(
        db, caller, key, body.adjustment_uuid, body.field, body.delta, body.reason
    )
    return AdjustmentResultOut.model_validate(
        {"status": written.status, "adjustment": written.record, "server_time": utc_now()}
    )


@router.post(
    REPORT + "/submit",
    response_model=SubmitResultOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
def submit(
    code: str,
    event_uuid: str,
    stage: str,
    body: SubmitIn,
    caller: CallerDep,
    db: DbDep,
    session: SessionDep,
) -> SubmitResultOut:
    """Submit the township report: ``figures`` must equal the server's total (rule 12).

    Otherwise 409 ``township_total_mismatch`` carries the server's ``figures`` and the
    ``issues``.  Idempotent by ``submission_uuid``.
    """
    township = township_in_reach(session, caller, code)
    key = ReportKey(township.code, event_uuid, check_stage(stage))
    session.close()
    require_reviewer(caller)
    written = submit_report(db, caller, key, body.submission_uuid, body.figures)
    return SubmitResultOut.model_validate(
        {"status": written.status, "report": written.record, "server_time": utc_now()}
    )


@router.get("/{code}/reports", response_model=SubmissionsOut, responses=error_responses(401, 404))
def submissions(
    code: str,
    caller: CallerDep,
    session: SessionDep,
    event_uuid: Annotated[str | None, Query(description="Only this event.")] = None,
) -> SubmissionsOut:
    """List the township reports submitted by the township, oldest first."""
    township = township_in_reach(session, caller, code)
    return SubmissionsOut.model_validate(
        {
            "township_code": township.code,
            "township_name": township.name,
            "reports": list_submissions(session, township.code, event_uuid),
            "server_time": utc_now(),
        }
    )


@router.get(
    "/{code}/completeness", response_model=CompletenessOut, responses=error_responses(400, 401, 404)
)
def township_completeness(
    code: str,
    caller: CallerDep,
    session: SessionDep,
    now: NowDep,
    event_uuid: Annotated[str | None, Query(description="Reported for this event.")] = None,
    day: Annotated[
        date | None, Query(description="Reported on this day (China time, YYYY-MM-DD).")
    ] = None,
) -> CompletenessOut:
    """List every village of the township, whether it reported, and who is on duty now."""
    township = township_in_reach(session, caller, code)
    if event_uuid is None and day is None:
        raise ApiError(
            BAD_REQUEST,
            zh="请给出 event_uuid 或 day（或两者）",
            en="give event_uuid or day (or both)",
        )
    result = completeness(session, township, Window(event_uuid, day), now)
    return CompletenessOut.model_validate({**result, "server_time": now})

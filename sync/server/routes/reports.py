"""Pushing report versions in batches, and reading reports and their history within reach."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from sync.contract import PROTOCOL_VERSION
from sync.server.db import utc_now
from sync.server.deps import CallerDep, DbDep, NowDep, SessionDep, SettingsDep
from sync.server.errors import (
    BATCH_TOO_LARGE,
    DEVICE_MISMATCH,
    PROTOCOL_MISMATCH,
    UNSTORABLE_TEXT,
    ApiError,
)
from sync.server.jurisdiction import check_under
from sync.server.routes.auth import ACCOUNT_REVISION_HEADER, account_revision
from sync.server.schemas.common import COMMON_ERRORS, error_responses, unstorable_at
from sync.server.schemas.reports import (
    BatchIn,
    BatchOut,
    HistoryOut,
    ItemResultOut,
    ReportOut,
    ReportPageOut,
    ReportSummaryOut,
    VersionOut,
)
from sync.server.services import reads
from sync.server.services.divisions import division_table
from sync.server.services.ingest import Quota, ingest_batch
from sync.server.services.review import report_history

router = APIRouter(prefix="/api/v1/reports", tags=["reports"], responses=COMMON_ERRORS)


@router.post("/batch", response_model=BatchOut, responses=error_responses(400, 401, 413, 422))
def push_batch(
    body: BatchIn,
    caller: CallerDep,
    db: DbDep,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    response: Response,
) -> BatchOut:
    """Store a batch of report versions; answer one result per item, in order.

    The request fails as a whole only for sign-in, protocol, device or size errors; each
    item otherwise gets ``accepted``, ``duplicate``, ``conflict``, ``rejected`` with a code,
    or ``quota`` (the account's daily quota is used up: the device keeps it queued).  The
    ``X-Account-Revision`` header is ``GET /me``'s, read after the batch is stored: a device
    that holds ``/me``'s answer of the same revision needs no ``/me`` in this round.
    """
    if body.protocol_version != PROTOCOL_VERSION:
        raise ApiError(PROTOCOL_MISMATCH, server_protocol_version=PROTOCOL_VERSION)
    if body.device_id != caller.device_id:
        raise ApiError(DEVICE_MISMATCH)
    if len(body.items) > settings.batch_max_items:
        raise ApiError(
            BATCH_TOO_LARGE,
            zh=f"一次最多提交 {settings.batch_max_items} 条报告版本",
            en=f"at most {settings.batch_max_items} versions per batch",
            limit=settings.batch_max_items,
        )
    divisions = division_table(session, within=[p.division_code for p in caller.posts])
    session.close()
    # An item holding text no database can store is rejected on its own; the rest go on.
    unstorable = {i: where for i, raw in enumerate(body.items) if (where := unstorable_at(raw))}
    storable = [raw for i, raw in enumerate(body.items) if i not in unstorable]
    quota = Quota(settings.quota_versions, settings.quota_version_bytes)
    outcome = ingest_batch(db, caller, storable, body.device_time, divisions, now, quota)
    with db.read_session() as after:  # after the batch: an event it opened counts
        response.headers[ACCOUNT_REVISION_HEADER] = account_revision(after, caller)
    stored = iter(ItemResultOut.model_validate(r, from_attributes=True) for r in outcome.results)
    return BatchOut(
        server_time=outcome.server_time,
        results=[
            _unstorable_item(raw, unstorable[i]) if i in unstorable else next(stored)
            for i, raw in enumerate(body.items)
        ],
    )


def _unstorable_item(raw: dict[str, Any], where: str) -> ItemResultOut:
    version_uuid = raw.get("version_uuid")
    k = UNSTORABLE_TEXT
    return ItemResultOut(
        version_uuid=version_uuid
        if isinstance(version_uuid, str) and unstorable_at(version_uuid) is None
        else None,
        status="rejected",
        code=k.code,
        message_zh=f"{k.zh}（{where}）",
        message_en=f"{k.en} ({where})",
    )


@router.get("", response_model=ReportPageOut, responses=error_responses(400, 401, 404))
def list_reports(
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
    under: Annotated[str | None, Query(description="A division code within your reach.")] = None,
    cursor: Annotated[str | None, Query(description="From the previous page.")] = None,
    limit: Annotated[int, Query(ge=1)] = 100,
    event_uuid: Annotated[str | None, Query(description="Only this event.")] = None,
    stage: Annotated[
        Literal["initial", "continuing", "verified"] | None,
        Query(description="Only current versions of this stage."),
    ] = None,
    review_status: Annotated[
        Literal["pending", "returned", "approved"] | None,
        Query(description="Only reports in this review state."),
    ] = None,
) -> ReportPageOut:
    """List the reports inside ``under`` (default: everything you may see), page by page.

    Each carries its current version's ``review_status`` and the ``review`` decision.
    """
    only = reads.ReportFilter(event_uuid, stage, review_status)
    page = reads.list_reports(
        session, caller, check_under(caller, under), cursor, min(limit, settings.page_max), only
    )
    return ReportPageOut(
        reports=[ReportSummaryOut(**r) for r in page.reports],
        cursor=page.cursor,
        has_more=page.has_more,
    )


@router.get("/{report_uuid}", response_model=ReportOut, responses=error_responses(401, 404))
def get_report(report_uuid: str, caller: CallerDep, session: SessionDep) -> ReportOut:
    """Return a report with every version (404 when outside your reach)."""
    report = reads.get_report(session, caller, report_uuid)
    versions = [VersionOut(**v) for v in report.pop("versions")]
    return ReportOut(**report, versions=versions)


@router.get(
    "/{report_uuid}/history", response_model=HistoryOut, responses=error_responses(401, 404)
)
def get_history(report_uuid: str, caller: CallerDep, session: SessionDep) -> HistoryOut:
    """Return every change of the report's state, in server order (404 outside your reach).

    Kinds: ``received``, ``resubmitted`` (a new version after a return or an approval),
    ``conflict`` (a version stored as a conflict), ``returned``, ``approved`` and
    ``decision_conflict`` (a decision recorded but not applied).
    """
    status, events = report_history(session, caller, report_uuid)
    return HistoryOut.model_validate(
        {
            "report_uuid": report_uuid,
            "review_status": status,
            "events": events,
            "server_time": utc_now(),
        }
    )

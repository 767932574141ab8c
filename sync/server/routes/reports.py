"""Pushing report versions in batches, and reading reports within the caller's reach."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from sync.contract import PROTOCOL_VERSION
from sync.server.deps import CallerDep, DbDep, SessionDep, SettingsDep
from sync.server.errors import BATCH_TOO_LARGE, DEVICE_MISMATCH, PROTOCOL_MISMATCH, ApiError
from sync.server.jurisdiction import check_under
from sync.server.schemas.common import error_responses
from sync.server.schemas.reports import (
    BatchIn,
    BatchOut,
    ItemResultOut,
    ReportOut,
    ReportPageOut,
    ReportSummaryOut,
    VersionOut,
)
from sync.server.services import reads
from sync.server.services.divisions import division_table
from sync.server.services.ingest import ingest_batch

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])


@router.post("/batch", response_model=BatchOut,
             responses=error_responses(400, 401, 413, 422))
def push_batch(body: BatchIn, caller: CallerDep, db: DbDep, session: SessionDep,
               settings: SettingsDep) -> BatchOut:
    """Store a batch of report versions; answer one result per item, in order.

    The request fails as a whole only for sign-in, protocol, device or size errors; each
    item otherwise gets ``accepted``, ``duplicate``, ``conflict`` or ``rejected`` with a code.
    """
    if body.protocol_version != PROTOCOL_VERSION:
        raise ApiError(PROTOCOL_MISMATCH, server_protocol_version=PROTOCOL_VERSION)
    if body.device_id != caller.device_id:
        raise ApiError(DEVICE_MISMATCH)
    if len(body.items) > settings.batch_max_items:
        raise ApiError(BATCH_TOO_LARGE, zh=f"一次最多提交 {settings.batch_max_items} 条报告版本",
                       en=f"at most {settings.batch_max_items} versions per batch",
                       limit=settings.batch_max_items)
    divisions = division_table(session)
    session.close()
    outcome = ingest_batch(db, caller, body.items, body.device_time, divisions)
    return BatchOut(server_time=outcome.server_time,
                    results=[ItemResultOut.model_validate(r, from_attributes=True)
                             for r in outcome.results])


@router.get("", response_model=ReportPageOut, responses=error_responses(400, 401, 404))
def list_reports(
    caller: CallerDep, session: SessionDep, settings: SettingsDep,
    under: Annotated[str | None, Query(description="A division code within your reach.")] = None,
    cursor: Annotated[str | None, Query(description="From the previous page.")] = None,
    limit: Annotated[int, Query(ge=1)] = 100,
) -> ReportPageOut:
    """List the reports inside ``under`` (default: everything you may see), page by page."""
    page = reads.list_reports(session, caller, check_under(caller, under), cursor,
                              min(limit, settings.page_max))
    return ReportPageOut(reports=[ReportSummaryOut(**r) for r in page.reports],
                         cursor=page.cursor, has_more=page.has_more)


@router.get("/{report_uuid}", response_model=ReportOut, responses=error_responses(401, 404))
def get_report(report_uuid: str, caller: CallerDep, session: SessionDep) -> ReportOut:
    """Return a report with every version (404 when outside your reach)."""
    report = reads.get_report(session, caller, report_uuid)
    versions = [VersionOut(**v) for v in report.pop("versions")]
    return ReportOut(**report, versions=versions)

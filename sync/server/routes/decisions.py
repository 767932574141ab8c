"""Pushing township review decisions (approve / return) in batches."""

from __future__ import annotations

from fastapi import APIRouter

from sync.contract import PROTOCOL_VERSION
from sync.server.deps import CallerDep, DbDep, SettingsDep
from sync.server.errors import BATCH_TOO_LARGE, DEVICE_MISMATCH, PROTOCOL_MISMATCH, ApiError
from sync.server.schemas.common import error_responses
from sync.server.schemas.decisions import DecisionBatchIn, DecisionBatchOut, DecisionResultOut
from sync.server.services.decisions import decide_batch

router = APIRouter(prefix="/api/v1/decisions", tags=["review"])


@router.post("/batch", response_model=DecisionBatchOut,
             responses=error_responses(400, 401, 413, 422))
def push_decisions(body: DecisionBatchIn, caller: CallerDep, db: DbDep,
                   settings: SettingsDep) -> DecisionBatchOut:
    """Store a batch of decisions; answer one result per item, in order.

    Each item gets ``accepted`` (applied), ``duplicate``, ``conflict`` (recorded, not
    applied: the version is superseded or already approved) or ``rejected`` with a code.
    Only a township reviewer whose township holds the village may decide.
    """
    if body.protocol_version != PROTOCOL_VERSION:
        raise ApiError(PROTOCOL_MISMATCH, server_protocol_version=PROTOCOL_VERSION)
    if body.device_id != caller.device_id:
        raise ApiError(DEVICE_MISMATCH)
    if len(body.items) > settings.batch_max_items:
        raise ApiError(BATCH_TOO_LARGE, zh=f"一次最多提交 {settings.batch_max_items} 条审核决定",
                       en=f"at most {settings.batch_max_items} decisions per batch",
                       limit=settings.batch_max_items)
    outcome = decide_batch(db, caller, body.items, body.device_time)
    return DecisionBatchOut(server_time=outcome.server_time,
                            results=[DecisionResultOut.model_validate(r, from_attributes=True)
                                     for r in outcome.results])

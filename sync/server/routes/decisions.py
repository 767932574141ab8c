"""Pushing township review decisions (approve / return) in batches."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from sync.contract import PROTOCOL_VERSION
from sync.server.deps import CallerDep, DbDep, SettingsDep
from sync.server.errors import (
    BATCH_TOO_LARGE,
    DEVICE_MISMATCH,
    PROTOCOL_MISMATCH,
    UNSTORABLE_TEXT,
    ApiError,
)
from sync.server.schemas.common import COMMON_ERRORS, error_responses, unstorable_at
from sync.server.schemas.decisions import DecisionBatchIn, DecisionBatchOut, DecisionResultOut
from sync.server.services.decisions import decide_batch

router = APIRouter(prefix="/api/v1/decisions", tags=["review"], responses=COMMON_ERRORS)


@router.post(
    "/batch", response_model=DecisionBatchOut, responses=error_responses(400, 401, 413, 422)
)
def push_decisions(
    body: DecisionBatchIn, caller: CallerDep, db: DbDep, settings: SettingsDep
) -> DecisionBatchOut:
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
        raise ApiError(
            BATCH_TOO_LARGE,
            zh=f"一次最多提交 {settings.batch_max_items} 条审核决定",
            en=f"at most {settings.batch_max_items} decisions per batch",
            limit=settings.batch_max_items,
        )
    # An item holding text no database can store is rejected on its own; the rest go on.
    unstorable = {i: where for i, raw in enumerate(body.items) if (where := unstorable_at(raw))}
    storable = [raw for i, raw in enumerate(body.items) if i not in unstorable]
    outcome = decide_batch(db, caller, storable, body.device_time)
    decided = iter(
        DecisionResultOut.model_validate(r, from_attributes=True) for r in outcome.results
    )
    return DecisionBatchOut(
        server_time=outcome.server_time,
        results=[
            _unstorable_item(raw, unstorable[i]) if i in unstorable else next(decided)
            for i, raw in enumerate(body.items)
        ],
    )


def _unstorable_item(raw: dict[str, Any], where: str) -> DecisionResultOut:
    def storable(key: str) -> str | None:
        value = raw.get(key)
        return value if isinstance(value, str) and unstorable_at(value) is None else None

    k = UNSTORABLE_TEXT
    return DecisionResultOut(
        decision_uuid=storable("decision_uuid"),
        status="rejected",
        code=k.code,
        message_zh=f"{k.zh}（{where}）",
        message_en=f"{k.en} ({where})",
        version_uuid=storable("version_uuid"),
        applied=False,
        review_status=None,
        current_version_uuid=None,
    )

"""Signing a handover off."""

from __future__ import annotations

from fastapi import APIRouter

from sync.server.deps import CallerDep, DbDep, NowDep
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.schemas.duty import SignOffIn, SignOffOut
from sync.server.services.handovers import sign_off

router = APIRouter(prefix="/api/v1/handovers", tags=["roster"], responses=COMMON_ERRORS)


@router.post(
    "/{handover_uuid}/sign-off",
    response_model=SignOffOut,
    responses=error_responses(401, 403, 404, 422),
)
def sign(
    handover_uuid: str, caller: CallerDep, db: DbDep, now: NowDep, body: SignOffIn | None = None
) -> SignOffOut:
    """Sign a handover off (the post's manager); a repeat answers ``duplicate``."""
    done = sign_off(db, caller, handover_uuid, body.note if body else "", now)
    return SignOffOut.model_validate(
        {"status": done.status, "handover": done.handover, "server_time": now}
    )

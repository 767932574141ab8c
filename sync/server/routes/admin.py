"""``/api/v1/admin``: see sync/contract/wire/admin.py."""

from __future__ import annotations

from fastapi import APIRouter

from sync.server.schemas.common import COMMON_ERRORS

router = APIRouter(prefix="/api/v1/admin", tags=["admin"], responses=COMMON_ERRORS)

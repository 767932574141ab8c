"""``GET /api/v1/changes``: what changed within the caller's reach, after a cursor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from sync.server.deps import CallerDep, SessionDep, SettingsDep
from sync.server.routes.auth import ACCOUNT_REVISION_HEADER, account_revision
from sync.server.schemas.changes import ChangesOut
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.services.changes import Cursor, page_json, read_changes

router = APIRouter(prefix="/api/v1", tags=["changes"], responses=COMMON_ERRORS)


@router.get("/changes", response_model=ChangesOut, responses=error_responses(400, 401))
def changes(
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
    cursor: Annotated[str | None, Query(description="Opaque; omit to start.")] = None,
    limit: Annotated[int, Query(ge=1)] = 100,
) -> Response:
    """Return the next page of changes you may see.

    Pull again with the returned ``cursor`` while ``has_more``.  A change that commits late
    is never skipped (see ``docs/server.md``).  The answer is written directly in the
    ``ChangesOut`` shape: each version's stored canonical content goes out as is.  The
    ``X-Account-Revision`` header is ``GET /me``'s (as on the push's answer).
    """
    page = read_changes(session, caller, Cursor.decode(cursor), min(limit, settings.page_max))
    answer = Response(page_json(session, page), media_type="application/json")
    # /me's fingerprint: a device that pushed nothing needs no /me while it is unchanged.
    answer.headers[ACCOUNT_REVISION_HEADER] = account_revision(session, caller)
    return answer

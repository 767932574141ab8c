"""Photo upload (chunked, resumable, SHA-256 checked) and download within reach."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from sync.server.deps import CallerDep, DbDep, PhotosDep, SessionDep
from sync.server.errors import NOT_FOUND, ApiError
from sync.server.jurisdiction import reach_sql
from sync.server.models import VersionPhoto
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.schemas.photos import PhotoStateOut
from sync.server.services.photos import check_sha, too_large

router = APIRouter(prefix="/api/v1/photos", tags=["photos"], responses=COMMON_ERRORS)


@router.get("/{sha256}", response_model=PhotoStateOut, responses=error_responses(401, 404))
def photo_state(
    sha256: str, caller: CallerDep, session: SessionDep, photos: PhotosDep
) -> PhotoStateOut:
    """Return how much of a photo has arrived: resume the upload at ``received``."""
    sha = check_sha(sha256)
    state = photos.state(session, sha)
    return PhotoStateOut(
        sha256=sha, size=state.size, received=state.received, complete=state.complete
    )


@router.put(
    "/{sha256}",
    response_model=PhotoStateOut,
    responses=error_responses(400, 401, 404, 409, 413, 422),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    },
)
async def put_photo_chunk(
    sha256: str,
    request: Request,
    caller: CallerDep,
    db: DbDep,
    photos: PhotosDep,
    offset: Annotated[int, Query(ge=0, description="Must equal the bytes already received.")],
    size: Annotated[int, Query(ge=1, description="The photo's total size in bytes.")],
) -> PhotoStateOut:
    """Append the raw body (``application/octet-stream``) at ``offset``.

    A wrong offset answers 409 ``offset_mismatch`` with ``received``; the last chunk is
    checked against the SHA-256 (422 ``photo_hash_mismatch`` discards the upload).  A photo
    already complete answers ``complete`` at once.
    """
    sha = check_sha(sha256)
    if size > photos.max_bytes:
        raise too_large(photos.max_bytes)
    chunk = await request.body()
    state = await run_in_threadpool(photos.put_chunk, db, sha, offset, size, chunk)
    return PhotoStateOut(
        sha256=sha, size=state.size, received=state.received, complete=state.complete
    )


@router.get(
    "/{sha256}/content",
    response_class=FileResponse,
    responses={200: {"content": {"application/octet-stream": {}}}, **error_responses(401, 404)},
)
def photo_content(
    sha256: str, caller: CallerDep, session: SessionDep, photos: PhotosDep
) -> FileResponse:
    """Return a complete photo's bytes, if a report you may see lists it (else 404)."""
    sha = check_sha(sha256)
    listed = session.scalar(
        select(VersionPhoto.sha256)
        .where(VersionPhoto.sha256 == sha, reach_sql(caller, VersionPhoto.village_code))
        .limit(1)
    )
    path = photos.final_path(sha)
    if listed is None or not path.exists():
        raise ApiError(NOT_FOUND)
    return FileResponse(path, media_type="application/octet-stream")

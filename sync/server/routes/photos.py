"""Photo upload (chunked, resumable, per device, SHA-256 checked) and reading within reach.

Who may call: every signed-in account (401 without a token; an unauthenticated caller costs
one token check).  Uploads are per device and limited per account (429
``photo_uploads_limit``); reading a photo's bytes, and being told it is complete, needs a
village with access to it within the caller's reach (``services.photos``).  Nothing is written
to the security log: a refused upload is logged to the process log (account and device).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from sync.contract.wire.reports import CHUNK_DIGEST_HEADER, digest_in
from sync.server.deps import CallerDep, DbDep, NowDep, PhotosDep, SessionDep, SettingsDep
from sync.server.errors import BAD_REQUEST, NOT_FOUND, ApiError
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.schemas.photos import PhotoStateOut
from sync.server.services.photos import PartialLimits, check_sha, too_large

router = APIRouter(prefix="/api/v1/photos", tags=["photos"], responses=COMMON_ERRORS)


@router.get("/{sha256}", response_model=PhotoStateOut, responses=error_responses(401, 404))
def photo_state(
    sha256: str, caller: CallerDep, session: SessionDep, photos: PhotosDep
) -> PhotoStateOut:
    """Return how much of a photo this device has sent: resume the upload at ``received``.

    ``complete`` only when the photo is here and a village with access to it lies within the
    caller's reach; otherwise the device's own unfinished upload (``size`` null when it has
    sent nothing), even when another village's device uploaded the same photo: the device
    then sends the bytes, which proves it holds them, and its villages get access.
    """
    sha = check_sha(sha256)
    state = photos.state(session, caller, sha)
    return PhotoStateOut(
        sha256=sha, size=state.size, received=state.received, complete=state.complete
    )


@router.put(
    "/{sha256}",
    response_model=PhotoStateOut,
    responses=error_responses(400, 401, 404, 409, 413, 422, 429),
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
    settings: SettingsDep,
    now: NowDep,
    offset: Annotated[int, Query(ge=0, description="Must equal the bytes already received.")],
    size: Annotated[int, Query(ge=1, description="The photo's total size in bytes.")],
    content_digest: Annotated[
        str | None,
        Header(
            alias=CHUNK_DIGEST_HEADER,
            description="RFC 9530 `sha-256=:<base64>:` of this chunk: a chunk that does not "
            "match is refused alone (422 `chunk_corrupt`). Optional (older apps).",
        ),
    ] = None,
) -> PhotoStateOut:
    """Append the raw body (``application/octet-stream``) at ``offset`` of this device's upload.

    A wrong offset answers 409 ``offset_mismatch`` with ``received``; a chunk whose
    ``Content-Digest`` does not match answers 422 ``chunk_corrupt`` and keeps what came before;
    the last chunk is checked against the SHA-256 (422 ``photo_hash_mismatch`` discards the
    upload).  Starting a new upload beyond the account's limits answers 429
    ``photo_uploads_limit``.  A photo the caller may already read answers ``complete`` at once.
    """
    sha = check_sha(sha256)
    if size > photos.max_bytes:
        raise too_large(photos.max_bytes)
    digest = None
    if content_digest is not None:
        try:
            digest = digest_in(content_digest)
        except ValueError as exc:
            raise ApiError(
                BAD_REQUEST,
                zh="Content-Digest 格式不正确（应为 sha-256=:<base64>:）",
                en=f"Content-Digest is malformed ({exc}); expected sha-256=:<base64>:",
            ) from exc
    chunk = await request.body()
    state = await run_in_threadpool(
        photos.put_chunk,
        db,
        caller,
        sha,
        offset,
        size,
        chunk,
        now=now,
        limits=PartialLimits.from_settings(settings),
        digest=digest,
    )
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
    """Return a complete photo's bytes, if a village with access lies within your reach.

    Access comes from uploading the bytes (not from listing the hash in a report); a photo
    uploaded before access rows existed is read when a report you may see lists it.  Else 404.
    """
    sha = check_sha(sha256)
    path = photos.final_path(sha)
    if not photos.readable(session, caller, sha) or not path.exists():
        raise ApiError(NOT_FOUND)
    return FileResponse(path, media_type="application/octet-stream")

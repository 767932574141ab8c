"""``GET /health``: the server answers and reaches its database."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from sync.contract import PROTOCOL_VERSION
from sync.server.db import utc_now
from sync.server.deps import DbDep
from sync.server.migrate import current_revision
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.schemas.health import HealthOut

router = APIRouter(tags=["health"], responses=COMMON_ERRORS)


def server_version() -> str:
    """Return the installed release of the server's package (``unknown`` from a bare tree)."""
    try:
        return version("informant-app")
    except PackageNotFoundError:
        return "unknown"


@router.get("/health", response_model=HealthOut, responses=error_responses(503))
def health(db: DbDep) -> HealthOut | JSONResponse:
    """Report liveness, the database's state, the protocol version and the release."""
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            revision = current_revision(conn)
    except SQLAlchemyError:
        body = HealthOut(
            status="unavailable",
            db="unreachable",
            dialect=db.dialect,
            schema_revision=None,
            protocol_version=PROTOCOL_VERSION,
            server_version=server_version(),
            server_time=utc_now(),
        )
        return JSONResponse(body.model_dump(mode="json"), status_code=503)
    return HealthOut(
        status="ok",
        db="ok",
        dialect=db.dialect,
        schema_revision=revision,
        protocol_version=PROTOCOL_VERSION,
        server_version=server_version(),
        server_time=utc_now(),
    )

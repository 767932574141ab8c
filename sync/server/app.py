"""The FastAPI application factory of the city server.

``create_app(settings, clock)`` builds an app with its own engine, photo store, password hasher
and clock (nothing global), so tests can run several side by side and move time.
``app_from_env`` is the factory uvicorn's multi-process mode imports (``--workers N``): each
process reads the same ``CITY_*`` environment.  Each process, as it starts, removes the
unfinished photo uploads that went idle past their time while no upload came in.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import FastAPI, Request, Response
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.middleware.gzip import GZipMiddleware

from sync.contract import PROTOCOL_VERSION
from sync.server.admission import AdmissionMiddleware
from sync.server.bootstrap import prepare_database
from sync.server.db import Database, utc_now
from sync.server.errors import install_error_handlers
from sync.server.headers import SecurityHeadersMiddleware
from sync.server.integrity import BodyDigestMiddleware
from sync.server.limits import BodyLimitMiddleware
from sync.server.routes import (
    absences,
    admin,
    auth,
    changes,
    decisions,
    divisions,
    duty,
    events,
    events_registry,
    handovers,
    health,
    photos,
    provisioning,
    register,
    reports,
    roster,
    summary,
    townships,
    unit_reports,
    users,
)
from sync.server.security import Passwords
from sync.server.services.photos import PartialLimits, PhotoStore
from sync.server.services.signin_guard import HashPool, SlowedCache
from sync.server.settings import Settings

log = logging.getLogger(__name__)

#: Answers at least this long are sent gzip-compressed when the client accepts it.
GZIP_MIN_BYTES = 1024

API_DESCRIPTION = """
The city server of the disaster-reporting system.  Devices sign in, push report versions in
batches, upload photos in resumable chunks and pull what changed by an opaque cursor.
Township reviewers approve or return versions, adjust and submit the township report, manage
the A/B roster of their villages and open events, whose deadlines `GET /api/v1/duty` shows.
Managers issue one-time set-up codes that sign a new device in without a password.
Every error is JSON: `{"error": {"code": "...", "zh": "...", "en": "..."}}`.
"""


def create_app(
    settings: Settings | None = None, clock: Callable[[], datetime] | None = None
) -> FastAPI:
    """Return the city server's ASGI app for ``settings`` (default: from the environment).

    ``clock`` gives the current UTC time to the duty routes and the ingest (default:
    ``utc_now``); tests pass a clock they can move.
    """
    settings = settings or Settings()
    db = Database(
        settings.url, settings.db_pool_size, settings.db_max_overflow, settings.db_pool_timeout
    )
    if settings.migrate_on_start:
        prepare_database(db)

    # Argon2 for sign-ins runs here, never in the thread pool the sync routes share.
    hash_pool = HashPool(settings.login_hash_workers, settings.login_hash_queue)

    @asynccontextmanager
    async def lifespan(started: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(sweep_photos, started)
        yield
        hash_pool.shutdown()
        db.dispose()

    app = FastAPI(
        title="City server (灾情直报 市级服务器)",
        version=f"{PROTOCOL_VERSION}",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        # FastAPI's /docs and /redoc load their scripts from a CDN: off unless asked for.
        docs_url="/docs" if settings.api_docs else None,
        redoc_url="/redoc" if settings.api_docs else None,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.clock = clock or utc_now
    app.state.passwords = Passwords(settings.argon2_time_cost, settings.argon2_memory_kib)
    app.state.hash_pool = hash_pool
    # Repeat sign-in tries the database slowed are refused from memory (no database work).
    app.state.slowed_cache = SlowedCache()
    app.state.photos = PhotoStore(settings.photos_path, settings.photo_max_bytes)
    install_error_handlers(app)
    for module in (
        health,
        auth,
        reports,
        decisions,
        townships,
        photos,
        changes,
        roster,
        absences,
        handovers,
        events,
        events_registry,
        duty,
        users,
        divisions,
        provisioning,
        admin,
        register,
        unit_reports,
        summary,
    ):
        app.include_router(module.router)
    app.add_middleware(BodyLimitMiddleware, settings=settings)
    # Inside gzip: a digest of the JSON itself, which the client checks (garbled bytes).
    app.add_middleware(BodyDigestMiddleware)
    # Answers of 1 KiB and more go gzip-compressed to clients that accept it (the change feed,
    # batch results): on a village line the bytes are the cost.
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=6)
    # Before any work: a process at its limit answers busy at once (admission.py).
    app.add_middleware(
        AdmissionMiddleware,
        limit=settings.max_in_flight,
        retry_low=settings.busy_retry_min_s,
        retry_high=settings.busy_retry_max_s,
    )
    # Outermost of ours: the headers also reach errors answered by the limits above.
    app.add_middleware(SecurityHeadersMiddleware)
    if settings.debug_worker_pid:
        pid = str(os.getpid())

        @app.middleware("http")
        async def worker_pid(
            request: Request, call_next: Callable[[Request], Awaitable[Response]]
        ) -> Response:
            response = await call_next(request)
            response.headers["X-Worker-Pid"] = pid
            return response

    return app


def sweep_photos(app: FastAPI) -> None:
    """Remove the unfinished photo uploads idle past their time, at start-up (logged).

    Uploads also sweep when one starts, but a server no upload reaches would keep expired
    partial files for ever.  A failure is logged and never stops the server from starting:
    the next sweep (an upload, ``city-server photos sweep``) tries again.
    """
    settings: Settings = app.state.settings
    photos: PhotoStore = app.state.photos
    cutoff = app.state.clock() - PartialLimits.from_settings(settings).ttl
    try:
        swept = photos.sweep(app.state.db, cutoff)
    except (OSError, SQLAlchemyError):
        log.warning("start-up sweep of unfinished photo uploads failed", exc_info=True)
        return
    log.info(
        "start-up sweep of unfinished photo uploads in %s: %d removed, %d bytes freed",
        photos.folder,
        swept.uploads,
        swept.bytes_freed,
    )


def app_from_env() -> FastAPI:
    """Return an app configured from the ``CITY_*`` environment (uvicorn ``factory=True``)."""
    return create_app(Settings())

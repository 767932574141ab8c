"""Sign-in, sign-out and ``/me``."""

from __future__ import annotations

import asyncio
import hashlib
from typing import NoReturn

from fastapi import APIRouter, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.clients import client_address
from sync.server.db import Database, utc_now
from sync.server.deps import CallerDep, DbDep, SessionDep
from sync.server.errors import ApiError
from sync.server.jurisdiction import Caller
from sync.server.models import DivisionRow
from sync.server.schemas.auth import LoginIn, LoginOut, LogoutOut, MeOut, PostOut, UserOut
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.security import Passwords
from sync.server.services import auth as auth_service
from sync.server.services import signin_guard
from sync.server.services.divisions import max_revision
from sync.server.services.events import events_revision
from sync.server.services.signin_guard import HashPool, SlowedCache
from sync.server.settings import Settings

router = APIRouter(prefix="/api/v1", tags=["auth"], responses=COMMON_ERRORS)

#: The answer header of ``GET /me`` and of the version push: a fingerprint of what ``/me``
#: would answer (``account_revision``).  A device that holds ``/me``'s answer of the same
#: fingerprint skips ``/me`` in a round that pushes (issue 19: a round of one report).
ACCOUNT_REVISION_HEADER = "X-Account-Revision"


def account_revision(session: Session, caller: Caller) -> str:
    """Return a short fingerprint of what ``GET /me`` answers the caller (server time aside).

    It covers the account, its active posts, the device, the division table's revision
    (division names change only with it) and ``events_revision``: two aggregate queries, no
    serialising.  Computed afresh on every answer (no per-process cache).
    """
    parts = [
        str(caller.user_id),
        caller.username,
        caller.display_name,
        caller.role.value,
        caller.jurisdiction_code,
        caller.device_id,
        *(f"{p.division_code}/{p.level}/{p.post_role}" for p in caller.posts),
        str(max_revision(session)),
        events_revision(session),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


def user_out(session: Session, caller: Caller) -> UserOut:
    """Return the public form of the caller's account and posts."""
    codes = {caller.jurisdiction_code, *(p.division_code for p in caller.posts)}
    names = dict(
        session.execute(
            select(DivisionRow.code, DivisionRow.short_name.label("name")).where(
                DivisionRow.code.in_(codes)
            )
        ).all()
    )
    return UserOut(
        username=caller.username,
        display_name=caller.display_name,
        role=caller.role.value,
        jurisdiction_code=caller.jurisdiction_code,
        jurisdiction_name=names.get(caller.jurisdiction_code, ""),
        posts=[
            PostOut(
                division_code=p.division_code,
                division_name=names.get(p.division_code, ""),
                level=p.level,
                post_role=p.post_role,
            )
            for p in caller.posts
        ],
    )


@router.post("/auth/login", response_model=LoginOut, responses=error_responses(401, 413, 422, 429))
async def login(body: LoginIn, request: Request) -> LoginOut:
    """Sign in from a device; the token is returned once and stored only as a hash.

    Who may call it: anyone.  What it costs an unauthenticated caller, in this order:

    - a repeat try from an address or for a name the database slowed: a look-up in this
      process's ``SlowedCache`` on the event loop; no thread, no database work, nothing written;
    - a try when the hashing pool is full (``login_hash_workers`` threads,
      ``login_hash_queue`` waiting): nothing more, it is refused before any database work;
    - otherwise two short database transactions on at most ``LOGIN_DB_THREADS`` threads (never
      the sync routes' share of the thread pool), then one Argon2 check in the hashing pool.

    Refused tries get 429 ``too_many_attempts`` with ``Retry-After``, unhashed, after a pause of
    ``login_refusal_pause_seconds`` that holds no thread (a flood that repeats at once gets fewer
    answers).  Slowed: too many failures for this user name or from this address
    (``signin_guard``); a device the account has signed in from before passes the slowdown.
    Nothing locks an account.  An unknown name, a wrong password and a disabled account all
    answer 401 ``invalid_credentials``.  Security log: ``signin.ok``, ``signin.failed`` and
    ``signin.slowed`` (once per address a minute, for tries the database refused).
    """
    state = request.app.state
    db: Database = state.db
    settings: Settings = state.settings
    passwords: Passwords = state.passwords
    pool: HashPool = state.hash_pool
    cache: SlowedCache = state.slowed_cache
    client = client_address(request, settings)
    pause = settings.login_refusal_pause_seconds
    seconds = cache.refusal(client, body.username, body.device_id)
    if seconds:
        await _refuse(signin_guard.slowed_error(seconds), pause)
    if not pool.reserve():
        await _refuse(signin_guard.busy_error(), pause)
    now = utc_now()
    try:
        admitted = await pool.db_work(
            lambda: signin_guard.admit(
                db,
                settings,
                username=body.username,
                client=client,
                device_id=body.device_id,
                now=now,
                cache=cache,
            )
        )
    except BaseException as error:
        pool.release()
        if isinstance(error, signin_guard.SlowedError):
            await _refuse(signin_guard.slowed_error(error.seconds), pause)
        raise
    stored, password = admitted.stored_hash, body.password
    password_ok = await asyncio.wrap_future(pool.submit(lambda: passwords.verify(stored, password)))

    def finish() -> LoginOut:
        signed = auth_service.finish_login(
            db,
            passwords,
            settings,
            admitted,
            password_ok,
            username=body.username,
            password=body.password,
            device_id=body.device_id,
            device_name=body.device_name,
            client=client,
            now=now,
        )
        cache.signed_in(body.username, body.device_id)
        with db.read_session() as session:
            user = user_out(session, signed.caller)
        return LoginOut(
            token=signed.token,
            expires_at=signed.expires_at,
            device_id=signed.caller.device_id,
            user=user,
            server_time=signed.server_time,
        )

    return await pool.db_work(finish)


async def _refuse(error: ApiError, pause: float) -> NoReturn:
    """Answer a refused sign-in after ``pause`` seconds (a sleep: no thread, no database)."""
    if pause > 0:
        await asyncio.sleep(pause)
    raise error


@router.post("/auth/logout", response_model=LogoutOut, responses=error_responses(401))
def logout(caller: CallerDep, db: DbDep) -> LogoutOut:
    """Revoke the token of this request."""
    auth_service.logout(db, caller)
    return LogoutOut()


@router.get("/me", response_model=MeOut, responses=error_responses(401))
def me(caller: CallerDep, session: SessionDep, response: Response) -> MeOut:
    """Return the signed-in account, its active posts, the server time, the table revision.

    ``divisions_revision`` grows whenever an import changes the division table; a device
    fetches ``/divisions`` again when it grew.  ``events_revision`` changes whenever an event
    is opened, closed or merged: a device fetches ``/events?open=1`` again only then.  The
    ``X-Account-Revision`` header fingerprints the answer (``account_revision``); the version
    push carries it too.
    """
    response.headers[ACCOUNT_REVISION_HEADER] = account_revision(session, caller)
    return MeOut(
        user=user_out(session, caller),
        device_id=caller.device_id,
        server_time=utc_now(),
        divisions_revision=max_revision(session),
        events_revision=events_revision(session),
    )

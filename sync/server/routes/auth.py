"""Sign-in, sign-out and ``/me``."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.db import utc_now
from sync.server.deps import CallerDep, DbDep, PasswordsDep, SessionDep, SettingsDep
from sync.server.jurisdiction import Caller
from sync.server.models import DivisionRow
from sync.server.schemas.auth import LoginIn, LoginOut, LogoutOut, MeOut, PostOut, UserOut
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.services import auth as auth_service
from sync.server.services.divisions import max_revision
from sync.server.services.events import events_revision

router = APIRouter(prefix="/api/v1", tags=["auth"], responses=COMMON_ERRORS)


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


@router.post("/auth/login", response_model=LoginOut, responses=error_responses(401, 413, 422, 423))
def login(
    body: LoginIn, db: DbDep, passwords: PasswordsDep, settings: SettingsDep, session: SessionDep
) -> LoginOut:
    """Sign in from a device; the token is returned once and stored only as a hash.

    Failed sign-ins are counted per account: after a few, answers slow down; after
    ``lockout_after`` the account is locked for ``lockout_minutes`` (423 ``account_locked``).
    """
    signed = auth_service.login(
        db,
        passwords,
        settings,
        username=body.username,
        password=body.password,
        device_id=body.device_id,
        device_name=body.device_name,
    )
    return LoginOut(
        token=signed.token,
        expires_at=signed.expires_at,
        device_id=signed.caller.device_id,
        user=user_out(session, signed.caller),
        server_time=signed.server_time,
    )


@router.post("/auth/logout", response_model=LogoutOut, responses=error_responses(401))
def logout(caller: CallerDep, db: DbDep) -> LogoutOut:
    """Revoke the token of this request."""
    auth_service.logout(db, caller)
    return LogoutOut()


@router.get("/me", response_model=MeOut, responses=error_responses(401))
def me(caller: CallerDep, session: SessionDep) -> MeOut:
    """Return the signed-in account, its active posts, the server time, the table revision.

    ``divisions_revision`` grows whenever an import changes the division table; a device
    fetches ``/divisions`` again when it grew.  ``events_revision`` changes whenever an event
    is opened, closed or merged: a device fetches ``/events?open=1`` again only then.
    """
    return MeOut(
        user=user_out(session, caller),
        device_id=caller.device_id,
        server_time=utc_now(),
        divisions_revision=max_revision(session),
        events_revision=events_revision(session),
    )

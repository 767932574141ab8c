"""One-time set-up codes: a manager issues one (``POST /provisioning``), a device redeems it."""

from __future__ import annotations

from fastapi import APIRouter, Request

from sync.contract.setup_code import format_code, setup_text
from sync.server.clients import client_address
from sync.server.deps import CallerDep, DbDep, NowDep, SessionDep, SettingsDep
from sync.server.routes.auth import user_out
from sync.server.schemas.auth import LoginOut
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.schemas.provisioning import ProvisionIn, SetupCodeIn, SetupCodeOut
from sync.server.services.provisioning import issue_code, redeem_code
from sync.server.settings import Settings

router = APIRouter(prefix="/api/v1", tags=["provisioning"], responses=COMMON_ERRORS)


def public_url(settings: Settings, request: Request) -> str:
    """Return the server's address for set-up texts: ``CITY_PUBLIC_URL``, else the request's."""
    return (settings.public_url or str(request.base_url)).rstrip("/")


@router.post(
    "/provisioning", response_model=SetupCodeOut, responses=error_responses(401, 403, 404, 422)
)
def issue(
    body: SetupCodeIn,
    caller: CallerDep,
    db: DbDep,
    settings: SettingsDep,
    now: NowDep,
    request: Request,
) -> SetupCodeOut:
    """Issue a one-time set-up code for an account you manage; its older codes stop working.

    A township reviewer issues codes for the village informants of the township; a county or
    city admin for the accounts below it within the jurisdiction.  Outside it: 404; inside
    but not yours to manage: 403; a disabled account: 422 ``user_disabled``.
    """
    issued = issue_code(db, caller, body.username.strip(), now, settings)
    url = public_url(settings, request)
    return SetupCodeOut(
        username=issued.username,
        display_name=issued.display_name,
        code=format_code(issued.code),
        expires_at=issued.expires_at,
        server_url=url,
        text=setup_text(url, issued.code, issued.username, issued.expires_at),
        server_time=now,
    )


@router.post("/auth/provision", response_model=LoginOut, responses=error_responses(401, 422, 429))
def provision(
    body: ProvisionIn,
    db: DbDep,
    settings: SettingsDep,
    now: NowDep,
    session: SessionDep,
    request: Request,
) -> LoginOut:
    """Sign a device in with a set-up code instead of a password; the code works once.

    The answer is the sign-in's.  Unknown, used or expired codes all answer 401
    ``setup_code_invalid``.  Failed tries are counted per client address: they slow down,
    and too many within the window answer 429 ``too_many_attempts`` (``Retry-After``).
    """
    client = client_address(request, settings)
    signed = redeem_code(
        db,
        settings,
        code=body.code,
        device_id=body.device_id,
        device_name=body.device_name,
        client_key=client,
        now=now,
    )
    return LoginOut(
        token=signed.token,
        expires_at=signed.expires_at,
        device_id=signed.caller.device_id,
        user=user_out(session, signed.caller),
        server_time=signed.server_time,
    )

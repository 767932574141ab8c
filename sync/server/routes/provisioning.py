"""One-time set-up codes: a manager issues one (``POST /provisioning``), a device redeems it."""

from __future__ import annotations

import asyncio
import re
from functools import partial

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from sync.contract.setup_code import format_code, setup_text
from sync.server.clients import client_address
from sync.server.deps import CallerDep, DbDep, NowDep, SessionDep, SettingsDep
from sync.server.routes.auth import user_out
from sync.server.schemas.auth import LoginOut
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.schemas.provisioning import ProvisionIn, SetupCodeIn, SetupCodeOut
from sync.server.services.provisioning import CodeRefusedError, issue_code, redeem_code
from sync.server.settings import Settings

#: A plain ``host[:port]``: a DNS name, an IPv4 address or a bracketed IPv6 address.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
PLAIN_HOST = re.compile(
    rf"(?:{_LABEL}(?:\.{_LABEL})*|\[[0-9A-Fa-f:.]{{2,45}}\])(?::[0-9]{{1,5}})?", re.ASCII
)

router = APIRouter(prefix="/api/v1", tags=["provisioning"], responses=COMMON_ERRORS)


def public_url(settings: Settings, request: Request) -> str | None:
    """Return the server's address for set-up texts.

    ``CITY_PUBLIC_URL`` when set; else the request's scheme and ``Host`` header, but only when
    the header is a plain ``host[:port]`` (at most 253 characters) and the scheme http or
    https; else ``None``: the set-up text then has no server line (set ``CITY_PUBLIC_URL``).
    """
    if settings.public_url:
        return settings.public_url.rstrip("/")
    host = request.headers.get("host", "")
    scheme = request.url.scheme
    if len(host) > 253 or scheme not in ("http", "https") or not PLAIN_HOST.fullmatch(host):
        return None
    return f"{scheme}://{host.lower()}"


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
    but not yours to manage: 403; a disabled account: 422 ``user_disabled``.  The account may
    be signed in elsewhere: ``devices_signed_out`` says how many devices redeeming the code
    will sign out (each is told on its next request).  Logged: ``setup_code.issue`` (actor:
    the caller).  Costs an unauthenticated caller nothing (401 before any work).
    """
    client = client_address(request, settings)
    issued = issue_code(db, caller, body.username.strip(), now, settings, client=client)
    url = public_url(settings, request)
    return SetupCodeOut(
        username=issued.username,
        display_name=issued.display_name,
        code=format_code(issued.code),
        expires_at=issued.expires_at,
        server_url=url,
        text=setup_text(url, issued.code, issued.username, issued.expires_at),
        devices_signed_out=issued.devices_signed_out,
        server_time=now,
    )


@router.post("/auth/provision", response_model=LoginOut, responses=error_responses(401, 422, 429))
async def provision(
    body: ProvisionIn,
    db: DbDep,
    settings: SettingsDep,
    now: NowDep,
    session: SessionDep,
    request: Request,
) -> LoginOut:
    """Sign a device in with a set-up code instead of a password; the code works once.

    Open to anyone.  The answer is the sign-in's; every other device of the account is
    signed out (``device.replaced``).  Unknown, used or expired codes all answer 401
    ``setup_code_invalid``.  Each try is recorded before it is judged and counted per client
    address (``clients.client_address``: ``X-Forwarded-For`` only from a trusted proxy) and
    device: failures slow down, and past ``provision_failures_max`` per device or
    ``provision_failures_per_address_max`` per address within the window the try answers
    429 ``too_many_attempts`` (``Retry-After``) at the cost of two small writes.  Logged:
    ``setup_code.redeem``, ``device.replaced``, ``setup_code.failed`` (one per address and
    minute).
    """
    client = client_address(request, settings)
    redeem = partial(
        redeem_code,
        db,
        settings,
        code=body.code,
        device_id=body.device_id,
        device_name=body.device_name,
        client_key=client,
        now=now,
    )
    try:
        signed = await run_in_threadpool(redeem)
    except CodeRefusedError as refused:
        # The slowdown waits here, on the event loop: a flood of bad codes holds no thread of
        # the pool the sync routes share (it did, up to 2 s a try).
        await asyncio.sleep(refused.pause)
        raise
    user = await run_in_threadpool(user_out, session, signed.caller)
    return LoginOut(
        token=signed.token,
        expires_at=signed.expires_at,
        device_id=signed.caller.device_id,
        user=user,
        server_time=signed.server_time,
    )

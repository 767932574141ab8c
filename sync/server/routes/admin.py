"""``/api/v1/admin``: accounts, devices, set-up code sheets, completeness, contacts, the logs.

The wire types are sync/contract/wire/admin.py; who may do what is docs/server.md
"Administration".  A village informant gets 403 on every route; a code outside the caller's
jurisdiction 404; an account of a role the caller does not administer 403.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from sync.server.clients import client_address
from sync.server.deps import CallerDep, DbDep, NowDep, PasswordsDep, SessionDep, SettingsDep
from sync.server.routes.provisioning import public_url
from sync.server.schemas.admin import (
    AccountCreateIn,
    AdminAccountOut,
    AdminAccountsOut,
    AdminActionsOut,
    ContactsOut,
    RevokeDevicesIn,
    RevokeDevicesOut,
    RosterCompletenessOut,
    SecurityLogOut,
    SetupSheetIn,
    SetupSheetOut,
)
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.services import admin, admin_reports

router = APIRouter(prefix="/api/v1/admin", tags=["admin"], responses=COMMON_ERRORS)

UnderQuery = Annotated[
    str | None, Query(description="A division code within your jurisdiction (default: it).")
]


@router.get("/accounts", response_model=AdminAccountsOut, responses=error_responses(401, 403, 404))
def accounts(
    caller: CallerDep, session: SessionDep, now: NowDep, under: UnderQuery = None
) -> AdminAccountsOut:
    """List the accounts inside ``under`` that you administer, with posts, devices, last sync.

    A township reviewer sees its village informants; a county admin its township and village
    accounts; a city admin every account below it and the city admins of the city.
    """
    return AdminAccountsOut.model_validate(admin.list_accounts(session, caller, under, now))


@router.post(
    "/accounts", response_model=AdminAccountOut, responses=error_responses(401, 403, 404, 422)
)
def create_account(
    body: AccountCreateIn, caller: CallerDep, db: DbDep, passwords: PasswordsDep, now: NowDep
) -> AdminAccountOut:
    """Create an account of a role you administer inside your jurisdiction.

    It has no password: it signs in with a set-up code.  A refused request answers 422
    ``account_invalid`` with the reason (``reason``: ``bad_role``, ``unknown_division``,
    ``retired_division``, ``wrong_jurisdiction_level``, ``username_taken``, ``bad_username``,
    ``bad_phone``); a role you do not administer 403; a code outside your jurisdiction 404.
    """
    new = admin.NewAccount(
        username=body.username,
        display_name=body.display_name,
        role=body.role,
        jurisdiction_code=body.jurisdiction_code,
        phone=body.phone,
        backup_phone=body.backup_phone,
    )
    return AdminAccountOut.model_validate(admin.create_account(db, passwords, caller, new, now))


@router.post(
    "/accounts/{username}/disable",
    response_model=AdminAccountOut,
    responses=error_responses(401, 403, 404),
)
def disable_account(
    username: str,
    caller: CallerDep,
    db: DbDep,
    settings: SettingsDep,
    now: NowDep,
    request: Request,
) -> AdminAccountOut:
    """Disable an account you administer; every device of it is signed out at once.

    Security log: ``account.disable`` (actor you, your address).
    """
    client = client_address(request, settings)
    return AdminAccountOut.model_validate(
        admin.set_disabled(db, caller, username, True, now, client)
    )


@router.post(
    "/accounts/{username}/enable",
    response_model=AdminAccountOut,
    responses=error_responses(401, 403, 404),
)
def enable_account(
    username: str,
    caller: CallerDep,
    db: DbDep,
    settings: SettingsDep,
    now: NowDep,
    request: Request,
) -> AdminAccountOut:
    """Re-enable an account you administer (it signs in again with its password or a code).

    Security log: ``account.enable`` (actor you, your address).
    """
    client = client_address(request, settings)
    return AdminAccountOut.model_validate(
        admin.set_disabled(db, caller, username, False, now, client)
    )


@router.post(
    "/devices/revoke", response_model=RevokeDevicesOut, responses=error_responses(401, 403, 404)
)
def revoke_devices(
    body: RevokeDevicesIn,
    caller: CallerDep,
    db: DbDep,
    settings: SettingsDep,
    now: NowDep,
    request: Request,
) -> RevokeDevicesOut:
    """Sign out one device of an account you administer, or every device of it.

    Security log: ``device.revoke`` (actor you, your address, the device when one is named).
    """
    client = client_address(request, settings)
    revoked = admin.revoke_devices(db, caller, body.username.strip(), body.device_id, now, client)
    return RevokeDevicesOut(revoked=revoked)


@router.post("/setup-codes", response_model=SetupSheetOut, responses=error_responses(401, 403, 404))
def setup_codes(
    body: SetupSheetIn,
    caller: CallerDep,
    db: DbDep,
    settings: SettingsDep,
    now: NowDep,
    request: Request,
) -> SetupSheetOut:
    """Issue a set-up code for everyone inside ``under`` you provision who has no device.

    "No device": no device of the account is signed in (a token neither revoked nor expired).
    Disabled accounts are left out; each account's older unused codes stop working.  The
    entries are sorted by township, then post: one printable sheet per township.  Security
    log: one ``setup_code.issue`` line per code (actor you, your address).
    """
    client = client_address(request, settings)
    issued = admin.issue_sheet(db, caller, body.under.strip(), now, settings, client)
    return SetupSheetOut.model_validate(
        {
            "under": issued.under,
            "server_url": public_url(settings, request),
            "issued_at": issued.issued_at,
            "expires_at": issued.expires_at,
            "entries": issued.entries,
        }
    )


@router.get(
    "/completeness",
    response_model=RosterCompletenessOut,
    responses=error_responses(401, 403, 404),
)
def completeness(
    caller: CallerDep,
    session: SessionDep,
    now: NowDep,
    under: UnderQuery = None,
    stale_days: Annotated[int, Query(ge=1, le=3650)] = 30,
) -> RosterCompletenessOut:
    """Roster completeness per township and county inside ``under``, and its total.

    A township row counts its village posts, a county row the township and village posts
    inside it; ``stale`` counts holders whose devices have not synced for ``stale_days``.
    """
    return RosterCompletenessOut.model_validate(
        admin_reports.completeness(session, caller, under, stale_days, now)
    )


@router.get("/contacts", response_model=ContactsOut, responses=error_responses(401, 403, 404))
def contacts(caller: CallerDep, session: SessionDep, under: UnderQuery = None) -> ContactsOut:
    """The contact list (通讯录): the A and B of every post inside ``under``."""
    return ContactsOut.model_validate(admin_reports.contacts(session, caller, under))


@router.get("/actions", response_model=AdminActionsOut, responses=error_responses(401, 403, 404))
def actions(
    caller: CallerDep,
    session: SessionDep,
    under: UnderQuery = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> AdminActionsOut:
    """The admin log: the latest actions on accounts and posts inside ``under``, newest first."""
    return AdminActionsOut.model_validate(admin_reports.actions(session, caller, under, limit))


@router.get(
    "/security-log", response_model=SecurityLogOut, responses=error_responses(401, 403, 404, 422)
)
def security_log(
    caller: CallerDep,
    session: SessionDep,
    kind: Annotated[str | None, Query(max_length=40, description="One kind of line.")] = None,
    username: Annotated[
        str | None, Query(max_length=64, description="The lines of one account.")
    ] = None,
    before: Annotated[
        int | None, Query(ge=1, description="Lines older than this id (``next_before``).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=admin.SECURITY_LOG_MAX)] = 100,
) -> SecurityLogOut:
    """The security log, newest first: sign-ins, failures, slowdowns, set-up codes, revocations.

    Who may read what: a city admin every line, including failed sign-ins under names that are
    no account and lines about a client address alone; a county admin or township reviewer the
    lines of the accounts it administers (``username`` of another account: 404 outside its
    jurisdiction, 403 of a role it does not administer); a village informant 403.  Without a
    token: 401 before the database is touched.  Reading the log is not itself logged (it
    changes nothing).  An unknown ``kind``: 422.
    """
    return SecurityLogOut.model_validate(
        admin.security_log(
            session, caller, kind=kind, username=username, before=before, limit=limit
        )
    )

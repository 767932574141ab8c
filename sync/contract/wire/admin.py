"""Administration: accounts, devices, set-up code sheets, roster completeness, contacts, log.

The routes live under ``/api/v1/admin``.  A township reviewer administers the village accounts
of its township, a county admin the township and village accounts of its county, a city admin
every account below it and the city's own post (docs/server.md "Administration").  Every
change is recorded in the admin log with who made it.
"""

from __future__ import annotations

from typing import Any

from sync.contract.wire.base import Time, Wire
from sync.contract.wire.duty import AccountPost

__all__ = [
    "SECURITY_KINDS",
    "AccountCreateRequest",
    "AccountDevice",
    "AdminAccount",
    "AdminAccounts",
    "AdminActionItem",
    "AdminActions",
    "CompletenessRow",
    "Contact",
    "Contacts",
    "RevokeDevicesRequest",
    "RevokeDevicesResult",
    "RosterCompleteness",
    "SetupSheet",
    "SetupSheetEntry",
    "SetupSheetRequest",
]


class AccountDevice(Wire, frozen=True, kw_only=True):
    """A device an account signed in from; ``signed_in``: it holds a token still valid."""

    device_id: str
    device_name: str
    created_at: Time
    last_seen_at: Time | None
    signed_in: bool


class AdminAccount(Wire, frozen=True, kw_only=True):
    """One account as its administrator sees it (never a password hash, token or code)."""

    username: str
    display_name: str
    role: str
    jurisdiction_code: str
    jurisdiction_name: str
    phone: str | None
    backup_phone: str | None = None
    register_id: str | None = None
    disabled: bool
    posts: list[AccountPost]
    devices: list[AccountDevice]
    last_sync_at: Time | None


class AdminAccounts(Wire, frozen=True, kw_only=True):
    """``GET /admin/accounts?under=``: the accounts the caller administers inside ``under``."""

    under: str
    accounts: list[AdminAccount]


class AccountCreateRequest(Wire, frozen=True, kw_only=True):
    """``POST /admin/accounts``: a new account; it signs in with a set-up code."""

    username: str
    display_name: str
    role: str
    jurisdiction_code: str
    phone: str = ""
    backup_phone: str = ""


class RevokeDevicesRequest(Wire, frozen=True, kw_only=True):
    """``POST /admin/devices/revoke``: sign out one device of the account, or all of them."""

    username: str
    device_id: str | None = None


class RevokeDevicesResult(Wire, frozen=True, kw_only=True):
    """How many sign-ins (tokens) were revoked."""

    revoked: int


class SetupSheetRequest(Wire, frozen=True, kw_only=True):
    """``POST /admin/setup-codes``: codes for everyone inside ``under`` without a device."""

    under: str


class SetupSheetEntry(Wire, frozen=True, kw_only=True):
    """One line of the printable sheet: who, which post, and the code (shown only here)."""

    username: str
    display_name: str
    role: str
    post_code: str | None
    post_name: str
    post_role: str | None
    township_code: str | None
    township_name: str
    code: str


class SetupSheet(Wire, frozen=True, kw_only=True):
    """The codes just issued (each account's older unused codes stopped working)."""

    under: str
    server_url: str | None
    issued_at: Time
    expires_at: Time
    entries: list[SetupSheetEntry]


class CompletenessRow(Wire, frozen=True, kw_only=True):
    """The posts of one division (a township: its villages; a county: its townships…)."""

    code: str
    name: str
    level: str
    posts: int
    with_a: int
    with_b: int
    vacant: int
    stale: int  # holders whose devices have not synced for ``stale_days`` days (or never)


class RosterCompleteness(Wire, frozen=True, kw_only=True):
    """``GET /admin/completeness?under=&stale_days=``: one row per township and county."""

    under: str
    stale_days: int
    rows: list[CompletenessRow]
    total: CompletenessRow


class Contact(Wire, frozen=True, kw_only=True):
    """One line of the contact list (通讯录)."""

    county: str
    township: str
    post_code: str
    post_name: str
    level: str
    post_role: str
    name: str
    phone: str | None
    backup_phone: str | None
    gender: str | None
    unit: str | None
    title: str | None


class Contacts(Wire, frozen=True, kw_only=True):
    """``GET /admin/contacts?under=``: the holders of every post inside ``under``."""

    under: str
    contacts: list[Contact]


class AdminActionItem(Wire, frozen=True, kw_only=True):
    """One line of the admin log."""

    at: Time
    actor: str
    action: str
    target: str
    detail: dict[str, Any]


class AdminActions(Wire, frozen=True, kw_only=True):
    """``GET /admin/actions?under=``: the latest actions on accounts inside ``under``."""

    under: str
    actions: list[AdminActionItem]


#: The kinds of line the security log holds, in the order the app's filter offers them.
SECURITY_KINDS = (
    "signin.ok",
    "signin.failed",
    "signin.slowed",
    "setup_code.issue",
    "setup_code.redeem",
    "setup_code.failed",
    "device.replaced",
    "device.revoke",
    "account.password",
    "account.role",
    "account.disable",
    "account.enable",
)


class SecurityEvent(Wire, frozen=True, kw_only=True):
    """One line of the security log: what happened to which account, by whom, from where."""

    id: int
    at: Time
    kind: str  # signin.ok, signin.failed, … (sync/server/services/security_log.py KINDS)
    username: str  # the account concerned (as typed, for a failed sign-in)
    actor: str  # who did it when not the account itself (a manager; "cli": the operator)
    client: str  # the client address
    device_id: str
    detail: dict[str, Any]


class SecurityLog(Wire, frozen=True, kw_only=True):
    """``GET /admin/security-log?kind=&username=&before=&limit=``: newest first.

    ``next_before``: pass it as ``before`` for the next (older) page; ``None`` on the last.
    """

    events: list[SecurityEvent]
    next_before: int | None

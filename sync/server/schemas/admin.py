"""Administration: the pydantic models of ``/api/v1/admin`` (sync/contract/wire/admin.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from sync.server.schemas.common import InModel
from sync.server.schemas.duty import UserPostOut


class AccountDeviceOut(BaseModel):
    """A device an account signed in from; ``signed_in``: it holds a token still valid."""

    device_id: str
    device_name: str
    created_at: datetime
    last_seen_at: datetime | None
    signed_in: bool


class AdminAccountOut(BaseModel):
    """One account as its administrator sees it (never a password hash, token or code)."""

    username: str
    display_name: str
    role: str
    jurisdiction_code: str
    jurisdiction_name: str
    phone: str | None
    backup_phone: str | None
    register_id: str | None
    disabled: bool
    posts: list[UserPostOut]
    devices: list[AccountDeviceOut]
    last_sync_at: datetime | None


class AdminAccountsOut(BaseModel):
    """The accounts the caller administers inside ``under``."""

    under: str
    accounts: list[AdminAccountOut]


class AccountCreateIn(InModel):
    """A new account; it signs in with a set-up code (it has no password)."""

    username: str = Field(min_length=1, max_length=64)
    display_name: str = Field(max_length=100)
    role: str = Field(min_length=1, max_length=32)
    jurisdiction_code: str = Field(min_length=1, max_length=12)
    phone: str = Field(default="", max_length=32)
    backup_phone: str = Field(default="", max_length=32)


class RevokeDevicesIn(InModel):
    """Sign out one device of the account (``device_id``), or all of them."""

    username: str = Field(min_length=1, max_length=64)
    device_id: str | None = Field(default=None, min_length=1, max_length=100)


class RevokeDevicesOut(BaseModel):
    """How many sign-ins (tokens) were revoked."""

    revoked: int


class SetupSheetIn(InModel):
    """Codes for everyone inside ``under`` without a signed-in device."""

    under: str = Field(min_length=1, max_length=12)


class SetupSheetEntryOut(BaseModel):
    """One line of the printable sheet (the code is shown only here)."""

    username: str
    display_name: str
    role: str
    post_code: str | None
    post_name: str
    post_role: str | None
    township_code: str | None
    township_name: str
    code: str


class SetupSheetOut(BaseModel):
    """The codes just issued, sorted by township then post."""

    under: str
    server_url: str | None
    issued_at: datetime
    expires_at: datetime
    entries: list[SetupSheetEntryOut]


class CompletenessRowOut(BaseModel):
    """The posts of one division (a township: its villages; a county: everything inside)."""

    code: str
    name: str
    level: str
    posts: int
    with_a: int
    with_b: int
    vacant: int
    stale: int


class RosterCompletenessOut(BaseModel):
    """One row per township and county inside ``under``, and the total."""

    under: str
    stale_days: int
    rows: list[CompletenessRowOut]
    total: CompletenessRowOut


class ContactOut(BaseModel):
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


class ContactsOut(BaseModel):
    """The holders of every post inside ``under``."""

    under: str
    contacts: list[ContactOut]


class AdminActionItemOut(BaseModel):
    """One line of the admin log."""

    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]


class AdminActionsOut(BaseModel):
    """The latest admin log lines about accounts and places inside ``under``."""

    under: str
    actions: list[AdminActionItemOut]


class SecurityEventOut(BaseModel):
    """One line of the security log (never a password, token or set-up code)."""

    id: int
    at: datetime
    kind: str
    username: str
    actor: str
    client: str
    device_id: str
    detail: dict[str, Any]


class SecurityLogOut(BaseModel):
    """One page of the security log, newest first; ``next_before`` asks for the next page."""

    events: list[SecurityEventOut]
    next_before: int | None

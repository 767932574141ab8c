"""The administration requests (``/api/v1/admin``), mixed into ``SyncClient``.

Each answer is decoded into its type of ``sync.contract.wire.admin``: only our server's JSON of
that shape counts.  Who may do what is docs/server.md "Administration".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import quote

from sync.contract.wire.admin import (
    AccountCreateRequest,
    AdminAccount,
    AdminAccounts,
    AdminActions,
    Contacts,
    RevokeDevicesRequest,
    RevokeDevicesResult,
    RosterCompleteness,
    SecurityLog,
    SetupSheet,
    SetupSheetRequest,
)
from sync.contract.wire.base import Wire, as_object

API = "/api/v1/admin"

T = TypeVar("T", bound=Wire)


def _under(under: str | None, **more: Any) -> dict[str, Any] | None:
    params = {"under": under} if under else {}
    params.update(more)
    return params or None


class AdminRequests:
    """The admin requests; ``SyncClient`` provides ``_call`` (the one place that talks HTTP)."""

    def _call(
        self,
        method: str,
        path: str,
        *,
        answer: type[T],
        check: Callable[[T], None] | None = None,
        auth: bool = True,
        json_body: Any = None,
        raw_body: bytes | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> T:
        raise NotImplementedError

    def admin_accounts(self, under: str | None = None) -> AdminAccounts:
        """``GET /admin/accounts``: the accounts the caller administers inside ``under``."""
        return self._call("GET", f"{API}/accounts", answer=AdminAccounts, params=_under(under))

    def create_account(self, request: AccountCreateRequest) -> AdminAccount:
        """``POST /admin/accounts``: a new account (it signs in with a set-up code)."""
        return self._call(
            "POST", f"{API}/accounts", answer=AdminAccount, json_body=as_object(request)
        )

    def disable_account(self, username: str) -> AdminAccount:
        """``POST /admin/accounts/{username}/disable``: disable it and sign out its devices."""
        return self._call(
            "POST", f"{API}/accounts/{quote(username, safe='')}/disable", answer=AdminAccount
        )

    def enable_account(self, username: str) -> AdminAccount:
        """``POST /admin/accounts/{username}/enable``: re-enable a disabled account."""
        return self._call(
            "POST", f"{API}/accounts/{quote(username, safe='')}/enable", answer=AdminAccount
        )

    def revoke_devices(self, username: str, device_id: str | None = None) -> RevokeDevicesResult:
        """``POST /admin/devices/revoke``: sign out one device of the account, or all of them."""
        body = RevokeDevicesRequest(username=username, device_id=device_id)
        return self._call(
            "POST",
            f"{API}/devices/revoke",
            answer=RevokeDevicesResult,
            json_body=as_object(body),
        )

    def issue_setup_codes(self, under: str) -> SetupSheet:
        """``POST /admin/setup-codes``: codes for everyone inside ``under`` without a device."""
        body = SetupSheetRequest(under=under)
        return self._call(
            "POST", f"{API}/setup-codes", answer=SetupSheet, json_body=as_object(body)
        )

    def roster_completeness(
        self, under: str | None = None, stale_days: int = 30
    ) -> RosterCompleteness:
        """``GET /admin/completeness``: posts, A, B, vacant and stale per township and county."""
        return self._call(
            "GET",
            f"{API}/completeness",
            answer=RosterCompleteness,
            params=_under(under, stale_days=stale_days),
        )

    def contacts(self, under: str | None = None) -> Contacts:
        """``GET /admin/contacts``: the A and B holders of every post inside ``under``."""
        return self._call("GET", f"{API}/contacts", answer=Contacts, params=_under(under))

    def admin_actions(self, under: str | None = None, limit: int = 200) -> AdminActions:
        """``GET /admin/actions``: the admin log about accounts and posts inside ``under``."""
        return self._call(
            "GET", f"{API}/actions", answer=AdminActions, params=_under(under, limit=limit)
        )

    def security_log(
        self,
        kind: str | None = None,
        username: str | None = None,
        before: int | None = None,
        limit: int = 100,
    ) -> SecurityLog:
        """``GET /admin/security-log``: one page of the security log, newest first.

        ``before``: the ``next_before`` of the previous page (older lines).
        """
        params: dict[str, Any] = {"limit": limit}
        if kind:
            params["kind"] = kind
        if username:
            params["username"] = username
        if before is not None:
            params["before"] = before
        return self._call("GET", f"{API}/security-log", answer=SecurityLog, params=params)

"""The township's side of set-up codes: ask the server for one for a person it manages.

``issue_setup_code`` needs the server (``account.online.call``: ``ReviewOfflineError`` when none
answers, ``ReviewRefusedError`` when it refuses, e.g. a person outside the township).  The code
is shown once and kept nowhere on this computer; ``setup_text.write_setup_file`` saves the
text where the person asks.  Issuing a new code for someone makes their older one stop working.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from informant_app.core.account.online import call
from informant_app.core.store.report_store import ReportStore


@dataclass(frozen=True)
class SetupCode:
    """A one-time set-up code the server issued for one account.

    Attributes:
        username: the account it signs in.
        display_name: that account's name.
        code: the code, grouped (``K7QM-3XHP-W9TD``).
        expires_at: when it stops working (UTC).
        server_url: the server's address written in the text.
        text: the set-up text to hand over (server, code, user, expiry).
    """

    username: str
    display_name: str
    code: str
    expires_at: datetime
    server_url: str | None
    text: str


def issue_setup_code(store: ReportStore, username: str) -> SetupCode:
    """Ask the server for a set-up code for ``username`` (an account the caller manages).

    Raises:
        ReviewRefusedError: not the caller's to manage (403/404), a disabled account.
        ReviewOfflineError: no server answered, or this device is not signed in.
    """
    payload = call(store, lambda client, _account: client.issue_setup_code(username))
    return SetupCode(
        username=payload.username,
        display_name=payload.display_name or payload.username,
        code=payload.code,
        expires_at=payload.expires_at.astimezone(UTC),
        server_url=payload.server_url,
        text=payload.text,
    )

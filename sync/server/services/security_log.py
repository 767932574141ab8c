"""The security log: who signed in, who failed, what was slowed, which codes were issued.

One line per event in ``security_events`` (any server process writes and reads it).  What is
logged: sign-ins (``signin.ok``), failed sign-ins (``signin.failed``), sign-ins refused for a
while (``signin.slowed``, at most one line per client address and minute), set-up codes issued
and redeemed (``setup_code.issue``, ``setup_code.redeem``, ``setup_code.failed``), devices
signed out because their account was set up elsewhere (``device.replaced``), password and role
changes (``account.password``, ``account.role``), device revocations (``device.revoke``),
account disables and enables (``account.disable``, ``account.enable``).  Never a password, a
token or a set-up code: only what happened, to which account, from where.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from sync.contract.wire.admin import SECURITY_KINDS
from sync.server.db import Database
from sync.server.models import SecurityEvent

#: The kinds of line the log holds (the app's security page names each).
KINDS = SECURITY_KINDS


def record_event(
    session: Session,
    kind: str,
    now: datetime,
    *,
    username: str = "",
    user_id: int | None = None,
    actor: str = "",
    client: str = "",
    device_id: str = "",
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Add one line to the security log in the caller's transaction (both commit or neither).

    Args:
        session: the session of the change being recorded.
        kind: one of :data:`KINDS`.
        now: when.
        username: the account concerned (as typed for a failed sign-in; cut to 64 characters).
        user_id: its id when the account exists.
        actor: who did it when it was not the account itself (a manager; ``cli``).
        client: the client address (see ``sync.server.clients``).
        device_id: the device concerned.
        detail: a small JSON-able object (never a secret).
    """
    assert kind in KINDS, kind
    session.execute(
        insert(SecurityEvent).values(
            at=now,
            kind=kind,
            username=username[:64],
            user_id=user_id,
            actor=actor[:64],
            client=client[:64],
            device_id=device_id[:100],
            detail=json.dumps(dict(detail or {}), ensure_ascii=False, sort_keys=True, default=str),
        )
    )


def record_event_now(db: Database, kind: str, now: datetime, **fields: Any) -> None:
    """Add one line to the security log in a transaction of its own (e.g. a refused try)."""
    with db.writing() as session:
        record_event(session, kind, now, **fields)

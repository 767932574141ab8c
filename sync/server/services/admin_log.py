"""The admin log: what managers change, and who changed it.

Every change a manager (or the operator) makes to accounts, devices, posts and the register is
recorded.  Nothing secret is ever written here (no password, token or set-up code), only what
was done to whom.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from sync.server.jurisdiction import Caller
from sync.server.models import AdminAction

#: How the operator at the command line is named in the log.
OPERATOR = "cli"


def record_action(
    session: Session,
    caller: Caller | None,
    action: str,
    target: str,
    now: datetime,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Add one line to the admin log in the caller's transaction.

    Args:
        session: the session of the change being recorded (both commit or neither does).
        caller: who did it; ``None`` is the operator at the command line.
        action: a short key, e.g. ``account.disable``, ``register.import``.
        target: what it was done to (a username, a division code…).
        now: when.
        detail: a small JSON-able object (counts, the changed fields' names…).
    """
    session.execute(
        insert(AdminAction).values(
            at=now,
            actor_id=None if caller is None else caller.user_id,
            actor=OPERATOR if caller is None else caller.username,
            action=action,
            target=target[:200],
            detail=json.dumps(dict(detail or {}), ensure_ascii=False, sort_keys=True, default=str),
        )
    )

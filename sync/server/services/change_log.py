"""Writing change-log rows: every write a device must hear of adds them in its transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from sync.server.models import Change, ChangeKind


def log_changes(
    session: Session, kind: ChangeKind, division_codes: Iterable[str], ref: str, now: datetime
) -> None:
    """Announce ``ref`` (of ``kind``) to the devices that see any of ``division_codes``."""
    rows = [
        {"kind": kind.value, "division_code": code, "ref": ref, "created_at": now}
        for code in dict.fromkeys(division_codes)
    ]
    if rows:
        session.execute(insert(Change), rows)

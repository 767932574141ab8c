"""Server answers kept for reading offline (``review_cache``): township reports, histories, duty.

Each answer is kept as the wire's JSON object under a key, with the device time it was kept
and the server's time it names.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from informant_app.core.store.models import ReviewCacheRow
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_state import now_utc
from sync.client.api import parse_server_time


@dataclass(frozen=True)
class Cached:
    """A server answer kept in the store."""

    payload: dict[str, Any]
    fetched_at: datetime
    server_time: datetime | None


def save_answer(store: ReportStore, key: str, kind: str, data: Mapping[str, Any]) -> datetime:
    """Keep a server answer (its JSON object) under ``key``; return the device time it was kept."""
    now = now_utc()
    try:
        server_time: datetime | None = parse_server_time(data.get("server_time"))
    except ValueError:
        server_time = None
    values = {
        "kind": kind,
        "payload": json.dumps(dict(data), ensure_ascii=False),
        "fetched_at": now,
        "server_time": server_time,
    }
    with store.write_session() as s, s.begin():
        s.execute(
            sqlite_insert(ReviewCacheRow)
            .values(key=key, **values)
            .on_conflict_do_update(index_elements=["key"], set_=values)
        )
    return now


def load_answer(store: ReportStore, key: str) -> Cached | None:
    """Return the answer kept under ``key``, or ``None``."""
    with Session(store.engine) as s:
        row = s.get(ReviewCacheRow, key)
        if row is None:
            return None
        return Cached(json.loads(row.payload), row.fetched_at, row.server_time)

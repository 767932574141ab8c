"""What the township report reads from the local store: submissions the feed brought, names.

Township reports themselves are the server's computation (kept in ``review_cache``); the
change feed brings the reports a township submitted upward (``township_submissions``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from informant_app.core.store.models import TownshipSubmissionRow
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.review import display_names


def names_of(store: ReportStore, usernames: Iterable[str]) -> dict[str, str]:
    """Return the display names the roster cache knows for ``usernames``."""
    with Session(store.engine) as s:
        return display_names(s, usernames)


def latest_submission(
    store: ReportStore, township_code: str, event_uuid: str, stage: str
) -> tuple[datetime, dict[str, Any]] | None:
    """Return the newest submission the change feed brought, with its server time."""
    with Session(store.engine) as s:
        row = s.scalars(
            select(TownshipSubmissionRow)
            .where(
                TownshipSubmissionRow.township_code == township_code,
                TownshipSubmissionRow.event_uuid == event_uuid,
                TownshipSubmissionRow.stage == stage,
            )
            .order_by(TownshipSubmissionRow.server_received_at.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        return row.server_received_at, dict(json.loads(row.payload))

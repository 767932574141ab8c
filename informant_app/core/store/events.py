"""Disaster events known on this device: the one place that registers an event.

An event is registered by the first version of it that reaches this device frozen (submitted
here, imported, merged after a conflict, pulled from the server) or by a township's opening;
a known event is never overwritten.  Small functions over one session; the caller owns the
transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from informant_app.core.store.models import EventRow
from sync.contract import ReportContent


@dataclass(frozen=True)
class NewEvent:
    """What registers an event: its name, disaster type and occurrence."""

    event_uuid: str
    name: str
    disaster_type: str
    disaster_subtype: str | None
    occurred_at: datetime
    created_at: datetime

    @classmethod
    def of(cls, content: ReportContent, at: datetime) -> NewEvent:
        """Return the event a frozen report names, registered at ``at``."""
        return cls(
            event_uuid=content.event_uuid,
            name=content.event_name,
            disaster_type=content.disaster_type,
            disaster_subtype=content.disaster_subtype,
            occurred_at=content.occurred_at,
            created_at=at,
        )


def record_events(s: Session, events: Iterable[NewEvent]) -> None:
    """Register each event not known yet (the first of one ``event_uuid`` wins)."""
    rows: dict[str, dict[str, object]] = {}
    for event in events:
        rows.setdefault(event.event_uuid, asdict(event))
    if rows:
        s.execute(
            sqlite_insert(EventRow).on_conflict_do_nothing(index_elements=["event_uuid"]),
            list(rows.values()),
        )

"""Which units below a unit have figures for an event: the rules before a report goes upward.

- **A known event.**  A report (township, county or city) with non-zero figures is refused
  for an event nobody in its area filed: no stored village report version of the event inside
  the unit, and no opening of the event by a township there.  This stops a report made only
  of adjustments for an event that does not exist there; a zero report stays possible.
- **Verified after every unit below.**  The units below that *have figures* for an event are
  the villages (for a township), townships (for a county) or counties (for the city) with at
  least one **approved** village report of the event inside them.  A verified (核报) report
  is accepted only when each of them has its verified report: every such village an approved
  verified version; every such township or county a **passed** verified report.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from sync.contract import DivisionLevel, ReportStage
from sync.server.errors import UNKNOWN_EVENT, VERIFIED_INCOMPLETE, ApiError
from sync.server.jurisdiction import within_sql
from sync.server.models import EventOpening, ReportVersion, ReviewStatus

#: How many leading digits of a 12-digit code name a division of each level.
PREFIX_DIGITS = {
    DivisionLevel.CITY.value: 4,
    DivisionLevel.COUNTY.value: 6,
    DivisionLevel.TOWNSHIP.value: 9,
    DivisionLevel.VILLAGE.value: 12,
}


def unit_of(village_code: str, level: str) -> str:
    """Return the code of the division of ``level`` that contains ``village_code``."""
    digits = PREFIX_DIGITS[level]
    return village_code[:digits].ljust(12, "0")


def event_known(session: Session, code: str, event_uuid: str) -> bool:
    """Return whether anyone inside ``code`` filed (or a township there opened) the event."""
    filed = exists().where(
        within_sql(ReportVersion.village_code, code), ReportVersion.event_uuid == event_uuid
    )
    opened = exists().where(
        within_sql(EventOpening.township_code, code), EventOpening.event_uuid == event_uuid
    )
    return bool(session.scalar(select(or_(filed, opened))))


def approved_stages(session: Session, code: str, event_uuid: str) -> dict[str, set[str]]:
    """Return, per village inside ``code``, the stages of its approved versions of the event."""
    rows = session.execute(
        select(ReportVersion.village_code, ReportVersion.stage)
        .where(
            within_sql(ReportVersion.village_code, code),
            ReportVersion.event_uuid == event_uuid,
            ReportVersion.review_status == ReviewStatus.APPROVED.value,
        )
        .distinct()
    ).all()
    out: dict[str, set[str]] = {}
    for village, stage in rows:
        out.setdefault(village, set()).add(stage)
    return out


def units_with_figures(session: Session, code: str, event_uuid: str, below: str) -> set[str]:
    """Return the units of level ``below`` inside ``code`` with an approved village report."""
    return {unit_of(v, below) for v in approved_stages(session, code, event_uuid)}


def require_known_event(
    session: Session, code: str, event_uuid: str, figures: Mapping[str, Decimal]
) -> None:
    """Refuse (409 ``unknown_event``) non-zero figures for an event nobody inside ``code`` filed.

    A zero report (every figure 0) stays possible for any event: "nothing happened here".
    """
    if any(figures.values()) and not event_known(session, code, event_uuid):
        raise ApiError(UNKNOWN_EVENT, event_uuid=event_uuid)


def require_township_ready(
    session: Session, township: str, event_uuid: str, stage: str, figures: Mapping[str, Decimal]
) -> None:
    """Refuse a township report for an unknown event, or a verified one before its villages.

    Raises:
        ApiError: 409 ``unknown_event``; 409 ``verified_incomplete`` (with ``missing``, the
            villages with approved figures but no approved verified report) when ``stage`` is
            verified and some village lacks it, or no village has an approved report at all.
    """
    require_known_event(session, township, event_uuid, figures)
    if stage != ReportStage.VERIFIED.value:
        return
    stages = approved_stages(session, township, event_uuid)
    missing = sorted(v for v, found in stages.items() if stage not in found)
    if missing or not stages:
        raise ApiError(
            VERIFIED_INCOMPLETE,
            zh="还有村（社区）没有已审核的核报报告，乡镇不能报送核报",
            en="a village has no approved verified report yet: the township cannot file its "
            "verified report",
            missing=missing,
        )

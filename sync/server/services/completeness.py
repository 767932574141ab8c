"""Which villages of a township have reported (the 24-hour zero-report rule, 24小时零报告).

Every village of the township (from the division table) is listed with whether it reported:
for an event (any version of any report of that event), on a day (China time, UTC+8, from
00:00 to the 24:00 cut-off), or both.  A report counts for a day by the time the informant
submitted it (``submitted_at`` in the content; the server's receipt time when absent), so a
report filed at 23:50 and synced after midnight still counts for its day.  For each village
that has not reported, the on-duty informant is named by ``sync.contract.duty.on_duty_at``:
the active A of the village post, or the active B when A is off duty (an absence) or there is
no A (an A whose account is disabled is not on duty).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.contract import DivisionLevel
from sync.contract.china_time import CHINA_TZ
from sync.server.db import utc_now
from sync.server.jurisdiction import within_sql
from sync.server.models import DivisionRow, ReportVersion
from sync.server.services.duty_inputs import load_duty

#: China Standard Time (no daylight saving).
CHINA = CHINA_TZ  # the one definition: sync/contract/china_time.py


@dataclass(frozen=True)
class Window:
    """What counts as "reported": an event, a day in China time, or both."""

    event_uuid: str | None
    day: date | None

    @property
    def start(self) -> datetime | None:
        """Return 00:00 China time of the day, in UTC."""
        if self.day is None:
            return None
        return datetime.combine(self.day, time(0), CHINA).astimezone(UTC)

    @property
    def end(self) -> datetime | None:
        """Return the 24:00 cut-off of the day (China time), in UTC."""
        start = self.start
        return None if start is None else start + timedelta(days=1)


def completeness(
    session: Session, township: DivisionRow, window: Window, now: datetime | None = None
) -> dict[str, Any]:
    """Return every village of ``township`` with whether it reported in ``window``.

    ``now`` is when "on duty" is judged (default: the clock).
    """
    villages = session.execute(
        select(DivisionRow.code, DivisionRow.short_name.label("name"))
        .where(
            within_sql(DivisionRow.code, township.code),
            DivisionRow.level == DivisionLevel.VILLAGE.value,
        )
        .order_by(DivisionRow.code)
    ).all()
    when = func.coalesce(ReportVersion.submitted_at, ReportVersion.server_received_at)
    query = (
        select(
            ReportVersion.village_code,
            func.count(func.distinct(ReportVersion.report_uuid)),
            func.max(ReportVersion.server_received_at),
        )
        .where(within_sql(ReportVersion.village_code, township.code))
        .group_by(ReportVersion.village_code)
    )
    if window.event_uuid is not None:
        query = query.where(ReportVersion.event_uuid == window.event_uuid)
    if window.start is not None and window.end is not None:
        query = query.where(when >= window.start, when < window.end)
    reported = {code: (int(count), last) for code, count, last in session.execute(query)}
    missing = [code for code, _name in villages if code not in reported]
    duty = on_duty(session, missing, now or utc_now())
    rows = []
    for code, name in villages:
        count, last = reported.get(code, (0, None))
        rows.append(
            {
                "village_code": code,
                "village_name": name,
                "reported": count > 0,
                "report_count": count,
                "last_received_at": last,
                "on_duty": None if count else duty.get(code),
            }
        )
    return {
        "township_code": township.code,
        "township_name": township.name,
        "event_uuid": window.event_uuid,
        "day": window.day,
        "window_start": window.start,
        "window_end": window.end,
        "villages": rows,
        "reported_count": len(rows) - len(missing),
        "missing_count": len(missing),
    }


def on_duty(session: Session, village_codes: list[str], now: datetime) -> dict[str, dict[str, Any]]:
    """Return who is on duty at each village post at ``now`` (posts nobody covers are absent)."""
    if not village_codes:
        return {}
    data = load_duty(session, village_codes, now=now)
    duty: dict[str, dict[str, Any]] = {}
    for code, post in data.posts.items():
        who = post.on_duty(data.people, now)
        if who.username is not None and who.post_role is not None:
            person = data.people[who.username]
            duty[code] = {
                "username": person.username,
                "display_name": person.display_name,
                "phone": person.phone,
                "post_role": who.post_role,
            }
    return duty

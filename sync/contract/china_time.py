"""China time (UTC+8): the one clock of the statistical system, for the server and the app.

Times are stored and exchanged in UTC.  Every date and time a person sees — on a screen, in an
event's name, in an export, in a command's output — and every "day" a deadline counts is China
Standard Time, whatever the time zone of the PC or the server: two people looking at the same
report see the same date.  Screens say so where it matters ("北京时间").

China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact for every
moment the system deals with and does not depend on the machine's time zone database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

#: China Standard Time's offset from UTC, in seconds (Qt's fixed-offset ``QTimeZone`` takes it).
CHINA_OFFSET_SECONDS = 8 * 3600
#: China Standard Time: every date and time shown, and the "days" of deadlines, are in it.
CHINA_TZ = timezone(timedelta(seconds=CHINA_OFFSET_SECONDS))


def china_time(value: datetime) -> datetime:
    """Return ``value`` in China time; a naive value is taken as UTC (as the store keeps it)."""
    return (value if value.tzinfo is not None else value.replace(tzinfo=UTC)).astimezone(CHINA_TZ)


def china_date(value: datetime) -> date:
    """Return the date in China of the moment ``value`` (naive: UTC)."""
    return china_time(value).date()


def china_today(now: datetime | None = None) -> date:
    """Return today's date in China (at ``now``, default the clock)."""
    return china_date(now or datetime.now(UTC))


def china_iso(value: datetime | None) -> str:
    """Return a moment as ISO-8601 in China time with its offset ("2024-07-02T03:30:00+08:00").

    For files people open (the CSV export): the same instant as the stored UTC text, read
    as the date and time of the statistical system; ``None`` gives "".
    """
    return "" if value is None else china_time(value).isoformat(timespec="seconds")


__all__ = [
    "CHINA_OFFSET_SECONDS",
    "CHINA_TZ",
    "china_date",
    "china_iso",
    "china_time",
    "china_today",
]

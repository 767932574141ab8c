"""Deadlines at every level, counted from the disaster, and the death/missing alert.

One definition for the city server and the app (docs/duty.md, docs/domain.md §2).  Pure
functions of an explicit ``now``: no clock is read.

- **Initial report.** Each level's initial report of an event is due a fixed time after the
  event *occurred* (``occurred_at``; the opening time when the occurrence is unknown):
  village → township 1 h, township → county 1 h, county → city 2 h (settings).
- **Continuing reports** (24-hour zero-report rule): the data cut-off is 24:00 China time;
  the report is due the next morning, 08:00 township, 09:00 county, 10:00 city.  Drought:
  every ``drought_every_days`` days (10) instead of daily.  Only the latest started window
  is returned: earlier ones are history, not an alert.
- **Verified report.** Once the event is stable (closed), due ``verified_days`` after.
- **Escalation.** A window not filed by ``escalate_fraction`` of its span is escalated (the
  post's B is alerted); past its due time it is overdue — at every level with a post.
- **Death or missing.** A village version with ``deaths`` or ``missing`` above zero alerts
  the township, the county and the city at once; ``casualty_alert_id`` names the alert so
  each device acknowledges it once (a changed figure is a new alert).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sync.contract.duty import CHINA_TZ, Window, WindowState, WindowStatus

#: The levels that owe reports upward, lowest first.
UNIT_LEVELS = ("village", "township", "county", "city")
#: The disaster type whose continuing reports are due every ``drought_every_days`` days.
DROUGHT = "drought"


@dataclass(frozen=True)
class LevelDeadline:
    """One level's deadlines.

    Attributes:
        initial_minutes: the initial report is due this long after the event occurred.
        continuing_due: a continuing report is due by this China time the day after its
            cut-off (24:00).
        verified_days: the verified report is due this many days after the event was
            declared stable (closed).
    """

    initial_minutes: int
    continuing_due: time
    verified_days: int


def _default_levels() -> dict[str, LevelDeadline]:
    return {
        "village": LevelDeadline(60, time(8, 0), 1),
        "township": LevelDeadline(60, time(8, 0), 2),
        "county": LevelDeadline(60 * 2, time(9, 0), 2),
        "city": LevelDeadline(60 * 2, time(10, 0), 3),
    }


@dataclass(frozen=True)
class LevelDeadlineSettings:
    """The deadlines of every level (docs/domain.md §2 defaults); data, sent to devices."""

    levels: Mapping[str, LevelDeadline] = field(default_factory=_default_levels)
    drought_every_days: int = 10
    escalate_fraction: float = 0.5
    casualty_alert_days: int = 7

    def level(self, level: str) -> LevelDeadline:
        """Return the deadlines of ``level`` (``KeyError`` for a level that owes none)."""
        return self.levels[level]

    def with_level(self, level: str, **changes: Any) -> LevelDeadlineSettings:
        """Return these settings with some of ``level``'s values changed."""
        levels = dict(self.levels)
        levels[level] = replace(levels[level], **changes)
        return replace(self, levels=levels)

    def to_wire(self) -> dict[str, Any]:
        """Return the JSON form (``levels`` by name, times as ``HH:MM``)."""
        return {
            "levels": {
                name: {
                    "initial_minutes": d.initial_minutes,
                    "continuing_due": d.continuing_due.strftime("%H:%M"),
                    "verified_days": d.verified_days,
                }
                for name, d in self.levels.items()
            },
            "drought_every_days": self.drought_every_days,
            "escalate_fraction": self.escalate_fraction,
            "casualty_alert_days": self.casualty_alert_days,
        }

    @classmethod
    def from_wire(cls, data: object) -> LevelDeadlineSettings:
        """Parse the JSON form; a missing or malformed level takes its default."""
        default = cls()
        if not isinstance(data, dict):
            return default
        levels = dict(default.levels)
        given = data.get("levels")
        for name in UNIT_LEVELS:
            item = given.get(name) if isinstance(given, dict) else None
            if isinstance(item, dict):
                parsed = _level(item)
                if parsed is not None:
                    levels[name] = parsed
        try:
            every = int(data.get("drought_every_days", default.drought_every_days))
            fraction = float(data.get("escalate_fraction", default.escalate_fraction))
            days = int(data.get("casualty_alert_days", default.casualty_alert_days))
        except (TypeError, ValueError):
            every, fraction = default.drought_every_days, default.escalate_fraction
            days = default.casualty_alert_days
        if every <= 0:
            every = default.drought_every_days
        if not 0.0 < fraction <= 1.0:
            fraction = default.escalate_fraction
        if days <= 0:
            days = default.casualty_alert_days
        return cls(levels, every, fraction, days)


def _level(item: dict[str, Any]) -> LevelDeadline | None:
    try:
        minutes = int(item["initial_minutes"])
        hh, mm = str(item["continuing_due"]).split(":")
        due = time(int(hh), int(mm))
        days = int(item["verified_days"])
    except (KeyError, TypeError, ValueError):
        return None
    if minutes <= 0 or days <= 0:
        return None
    return LevelDeadline(minutes, due, days)


def _window(stage: str, start: datetime, due: datetime, fraction: float) -> Window:
    return Window(stage, start, start + (due - start) * fraction, due)


def continuing_every_days(disaster_type: str, settings: LevelDeadlineSettings) -> int:
    """Return how many days apart continuing reports are due (drought: 10, else 1)."""
    return settings.drought_every_days if disaster_type == DROUGHT else 1


def latest_cutoff(
    occurred_at: datetime, until: datetime, disaster_type: str, settings: LevelDeadlineSettings
) -> datetime | None:
    """Return the latest continuing cut-off (24:00 China time) after the event, up to ``until``.

    Daily cut-offs are every China midnight after the day the event occurred; a drought's
    every ``drought_every_days``-th of them.  ``None`` before the first.
    """
    every = continuing_every_days(disaster_type, settings)
    first_day = occurred_at.astimezone(CHINA_TZ).date()
    last_day = until.astimezone(CHINA_TZ).date()
    days = (last_day - first_day).days
    days -= days % every
    if days <= 0:
        return None
    return datetime.combine(first_day + timedelta(days=days), time(0), CHINA_TZ).astimezone(UTC)


def unit_windows(
    level: str,
    occurred_at: datetime,
    closed_at: datetime | None,
    disaster_type: str,
    now: datetime,
    settings: LevelDeadlineSettings,
) -> list[Window]:
    """Return the windows of ``level`` for an event that have started by ``now``.

    The initial window starts when the event occurred; a continuing window at each cut-off
    while the event is open (only the latest); the verified window when it was closed.
    """
    d = settings.level(level)
    fraction = settings.escalate_fraction
    out = [
        _window(
            "initial", occurred_at, occurred_at + timedelta(minutes=d.initial_minutes), fraction
        )
    ]
    last = min(now, closed_at) if closed_at is not None else now
    cutoff = latest_cutoff(occurred_at, last, disaster_type, settings)
    if cutoff is not None:
        day = cutoff.astimezone(CHINA_TZ).date()
        due = datetime.combine(day, d.continuing_due, CHINA_TZ).astimezone(UTC)
        out.append(_window("continuing", cutoff, due, fraction))
    if closed_at is not None and closed_at <= now:
        out.append(
            _window("verified", closed_at, closed_at + timedelta(days=d.verified_days), fraction)
        )
    return out


def unit_window_state(
    window: Window, filings: Iterable[tuple[str, datetime]], now: datetime
) -> WindowState:
    """Return how a unit stands on ``window`` given its filings ``(stage, filed_at)``.

    The initial window is met by any initial report; a continuing window by a continuing or
    verified report filed since its cut-off; the verified window by a verified report.
    """
    if window.stage == "initial":
        times = [t for stage, t in filings if stage == "initial"]
    elif window.stage == "continuing":
        times = [
            t
            for stage, t in filings
            if stage in ("continuing", "verified") and t >= window.starts_at
        ]
    else:
        times = [t for stage, t in filings if stage == "verified"]
    if times:
        first = min(times)
        status = WindowStatus.FILED if first <= window.due_at else WindowStatus.FILED_LATE
        return WindowState(window, status, first)
    if now >= window.due_at:
        return WindowState(window, WindowStatus.OVERDUE, None)
    if now >= window.escalate_at:
        return WindowState(window, WindowStatus.ESCALATED, None)
    return WindowState(window, WindowStatus.WAITING, None)


def unit_deadlines(
    level: str,
    occurred_at: datetime,
    closed_at: datetime | None,
    disaster_type: str,
    filings: Sequence[tuple[str, datetime]],
    now: datetime,
    settings: LevelDeadlineSettings,
) -> list[WindowState]:
    """Return the state of each started window of ``level`` for one unit on one event."""
    return [
        unit_window_state(w, filings, now)
        for w in unit_windows(level, occurred_at, closed_at, disaster_type, now, settings)
    ]


# --- deaths and missing persons ---------------------------------------------------------------


def _count(value: object) -> int:
    try:
        return max(int(str(value)), 0) if value not in (None, "") else 0
    except ValueError:
        return 0


def casualties(figures: Mapping[str, object]) -> tuple[int, int]:
    """Return ``(deaths, missing)`` of a report's figures (absent or malformed: 0)."""
    return _count(figures.get("deaths")), _count(figures.get("missing"))


def has_casualties(figures: Mapping[str, object]) -> bool:
    """Return whether a report names a death or a missing person (an alert is due)."""
    return any(casualties(figures))


def casualty_alert_id(event_uuid: str, village_code: str, deaths: int, missing: int) -> str:
    """Return the id of the death/missing alert of a village on an event at these figures.

    The same figures filed again (a correction that keeps them) are the same alert; a
    changed count is a new one, so every device hears of it again.
    """
    return f"casualty:{event_uuid}:{village_code}:{deaths}:{missing}"

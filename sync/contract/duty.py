"""Who is on duty at a post, in which role a filing was made, and when a village is late.

One definition for the city server and the app (which answers offline from its cached roster).
Everything here is a pure function of the roster, the absences and an explicit ``now``: no
clock is read, so the rules can be tested at any moment (docs/domain.md §1 A/B roles, §2 deadlines).

- **On duty.** A post's A is on duty unless an absence covers the moment; then the B is, and
  acts for A.  With no A at all, the B is on duty alone.  With neither, nobody is.
- **Filing role.** A filing by the A is ``A``; by the B while B was on duty, ``B_acting``;
  by the B while A was on duty, ``B_while_A_on_duty`` (allowed, but flagged for the reviewer).
- **Deadlines.** When a township opens an event for its villages, each village owes an initial
  report within ``initial_minutes`` of the event's *occurrence* (its opening when the
  occurrence is unknown), but never less than ``OPENING_GRACE_MINUTES`` after the opening
  (``village_initial_window``); then a continuing report every day by ``continuing_due``
  (China time; cut-off 24:00 the day before) until the event is closed.  A window not filed
  by ``escalate_fraction`` of its span is *escalated* (B is alerted), one past its due time
  is *overdue*.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum

# China Standard Time: deadlines and "days" are counted in it (defined in china_time).
from sync.contract.china_time import CHINA_TZ as CHINA_TZ

#: The least time a village has for its initial report after the event was opened for it
#: (an event opened after its deadline from the occurrence would have passed).
OPENING_GRACE_MINUTES = 10


class FilingRole(StrEnum):
    """In which capacity a report version was filed."""

    A = "A"
    B_ACTING = "B_acting"
    B_WHILE_A_ON_DUTY = "B_while_A_on_duty"

    @property
    def zh(self) -> str:
        """Return the Chinese label."""
        return _FILING_LABELS[self][0]

    @property
    def en(self) -> str:
        """Return the English label."""
        return _FILING_LABELS[self][1]


_FILING_LABELS = {
    FilingRole.A: ("A 报送", "filed by A"),
    FilingRole.B_ACTING: ("B 代 A 报送", "filed by B acting for A"),
    FilingRole.B_WHILE_A_ON_DUTY: ("B 报送（A 在岗）", "filed by B while A was on duty"),
}


class AbsenceKind(StrEnum):
    """Why A is off duty."""

    LEAVE = "leave"
    AWAY = "away"
    UNREACHABLE = "unreachable"

    @property
    def zh(self) -> str:
        """Return the Chinese label."""
        return {"leave": "请假", "away": "外出", "unreachable": "联系不上"}[self.value]

    @property
    def en(self) -> str:
        """Return the English label."""
        return {"leave": "on leave", "away": "away", "unreachable": "unreachable"}[self.value]


@dataclass(frozen=True)
class Holding:
    """A person holding a post as A or B from ``valid_from`` until ``valid_to`` (open: None)."""

    username: str
    post_role: str  # "A" or "B"
    valid_from: datetime
    valid_to: datetime | None = None

    def active_at(self, at: datetime) -> bool:
        """Return whether the holding covers ``at`` (half-open: from ≤ at < to)."""
        return self.valid_from <= at and (self.valid_to is None or at < self.valid_to)


@dataclass(frozen=True)
class Absence:
    """A period in which ``username`` (a post's A) is off duty; ``ended_at`` cuts it short."""

    absence_uuid: str
    username: str
    starts_at: datetime
    ends_at: datetime
    kind: AbsenceKind = AbsenceKind.LEAVE
    reason: str = ""
    ended_at: datetime | None = None

    @property
    def effective_end(self) -> datetime:
        """Return when the absence really ends: its planned end, or earlier when ended."""
        if self.ended_at is not None and self.ended_at < self.ends_at:
            return max(self.ended_at, self.starts_at)
        return self.ends_at

    def covers(self, at: datetime) -> bool:
        """Return whether the absence covers ``at`` (half-open)."""
        return self.starts_at <= at < self.effective_end


@dataclass(frozen=True)
class Duty:
    """Who is on duty at a post at one moment.

    Attributes:
        username: the person on duty, or ``None`` when nobody is (no holder, or A away and
            no B).
        post_role: their role, ``A`` or ``B``.
        acting_for: the A that B stands in for (``None`` when A is on duty or there is no A).
        absence: the absence that puts B on duty, if any.
    """

    username: str | None
    post_role: str | None
    acting_for: str | None = None
    absence: Absence | None = None


def holder_at(holdings: Iterable[Holding], post_role: str, at: datetime) -> str | None:
    """Return who holds ``post_role`` at ``at`` (the latest holding when several overlap)."""
    active = [h for h in holdings if h.post_role == post_role and h.active_at(at)]
    if not active:
        return None
    return max(active, key=lambda h: h.valid_from).username


def absence_at(absences: Iterable[Absence], username: str, at: datetime) -> Absence | None:
    """Return the absence of ``username`` covering ``at``, if any."""
    for absence in absences:
        if absence.username == username and absence.covers(at):
            return absence
    return None


def on_duty_at(holdings: Sequence[Holding], absences: Sequence[Absence], at: datetime) -> Duty:
    """Return who is on duty at the post at ``at``."""
    a = holder_at(holdings, "A", at)
    b = holder_at(holdings, "B", at)
    away = absence_at(absences, a, at) if a is not None else None
    if a is not None and away is None:
        return Duty(a, "A")
    if b is not None:
        return Duty(b, "B", acting_for=a, absence=away)
    return Duty(None, None, acting_for=a, absence=away)


def filing_role(
    holdings: Sequence[Holding], absences: Sequence[Absence], username: str, at: datetime
) -> FilingRole | None:
    """Return the capacity in which ``username`` filed at ``at``; ``None`` if they held no post.

    A holder of A files as A even while away.  The B files as ``B_acting`` when B was on
    duty, else as ``B_while_A_on_duty``.
    """
    if holder_at(holdings, "A", at) == username:
        return FilingRole.A
    if holder_at(holdings, "B", at) != username:
        return None
    duty = on_duty_at(holdings, absences, at)
    return FilingRole.B_ACTING if duty.username == username else FilingRole.B_WHILE_A_ON_DUTY


# --- deadlines and escalation -----------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineSettings:
    """Deadlines of a village's reports on an opened event (docs/domain.md §2 defaults)."""

    initial_minutes: int = 60
    continuing_due: time = time(8, 0)
    escalate_fraction: float = 0.5

    def to_wire(self) -> dict[str, object]:
        """Return the JSON form sent to devices with each opening."""
        return {
            "initial_minutes": self.initial_minutes,
            "continuing_due": self.continuing_due.strftime("%H:%M"),
            "escalate_fraction": self.escalate_fraction,
        }

    @classmethod
    def from_wire(cls, data: object) -> DeadlineSettings:
        """Parse the JSON form; anything missing or malformed takes the default."""
        if not isinstance(data, dict):
            return cls()
        default = cls()
        try:
            minutes = int(data.get("initial_minutes", default.initial_minutes))
            hh, mm = str(data.get("continuing_due", "08:00")).split(":")
            due = time(int(hh), int(mm))
            fraction = float(data.get("escalate_fraction", default.escalate_fraction))
        except (TypeError, ValueError):
            return default
        if minutes <= 0 or not 0.0 < fraction <= 1.0:
            return default
        return cls(minutes, due, fraction)


class WindowStatus(StrEnum):
    """Where a village stands on one deadline window (worst last)."""

    FILED = "filed"
    FILED_LATE = "filed_late"
    WAITING = "waiting"
    ESCALATED = "escalated"
    OVERDUE = "overdue"

    @property
    def late(self) -> bool:
        """Whether the window is escalated or overdue (someone must act)."""
        return self in (WindowStatus.ESCALATED, WindowStatus.OVERDUE)

    @property
    def zh(self) -> str:
        """Return the Chinese label."""
        return _WINDOW_LABELS[self][0]

    @property
    def en(self) -> str:
        """Return the English label."""
        return _WINDOW_LABELS[self][1]


_WINDOW_LABELS = {
    WindowStatus.FILED: ("已报送", "filed"),
    WindowStatus.FILED_LATE: ("逾期报送", "filed late"),
    WindowStatus.WAITING: ("待报送", "waiting"),
    WindowStatus.ESCALATED: ("已过半时限未报", "half the time gone, not filed"),
    WindowStatus.OVERDUE: ("已超时未报", "overdue"),
}
_SEVERITY = {
    WindowStatus.FILED: 0,
    WindowStatus.FILED_LATE: 1,
    WindowStatus.WAITING: 2,
    WindowStatus.ESCALATED: 3,
    WindowStatus.OVERDUE: 4,
}


@dataclass(frozen=True)
class Window:
    """One deadline: a report of ``stage`` is due at ``due_at``; B is alerted at ``escalate_at``."""

    stage: str
    starts_at: datetime
    escalate_at: datetime
    due_at: datetime


@dataclass(frozen=True)
class WindowState:
    """A window and how the village stands on it."""

    window: Window
    status: WindowStatus
    filed_at: datetime | None


def _window(stage: str, start: datetime, due: datetime, fraction: float) -> Window:
    return Window(stage, start, start + (due - start) * fraction, due)


def village_initial_window(
    opened_at: datetime, occurred_at: datetime | None, settings: DeadlineSettings
) -> Window:
    """Return a village's initial window on an event opened for it at ``opened_at``.

    Counted from the event's occurrence when it is known: it starts at ``occurred_at`` and
    is due ``initial_minutes`` after it, but never sooner than ``OPENING_GRACE_MINUTES``
    after the opening (a village cannot be late before it was told).  Unknown occurrence:
    it starts at the opening and is due ``initial_minutes`` after it.  Escalated at
    ``escalate_fraction`` of the span.
    """
    if occurred_at is None:
        start, due = opened_at, opened_at + timedelta(minutes=settings.initial_minutes)
    else:
        start = occurred_at
        due = max(
            occurred_at + timedelta(minutes=settings.initial_minutes),
            opened_at + timedelta(minutes=OPENING_GRACE_MINUTES),
        )
    return _window("initial", start, due, settings.escalate_fraction)


def windows(
    opened_at: datetime,
    closed_at: datetime | None,
    now: datetime,
    settings: DeadlineSettings,
    occurred_at: datetime | None = None,
) -> list[Window]:
    """Return the windows of an opening that have started by ``now``.

    The initial window is ``village_initial_window``'s; a continuing window starts at each
    China-time midnight after the opening day, while the event is open.  Only the latest
    continuing window is returned: the earlier ones are history, not an alert.
    """
    out = [village_initial_window(opened_at, occurred_at, settings)]
    last = min(now, closed_at) if closed_at is not None else now
    day_start = datetime.combine(last.astimezone(CHINA_TZ).date(), time(0), CHINA_TZ)
    if day_start > opened_at and day_start <= last:
        due = datetime.combine(day_start.date(), settings.continuing_due, CHINA_TZ)
        out.append(
            _window(
                "continuing",
                day_start.astimezone(UTC),
                due.astimezone(UTC),
                settings.escalate_fraction,
            )
        )
    return out


def window_state(
    window: Window, filings: Iterable[tuple[str, datetime]], now: datetime
) -> WindowState:
    """Return how a village stands on ``window`` given its filings ``(stage, filed_at)``.

    An initial window is met by any initial report of the event, even one filed before the
    opening; a continuing window by a continuing (or verified) report filed since it started.
    """
    if window.stage == "initial":
        times = [t for stage, t in filings if stage == "initial"]
    else:
        times = [
            t
            for stage, t in filings
            if stage in ("continuing", "verified") and t >= window.starts_at
        ]
    if times:
        first = min(times)
        status = WindowStatus.FILED if first <= window.due_at else WindowStatus.FILED_LATE
        return WindowState(window, status, first)
    if now >= window.due_at:
        return WindowState(window, WindowStatus.OVERDUE, None)
    if now >= window.escalate_at:
        return WindowState(window, WindowStatus.ESCALATED, None)
    return WindowState(window, WindowStatus.WAITING, None)


def village_deadlines(
    opened_at: datetime,
    closed_at: datetime | None,
    filings: Sequence[tuple[str, datetime]],
    now: datetime,
    settings: DeadlineSettings,
    occurred_at: datetime | None = None,
) -> list[WindowState]:
    """Return the state of each started window of an opening for one village.

    ``opened_at`` is when the event was opened for the village, ``occurred_at`` when the
    event occurred (``None``: unknown, the deadlines count from the opening).
    """
    return [
        window_state(w, filings, now)
        for w in windows(opened_at, closed_at, now, settings, occurred_at)
    ]


def worst(states: Iterable[WindowState]) -> WindowState | None:
    """Return the window state that most needs attention (the earliest of equals)."""
    ordered = sorted(states, key=lambda s: (-_SEVERITY[s.status], s.window.due_at))
    return ordered[0] if ordered else None

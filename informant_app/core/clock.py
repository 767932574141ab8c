"""The core's one clock: every business rule that reads "now" asks a ``Clock``.

The store keeps one (``ReportStore.open(data_dir, clock=...)``, ``store.clock``); the app runs on
the ``SystemClock``.  Tests hand in a ``ManualClock`` and move time by hand instead of sleeping:
a deadline passes, a whole second of ``submitted_at`` goes by.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

__all__ = ["Clock", "ManualClock", "SystemClock", "to_the_second"]


class Clock(Protocol):
    """Something that tells the current time."""

    def now(self) -> datetime:
        """Return the current time, aware, in UTC, with microseconds."""
        ...


class SystemClock:
    """The computer's clock."""

    def now(self) -> datetime:
        """Return the computer's current UTC time."""
        return datetime.now(UTC)


class ManualClock:
    """A clock a test moves by hand.

    Without ``at`` it runs with the computer's clock, shifted by every ``advance`` (so row
    timestamps still differ); with ``at`` it stands still at that time until moved.
    """

    def __init__(self, at: datetime | None = None) -> None:
        """Start running with the computer's clock, or standing at ``at`` (aware)."""
        if at is not None and at.tzinfo is None:
            raise ValueError("ManualClock needs an aware time")
        self._at = at.astimezone(UTC) if at is not None else None
        self._offset = timedelta(0)

    def now(self) -> datetime:
        """Return the clock's current UTC time."""
        base = self._at if self._at is not None else datetime.now(UTC)
        return base + self._offset

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta`` (backward when negative)."""
        self._offset += delta

    def set(self, at: datetime) -> None:
        """Stop the clock at ``at`` (aware) from now on."""
        if at.tzinfo is None:
            raise ValueError("ManualClock needs an aware time")
        self._at = at.astimezone(UTC)
        self._offset = timedelta(0)


def to_the_second(at: datetime) -> datetime:
    """Return ``at`` without its microseconds (a report's times are whole seconds)."""
    return at.replace(microsecond=0)

"""The duty tests' clock starts where no China-time day begins during a module's tests.

Every open event gains a continuing-report window at midnight China time (16:00 UTC); a clock
started an hour after real time crossed it when the tests ran in the afternoon (UTC), or began
just after it while the tests dated events back before it, and the tests that expect the
initial window alone failed at those hours only.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.server.duty_steps import ROOM_AFTER_MIDNIGHT, ROOM_BEFORE_MIDNIGHT, start_time


def _utc(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, 7, hour, minute, 17, 500, tzinfo=UTC)


@pytest.mark.parametrize(
    ("real", "start"),
    [
        (_utc(2), datetime(2026, 12, 7, 3, 0, 17, tzinfo=UTC)),  # 11:00 China time: an hour on
        (_utc(8, 59), datetime(2026, 12, 7, 9, 59, 17, tzinfo=UTC)),  # 6 h left: still room
        (_utc(9, 0), datetime(2026, 12, 7, 19, 0, tzinfo=UTC)),  # less: 03:00 the next day
        (_utc(13, 20), datetime(2026, 12, 7, 19, 0, tzinfo=UTC)),
        (_utc(16, 30), datetime(2026, 12, 7, 19, 0, tzinfo=UTC)),  # 01:30: too soon after it
        (_utc(17, 59), datetime(2026, 12, 7, 19, 0, tzinfo=UTC)),
        (_utc(18, 0), datetime(2026, 12, 7, 19, 0, 17, tzinfo=UTC)),  # 03:00 China time
        (_utc(23, 30), datetime(2026, 12, 8, 0, 30, 17, tzinfo=UTC)),
    ],
)
def test_the_clock_starts_an_hour_on_or_at_3_in_the_china_morning(
    real: datetime, start: datetime
) -> None:
    assert start_time(real) == start


@pytest.mark.parametrize("minutes", range(0, 24 * 60, 7))
def test_every_start_leaves_room_on_both_sides_of_midnight_china_time(minutes: int) -> None:
    real = datetime(2026, 12, 7, tzinfo=UTC) + timedelta(minutes=minutes)
    start = start_time(real)
    assert timedelta(hours=1) <= start - real <= timedelta(hours=10, minutes=1)
    china = start + timedelta(hours=8)  # China time, as a naive clock reading
    since_midnight = china - china.replace(hour=0, minute=0, second=0, microsecond=0)
    assert ROOM_AFTER_MIDNIGHT <= since_midnight <= timedelta(days=1) - ROOM_BEFORE_MIDNIGHT

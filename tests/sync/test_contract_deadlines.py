"""The deadlines of every level from the disaster, as pure functions of an explicit now."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sync.contract.deadlines import (
    LevelDeadlineSettings,
    casualties,
    casualty_alert_id,
    has_casualties,
    latest_cutoff,
    unit_deadlines,
    unit_windows,
)
from sync.contract.duty import CHINA_TZ, WindowStatus

S = LevelDeadlineSettings()
OCCURRED = datetime(2024, 7, 1, 5, 30, tzinfo=CHINA_TZ).astimezone(UTC)


def china(day: int, hh: int, mm: int = 0) -> datetime:
    return datetime(2024, 7, day, hh, mm, tzinfo=CHINA_TZ).astimezone(UTC)


def test_initial_due_from_the_occurrence_per_level() -> None:
    dues = {
        level: unit_windows(level, OCCURRED, None, "flood", OCCURRED, S)[0].due_at - OCCURRED
        for level in ("village", "township", "county", "city")
    }
    assert dues == {
        "village": timedelta(hours=1),
        "township": timedelta(hours=1),
        "county": timedelta(hours=2),
        "city": timedelta(hours=2),
    }
    county = unit_windows("county", OCCURRED, None, "flood", OCCURRED, S)[0]
    assert county.escalate_at == OCCURRED + timedelta(hours=1)


def test_continuing_cut_off_midnight_due_next_morning_by_level() -> None:
    now = china(3, 7)
    for level, due in (("township", time(8)), ("county", time(9)), ("city", time(10))):
        [_, continuing] = unit_windows(level, OCCURRED, None, "flood", now, S)
        assert continuing.starts_at == china(3, 0)
        assert continuing.due_at == datetime.combine(now.astimezone(CHINA_TZ).date(), due, CHINA_TZ)
    assert len(unit_windows("township", OCCURRED, None, "flood", china(1, 23), S)) == 1


def test_drought_every_ten_days() -> None:
    assert latest_cutoff(OCCURRED, china(9, 12), "drought", S) is None
    assert latest_cutoff(OCCURRED, china(11, 1), "drought", S) == china(11, 0)
    assert latest_cutoff(OCCURRED, china(20, 1), "drought", S) == china(11, 0)
    assert latest_cutoff(OCCURRED, china(9, 12), "flood", S) == china(9, 0)


def test_states_escalation_and_verified_after_stable() -> None:
    def status(now: datetime, filings: list[tuple[str, datetime]]) -> WindowStatus:
        return unit_deadlines("township", OCCURRED, None, "flood", filings, now, S)[0].status

    assert status(OCCURRED + timedelta(minutes=29), []) is WindowStatus.WAITING
    assert status(OCCURRED + timedelta(minutes=30), []) is WindowStatus.ESCALATED
    assert status(OCCURRED + timedelta(minutes=60), []) is WindowStatus.OVERDUE
    filed = [("initial", OCCURRED + timedelta(minutes=50))]
    assert status(OCCURRED + timedelta(hours=5), filed) is WindowStatus.FILED
    late = [("initial", OCCURRED + timedelta(minutes=70))]
    assert status(OCCURRED + timedelta(hours=5), late) is WindowStatus.FILED_LATE
    closed = china(5, 12)
    states = unit_deadlines("city", OCCURRED, closed, "flood", [], china(7, 12), S)
    verified = states[-1]
    assert verified.window.stage == "verified"
    assert verified.window.due_at == closed + timedelta(days=3)
    assert verified.status is WindowStatus.ESCALATED
    met = unit_deadlines(
        "city", OCCURRED, closed, "flood", [("verified", china(6, 9))], china(9, 12), S
    )
    assert met[-1].status is WindowStatus.FILED


def test_settings_are_data() -> None:
    custom = S.with_level("county", initial_minutes=90, continuing_due=time(9, 30))
    assert LevelDeadlineSettings.from_wire(custom.to_wire()) == custom
    assert LevelDeadlineSettings.from_wire({"levels": {"city": {"initial_minutes": -1}}}) == S
    assert LevelDeadlineSettings.from_wire("nonsense") == S


def test_casualties() -> None:
    assert casualties({"deaths": 2, "missing": "1"}) == (2, 1)
    assert casualties({"affected_pop": 10}) == (0, 0)
    assert has_casualties({"missing": 1}) and not has_casualties({"deaths": 0})
    assert casualty_alert_id("e", "v", 1, 0) != casualty_alert_id("e", "v", 1, 1)

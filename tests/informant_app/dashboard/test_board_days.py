"""The dashboard's standing on a past day, from real wire answers (Qt-free).

Each unit's standing on day D is judged at the end of D (24:00 China time) with the pure
deadline functions of ``sync.contract.deadlines``: a township that missed the continuing
report due on the morning of day 1 and filed day 2's on time stands overdue on day 1 and
filed on day 2.  A township's villages are judged by the completeness route's answer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import msgspec

from informant_app.core.dashboard.board import (
    Standing,
    board_of_township,
    board_of_unit,
    day_end,
    standings_on_day,
    village_standings_on_day,
)
from sync.contract import default_divisions
from sync.contract.duty import CHINA_TZ
from sync.contract.wire.duty import Duty
from sync.contract.wire.township import Completeness, TownshipReport
from sync.contract.wire.unit_reports import UnitReport
from tests.support.places import (
    BANQIAO_TOWNSHIP,
    LONGYANG,
    LUJIANG,
    SHUIGOU,
    WAFANG,
    WAFANG_TOWNSHIP,
)

EVENT = "ev-days-1"
DAY1, DAY2 = date(2026, 7, 1), date(2026, 7, 2)


def china(day: date, hour: int, minute: int = 0) -> datetime:
    """A China time, in UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHINA_TZ).astimezone(UTC)


OCCURRED = china(date(2026, 6, 30), 10)
NOW = china(date(2026, 7, 3), 12)
INITIAL_FILED = china(date(2026, 6, 30), 10, 30)
#: 潞江镇's continuing report with data to 24:00 of day 1, received at 07:00 on day 2.
LUJIANG_CUTOFF = china(DAY2, 0)
LUJIANG_RECEIVED = china(DAY2, 7)
DEADLINES = {"initial_minutes": 60, "continuing_due": "08:00", "escalate_fraction": 0.5}
NOBODY = {
    "username": None,
    "display_name": None,
    "post_role": None,
    "acting_for": None,
    "absence_uuid": None,
}


def _window(
    stage: str, start: datetime, due: datetime, status: str, filed: datetime | None
) -> dict[str, Any]:
    return {
        "stage": stage,
        "starts_at": start.isoformat(),
        "escalate_at": (start + (due - start) / 2).isoformat(),
        "due_at": due.isoformat(),
        "status": status,
        "filed_at": filed.isoformat() if filed else None,
    }


def _unit(code: str, initial_filed: datetime | None) -> dict[str, Any]:
    """A township's deadlines as ``GET /duty`` answers them at ``NOW`` (day 3, 12:00)."""
    initial = _window(
        "initial",
        OCCURRED,
        OCCURRED + timedelta(hours=1),
        "filed" if initial_filed else "overdue",
        initial_filed,
    )
    continuing = _window(
        "continuing", china(date(2026, 7, 3), 0), china(date(2026, 7, 3), 8), "overdue", None
    )
    return {
        "event_uuid": EVENT,
        "event_name": "洪涝",
        "disaster_type": "flood",
        "occurred_at": OCCURRED.isoformat(),
        "closed_at": None,
        "level": "township",
        "unit_code": code,
        "unit_name": code,
        "status": "overdue",
        "windows": [initial, continuing],
        "on_duty": NOBODY,
    }


def duty(villages: list[tuple[str, datetime]] = ()) -> Duty:  # type: ignore[assignment]
    payload = {
        "server_time": NOW.isoformat(),
        "deadlines": DEADLINES,
        "events": [
            {
                "event_uuid": EVENT,
                "event_name": "洪涝",
                "township_code": WAFANG_TOWNSHIP,
                "disaster_type": "flood",
                "occurred_at": OCCURRED.isoformat(),
                "opened_at": OCCURRED.isoformat(),
                "closed_at": None,
                "deadlines": DEADLINES,
                "villages": [
                    {
                        "village_code": code,
                        "village_name": code,
                        "opened_at": opened.isoformat(),
                        "status": "overdue",
                        "windows": [],
                        "on_duty": NOBODY,
                    }
                    for code, opened in villages
                ],
            }
        ],
        "alerts": [],
        "units": [_unit(LUJIANG, INITIAL_FILED), _unit(WAFANG_TOWNSHIP, None)],
    }
    return msgspec.convert(payload, Duty, strict=False)


def county_report() -> UnitReport:
    """隆阳区's continuing report: 潞江镇's continuing report passed."""
    row = {
        "unit_code": LUJIANG,
        "unit_name": "潞江镇",
        "submission_uuid": "sub-lujiang",
        "event_name": "洪涝",
        "stage": "continuing",
        "figures": {"affected_pop": 45},
        "data_cutoff_at": LUJIANG_CUTOFF.isoformat(),
        "submitted_by": "lujiang",
        "submitted_by_name": "潞江",
        "post_role": "A",
        "server_received_at": LUJIANG_RECEIVED.isoformat(),
        "status": "passed",
        "decision": None,
    }
    payload = {
        "level": "county",
        "unit_code": LONGYANG,
        "unit_name": "隆阳区",
        "event_uuid": EVENT,
        "event_name": "洪涝",
        "stage": "continuing",
        "rows": [row],
        "row_sum": {"affected_pop": 45},
        "adjustments": [],
        "total": {"affected_pop": 45},
        "check": {"ok": True, "issues": []},
        "waiting": [],
        "verified_missing": [],
        "submission": None,
        "server_time": NOW.isoformat(),
    }
    return msgspec.convert(payload, UnitReport, strict=False)


def test_the_day_ends_at_midnight_china_time() -> None:
    assert day_end(DAY1) == datetime(2026, 7, 1, 16, 0, tzinfo=UTC)


def test_a_township_that_filed_on_day_2_is_overdue_on_day_1_and_filed_on_day_2() -> None:
    table = default_divisions()
    answer, report = duty(), county_report()
    now = {line.code: line.standing for line in board_of_unit(report, answer, table).lines}
    day1 = board_of_unit(report, answer, table, day=DAY1)
    day2 = board_of_unit(report, answer, table, day=DAY2)
    assert day1.day == DAY1 and day2.day == DAY2
    on1 = {line.code: line.standing for line in day1.lines}
    on2 = {line.code: line.standing for line in day2.lines}
    # now: the server's word (day 3's continuing report is overdue for both)
    assert now[LUJIANG] is Standing.OVERDUE
    # day 1: the continuing report due at 08:00 had not come by 24:00 (it came on day 2)
    assert on1[LUJIANG] is Standing.OVERDUE
    # day 2: the report with data to 24:00 of day 1 came at 07:00, before 08:00
    assert on2[LUJIANG] is Standing.FILED
    # 瓦房乡 never filed its initial report: overdue on both days
    assert on1[WAFANG_TOWNSHIP] is Standing.OVERDUE and on2[WAFANG_TOWNSHIP] is Standing.OVERDUE
    # a township the event does not concern has no deadline on any day
    assert on1[BANQIAO_TOWNSHIP] is Standing.NONE and on2[BANQIAO_TOWNSHIP] is Standing.NONE
    # the figures stay those of the report that counts now
    lujiang = next(line for line in day1.lines if line.code == LUJIANG)
    assert lujiang.counted and lujiang.figures == {"affected_pop": 45}


def test_a_report_received_late_counts_from_its_day_on() -> None:
    """潞江镇's report received at 09:00 on day 2 stands filed late on day 2, not on day 1."""
    late = county_report()
    row = msgspec.structs.replace(late.rows[0], server_received_at=china(DAY2, 9))
    late = msgspec.structs.replace(late, rows=[row])
    answer = duty()
    assert standings_on_day(answer, EVENT, "township", DAY1, late.rows)[LUJIANG] is Standing.OVERDUE
    assert standings_on_day(answer, EVENT, "township", DAY2, late.rows)[LUJIANG] is (
        Standing.FILED_LATE
    )


def test_before_the_event_nothing_is_due() -> None:
    before = standings_on_day(duty(), EVENT, "township", date(2026, 6, 29), county_report().rows)
    assert before == {LUJIANG: Standing.NONE, WAFANG_TOWNSHIP: Standing.NONE}
    # on the day it occurred the initial reports were due at 11:00: 潞江镇 filed at 10:30
    first = standings_on_day(duty(), EVENT, "township", date(2026, 6, 30))
    assert first == {LUJIANG: Standing.FILED, WAFANG_TOWNSHIP: Standing.OVERDUE}


def completeness(reported: set[str]) -> Completeness:
    payload = {
        "township_code": WAFANG_TOWNSHIP,
        "township_name": "瓦房彝族苗族乡",
        "event_uuid": EVENT,
        "day": DAY2.isoformat(),
        "window_start": china(DAY2, 0).isoformat(),
        "window_end": day_end(DAY2).isoformat(),
        "villages": [
            {
                "village_code": code,
                "village_name": code,
                "reported": code in reported,
                "report_count": int(code in reported),
                "last_received_at": china(DAY2, 7).isoformat() if code in reported else None,
                "on_duty": None,
            }
            for code in (WAFANG, SHUIGOU)
        ],
        "reported_count": len(reported),
        "missing_count": 2 - len(reported),
        "server_time": NOW.isoformat(),
    }
    return msgspec.convert(payload, Completeness, strict=False)


def township_report() -> TownshipReport:
    payload: dict[str, Any] = {
        "township_code": WAFANG_TOWNSHIP,
        "township_name": "瓦房彝族苗族乡",
        "event_uuid": EVENT,
        "event_name": "洪涝",
        "stage": "continuing",
        "villages": [],
        "village_sum": {},
        "adjustments": [],
        "total": {},
        "check": {"ok": True, "issues": []},
        "submission": None,
        "server_time": NOW.isoformat(),
    }
    return msgspec.convert(payload, TownshipReport, strict=False)


def test_a_township_board_judges_its_villages_by_the_days_completeness() -> None:
    opened = duty([(WAFANG, OCCURRED), (SHUIGOU, china(DAY2, 23, 30))])
    answer = completeness({WAFANG})
    assert village_standings_on_day(answer, opened, EVENT, DAY2) == {
        WAFANG: Standing.FILED,
        SHUIGOU: Standing.NOT_DUE,  # opened at 23:30: its initial report is due after 24:00
    }
    day1 = village_standings_on_day(completeness(set()), opened, EVENT, DAY1)
    assert day1 == {WAFANG: Standing.OVERDUE, SHUIGOU: Standing.NONE}  # not opened yet
    board = board_of_township(
        township_report(), opened, default_divisions(), completeness=answer, day=DAY2
    )
    assert board.day == DAY2
    standing = {line.code: line.standing for line in board.lines}
    assert standing[WAFANG] is Standing.FILED and standing[SHUIGOU] is Standing.NOT_DUE

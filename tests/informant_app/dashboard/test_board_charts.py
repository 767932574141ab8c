"""The dashboard's board, tables and charts, built from real wire answers (pytest-qt).

A county report of 隆阳区 with 瓦房彝族苗族乡 passed (and 潞江镇 waiting for the county), and
the deadlines of ``GET /duty``, become one line per township of the county with its standing
and figures; the bar chart and the running-total chart draw them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import msgspec
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from informant_app.core.dashboard.board import (
    Standing,
    bar_values,
    board_of_township,
    board_of_unit,
    cumulative_steps,
    standing_counts,
)
from informant_app.ui.dashboard.charts import BarChart, StepChart, number_text
from informant_app.ui.dashboard.models import UnitLinesModel, WaitingModel
from sync.contract import default_divisions
from sync.contract.wire.duty import Duty
from sync.contract.wire.township import TownshipReport
from sync.contract.wire.unit_reports import UnitReport
from tests.support.places import (
    LONGYANG,
    LUJIANG,
    SHUIGOU,
    WAFANG,
    WAFANG_TOWNSHIP,
)

EVENT = "ev-dashboard-1"
T1 = datetime(2026, 7, 1, 0, 0, tzinfo=UTC)
T2 = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)


def _row(
    code: str, name: str, status: str, figures: dict[str, Any], cut: datetime
) -> dict[str, Any]:
    return {
        "unit_code": code,
        "unit_name": name,
        "submission_uuid": f"sub-{code}",
        "event_name": "2026年7月1日隆阳区洪涝",
        "stage": "initial",
        "figures": figures,
        "data_cutoff_at": cut.isoformat(),
        "submitted_by": "someone",
        "submitted_by_name": "某人",
        "post_role": "A",
        "server_received_at": cut.isoformat(),
        "status": status,
        "decision": None,
    }


def county_report() -> UnitReport:
    passed = _row(WAFANG_TOWNSHIP, "瓦房乡", "passed", {"affected_pop": 150, "deaths": 1}, T1)
    waiting = _row(LUJIANG, "潞江镇", "submitted", {"affected_pop": 45}, T2)
    payload = {
        "level": "county",
        "unit_code": LONGYANG,
        "unit_name": "隆阳区",
        "event_uuid": EVENT,
        "event_name": "2026年7月1日隆阳区洪涝",
        "stage": "initial",
        "rows": [passed],
        "row_sum": {"affected_pop": 150, "deaths": 1},
        "adjustments": [],
        "total": {"affected_pop": 150, "deaths": 1},
        "check": {"ok": True, "issues": []},
        "waiting": [waiting],
        "verified_missing": [],
        "submission": None,
        "server_time": T2.isoformat(),
    }
    return msgspec.convert(payload, UnitReport, strict=False)


def _window(status: str) -> dict[str, Any]:
    return {
        "stage": "initial",
        "starts_at": T1.isoformat(),
        "escalate_at": T1.isoformat(),
        "due_at": T2.isoformat(),
        "status": status,
        "filed_at": None,
    }


DEADLINES = {"initial_minutes": 60, "continuing_due": "08:00", "escalate_fraction": 0.5}
NOBODY = {
    "username": None,
    "display_name": None,
    "post_role": None,
    "acting_for": None,
    "absence_uuid": None,
}


def duty(units: list[tuple[str, str, str]], villages: list[tuple[str, str]] = ()) -> Duty:  # type: ignore[assignment]
    payload = {
        "server_time": T2.isoformat(),
        "deadlines": DEADLINES,
        "events": [
            {
                "event_uuid": EVENT,
                "event_name": "洪涝",
                "township_code": WAFANG_TOWNSHIP,
                "disaster_type": "flood",
                "occurred_at": T1.isoformat(),
                "opened_at": T1.isoformat(),
                "closed_at": None,
                "deadlines": DEADLINES,
                "villages": [
                    {
                        "village_code": code,
                        "village_name": code,
                        "opened_at": T1.isoformat(),
                        "status": status,
                        "windows": [_window(status)],
                        "on_duty": NOBODY,
                    }
                    for code, status in villages
                ],
            }
        ],
        "alerts": [],
        "units": [
            {
                "event_uuid": EVENT,
                "event_name": "洪涝",
                "disaster_type": "flood",
                "occurred_at": T1.isoformat(),
                "closed_at": None,
                "level": level,
                "unit_code": code,
                "unit_name": code,
                "status": status,
                "windows": [_window(status)],
                "on_duty": NOBODY,
            }
            for level, code, status in units
        ],
    }
    return msgspec.convert(payload, Duty, strict=False)


def test_a_county_board_has_a_line_per_township_with_standing_and_figures() -> None:
    table = default_divisions()
    answer = duty([("township", WAFANG_TOWNSHIP, "filed"), ("township", LUJIANG, "overdue")])
    board = board_of_unit(county_report(), answer, table)
    townships = [d.code for d in table.children(LONGYANG) if not d.retired]
    # the townships the event concerns first, then the others, each in code order
    involved = sorted([WAFANG_TOWNSHIP, LUJIANG])
    assert [line.code for line in board.lines] == involved + [
        code for code in sorted(townships) if code not in involved
    ]
    by_code = {line.code: line for line in board.lines}
    wafang, lujiang = by_code[WAFANG_TOWNSHIP], by_code[LUJIANG]
    assert wafang.counted and wafang.figures == {"affected_pop": 150, "deaths": 1}
    assert wafang.standing is Standing.FILED and wafang.waiting is None
    assert not lujiang.counted and lujiang.standing is Standing.OVERDUE
    assert lujiang.waiting is not None and lujiang.waiting.figures == {"affected_pop": 45}
    counts = standing_counts(board.lines)
    assert counts[Standing.FILED] == 1 and counts[Standing.OVERDUE] == 1
    assert counts[Standing.NONE] == len(townships) - 2
    assert board.total == {"affected_pop": Decimal(150), "deaths": Decimal(1)}
    bars = dict(bar_values(board, "affected_pop"))
    assert bars[wafang.name] == 150 and bars[lujiang.name] == 0
    # the waiting report is not counted: the running total ends at the board's sum
    assert cumulative_steps(board, "affected_pop") == [(T1, Decimal(150), wafang.name)]


def test_a_township_board_has_its_villages() -> None:
    village = {
        "village_code": WAFANG,
        "village_name": "瓦房社区",
        "report_uuid": "r1",
        "version_uuid": "v1",
        "version_no": 1,
        "submitted_by": "wafang_a",
        "post_role": "A",
        "data_cutoff_at": T2.isoformat(),
        "server_received_at": T2.isoformat(),
        "figures": {"affected_pop": 30},
    }
    second = dict(village, village_code=SHUIGOU, village_name="水沟洼村", report_uuid="r2")
    second.update(data_cutoff_at=T1.isoformat(), figures={"affected_pop": 12})
    payload = {
        "township_code": WAFANG_TOWNSHIP,
        "township_name": "瓦房彝族苗族乡",
        "event_uuid": EVENT,
        "event_name": "洪涝",
        "stage": "initial",
        "villages": [village, second],
        "village_sum": {"affected_pop": 42},
        "adjustments": [],
        "total": {"affected_pop": 42},
        "check": {"ok": True, "issues": []},
        "submission": None,
        "server_time": T2.isoformat(),
    }
    report = msgspec.convert(payload, TownshipReport, strict=False)
    board = board_of_township(report, duty([], [(SHUIGOU, "escalated")]), default_divisions())
    assert board.level == "township" and not board.waiting
    by_code = {line.code: line for line in board.lines}
    assert by_code[SHUIGOU].standing is Standing.ESCALATED
    assert by_code[WAFANG].standing is Standing.NONE
    # ordered by cut-off: 水沟洼村 (12) first, then 瓦房社区 (30)
    assert [(v, n) for _t, v, n in cumulative_steps(board, "affected_pop")] == [
        (Decimal(12), by_code[SHUIGOU].name),
        (Decimal(42), by_code[WAFANG].name),
    ]


def test_the_tables_and_charts_show_the_board(qtbot: QtBot) -> None:
    answer = duty([("township", WAFANG_TOWNSHIP, "filed"), ("township", LUJIANG, "escalated")])
    board = board_of_unit(county_report(), answer, default_divisions())
    model = UnitLinesModel("en")
    model.set_board(board, "relocated")
    wafang_row = next(i for i, line in enumerate(board.lines) if line.code == WAFANG_TOWNSHIP)
    lujiang_row = next(i for i, line in enumerate(board.lines) if line.code == LUJIANG)
    assert model.rowCount() == len(board.lines) + 1
    assert model.cell_text(wafang_row, 1) == "Filed"
    assert model.cell_text(wafang_row, 2) == "Passed"
    assert model.cell_text(lujiang_row, 1) == "Escalated"
    assert model.cell_text(lujiang_row, 2) == "Waiting for your decision"
    # the chosen figure comes first among the figures, then people affected
    assert model.cell_text(wafang_row, 4) == "0"  # relocated: none in the passed report
    assert model.cell_text(wafang_row, 5) == "150" and model.cell_text(wafang_row, 6) == "1"
    assert model.cell_text(lujiang_row, 5) == ""  # nothing counts for 潞江镇 yet
    assert model.cell_text(len(board.lines), 0) == "Total: 隆阳区"
    assert model.cell_text(len(board.lines), 5) == "150"
    waiting = WaitingModel("en")
    waiting.set_rows(board.waiting)
    assert waiting.cell_text(board.waiting[0], 0) == "潞江镇"
    assert waiting.cell_text(board.waiting[0], 2) == "某人 (A)"

    host = QWidget()
    qtbot.addWidget(host)
    bars, steps = BarChart(host), StepChart(host)
    bars.set_values("People affected", bar_values(board, "affected_pop"))
    steps.set_steps("Running total", cumulative_steps(board, "affected_pop"))
    for chart in (bars, steps):
        chart.resize(500, max(200, chart.sizeHint().height()))
        image = chart.grab().toImage()
        # something was painted in the bar colour
        colours = {
            image.pixelColor(x, y).name()
            for x in range(0, image.width(), 3)
            for y in range(0, image.height(), 3)
        }
        assert "#1565c0" in colours, chart
    assert bars.values()[0][1] == 150 and bars.values()[-1][1] == 0  # largest first
    assert number_text(Decimal("1234.50")) == "1,234.5"

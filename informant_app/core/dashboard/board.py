"""The dashboard's figures, put together from the server's answers (pure, Qt-free).

A *board* is one event seen from one unit: a county (its townships), the city (its counties)
or a township (its villages).  Each unit below gets a line, whether it reported or not: its
deadline standing now (filed, escalated, overdue, not due; from ``GET /duty``), the report that
counts (a passed township or county report, an approved village report) with its figures and
data cut-off, and whether a newer report waits for the unit's decision.  The charts read the
board: a bar per unit for one figure, and the running total of that figure over the counted
reports in the order of their data cut-offs.

A board can also be asked for a past *day* (China time): each unit's standing is then judged
at the end of that day (24:00), from what the app has: the windows and first filing times of
``GET /duty``, and the unit reports below (the report that counts and the ones waiting), each
counting as filed when its data cut-off and its receipt are before the day's end
(``standings_on_day``, with the pure ``sync.contract.deadlines`` functions).  A township's
villages are judged by ``GET /townships/{code}/completeness?event_uuid=&day=``
(``village_standings_on_day``).  The figures stay those of the reports that count now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from sync.contract import DivisionTable
from sync.contract.deadlines import LevelDeadlineSettings, unit_deadlines
from sync.contract.duty import CHINA_TZ, worst
from sync.contract.wire.duty import Duty
from sync.contract.wire.township import Completeness, TownshipReport
from sync.contract.wire.unit_reports import UnitReport, UnitRow

__all__ = [
    "BOARD_ROLES",
    "STANDING_ORDER",
    "Board",
    "Standing",
    "UnitLine",
    "bar_values",
    "board_of_township",
    "board_of_unit",
    "cumulative_steps",
    "day_end",
    "decimal_figures",
    "standing_counts",
    "standings_on_day",
    "village_standings_on_day",
]

#: The roles that see the dashboard, and the level of the unit they look at.
BOARD_ROLES: dict[str, str] = {
    "city_admin": "city",
    "county_admin": "county",
    "township_reviewer": "township",
}


class Standing(StrEnum):
    """A unit's deadline standing for the event now (the worst of its started windows)."""

    FILED = "filed"
    FILED_LATE = "filed_late"
    NOT_DUE = "not_due"
    ESCALATED = "escalated"
    OVERDUE = "overdue"
    NONE = "none"  # no deadline known for this unit and event


#: The order the completeness counts are shown in.
STANDING_ORDER = (
    Standing.FILED,
    Standing.FILED_LATE,
    Standing.ESCALATED,
    Standing.OVERDUE,
    Standing.NOT_DUE,
    Standing.NONE,
)
_FROM_WIRE = {
    "filed": Standing.FILED,
    "filed_late": Standing.FILED_LATE,
    "waiting": Standing.NOT_DUE,
    "escalated": Standing.ESCALATED,
    "overdue": Standing.OVERDUE,
}


@dataclass(frozen=True)
class UnitLine:
    """One unit below the board's unit.

    Attributes:
        code: the unit's division code.
        name: its short name.
        standing: its deadline standing now.
        counted: whether a report of it counts (passed, or approved for a village).
        figures: the counted report's figures (empty when none counts).
        cutoff: the counted report's data cut-off.
        received_at: when the server received the counted report.
        waiting: a newer report waiting for the board unit's decision, if any.
    """

    code: str
    name: str
    standing: Standing = Standing.NONE
    counted: bool = False
    figures: Mapping[str, Decimal] = field(default_factory=dict)
    cutoff: datetime | None = None
    received_at: datetime | None = None
    waiting: UnitRow | None = None


def involved_first(lines: Sequence[UnitLine]) -> list[UnitLine]:
    """Return ``lines`` with the units an event concerns first (a report or a deadline).

    A county has 21 townships and a flood concerns a few: the ones to look at come first.
    The sort is stable, so each group keeps its code order.
    """
    return sorted(
        lines,
        key=lambda line: not (line.counted or line.waiting or line.standing is not Standing.NONE),
    )


@dataclass(frozen=True)
class Board:
    """One event seen from one unit.

    Attributes:
        level: the board unit's level (``city``, ``county`` or ``township``).
        unit_code: the board unit's code.
        unit_name: its name.
        event_uuid: the event.
        event_name: its name.
        stage: the stage asked for (adjustments are per stage).
        lines: one per unit below: those with a counted or waiting report or a deadline first,
            then the others, each group in code order (``involved_first``).
        row_sum: the sum of the counted reports.
        total: ``row_sum`` plus the unit's reasoned adjustments.
        adjustments: how many adjustments the unit made.
        check_ok: whether the total adds up (rule 12).
        waiting: the reports waiting for the unit's decision (county and city only).
        submitted: the status of the unit's own latest report upward (``None``: none).
        server_time: the server's time of the answer.
        report: the county or city report the board was made from (``None`` for a township);
            what the unit adjusts, submits upward and exports.
        day: the day (China time) the standings are judged at the end of; ``None``: now.
    """

    level: str
    unit_code: str
    unit_name: str
    event_uuid: str
    event_name: str
    stage: str
    lines: list[UnitLine]
    row_sum: Mapping[str, Decimal]
    total: Mapping[str, Decimal]
    adjustments: int
    check_ok: bool
    waiting: list[UnitRow]
    submitted: str | None
    server_time: datetime
    report: UnitReport | None = None
    day: date | None = None


def decimal_figures(figures: Mapping[str, object]) -> dict[str, Decimal]:
    """Return ``figures`` as decimals (values that are not numbers are left out)."""
    out: dict[str, Decimal] = {}
    for name, value in figures.items():
        try:
            out[name] = Decimal(str(value))
        except (InvalidOperation, ValueError):
            continue
    return out


def _children(table: DivisionTable, code: str, keep: Iterable[str]) -> list[tuple[str, str]]:
    """The units below ``code`` (retired ones only when they have something to show)."""
    wanted = set(keep)
    return [
        (d.code, d.short_name) for d in table.children(code) if not d.retired or d.code in wanted
    ]


def _standings(duty: Duty | None, event_uuid: str, level: str) -> dict[str, Standing]:
    """The standing of each unit of ``level`` on ``event_uuid`` (from ``GET /duty``)."""
    if duty is None:
        return {}
    if level == "village":
        return {
            v.village_code: _FROM_WIRE.get(v.status, Standing.NONE)
            for e in duty.events
            if e.event_uuid == event_uuid
            for v in e.villages
        }
    return {
        u.unit_code: _FROM_WIRE.get(u.status, Standing.NONE)
        for u in duty.units
        if u.event_uuid == event_uuid and u.level == level
    }


def day_end(day: date) -> datetime:
    """Return the end of ``day`` (24:00 China time), in UTC."""
    return datetime.combine(day + timedelta(days=1), time(0), CHINA_TZ).astimezone(UTC)


#: A standing "at the end of a day" is judged this instant before 24:00, so the continuing
#: report due that morning is the one judged (at 24:00 the next day's window starts).
_JUST_BEFORE = timedelta(microseconds=1)


def standings_on_day(
    duty: Duty | None,
    event_uuid: str,
    level: str,
    day: date,
    rows: Iterable[UnitRow] = (),
) -> dict[str, Standing]:
    """Return each unit's standing on ``event_uuid`` as it stood at the end of ``day``.

    The units and their event's occurrence come from ``GET /duty`` (a unit the server lists
    no deadline for stands at ``NONE``).  A unit counts as having filed a stage at the first
    time the app knows: a window's ``filed_at`` in ``GET /duty``, or a report of it below
    (``rows``: the counted and the waiting ones) received before the day's end with its data
    cut-off before the day's end.  The windows started by then are judged with
    ``sync.contract.deadlines.unit_deadlines`` at that moment; the worst one is the standing.

    Args:
        duty: the answer of ``GET /duty`` (``None``: nothing known).
        event_uuid: the event.
        level: the level of the units (``township`` or ``county``).
        day: the day (China time).
        rows: the unit reports of the units below known to the app.
    """
    if duty is None:
        return {}
    end = day_end(day)
    at = end - _JUST_BEFORE
    settings = LevelDeadlineSettings.from_wire(duty.level_deadlines)
    filings: dict[str, list[tuple[str, datetime]]] = {}
    for row in rows:
        cutoff = row.data_cutoff_at or row.server_received_at
        if row.server_received_at < end and cutoff <= end:
            filings.setdefault(row.unit_code, []).append((row.stage, row.server_received_at))
    out: dict[str, Standing] = {}
    for unit in duty.units:
        if unit.event_uuid != event_uuid or unit.level != level:
            continue
        if unit.occurred_at >= end:
            out[unit.unit_code] = Standing.NONE  # the event had not happened yet
            continue
        known = [
            (w.stage, w.filed_at)
            for w in unit.windows
            if w.filed_at is not None and w.filed_at < end
        ]
        states = unit_deadlines(
            unit.level,
            unit.occurred_at,
            unit.closed_at,
            unit.disaster_type,
            known + filings.get(unit.unit_code, []),
            at,
            settings,
        )
        most = worst(states)
        out[unit.unit_code] = (
            _FROM_WIRE.get(most.status.value, Standing.NONE) if most else Standing.NOT_DUE
        )
    return out


def village_standings_on_day(
    completeness: Completeness, duty: Duty | None, event_uuid: str, day: date
) -> dict[str, Standing]:
    """Return each village's standing on ``event_uuid`` on ``day``.

    ``completeness`` is ``GET /townships/{code}/completeness?event_uuid=&day=``: a village that
    reported on the event that day stands filed.  One that did not is overdue when the event
    was opened for it (``GET /duty``) and its initial report was due before the day's end,
    not due when it was opened later that day, and has no deadline otherwise.
    """
    end = day_end(day)
    opened: dict[str, datetime] = {}
    minutes = 60
    if duty is not None:
        for event in duty.events:
            if event.event_uuid == event_uuid:
                minutes = event.deadlines.initial_minutes
                opened.update({v.village_code: v.opened_at for v in event.villages})
    out: dict[str, Standing] = {}
    for village in completeness.villages:
        code = village.village_code
        if village.reported:
            out[code] = Standing.FILED
        elif code not in opened or opened[code] >= end:
            out[code] = Standing.NONE
        elif opened[code] + timedelta(minutes=minutes) < end:
            out[code] = Standing.OVERDUE
        else:
            out[code] = Standing.NOT_DUE
    return out


def board_of_unit(
    report: UnitReport,
    duty: Duty | None,
    table: DivisionTable,
    event_name: str = "",
    day: date | None = None,
    other_rows: Sequence[UnitRow] = (),
) -> Board:
    """Return the board of a county or the city from its unit report and ``GET /duty``.

    With ``day``, each unit's standing is the one at the end of that day
    (``standings_on_day``, from the report's rows and ``other_rows``: the rows of the other
    stages' reports); without, the server's standing now.
    """
    below = "township" if report.level == "county" else "county"
    rows = {r.unit_code: r for r in report.rows}
    waiting = {r.unit_code: r for r in report.waiting}  # newest of each stage: keep the last
    names = {r.unit_code: r.unit_name for r in (*report.rows, *report.waiting)}
    standings = (
        _standings(duty, report.event_uuid, below)
        if day is None
        else standings_on_day(
            duty, report.event_uuid, below, day, (*report.rows, *report.waiting, *other_rows)
        )
    )
    lines: list[UnitLine] = []
    children = _children(table, report.unit_code, names)
    known = {code for code, _ in children}
    children += [(code, names[code]) for code in sorted(set(names) - known)]
    for code, name in sorted(children):
        row = rows.get(code)
        lines.append(
            UnitLine(
                code=code,
                name=name,
                standing=standings.get(code, Standing.NONE),
                counted=row is not None,
                figures=decimal_figures(row.figures) if row is not None else {},
                cutoff=row.data_cutoff_at if row is not None else None,
                received_at=row.server_received_at if row is not None else None,
                waiting=waiting.get(code),
            )
        )
    submission = report.submission
    return Board(
        level=report.level,
        unit_code=report.unit_code,
        unit_name=report.unit_name,
        event_uuid=report.event_uuid,
        event_name=report.event_name or event_name,
        stage=report.stage,
        lines=involved_first(lines),
        row_sum=decimal_figures(report.row_sum),
        total=decimal_figures(report.total),
        adjustments=len(report.adjustments),
        check_ok=report.check.ok,
        waiting=list(report.waiting),
        submitted=submission.status if submission is not None else None,
        server_time=report.server_time,
        report=report,
        day=day,
    )


def board_of_township(
    report: TownshipReport,
    duty: Duty | None,
    table: DivisionTable,
    event_name: str = "",
    completeness: Completeness | None = None,
    day: date | None = None,
) -> Board:
    """Return the board of a township from its township report and ``GET /duty``.

    With ``day`` and that day's ``completeness``, each village's standing is the one on that
    day (``village_standings_on_day``); without, the server's standing now.
    """
    rows = {v.village_code: v for v in report.villages}
    if day is not None and completeness is not None:
        standings = village_standings_on_day(completeness, duty, report.event_uuid, day)
    else:
        standings, day = _standings(duty, report.event_uuid, "village"), None
    children = _children(table, report.township_code, rows)
    known = {code for code, _ in children}
    children += [(code, rows[code].village_name) for code in sorted(set(rows) - known)]
    lines = [
        UnitLine(
            code=code,
            name=name,
            standing=standings.get(code, Standing.NONE),
            counted=code in rows,
            figures=decimal_figures(rows[code].figures) if code in rows else {},
            cutoff=rows[code].data_cutoff_at if code in rows else None,
            received_at=rows[code].server_received_at if code in rows else None,
        )
        for code, name in sorted(children)
    ]
    return Board(
        level="township",
        unit_code=report.township_code,
        unit_name=report.township_name,
        event_uuid=report.event_uuid,
        event_name=report.event_name or event_name,
        stage=report.stage,
        lines=involved_first(lines),
        row_sum=decimal_figures(report.village_sum),
        total=decimal_figures(report.total),
        adjustments=len(report.adjustments),
        check_ok=report.check.ok,
        waiting=[],
        submitted="submitted" if report.submission is not None else None,
        server_time=report.server_time,
        day=day,
    )


def standing_counts(lines: Sequence[UnitLine]) -> dict[Standing, int]:
    """Return how many units stand at each standing (every standing, zeros included)."""
    counts = dict.fromkeys(STANDING_ORDER, 0)
    for line in lines:
        counts[line.standing] += 1
    return counts


def bar_values(board: Board, field_name: str) -> list[tuple[str, Decimal]]:
    """Return ``(unit name, figure)`` per unit below, largest first, zero where nothing counts."""
    values = [(line.name, line.figures.get(field_name, Decimal(0))) for line in board.lines]
    return sorted(values, key=lambda pair: -pair[1])  # stable: code order among equals


def cumulative_steps(board: Board, field_name: str) -> list[tuple[datetime, Decimal, str]]:
    """Return the running total of a figure over the counted reports, by data cut-off.

    Each step is ``(cut-off, total so far, unit name)``: the counted reports sorted by their
    data cut-off (then receipt), each adding its figure.  It shows how the board's total was
    reached as the units' reports came in; it is not a history of corrections (a unit whose
    report was replaced counts once, with the report that counts now).  The last step equals
    the sum of the rows.
    """
    counted = sorted(
        (line for line in board.lines if line.counted and line.cutoff is not None),
        key=lambda line: (line.cutoff, line.received_at or line.cutoff, line.code),
    )
    running = Decimal(0)
    steps: list[tuple[datetime, Decimal, str]] = []
    for line in counted:
        assert line.cutoff is not None
        running += line.figures.get(field_name, Decimal(0))
        steps.append((line.cutoff, running, line.name))
    return steps

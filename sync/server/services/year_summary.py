"""The year's summary of a city, county or township (docs/domain.md §9): one SQL statement.

For each disaster event (the canonical event of the registry, so merged events count once:
``services.events.canonical_event_sql``) every village counts with its **latest approved
version of any stage** (the figures are cumulative): per report its newest approved version,
then per event and village the one with the latest data cut-off (then receipt, then id), the
same choice as ``services.aggregation.latest_approved`` for one event, here for every event of
the year at once.  The village figures are added up over villages and then over events, so
people affected are 人次.  An event belongs to the year (China time) of the earliest
``occurred_at`` among its chosen village versions inside the unit.

What a row says (``SummaryRow``): the events that touched the unit (an event counts where one
of its villages reports any figure above zero), the townships affected (likewise), and the
sum of every indicator, with the headline figures of the bureau's yearly summary: people
affected, deaths, missing, crops affected / damaged / failed (ha), houses collapsed and
damaged (severe + minor) in 户 and 间, and direct loss (万元).  A city's answer has a row per
county, a county's a row per township, a township's a row per village.

Pending and returned versions never count; a correction counts once it is approved.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import String, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from sync.contract import DivisionLevel, is_valid_code
from sync.contract.china_time import CHINA_TZ
from sync.contract.report import Figures, format_time, parse_figures
from sync.contract.rules import sum_figures
from sync.server.errors import NOT_FOUND, ApiError
from sync.server.jurisdiction import Caller, within_sql
from sync.server.models import DivisionRow, ReportVersion, ReviewStatus
from sync.server.services.aggregation import cutoff_text, figures_json
from sync.server.services.events import canonical_event_sql

log = logging.getLogger(__name__)

CHINA = CHINA_TZ  # the one definition: sync/contract/china_time.py
#: The levels a summary is made for, and the level of its rows.
ROW_LEVEL = {
    DivisionLevel.CITY.value: DivisionLevel.COUNTY.value,
    DivisionLevel.COUNTY.value: DivisionLevel.TOWNSHIP.value,
    DivisionLevel.TOWNSHIP.value: DivisionLevel.VILLAGE.value,
}
#: The indicators whose sum the answer names one by one (the rest are in ``figures``).
COUNTS = ("affected_pop", "deaths", "missing")
HECTARES = ("crop_affected_ha", "crop_damaged_ha", "crop_failed_ha")
DAMAGED = ("severe", "minor")
ZERO = Decimal(0)


class occurred_text(FunctionElement[str]):  # noqa: N801 - an SQL function, named like one
    """SQL: the ``occurred_at`` of a version's canonical content JSON, as UTC text."""

    type = String()
    name = "occurred_text"
    inherit_cache = True


@compiles(occurred_text)
def _occurred_sqlite(element: occurred_text, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"json_extract({column}, '$.occurred_at')"


@compiles(occurred_text, "postgresql")
def _occurred_postgresql(element: occurred_text, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"(CAST({column} AS JSON) ->> 'occurred_at')"


@dataclass(frozen=True)
class ChosenRow:
    """One village's latest approved figures of one event."""

    event_uuid: str
    village_code: str
    event_name: str
    disaster_type: str
    occurred_at: str
    figures: Figures

    @property
    def affected(self) -> bool:
        """Whether the village reports any figure above zero."""
        return any(v > 0 for v in self.figures.values())


@dataclass
class _Tally:
    events: set[str] = field(default_factory=set)
    townships: set[str] = field(default_factory=set)
    figures: list[Figures] = field(default_factory=list)

    def add(self, row: ChosenRow) -> None:
        self.figures.append(row.figures)
        if row.affected:
            self.events.add(row.event_uuid)
            self.townships.add(township_of(row.village_code))


def township_of(village_code: str) -> str:
    """Return the township code of a village code."""
    return village_code[:9] + "000"


def year_bounds(year: int) -> tuple[str, str]:
    """Return the first instant of ``year`` and of the next one (China time) as UTC text."""
    start = datetime(year, 1, 1, tzinfo=CHINA)
    end = datetime(year + 1, 1, 1, tzinfo=CHINA)
    return format_time(start), format_time(end)


def chosen_rows(session: Session, code: str, year: int) -> list[ChosenRow]:
    """Return every village's latest approved version of each event of ``year`` inside ``code``.

    One statement: three window functions choose the versions, and the year filter applies to
    each event's earliest ``occurred_at``.
    """
    cut = cutoff_text(ReportVersion.content_json)
    event = canonical_event_sql(ReportVersion.event_uuid)
    per_report = (
        select(
            ReportVersion.version_uuid,
            ReportVersion.village_code,
            ReportVersion.server_received_at,
            event.label("event"),
            cut.label("cutoff"),
            occurred_text(ReportVersion.content_json).label("occurred"),
            func.row_number()
            .over(
                partition_by=ReportVersion.report_uuid,
                order_by=(
                    ReportVersion.version_no.desc(),
                    ReportVersion.server_received_at.desc(),
                    ReportVersion.version_uuid.desc(),
                ),
            )
            .label("rank_in_report"),
        )
        .where(
            within_sql(ReportVersion.village_code, code),
            ReportVersion.review_status == ReviewStatus.APPROVED.value,
        )
        .subquery("per_report")
    )
    per_village = (
        select(
            per_report.c.version_uuid,
            per_report.c.event,
            per_report.c.occurred,
            func.row_number()
            .over(
                partition_by=(per_report.c.event, per_report.c.village_code),
                order_by=(
                    per_report.c.cutoff.desc(),
                    per_report.c.server_received_at.desc(),
                    per_report.c.version_uuid.desc(),
                ),
            )
            .label("rank_in_village"),
        )
        .where(per_report.c.rank_in_report == 1)
        .subquery("per_village")
    )
    chosen = (
        select(
            per_village.c.version_uuid,
            per_village.c.event,
            func.min(per_village.c.occurred)
            .over(partition_by=per_village.c.event)
            .label("event_start"),
        )
        .where(per_village.c.rank_in_village == 1)
        .subquery("chosen")
    )
    low, high = year_bounds(year)
    rows = session.execute(
        select(
            chosen.c.event,
            chosen.c.event_start,
            ReportVersion.village_code,
            ReportVersion.content_json,
        )
        .join(chosen, chosen.c.version_uuid == ReportVersion.version_uuid)
        .where(chosen.c.event_start >= low, chosen.c.event_start < high)
        .order_by(chosen.c.event, ReportVersion.village_code)
    ).all()
    out = []
    for event_uuid, start, village, content_json in rows:
        content = json.loads(content_json)
        out.append(
            ChosenRow(
                event_uuid,
                village,
                str(content.get("event_name") or ""),
                str(content.get("disaster_type") or ""),
                str(start),
                parse_figures(content.get("figures")),
            )
        )
    return out


def _sum(figures: Mapping[str, Decimal], *names: str) -> Decimal:
    return sum((figures.get(n, ZERO) for n in names), ZERO)


def row_dict(code: str, name: str, level: str, tally: _Tally) -> dict[str, Any]:
    """Return one summary row (the unit itself, or a unit below it) as JSON-ready data."""
    total = sum_figures(tally.figures)
    collapsed_hh = _sum(total, "house_collapsed_hh")
    collapsed_rooms = _sum(total, "house_collapsed_rooms")
    damaged_hh = _sum(total, *(f"house_{c}_hh" for c in DAMAGED))
    damaged_rooms = _sum(total, *(f"house_{c}_rooms" for c in DAMAGED))
    return {
        "code": code,
        "name": name,
        "level": level,
        "events": len(tally.events),
        "townships_affected": len(tally.townships),
        **{n: int(_sum(total, n)) for n in COUNTS},
        **{n: float(_sum(total, n)) for n in HECTARES},
        "house_collapsed_hh": int(collapsed_hh),
        "house_collapsed_rooms": int(collapsed_rooms),
        "house_damaged_hh": int(damaged_hh),
        "house_damaged_rooms": int(damaged_rooms),
        "houses_hh": int(collapsed_hh + damaged_hh),
        "houses_rooms": int(collapsed_rooms + damaged_rooms),
        "direct_loss": float(_sum(total, "direct_loss")),
        "figures": figures_json(total),
    }


def summarize(
    rows: Iterable[ChosenRow], code: str, level: str, names: Mapping[str, str]
) -> dict[str, Any]:
    """Add ``rows`` up for the unit ``code`` and per unit one level below it."""
    below = ROW_LEVEL[level]
    whole = _Tally()
    parts: dict[str, _Tally] = defaultdict(_Tally)
    events: dict[str, dict[str, Any]] = {}
    per_event: dict[str, _Tally] = defaultdict(_Tally)
    for row in rows:
        whole.add(row)
        parts[_unit_of(row.village_code, below)].add(row)
        per_event[row.event_uuid].add(row)
        first = events.setdefault(
            row.event_uuid,
            {
                "event_uuid": row.event_uuid,
                "event_name": row.event_name,
                "disaster_type": row.disaster_type,
                "occurred_at": row.occurred_at,
            },
        )
        if not first["event_name"] and row.event_name:
            first["event_name"] = row.event_name
    event_rows = []
    for uuid, info in sorted(events.items(), key=lambda kv: (kv[1]["occurred_at"], kv[0])):
        tally = per_event[uuid]
        if not tally.events:
            continue  # nothing above zero: no disaster in this unit
        total = sum_figures(tally.figures)
        event_rows.append(
            {
                **info,
                "townships_affected": len(tally.townships),
                "villages": len(tally.figures),
                "affected_pop": int(_sum(total, "affected_pop")),
                "deaths": int(_sum(total, "deaths")),
                "missing": int(_sum(total, "missing")),
                "direct_loss": float(_sum(total, "direct_loss")),
            }
        )
    return {
        "total": row_dict(code, names.get(code, ""), level, whole),
        "rows": [row_dict(unit, names.get(unit, ""), below, parts[unit]) for unit in sorted(parts)],
        "event_rows": event_rows,
    }


def _unit_of(village_code: str, level: str) -> str:
    if level == DivisionLevel.COUNTY.value:
        return village_code[:6] + "000000"
    if level == DivisionLevel.TOWNSHIP.value:
        return township_of(village_code)
    return village_code


def summary_unit(session: Session, caller: Caller, code: str) -> DivisionRow:
    """Return the city, county or township ``code`` when the caller may see it; 404 otherwise.

    County and city admins reach their jurisdiction and every unit inside it; a township
    reviewer its own township; a village informant no unit (404).
    """
    if not is_valid_code(code) or not caller.can_see(code):
        raise ApiError(NOT_FOUND)
    row = session.get(DivisionRow, code)
    if row is None or row.level not in ROW_LEVEL:
        raise ApiError(NOT_FOUND)
    return row


def year_summary(session: Session, caller: Caller, code: str, year: int) -> dict[str, Any]:
    """Return the year's summary of ``code`` for the caller (404 outside its reach).

    The answer: ``{code, name, level, year, total, rows, event_rows}`` (see the module).
    """
    unit = summary_unit(session, caller, code)
    rows = chosen_rows(session, code, year)
    wanted = {code} | {_unit_of(r.village_code, ROW_LEVEL[unit.level]) for r in rows}
    names = dict(
        session.execute(
            select(DivisionRow.code, DivisionRow.short_name).where(DivisionRow.code.in_(wanted))
        ).all()
    )
    names[code] = unit.short_name or unit.name
    summary = summarize(rows, code, unit.level, names)
    log.info(
        "year summary %s %s for %s: %d events",
        code,
        year,
        caller.username,
        summary["total"]["events"],
    )
    return {"code": code, "name": names[code], "level": unit.level, "year": year, **summary}

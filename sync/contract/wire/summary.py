"""The year's summary of a city, county or township (``GET /api/v1/summary/{code}``).

docs/domain.md §9: per unit, the number of disaster events, people affected (人次, summed over
events), deaths and missing, crops affected / damaged / failed (ha), houses collapsed and
damaged (户 and 间), direct loss (万元) and the townships affected.  A city's answer has a row
per county, a county's a row per township, a township's a row per village.
"""

from __future__ import annotations

from sync.contract.wire.base import Wire

__all__ = ["SummaryEvent", "SummaryRow", "YearSummary"]

#: Indicator name to value.
Figures = dict[str, int | float | str]


class SummaryRow(Wire, frozen=True, kw_only=True):
    """The year's figures of one unit: headline sums, and every indicator in ``figures``.

    ``house_damaged_*`` are severe plus minor damage; ``houses_*`` add the collapsed ones.
    """

    code: str
    name: str
    level: str
    events: int
    townships_affected: int
    affected_pop: int
    deaths: int
    missing: int
    crop_affected_ha: float
    crop_damaged_ha: float
    crop_failed_ha: float
    house_collapsed_hh: int
    house_collapsed_rooms: int
    house_damaged_hh: int
    house_damaged_rooms: int
    houses_hh: int
    houses_rooms: int
    direct_loss: float
    figures: Figures


class SummaryEvent(Wire, frozen=True, kw_only=True):
    """One event of the year inside the unit, with its main figures there."""

    event_uuid: str
    event_name: str
    disaster_type: str
    occurred_at: str
    townships_affected: int
    villages: int
    affected_pop: int
    deaths: int
    missing: int
    direct_loss: float


class YearSummary(Wire, frozen=True, kw_only=True):
    """The year's summary of ``code``: its total, the units below it, and its events."""

    code: str
    name: str
    level: str
    year: int
    total: SummaryRow
    rows: list[SummaryRow]
    event_rows: list[SummaryEvent]

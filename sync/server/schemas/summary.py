"""The year's summary: pydantic models of ``/api/v1/summary`` (sync/contract/wire/summary.py)."""

from __future__ import annotations

from pydantic import BaseModel


class SummaryRowOut(BaseModel):
    """The year's figures of one unit: headline sums, and every indicator in ``figures``."""

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
    figures: dict[str, int | float | str]


class SummaryEventOut(BaseModel):
    """One event of the year inside the unit (``occurred_at``: its earliest, UTC text)."""

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


class YearSummaryOut(BaseModel):
    """The year's summary of a city, county or township."""

    code: str
    name: str
    level: str
    year: int
    total: SummaryRowOut
    rows: list[SummaryRowOut]
    event_rows: list[SummaryEventOut]

"""Administrative division codes (12 digits: county 6 + township 3 + village 3), docs/domain.md §6.

The table is data with a vintage: it is loaded from ``resources/divisions/`` and never typed
into code, because codes change every year.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from sync.contract.resources import resource_path

DEFAULT_TABLE = "baoshan_divisions.csv"
#: The year of the official codes in the default table.
DEFAULT_VINTAGE = "2022"

_CODE_RE = re.compile(r"[0-9]{12}")


class DivisionLevel(StrEnum):
    """The level of a division in the chain of reports."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"


@dataclass(frozen=True)
class Division:
    """One administrative division."""

    code: str
    name: str
    level: DivisionLevel
    parent_code: str | None
    official: bool


def is_valid_code(code: str) -> bool:
    """Return whether ``code`` is a well-formed 12-digit division code."""
    return isinstance(code, str) and bool(_CODE_RE.fullmatch(code))


def code_prefix(code: str) -> str:
    """Return the significant prefix of ``code`` (its trailing zero segments dropped).

    A jurisdiction covers every code that starts with its prefix: 隆阳区 ``530502000000`` covers
    ``530502…``.
    """
    # Segments: province 2 + city 2 + county 2 | township 3 | village 3.  A city code has
    # eight trailing zeros (county segment "00" + 6), not nine.
    if code[2:] == "0" * 10:  # province
        return code[:2]
    if code[4:] == "0" * 8:  # city
        return code[:4]
    if code[6:] == "0" * 6:  # county
        return code[:6]
    if code[9:] == "000":  # township
        return code[:9]
    return code


def is_within(code: str, jurisdiction: str) -> bool:
    """Return whether division ``code`` lies inside (or is) the division ``jurisdiction``.

    Malformed codes lie nowhere: an empty or short jurisdiction must not cover everything.
    """
    if not (is_valid_code(code) and is_valid_code(jurisdiction)):
        return False
    return code.startswith(code_prefix(jurisdiction))


class DivisionTable:
    """An in-memory table of divisions with parent/child look-ups."""

    def __init__(self, divisions: Iterable[Division], vintage: str = DEFAULT_VINTAGE) -> None:
        self.vintage = vintage
        self._by_code: dict[str, Division] = {}
        self._children: dict[str, list[Division]] = {}
        for d in divisions:
            self._by_code[d.code] = d
            if d.parent_code:
                self._children.setdefault(d.parent_code, []).append(d)

    @classmethod
    def from_csv(cls, path: Path, vintage: str = DEFAULT_VINTAGE) -> DivisionTable:
        """Load a table with the columns code, name, level, parent_code, code_is_official."""
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        return cls(
            (
                Division(
                    code=r["code"].strip(),
                    name=r["name"].strip(),
                    level=DivisionLevel(r["level"].strip()),
                    parent_code=r["parent_code"].strip() or None,
                    official=r["code_is_official"].strip().lower() == "yes",
                )
                for r in rows
            ),
            vintage=vintage,
        )

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Division]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code: str) -> Division | None:
        """Return the division ``code`` or ``None``."""
        return self._by_code.get(code)

    def children(self, code: str) -> list[Division]:
        """Return the direct children of ``code``, in table order."""
        return list(self._children.get(code, ()))

    def ancestors(self, code: str) -> list[Division]:
        """Return the chain from the top of the table down to ``code`` (inclusive)."""
        chain: list[Division] = []
        current = self._by_code.get(code)
        while current is not None:
            chain.append(current)
            current = self._by_code.get(current.parent_code) if current.parent_code else None
        return list(reversed(chain))

    def full_name(self, code: str, *, from_level: DivisionLevel = DivisionLevel.COUNTY) -> str:
        """Return the names from ``from_level`` down to ``code``.

        For example 隆阳区瓦房彝族苗族乡瓦房村.
        """
        order = list(DivisionLevel)
        start = order.index(from_level)
        return "".join(d.name for d in self.ancestors(code) if order.index(d.level) >= start)

    def villages_under(self, code: str) -> list[Division]:
        """Return every village inside the division ``code``."""
        return [
            d
            for d in self._by_code.values()
            if d.level is DivisionLevel.VILLAGE and is_within(d.code, code)
        ]

    def of_level(self, level: DivisionLevel) -> list[Division]:
        """Return every division of ``level``, in table order."""
        return [d for d in self._by_code.values() if d.level is level]


@cache
def default_divisions() -> DivisionTable:
    """Return the bundled Baoshan division table (loaded once)."""
    return DivisionTable.from_csv(resource_path("divisions", DEFAULT_TABLE))

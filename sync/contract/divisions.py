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

DEFAULT_TABLE = "baoshan_divisions_2023.csv"
#: The year of the official codes in the default table.
DEFAULT_VINTAGE = "2023"
#: The whole province's table of the same vintage (``city-server divisions import``).
PROVINCE_TABLE = "yunnan_divisions_2023.csv"

#: Official suffixes of village-level names and the short form shown for them, longest first:
#: 瓦房社区村民委员会 → 瓦房社区, 水沟洼村民委员会 → 水沟洼村, 潞农社区居民委员会 → 潞农社区.
_SHORT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("社区居民委员会", "社区"),
    ("社区村民委员会", "社区"),
    ("社区居委会", "社区"),
    ("社区村委会", "社区"),
    ("村民委员会", "村"),
    ("居民委员会", "社区"),
    ("村委会", "村"),
    ("居委会", "社区"),
)

_CODE_RE = re.compile(r"[0-9]{12}")


class DivisionLevel(StrEnum):
    """The level of a division in the chain of reports."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"


def short_name(name: str, level: DivisionLevel | str) -> str:
    """Return the name to show for a division: villages drop the committee's title.

    "水沟洼村民委员会" is shown as "水沟洼村", "瓦房社区村民委员会" as "瓦房社区"; a name
    without such a suffix, and any division above a village, is shown as it is.
    """
    if DivisionLevel(level) is not DivisionLevel.VILLAGE:
        return name
    for suffix, short in _SHORT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            return stem if stem.endswith(short) else stem + short
    return name


@dataclass(frozen=True)
class Division:
    """One administrative division.

    ``name`` is the official name, ``short_name`` what screens show (``short_name()``);
    ``retired`` codes stay for the history of old reports but take no new ones.
    """

    code: str
    name: str
    level: DivisionLevel
    parent_code: str | None
    official: bool = True
    retired: bool = False
    short_name: str = ""

    def __post_init__(self) -> None:
        if not self.short_name:
            object.__setattr__(self, "short_name", short_name(self.name, self.level))


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
        """Load a table with the columns code, name, level, parent_code.

        An optional column ``code_is_official`` (``yes``/``no``) marks illustrative codes;
        without it every code is official.  Raises ``ValueError`` naming the line of a row
        that is not a division (bad code, unknown level, no name).
        """
        with path.open(encoding="utf-8-sig", newline="") as f:
            return cls(read_divisions(f), vintage=vintage)

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
        return "".join(d.short_name for d in self.ancestors(code) if order.index(d.level) >= start)

    def villages_under(self, code: str, *, retired: bool = False) -> list[Division]:
        """Return every village inside the division ``code`` (retired ones only if asked)."""
        return [
            d
            for d in self._by_code.values()
            if d.level is DivisionLevel.VILLAGE
            and is_within(d.code, code)
            and (retired or not d.retired)
        ]

    def of_level(self, level: DivisionLevel) -> list[Division]:
        """Return every division of ``level``, in table order."""
        return [d for d in self._by_code.values() if d.level is level]


def read_divisions(lines: Iterable[str]) -> list[Division]:
    """Parse CSV text (``code,name,level,parent_code[,code_is_official]``) into divisions.

    Raises:
        ValueError: a missing column, or a row whose code, level or name is wrong (the
            message names the line).
    """
    reader = csv.DictReader(lines)
    missing = {"code", "name", "level", "parent_code"} - set(reader.fieldnames or ())
    if missing:
        raise ValueError(f"missing columns: {', '.join(sorted(missing))}")
    out: list[Division] = []
    for row in reader:
        line = reader.line_num
        code = (row["code"] or "").strip()
        parent = (row["parent_code"] or "").strip() or None
        name = (row["name"] or "").strip()
        if not is_valid_code(code) or (parent is not None and not is_valid_code(parent)):
            raise ValueError(f"line {line}: not a 12-digit division code: {code!r} / {parent!r}")
        try:
            level = DivisionLevel((row["level"] or "").strip())
        except ValueError:
            raise ValueError(f"line {line}: unknown level {row['level']!r}") from None
        if not name:
            raise ValueError(f"line {line}: the division {code} has no name")
        flag = (row.get("code_is_official") or "yes").strip().lower()
        out.append(Division(code, name, level, parent, official=flag != "no"))
    return out


@cache
def default_divisions() -> DivisionTable:
    """Return the bundled Baoshan division table (loaded once)."""
    return DivisionTable.from_csv(resource_path("divisions", DEFAULT_TABLE), DEFAULT_VINTAGE)

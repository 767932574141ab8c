"""The plain values of administration: who administers, which roles they create, where.

A township reviewer administers the village accounts of its township, a county admin the
township and village accounts of its county, a city admin every account of the city and the
city's own post (docs/server.md "Administration").  The server decides; these tables only
shape the screens (which page a role gets, which roles a new account may have).
"""

from __future__ import annotations

from dataclasses import dataclass

from sync.contract import DivisionLevel, DivisionTable, is_within

#: The roles that get the administration page.
ADMIN_ROLES = frozenset({"township_reviewer", "county_admin", "city_admin"})
#: The level of the jurisdiction of each role.
ROLE_LEVEL: dict[str, DivisionLevel] = {
    "village_informant": DivisionLevel.VILLAGE,
    "township_reviewer": DivisionLevel.TOWNSHIP,
    "county_admin": DivisionLevel.COUNTY,
    "city_admin": DivisionLevel.CITY,
}
#: The roles each administrator may give a new account, highest first.
CREATABLE_ROLES: dict[str, tuple[str, ...]] = {
    "township_reviewer": ("village_informant",),
    "county_admin": ("township_reviewer", "village_informant"),
    "city_admin": ("city_admin", "county_admin", "township_reviewer", "village_informant"),
}
#: The levels a division picker offers each administrator (sheets, lists, completeness).
PICKED_LEVELS: dict[str, tuple[DivisionLevel, ...]] = {
    "township_reviewer": (DivisionLevel.TOWNSHIP,),
    "county_admin": (DivisionLevel.COUNTY, DivisionLevel.TOWNSHIP),
    "city_admin": (DivisionLevel.CITY, DivisionLevel.COUNTY, DivisionLevel.TOWNSHIP),
}
#: How many days without a sync make an informant "not synced" by default.
DEFAULT_STALE_DAYS = 30


def is_admin(role: str | None) -> bool:
    """Whether an account of ``role`` gets the administration page."""
    return role in ADMIN_ROLES


@dataclass(frozen=True)
class Place:
    """A division an administrator may pick: its code, its name and its depth below the top.

    Attributes:
        code: the 12-digit code.
        name: the name shown (a village's short name).
        level: its level.
        depth: 0 for the administrator's own division, 1 below it, 2 below that.
    """

    code: str
    name: str
    level: DivisionLevel
    depth: int


def admin_places(role: str, jurisdiction: str, divisions: DivisionTable) -> list[Place]:
    """Return the divisions an administrator picks from: its own, then what lies below.

    A township reviewer gets its township; a county admin its county and its townships; a
    city admin the city, each county and, under each, its townships.  A jurisdiction missing
    from ``divisions`` is still offered (by its code), so the page works with any table.
    """
    levels = PICKED_LEVELS.get(role, ())
    own = divisions.get(jurisdiction)
    top_level = ROLE_LEVEL.get(role, DivisionLevel.TOWNSHIP)
    places = [
        Place(jurisdiction, own.short_name if own else jurisdiction, top_level, 0),
    ]

    def below(code: str, depth: int) -> None:
        for child in divisions.children(code):
            if child.level in levels and not child.retired and is_within(child.code, jurisdiction):
                places.append(Place(child.code, child.short_name, child.level, depth))
                below(child.code, depth + 1)

    below(jurisdiction, 1)
    return places


def places_for_role(role: str, under: str, divisions: DivisionTable) -> list[tuple[str, str]]:
    """Return ``(code, full name)`` of the divisions inside ``under`` where ``role`` can sit.

    A village informant sits at a village, a township reviewer at a township, and so on;
    retired codes take no new accounts.
    """
    level = ROLE_LEVEL.get(role)
    if level is None:
        return []
    top = divisions.get(under)
    order = list(DivisionLevel)
    top_level = top.level if top is not None else DivisionLevel.COUNTY
    from_level = order[min(order.index(top_level) + 1, len(order) - 1)]
    out: list[tuple[str, str]] = []
    for division in divisions.of_level(level):
        if division.retired or not is_within(division.code, under):
            continue
        if level is DivisionLevel.CITY or division.code == under:
            out.append((division.code, division.short_name))
        else:
            name = divisions.full_name(division.code, from_level=from_level)
            out.append((division.code, name or division.short_name))
    return out

"""Who may see and write what: a caller's reach, as division codes, in Python and in SQL.

- A village informant reaches exactly the divisions of their active posts (A or B) and may
  push reports for the villages among them.
- A township reviewer, county admin or city admin reaches everything within their
  jurisdiction code (an admin-code prefix); they read but do not push.
- Only a township reviewer decides on the versions of their township's villages and writes
  the township report.

Anything outside the reach is answered 404 by the routes, so its existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_

from sync.contract import is_valid_code, is_within
from sync.contract.divisions import code_prefix
from sync.server.errors import NOT_FOUND, ApiError
from sync.server.models import Role


@dataclass(frozen=True)
class PostHeld:
    """An active post of the caller."""

    division_code: str
    level: str
    post_role: str


@dataclass(frozen=True)
class Caller:
    """The signed-in account and device a request speaks for."""

    user_id: int
    username: str
    display_name: str
    role: Role
    jurisdiction_code: str
    device_pk: int
    device_id: str
    token_id: int
    posts: tuple[PostHeld, ...] = ()

    @property
    def reach(self) -> tuple[str, ...]:
        """Return the division codes whose insides the caller may read."""
        if self.role is Role.VILLAGE_INFORMANT:
            return tuple(sorted({p.division_code for p in self.posts}))
        return (self.jurisdiction_code,)

    def can_see(self, code: str) -> bool:
        """Return whether division ``code`` lies within the caller's reach."""
        return any(is_within(code, r) for r in self.reach)

    def can_push_for(self, village_code: str) -> bool:
        """Return whether the caller may push reports for ``village_code``."""
        return self.role is Role.VILLAGE_INFORMANT and any(
            is_within(village_code, p.division_code) for p in self.posts
        )

    def can_review(self, village_code: str) -> bool:
        """Return whether the caller may approve or return versions of ``village_code``."""
        return self.role is Role.TOWNSHIP_REVIEWER and is_within(
            village_code, self.jurisdiction_code
        )

    def post_role_on(self, code: str) -> str | None:
        """Return the caller's A/B role on the post at ``code``, else on the nearest post above.

        ``None`` when the caller holds no post at or above ``code``.
        """
        held = [p for p in self.posts if is_within(code, p.division_code)]
        if not held:
            return None
        return max(held, key=lambda p: len(code_prefix(p.division_code))).post_role

    @property
    def push_villages(self) -> frozenset[str]:
        """Return the post codes the caller may push for (their active posts)."""
        if self.role is not Role.VILLAGE_INFORMANT:
            return frozenset()
        return frozenset(p.division_code for p in self.posts)


def code_range(code: str) -> tuple[str, str]:
    """Return the lowest and highest 12-digit codes inside ``code``.

    Codes are 12 digits, so a range comparison selects a subtree and can use a plain index
    (``LIKE 'prefix%'`` cannot under every PostgreSQL collation).
    """
    prefix = code_prefix(code)
    return prefix.ljust(12, "0"), prefix.ljust(12, "9")


def within_sql(column: Any, code: str) -> ColumnElement[bool]:
    """Return SQL that is true when ``column`` (a division code) lies inside ``code``."""
    low, high = code_range(code)
    if low == high:
        return column == low  # type: ignore[no-any-return]
    return and_(column >= low, column <= high)


def reach_sql(caller: Caller, column: Any, under: str | None = None) -> ColumnElement[bool]:
    """Return SQL that is true for division codes the caller may see (inside ``under``)."""
    codes = [under] if under is not None else list(caller.reach)
    if not codes:
        return false()
    return or_(*(within_sql(column, c) for c in codes))


def check_under(caller: Caller, under: str | None) -> str | None:
    """Return ``under`` when the caller may look inside it; raise 404 otherwise."""
    if under is None:
        return None
    if not is_valid_code(under) or not caller.can_see(under):
        raise ApiError(NOT_FOUND)
    return under

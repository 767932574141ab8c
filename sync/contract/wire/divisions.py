"""The division table as the server serves it (``GET /divisions``)."""

from __future__ import annotations

from sync.contract.wire.base import Wire

__all__ = ["Division", "Divisions"]


class Division(Wire, frozen=True, kw_only=True):
    """One division."""

    code: str
    name: str
    level: str
    parent_code: str | None
    official: bool


class Divisions(Wire, frozen=True, kw_only=True):
    """``GET /divisions``: the division table (or a subtree of it)."""

    vintage: str
    divisions: list[Division]

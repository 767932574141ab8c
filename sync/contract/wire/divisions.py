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
    short_name: str = ""
    retired: bool = False


class Divisions(Wire, frozen=True, kw_only=True):
    """``GET /divisions``: the division table (or a subtree of it, with its ancestors).

    ``revision`` grows whenever an import changes the table; ``GET /me`` tells it too, so a
    device fetches the table again only when it changed.
    """

    vintage: str
    revision: int = 0
    divisions: list[Division]

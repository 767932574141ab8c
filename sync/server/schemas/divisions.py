"""Division codes (the wire types are ``sync.contract.wire.divisions``)."""

from __future__ import annotations

from pydantic import BaseModel


class DivisionOut(BaseModel):
    """One division: the official ``name`` and the ``short_name`` screens show."""

    code: str
    name: str
    level: str
    parent_code: str | None
    official: bool
    short_name: str
    retired: bool


class DivisionsOut(BaseModel):
    """The division table (or a subtree of it, with its ancestors).

    ``revision`` is the table's (``max(revision)``): it grows whenever an import changes it.
    """

    vintage: str
    revision: int
    divisions: list[DivisionOut]

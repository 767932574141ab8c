"""Division codes."""

from __future__ import annotations

from pydantic import BaseModel


class DivisionOut(BaseModel):
    """One division."""

    code: str
    name: str
    level: str
    parent_code: str | None
    official: bool


class DivisionsOut(BaseModel):
    """The division table (or a subtree of it)."""

    vintage: str
    divisions: list[DivisionOut]

"""The A/B roster."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class HolderOut(BaseModel):
    """A person holding a post now."""

    post_role: str
    username: str
    display_name: str
    phone: str | None = None
    valid_from: datetime


class RosterPostOut(BaseModel):
    """A post and its active A and B."""

    division_code: str
    division_name: str
    level: str
    holders: list[HolderOut]


class RosterOut(BaseModel):
    """The posts under a division."""

    under: str | None
    posts: list[RosterPostOut]

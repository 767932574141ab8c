"""The informant register import: the pydantic models of ``/api/v1/admin/register``.

They mirror ``sync/contract/wire/register.py`` field for field (``tests/sync/
test_wire_contract.py`` compares the answers).  Text fields take up to ``MAX_TEXT``
characters here so that a long value is a refused row with its reason, not a 422 of the
whole sheet; the service holds each to its column's length.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from sync.server.schemas.common import InModel

#: The longest text of one cell the route accepts (the service refuses what its column cannot
#: hold, row by row).
MAX_TEXT = 1000
#: The most rows one import takes (a city's register is about 1,500).
MAX_ROWS = 20000


class RegisterEntryIn(InModel):
    """One person of the register as read from the sheet (``row``: the sheet's row number)."""

    row: int = Field(ge=1, le=10_000_000)
    register_id: str = Field(default="", max_length=MAX_TEXT)
    name: str = Field(default="", max_length=MAX_TEXT)
    phone: str = Field(default="", max_length=MAX_TEXT)
    backup_phone: str = Field(default="", max_length=MAX_TEXT)
    gender: str = Field(default="", max_length=MAX_TEXT)
    unit: str = Field(default="", max_length=MAX_TEXT)
    title: str = Field(default="", max_length=MAX_TEXT)
    level: str = Field(default="", max_length=MAX_TEXT)
    post_code: str = Field(default="", max_length=MAX_TEXT)
    post_role: str = Field(default="", max_length=MAX_TEXT)
    appointed_on: str = Field(default="", max_length=MAX_TEXT)
    training: str = Field(default="", max_length=MAX_TEXT)


class RegisterImportIn(InModel):
    """The rows to judge (``dry_run``) or to import."""

    dry_run: bool
    entries: list[RegisterEntryIn] = Field(max_length=MAX_ROWS)


class RegisterRowOut(BaseModel):
    """What happens (or would) to one row."""

    row: int
    outcome: str = Field(description="``create``, ``update``, ``unchanged`` or ``refused``.")
    username: str | None
    reason_zh: str
    reason_en: str


class RegisterImportOut(BaseModel):
    """The judgement of every row; ``applied`` says whether the database changed."""

    dry_run: bool
    applied: bool
    created: int
    updated: int
    unchanged: int
    refused: int
    rows: list[RegisterRowOut]

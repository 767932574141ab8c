"""The informant register import (花名册): rows sent, and the judgement of each row.

``POST /api/v1/admin/register/import`` takes the rows of the bureau's sheet as read by
``sync.contract.register`` and answers row by row; with ``dry_run`` nothing changes, without
it every row is applied in one transaction, or none when any row is refused.
"""

from __future__ import annotations

from sync.contract.wire.base import Wire

__all__ = ["RegisterEntry", "RegisterImportRequest", "RegisterImportResult", "RegisterRowResult"]


class RegisterEntry(Wire, frozen=True, kw_only=True):
    """One person of the register as read from the sheet (``row``: the sheet's row number)."""

    row: int
    register_id: str = ""
    name: str = ""
    phone: str = ""
    backup_phone: str = ""
    gender: str = ""
    unit: str = ""
    title: str = ""
    level: str = ""
    post_code: str = ""
    post_role: str = ""
    appointed_on: str = ""
    training: str = ""


class RegisterImportRequest(Wire, frozen=True, kw_only=True):
    """The rows to judge (``dry_run``) or to import."""

    dry_run: bool
    entries: list[RegisterEntry]


class RegisterRowResult(Wire, frozen=True, kw_only=True):
    """What happens (or would) to one row: ``create``, ``update``, ``unchanged``, ``refused``."""

    row: int
    outcome: str
    username: str | None
    reason_zh: str
    reason_en: str


class RegisterImportResult(Wire, frozen=True, kw_only=True):
    """The judgement of every row; ``applied`` says whether the database changed."""

    dry_run: bool
    applied: bool
    created: int
    updated: int
    unchanged: int
    refused: int
    rows: list[RegisterRowResult]

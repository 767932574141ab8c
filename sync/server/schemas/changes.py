"""The change feed devices pull by cursor."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field


class ReportVersionChange(BaseModel):
    """A report version was stored (accepted or as a conflict)."""

    kind: Literal["report_version"] = "report_version"
    changed_at: datetime
    version_uuid: str
    report_uuid: str
    parent_version_uuid: str | None
    version_no: int
    status: Literal["accepted", "conflict"]
    village_code: str
    content_hash: str
    content: dict[str, Any]
    submitted_by: str
    server_received_at: datetime


class RosterChange(BaseModel):
    """An assignment began or ended."""

    kind: Literal["roster"] = "roster"
    changed_at: datetime
    assignment_id: int
    post_code: str
    post_level: str
    post_role: str
    username: str
    display_name: str
    valid_from: datetime
    valid_to: datetime | None


Change = Annotated[ReportVersionChange | RosterChange, Field(discriminator="kind")]


class ChangesOut(BaseModel):
    """A page of changes; keep ``cursor`` and pull again while ``has_more``."""

    changes: list[Change]
    cursor: str
    has_more: bool

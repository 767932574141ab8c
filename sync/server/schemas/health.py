"""Liveness."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class HealthOut(BaseModel):
    """The server answers and can reach its database."""

    status: str
    db: str
    dialect: str
    schema_revision: str | None
    protocol_version: int
    server_version: str = Field(description="The city server's release.")
    server_time: datetime

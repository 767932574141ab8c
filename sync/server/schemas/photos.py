"""Photo upload state."""

from __future__ import annotations

from pydantic import BaseModel, Field


class PhotoStateOut(BaseModel):
    """How much of a photo the server holds; resume at ``received``."""

    sha256: str
    size: int | None = Field(description="The declared size; null when nothing arrived yet.")
    received: int
    complete: bool

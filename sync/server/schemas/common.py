"""Models shared by every route: the error body."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class ErrorDetail(BaseModel):
    """An error: stable machine code, Chinese and English messages, and optional extras."""

    model_config = ConfigDict(extra="allow")

    code: str
    zh: str
    en: str


class ErrorBody(BaseModel):
    """Every error response: ``{"error": {...}}``."""

    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Return the ``responses=`` entries documenting JSON errors with ``statuses``."""
    return {status: {"model": ErrorBody} for status in statuses}

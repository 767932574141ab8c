"""Models shared by every route: the error body, the errors every route may answer.

``InModel``, the base of request bodies, refuses text that no database can store.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

#: The ``type`` of a validation error for text holding NUL or an unpaired surrogate.
UNSTORABLE_TEXT = "unstorable_text"


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


#: Errors any route may answer, documented on every router: 400 (a malformed request: bad
#: gzip, a NUL in the address), 413 (the body limit of the middleware), 422 (a request that
#: does not match the API, in our error body, not FastAPI's default ``detail``) and 503 (the
#: database pool is exhausted, with ``Retry-After``).
COMMON_ERRORS = error_responses(400, 413, 422, 503)


def unstorable_at(value: Any, where: str = "") -> str | None:
    """Return where ``value`` holds text no database stores as sent, or ``None``.

    Such text is a string (or key) with NUL (PostgreSQL text cannot hold it) or an unpaired
    surrogate (a lone surrogate escape in JSON: no UTF-8 encoding exists).  Every other character,
    control characters, bidi overrides, markup and SQL included, is stored as sent.
    """
    if isinstance(value, str):
        return (where or ".") if _unstorable(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and _unstorable(key):
                return f"{where}.<key>"
            found = unstorable_at(item, f"{where}.{key}")
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = unstorable_at(item, f"{where}[{index}]")
            if found:
                return found
    return None


def _unstorable(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class InModel(BaseModel):
    """A request body: refuses (422 ``unstorable_text``) text that cannot be stored.

    ``loose_fields`` are left to the route, which answers per item (a batch's ``items``).
    """

    loose_fields: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: Any) -> Any:
        checked = (
            {k: v for k, v in data.items() if k not in cls.loose_fields}
            if isinstance(data, dict)
            else data
        )
        where = unstorable_at(checked)
        if where:
            raise PydanticCustomError(
                UNSTORABLE_TEXT,
                "text holds NUL or an unpaired surrogate at {where}",
                {"where": where},
            )
        return data


def device_clock(value: datetime | None) -> datetime | None:
    """Return a device's clock reading in UTC, or ``None`` when it is outside the calendar.

    A device whose clock says the year 9999 must still be able to send: its reading is only
    used for the skew estimate, so an unusable one counts as unknown.
    """
    if value is None or value.tzinfo is None:
        return value
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return None

"""The base of every wire message: a frozen, keyword-only ``msgspec.Struct``.

Unknown fields are ignored (``forbid_unknown_fields=False``) so a newer server may add fields
without breaking an older app.  Times on the wire always carry a zone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec

__all__ = ["Time", "Wire", "as_object", "wire_text"]

#: A time with a zone (ISO 8601 on the wire); a time without one is refused.
Time = Annotated[datetime, msgspec.Meta(tz=True)]


class Wire(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=False):
    """A message of the city server's API (subclasses inherit the configuration)."""


def as_object(message: msgspec.Struct) -> dict[str, Any]:
    """Return a message as the JSON object it is on the wire (times as ISO text, ``…Z``).

    For what still takes the wire's objects: request bodies, the answer cache, the store's
    upserts.  A tagged change keeps its ``kind``.
    """
    built = msgspec.to_builtins(message)
    if not isinstance(built, dict):
        raise TypeError(f"{type(message).__name__} is not a JSON object")
    return built


def wire_text(value: datetime) -> str:
    """Return a time as the wire writes it (ISO 8601; ``Z`` for UTC)."""
    return str(msgspec.to_builtins(value))

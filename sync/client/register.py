"""The informant register import (``/api/v1/admin/register``), mixed into ``SyncClient``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from sync.contract.wire.base import Wire

API = "/api/v1/admin"

T = TypeVar("T", bound=Wire)


class RegisterRequests:
    """The register requests; ``SyncClient`` provides ``_call`` (the one place that talks HTTP)."""

    def _call(
        self,
        method: str,
        path: str,
        *,
        answer: type[T],
        check: Callable[[T], None] | None = None,
        auth: bool = True,
        json_body: Any = None,
        raw_body: bytes | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> T:
        raise NotImplementedError

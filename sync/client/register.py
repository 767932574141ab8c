"""The informant register import (``/api/v1/admin/register``), mixed into ``SyncClient``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from sync.contract.wire.base import Wire, as_object
from sync.contract.wire.register import (
    RegisterEntry,
    RegisterImportRequest,
    RegisterImportResult,
)

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

    def register_import(
        self, entries: Sequence[RegisterEntry], dry_run: bool
    ) -> RegisterImportResult:
        """``POST /admin/register/import``: judge every row, and unless ``dry_run`` import.

        The answer names each row's outcome (``create``, ``update``, ``unchanged``,
        ``refused``) with its reason; ``applied`` says whether anything changed (nothing does
        when a row is refused).
        """
        body = RegisterImportRequest(dry_run=dry_run, entries=list(entries))
        return self._call(
            "POST",
            f"{API}/register/import",
            answer=RegisterImportResult,
            json_body=as_object(body),
        )

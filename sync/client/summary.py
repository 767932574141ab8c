"""The year's summary request (``GET /api/v1/summary/{code}``), mixed into ``SyncClient``.

The answer is decoded into ``sync.contract.wire.summary.YearSummary``.  County and city admins
read their jurisdiction and the units inside it, a township reviewer its own township.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import quote

from sync.contract.wire.base import Wire
from sync.contract.wire.summary import YearSummary

T = TypeVar("T", bound=Wire)


class SummaryRequests:
    """The summary request; ``SyncClient`` provides ``_call`` (the one place that talks HTTP)."""

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

    def year_summary(self, code: str, year: int | None = None) -> YearSummary:
        """``GET /summary/{code}?year=``: the year's summary (default year: the server's now)."""
        return self._call(
            "GET",
            f"/api/v1/summary/{quote(code, safe='')}",
            answer=YearSummary,
            params={"year": year} if year is not None else None,
        )

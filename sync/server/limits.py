"""Request body limits (413 as JSON), enforced while the body streams in.

A declared ``Content-Length`` above the limit is refused before anything is read; a body
without one (chunked) is counted as it arrives.  Limits: report and decision batches
``batch_max_bytes``, photo chunks ``photo_max_bytes``, everything else ``request_max_bytes``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.server.errors import BATCH_TOO_LARGE, BODY_TOO_LARGE, ApiError, ErrorKind
from sync.server.services.photos import too_large
from sync.server.settings import Settings

BATCH_PATHS = ("/api/v1/reports/batch", "/api/v1/decisions/batch")
PHOTO_PREFIX = "/api/v1/photos/"


class BodyLimitMiddleware:
    """Refuse request bodies above the limit of their route."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def _limit(self, scope: Scope) -> tuple[int, Callable[[], ApiError]]:
        path: str = scope.get("path", "")
        s = self.settings
        if path in BATCH_PATHS:
            zh, en = ("批量报告", "a report batch") if "reports" in path else (
                "批量审核决定", "a decision batch")
            return s.batch_max_bytes, partial(_error, BATCH_TOO_LARGE, s.batch_max_bytes, zh, en)
        if path.startswith(PHOTO_PREFIX):
            return s.photo_max_bytes, partial(too_large, s.photo_max_bytes)
        return s.request_max_bytes, partial(_error, BODY_TOO_LARGE, s.request_max_bytes,
                                            "请求", "a request")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, error = self._limit(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await error().response()(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise error()
            return message

        await self.app(scope, limited, send)


def _error(kind: ErrorKind, limit: int, zh_what: str, en_what: str) -> ApiError:
    mib = limit / (1024 * 1024)
    return ApiError(kind, zh=f"{zh_what}过大：最多 {mib:g} MB，请分批提交",
                    en=f"{en_what} is too large: at most {mib:g} MB; send it in parts",
                    limit=limit)


def _content_length(scope: Scope) -> int | None:
    headers: Any = scope.get("headers") or []
    for name, value in headers:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None

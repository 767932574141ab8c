"""Request body limits (413 as JSON), enforced while the body streams in.

A declared ``Content-Length`` above the limit is refused before anything is read; a body
without one (chunked) is counted as it arrives.  Limits: report and decision batches
``batch_max_bytes`` (and the register import), photo chunks ``photo_max_bytes``, everything
else ``request_max_bytes``.

A path or query holding NUL (``%00``) is a 400 ``bad_request`` before any route sees it:
PostgreSQL cannot compare text with NUL, and no code, id or cursor of ours holds one.

A body sent with ``Content-Encoding: gzip`` is unpacked here, and its unpacked size is held
to the same limit (a zip bomb stops at the limit, never unpacked further); a body that is not
valid gzip is a 400 ``bad_request``.  Every answer carries ``X-Accept-Request-Encoding:
gzip`` so that a client knows it may compress its requests (an older server never says so).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from functools import partial
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.server.errors import BAD_REQUEST, BATCH_TOO_LARGE, BODY_TOO_LARGE, ApiError, ErrorKind
from sync.server.services.photos import too_large
from sync.server.settings import Settings

BATCH_PATHS = ("/api/v1/reports/batch", "/api/v1/decisions/batch")
#: The informant register import: a city's whole register (1,434 people ≈ 0.5 MB of JSON,
#: more with long texts) takes the batch limit, not the 1 MiB of other requests.
REGISTER_PATH = "/api/v1/admin/register/import"
PHOTO_PREFIX = "/api/v1/photos/"
#: The answer header that tells a client it may send gzip request bodies.
ACCEPT_REQUEST_ENCODING = b"x-accept-request-encoding"


class BodyLimitMiddleware:
    """Refuse request bodies above the limit of their route."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def _limit(self, scope: Scope) -> tuple[int, Callable[[], ApiError]]:
        path: str = scope.get("path", "")
        s = self.settings
        if path in BATCH_PATHS:
            zh, en = (
                ("批量报告", "a report batch")
                if "reports" in path
                else ("批量审核决定", "a decision batch")
            )
            return s.batch_max_bytes, partial(_error, BATCH_TOO_LARGE, s.batch_max_bytes, zh, en)
        if path == REGISTER_PATH:
            return s.batch_max_bytes, partial(
                _error, BODY_TOO_LARGE, s.batch_max_bytes, "花名册", "the register"
            )
        if path.startswith(PHOTO_PREFIX):
            return s.photo_max_bytes, partial(too_large, s.photo_max_bytes)
        return s.request_max_bytes, partial(
            _error, BODY_TOO_LARGE, s.request_max_bytes, "请求", "a request"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def announcing(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {
                    **message,
                    "headers": [*message.get("headers", []), (ACCEPT_REQUEST_ENCODING, b"gzip")],
                }
            await send(message)

        if _nul_in_target(scope):
            await ApiError(
                BAD_REQUEST,
                zh="请求地址中含有空字符（NUL）",
                en="the request address holds a NUL character",
            ).response()(scope, receive, announcing)
            return
        limit, error = self._limit(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await error().response()(scope, receive, announcing)
            return
        encoding = _header(scope, b"content-encoding")
        if encoding not in (None, b"identity"):
            await self._unpacked(scope, receive, announcing, limit, error, encoding)
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

        await self.app(scope, limited, announcing)

    async def _unpacked(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        limit: int,
        error: Callable[[], ApiError],
        encoding: bytes,
    ) -> None:
        """Read a gzip body (at most ``limit`` bytes packed and unpacked) and pass it on."""
        if encoding.strip().lower() != b"gzip":
            await ApiError(
                BAD_REQUEST,
                zh="不支持此内容编码（仅支持 gzip）",
                en="unsupported Content-Encoding (only gzip)",
            ).response()(scope, receive, send)
            return
        packed = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            packed += message.get("body", b"")
            if len(packed) > limit:
                await error().response()(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        body = _gunzip(bytes(packed), limit)
        if body is None:
            await error().response()(scope, receive, send)
            return
        if isinstance(body, ApiError):
            await body.response()(scope, receive, send)
            return
        headers = [
            (k, v)
            for k, v in scope.get("headers") or []
            if k not in (b"content-encoding", b"content-length")
        ]
        headers.append((b"content-length", str(len(body)).encode()))
        inner = {**scope, "headers": headers}
        sent = False

        async def once() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(inner, once, send)


def _gunzip(packed: bytes, limit: int) -> bytes | ApiError | None:
    """Return the unpacked body; ``None`` when it exceeds ``limit``; an error when not gzip."""
    bad = ApiError(
        BAD_REQUEST, zh="请求内容不是有效的 gzip 数据", en="the request body is not valid gzip"
    )
    inflater = zlib.decompressobj(wbits=31)  # gzip only
    try:
        body = inflater.decompress(packed, limit + 1)
    except zlib.error:
        return bad
    if len(body) > limit:
        return None
    if not inflater.eof or inflater.unused_data:
        return bad
    return body


def _error(kind: ErrorKind, limit: int, zh_what: str, en_what: str) -> ApiError:
    mib = limit / (1024 * 1024)
    return ApiError(
        kind,
        zh=f"{zh_what}过大：最多 {mib:g} MB，请分批提交",
        en=f"{en_what} is too large: at most {mib:g} MB; send it in parts",
        limit=limit,
    )


def _nul_in_target(scope: Scope) -> bool:
    """Whether the path or the query holds NUL, which no database column can hold."""
    query: bytes = scope.get("query_string") or b""
    return "\x00" in scope.get("path", "") or b"%00" in query or b"\x00" in query


def _content_length(scope: Scope) -> int | None:
    headers: Any = scope.get("headers") or []
    for name, value in headers:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _header(scope: Scope, name: bytes) -> bytes | None:
    headers: Any = scope.get("headers") or []
    for key, value in headers:
        if key == name:
            return bytes(value)
    return None

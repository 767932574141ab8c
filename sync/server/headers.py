"""Security headers on every answer of the server (a pure ASGI middleware).

Every answer: ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY``,
``Referrer-Policy: no-referrer`` and a Content-Security-Policy that allows nothing (the API
serves no pages; with the docs turned on, ``/docs`` and ``/redoc`` keep FastAPI's own pages
and get no CSP).  Answers under ``/api/`` get ``Cache-Control: no-store`` (they hold one
account's data or a token).  A request that arrived over https gets
``Strict-Transport-Security``.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_CSP = "default-src 'none'; frame-ancestors 'none'"
HSTS = "max-age=31536000"
#: Pages that are HTML for a browser (only present when the docs are turned on).
_PAGES = ("/docs", "/redoc")


class SecurityHeadersMiddleware:
    """Add the security headers to every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "no-referrer")
                if not path.startswith(_PAGES):
                    headers.setdefault("Content-Security-Policy", API_CSP)
                if path.startswith("/api/"):
                    headers["Cache-Control"] = "no-store"
                if https:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)

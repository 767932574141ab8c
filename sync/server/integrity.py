"""A SHA-256 of every whole answer body, in a header the client checks.

TCP's checksum is weak and a middlebox may change bytes; a gzip-compressed answer has its own
CRC, but a small plain answer has nothing.  ``BodyDigestMiddleware`` sits inside the gzip
layer, so the digest covers the JSON the client reads after unpacking.  Streamed answers (more
than one body message) go out unchanged without the header.
"""

from __future__ import annotations

import hashlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The header with the hex SHA-256 of the (uncompressed) answer body.
BODY_DIGEST_HEADER = "X-Body-SHA256"


class BodyDigestMiddleware:
    """Add ``X-Body-SHA256`` to answers sent as one body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None

        async def digest_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] == "http.response.body" and start is not None:
                held, start = start, None
                if not message.get("more_body", False):
                    body = message.get("body", b"")
                    held = {
                        **held,
                        "headers": [
                            *held.get("headers", []),
                            (
                                BODY_DIGEST_HEADER.lower().encode(),
                                hashlib.sha256(body).hexdigest().encode(),
                            ),
                        ],
                    }
                await send(held)
            await send(message)

        await self.app(scope, receive, digest_send)

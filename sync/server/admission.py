"""Load shedding: a server process at its limit answers 503 ``busy`` at once, never slowly.

Each server process serves at most ``max_in_flight`` requests at a time
(``CITY_MAX_IN_FLIGHT``).  A request beyond the limit is answered before any work, with 503
``busy`` and a ``Retry-After`` drawn uniformly from ``busy_retry_min_s``–``busy_retry_max_s``:
the devices that found the server busy in the same second come back spread over the next half
minute.  Without it a returning herd (the whole city after a power cut) queues behind the CPU
until requests pass the app's 15 s read timeout; with it the server works at its full rate on
the requests it took, and each of the others costs it well under a millisecond.  The app waits
what ``Retry-After`` says before its next round (``informant_app.core.sync.engine.next_delay``).

Not counted and never shed: ``/health`` (load balancers and the app's connection probe) and
the two sign-in routes, whose password hashing has its own bounded pool and answers 429 when
full (``services/signin_guard.py``): a flood of bogus sign-ins must not fill the slots the
sync routes need.

A request counts from its arrival until its answer is sent (not until the route's clean-up
after the answer, during which the same client's next request may already arrive).  The
counter lives in the process (one event loop): the limit is per process, as the database
pool is, so it holds however many processes run behind the load balancer.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.server.errors import BUSY, ApiError, spread_retry_after

log = logging.getLogger(__name__)

#: Paths never counted nor shed.
UNLIMITED_PATHS = frozenset({"/health", "/api/v1/auth/login", "/api/v1/auth/provision"})
#: At most one log line per this many seconds while shedding.
LOG_EVERY_S = 5.0


class AdmissionMiddleware:
    """Answer 503 ``busy`` with a spread ``Retry-After`` when ``limit`` requests are in flight."""

    def __init__(self, app: ASGIApp, limit: int, retry_low: int, retry_high: int) -> None:
        self.app = app
        self.limit = limit
        self.retry_low = retry_low
        self.retry_high = retry_high
        #: Requests of this process being served now.
        self.in_flight = 0
        #: Requests answered ``busy`` since the process started.
        self.shed = 0
        self._logged_at = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "") in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            await self._busy(scope, receive, send)
            return
        self.in_flight += 1
        answered = False

        async def counted(message: Message) -> None:
            nonlocal answered
            await send(message)
            if (
                not answered
                and message["type"] == "http.response.body"
                and not message.get("more_body", False)
            ):
                answered = True  # the answer is out: the client may send its next request
                self.in_flight -= 1

        try:
            await self.app(scope, receive, counted)
        finally:
            if not answered:
                self.in_flight -= 1

    async def _busy(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.shed += 1
        now = time.monotonic()
        if now - self._logged_at >= LOG_EVERY_S:
            self._logged_at = now
            log.warning(
                "busy: %d requests in flight, the limit; %d answered busy so far",
                self.in_flight,
                self.shed,
            )
        seconds = spread_retry_after(self.retry_low, self.retry_high)
        answer = ApiError(BUSY, headers={"Retry-After": str(seconds)}, retry_after=seconds)
        await answer.response()(scope, receive, send)

"""Guarantee (d): an answer that is not our server's JSON is never taken for success.

A captive-portal stand-in (a tiny ``http.server`` on 127.0.0.1) answers every request with
200 and an HTML page, or with a redirect, or with JSON of another shape.  Nothing may be
marked received; the versions stay queued; the problem says "captive portal".
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from informant_app.core.store.types import ReportState
from informant_app.core.sync.engine import SignInError, sign_in
from informant_app.core.sync.types import SyncErrorKind
from tests.integration.helpers import ServerView, device, file_reports, states_of
from tests.support.city_server import CityServer

PAGE = b"<html><head><title>WiFi login</title></head><body>Please log in</body></html>"


class Portal(BaseHTTPRequestHandler):
    mode = "html"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if self.mode == "redirect":
            self.send_response(302)
            self.send_header("Location", "http://portal.example/login")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body, ctype = (
            (PAGE, "text/html")
            if self.mode == "html"
            else (b'{"status": "ok", "results": []}', "application/json")
        )
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer  # noqa: N815 - http.server's names

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(params=["html", "redirect", "json"])
def portal(request: pytest.FixtureRequest) -> Iterator[str]:
    handler = type("Handler", (Portal,), {"mode": request.param})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_captive_portal_is_not_success(live_city: CityServer, portal: str, tmp_path: Path) -> None:
    dev = device(live_city, tmp_path / "a", "wafang_a")
    versions = file_reports(dev.store, 5, seed=400)
    engine = dev.engine(server_url=portal)
    summary = engine.run_round()
    assert summary.problem is not None
    assert summary.problem.kind is SyncErrorKind.CAPTIVE_PORTAL, summary.problem
    assert summary.pushed == 0 and summary.still_queued == 5
    assert states_of(dev.store, versions) == {ReportState.QUEUED: 5}
    status = engine.status()
    assert status.online is False and status.last_problem is not None
    # Signing in through the portal fails plainly, and keeps the real account.
    with pytest.raises(SignInError) as err:
        sign_in(dev.store, portal, "wafang_a", "whatever")
    assert "not from our server" in err.value.en or "sign-in failed" in err.value.en
    # Back on the real network the same versions go out once.
    assert dev.engine().run_round().still_queued == 0
    view = ServerView(live_city)
    try:
        view.refresh()
        assert all(view.versions[v] == 1 for v in versions)
    finally:
        view.close()
    dev.close()

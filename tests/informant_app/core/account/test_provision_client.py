"""Redeeming a set-up code from the device: only our server's sign-in answer counts."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar, cast

import pytest

from informant_app.core.account.sign_in import SignInError, current_account, sign_in_with_code
from informant_app.core.store.report_store import ReportStore
from sync.client.api import ClientError, FailureKind, SyncClient, Timeouts

QUICK = Timeouts(connect=2.0, read=2.0)


class _Answer(BaseHTTPRequestHandler):
    """Answers every POST with ``body`` as ``ctype`` (a portal, or a server of another kind)."""

    body = b""
    ctype = "application/json"
    seen: ClassVar[list[dict[str, object]]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        type(self).seen.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.send_header("Content-Type", self.ctype)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *_args: object) -> None:
        pass


def serve(body: bytes, ctype: str) -> Iterator[tuple[str, list[dict[str, object]]]]:
    handler = cast(
        type[_Answer], type("Handler", (_Answer,), {"body": body, "ctype": ctype, "seen": []})
    )
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler.seen
    server.shutdown()
    server.server_close()


@pytest.fixture
def portal() -> Iterator[tuple[str, list[dict[str, object]]]]:
    yield from serve(b"<html>Sign in to the Wi-Fi</html>", "text/html")


@pytest.fixture
def other_json() -> Iterator[tuple[str, list[dict[str, object]]]]:
    yield from serve(b'{"token": "x"}', "application/json")


@pytest.mark.parametrize("fixture", ["portal", "other_json"])
def test_an_answer_that_is_not_a_sign_in_never_passes(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    url, seen = request.getfixturevalue(fixture)
    client = SyncClient(url, device_id="dev-1", timeouts=QUICK, retries=0)
    with pytest.raises(ClientError) as refused:
        client.provision("K7QM-3XHP-W9TD", "村委会电脑")
    assert refused.value.kind is FailureKind.CAPTIVE_PORTAL and client.token is None
    assert seen == [{"code": "K7QM-3XHP-W9TD", "device_id": "dev-1", "device_name": "村委会电脑"}]


def test_a_code_that_is_not_one_is_refused_before_any_request(
    store: ReportStore, portal: tuple[str, list[dict[str, object]]]
) -> None:
    url, seen = portal
    with pytest.raises(SignInError) as refused:
        sign_in_with_code(store, url, "K7QM-3XHP", timeouts=QUICK)
    assert refused.value.code == "bad_code" and "12" in refused.value.zh
    assert seen == [] and current_account(store) is None


def test_a_portal_signs_nothing_in(
    store: ReportStore, portal: tuple[str, list[dict[str, object]]]
) -> None:
    url, seen = portal
    with pytest.raises(SignInError) as refused:
        sign_in_with_code(store, url, " k7qm 3xhp w9td ", timeouts=QUICK)
    assert refused.value.code == "captive_portal"
    assert seen[0]["code"] == "K7QM-3XHP-W9TD"  # sent in its plain grouped form
    assert current_account(store) is None

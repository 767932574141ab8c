"""The HTTP client against a scripted HTTP server on 127.0.0.1: only our JSON counts.

Each case answers one request in a given way (HTML, redirect, other JSON, a body cut short,
error bodies, 5xx) and checks the failure class; headers, retries and the skew estimate too.
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from sync.client.api import ClientError, FailureKind, SyncClient, Timeouts
from sync.contract import PROTOCOL_VERSION

ME = {
    "user": {
        "username": "u",
        "display_name": "U",
        "role": "village_informant",
        "jurisdiction_code": "530502208201",
        "jurisdiction_name": "",
        "posts": [
            {
                "division_code": "530502208201",
                "division_name": "瓦房社区",
                "level": "village",
                "post_role": "A",
            }
        ],
    },
    "device_id": "d",
    "server_time": "2025-01-01T00:00:00.000000Z",
}

Answer = Callable[[BaseHTTPRequestHandler], None]


def json_answer(status: int, body: object, extra: dict[str, str] | None = None) -> Answer:
    def answer(h: BaseHTTPRequestHandler) -> None:
        data = json.dumps(body).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)

    return answer


def raw_answer(status: int, ctype: str, body: bytes, length: int | None = None) -> Answer:
    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body) if length is None else length))
        h.end_headers()
        h.wfile.write(body)
        h.close_connection = True

    return answer


class Scripted:
    """A server whose every request gets ``answer``; it records requests."""

    def __init__(self) -> None:
        self.answer: Answer = json_answer(200, ME)
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.bodies: list[bytes] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                outer.bodies.append(self.rfile.read(length) if length else b"")
                outer.requests.append((self.command, self.path, dict(self.headers)))
                outer.answer(self)

            do_GET = do_POST = do_PUT = _any  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def client(self, **kwargs: Any) -> SyncClient:
        return SyncClient(
            self.url, device_id="dev-1", token="tok", timeouts=Timeouts(2, 2), **kwargs
        )


def kind_of(call: Callable[[], object]) -> ClientError:
    with pytest.raises(ClientError) as err:
        call()
    return err.value


def test_our_json_passes_and_headers_go_out(scripted: Scripted) -> None:
    client = scripted.client()
    assert client.me().user.username == "u"
    method, path, headers = scripted.requests[0]
    assert (method, path) == ("GET", "/api/v1/me")
    assert headers["X-Device-Id"] == "dev-1"
    assert headers["X-Protocol-Version"] == str(PROTOCOL_VERSION)
    assert headers["Authorization"] == "Bearer tok"
    assert client.reached_server


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        (raw_answer(200, "text/html", b"<html>portal</html>"), FailureKind.CAPTIVE_PORTAL),
        (raw_answer(302, "text/html", b""), FailureKind.CAPTIVE_PORTAL),
        (json_answer(200, {"hello": "portal"}), FailureKind.CAPTIVE_PORTAL),
        (json_answer(200, ["a", "list"]), FailureKind.CAPTIVE_PORTAL),
        (raw_answer(200, "application/json", b'{"user": {"usern', length=500), FailureKind.NETWORK),
        (raw_answer(200, "application/json", b'{"user": {"usern'), FailureKind.NETWORK),
        (raw_answer(503, "text/html", b"<h1>Bad gateway</h1>"), FailureKind.SERVER),
        (raw_answer(404, "text/html", b"<h1>Not found</h1>"), FailureKind.CAPTIVE_PORTAL),
        (
            json_answer(401, {"error": {"code": "token_expired", "zh": "过期", "en": "expired"}}),
            FailureKind.AUTH,
        ),
        (
            json_answer(400, {"error": {"code": "protocol_mismatch", "zh": "协议", "en": "proto"}}),
            FailureKind.PROTOCOL,
        ),
        (
            json_answer(500, {"error": {"code": "internal_error", "zh": "内部", "en": "internal"}}),
            FailureKind.SERVER,
        ),
        (json_answer(401, {"detail": "not ours"}), FailureKind.CAPTIVE_PORTAL),
    ],
)
def test_anything_but_our_json_fails(scripted: Scripted, answer: Answer, kind: FailureKind) -> None:
    scripted.answer = answer
    client = scripted.client(retries=0)
    err = kind_of(client.me)
    assert err.kind is kind, err
    assert client.reached_server is (
        kind in (FailureKind.AUTH, FailureKind.PROTOCOL) or err.code == "internal_error"
    )


def test_batch_needs_one_result_per_item(scripted: Scripted) -> None:
    scripted.answer = json_answer(
        200,
        {
            "server_time": "2025-01-01T00:00:00Z",
            "results": [
                {
                    "version_uuid": "v1",
                    "status": "accepted",
                    "code": "accepted",
                    "message_zh": "",
                    "message_en": "",
                }
            ],
        },
    )
    client = scripted.client()
    items = [{"version_uuid": "v1"}, {"version_uuid": "v2"}]
    assert (
        kind_of(lambda: client.push_batch(items, datetime.now(UTC))).kind
        is FailureKind.CAPTIVE_PORTAL
    )
    body_time = client.push_batch(items[:1], datetime.now(UTC)).server_time
    assert body_time.year == 2025


def test_request_errors_keep_the_servers_extras(scripted: Scripted) -> None:
    scripted.answer = json_answer(
        409, {"error": {"code": "offset_mismatch", "zh": "位置", "en": "offset", "received": 65536}}
    )
    err = kind_of(lambda: scripted.client().put_photo_chunk("ab" * 32, 0, 10, b"x"))
    assert err.kind is FailureKind.REQUEST and err.extra["received"] == 65536


def test_only_idempotent_requests_are_retried(scripted: Scripted) -> None:
    scripted.answer = raw_answer(502, "text/html", b"bad gateway")
    client = scripted.client(retries=2)
    assert kind_of(client.me).kind is FailureKind.SERVER
    assert len(scripted.requests) == 3  # GET: first try and two retries
    scripted.requests.clear()
    assert kind_of(lambda: client.push_batch([], datetime.now(UTC))).kind is FailureKind.SERVER
    assert len(scripted.requests) == 1  # POST: never repeated by the client


def test_refused_and_silent_servers_are_network_failures() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = SyncClient(f"http://127.0.0.1:{port}", device_id="d", token="t", retries=0)
    assert kind_of(client.me).kind is FailureKind.NETWORK
    with socket.socket() as silent:  # accepts, never answers: the read timeout ends it
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        client = SyncClient(
            f"http://127.0.0.1:{silent.getsockname()[1]}",
            device_id="d",
            token="t",
            retries=0,
            timeouts=Timeouts(1, 0.3),
        )
        assert kind_of(client.me).kind is FailureKind.NETWORK


def test_skew_is_device_minus_server_time(scripted: Scripted) -> None:
    server_now = datetime.now(UTC)
    scripted.answer = json_answer(200, {**ME, "server_time": server_now.isoformat()})
    client = scripted.client(clock=lambda: datetime.now(UTC) + timedelta(hours=-3))
    client.me()
    assert client.clock_skew_seconds is not None
    assert abs(client.clock_skew_seconds + 3 * 3600) < 5
    assert client.server_time == server_now


def test_no_token_is_an_auth_failure(scripted: Scripted) -> None:
    client = SyncClient(scripted.url, device_id="d")
    assert kind_of(client.me).kind is FailureKind.AUTH
    assert scripted.requests == []


def test_batches_go_gzip_only_to_a_server_that_says_it_unpacks_them(scripted: Scripted) -> None:
    items = [{"version_uuid": f"v{i}", "content": {"narrative": "山洪" * 40}} for i in range(5)]
    results = {
        "server_time": "2025-01-01T00:00:00Z",
        "results": [
            {
                "version_uuid": i["version_uuid"],
                "status": "accepted",
                "code": "accepted",
                "message_zh": "",
                "message_en": "",
            }
            for i in items
        ],
    }
    scripted.answer = json_answer(200, results)  # an older server: says nothing
    client = scripted.client()
    client.push_batch(items, datetime.now(UTC))
    client.push_batch(items, datetime.now(UTC))
    assert all("Content-Encoding" not in h for _, _, h in scripted.requests)
    scripted.answer = json_answer(200, results, {"X-Accept-Request-Encoding": "gzip"})
    client.push_batch(items, datetime.now(UTC))  # learns it here
    client.push_batch(items, datetime.now(UTC))
    assert scripted.requests[-1][2]["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(scripted.bodies[-1]))["items"] == items
    scripted.answer = json_answer(200, results)  # a server that stops saying so
    client.push_batch(items, datetime.now(UTC))
    client.push_batch(items, datetime.now(UTC))
    assert "Content-Encoding" not in scripted.requests[-1][2]


def test_a_busy_server_is_asked_once_and_says_when_to_come_back(scripted: Scripted) -> None:
    busy = {"error": {"code": "busy", "zh": "繁忙", "en": "busy", "retry_after": 17}}
    scripted.answer = json_answer(503, busy, {"Retry-After": "17"})
    client = scripted.client(retries=2)
    err = kind_of(client.me)
    assert (err.kind, err.code, err.retry_after) == (FailureKind.SERVER, "busy", 17.0)
    assert len(scripted.requests) == 1  # a GET too: asking again at once adds to the herd
    scripted.answer = json_answer(503, busy, {"Retry-After": "86400"})
    assert kind_of(client.me).retry_after == 300.0  # capped
    scripted.answer = json_answer(503, busy, {"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"})
    assert kind_of(client.me).retry_after is None  # the date form: the app's own backoff

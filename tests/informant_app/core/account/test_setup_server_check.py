"""The set-up page's connection test: each way of not reaching the server has its own answer."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from informant_app.core.account.server_check import (
    ServerCheckKind,
    check_server,
    normalize_server_url,
)
from sync.client.api import Timeouts

QUICK = Timeouts(connect=2.0, read=1.0)


@pytest.mark.parametrize(
    ("typed", "url"),
    [
        ("http://192.168.1.10:8765/", "http://192.168.1.10:8765"),
        ("  192.168.1.10:8765 ", "http://192.168.1.10:8765"),
        ("https://zaiqing.example.cn/city", "https://zaiqing.example.cn/city"),
        ("", None),
        ("http://", None),
        ("ftp://x", None),
        ("http://a b", None),
        ("http://[::1]:8765", "http://[::1]:8765"),
        ("不是地址", None),
        ("http://host:99999", None),
        ("http://host:port", None),
        ("http://h/?q=1", None),
    ],
)
def test_addresses_are_read_generously(typed: str, url: str | None) -> None:
    assert normalize_server_url(typed) == url


def test_a_bad_address_is_not_tried() -> None:
    found = check_server("not an address")
    assert found.kind is ServerCheckKind.BAD_ADDRESS and not found.reachable


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_closed_port_is_refused() -> None:
    found = check_server(f"127.0.0.1:{closed_port()}", QUICK)
    assert found.kind is ServerCheckKind.REFUSED
    assert found.url.startswith("http://127.0.0.1:")


def test_a_silent_server_times_out() -> None:
    with socket.socket() as listener:  # accepts connections (the backlog) but never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        found = check_server(f"http://127.0.0.1:{listener.getsockname()[1]}", QUICK)
    assert found.kind is ServerCheckKind.TIMEOUT


def test_an_unknown_host() -> None:
    found = check_server("http://no-such-host.invalid:8765", QUICK)
    assert found.kind in (ServerCheckKind.UNKNOWN_HOST, ServerCheckKind.UNREACHABLE)


class _Portal(BaseHTTPRequestHandler):
    status = 200
    body = b"<html><body>Please sign in to the hotel Wi-Fi</body></html>"
    ctype = "text/html"

    def do_GET(self) -> None:
        self.send_response(self.status)
        self.send_header("Content-Type", self.ctype)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *_args: object) -> None:
        pass


class _Broken(_Portal):
    status = 502
    body = b"Bad gateway"
    ctype = "text/plain"


def serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def portal() -> Iterator[str]:
    yield from serve(_Portal)


@pytest.fixture
def broken() -> Iterator[str]:
    yield from serve(_Broken)


def test_a_captive_portal_is_not_our_server(portal: str) -> None:
    assert check_server(portal, QUICK).kind is ServerCheckKind.NOT_OUR_SERVER


def test_a_failing_server(broken: str) -> None:
    assert check_server(broken, QUICK).kind is ServerCheckKind.SERVER_ERROR

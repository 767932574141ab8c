"""Every whole answer carries the SHA-256 of its body, and the client refuses one that differs.

A changed byte in a small plain answer (no gzip CRC) could still parse as JSON of the right
shape; the digest header makes it a network failure that is tried again.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from sync.client.api import BODY_DIGEST_HEADER, ClientError, FailureKind, SyncClient
from tests.server.factories import batch, content, item
from tests.server.world import World


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def test_plain_and_error_answers_carry_the_digest(client: TestClient, world: World) -> None:
    for response in (
        client.get("/health"),
        client.get("/api/v1/me"),
        client.get("/api/v1/me", headers=world.headers(client, "wafang_a")),
    ):
        assert response.headers[BODY_DIGEST_HEADER] == _digest(response.content)


def test_the_digest_covers_the_unpacked_json_of_a_gzip_answer(
    client: TestClient, world: World
) -> None:
    h = world.headers(client, "wafang_a")
    pushed = [item(content()) for _ in range(30)]
    r = client.post(
        "/api/v1/reports/batch",
        json=batch("dev-wafang_a", pushed),
        headers={**h, "Accept-Encoding": "gzip"},
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-encoding"] == "gzip"  # big enough to be compressed
    assert r.headers[BODY_DIGEST_HEADER] == _digest(r.content)  # the client unpacked it


class _Answer(http.server.BaseHTTPRequestHandler):
    body = b""
    digest = ""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.send_header(BODY_DIGEST_HEADER, self.digest)
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_server() -> Iterator[tuple[str, type[_Answer]]]:
    handler = type("Handler", (_Answer,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


def test_the_client_refuses_an_answer_changed_on_the_way(
    fake_server: tuple[str, type[_Answer]],
) -> None:
    url, handler = fake_server
    sent = json.dumps(
        {"status": "ok", "server_time": "2026-11-28T10:00:00Z", "protocol_version": 1}
    ).encode()
    handler.body, handler.digest = sent, _digest(sent)
    with SyncClient(url, device_id="d", retries=0) as client:
        assert client.health().status == "ok"  # the true digest passes
        handler.body = sent.replace(b"10:00", b"19:00")  # one digit changed on the way
        with pytest.raises(ClientError) as caught:
            client.health()
    assert caught.value.kind is FailureKind.NETWORK
    assert caught.value.code == "damaged_answer"
    assert "损坏" in caught.value.zh and "damaged" in caught.value.en

"""The client address: X-Forwarded-For counts only from a trusted proxy (issue 18)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from sync.server.clients import client_address
from sync.server.settings import Settings


def _client(settings: Settings, peer: str) -> TestClient:
    app = FastAPI()

    @app.get("/who")
    def who(request: Request) -> str:
        return client_address(request, settings)

    return TestClient(app, client=(peer, 50000))


def test_a_forged_forwarded_for_is_ignored_without_a_trusted_proxy() -> None:
    client = _client(Settings(), "127.0.0.1")
    assert client.get("/who", headers={"X-Forwarded-For": "6.6.6.6"}).json() == "127.0.0.1"


def test_a_trusted_proxy_names_the_real_client_and_forged_hops_before_it_do_not_count() -> None:
    settings = Settings(trusted_proxies=["10.0.0.0/8"])
    client = _client(settings, "10.0.0.5")
    # The attacker sent "6.6.6.6"; the proxy appended the address it saw.
    headers = {"X-Forwarded-For": "6.6.6.6, 203.0.113.9"}
    assert client.get("/who", headers=headers).json() == "203.0.113.9"
    # Proxies in a chain are skipped; a peer outside the trusted list is the client itself.
    headers = {"X-Forwarded-For": "203.0.113.9, 10.1.2.3"}
    assert client.get("/who", headers=headers).json() == "203.0.113.9"
    outsider = _client(settings, "198.51.100.7")
    assert outsider.get("/who", headers=headers).json() == "198.51.100.7"


def test_the_setting_reads_a_comma_separated_environment_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CITY_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")
    assert Settings().trusted_proxies == ["127.0.0.1", "10.0.0.0/8"]

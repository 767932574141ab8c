"""The real city server for the integration tests: ``city-server`` as a subprocess on 127.0.0.1.

One server per test session (SQLite in a temporary folder, the Baoshan sample): the shared
``CityServer`` of ``tests/support/city_server.py``.  The sample's accounts and passwords are read
from ``init --json``.  Tests may stop and start it (same database, same port); ``live_city``
starts it again.  Everything waits with a deadline.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.city_server import CityServer


@pytest.fixture(scope="session")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CityServer]:
    with CityServer(tmp_path_factory.mktemp("city")) as server:
        yield server


@pytest.fixture
def live_city(city: CityServer) -> CityServer:
    """The session's server, started again if a test left it stopped."""
    if not city.running:
        city.start()
    return city


@pytest.fixture(autouse=True)
def _token_in_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep tokens in the data folder, never in the developer's real keyring."""
    monkeypatch.setenv("INFORMANT_TOKEN_STORAGE", "file")

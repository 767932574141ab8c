"""Fixtures of the sync engine's and client's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.informant_app.core.sync.test_sync_client import Scripted


@pytest.fixture
def scripted() -> Iterator[Scripted]:
    """A scripted server on 127.0.0.1 (``Scripted``), shut down after the test."""
    s = Scripted()
    yield s
    s.server.shutdown()
    s.server.server_close()

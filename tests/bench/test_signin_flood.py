"""Issue 18: a short sign-in flood must not starve app-like sync (a regression guard).

``bench.signin_flood`` at a small size: 40 connections of bogus sign-ins for 5 s against a real
``city-server`` with the real Argon2 cost and the real sign-in throttling, while 5 signed-in
devices repeat ``GET /api/v1/changes``.  The bound is loose (the goal of issue 18 is p99 < 2 s
with 80 connections; the old server's p99 was 10.7 s): this guards against the flood reaching
the sync routes' threads or the database again, it is not a timing test.  Under ``make soak``
it floods with the bench's 80 connections for ``SOAK_ITERATIONS // 5`` seconds.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from bench import signin_flood
from tests.integration.helpers import soak_iterations

# A real server, real Argon2 and a 5 s flood: left out of `make test-fast`.
pytestmark = pytest.mark.slow

#: Sync requests' p99 under the flood must stay below this (seconds).
LOOSE_P99 = 5.0


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder: Path = tmp_path_factory.mktemp("signin_flood")
    soak = "SOAK_ITERATIONS" in os.environ
    seconds = soak_iterations(5, per=5)
    return signin_flood.run(folder, seconds=float(seconds), connections=80 if soak else 40)


def test_sync_keeps_working_under_a_sign_in_flood(figures: dict[str, Any]) -> None:
    assert figures["sync_requests"] >= 10, figures  # the devices did sync meanwhile
    assert figures["sync_failed"] == 0, figures
    assert figures["sync_p99_s"] < LOOSE_P99, figures


def test_the_flood_is_answered_429(figures: dict[str, Any]) -> None:
    status = figures["signin_status"]
    assert figures["signin_errors"] == 0, figures  # every try got an answer
    assert figures["signin_429"] > sum(status.values()) // 2, figures  # most never hashed
    assert set(status) <= {"401", "429"}, figures  # bogus names: never a token

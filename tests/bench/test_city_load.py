"""Issue 19, point 4 at quick sizes: the city's devices under Locust on PostgreSQL.

One quick run of ``bench.city_load`` (60 devices of the register, a short steady phase, a
short outage, the CPU phases; the app's calm interval and backoff compressed by the same
factor).  Locust runs in its own processes: this process never imports it.  Needs PostgreSQL:
skipped without it, failed under ``REQUIRE_POSTGRES=1``.
"""

from __future__ import annotations

import sys

import pytest

from bench.figures import Figure, Options

pytestmark = [pytest.mark.slow, pytest.mark.postgresql]

#: Lenient: the quick run shares two cores with the server, PostgreSQL and Locust.
P99_BOUND_MS = 5000.0


def by_name(figures: list[Figure], start: str) -> Figure:
    return next(f for f in figures if f.name.startswith(start))


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> list[Figure]:
    from tests.server.conftest import require_postgres

    require_postgres()
    from bench import city_load

    return city_load.run(Options(workdir=tmp_path_factory.mktemp("city"), quick=True))


def test_locust_stays_out_of_this_process(figures: list[Figure]) -> None:
    assert figures
    assert "locust" not in sys.modules


def test_the_register_is_the_population(figures: list[Figure]) -> None:
    size = by_name(figures, "PostgreSQL bytes per stored report version")
    assert size.details["accounts"] >= 1400  # the register's people (1,434), each with a post
    assert size.details["villages"] >= 900 and size.details["townships"] >= 70
    assert size.details["versions"] > 0 and size.value > 0


def test_steady_sync_has_no_errors_and_a_bounded_p99(figures: list[Figure]) -> None:
    steady = by_name(figures, "steady sync,")
    assert steady.value > 0
    assert steady.details["devices_synced"] == steady.details["devices"]  # every device synced
    kinds = steady.details["per_kind"]
    assert {"GET /me", "POST /reports/batch", "GET /changes (village)"} <= set(kinds)
    assert any(k.startswith("GET /changes (township") for k in kinds)
    assert by_name(figures, "steady errors").value == 0
    assert by_name(figures, "steady p99").value < P99_BOUND_MS


def test_every_device_is_back_after_a_short_outage(figures: list[Figure]) -> None:
    back = by_name(figures, "all devices synced again")
    assert back.details["failed_during_outage"] > 0  # the outage was felt
    assert back.details["devices_synced"] == back.details["devices"]
    assert back.details["not_synced"] == 0 and back.met
    assert by_name(figures, "errors after the return").value == 0


def test_cpu_per_request_kind_is_measured(figures: list[Figure]) -> None:
    kinds = by_name(figures, "server CPU per request, GET /me").details["cpu_per_kind"]
    for kind in ("GET /me", "POST /reports/batch", "GET /changes (village)"):
        assert kinds[kind]["requests"] > 0 and kinds[kind]["errors"] == 0, kinds[kind]
        assert kinds[kind]["cpu_ms"] > 0, kinds[kind]


def test_the_province_projection_is_computed(figures: list[Figure]) -> None:
    from bench.city_load import project_province

    projected = project_province(figures)
    assert [f.name for f in projected] == [
        f.name for f in figures if f.name.startswith("province projection")
    ]
    steady_cores = by_name(projected, "province projection: server CPU").value
    needed = by_name(projected, "province projection: cores needed").value
    assert 0 < steady_cores <= needed
    assert by_name(projected, "province projection: PostgreSQL size").value > 0

"""Issue 8 parts 1 and 2 at small sizes: ratios only, never absolute times.

Push: the real sync engine against the direct insert (the server's ingest, one transaction)
and against a naive client posting one report per request, on SQLite and, when it can be
reached, PostgreSQL (skipped without it, failed under ``REQUIRE_POSTGRES=1``).  Wire: bytes
per report in both directions against the gzip size of the report.  The margins sit well
below what a quiet 2-core machine measures (BENCHMARKS.md), so a busy CI box passes and a
real regression (a query per item, an uncompressed feed) fails.
"""

from __future__ import annotations

import pytest

from bench import push, wire
from bench.figures import Figure

# Benchmarks at quick sizes: minutes of work, left out of `make test-fast`.
pytestmark = pytest.mark.slow

#: Reports pushed end to end (and inserted directly), and posted one by one.
PUSHED, NAIVE = 400, 100
#: Reports pushed and pulled through the counting proxy.
WIRE = 200
#: End to end at least this share of the direct insert.  Measured at these sizes on a busy
#: 2-core machine: 0.24–0.41 (SQLite); a statement per version on the device, as before the
#: batched ``apply_states``, gave 0.09.  Pipelined (issue 19), at ``--quick`` sizes with a load
#: average of 8 on 2 cores: 0.43 SQLite, 1.05 PostgreSQL; load 1.7-3.4: SQLite 0.57-0.69,
#: PostgreSQL 0.54-1.9; load 8.4: SQLite 0.16 (the direct insert, one process, suffers least).
MIN_OF_DIRECT = 0.12
#: End to end at least this many times the naive client (measured 10.6–26 on a busy machine).
MIN_OVER_NAIVE = 4.0
#: Bytes per report at most this many times its gzip size (measured 0.19 push, 0.26 pull;
#: 2.1 and 2.8 without compression on the wire; the goal is 1.3).  Bytes do not depend on load.
MAX_OVER_GZIP = 0.8


@pytest.fixture(scope="module", params=["SQLite", "PostgreSQL"])
def push_figures(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> list[Figure]:
    if request.param == "PostgreSQL":
        from tests.server.conftest import require_postgres

        require_postgres()
    return push.measure(tmp_path_factory.mktemp("push"), request.param, PUSHED, NAIVE)


@pytest.fixture(scope="module")
def wire_figures(tmp_path_factory: pytest.TempPathFactory) -> list[Figure]:
    return wire.measure(tmp_path_factory.mktemp("wire"), WIRE)


def _against(figures: list[Figure], compared_with: str) -> Figure:
    return next(f for f in figures if f.compared_with.startswith(compared_with))


def test_push_keeps_up_with_the_direct_insert(push_figures: list[Figure]) -> None:
    figure = _against(push_figures, "direct insert")
    assert figure.ratio is not None
    assert figure.ratio >= MIN_OF_DIRECT, (figure.ratio, figure.details)


def test_push_is_pipelined(push_figures: list[Figure]) -> None:
    """The figure is the pipelined push's (issue 19): the next batch goes while one commits."""
    assert _against(push_figures, "direct insert").details["pipelined"] is True


def test_push_beats_one_report_per_request(push_figures: list[Figure]) -> None:
    figure = _against(push_figures, "naive client")
    assert figure.ratio is not None
    assert figure.ratio >= MIN_OVER_NAIVE, (figure.ratio, figure.details)


def test_bytes_per_report_stay_near_gzip(wire_figures: list[Figure]) -> None:
    for figure in wire_figures:
        assert figure.ratio is not None
        assert figure.ratio <= MAX_OVER_GZIP, (figure.name, figure.ratio, figure.details)

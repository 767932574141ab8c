"""Issue 8 part 4 at quick sizes: ratios only, never absolute times.

The local store (5,000 reports against 100) also checks the app's ``INFORMANT_BENCH_READY``
hook: the start-up figures come from it.  The many-devices part (issue 8 part 5) is now the
Locust city load of issue 19: ``tests/bench/test_city_load.py``.
"""

from __future__ import annotations

import pytest

from bench import local_store
from bench.figures import Figure, Options

# Benchmarks at quick sizes: minutes of work, left out of `make test-fast`.
pytestmark = pytest.mark.slow


def by_name(figures: list[Figure], start: str) -> Figure:
    return next(f for f in figures if f.name.startswith(start))


@pytest.fixture(scope="module")
def store_figures(tmp_path_factory: pytest.TempPathFactory) -> list[Figure]:
    return local_store.run(Options(workdir=tmp_path_factory.mktemp("store"), quick=True))


def test_the_app_reports_its_first_page_and_starts_about_as_fast_on_5000(
    store_figures: list[Figure],
) -> None:
    startup = by_name(store_figures, "start-up")
    assert startup.details["listed"] == local_store.QUICK_BIG  # the hook saw the whole list
    # The best runs (interleaved): a run only ever loses time to a busy machine, and the test
    # suite keeps both cores busy.
    best = min(startup.details["runs_s"]) / min(startup.details["small_runs_s"])
    assert best <= 2.0, startup.details


def test_filtering_and_opening_scale_gently(store_figures: list[Figure]) -> None:
    for start in ("filter change", "opening a report"):
        figure = by_name(store_figures, start)
        assert figure.ratio is not None and figure.ratio <= 5.0, figure


def test_memory_does_not_grow_with_the_store(store_figures: list[Figure]) -> None:
    memory = by_name(store_figures, "app peak memory")
    assert memory.ratio is not None and memory.ratio <= 1.5


def test_the_hook_does_nothing_without_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    from informant_app.app import BENCH_READY_ENV, bench_ready_hook

    monkeypatch.delenv(BENCH_READY_ENV, raising=False)
    bench_ready_hook(None, None)  # type: ignore[arg-type]  # returns before touching either

"""Issue 8 part 3 at small sizes: the weak link, ratios only, never absolute times.

``bench.weak_link`` in its quick form: 5 reports with a 40 KB photo each through the shaping
proxy at 256 kbit/s with 100 ms round trips (16 KiB chunks), once clean and once with every
connection reset every 1.5 s.  The default run (64 kbit/s, 400 ms, 50 reports) measures a
time ratio of ≈ 1.2; the margin here (2 ×) is for a busy CI box.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import weak_link
from bench.figures import Figure, Options

# Benchmarks at quick sizes: minutes of work, left out of `make test-fast`.
pytestmark = pytest.mark.slow

#: Total time at most this many times the link's own limit (goal 1.5 at the issue's sizes).
MAX_OVER_LINK_LIMIT = 2.0


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Figure]:
    workdir: Path = tmp_path_factory.mktemp("weak_link")
    with pytest.MonkeyPatch.context() as mp:  # tokens in the data folder, not a keyring
        mp.setenv("INFORMANT_TOKEN_STORAGE", "file")
        found = weak_link.run(Options(workdir, quick=True, postgres=False))
    return {f.name: f for f in found}


def by_start(figures: dict[str, Figure], prefix: str) -> Figure:
    return next(f for name, f in figures.items() if name.startswith(prefix))


def test_all_figures_reach_the_server_before_the_first_photo(figures: dict[str, Figure]) -> None:
    f = by_start(figures, "last report's figures")
    assert f.comparison is not None
    assert f.value < f.comparison, f
    assert f.details["with_resets"]["ordered"], f.details


def test_sync_time_stays_near_the_link_limit(figures: dict[str, Figure]) -> None:
    f = by_start(figures, "total sync time")
    assert f.ratio is not None
    assert f.ratio <= MAX_OVER_LINK_LIMIT, f
    assert f.details["bytes_up"] >= f.details["payload_bytes"]  # the photos did cross the link


def test_a_reset_costs_at_most_one_chunk(figures: dict[str, Figure]) -> None:
    f = by_start(figures, "re-sent bytes per connection reset")
    assert f.details["resets"] >= 2, f.details  # resets did cut the uploads
    assert f.value <= f.details["chunk_bytes"] + weak_link.REQUEST_OVERHEAD, f

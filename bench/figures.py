"""A measured figure, its comparison and its goal, and how the runner prints them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Figure:
    """One measured figure beside what it is compared with.

    Attributes:
        part: the benchmark it belongs to ("push", "wire", "weak_link", "local_store",
            "devices").
        name: what was measured, e.g. "end-to-end push, SQLite".
        value: the measurement.
        unit: its unit ("reports/s", "bytes/report", "s", "ms", "MiB", …).
        compared_with: what it is compared with, e.g. "direct insert, one transaction".
        comparison: the comparison's value in the same unit (``None`` for a bare figure).
        goal: the goal in words, e.g. "≥ 0.5 × direct insert".
        met: whether the goal is met (``None`` when the figure has no goal).
        ratio: value / comparison, when both are given.
        details: anything else worth keeping in the JSON (sizes, counts, p50/p99 …).
    """

    part: str
    name: str
    value: float
    unit: str
    compared_with: str = ""
    comparison: float | None = None
    goal: str = ""
    met: bool | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """Return value / comparison, when there is a comparison."""
        if self.comparison in (None, 0):
            return None
        return self.value / float(self.comparison or 1)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form (with the ratio)."""
        return {**asdict(self), "ratio": self.ratio}


def _number(value: float | None) -> str:
    if value is None:
        return ""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.4f}"


def table(figures: list[Figure]) -> str:
    """Return the figures as a plain-text table, one line each."""
    header = (
        "part",
        "figure",
        "value",
        "unit",
        "compared with",
        "comparison",
        "ratio",
        "goal",
        "met",
    )
    rows = [header]
    for f in figures:
        met = "" if f.met is None else ("yes" if f.met else "NO")
        rows.append(
            (
                f.part,
                f.name,
                _number(f.value),
                f.unit,
                f.compared_with,
                _number(f.comparison),
                _number(f.ratio),
                f.goal,
                met,
            )
        )
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(header))]
    lines = [
        "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


@dataclass(frozen=True)
class Options:
    """What the runner asks of every benchmark module's ``run(options) -> list[Figure]``.

    Attributes:
        workdir: a fresh folder the module may fill (servers, stores).
        quick: the small sizes of the test suite's ratio checks (seconds, not minutes).
        full: the issue's full sizes where the default run scales them down (e.g. the weak
            link's 300 KB photos at 64 kbit/s take half an hour).
        postgres: measure on PostgreSQL too (127.0.0.1:5432).
    """

    workdir: Any
    quick: bool = False
    full: bool = False
    postgres: bool = True

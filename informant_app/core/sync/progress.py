"""Throttling progress reports (Qt-free): a fast loop must not flood a terminal or the GUI.

The values are ``core.sync.types.Progress``; see there for who reports what.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from informant_app.core.sync.types import Phase, Progress, ProgressCallback


class Throttle:
    """Passes reports on at most once per ``interval`` seconds.

    The first report, a change of phase and the last of a known total always pass.

    Args:
        callback: where the reports go.
        interval: the shortest time between two reports passed on.
        clock: monotonic seconds (injectable for tests).
    """

    def __init__(
        self,
        callback: ProgressCallback,
        interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._callback = callback
        self._interval = interval
        self._clock = clock
        self._last_at: float | None = None
        self._last_phase: Phase | None = None

    def __call__(self, progress: Progress) -> None:
        """Pass ``progress`` on unless one was passed on less than ``interval`` ago."""
        now = self._clock()
        if (
            self._last_at is None
            or progress.phase is not self._last_phase
            or progress.finished
            or now - self._last_at >= self._interval
        ):
            self._last_at = now
            self._last_phase = progress.phase
            self._callback(progress)

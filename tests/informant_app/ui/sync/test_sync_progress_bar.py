"""The status bar says what a round is doing, with counts, and a first sync shows a progress
bar (issue 17, item 14): a person can tell a slow link from a hang.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pytestqt.qtbot import QtBot

from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.types import Account, Phase, Progress, SyncStatus, Unit
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.sync.status import SyncStatusBar
from tests.informant_app.ui.helpers import submitted_report

Seed = Callable[[Callable[[ReportStore], Any]], Any]
Seen = tuple[Phase, str, bool]


def watched_bar(qtbot: QtBot, controller: SyncController) -> tuple[SyncStatusBar, list[Seen]]:
    """A status bar fed by ``controller`` as the window feeds it; what it showed per report."""
    bar = SyncStatusBar("en")
    qtbot.addWidget(bar)
    bar.show()
    controller.status_changed.connect(bar.set_status)
    controller.round_started.connect(lambda: bar.set_syncing(True))
    controller.round_finished.connect(bar.round_finished)
    seen: list[Seen] = []

    def shown(progress: Progress) -> None:
        bar.set_progress(progress)
        seen.append((progress.phase, bar.activity.text(), bar.progress_bar.isVisible()))

    controller.round_progress.connect(shown)
    return bar, seen


def test_a_first_sync_shows_counts_and_a_progress_bar(
    qtbot: QtBot,
    sign_in_as: Callable[..., Account],
    seed: Seed,
    make_controller: Callable[..., SyncController],
) -> None:
    sign_in_as("wafang_a")
    for _ in range(3):
        seed(submitted_report)
    controller = make_controller(start=False)
    bar, seen = watched_bar(qtbot, controller)
    with qtbot.waitSignal(controller.round_finished, timeout=30_000) as finished:
        controller.start()
    assert finished.args is not None and finished.args[0].ok
    assert (Phase.PUSH, "Sending 3 of 3…", True) in seen
    pulls = [s for s in seen if s[0] is Phase.PULL]
    assert pulls and all(visible for _p, _t, visible in pulls)
    assert all(re.fullmatch(r"Receiving, [\d,]+ versions so far…", t) for _p, t, _v in pulls)
    # the round over, the counts and the bar go
    assert not bar.activity.isVisible() and not bar.progress_bar.isVisible()

    seen.clear()  # a later round is no first sync: counts, no bar
    with qtbot.waitSignal(controller.round_finished, timeout=30_000):
        controller.sync_now()
    assert seen and not any(visible for _p, _t, visible in seen)


def test_progress_words_and_the_bar_range(qtbot: QtBot) -> None:
    bar = SyncStatusBar("en")
    qtbot.addWidget(bar)
    bar.show()
    bar.set_status(SyncStatus(True, True, None, 480, 0, 0, 0))
    bar.set_progress(Progress(Phase.PUSH, 1, 2))
    assert not bar.activity.isVisible()  # no round: nothing shown
    bar.set_syncing(True)
    bar.set_progress(Progress(Phase.PUSH, 120, 480, Unit.VERSIONS))
    assert bar.activity.text() == "Sending 120 of 480…"
    assert bar.progress_bar.isVisible() and bar.progress_bar.value() == 250
    bar.set_progress(Progress(Phase.PHOTOS, 1_200_000, 3_400_000, Unit.BYTES))
    assert bar.activity.text() == "Uploading photos 1.2 of 3.4 MB…"
    bar.set_progress(Progress(Phase.PULL, 3200, None, Unit.CHANGES, first=True))
    assert bar.activity.text() == "Receiving, 3,200 versions so far…"
    assert (bar.progress_bar.minimum(), bar.progress_bar.maximum()) == (0, 0)  # busy
    bar.set_syncing(False)
    assert not bar.activity.isVisible() and not bar.progress_bar.isVisible()

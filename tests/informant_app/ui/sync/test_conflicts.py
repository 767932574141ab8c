"""A and B revise the same report offline: both see the two versions and choose per field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportFilter, ReportState
from informant_app.core.sync.engine import SyncEngine, open_conflicts, sign_in
from informant_app.core.sync.types import Account, Conflict, ConflictSide
from informant_app.ui.sync.conflict_dialog import ConflictDialog
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.window.main_window import MainWindow
from tests.informant_app.ui.helpers import state_of, submitted_report, valid_content
from tests.support.city_server import CityServer

Call = Callable[[Callable[[ReportStore], Any]], Any]
Seed = Callable[[Callable[[ReportStore], Any]], Any]


def revise(store: ReportStore, report_uuid: str, **changes: Any) -> str:
    draft = store.revise(report_uuid)
    content = dict(draft.content)
    content.update(changes)
    store.save_draft(draft.version_uuid, content)
    result = store.submit(draft.version_uuid)
    assert result.ok, result.issues
    return draft.version_uuid


def synced(store: ReportStore) -> None:
    summary = SyncEngine(store).run_round()
    assert summary.ok, summary.problem


FIGURES = {"affected_pop": 120, "crop_affected_ha": 30, "crop_damaged_ha": 10, "crop_failed_ha": 5}


def test_b_resolves_a_conflict_choosing_per_field(
    qtbot: QtBot,
    tmp_path: Path,
    city_server: CityServer,
    sign_in_as: Callable[..., Account],
    seed: Seed,
    call: Call,
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    # A files a report; B's device pulls it
    with ReportStore.open(tmp_path / "device-a") as a:
        sign_in(a, city_server.url, "wafang_a", city_server.password("wafang_a"))
        first = submitted_report(a)
        report_uuid = next(
            r.report_uuid for r in a.report_rows(ReportFilter(), 0, 10) if r.version_uuid == first
        )
        synced(a)
    sign_in_as("wafang_b")
    seed(synced)
    # both revise while offline; A's version reaches the server first
    with ReportStore.open(tmp_path / "device-a") as a:
        revise(a, report_uuid, figures={**FIGURES, "affected_pop": 150})
        synced(a)
    seed(
        lambda b: revise(
            b,
            report_uuid,
            figures={**FIGURES, "affected_pop": 200},
            narrative="B: the river bank broke at noon.",
        )
    )
    seed(synced)
    conflicts: list[Conflict] = seed(open_conflicts)
    assert [c.report_uuid for c in conflicts] == [report_uuid]

    controller = make_controller()
    window = make_window("en", sync=controller)
    model = window.model

    def state_shown() -> ReportState | None:
        line = model.row_of(report_uuid)
        return None if line is None else model.row_at(line).state

    qtbot.waitUntil(lambda: state_shown() is ReportState.CONFLICT, timeout=30_000)
    actions = window.sync_actions
    assert actions is not None
    line = model.row_of(report_uuid)
    assert line is not None
    window.table.selectRow(line)
    assert actions.act_resolve.isEnabled() and not actions.act_retry.isEnabled()
    assert "compare the two versions" in window.detail.text()
    with qtbot.waitSignal(actions.dialog_opened) as opened:
        rect = window.table.visualRect(model.index(line, 2))
        QTest.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        QTest.mouseDClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = opened.args[0]
    assert isinstance(dialog, ConflictDialog)
    conflict = dialog.conflict
    assert {"figures.affected_pop", "narrative"} <= set(dialog.differing_keys())
    ours, theirs = dialog.radios["figures.affected_pop"]
    assert (ours.text(), theirs.text()) == ("200", "150")
    assert ours.isChecked()  # mine by default

    QTest.mouseClick(
        theirs,
        Qt.MouseButton.LeftButton,  # A's figure, B's narrative
        pos=QPoint(14, theirs.height() // 2),
    )
    assert theirs.isChecked()
    expected = {key: conflict.ours.version_uuid for key in dialog.differing_keys()}
    expected["figures.affected_pop"] = conflict.theirs.version_uuid
    assert dialog.choices() == expected
    with qtbot.waitSignal(controller.round_finished, timeout=30_000):
        QTest.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: state_shown() is ReportState.RECEIVED, timeout=30_000)
    row = model.row_at(model.row_of(report_uuid) or 0)
    content = call(lambda store: store.version_content(row.version_uuid))
    assert content.figures["affected_pop"] == 150
    assert content.narrative == "B: the river bank broke at noon."
    assert call(open_conflicts) == []
    assert call(lambda store: state_of(store, row.version_uuid)) is ReportState.RECEIVED


def side(uuid: str, no: int, who: str, content: dict[str, Any]) -> ConflictSide:
    return ConflictSide(uuid, no, who, datetime(2024, 6, 2, 8, 30, tzinfo=UTC), content)


def test_the_dialog_shows_every_indicator_and_highlights_what_differs(qtbot: QtBot) -> None:
    base = valid_content(
        {
            "report_uuid": "r1",
            "event_uuid": "e1",
            "stage": "initial",
            "occurred_at": "2024-06-01T10:00:00Z",
            "data_cutoff_at": "2024-06-01T12:00:00Z",
        }
    )
    theirs_content = {
        **base,
        "figures": {**base["figures"], "deaths": 1},
        "emergency_response": True,
    }
    conflict = Conflict(
        "r1",
        side("v-ours", 3, "wafang_b", base),
        side("v-theirs", 3, "wafang_a", theirs_content),
        ("figures.deaths", "emergency_response"),
    )
    dialog = ConflictDialog(conflict, "en")
    qtbot.addWidget(dialog)
    dialog.show()
    labels = [row.label for row in dialog.rows]
    assert "People affected (persons)" in labels
    assert "Direct economic loss (10k CNY)" in labels
    assert len([r for r in dialog.rows if r.key.startswith("figures.")]) == 37
    assert dialog.differing_keys() == ["emergency_response", "figures.deaths"]
    ours, theirs = dialog.radios["figures.deaths"]
    assert (ours.text(), theirs.text()) == ("—", "1")
    assert ours.property("differs") is True

    dialog.choose_all("v-theirs")
    assert dialog.choices() == {"emergency_response": "v-theirs", "figures.deaths": "v-theirs"}
    QTest.mouseClick(dialog.keep_mine, Qt.MouseButton.LeftButton)
    assert set(dialog.choices().values()) == {"v-ours"}

    dialog.only_differences.setChecked(True)
    assert dialog.shown_keys() == ["emergency_response", "figures.deaths"]

"""A refused version shows the server's message and can be retried; photos show progress."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState
from informant_app.core.sync.types import Account
from informant_app.ui.reports.table_model import Column
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.window.main_window import MainWindow
from tests.informant_app.ui.helpers import report_of, state_of, submitted_report, valid_content

Call = Callable[[Callable[[ReportStore], Any]], Any]
Seed = Callable[[Callable[[ReportStore], Any]], Any]
REFUSAL = "the village is outside your jurisdiction"


def refused_report(store: ReportStore) -> str:
    version = submitted_report(store)
    store.set_state(version, ReportState.ERROR, REFUSAL)
    return version


def test_retry_puts_a_refused_version_back_and_sends_it(
    qtbot: QtBot,
    sign_in_as: Callable[..., Account],
    seed: Seed,
    call: Call,
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    sign_in_as("wafang_a")
    version = seed(refused_report)
    controller = make_controller()
    window = make_window("en", sync=controller)
    report = call(lambda store: report_of(store, version))
    qtbot.waitUntil(
        lambda: window.model.row_of(report) is not None and not controller.running, timeout=30_000
    )
    actions = window.sync_actions
    assert actions is not None
    assert not actions.act_retry.isEnabled()
    line = window.model.row_of(report)
    assert line is not None
    state = window.model.index(line, Column.STATE)
    assert state.data(Qt.ItemDataRole.ToolTipRole) == REFUSAL

    window.table.selectRow(line)
    menu = window.context_menu()
    assert actions.act_retry in menu.actions() and actions.act_resolve in menu.actions()
    menu.deleteLater()
    assert actions.act_retry.isEnabled() and not actions.act_resolve.isEnabled()
    assert f"The server refused this version: {REFUSAL}." in window.detail.text()
    assert window.detail.toolTip() == REFUSAL

    with qtbot.waitSignal(controller.round_finished, timeout=30_000) as finished:
        actions.act_retry.trigger()
    assert finished.args[0].pushed == 1
    assert call(lambda store: state_of(store, version)) is ReportState.RECEIVED
    qtbot.waitUntil(
        lambda: (row := window.selected_row()) is not None and row.state is ReportState.RECEIVED
    )
    assert not actions.act_retry.isEnabled()
    assert window.detail.text().startswith("Received by the server.")


def with_photo(tmp_path: Path) -> Callable[[ReportStore], str]:
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#4a90d9"))
    path = tmp_path / "flood.png"
    assert image.save(str(path))

    def file(store: ReportStore) -> str:
        draft = store.new_draft()
        store.save_draft(draft.version_uuid, valid_content(draft.content))
        store.add_photo(draft.version_uuid, path)
        assert store.submit(draft.version_uuid).ok
        return draft.version_uuid

    return file


def test_the_list_shows_how_many_photos_the_server_has(
    qtbot: QtBot,
    tmp_path: Path,
    qapp: QApplication,
    sign_in_as: Callable[..., Account],
    seed: Seed,
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    sign_in_as("wafang_a")
    report = seed(lambda store: report_of(store, with_photo(tmp_path)(store)))
    window = make_window("en")  # offline first: nothing received yet
    qtbot.waitUntil(lambda: window.model.rowCount() == 1 and not window.model.loading)
    photos = window.model.index(0, Column.PHOTOS)
    assert photos.data() == "0/1"
    assert photos.data(Qt.ItemDataRole.ToolTipRole) == "0 of 1 photos received by the server"
    window.table.selectRow(0)
    assert "0 of 1 photos received." in window.detail.text()
    window.close()

    controller = make_controller()
    online = make_window("en", sync=controller)

    def photos_shown() -> str | None:
        line = online.model.row_of(report)
        return None if line is None else online.model.index(line, Column.PHOTOS).data()

    qtbot.waitUntil(lambda: photos_shown() == "1/1", timeout=30_000)
    line = online.model.row_of(report)
    assert line is not None
    online.table.selectRow(line)
    assert "1 of 1 photos received." in online.detail.text()

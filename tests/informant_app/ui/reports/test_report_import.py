"""Importing a file from the window adds its reports as drafts and refreshes the list."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from informant_app.core.reports.exporting import export_document
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState
from informant_app.ui.window.main_window import MainWindow
from tests.informant_app.ui.helpers import PROFILE, submitted_report


def exported_file(tmp_path: Path) -> Path:
    with ReportStore.open(tmp_path / "elsewhere") as other:
        other.save_profile(PROFILE)
        submitted_report(other)
        submitted_report(other, figures={"affected_pop": 7})
        document = export_document(other)
    path = tmp_path / "reports.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_an_imported_file_shows_as_drafts(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    path = exported_file(tmp_path)
    with qtbot.waitSignal(window.importer.imported) as done:
        window.importer.import_path(path)
    assert done.args[0].imported == 2
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    assert {window.model.row_at(i).state for i in range(2)} == {ReportState.DRAFT}
    assert "Imported 2 report(s)" in window.statusBar().currentMessage()


def test_a_bad_file_is_refused_with_reasons(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"format": "something else"}', encoding="utf-8")
    with qtbot.waitSignal(window.errors.shown) as shown:
        window.importer.import_path(path)
    assert shown.args[0].startswith("Nothing was imported:\nfile, field format")
    assert window.model.rowCount() == 0

"""Long imports and exports show progress and can be cancelled, leaving nothing half-written
(issue 17, item 14).

The person clicks the dialog's real Cancel button while the job is under way: an import
cancelled while its records are checked writes nothing to the store; an export cancelled after
its file was written (to the temporary name) leaves no file at all.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from informant_app.core.reports.exporting import export_document
from informant_app.core.review.types import TownshipReport
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportFilter
from informant_app.core.sync.types import Phase, Progress
from informant_app.ui.common.errors import ErrorPresenter
from informant_app.ui.reports.import_action import ReportImporter
from informant_app.ui.tasks import progress as job_progress
from informant_app.ui.tasks.manager import TaskManager
from informant_app.ui.tasks.progress import ProgressDialog, ProgressRelay
from informant_app.ui.township import report_view
from informant_app.ui.township.report_view import TownshipReportView
from sync.contract import ReportStage
from tests.informant_app.ui.helpers import PROFILE, submitted_report

LEFT = Qt.MouseButton.LeftButton
RECORDS = 40


@pytest.fixture(autouse=True)
def show_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(job_progress, "SHOW_AFTER_MS", 0)


def import_file(tmp_path: Path) -> Path:
    with ReportStore.open(tmp_path / "elsewhere") as other:
        other.save_profile(PROFILE)
        for n in range(RECORDS):
            submitted_report(other, figures={"affected_pop": n + 1})
        document = export_document(other)
    path = tmp_path / "reports.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def dialog_of(parent: QWidget) -> ProgressDialog | None:
    return parent.findChild(ProgressDialog)


def test_an_import_cancelled_midway_leaves_the_store_unchanged(
    qtbot: QtBot,
    worker: TaskManager,
    call: Callable[[Callable[[ReportStore], Any]], Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = import_file(tmp_path)
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    importer = ReportImporter(worker, "en", window)
    reached = threading.Event()
    report = ProgressRelay.report

    def slow(relay: ProgressRelay, progress: Progress) -> None:
        report(relay, progress)
        if progress.phase is Phase.READ and progress.done == RECORDS // 2:
            reached.set()  # half the records checked: wait for the person
            assert relay._cancel.wait(20)

    monkeypatch.setattr(ProgressRelay, "report", slow)
    with qtbot.waitSignal(importer.cancelled, timeout=20_000) as cancelled:
        importer.import_path(path)
        dialog = dialog_of(window)
        assert dialog is not None and dialog.cancel_button is not None
        qtbot.waitUntil(lambda: reached.is_set() and dialog.isVisible(), timeout=20_000)
        qtbot.waitUntil(lambda: "Checking records" in dialog.labelText(), timeout=5_000)
        QTest.mouseClick(dialog.cancel_button, LEFT)
    assert cancelled.args == ["The import was cancelled; nothing was imported."]
    assert call(lambda store: store.count_reports(ReportFilter())) == 0
    qtbot.waitUntil(lambda: dialog_of(window) is None)  # the dialog is gone
    # the same file, not cancelled, imports whole (and shows its progress on the way)
    monkeypatch.setattr(ProgressRelay, "report", report)
    with qtbot.waitSignal(importer.imported, timeout=20_000) as imported:
        importer.import_path(path)
    assert imported.args is not None and imported.args[0].imported == RECORDS
    assert call(lambda store: store.count_reports(ReportFilter())) == RECORDS


def empty_report() -> TownshipReport:
    return TownshipReport(
        township_code="110113001",
        township_name="瓦房乡",
        event_uuid="2b8f0e4c-1a5b-4d7e-9a3c-6d2f1b0e7a55",
        event_name="暴雨",
        stage=ReportStage.INITIAL,
        villages=[],
        village_sum={},
        adjustments=[],
        total={},
        check_issues=[],
        fetched_at=datetime(2026, 7, 1, tzinfo=UTC),
        from_cache=False,
    )


def test_an_export_cancelled_leaves_no_file(
    qtbot: QtBot, worker: TaskManager, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    errors = ErrorPresenter(window, "en", None)
    view = TownshipReportView(worker, "en", errors, tmp_path, window)
    window.show()
    view.model.set_report(empty_report())
    folder = tmp_path / "exports"
    folder.mkdir()
    written = threading.Event()
    release = threading.Event()
    write_form = report_view.write_form

    def slow_write(form: Any, path: str, fmt: str) -> None:
        write_form(form, path, fmt)  # the whole file, under its temporary name
        written.set()
        assert release.wait(20)

    monkeypatch.setattr(report_view, "write_form", slow_write)
    shown: list[str] = []
    errors.shown.connect(shown.append)
    exported: list[str] = []
    view.exported.connect(exported.append)
    target = folder / "wafang.xlsx"
    view.export("xlsx", str(target))
    dialog = dialog_of(view)
    assert dialog is not None and dialog.cancel_button is not None
    qtbot.waitUntil(lambda: written.is_set() and dialog.isVisible(), timeout=20_000)
    assert next(p.name for p in folder.iterdir()).startswith(".wafang.partial-")
    QTest.mouseClick(dialog.cancel_button, LEFT)
    assert dialog.labelText() == "Cancelling…"
    release.set()
    qtbot.waitUntil(lambda: dialog_of(view) is None, timeout=20_000)
    qtbot.waitUntil(lambda: worker.pending == 0)
    assert list(folder.iterdir()) == []  # neither the file nor its temporary one
    assert exported == [] and shown == []
    # not cancelled, the file is written whole under its name
    release.set()
    with qtbot.waitSignal(view.exported, timeout=20_000):
        view.export("xlsx", str(target))
    assert [p.name for p in folder.iterdir()] == ["wafang.xlsx"]

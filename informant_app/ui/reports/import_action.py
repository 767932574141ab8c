"""Import a file of reports (the core's import format) from the window, on the ``db`` lane.

The import writes drafts into the store, so it runs on the one writer and announces
``Changes(reports=True)``: the window's list reloads on that notice.  A long import shows a
dialog with the records checked so far and a Cancel button (``ui/tasks/progress.py``);
cancelled, it writes nothing (the core stops before its one transaction).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from informant_app.core.reports.importing import (
    ImportRefusedError,
    ImportSummary,
    import_reports,
    read_document,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.types import CancelledError
from informant_app.ui.common import file_dialogs
from informant_app.ui.tasks.manager import Changes, TaskManager
from informant_app.ui.tasks.progress import ProgressDialog, ProgressRelay

#: Problems listed in the refusal message; the rest are counted.
SHOWN_PROBLEMS = 8


def _import(store: ReportStore, path: Path, relay: ProgressRelay) -> ImportSummary:
    return import_reports(
        store, read_document(path), progress=relay.report, cancelled=relay.cancelled
    )


class ReportImporter(QObject):
    """Reads and imports a file as drafts, all or nothing, then says what happened.

    Signals:
        imported(object): the file was imported; carries the ``ImportSummary``.
        refused(str): nothing was imported; carries the reasons in the user's language.
        cancelled(str): the person cancelled; nothing was imported (says so).
    """

    imported = Signal(object)
    refused = Signal(str)
    cancelled = Signal(str)

    def __init__(self, worker: TaskManager, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._lang = lang
        self.progress: ProgressDialog | None = None  # the import under way

    def choose_and_import(self, parent: QWidget) -> None:
        """Ask for a file and import it."""
        name = file_dialogs.open_file_name(
            parent,
            self.tr("Import reports"),
            self.tr("Report files (*.json);;All files (*)"),
            purpose="report import",
        )
        if name:
            self.import_path(Path(name))

    def import_path(self, path: Path, parent: QWidget | None = None) -> None:
        """Import the file at ``path`` as drafts (reading it on the worker).

        A dialog over ``parent`` (by default the importer's window) shows the progress of a
        long import and offers Cancel.
        """
        relay = ProgressRelay()
        window = self.parent()
        over = parent or (window if isinstance(window, QWidget) else None)
        dialog = ProgressDialog(self.tr("Importing reports"), relay, over)
        self.progress = dialog

        def done(summary: ImportSummary) -> None:
            self._finished(dialog)
            self.imported.emit(summary)

        def failed(exc: BaseException) -> None:
            self._finished(dialog)
            self._on_error(exc)

        self._worker.run(
            lambda store: _import(store, path, relay),
            on_done=done,
            on_error=failed,
            owner=self,
            changes=Changes(reports=True),
        )

    def _finished(self, dialog: ProgressDialog) -> None:
        dialog.finish()
        if self.progress is dialog:
            self.progress = None

    def _on_error(self, exc: BaseException) -> None:
        if isinstance(exc, CancelledError):
            self.cancelled.emit(self.tr("The import was cancelled; nothing was imported."))
            return
        if not isinstance(exc, ImportRefusedError):
            self._worker.failed.emit(exc)
            return
        lines = [p.message(self._lang) for p in exc.problems[:SHOWN_PROBLEMS]]
        more = len(exc.problems) - SHOWN_PROBLEMS
        if more > 0:
            lines.append(self.tr("… and {count} more").format(count=more))
        self.refused.emit(self.tr("Nothing was imported:") + "\n" + "\n".join(lines))

"""Import a file of reports (the core's import format) from the window, on the ``db`` lane.

The import writes drafts into the store, so it runs on the one writer and announces
``Changes(reports=True)``: the window's list reloads on that notice.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from informant_app.core.reports.importing import (
    ImportRefusedError,
    ImportSummary,
    import_reports,
    read_document,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.ui.tasks.manager import Changes, TaskManager

#: Problems listed in the refusal message; the rest are counted.
SHOWN_PROBLEMS = 8


def _import(store: ReportStore, path: Path) -> ImportSummary:
    return import_reports(store, read_document(path))


class ReportImporter(QObject):
    """Reads and imports a file as drafts, all or nothing, then says what happened.

    Signals:
        imported(object): the file was imported; carries the ``ImportSummary``.
        refused(str): nothing was imported; carries the reasons in the user's language.
    """

    imported = Signal(object)
    refused = Signal(str)

    def __init__(self, worker: TaskManager, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._lang = lang

    def choose_and_import(self, parent: QWidget) -> None:
        """Ask for a file and import it."""
        name, _filter = QFileDialog.getOpenFileName(
            parent, self.tr("Import reports"), "", self.tr("Report files (*.json);;All files (*)")
        )
        if name:
            self.import_path(Path(name))

    def import_path(self, path: Path) -> None:
        """Import the file at ``path`` as drafts (reading it on the worker)."""
        self._worker.run(
            lambda store: _import(store, path),
            on_done=self.imported.emit,
            on_error=self._on_error,
            owner=self,
            changes=Changes(reports=True),
        )

    def _on_error(self, exc: BaseException) -> None:
        if not isinstance(exc, ImportRefusedError):
            self._worker.failed.emit(exc)
            return
        lines = [p.message(self._lang) for p in exc.problems[:SHOWN_PROBLEMS]]
        more = len(exc.problems) - SHOWN_PROBLEMS
        if more > 0:
            lines.append(self.tr("… and {count} more").format(count=more))
        self.refused.emit(self.tr("Nothing was imported:") + "\n" + "\n".join(lines))

"""Copy diagnostic information: the block of ``core.diagnostics``, made off the GUI thread, copied.

The toolkit's part (Qt and PySide versions, the platform, the screen, the language and the
font) is read on the GUI thread (``ui.common.toolkit``); everything on disk is read on the
task manager's ``files`` lane, through a read-only connection of its own (``read_diagnostic_text``),
so neither autosave waits for it nor it for a long job on the ``db`` lane.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication

from informant_app.core.diagnostics import diagnostic_text, read_diagnostic_text
from informant_app.ui.common.toolkit import toolkit_lines
from informant_app.ui.tasks.manager import TaskManager

log = logging.getLogger(__name__)


class DiagnosticsCopier(QObject):
    """Makes the diagnostic block on the ``files`` lane and puts it on the clipboard.

    Signals:
        copied(str): the block is on the clipboard; carries it.
    """

    copied = Signal(str)

    def __init__(
        self,
        worker: TaskManager,
        lang: str,
        data_dir: Path,
        log_file: Path | None,
        parent: QObject | None = None,
    ) -> None:
        """Copy for the store in ``data_dir`` (read on ``worker``'s ``files`` lane).

        ``log_file`` is named in the block.
        """
        super().__init__(parent)
        self._worker = worker
        self._lang = lang
        self._data_dir = data_dir
        self._log_file = log_file

    def copy(self) -> None:
        """Queue the block on the ``files`` lane; it reaches the clipboard when it is made."""
        toolkit = toolkit_lines(self._lang)
        data_dir, log_file = self._data_dir, self._log_file

        def make() -> str:
            return read_diagnostic_text(data_dir, log_file, toolkit=toolkit)

        def without_store(exc: BaseException) -> None:
            # the store cannot be read (missing, another revision): copy what needs no disk
            log.warning("diagnostics without the store: %s", exc)
            self._put(
                diagnostic_text(
                    None,
                    data_dir,
                    log_file,
                    toolkit=toolkit,
                    note=f"The store is not open: {type(exc).__name__}: {exc}",
                    read_files=False,
                )
            )

        self._worker.files(make, on_done=self._put, on_error=without_store, owner=self)

    def _put(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.copied.emit(text)

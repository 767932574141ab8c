"""Copy diagnostic information: the block of ``core.diagnostics``, made on the worker, copied.

The toolkit's part (Qt and PySide versions, the platform, the screen, the language and the
font) is read here on the GUI thread; everything on disk is read on the database worker.
"""

from __future__ import annotations

import logging
from pathlib import Path

import PySide6
from PySide6.QtCore import QLocale, QObject, Signal, qVersion
from PySide6.QtGui import QGuiApplication

from informant_app.core.account.diagnostics import Line, diagnostic_text
from informant_app.core.store.report_store import ReportStore
from informant_app.ui.tasks.worker import DbWorker

log = logging.getLogger(__name__)


def toolkit_lines(lang: str | None = None) -> list[Line]:
    """Return the Qt side of the diagnostic block (GUI thread; no disk)."""
    lines: list[Line] = [("Qt", qVersion()), ("PySide6", PySide6.__version__)]
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        lines.append(("Qt platform", QGuiApplication.platformName()))
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            size = screen.availableGeometry()
            lines.append(
                (
                    "Screen",
                    f"{size.width()}×{size.height()} available, scale "
                    f"{screen.devicePixelRatio():g}, "
                    f"{screen.logicalDotsPerInch():.0f} dpi",
                )
            )
        font = QGuiApplication.font()
        lines.append(
            ("Font", f"{', '.join(font.families() or [font.family()])} {font.pointSizeF():g} pt")
        )
    language = f"{lang} (locale {QLocale().name()})" if lang else QLocale().name()
    lines.append(("Language", language))
    return lines


class DiagnosticsCopier(QObject):
    """Makes the diagnostic block on the worker and puts it on the clipboard.

    Signals:
        copied(str): the block is on the clipboard; carries it.
    """

    copied = Signal(str)

    def __init__(
        self,
        worker: DbWorker,
        lang: str,
        data_dir: Path,
        log_file: Path | None,
        parent: QObject | None = None,
    ) -> None:
        """Copy for the store of ``worker`` in ``data_dir``; ``log_file`` is named in it."""
        super().__init__(parent)
        self._worker = worker
        self._lang = lang
        self._data_dir = data_dir
        self._log_file = log_file

    def copy(self) -> None:
        """Queue the block on the worker; it reaches the clipboard when it is made."""
        toolkit = toolkit_lines(self._lang)
        data_dir, log_file = self._data_dir, self._log_file

        def make(store: ReportStore) -> str:
            return diagnostic_text(store, data_dir, log_file, toolkit=toolkit)

        def without_store(exc: BaseException) -> None:
            # the store is not open (it failed to): copy what needs no disk
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

        self._worker.run(make, on_done=self._put, on_error=without_store, owner=self)

    def _put(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.copied.emit(text)

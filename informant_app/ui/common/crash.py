"""The app-wide safety net: an uncaught exception is logged and the user told where the log is.

The crash dialog cannot wait for the task manager's ``db`` lane (it may be what failed): its "Copy
diagnostic information" reads the store through a read-only connection of its own for at
most a couple of seconds (``core.diagnostics.diagnostic_text_read_only``) and otherwise says
that the counts are in Help → Copy diagnostic information.
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt, QThread
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from informant_app.core.diagnostics import diagnostic_text, diagnostic_text_read_only
from informant_app.ui.common.toolkit import toolkit_lines

log = logging.getLogger(__name__)

#: The longest error message put into the copied block.
ERROR_CHARS = 500


def install_excepthook(log_file: Path, data_dir: Path | None = None) -> None:
    """Log every uncaught exception (GUI and other threads) and show a dialog on the GUI thread.

    Args:
        log_file: the log the dialog points the user to.
        data_dir: the data folder, read (read-only) when the user copies diagnostics.
    """
    showing = False

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        nonlocal showing
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.critical("uncaught exception", exc_info=(exc_type, exc, tb))
        app = QApplication.instance()
        if app is None or showing or QThread.currentThread() is not app.thread():
            return
        showing = True
        try:
            _show_crash_dialog(exc, log_file, data_dir)
        finally:
            showing = False

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        log.critical(
            "uncaught exception in thread %s", args.thread, exc_info=args.exc_value or True
        )

    sys.excepthook = hook
    threading.excepthook = thread_hook


def error_line(exc: BaseException) -> str:
    """Return the exception's type and message on one line, cut to ``ERROR_CHARS``."""
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= ERROR_CHARS else text[:ERROR_CHARS] + "…"


class CrashDialog(QDialog):
    """Tells that something unexpected happened, where the log is, and offers the copy.

    ``copied_text`` holds the last block put on the clipboard.
    """

    def __init__(
        self,
        exc: BaseException,
        log_file: Path,
        data_dir: Path | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("crash_dialog")
        self._exc = exc
        self._log_file = log_file
        self._data_dir = data_dir
        self.copied_text = ""
        self.setWindowTitle(QCoreApplication.translate("CrashDialog", "Unexpected error"))
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(
            self.style()
            .standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
            .pixmap(size, size)
        )
        self.message = QLabel(
            QCoreApplication.translate(
                "CrashDialog",
                "An unexpected error occurred. Your saved drafts are safe. If it happens again, "
                "please send the log file to your township:\n{path}",
            ).format(path=log_file),
            self,
        )
        self.message.setObjectName("crash_message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # the log path as it is
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(error_line(exc), self)
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(80)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setObjectName("crash_status")
        self.status.setWordWrap(True)
        self.copy_button = QPushButton(
            QCoreApplication.translate("CrashDialog", "&Copy diagnostic information"), self
        )
        self.copy_button.setObjectName("copy_diagnostics")
        self.copy_button.setAutoDefault(False)
        self.copy_button.setToolTip(
            QCoreApplication.translate(
                "CrashDialog",
                "Copy versions, folders, the log's place and this error to the "
                "clipboard (no password, no report contents)",
            )
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy_diagnostics)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def copy_diagnostics(self) -> str:
        """Put the diagnostic block (with this error) on the clipboard; return it."""
        note = f"Error: {error_line(self._exc)}"
        toolkit = toolkit_lines()
        if self._data_dir is None:
            text, complete = (
                diagnostic_text(
                    None, Path("?"), self._log_file, toolkit=toolkit, note=note, read_files=False
                ),
                False,
            )
        else:
            # a bounded read on a read-only connection: the worker may be what failed
            text, complete = diagnostic_text_read_only(
                self._data_dir, self._log_file, toolkit=toolkit, note=note
            )
        QGuiApplication.clipboard().setText(text)
        self.copied_text = text
        if complete:
            said = QCoreApplication.translate("CrashDialog", "Copied to the clipboard.")
        else:
            said = QCoreApplication.translate(
                "CrashDialog",
                "Copied to the clipboard without the report counts: they are "
                "in Help → Copy diagnostic information.",
            )
        self.status.setText(said)
        return text


def _show_crash_dialog(exc: BaseException, log_file: Path, data_dir: Path | None) -> None:
    CrashDialog(exc, log_file, data_dir).exec()

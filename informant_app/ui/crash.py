"""The app-wide safety net: an uncaught exception is logged and the user told where the log is."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QThread
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger(__name__)


def install_excepthook(log_file: Path) -> None:
    """Log every uncaught exception (GUI and other threads) and show a dialog on the GUI thread.

    Args:
        log_file: the log the dialog points the user to.
    """
    showing = False

    def hook(exc_type: type[BaseException], exc: BaseException,
             tb: TracebackType | None) -> None:
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
            _show_crash_dialog(exc, log_file)
        finally:
            showing = False

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        log.critical("uncaught exception in thread %s", args.thread,
                     exc_info=args.exc_value or True)

    sys.excepthook = hook
    threading.excepthook = thread_hook


def _show_crash_dialog(exc: BaseException, log_file: Path) -> None:
    title = QCoreApplication.translate("CrashDialog", "Unexpected error")
    text = QCoreApplication.translate(
        "CrashDialog",
        "An unexpected error occurred. Your saved drafts are safe. If it happens again, "
        "please send the log file to your township:\n{path}",
    ).format(path=log_file)
    box = QMessageBox(QMessageBox.Icon.Critical, title, text)
    box.setDetailedText(f"{type(exc).__name__}: {exc}")
    box.exec()

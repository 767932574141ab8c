"""Show failures to the informant: plain words for what they can act on, a log path for bugs."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from informant_app.ui.tasks.manager import is_user_error

log = logging.getLogger(__name__)


def user_message(exc: BaseException, lang: str) -> str | None:
    """Return the message an actionable error carries in ``lang``, or ``None`` for a bug."""
    if is_user_error(exc):
        return str(exc.message(lang))  # type: ignore[attr-defined]
    return None


class ErrorPresenter(QObject):
    """Turns exceptions from worker jobs into non-blocking message boxes.

    Signals:
        shown(str): a message was shown; carries its text (tests and the status bar use it).
    """

    shown = Signal(str)

    def __init__(self, window: QWidget, lang: str, log_file: Path | None) -> None:
        super().__init__(window)
        self._window = window
        self._lang = lang
        self._log_file = log_file
        self.last_message: str | None = None

    def show_error(self, exc: BaseException) -> None:
        """Show ``exc``: its own message when it has one, else a bug notice with the log path."""
        text = user_message(exc, self._lang)
        if text is None:
            log.error("unexpected error shown to the user", exc_info=exc)
            text = self.tr("Something went wrong: {error}").format(error=exc)
            if self._log_file is not None:
                text += "\n\n" + self.tr("Details were written to the log: {path}").format(
                    path=self._log_file
                )
        self.show_message(text)

    def show_message(self, text: str) -> None:
        """Show ``text`` in a message box that does not block the window."""
        self.last_message = text
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Disaster reports"),
            text,
            QMessageBox.StandardButton.Ok,
            self._window,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)  # messages quote what people typed
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()
        self.shown.emit(text)

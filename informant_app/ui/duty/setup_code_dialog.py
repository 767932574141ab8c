"""Show a set-up code the server just issued, to copy or save and hand to the person.

The code is shown once and kept nowhere on this computer unless saved; "Save to file…" writes
the text on the task manager's ``files`` lane (UTF-8 with a BOM and CRLF, so any Notepad opens it).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from informant_app.core.account.provisioning import SetupCode
from informant_app.core.account.setup_text import write_setup_file
from informant_app.ui.common import file_dialogs
from informant_app.ui.common.labels import ERROR_COLOR, local_time_text
from informant_app.ui.tasks.manager import TaskManager


class SetupCodeDialog(QDialog):
    """The set-up text of one person with "Copy" and "Save to file…"."""

    def __init__(
        self, code: SetupCode, worker: TaskManager | None = None, parent: QWidget | None = None
    ) -> None:
        """Build the dialog.

        Args:
            code: the code the server issued.
            worker: writes the file off the GUI thread (``None``: write here; tests).
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("setup_code_dialog")
        self.code = code
        self._worker = worker
        name = code.display_name or code.username
        self.setWindowTitle(self.tr("Set-up code for {name}").format(name=name))
        intro = QLabel(
            self.tr(
                "Give this text to {name} ({user}). On the new computer, the app's set-up page "
                'takes it under "I have a set-up code": paste it there, or open the saved '
                "file. It signs in without a password."
            ).format(name=name, user=code.username),
            self,
        )
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(code.text, self)
        self.text.setObjectName("setup_code_text")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        font = QFont("monospace")
        font.setPointSizeF(QFont().pointSizeF() * 1.1)
        self.text.setFont(font)
        self.note = QLabel(
            self.tr(
                "The code works once, until {time}. Asking for a new code for {name} makes this "
                "one stop working."
            ).format(time=local_time_text(code.expires_at), name=name),
            self,
        )
        self.note.setObjectName("setup_code_note")
        self.note.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setObjectName("setup_code_status")
        self.status.setWordWrap(True)
        self.copy_button = QPushButton(self.tr("&Copy"), self)
        self.copy_button.setObjectName("copy_setup_code")
        self.copy_button.clicked.connect(self.copy)
        self.save_button = QPushButton(self.tr("&Save to file…"), self)
        self.save_button.setObjectName("save_setup_code")
        self.save_button.clicked.connect(self.choose_file)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.copy_button.setDefault(True)
        self.resize(560, 360)

    def copy(self) -> None:
        """Put the set-up text on the clipboard."""
        QGuiApplication.clipboard().setText(self.code.text)
        self._say(self.tr("Copied. Paste it into a message or a document."), error=False)

    def choose_file(self) -> None:
        """Ask where to save the set-up text, then save it."""
        name = file_dialogs.save_file_name(
            self,
            self.tr("Save set-up code"),
            self.tr("set-up code {user}.txt").format(user=self.code.username),
            self.tr("Text files (*.txt)"),
            purpose="setup code",
        )
        if name:
            self.save_to(Path(name))

    def save_to(self, path: Path) -> None:
        """Save the set-up text at ``path`` (on the ``files`` lane when there is a manager)."""
        text = self.code.text
        if self._worker is None:
            try:
                write_setup_file(path, text)
            except OSError as exc:
                self._not_saved(path, exc)
                return
            self._saved(path)
            return
        self._worker.files(
            lambda: write_setup_file(path, text),
            on_done=lambda _none: self._saved(path),
            on_error=lambda exc: self._not_saved(path, exc),
            owner=self,
        )

    def _saved(self, path: Path) -> None:
        self._say(self.tr("Saved to {path}.").format(path=path), error=False)

    def _not_saved(self, path: Path, exc: BaseException) -> None:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        self._say(
            self.tr("Not saved to {path}: {reason}").format(path=path, reason=reason), error=True
        )

    def _say(self, text: str, *, error: bool) -> None:
        self.status.setStyleSheet(f"color: {ERROR_COLOR};" if error else "")
        self.status.setText(text)

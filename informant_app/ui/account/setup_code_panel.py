"""The set-up page's other way in: paste the township's set-up text, or open its file.

What is pasted is read at once (``core.setup_text``: a few lines, no disk or network) and the
panel says what it found, or why it is not a set-up text.  A file is read on the task
manager's ``files`` lane when there is one, so the GUI thread never waits on the disk.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from informant_app.core.account.setup_text import (
    SetupText,
    SetupTextError,
    parse_setup_text,
    read_setup_file_text,
)
from informant_app.ui.account.setup_server_step import OK_COLOR
from informant_app.ui.common import file_dialogs
from informant_app.ui.common.labels import ERROR_COLOR, PLACEHOLDER_COLOR, local_time_text
from informant_app.ui.tasks.manager import TaskManager

EXAMPLE = (
    "灾情直报 设置码 / set-up code\n服务器 server: http://192.168.1.10:8765\n"
    "设置码 code: K7QM-3XHP-W9TD\n用户 user: …"
)


class SetupCodePanel(QWidget):
    """A box for the set-up text, "Open set-up file…" and "Paste", and what was found.

    Signals:
        parsed(object): the text is a set-up text; carries its ``SetupText``.
    """

    parsed = Signal(object)

    def __init__(
        self, lang: str, worker: TaskManager | None = None, parent: QWidget | None = None
    ) -> None:
        """Build the panel.

        Args:
            lang: the UI language, for the reader's messages.
            worker: reads a chosen file off the GUI thread (``None``: read here; tests).
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("setup_code_panel")
        self._lang = lang
        self._worker = worker
        self.setup: SetupText | None = None
        self.error: SetupTextError | None = None
        intro = QLabel(
            self.tr(
                "The township can give you a set-up code instead of a password: a short text "
                "with the server's address and a code that works once. Paste it here, or open "
                "the file you received."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("setup_text")
        self.text.setPlaceholderText(EXAMPLE)
        self.text.setTabChangesFocus(True)
        self.text.setFont(QFont("monospace"))
        self.text.setMinimumHeight(96)
        self.open_button = QPushButton(self.tr("&Open set-up file…"), self)
        self.open_button.setObjectName("open_setup_file")
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(self.choose_file)
        self.paste_button = QPushButton(self.tr("&Paste"), self)
        self.paste_button.setObjectName("paste_setup_text")
        self.paste_button.setAutoDefault(False)
        self.paste_button.clicked.connect(self.paste)
        self.found = QLabel(self)
        self.found.setObjectName("setup_found")
        self.found.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.paste_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.found)
        self.text.textChanged.connect(self._read)
        self._read()

    def set_text(self, text: str) -> None:
        """Put a set-up text in the box (as pasting would)."""
        self.text.setPlainText(text)

    def paste(self) -> None:
        """Put the clipboard's text in the box."""
        self.set_text(QGuiApplication.clipboard().text())

    def choose_file(self) -> None:
        """Ask for a set-up file and read it."""
        name = file_dialogs.open_file_name(
            self,
            self.tr("Open set-up file"),
            self.tr("Set-up files (*.txt *.json);;All files (*)"),
            purpose="setup code",
        )
        if name:
            self.load_file(Path(name))

    def load_file(self, path: Path) -> None:
        """Read the set-up file at ``path`` (on the ``files`` lane when there is a manager)."""
        if self._worker is None:
            try:
                self.set_text(read_setup_file_text(path))
            except SetupTextError as exc:
                self._failed(exc)
            return
        self._worker.files(
            lambda: read_setup_file_text(path),
            on_done=self.set_text,
            on_error=self._failed,
            owner=self,
        )

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, SetupTextError):  # a bug: the manager's handler shows it
            if self._worker is not None:
                self._worker.failed.emit(exc)
            return
        self.setup, self.error = None, exc
        self._say(exc.message(self._lang), ERROR_COLOR)

    def _read(self) -> None:
        text = self.text.toPlainText()
        self.setup = self.error = None
        if not text.strip():
            self._say(self.tr("Nothing here yet."), PLACEHOLDER_COLOR)
            return
        try:
            self.setup = parse_setup_text(text)
        except SetupTextError as exc:
            self.error = exc
            self._say(exc.message(self._lang), ERROR_COLOR)
            return
        self._say(self.found_text(self.setup), OK_COLOR)
        self.parsed.emit(self.setup)

    def found_text(self, setup: SetupText) -> str:
        """Return what a set-up text holds, in a sentence."""
        if setup.username:
            found = self.tr("✔ A set-up code for {user}.").format(user=setup.username)
        else:
            found = self.tr("✔ A set-up code.")
        gap = "" if self._lang.startswith("zh") else " "  # between sentences
        if setup.expires_at is not None:
            found += gap + self.tr("It works once, until {time}.").format(
                time=local_time_text(setup.expires_at)
            )
        if setup.server_url is None:
            found += gap + self.tr("The text names no server: enter its address in step 1.")
        return found

    def _say(self, text: str, color: str) -> None:
        self.found.setStyleSheet(f"color: {color};")
        self.found.setText(text)

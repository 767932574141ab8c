"""The situation narrative (灾情文字说明) with its live character count for an initial report."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from informant_app.ui.common.labels import ERROR_COLOR
from informant_app.ui.reports.issue_view import IssueBox
from sync.contract import INITIAL_NARRATIVE_MAX_CHARS


class NarrativeEditor(QWidget):
    """A plain-text editor; for an initial report a counter "n / 200" turns red above 200.

    Signals:
        changed(): the text changed.
    """

    changed = Signal()

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setObjectName("narrative")
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText(
            self.tr("Background, course and features of the disaster, what you saw, the outlook")
        )
        self.edit.setMinimumHeight(90)
        self.edit.setMaximumHeight(160)
        self.counter = QLabel(self)
        self.counter.setObjectName("narrative_counter")
        self.issues = IssueBox(lang, self, reserve=True)
        self.issues.set_anchor(self.edit)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.counter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addLayout(top)
        layout.addWidget(self.issues)
        self._limited = True
        self._loading = False
        self.edit.textChanged.connect(self._on_text)
        self._update_counter()

    def text(self) -> str:
        """Return the narrative."""
        return self.edit.toPlainText()

    def set_text(self, text: str) -> None:
        """Show ``text`` without reporting a change."""
        self._loading = True
        try:
            self.edit.setPlainText(text)
        finally:
            self._loading = False
        self._update_counter()

    def set_limited(self, limited: bool) -> None:
        """Show the counter (an initial report's narrative is limited) or hide it."""
        self._limited = limited
        self._update_counter()

    def set_read_only(self, read_only: bool) -> None:
        """Forbid editing (a submitted version)."""
        self.edit.setReadOnly(read_only)
        self.issues.set_read_only(read_only)

    def _on_text(self) -> None:
        self._update_counter()
        if not self._loading:
            self.changed.emit()

    def _update_counter(self) -> None:
        length = len(self.text().strip())
        self.counter.setVisible(self._limited)
        self.counter.setText(f"{length} / {INITIAL_NARRATIVE_MAX_CHARS}")
        over = length > INITIAL_NARRATIVE_MAX_CHARS
        self.counter.setStyleSheet(f"color: {ERROR_COLOR}; font-weight: bold;" if over else "")

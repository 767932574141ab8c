"""Returning a village report: a required reason and optional comments on single fields.

The "Return" button stays disabled, with a note in red, while the reason is blank.  A comment
names a field (a header field or an indicator) picked from a combo; several may be added.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from informant_app.ui.common.labels import ERROR_COLOR
from informant_app.ui.common.plain_text import plain
from informant_app.ui.common.review_labels import comment_fields, field_label

#: The longest reason and comment accepted.
MAX_REASON = 1000
MAX_COMMENT = 500


class ReturnDialog(QDialog):
    """Asks why a report goes back to the village.

    ``accepted`` is emitted only with a non-blank reason; read it with ``reason`` and
    ``field_comments``.
    """

    def __init__(
        self, lang: str, title: str, initial_field: str | None = None, parent: QWidget | None = None
    ) -> None:
        """Build the dialog.

        Args:
            lang: the UI language.
            title: what is returned (village, event, stage), shown at the top.
            initial_field: the field picked first in the comment combo (a changed figure).
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("return_dialog")
        self.setWindowTitle(self.tr("Return the report to the village"))
        self._lang = lang
        self._comments: dict[str, str] = {}

        intro = plain(QLabel(title, self))
        intro.setWordWrap(True)
        intro.setStyleSheet("font-weight: bold;")
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("return_reason")
        self.reason.setPlaceholderText(
            self.tr("Why does the report go back? The village informant reads this first.")
        )
        self.reason.setTabChangesFocus(True)
        self.reason.setMinimumHeight(70)
        self.reason.setMaximumHeight(120)
        self.reason_error = QLabel(self.tr("A reason is required to return a report."), self)
        self.reason_error.setObjectName("reason_error")
        self.reason_error.setStyleSheet(f"color: {ERROR_COLOR};")
        reason_label = QLabel(self.tr("&Reason (required)"), self)
        reason_label.setBuddy(self.reason)

        self.field = QComboBox(self)
        self.field.setObjectName("comment_field")
        self.field.setMaxVisibleItems(20)
        for key, label in comment_fields(lang):
            self.field.addItem(label, key)
        if initial_field:
            self.field.setCurrentIndex(max(self.field.findData(initial_field), 0))
        self.comment = QLineEdit(self)
        self.comment.setObjectName("comment_text")
        self.comment.setMaxLength(MAX_COMMENT)
        self.comment.setPlaceholderText(self.tr("Comment on this field"))
        self.add_button = QPushButton(self.tr("&Add comment"), self)
        self.add_button.setObjectName("add_comment")
        self.add_button.setAutoDefault(False)
        self.remove_button = QPushButton(self.tr("Re&move"), self)
        self.remove_button.setAutoDefault(False)
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("comment_table")
        self.table.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Comment")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 240)

        comments = QGroupBox(self.tr("Comments on single fields (optional)"), self)
        line = QHBoxLayout()
        line.addWidget(self.field, 2)
        line.addWidget(self.comment, 3)
        line.addWidget(self.add_button)
        inner = QVBoxLayout(comments)
        inner.addLayout(line)
        inner.addWidget(self.table, 1)
        below = QHBoxLayout()
        below.addStretch(1)
        below.addWidget(self.remove_button)
        inner.addLayout(below)

        self.buttons = QDialogButtonBox(self)
        self.return_button = self.buttons.addButton(
            self.tr("&Return"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.return_button.setObjectName("confirm_return")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.reason_error)
        layout.addWidget(comments, 1)
        layout.addWidget(self.buttons)

        self.reason.textChanged.connect(self._update)
        self.comment.textChanged.connect(self._update)
        self.comment.returnPressed.connect(self.add_comment)
        self.add_button.clicked.connect(self.add_comment)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemSelectionChanged.connect(self._update)
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.table,
            self.remove_selected,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.resize(720, 520)
        self._update()

    def reason_text(self) -> str:
        """Return the reason as typed (stripped)."""
        return self.reason.toPlainText().strip()[:MAX_REASON]

    def field_comments(self) -> dict[str, str]:
        """Return the comments by field key (indicator name or content key)."""
        return dict(self._comments)

    def add_comment(self) -> None:
        """Add (or replace) the comment on the chosen field."""
        text = self.comment.text().strip()
        key = self.field.currentData()
        if not text or not key:
            return
        self._comments[key] = text
        self.comment.clear()
        self._show_comments()

    def remove_selected(self) -> None:
        """Remove the selected comment."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        item = self.table.item(rows[0].row(), 0)
        if item is not None:
            self._comments.pop(str(item.data(Qt.ItemDataRole.UserRole)), None)
        self._show_comments()

    def _show_comments(self) -> None:
        self.table.setRowCount(len(self._comments))
        for row, (key, text) in enumerate(self._comments.items()):
            label = QTableWidgetItem(field_label(key, self._lang))
            label.setData(Qt.ItemDataRole.UserRole, key)
            self.table.setItem(row, 0, label)
            self.table.setItem(row, 1, QTableWidgetItem(text))
        self._update()

    def _update(self) -> None:
        blank = not self.reason_text()
        self.return_button.setEnabled(not blank)
        self.reason_error.setVisible(blank)
        self.add_button.setEnabled(bool(self.comment.text().strip()))
        self.remove_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    @override
    def accept(self) -> None:
        """Close with the decision, unless the reason is blank."""
        if not self.reason_text():
            self._update()
            self.reason.setFocus()
            return
        if self.comment.text().strip():  # a comment typed but not added still counts
            self.add_comment()
        super().accept()

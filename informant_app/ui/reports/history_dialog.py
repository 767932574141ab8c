"""A report's history: each state change with who, in which role, device time and server time.

A filing by the post's B says in which capacity: acting for A, or while A was on duty.

Times are stored in UTC and shown in local time (docs/sync.md (time)).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from informant_app.core.duty.types import FilingRole
from informant_app.core.review.service import HistoryEntry
from informant_app.ui.common.duty_labels import filed_as_text, filing_role
from informant_app.ui.common.labels import local_time_text
from informant_app.ui.common.plain_text import plain, plain_tooltip
from informant_app.ui.common.review_labels import (
    field_comment_text,
    history_event_label,
    role_label,
)


def role_text(entry: HistoryEntry) -> str:
    """Return the Role cell: "A post", or for a B's filing "B post · B acting for A (张三)"."""
    role = role_label(entry.role)
    filed_as = filing_role(entry.filing_role)
    if filed_as is None or filed_as is FilingRole.A:
        return role
    text = filed_as_text(filed_as, entry.acting_for_name)
    return f"{role} · {text}" if role else text


class HistoryDialog(QDialog):
    """Lists the entries of ``report_history``, oldest first."""

    COLUMNS = 7

    def __init__(
        self, title: str, entries: Sequence[HistoryEntry], lang: str, parent: QWidget | None = None
    ) -> None:
        """Build the dialog.

        Args:
            title: what report this is (village, event, stage), shown at the top.
            entries: the history, in server order.
            lang: the UI language (field names of comments).
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("history_dialog")
        self.setWindowTitle(self.tr("Report history"))
        self.entries = list(entries)
        heading = plain(QLabel(title, self))
        heading.setWordWrap(True)
        heading.setStyleSheet("font-weight: bold;")
        self.table = QTableWidget(len(self.entries), self.COLUMNS, self)
        self.table.setObjectName("history_table")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("What"),
                self.tr("Version"),
                self.tr("Who"),
                self.tr("Role"),
                self.tr("Device time"),
                self.tr("Server time"),
                self.tr("Details"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COLUMNS - 1, QHeaderView.ResizeMode.Stretch)
        for row, entry in enumerate(self.entries):
            details = [entry.detail] if entry.detail else []
            details += [
                field_comment_text(key, text, lang) for key, text in entry.field_comments.items()
            ]
            cells = [
                history_event_label(entry.event),
                f"v{entry.version_no}",
                entry.who,
                role_text(entry),
                local_time_text(entry.device_time),
                local_time_text(entry.server_time) or self.tr("not yet known"),
                "\n".join(details),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == self.COLUMNS - 1:
                    item.setToolTip(plain_tooltip(text))
                self.table.setItem(row, column, item)
        empty = QLabel(self.tr("No state change recorded yet."), self)
        empty.setVisible(not self.entries)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(empty)
        layout.addWidget(buttons)
        self.resize(900, 420)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()  # once the columns have their widths

    def texts(self, column: int) -> list[str]:
        """Return the texts of one column, top to bottom (for tests)."""
        items = (self.table.item(row, column) for row in range(self.table.rowCount()))
        return [item.text() if item is not None else "" for item in items]

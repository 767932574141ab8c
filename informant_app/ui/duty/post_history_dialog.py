"""A post's history: every assignment with its dates, every absence of A, every handover.

Oldest first, as the server keeps them; times in local time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from informant_app.core.duty.types import PostHistory
from informant_app.ui.common.duty_labels import (
    NONE_TEXT,
    absence_kind_label,
    handover_kind_label,
    handover_people_text,
    open_items_text,
    signed_off_text,
)
from informant_app.ui.common.labels import local_time_text
from informant_app.ui.common.plain_text import plain, plain_tooltip


def _table(
    parent: QWidget, headers: Sequence[str], rows: Sequence[Sequence[str]], name: str
) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(True)
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(plain_tooltip(text))
            table.setItem(row, column, item)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


class PostHistoryDialog(QDialog):
    """Shows a ``PostHistory`` in three tabs: assignments, A off duty, handovers."""

    def __init__(self, title: str, history: PostHistory, parent: QWidget | None = None) -> None:
        """Build the dialog.

        Args:
            title: the post's name, shown at the top.
            history: what the server returned.
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("post_history_dialog")
        self.setWindowTitle(self.tr("Post history"))
        self.history = history
        heading = plain(QLabel(title, self))
        heading.setStyleSheet("font-weight: bold;")
        heading.setWordWrap(True)
        self.tabs = QTabWidget(self)
        self.assignments = _table(
            self,
            [
                self.tr("Role"),
                self.tr("Who"),
                self.tr("From"),
                self.tr("To"),
                self.tr("Reason"),
                self.tr("Ended because"),
            ],
            [
                [
                    a.post_role,
                    a.display_name or a.username,
                    local_time_text(a.valid_from),
                    local_time_text(a.valid_to) if a.valid_to else self.tr("now"),
                    a.reason,
                    a.ended_reason,
                ]
                for a in history.assignments
            ],
            "history_assignments",
        )
        self.absences = _table(
            self,
            [
                self.tr("A"),
                self.tr("Why"),
                self.tr("From"),
                self.tr("To"),
                self.tr("Reason"),
                self.tr("Marked by"),
            ],
            [
                [
                    a.display_name or a.username,
                    absence_kind_label(a.kind),
                    local_time_text(a.starts_at),
                    self._absence_end(a.ends_at, a.ended_at),
                    a.reason,
                    a.created_by_name or NONE_TEXT,
                ]
                for a in history.absences
            ],
            "history_absences",
        )
        self.handovers = _table(
            self,
            [
                self.tr("When"),
                self.tr("What"),
                self.tr("Who → whom"),
                self.tr("Why"),
                self.tr("Open items"),
                self.tr("Sign-off"),
            ],
            [
                [
                    local_time_text(h.created_at),
                    handover_kind_label(h.kind),
                    handover_people_text(h.from_name, h.to_name),
                    h.reason,
                    open_items_text(h.open_items),
                    signed_off_text(h.signed_off_name, h.signed_off_at, h.sign_off_note),
                ]
                for h in history.handovers
            ],
            "history_handovers",
        )
        self.tabs.addTab(
            self.assignments, self.tr("&Assignments ({n})").format(n=len(history.assignments))
        )
        self.tabs.addTab(
            self.absences, self.tr("A &off duty ({n})").format(n=len(history.absences))
        )
        self.tabs.addTab(
            self.handovers, self.tr("&Handovers ({n})").format(n=len(history.handovers))
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(900, 440)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

    def _absence_end(self, ends_at: datetime, ended_at: datetime | None) -> str:
        planned = local_time_text(ends_at)
        if ended_at is not None and ended_at < ends_at:
            return self.tr("{time} (back early; planned {planned})").format(
                time=local_time_text(ended_at), planned=planned
            )
        return planned

    @staticmethod
    def texts(table: QTableWidget, column: int) -> list[str]:
        """Return the texts of one column of ``table`` (for tests)."""
        items = (table.item(row, column) for row in range(table.rowCount()))
        return [item.text() if item is not None else "" for item in items]

"""The admin log (操作记录) as a table model: when, who, what, to whom, details."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, Qt
from typing_extensions import override

from informant_app.core.divisions import display_name
from informant_app.ui.admin.labels import action_label, detail_text, time_text
from informant_app.ui.common.paged_table_model import Index
from informant_app.ui.common.plain_text import plain_tooltip
from sync.contract import is_valid_code
from sync.contract.wire.admin import AdminActionItem

#: How the server's log names the operator at the command line (``admin_log.OPERATOR``).
OPERATOR = "cli"


class LogColumn(IntEnum):
    """The columns of the admin log."""

    AT = 0
    ACTOR = 1
    ACTION = 2
    TARGET = 3
    DETAIL = 4


class AdminLogModel(QAbstractTableModel):
    """The latest administration actions, newest first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[AdminActionItem] = []

    def set_actions(self, items: Sequence[AdminActionItem]) -> None:
        """Show ``items``, newest first."""
        self.beginResetModel()
        self._items = sorted(items, key=lambda i: i.at, reverse=True)
        self.endResetModel()

    def item_at(self, row: int) -> AdminActionItem:
        """Return the entry of line ``row``."""
        return self._items[row]

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(LogColumn)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            LogColumn.AT: self.tr("Time"),
            LogColumn.ACTOR: self.tr("By"),
            LogColumn.ACTION: self.tr("Action"),
            LogColumn.TARGET: self.tr("On"),
            LogColumn.DETAIL: self.tr("Details"),
        }[LogColumn(section)]

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._items):
            return None
        item, column = self._items[index.row()], LogColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(item, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (LogColumn.DETAIL, LogColumn.ACTION):
            return plain_tooltip(detail_text(item.detail) or item.action) or None
        return None

    @staticmethod
    def cell_text(item: AdminActionItem, column: LogColumn) -> str:
        """Return the text of one cell."""
        match column:
            case LogColumn.AT:
                return time_text(item.at)
            case LogColumn.ACTOR:
                if item.actor == OPERATOR:
                    return QCoreApplication.translate("Admin", "Operator (command line)")
                return item.actor
            case LogColumn.ACTION:
                return action_label(item.action)
            case LogColumn.TARGET:
                if is_valid_code(item.target):
                    return display_name(item.target)
                return item.target
            case LogColumn.DETAIL:
                return detail_text(item.detail)

"""The security log (安全日志) as a lazy table model: a page at a time, newest first.

The server sends the log in pages (``GET /admin/security-log``, ``next_before`` names the next
older page).  The model shows what arrived; when the view scrolls to the end it asks for the
next page through ``more_wanted`` (``canFetchMore`` / ``fetchMore``), and the page fetches it on
the task manager's ``network`` lane and hands it back with ``add_page``.  A new filter or a
refresh starts again with ``set_page``.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, Qt, Signal
from typing_extensions import override

from informant_app.ui.admin.labels import NONE_TEXT, detail_text, time_text
from informant_app.ui.common.paged_table_model import Index
from informant_app.ui.common.plain_text import plain_tooltip
from sync.contract.wire.admin import SECURITY_KINDS, SecurityEvent, SecurityLog

#: How the server's log names the operator at the command line (``admin_log.OPERATOR``).
OPERATOR = "cli"

#: The kinds of line, in the order the filter offers them (one list with the server's).
KINDS = SECURITY_KINDS


def kind_label(kind: str) -> str:
    """Return a kind of security log line in words (unknown: the key itself)."""
    labels = {
        "signin.ok": QCoreApplication.translate("SecurityLog", "Signed in"),
        "signin.failed": QCoreApplication.translate("SecurityLog", "Sign-in failed"),
        "signin.slowed": QCoreApplication.translate("SecurityLog", "Sign-in held back"),
        "setup_code.issue": QCoreApplication.translate("SecurityLog", "Set-up code issued"),
        "setup_code.redeem": QCoreApplication.translate("SecurityLog", "Set-up code used"),
        "setup_code.failed": QCoreApplication.translate("SecurityLog", "Wrong set-up code"),
        "device.replaced": QCoreApplication.translate(
            "SecurityLog", "Signed out: set up on another device"
        ),
        "device.revoke": QCoreApplication.translate("SecurityLog", "Device signed out"),
        "account.password": QCoreApplication.translate("SecurityLog", "Password changed"),
        "account.role": QCoreApplication.translate("SecurityLog", "Role changed"),
        "account.disable": QCoreApplication.translate("SecurityLog", "Account disabled"),
        "account.enable": QCoreApplication.translate("SecurityLog", "Account enabled"),
    }
    return labels.get(kind, kind)


class SecurityColumn(IntEnum):
    """The columns of the security log."""

    AT = 0
    KIND = 1
    ACCOUNT = 2
    ACTOR = 3
    CLIENT = 4
    DEVICE = 5
    DETAIL = 6


class SecurityLogModel(QAbstractTableModel):
    """The security log lines that arrived, newest first; asks for older pages on demand.

    Signals:
        more_wanted(int): the view reached the end; carries the ``before`` of the next page.
    """

    more_wanted = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._events: list[SecurityEvent] = []
        self._next_before: int | None = None
        self._asking = False

    # --- filling ---------------------------------------------------------------------------

    def set_page(self, page: SecurityLog) -> None:
        """Show the first page of a (new) listing in place of what was shown."""
        self.beginResetModel()
        self._events = list(page.events)
        self._next_before = page.next_before
        self._asking = False
        self.endResetModel()

    def add_page(self, page: SecurityLog) -> None:
        """Append a further (older) page; lines already shown are not shown twice."""
        self._asking = False
        seen = {e.id for e in self._events}
        fresh = [e for e in page.events if e.id not in seen]
        self._next_before = page.next_before
        if fresh:
            first = len(self._events)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._events.extend(fresh)
            self.endInsertRows()

    def page_failed(self) -> None:
        """The further page did not come: the view may ask again."""
        self._asking = False

    @property
    def has_more(self) -> bool:
        """Whether the server holds older lines than those shown."""
        return self._next_before is not None

    def event_at(self, row: int) -> SecurityEvent:
        """Return the line of row ``row``."""
        return self._events[row]

    # --- Qt --------------------------------------------------------------------------------

    @override
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._next_before is not None and not self._asking

    @override
    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent) and self._next_before is not None:
            self._asking = True
            self.more_wanted.emit(self._next_before)

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._events)

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(SecurityColumn)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            SecurityColumn.AT: self.tr("Time"),
            SecurityColumn.KIND: self.tr("Event"),
            SecurityColumn.ACCOUNT: self.tr("Account"),
            SecurityColumn.ACTOR: self.tr("By"),
            SecurityColumn.CLIENT: self.tr("Address"),
            SecurityColumn.DEVICE: self.tr("Device"),
            SecurityColumn.DETAIL: self.tr("Details"),
        }[SecurityColumn(section)]

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._events):
            return None
        event, column = self._events[index.row()], SecurityColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(event, column)
        if role == Qt.ItemDataRole.ToolTipRole and column is SecurityColumn.DETAIL:
            return plain_tooltip(detail_text(event.detail)) or None
        if role == Qt.ItemDataRole.ToolTipRole and column is SecurityColumn.KIND:
            return event.kind
        return None

    @staticmethod
    def cell_text(event: SecurityEvent, column: SecurityColumn) -> str:
        """Return the text of one cell."""
        match column:
            case SecurityColumn.AT:
                return time_text(event.at)
            case SecurityColumn.KIND:
                return kind_label(event.kind)
            case SecurityColumn.ACCOUNT:
                return event.username or NONE_TEXT
            case SecurityColumn.ACTOR:
                if event.actor == OPERATOR:
                    return QCoreApplication.translate("Admin", "Operator (command line)")
                return event.actor or NONE_TEXT
            case SecurityColumn.CLIENT:
                return event.client or NONE_TEXT
            case SecurityColumn.DEVICE:
                return event.device_id or NONE_TEXT
            case SecurityColumn.DETAIL:
                return detail_text(event.detail)

"""The accounts an administrator sees, as a table model.

The server's answer (``AdminAccounts``) comes whole (a township's tens, a city's 1,500
accounts), read on the ``network`` lane and handed over by ``set_accounts``; each cell's text
is made only when the view asks for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor
from typing_extensions import override

from informant_app.ui.admin.labels import NONE_TEXT, role_label, time_text
from informant_app.ui.common.labels import ERROR_COLOR
from informant_app.ui.common.paged_table_model import Index
from informant_app.ui.common.plain_text import plain_tooltip
from sync.contract.wire.admin import AdminAccount

#: The role whose value the page's proxy sorts by (times by time, not by their text).
SORT_ROLE = Qt.ItemDataRole.UserRole
#: Finds the name of a division code (``None``: unknown here).
NameOf = Callable[[str], str | None]


class AccountColumn(IntEnum):
    """The columns of the accounts table, in display order."""

    NAME = 0
    USERNAME = 1
    ROLE = 2
    PLACE = 3
    POST = 4
    PHONE = 5
    DEVICES = 6
    LAST_SYNC = 7
    STATUS = 8


class AccountsModel(QAbstractTableModel):
    """The accounts shown on the administration page."""

    def __init__(self, name_of: NameOf | None = None, parent: QObject | None = None) -> None:
        """Make an empty model; ``name_of`` names the divisions of posts (else their codes)."""
        super().__init__(parent)
        self._accounts: list[AdminAccount] = []
        self._name_of: NameOf = name_of or (lambda _code: None)

    def set_accounts(self, accounts: Sequence[AdminAccount]) -> None:
        """Show ``accounts`` (in the order given)."""
        self.beginResetModel()
        self._accounts = list(accounts)
        self.endResetModel()

    def replace_account(self, account: AdminAccount) -> None:
        """Show the new state of one account (after disabling it …); added when new."""
        row = self.row_of(account.username)
        if row is None:
            self.beginInsertRows(QModelIndex(), len(self._accounts), len(self._accounts))
            self._accounts.append(account)
            self.endInsertRows()
            return
        self._accounts[row] = account
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(AccountColumn) - 1))

    def accounts(self) -> list[AdminAccount]:
        """Return the accounts shown."""
        return list(self._accounts)

    def account_at(self, row: int) -> AdminAccount:
        """Return the account of line ``row``."""
        return self._accounts[row]

    def row_of(self, username: str) -> int | None:
        """Return the line of ``username``, or ``None``."""
        return next((i for i, a in enumerate(self._accounts) if a.username == username), None)

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._accounts)

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(AccountColumn)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            AccountColumn.NAME: self.tr("Name"),
            AccountColumn.USERNAME: self.tr("User name"),
            AccountColumn.ROLE: self.tr("Role"),
            AccountColumn.PLACE: self.tr("Place"),
            AccountColumn.POST: self.tr("Post"),
            AccountColumn.PHONE: self.tr("Phone"),
            AccountColumn.DEVICES: self.tr("Devices"),
            AccountColumn.LAST_SYNC: self.tr("Last sync"),
            AccountColumn.STATUS: self.tr("Status"),
        }[AccountColumn(section)]

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._accounts):
            return None
        account, column = self._accounts[index.row()], AccountColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(account, column)
        if role == SORT_ROLE:
            if column is AccountColumn.LAST_SYNC:
                return account.last_sync_at.isoformat() if account.last_sync_at else ""
            return self.cell_text(account, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self._tooltip(account, column)) or None
        if role == Qt.ItemDataRole.ForegroundRole and account.disabled:
            return QColor(ERROR_COLOR) if column is AccountColumn.STATUS else QColor("#757575")
        return None

    def cell_text(self, account: AdminAccount, column: AccountColumn) -> str:
        """Return the text of one cell."""
        match column:
            case AccountColumn.NAME:
                return account.display_name or account.username
            case AccountColumn.USERNAME:
                return account.username
            case AccountColumn.ROLE:
                return role_label(account.role)
            case AccountColumn.PLACE:
                short = self._name_of(account.jurisdiction_code)
                return short or account.jurisdiction_name or account.jurisdiction_code
            case AccountColumn.POST:
                return self.post_text(account)
            case AccountColumn.PHONE:
                return account.phone or NONE_TEXT
            case AccountColumn.DEVICES:
                return self.devices_text(account)
            case AccountColumn.LAST_SYNC:
                return time_text(account.last_sync_at)
            case AccountColumn.STATUS:
                return self.tr("Disabled") if account.disabled else self.tr("Active")

    def post_text(self, account: AdminAccount) -> str:
        """Return "A", "B", or "瓦房社区 A" when the post is not the account's own place."""
        if not account.posts:
            return NONE_TEXT
        parts = []
        for post in sorted(account.posts, key=lambda p: (p.post_code, p.post_role)):
            if post.post_code == account.jurisdiction_code:
                parts.append(post.post_role)
            else:
                name = self._name_of(post.post_code) or post.post_code
                parts.append(f"{name} {post.post_role}")
        return ", ".join(parts)

    def devices_text(self, account: AdminAccount) -> str:
        """Return "none", or how many devices and how many of them are signed in."""
        if not account.devices:
            return self.tr("none")
        signed = sum(1 for d in account.devices if d.signed_in)
        return self.tr("{total}, {signed} signed in").format(
            total=len(account.devices), signed=signed
        )

    def _tooltip(self, account: AdminAccount, column: AccountColumn) -> str | None:
        if column is AccountColumn.DEVICES:
            lines = [
                self.tr("{name}: last seen {time}{state}").format(
                    name=d.device_name or d.device_id,
                    time=time_text(d.last_seen_at),
                    state="" if d.signed_in else self.tr(" (signed out)"),
                )
                for d in account.devices
            ]
            return "\n".join(lines) or self.tr("This account has not signed in on any device.")
        if column is AccountColumn.PLACE:
            return f"{account.jurisdiction_name} {account.jurisdiction_code}"
        if column is AccountColumn.PHONE and account.backup_phone:
            return self.tr("Backup phone: {phone}").format(phone=account.backup_phone)
        if column is AccountColumn.POST:
            return "\n".join(f"{p.post_code} {p.post_role}" for p in account.posts) or None
        return None

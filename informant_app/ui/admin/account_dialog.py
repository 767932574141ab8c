"""新建账号: the dialog that asks for a new account's role, place, user name, name and phones.

The roles offered are those the administrator may give; the places those of the role's level
inside the division picked on the page.  What the server would refuse anyway (a bad user name,
no name, a phone that is not one) is said here before anything is sent; the account then signs
in with a set-up code, which the page offers to issue at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from informant_app.core.admin.online import check_new_account
from informant_app.core.admin.types import places_for_role
from informant_app.ui.admin.labels import role_label
from informant_app.ui.common.errors import user_message
from informant_app.ui.common.labels import ERROR_COLOR
from informant_app.ui.common.plain_text import plain
from sync.contract import DivisionTable
from sync.contract.wire.admin import AccountCreateRequest


class AccountDialog(QDialog):
    """Ask for a new account; ``request()`` returns it once accepted."""

    def __init__(
        self,
        admin_role: str,
        admin_jurisdiction: str,
        roles: Sequence[str],
        under: str,
        divisions: DivisionTable,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        """Build the dialog.

        Args:
            admin_role: the administrator's role (what they may create).
            admin_jurisdiction: the administrator's jurisdiction.
            roles: the roles offered, highest first.
            under: the division picked on the page: the places offered lie inside it.
            divisions: the division table the places come from.
            lang: the UI language (for refusals).
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("account_dialog")
        self.setWindowTitle(self.tr("New account"))
        self._admin_role = admin_role
        self._admin_jurisdiction = admin_jurisdiction
        self._under = under
        self._divisions = divisions
        self._lang = lang
        self.role = QComboBox(self)
        self.role.setObjectName("account_role")
        for role in roles:
            self.role.addItem(role_label(role), role)
        self.place = QComboBox(self)
        self.place.setObjectName("account_place")
        self.place.setEditable(True)  # type to find a village among hundreds
        self.place.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.place.setMinimumContentsLength(24)
        self.username = QLineEdit(self)
        self.username.setObjectName("account_username")
        self.username.setPlaceholderText(self.tr("letters, digits, _ . -"))
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("account_name")
        self.phone = QLineEdit(self)
        self.phone.setObjectName("account_phone")
        self.backup_phone = QLineEdit(self)
        self.backup_phone.setObjectName("account_backup_phone")
        self.issue_code = QCheckBox(self.tr("Issue a &set-up code for the new account"), self)
        self.issue_code.setObjectName("account_issue_code")
        self.issue_code.setChecked(True)
        self.error = plain(QLabel(self))
        self.error.setObjectName("account_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        form = QFormLayout()
        form.addRow(self.tr("&Role"), self.role)
        form.addRow(self.tr("&Place"), self.place)
        form.addRow(self.tr("&User name"), self.username)
        form.addRow(self.tr("&Name"), self.display_name)
        form.addRow(self.tr("P&hone"), self.phone)
        form.addRow(self.tr("&Backup phone"), self.backup_phone)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Create"))
        ok.setObjectName("account_create")
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.issue_code)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.role.currentIndexChanged.connect(self._fill_places)
        self._fill_places()
        self.resize(480, self.sizeHint().height())

    def _fill_places(self) -> None:
        role = self.role.currentData()
        self.place.clear()
        for code, name in places_for_role(str(role or ""), self._under, self._divisions):
            self.place.addItem(name, code)

    def request(self) -> AccountCreateRequest:
        """Return the account asked for (as typed)."""
        index = self.place.findText(self.place.currentText())
        code = self.place.itemData(index) if index >= 0 else self.place.currentText().strip()
        return AccountCreateRequest(
            username=self.username.text().strip(),
            display_name=self.display_name.text().strip(),
            role=str(self.role.currentData() or ""),
            jurisdiction_code=str(code or ""),
            phone=self.phone.text().strip(),
            backup_phone=self.backup_phone.text().strip(),
        )

    def try_accept(self) -> None:
        """Accept when the account would be accepted; otherwise say why and stay open."""
        try:
            check_new_account(self._admin_role, self._admin_jurisdiction, self.request())
        except Exception as exc:
            text = user_message(exc, self._lang)
            if text is None:
                raise
            self.error.setText(text)
            return
        self.error.clear()
        self.accept()

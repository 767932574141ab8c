"""撤销设备: sign out one device of an account, or all of them.

The devices come from the account as the server listed it (name, last seen, signed in or
not).  A revoked device must sign in again (with a password or a new set-up code); its
reports already sent stay.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from informant_app.ui.admin.labels import time_text
from informant_app.ui.common.plain_text import plain
from sync.contract.wire.admin import AdminAccount


class RevokeDialog(QDialog):
    """Choose which device of ``account`` to sign out; ``device_id()`` once accepted."""

    def __init__(self, account: AdminAccount, parent: QWidget | None = None) -> None:
        """Build the dialog for ``account`` (all its devices, signed-in ones first)."""
        super().__init__(parent)
        self.setObjectName("revoke_dialog")
        name = account.display_name or account.username
        self.setWindowTitle(self.tr("Sign out devices of {name}").format(name=name))
        intro = plain(
            QLabel(
                self.tr(
                    "A device signed out must sign in again (with the password or a new set-up "
                    "code) before it can sync. Reports it already sent stay on the server."
                ),
                self,
            )
        )
        intro.setWordWrap(True)
        self.device = QComboBox(self)
        self.device.setObjectName("revoke_device")
        self.device.addItem(self.tr("All devices of {name}").format(name=name), None)
        devices = sorted(account.devices, key=lambda d: (not d.signed_in, d.device_name))
        for d in devices:
            state = self.tr("signed in") if d.signed_in else self.tr("signed out")
            self.device.addItem(
                self.tr("{name} ({state}, last seen {time})").format(
                    name=d.device_name or d.device_id, state=state, time=time_text(d.last_seen_at)
                ),
                d.device_id,
            )
        form = QFormLayout()
        form.addRow(self.tr("&Device"), self.device)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Sign out"))
        ok.setObjectName("revoke_ok")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def device_id(self) -> str | None:
        """Return the device chosen (``None``: all of them)."""
        value = self.device.currentData()
        return str(value) if value else None

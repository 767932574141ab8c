"""Help → About: the app's name in both languages, its version, its server and its folders.

It also names the city's CA certificate trusted for https (its file and fingerprint; it holds
no secret), read from the data folder: a small file, read once when the box opens.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from informant_app import __version__
from informant_app.core.account import trust
from informant_app.core.diagnostics import safe_url
from informant_app.core.sync.types import Account
from sync.contract.resources import resource_path

#: The app's name in Chinese and in English (both always shown).
APP_NAME_ZH = "灾情信息报送"
APP_NAME_EN = "Disaster information reporting"
ICON_SIZE = 64


class AboutDialog(QDialog):
    """Who the app is and where it keeps things; text can be selected and copied.

    Signals:
        copy_requested(): "Copy diagnostic information" was clicked.
    """

    copy_requested = Signal()

    def __init__(
        self,
        account: Account | None,
        role: str | None,
        data_dir: Path,
        log_file: Path | None,
        parent: QWidget | None = None,
    ) -> None:
        """Build the dialog.

        Args:
            account: the account signed in now, or ``None``.
            role: the account's role in words.
            data_dir: the data folder.
            log_file: the log file (its folder is shown).
            parent: the main window.
        """
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(self.tr("About Disaster information reporting"))
        icon = QLabel(self)
        icon.setObjectName("about_icon")
        path = resource_path("icons", "informant.svg")
        if path.exists():
            icon.setPixmap(
                QIcon(str(path)).pixmap(QSize(ICON_SIZE, ICON_SIZE), self.devicePixelRatioF())
            )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel(f"<b style='font-size: large'>{APP_NAME_ZH}</b><br>{APP_NAME_EN}", self)
        title.setObjectName("about_title")
        self.version = QLabel(self.tr("Version {version}").format(version=__version__), self)
        self.version.setObjectName("about_version")
        if account is None:
            server = self.tr("Not signed in")
        else:
            server = self.tr("{url}\nsigned in as {user} ({role})").format(
                url=safe_url(account.server_url), user=account.username, role=role or account.role
            )
        self.server = self._value(server, "about_server")
        self.data_folder = self._value(str(data_dir), "about_data_folder")
        logs = str(log_file.parent) if log_file is not None else self.tr("No log file")
        self.log_folder = self._value(logs, "about_log_folder")
        self.ca_certificate = self._value(self._ca_text(data_dir), "about_ca_certificate")

        details = QFormLayout()
        details.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        details.addRow(self.tr("City server:"), self.server)
        details.addRow(self.tr("Data folder:"), self.data_folder)
        details.addRow(self.tr("Log folder:"), self.log_folder)
        details.addRow(self.tr("CA certificate:"), self.ca_certificate)
        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(self.version)
        text.addSpacing(8)
        text.addLayout(details)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addSpacing(12)
        top.addLayout(text, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton(self.tr("&Copy diagnostic information"), self)
        self.copy_button.setObjectName("copy_diagnostics")
        self.copy_button.setAutoDefault(False)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy_requested)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        close.setFocus()
        self.setMinimumWidth(480)

    def _ca_text(self, data_dir: Path) -> str:
        """Return the CA certificate trusted for https: its file and SHA-256 fingerprint."""
        try:
            bundle = trust.ca_bundle_info(data_dir)
        except (OSError, trust.CaBundleError):
            return self.tr(
                "The city's CA certificate file cannot be read; choose it again on the set-up page."
            )
        if bundle is None:
            return self.tr("None: the usual certificate authorities are trusted")
        return self.tr("{path}\nSHA-256 {fingerprint}").format(
            path=bundle.path, fingerprint=bundle.fingerprint
        )

    def _value(self, text: str, name: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        return label

"""The settings dialog: the UI language (used from the next start)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from informant_app.ui.account.setup_ca import CaCertificateBox
from informant_app.ui.common.ui_settings import LANGUAGES, UiSettings
from informant_app.ui.tasks.manager import TaskManager


class SettingsDialog(QDialog):
    """Choose the language; shows where data and logs are kept."""

    def __init__(
        self,
        settings: UiSettings,
        current_language: str,
        data_dir: Path,
        log_file: Path | None,
        parent: QWidget | None = None,
        worker: TaskManager | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self._settings = settings
        self.setWindowTitle(self.tr("Settings"))
        self.language = QComboBox(self)
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(current_language), 0))
        restart = QLabel(self.tr("A new language takes effect after restarting the app."), self)
        restart.setWordWrap(True)
        data = QLabel(str(data_dir), self)
        logs = QLabel(str(log_file) if log_file else "", self)
        for label in (data, logs):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("&Language"), self.language)  # the label's buddy: Alt+L
        form.addRow("", restart)
        form.addRow(self.tr("Data folder"), data)
        form.addRow(self.tr("Log file"), logs)
        # The city's own CA for an https server (copied into the data folder by the worker).
        self.ca_box = CaCertificateBox(
            current_language, worker=worker, data_dir=data_dir, parent=self
        )
        form.addRow(self.tr("https certificate"), self.ca_box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    @override
    def accept(self) -> None:
        self._settings.language = str(self.language.currentData())
        super().accept()

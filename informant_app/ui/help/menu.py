"""The Help menu: About, and Copy diagnostic information (for the township or the developers)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from informant_app.core.sync.types import Account
from informant_app.ui.help.about_dialog import AboutDialog
from informant_app.ui.help.diagnostics_action import DiagnosticsCopier
from informant_app.ui.tasks.manager import TaskManager

#: Returns the account signed in now and its role in words (both ``None`` without one).
AccountSource = Callable[[], tuple[Account | None, str | None]]


class HelpMenu(QObject):
    """Adds the Help menu to a main window and runs its actions.

    Signals:
        message(str): a line for the status bar ("copied to the clipboard").
        dialog_opened(object): the About dialog was opened; carries it.
    """

    message = Signal(str)
    dialog_opened = Signal(object)

    def __init__(
        self,
        window: QMainWindow,
        worker: TaskManager,
        lang: str,
        data_dir: Path,
        log_file: Path | None,
        account: AccountSource,
    ) -> None:
        """Build the actions and the menu (last in ``window``'s menu bar)."""
        super().__init__(window)
        self._window = window
        self._data_dir = data_dir
        self._log_file = log_file
        self._account = account
        self.about_dialog: AboutDialog | None = None
        self.copier = DiagnosticsCopier(worker, lang, data_dir, log_file, self)
        self.copier.copied.connect(
            lambda _text: self.message.emit(
                self.tr(
                    "Diagnostic information copied to the clipboard. It has no password "
                    "and no report contents."
                )
            )
        )
        self.act_about = QAction(self.tr("&About…"), window)
        self.act_about.setMenuRole(QAction.MenuRole.AboutRole)
        self.act_about.triggered.connect(self.show_about)
        self.act_copy_diagnostics = QAction(self.tr("&Copy diagnostic information"), window)
        self.act_copy_diagnostics.setToolTip(
            self.tr(
                "Copy versions, folders, report counts and the sync state to the clipboard, to "
                "paste into a message to your township"
            )
        )
        self.act_copy_diagnostics.triggered.connect(self.copier.copy)
        self.menu: QMenu = window.menuBar().addMenu(self.tr("&Help"))
        self.menu.setObjectName("help_menu")
        self.menu.addAction(self.act_copy_diagnostics)
        self.menu.addSeparator()
        self.menu.addAction(self.act_about)

    def show_about(self) -> AboutDialog:
        """Open the About dialog (not modal to the app)."""
        account, role = self._account()
        dialog = AboutDialog(account, role, self._data_dir, self._log_file, self._window)
        dialog.copy_requested.connect(self.copier.copy)
        dialog.finished.connect(dialog.deleteLater)
        self.about_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

"""The Help menu: the user guide (F1), Copy diagnostic information, and About.

The diagnostic information is for the township or the developers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from informant_app.core.sync.types import Account
from informant_app.ui.help.about_dialog import AboutDialog
from informant_app.ui.help.diagnostics_action import DiagnosticsCopier
from informant_app.ui.help.guide_dialog import GuideDialog, page_for_role
from informant_app.ui.tasks.manager import TaskManager

#: Returns the account signed in now and its role in words (both ``None`` without one).
AccountSource = Callable[[], tuple[Account | None, str | None]]


class HelpMenu(QObject):
    """Adds the Help menu to a main window and runs its actions.

    Signals:
        message(str): a line for the status bar ("copied to the clipboard").
        dialog_opened(object): the About dialog or the guide was opened; carries it.
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
        self._lang = lang
        self.about_dialog: AboutDialog | None = None
        self.guide_dialog: GuideDialog | None = None
        self.copier = DiagnosticsCopier(worker, lang, data_dir, log_file, self)
        self.copier.copied.connect(
            lambda _text: self.message.emit(
                self.tr(
                    "Diagnostic information copied to the clipboard. It has no password "
                    "and no report contents."
                )
            )
        )
        self.act_guide = QAction(self.tr("&User guide"), window)
        self.act_guide.setObjectName("act_guide")
        self.act_guide.setShortcut(QKeySequence("F1"))
        self.act_guide.setToolTip(self.tr("How to file, review and administer, page by role (F1)"))
        self.act_guide.triggered.connect(self.show_guide)
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
        self.menu.addAction(self.act_guide)
        self.menu.addSeparator()
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

    def show_guide(self) -> GuideDialog:
        """Open the user guide (not modal) on the signed-in role's page; raise it if open."""
        account, _role = self._account()
        role = account.role if account is not None else None
        dialog = self.guide_dialog
        if dialog is None:
            dialog = GuideDialog(self._lang, role, self._window)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.destroyed.connect(self._guide_closed)
            self.guide_dialog = dialog
        else:
            dialog.show_page(page_for_role(role))
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.dialog_opened.emit(dialog)
        return dialog

    def _guide_closed(self) -> None:
        self.guide_dialog = None

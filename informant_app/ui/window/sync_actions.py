"""The main window's sync side: its actions, its part of the status bar, and its dialogs.

"Sync now", "Retry sending", "Resolve conflict…", "Sign in…" and "Sign out…"; store calls go
through the task manager's ``db`` lane, rounds and sign-in through the ``SyncController``.
Reports changed here (a retry, a resolution) or by a round are announced by the manager's
change notice (``Changes(reports=True)``), on which the main window reloads its list.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QStyle

from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportRow, ReportState
from informant_app.core.sync.engine import (
    ResolutionRefusedError,
    open_conflicts,
    resolve_conflict,
    retry_version,
)
from informant_app.core.sync.types import (
    Account,
    Conflict,
    RoundSummary,
    SyncErrorKind,
    SyncStatus,
)
from informant_app.ui.account.sign_in_dialog import SignInDialog
from informant_app.ui.common.errors import ErrorPresenter
from informant_app.ui.common.ui_settings import UiSettings
from informant_app.ui.sync.conflict_dialog import ConflictDialog
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.sync.status import SyncStatusBar
from informant_app.ui.tasks.manager import Changes, TaskManager

log = logging.getLogger(__name__)

#: "Sync now": F9, the send/receive key of mail programs (F5 reloads the list, Ctrl+R revises).
SYNC_NOW_SHORTCUT = "F9"


class SyncActions(QObject):
    """Builds and runs the sync actions of one main window.

    Signals:
        account_changed(): signed in or out (or the account was loaded at start).
        profile_changed(): signing in saved a profile from the account; reload it.
        offline_chosen(): the informant chose a local profile instead of an account.
        dialog_opened(object): a sign-in or conflict dialog was opened; carries it.
    """

    account_changed = Signal()
    profile_changed = Signal()
    offline_chosen = Signal()
    dialog_opened = Signal(object)

    def __init__(
        self,
        window: QMainWindow,
        worker: TaskManager,
        controller: SyncController,
        lang: str,
        settings: UiSettings,
        errors: ErrorPresenter,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._worker = worker
        self._controller = controller
        self._lang = lang
        self._settings = settings
        self._errors = errors
        self._row: ReportRow | None = None
        self._replaced_notice: QMessageBox | None = None
        self.account: Account | None = None
        self.status_bar = SyncStatusBar(lang, window)
        self._build_actions()
        controller.status_changed.connect(self._on_status)
        controller.round_started.connect(lambda: self.status_bar.set_syncing(True))
        controller.round_finished.connect(self.status_bar.round_finished)
        controller.round_finished.connect(self._on_round_finished)
        controller.round_progress.connect(self.status_bar.set_progress)
        controller.reports_changed.connect(self._round_changed_reports)
        controller.signed_in.connect(self._on_signed_in)
        controller.signed_out.connect(self._on_signed_out)
        controller.failed.connect(self._on_failed)

    @property
    def controller(self) -> SyncController:
        """The sync controller these actions drive."""
        return self._controller

    def _build_actions(self) -> None:
        style = self._window.style()
        sp = QStyle.StandardPixmap

        def action(
            text: str,
            slot: object,
            icon: QStyle.StandardPixmap | None = None,
            shortcut: str | None = None,
        ) -> QAction:
            act = QAction(text, self._window)
            if icon is not None:
                act.setIcon(style.standardIcon(icon))
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            return act

        self.act_sync_now = action(
            self.tr("&Sync now"), self._controller.sync_now, sp.SP_DriveNetIcon, SYNC_NOW_SHORTCUT
        )
        self.act_sync_now.setToolTip(
            self.tr("Send queued reports and fetch news now ({key})").format(key=SYNC_NOW_SHORTCUT)
        )
        self.act_retry = action(self.tr("Re&try sending"), self.retry_selected, sp.SP_ArrowForward)
        self.act_retry.setToolTip(self.tr("Put the refused version back in the queue"))
        self.act_resolve = action(
            self.tr("Resolve &conflict…"), self.resolve_selected, sp.SP_MessageBoxWarning
        )
        self.act_sign_in = action(self.tr("Sign &in…"), lambda: self.show_sign_in())
        self.act_sign_out = action(self.tr("Sign &out…"), self.sign_out)
        self.update_for(None)

    # --- state ------------------------------------------------------------------------------

    def set_account(self, account: Account | None) -> None:
        """Record the account this device is signed in with (``None``: none)."""
        self.account = account
        if account is not None:
            self._settings.server_url = account.server_url
        self.update_for(self._row)
        self.account_changed.emit()

    def show_sending(self, shown: bool) -> None:
        """Show the status bar's count of reports to send (hidden for an account filing none)."""
        self.status_bar.queue.setVisible(shown)

    def role_text(self) -> str | None:
        """Return the signed-in account's role in words, or ``None`` without an account."""
        if self.account is None:
            return None
        roles = {
            "village_informant": self.tr("village informant"),
            "township_reviewer": self.tr("township reviewer"),
            "county_admin": self.tr("county administrator"),
            "city_admin": self.tr("city administrator"),
        }
        return roles.get(self.account.role, self.account.role)

    def update_for(self, row: ReportRow | None) -> None:
        """Enable the actions that apply to the selected report ``row``."""
        self._row = row
        status = self._controller.status
        auth_refused = (
            status is not None
            and status.last_problem is not None
            and status.last_problem.kind is SyncErrorKind.AUTH
        )
        self.act_retry.setEnabled(row is not None and row.state is ReportState.ERROR)
        self.act_resolve.setEnabled(row is not None and row.state is ReportState.CONFLICT)
        self.act_sign_in.setEnabled(self.account is None or auth_refused)
        self.act_sign_out.setEnabled(self.account is not None)

    def _on_status(self, status: SyncStatus) -> None:
        self.status_bar.set_status(status)
        self.update_for(self._row)

    def _on_round_finished(self, summary: RoundSummary) -> None:
        problem = summary.problem
        if problem is not None and problem.reason == "replaced":
            self._tell_replaced(problem.message(self._lang))

    def _tell_replaced(self, text: str) -> None:
        """Say plainly, once, that the account was set up on another device with a code.

        The server's words name when, the other device and whose code it was; a manager
        signing in as the informant is thus seen by the informant (issue 18).
        """
        if self._replaced_notice is not None and self._replaced_notice.text() == text:
            return  # told once; the status bar keeps saying it
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Signed out on this PC"), text)
        box.setParent(self._window, box.windowFlags())
        box.setInformativeText(
            self.tr(
                "Reports not yet sent stay on this PC. Sign in again to send them "
                "(ask your township for a new set-up code)."
            )
        )
        box.setModal(False)
        box.show()
        self._replaced_notice = box

    def _on_failed(self, exc: BaseException) -> None:
        self.status_bar.set_syncing(self._controller.running)
        self._errors.show_error(exc)

    # --- retry and conflicts ----------------------------------------------------------------

    def retry_selected(self) -> None:
        """Put the selected refused version back in the queue and sync."""
        row = self._row
        if row is None or row.state is not ReportState.ERROR:
            return
        version = row.version_uuid
        self._worker.run(
            lambda store: retry_version(store, version),
            on_done=lambda _r: self._queued_again(),
            owner=self,
            changes=Changes(reports=True),
        )

    def _round_changed_reports(self) -> None:
        self._worker.notify(Changes(reports=True))

    def _queued_again(self) -> None:
        self._controller.on_submitted()

    def resolve_selected(self) -> None:
        """Open the conflict of the selected report."""
        if self._row is not None and self._row.state is ReportState.CONFLICT:
            self.open_conflict(self._row.report_uuid)

    def open_conflict(self, report_uuid: str) -> None:
        """Load the conflict of ``report_uuid`` on the worker and show it side by side."""

        def load(store: ReportStore) -> list[Conflict]:
            return [c for c in open_conflicts(store) if c.report_uuid == report_uuid]

        self._worker.run(load, on_done=self._show_conflict, owner=self)

    def _show_conflict(self, found: list[Conflict]) -> None:
        if not found:
            self._errors.show_message(
                self.tr(
                    "This conflict is already resolved, or its other version has not arrived yet. "
                    "Sync and try again."
                )
            )
            return
        dialog = ConflictDialog(found[0], self._lang, self._window)
        dialog.accepted.connect(lambda: self.resolve(dialog.conflict, dialog.choices()))
        dialog.finished.connect(dialog.deleteLater)
        self.conflict_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

    def resolve(self, conflict: Conflict, choices: dict[str, str]) -> None:
        """File the resolution as a new version (on the worker) and send it."""
        report_uuid = conflict.report_uuid
        self._worker.run(
            lambda store: resolve_conflict(store, report_uuid, choices),
            on_done=lambda _version: self._resolved(),
            on_error=self._not_resolved,
            owner=self,
            changes=Changes(reports=True),
        )

    def _not_resolved(self, exc: BaseException) -> None:
        if isinstance(exc, ResolutionRefusedError):  # the chosen values break a rule
            text = exc.zh if self._lang.startswith("zh") else exc.en
            self._errors.show_message(self.tr("Not resolved: {reason}").format(reason=text))
        else:
            self._errors.show_error(exc)

    def _resolved(self) -> None:
        self._window.statusBar().showMessage(
            self.tr("Conflict resolved: a new version is queued."), 10_000
        )
        self._queued_again()

    # --- the account ------------------------------------------------------------------------

    def show_sign_in(self) -> SignInDialog:
        """Open the set-up page (with the last server address and user name).

        It tests the connection, then signs in by password or by the township's set-up code.
        """
        previous = self.account
        dialog = SignInDialog(
            self._controller,
            self._lang,
            server_url=previous.server_url if previous else (self._settings.server_url or ""),
            username=previous.username if previous else "",
            parent=self._window,
            worker=self._worker,
        )
        dialog.offline_chosen.connect(self.offline_chosen)
        dialog.finished.connect(dialog.deleteLater)
        self.sign_in_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def _on_signed_in(self, account: Account) -> None:
        self.set_account(account)
        self.profile_changed.emit()

    def sign_out(self) -> None:
        """Sign out after saying that unsent reports are kept."""
        if self.account is None:
            return
        status = self._controller.status
        waiting = status.queued + status.errors if status is not None else 0
        text = self.tr(
            "Sign out from this computer? Reports not yet sent ({n} now) are kept here and go "
            "out after the next sign-in."
        ).format(n=waiting)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Sign out"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self._window,
        )
        box.setObjectName("sign_out_box")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        yes = box.button(QMessageBox.StandardButton.Yes)
        yes.setText(self.tr("Sign out"))
        yes.clicked.connect(self._controller.sign_out)
        box.finished.connect(box.deleteLater)
        self.sign_out_box = box
        box.open()

    def _on_signed_out(self) -> None:
        self.set_account(None)
        self._window.statusBar().showMessage(
            self.tr("Signed out. Unsent reports are kept and go out after the next sign-in."),
            10_000,
        )

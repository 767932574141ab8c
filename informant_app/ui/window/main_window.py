"""The main window: the report list with its filters, the report actions and the status bar.

With a ``SyncController`` it also signs in, syncs, retries and resolves conflicts
(``SyncActions``).  For a township reviewer's account ``RoleLayout`` adds the review workspace
(the review queue and the township report) as tabs before the report list, and hides the actions
that file village reports.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QStyle,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from informant_app.core.divisions import current_divisions, find_division
from informant_app.core.reports.importing import ImportSummary
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import Draft, EventSummary, Profile, ReportRow, ReportState
from informant_app.core.sync.engine import current_account
from informant_app.core.sync.types import Account
from informant_app.ui.common.errors import ErrorPresenter
from informant_app.ui.common.labels import stage_label, state_label, time_column_width, village_name
from informant_app.ui.common.ui_settings import UiSettings
from informant_app.ui.duty.informant_duty import InformantDuty
from informant_app.ui.help.menu import HelpMenu
from informant_app.ui.reports.detail import ReportDetailLine
from informant_app.ui.reports.filter_bar import ReportFilterBar
from informant_app.ui.reports.import_action import ReportImporter
from informant_app.ui.reports.table_model import Column, ReportTableModel
from informant_app.ui.reports.village_review import (
    VersionToShow,
    decision_for_draft,
    load_version,
)
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.tasks.manager import Changes, TaskManager
from informant_app.ui.window.role_layout import RoleLayout
from informant_app.ui.window.sync_actions import SyncActions
from sync.contract import Division

if TYPE_CHECKING:
    from informant_app.core.review.types import Decision, HistoryEntry
    from informant_app.ui.reports.form import ReportForm
    from informant_app.ui.window.review_workspace import ReviewWorkspace

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """The informant's home: every report on this device, newest first.

    Signals:
        profile_ready(): the profile is known (loaded, or saved on first start) and the list
            is loading.
        form_opened(object): a report form was opened; carries the ``ReportForm``.
        review_ready(object): the review workspace was added (a reviewer's account); carries
            the ``ReviewWorkspace``.
        dialog_opened(object): a history dialog was opened; carries it.
    """

    profile_ready = Signal()
    form_opened = Signal(object)
    review_ready = Signal(object)
    dialog_opened = Signal(object)

    def __init__(
        self,
        worker: TaskManager,
        lang: str,
        data_dir: Path,
        settings: UiSettings,
        log_file: Path | None = None,
        parent: QWidget | None = None,
        sync: SyncController | None = None,
    ) -> None:
        """Build the window; call ``start`` once the worker's store is open.

        Args:
            worker: the task manager (its store open or opening); its change notices reload
                the list.
            lang: the UI language ("zh_CN" or "en").
            data_dir: the data folder, shown in the status bar.
            settings: the UI settings (language, geometry).
            log_file: the log file, named in error messages.
            parent: the Qt parent.
            sync: the sync controller; without it the window works offline only (no
                sign-in, no sync actions).
        """
        super().__init__(parent)
        self.setObjectName("main_window")
        self._worker = worker
        self._lang = lang
        self._data_dir = data_dir
        self._settings = settings
        self._log_file = log_file
        self._profile: Profile | None = None
        self._events: list[EventSummary] = []
        self._forms: dict[str, ReportForm] = {}
        self.state_counts: dict[ReportState, int] = {}
        self.errors = ErrorPresenter(self, lang, log_file)
        worker.failed.connect(self.errors.show_error)
        worker.changed.connect(self._on_changed)
        self.importer = ReportImporter(worker, lang, self)
        self.importer.imported.connect(self._on_imported)
        self.importer.refused.connect(self.errors.show_message)
        self.importer.cancelled.connect(self._say)
        self.sync_actions: SyncActions | None = None
        if sync is not None:
            self.sync_actions = SyncActions(self, worker, sync, lang, settings, self.errors)
            self.sync_actions.profile_changed.connect(self.reload_profile)
            self.sync_actions.offline_chosen.connect(lambda: self._ask_profile(self._profile))
            self.sync_actions.account_changed.connect(self._update_title)
            self.sync_actions.account_changed.connect(self._apply_role)

        self.model = ReportTableModel(worker, lang, parent=self)
        self.filters = ReportFilterBar(lang, self)
        self.table = QTableView(self)
        self._build_table()
        self.detail = ReportDetailLine(self)
        self.reports_page = QWidget(self)
        layout = QVBoxLayout(self.reports_page)
        layout.addWidget(self.filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("main_tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setTabBarAutoHide(True)  # an informant sees the list alone
        self.tabs.addTab(self.reports_page, self.tr("Reports"))
        self.duty: InformantDuty | None = None
        if sync is not None:
            self.duty = InformantDuty(self, worker, lang, self.errors, sync)
            self.duty.message.connect(self._say)
            self.duty.draft_ready.connect(self._open_draft)  # 填写初报 from a notice
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        if self.duty is not None:
            column.addWidget(self.duty.banner)  # an informant's duty, above everything
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.roles = RoleLayout(self.tabs, self.reports_page, worker, lang, self.errors, sync, self)
        self.roles.review_ready.connect(self._on_review_ready)
        self.roles.duty_ready.connect(lambda duty: duty.message.connect(self._say))
        self.roles.admin_ready.connect(lambda admin: admin.message.connect(self._say))
        self._build_actions()
        self._build_status_bar()
        self._update_title()
        self.filters.filter_changed.connect(self.model.set_filter)
        self._kept_selection: str | None = None
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_selection)
        self.model.loaded.connect(self._update_actions)
        self.resize(1280, 720)
        geometry = settings.geometry("main_window")
        if geometry is not None:
            self.restoreGeometry(geometry)

    # --- building --------------------------------------------------------------------------

    def _build_table(self) -> None:
        table = self.table
        table.setObjectName("report_table")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.EVENT, QHeaderView.ResizeMode.Stretch)
        widths = {
            Column.STATE: 90,
            Column.STAGE: 70,
            Column.VILLAGE: 110,
            Column.DISASTER: 100,
            Column.AFFECTED: 80,
            Column.DEATHS: 70,
            Column.DIRECT_LOSS: 130,
            Column.PHOTOS: 60,
            Column.UPDATED: time_column_width(table, 140),
        }
        for column, width in widths.items():
            table.setColumnWidth(column, width)
        table.doubleClicked.connect(self._open_index)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._show_context_menu)
        table.selectionModel().selectionChanged.connect(self._update_actions)

    def _action(
        self,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
        icon: QStyle.StandardPixmap | None,
        slot: Any,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.act_new = self._action(
            self.tr("&New report"), "Ctrl+N", sp.SP_FileIcon, self.new_report
        )
        self.act_continue = self._action(
            self.tr("New &continuing report"),
            "Ctrl+Shift+N",
            sp.SP_FileDialogNewFolder,
            self.new_continuing,
        )
        self.act_revise = self._action(
            self.tr("&Revise"), "Ctrl+R", sp.SP_FileDialogDetailedView, self.revise
        )
        self.act_open = self._action(
            self.tr("&Open"), "Return", sp.SP_DialogOpenButton, self.open_selected
        )
        self.act_open.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.act_open)
        self.act_history = self._action(self.tr("&History…"), "Ctrl+H", None, self.show_history)
        self.act_history.setToolTip(
            self.tr(
                "Every state change of the report: who, in which role, device time and server time"
            )
        )
        self.act_discard = self._action(
            self.tr("&Discard draft…"),
            QKeySequence.StandardKey.Delete,
            sp.SP_TrashIcon,
            self.discard_draft,
        )
        self.act_discard.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.act_discard)
        self.act_refresh = self._action(
            self.tr("Re&fresh"),
            QKeySequence.StandardKey.Refresh,
            sp.SP_BrowserReload,
            lambda: self.refresh(reorder=True),
        )
        self.act_import = self._action(
            self.tr("&Import reports…"),
            "Ctrl+I",
            sp.SP_DialogOpenButton,
            lambda: self.importer.choose_and_import(self),
        )
        self.act_profile = self._action(self.tr("&Profile…"), None, None, self.edit_profile)
        self.act_settings = self._action(self.tr("&Settings…"), "Ctrl+,", None, self.show_settings)
        self.act_quit = self._action(
            self.tr("&Quit"), QKeySequence.StandardKey.Quit, None, self.close
        )
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)

        sync = self.sync_actions
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        if sync is not None:
            file_menu.addActions([sync.act_sign_in, sync.act_sign_out])
            file_menu.addSeparator()
        file_menu.addActions([self.act_import, self.act_profile, self.act_settings])
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        report_menu = self.menuBar().addMenu(self.tr("&Report"))
        report_menu.addActions(
            [
                self.act_new,
                self.act_continue,
                self.act_revise,
                self.act_open,
                self.act_history,
                self.act_discard,
            ]
        )
        if sync is not None:
            report_menu.addSeparator()
            report_menu.addActions([sync.act_retry, sync.act_resolve])
        report_menu.addSeparator()
        report_menu.addAction(self.act_refresh)
        if sync is not None:
            report_menu.addAction(sync.act_sync_now)
        if self.duty is not None:
            self.duty.menu = self.menuBar().addMenu(self.tr("&Duty"))
            self.duty.menu.addActions(self.duty.actions())
            self.duty.set_account(None)  # hidden until an informant's account is known
        self.help = HelpMenu(
            self, self._worker, self._lang, self._data_dir, self._log_file, self._account_and_role
        )
        self.help.message.connect(self._say)

        toolbar = QToolBar(self.tr("Report actions"), self)
        toolbar.setObjectName("report_toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setMovable(False)
        toolbar.addActions(
            [self.act_new, self.act_continue, self.act_revise, self.act_open, self.act_history]
        )
        if sync is not None:
            toolbar.addActions([sync.act_retry, sync.act_resolve])
        toolbar.addSeparator()
        toolbar.addAction(self.act_refresh)
        if sync is not None:
            toolbar.addAction(sync.act_sync_now)
        self.addToolBar(toolbar)
        list_only = [self.act_open]
        filing = [
            self.act_new,
            self.act_continue,
            self.act_revise,
            self.act_discard,
            self.act_import,
        ]
        if sync is not None:
            # sending and conflicts concern the reports this device files
            list_only += [sync.act_retry, sync.act_resolve]
            filing += [sync.act_retry, sync.act_resolve]
        self.roles.set_actions(filing=filing, list_only=list_only)
        self._update_actions()

    def _build_status_bar(self) -> None:
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("state_counts")
        folder = QLabel(self.tr("Data folder: {path}").format(path=self._data_dir), self)
        folder.setObjectName("data_folder")
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.data_folder_label = folder
        self.statusBar().addWidget(self.counts_label, 1)
        if self.sync_actions is not None:
            self.statusBar().addPermanentWidget(self.sync_actions.status_bar)
            folder.hide()  # the settings dialog shows it; the bar is for the sync now
            # the counts give way to the sync status when the bar is short of room
            self.counts_label.setSizePolicy(
                QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred
            )
        self.statusBar().addPermanentWidget(folder)

    def _update_title(self) -> None:
        title = self.tr("Disaster information reporting")
        role = self.sync_actions.role_text() if self.sync_actions is not None else None
        account = self.sync_actions.account if self.sync_actions is not None else None
        if account is not None and account.role != "village_informant":
            title += " — " + self.tr("{name} ({role})").format(
                name=account.display_name or account.username, role=role
            )
        elif self._profile is not None:
            title += " — " + self.tr("{name} (post {role})").format(
                name=self._profile.informant_name, role=self._profile.role.value
            )
        self.setWindowTitle(title)

    # --- start and refresh ---------------------------------------------------------------

    @property
    def review(self) -> ReviewWorkspace | None:
        """The reviewer's workspace, while a reviewer's account is signed in."""
        return self.roles.review

    @property
    def profile(self) -> Profile | None:
        """The informant's profile, once loaded."""
        return self._profile

    def start(self) -> None:
        """Load the profile, the account and the report list.

        On the very first start (no account, no profile) the informant is asked to sign in
        (or, without a sync controller, for a local profile).
        """
        with_account = self.sync_actions is not None

        def load(store: ReportStore) -> tuple[Profile | None, list[EventSummary], list[Account]]:
            account = current_account(store) if with_account else None
            return store.profile(), store.events(), [account] if account else []

        self._worker.run(load, on_done=lambda result: self._on_started(*result), owner=self)

    def _on_started(
        self, profile: Profile | None, events: list[EventSummary], account: list[Account]
    ) -> None:
        self._set_events(events)
        if self.sync_actions is not None:
            self.sync_actions.set_account(account[0] if account else None)
        if profile is None:
            self.statusBar().showMessage(self.tr("Set up your profile to start reporting."))
            if self.sync_actions is not None and not account:
                self.sync_actions.show_sign_in()
            else:
                self._ask_profile(None)
            return
        self._on_profile(profile)

    def reload_profile(self) -> None:
        """Load the profile again (signing in derived it from the account)."""

        def loaded(profile: Profile | None) -> None:
            if profile is not None:
                self._on_profile(profile)

        self._worker.run(lambda store: store.profile(), on_done=loaded, owner=self)

    def _on_profile(self, profile: Profile) -> None:
        self._profile = profile
        self._update_title()
        self._update_actions()
        self.model.set_filter(self.filters.current_filter())
        self._load_counts()
        self.profile_ready.emit()

    def refresh(self, reorder: bool = False) -> None:
        """Reload the list, the events and the counts (after a submit, an import, a sync).

        ``reorder`` (a refresh by hand) also puts the review queue back in review order.
        """
        self.model.refresh()
        if self.review is not None:
            self.review.refresh(reorder)
        self._worker.run(lambda store: store.events(), on_done=self._set_events, owner=self)
        self._load_counts()

    def _on_changed(self, changes: Changes) -> None:
        """Reload the list when reports changed (a discard, an import, a retry, a round)."""
        if changes.reports:
            self.refresh()

    def _set_events(self, events: list[EventSummary]) -> None:
        self._events = list(events)
        self.filters.set_events(self._events)
        if self.review is not None:
            self.review.set_events(self._events)

    def _load_counts(self) -> None:
        self._worker.run(lambda store: store.state_counts(), on_done=self._show_counts, owner=self)

    def _show_counts(self, counts: Mapping[ReportState, int]) -> None:
        self.state_counts = dict(counts)
        parts = [f"{state_label(state)} {counts.get(state, 0)}" for state in ReportState]
        self.counts_label.setText("  ·  ".join(parts))
        self.counts_label.setToolTip("\n".join([*parts, self.data_folder_label.text()]))

    # --- the profile -----------------------------------------------------------------------

    def edit_profile(self) -> None:
        """Let the informant change their profile."""
        self._ask_profile(self._profile)

    def _ask_profile(self, current: Profile | None) -> None:
        from informant_app.ui.account.profile_dialog import ProfileDialog

        dialog = ProfileDialog(current_divisions(), current, self)
        dialog.accepted.connect(lambda: self._save_profile(dialog.profile()))
        dialog.finished.connect(dialog.deleteLater)
        self.profile_dialog = dialog
        dialog.open()

    def _save_profile(self, profile: Profile) -> None:
        self._worker.run(
            lambda store: store.save_profile(profile),
            on_done=lambda _r: self._on_profile(profile),
            owner=self,
            changes=Changes(profile=True),
        )

    def show_settings(self) -> None:
        """Open the settings dialog."""
        from informant_app.ui.account.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            self._settings, self._lang, self._data_dir, self._log_file, self, worker=self._worker
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    # --- report actions ------------------------------------------------------------------

    def selected_row(self) -> ReportRow | None:
        """Return the report of the selected line."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _remember_selection(self) -> None:
        row = self.selected_row()
        self._kept_selection = row.report_uuid if row is not None else None

    def _restore_selection(self) -> None:
        """Keep the informant's line selected across a refresh (the list is reloaded)."""
        line = self.model.row_of(self._kept_selection) if self._kept_selection else None
        if line is not None:
            self.table.selectRow(line)
        self._update_actions()

    def _update_actions(self) -> None:
        row = self.selected_row()
        if row is None:
            self.detail.show_row(None, None)
        else:
            self.detail.show_row(
                row, self.model.photo_progress(row), self.model.server_message(row)
            )
        if self.sync_actions is not None:
            self.sync_actions.update_for(row)
        files = self._profile is not None and self.roles.files_reports
        self.act_new.setEnabled(files)
        self.act_import.setEnabled(files)
        self.act_continue.setEnabled(files and row is not None)
        self.act_revise.setEnabled(files and row is not None and row.state is not ReportState.DRAFT)
        self.act_open.setEnabled(row is not None)
        self.act_history.setEnabled(row is not None or self.review is not None)
        self.act_discard.setEnabled(files and row is not None and row.state is ReportState.DRAFT)

    def new_report(self) -> None:
        """Start a new initial report (a new event unless chosen otherwise in the form)."""
        if self._profile is None:
            return
        # the store puts the profile's first village in; the form offers the others
        self._worker.run(lambda store: store.new_draft(), on_done=self._open_draft, owner=self)

    def new_continuing(self) -> None:
        """Start a continuing report from the selected report's event and village."""
        row = self.selected_row()
        if row is None or self._profile is None:
            return
        self._worker.run(
            lambda store: store.new_continuing(row.event_uuid, row.village_code),
            on_done=self._open_draft,
            owner=self,
        )

    def revise(self) -> None:
        """Start a new version of the selected submitted report."""
        row = self.selected_row()
        if row is None or row.state is ReportState.DRAFT:
            return
        self.revise_report(row.report_uuid)

    def revise_report(self, report_uuid: str) -> None:
        """Start a new version of ``report_uuid`` (from the list, or a returned report's form)."""
        self._worker.run(
            lambda store: store.revise(report_uuid), on_done=self._open_draft, owner=self
        )

    def open_selected(self) -> None:
        """Open the selected report: a draft to edit, a submitted version to read."""
        row = self.selected_row()
        if row is not None:
            self._open_row(row)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self._open_row(self.model.row_at(index.row()))

    def _open_row(self, row: ReportRow) -> None:
        if row.state is ReportState.CONFLICT and self.sync_actions is not None:
            self.sync_actions.open_conflict(row.report_uuid)
            return
        if self._raise_form(row.version_uuid):
            return
        version = row.version_uuid
        if row.state is ReportState.DRAFT:
            self._worker.run(
                lambda store: store.load_draft(version), on_done=self._open_draft, owner=self
            )
        else:
            report_uuid = row.report_uuid
            self._worker.run(
                lambda store: load_version(store, version, report_uuid),
                on_done=self._open_version,
                owner=self,
            )

    def _open_version(self, shown: VersionToShow) -> None:
        if not self._raise_form(shown.version_uuid):
            form = self._open_form(shown.version_uuid, shown.content, True)
            if shown.decision is not None:
                form.show_decision(shown.decision)

    def discard_draft(self) -> None:
        """Delete the selected draft after asking."""
        row = self.selected_row()
        if row is None or row.state is not ReportState.DRAFT:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Discard draft"),
            self.tr("Discard this draft? What was typed in it is lost."),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        form = self._forms.pop(row.version_uuid, None)
        if form is not None:
            form.set_read_only(True)
            form.close()
        version = row.version_uuid
        self._worker.run(
            lambda store: store.discard_draft(version), owner=self, changes=Changes(reports=True)
        )

    def _open_draft(self, draft: Draft) -> None:
        self.refresh()  # a new draft shows in the list at once
        if self._raise_form(draft.version_uuid):
            return
        if draft.parent_version_uuid is None:
            self._open_form(draft.version_uuid, draft.content, False)
            return

        def opened(decision: Decision | None) -> None:  # a revision shows why it came back
            if self._raise_form(draft.version_uuid):
                return
            form = self._open_form(draft.version_uuid, draft.content, False)
            if decision is not None:
                form.show_decision(decision)

        self._worker.run(lambda store: decision_for_draft(store, draft), on_done=opened, owner=self)

    def _raise_form(self, version_uuid: str) -> bool:
        form = self._forms.get(version_uuid)
        if form is None:
            return False
        form.show()
        form.raise_()
        form.activateWindow()
        return True

    def _villages_for(self, content: Mapping[str, Any]) -> list[Division]:
        divisions = current_divisions()  # as last synced (in memory)
        codes = list(self._profile.village_codes if self._profile else ())
        own = content.get("village_code")
        if isinstance(own, str) and own and own not in codes:
            codes.append(own)  # an old report of a village no longer in the profile
        found = [(c, find_division(c, divisions)) for c in codes]
        # a retired village takes no new reports; an old report keeps its own
        return [d for c, d in found if d is not None and (not d.retired or c == own)]

    def _open_form(
        self, version_uuid: str, content: Mapping[str, Any], read_only: bool
    ) -> ReportForm:
        from informant_app.ui.reports.form import ReportForm  # the list opens without it

        form = ReportForm(
            self._worker,
            self._lang,
            version_uuid,
            content,
            villages=self._villages_for(content),
            events=self._events,
            read_only=read_only,
            parent=self,
        )
        form.submitted.connect(self._on_submitted)
        form.closed.connect(self._on_form_closed)
        form.revise_requested.connect(self.revise_report)
        self._forms[version_uuid] = form
        form.show()
        self.form_opened.emit(form)
        return form

    def open_forms(self) -> list[ReportForm]:
        """Return the report forms open now."""
        return list(self._forms.values())

    def _on_submitted(self, version_uuid: str) -> None:
        """Say where the submitted report stands now, and again once a round has moved it.

        The state is the version's own (its last recorded change), as its row shows it: a
        report the server already has is not called queued.
        """
        queued = self.tr("Report submitted and queued: it is sent when the server can be reached.")
        texts = {
            ReportState.QUEUED: queued,
            ReportState.SENDING: queued,
            ReportState.RECEIVED: self.tr("Report submitted and delivered: the server has it."),
            ReportState.ERROR: self.tr(
                "Report submitted, but sending it failed: see its line in the list."
            ),
            ReportState.CONFLICT: self.tr(
                "Report submitted; another version of it differs: see its line in the list."
            ),
        }
        controller = self.sync_actions.controller if self.sync_actions is not None else None
        shown: list[ReportState] = []

        def show(log: list[Any]) -> None:
            state = log[-1].state if log else ReportState.QUEUED
            if shown and shown[-1] is state:
                return
            shown.append(state)
            self.statusBar().showMessage(texts.get(state, queued), 15_000)
            if controller is not None and state not in (ReportState.QUEUED, ReportState.SENDING):
                controller.round_finished.disconnect(ask)  # settled: no more rounds to follow

        def ask(*_args: object) -> None:
            self._worker.run(lambda store: store.state_log(version_uuid), on_done=show, owner=self)

        ask()
        if controller is not None:
            controller.round_finished.connect(ask)
            controller.on_submitted(version_uuid)

    def _show_context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        menu = self.context_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def context_menu(self) -> QMenu:
        """Return a new menu of the actions on the selected report."""
        menu = QMenu(self)
        menu.addActions([self.act_open, self.act_history, self.act_revise, self.act_continue])
        if self.sync_actions is not None:
            menu.addSeparator()
            menu.addActions([self.sync_actions.act_retry, self.sync_actions.act_resolve])
        menu.addSeparator()
        menu.addAction(self.act_discard)
        return menu

    def _on_imported(self, summary: ImportSummary) -> None:
        self.statusBar().showMessage(
            self.tr("Imported {imported} report(s) as drafts; {skipped} were already here.").format(
                imported=summary.imported, skipped=summary.skipped
            ),
            10_000,
        )  # the list reloads on the import's change notice

    def _on_form_closed(self, version_uuid: str) -> None:
        self._forms.pop(version_uuid, None)
        self.refresh()

    # --- history and the reviewer's workspace ---------------------------------------------

    def show_history(self) -> None:
        """Show the history of the selected report (in the review queue when it is shown)."""
        if self.roles.queue_shown() and self.review is not None:
            self.review.queue.show_history()
            return
        row = self.selected_row()
        if row is None:
            return
        report_uuid = row.report_uuid
        title = " · ".join(
            p
            for p in (
                village_name(row.village_code),
                row.event_name,
                stage_label(row.stage, self._lang),
            )
            if p
        )
        from informant_app.core.review.history import request_history, save_history

        self._worker.fetch_then_save(
            lambda store: request_history(store, report_uuid),
            save_history,
            on_done=lambda entries: self._show_history(title, entries),
            on_error=self.errors.show_error,
            owner=self,
        )

    def _show_history(self, title: str, entries: list[HistoryEntry]) -> None:
        from informant_app.ui.reports.history_dialog import HistoryDialog

        dialog = HistoryDialog(title, entries, self._lang, self)
        dialog.finished.connect(dialog.deleteLater)
        self.history_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

    def _apply_role(self) -> None:
        """Lay the window out for the account signed in now (or none after signing out)."""
        account = self.sync_actions.account if self.sync_actions is not None else None
        self.roles.apply(account, self._events)
        # the counts of drafts and reports to send are an informant's (a reviewer files none)
        files = self.roles.files_reports
        self.counts_label.setVisible(files)
        if self.sync_actions is not None:
            self.sync_actions.show_sending(files)
        if self.duty is not None:
            self.duty.set_account(account)
        self._update_actions()

    def _account_and_role(self) -> tuple[Account | None, str | None]:
        actions = self.sync_actions
        return (actions.account, actions.role_text()) if actions is not None else (None, None)

    def _say(self, text: str) -> None:
        self.statusBar().showMessage(text, 10_000)

    def _on_review_ready(self, review: ReviewWorkspace) -> None:
        review.message.connect(self._say)
        self.review_ready.emit(review)

    # --- closing ---------------------------------------------------------------------------

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        for form in list(self._forms.values()):
            form.close()  # each queues its last autosave
        self._settings.set_geometry("main_window", self.saveGeometry())
        self._settings.sync()
        super().closeEvent(event)

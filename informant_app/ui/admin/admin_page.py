"""The administration page of township reviewers and county and city administrators.

Above, the division picked (the administrator's own, or one below it) with the actions on all
of it: the register import (花名册导入, with its dry run), a sheet of set-up codes for everyone
without a device (批量设置码, ``.xlsx`` and PDF) and the contact list (通讯录, ``.xlsx``).
Below, four tabs: the accounts (name, role, post, phone, devices, last sync, status) with
新建账号, 停用/重新启用, 设置码 and 撤销设备; the roster's completeness (a table and its bars);
the admin log (操作记录); and the security log (安全日志: sign-ins, failures, set-up codes,
devices signed out, account changes of the accounts administered; a page at a time, asked for
when the tab is first opened).  Everything comes from the server on the task manager's
``network`` lane; files are read and written on its ``files`` lane; nothing waits on the GUI
thread.  Offline, the page says so and keeps what it showed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from PySide6.QtCore import QPoint, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from informant_app.core.account.provisioning import SetupCode
from informant_app.core.admin import files as admin_files
from informant_app.core.admin import online as admin
from informant_app.core.admin.types import (
    CREATABLE_ROLES,
    DEFAULT_STALE_DAYS,
    Place,
    admin_places,
)
from informant_app.core.review.types import ReviewUnavailableError
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.types import Account, Phase
from informant_app.ui.admin.account_dialog import AccountDialog
from informant_app.ui.admin.accounts_model import SORT_ROLE, AccountColumn, AccountsModel
from informant_app.ui.admin.completeness import CompletenessChart, CompletenessModel
from informant_app.ui.admin.log_model import AdminLogModel
from informant_app.ui.admin.register_dialog import RegisterDialog
from informant_app.ui.admin.revoke_dialog import RevokeDialog
from informant_app.ui.admin.security_log_model import KINDS, SecurityLogModel, kind_label
from informant_app.ui.admin.setup_sheet_dialog import SetupSheetDialog
from informant_app.ui.common import file_dialogs
from informant_app.ui.common.errors import ErrorPresenter, user_message
from informant_app.ui.common.labels import ERROR_COLOR, WARNING_COLOR, local_time_text
from informant_app.ui.common.plain_text import plain
from informant_app.ui.common.table_fit import fit_columns
from informant_app.ui.duty.setup_code_dialog import SetupCodeDialog
from informant_app.ui.tasks.manager import TaskKey, TaskManager
from informant_app.ui.tasks.progress import LongJob, write_via_temp
from sync.contract import DivisionTable
from sync.contract.wire.admin import (
    AdminAccount,
    AdminAccounts,
    AdminActions,
    Contacts,
    RevokeDevicesResult,
    RosterCompleteness,
    SecurityLog,
    SetupSheet,
)
from sync.contract.wire.register import RegisterImportResult

T = TypeVar("T")

#: How long the page waits after the days changed before asking again.
STALE_DELAY_MS = 400


class AdminPage(QWidget):
    """Accounts, devices, set-up codes, register import, completeness, exports, admin log.

    Signals:
        accounts_shown(): the accounts of the division picked arrived.
        completeness_shown(): the completeness arrived.
        log_shown(): the admin log arrived.
        security_log_shown(): a page of the security log arrived.
        changed(): an action changed something on the server.
        dialog_opened(object): a dialog (or a question) was opened; carries it.
        message(str): a sentence for the status bar.
    """

    accounts_shown = Signal()
    completeness_shown = Signal()
    log_shown = Signal()
    security_log_shown = Signal()
    changed = Signal()
    dialog_opened = Signal(object)
    message = Signal(str)

    def __init__(
        self,
        worker: TaskManager,
        lang: str,
        errors: ErrorPresenter,
        account: Account,
        divisions: DivisionTable,
        parent: QWidget | None = None,
    ) -> None:
        """Build the page; call ``start`` to load it.

        Args:
            worker: the task manager (the server on its ``network`` lane, files on ``files``).
            lang: the UI language.
            errors: shows failures of actions.
            account: the administrator's account (its role and jurisdiction).
            divisions: the division table the pickers offer.
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("admin_page")
        self._worker = worker
        self._lang = lang
        self._errors = errors
        self.account = account
        self._divisions = divisions
        self._busy = 0
        self._accounts_key = TaskKey("admin-accounts")
        self._completeness_key = TaskKey("admin-completeness")
        self._log_key = TaskKey("admin-log")
        self._security_key = TaskKey("admin-security-log")
        self._security_asked = False
        self.places: list[Place] = admin_places(account.role, account.jurisdiction_code, divisions)
        self.model = AccountsModel(self._name_of, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.completeness = CompletenessModel(self)
        self.log = AdminLogModel(self)
        self.security = SecurityLogModel(self)
        self.security.more_wanted.connect(self.load_more_security_log)
        self._build()
        self._stale_timer = QTimer(self)
        self._stale_timer.setSingleShot(True)
        self._stale_timer.setInterval(STALE_DELAY_MS)
        self._stale_timer.timeout.connect(self.load_completeness)

    # --- building --------------------------------------------------------------------------

    def _button(self, text: str, name: str, tip: str, slot: Callable[[], Any]) -> QPushButton:
        made = QPushButton(text, self)
        made.setObjectName(name)
        made.setToolTip(tip)
        made.setAutoDefault(False)
        made.clicked.connect(slot)
        return made

    def _table(self, name: str) -> QTableView:
        table = QTableView(self)
        table.setObjectName(name)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        return table

    def _build(self) -> None:
        self.place = QComboBox(self)
        self.place.setObjectName("admin_place")
        for place in self.places:
            self.place.addItem("\u3000" * place.depth + place.name, place.code)
        self.place.setMinimumContentsLength(14)
        self.place.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        place_label = QLabel(self.tr("&Place"), self)
        place_label.setBuddy(self.place)
        self.refresh_button = self._button(
            self.tr("R&efresh"),
            "admin_refresh",
            self.tr("Ask the server again (Alt+E)"),
            self.refresh,
        )
        self.busy = QProgressBar(self)
        self.busy.setObjectName("admin_busy")
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.import_button = self._button(
            self.tr("Register &import…"),
            "admin_register_import",
            self.tr(
                "Import the informant register (.xlsx or .csv): a dry run first shows what "
                "would change, row by row (Alt+I)"
            ),
            self.choose_register,
        )
        self.sheet_button = self._button(
            self.tr("Set-up code &sheet…"),
            "admin_setup_sheet",
            self.tr(
                "Issue set-up codes for everyone in the place picked without a signed-in device, "
                "and save them as Excel and PDF, one page per township (Alt+S)"
            ),
            self.ask_setup_sheet,
        )
        self.contacts_button = self._button(
            self.tr("Export &contacts…"),
            "admin_contacts",
            self.tr("Save the contact list of the place picked as Excel (Alt+C)"),
            self.choose_contacts_file,
        )
        top = QHBoxLayout()
        top.addWidget(place_label)
        top.addWidget(self.place)
        top.addWidget(self.refresh_button)
        top.addWidget(self.busy)
        top.addStretch(1)
        for made in (self.import_button, self.sheet_button, self.contacts_button):
            top.addWidget(made)
        self.notice = plain(QLabel(self))
        self.notice.setObjectName("admin_notice")
        self.notice.setWordWrap(True)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("admin_tabs")
        self.tabs.addTab(self._build_accounts(), self.tr("&Accounts"))
        self.tabs.addTab(self._build_completeness(), self.tr("Comp&leteness"))
        self.tabs.addTab(self._build_log(), self.tr("Ad&min log"))
        self.security_tab = self._build_security()
        self.tabs.addTab(self.security_tab, self.tr("Securi&ty log"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs, 1)
        self.place.currentIndexChanged.connect(lambda _i: self.refresh())
        self._update()

    def _build_accounts(self) -> QWidget:
        page = QWidget(self)
        self.filter = QLineEdit(page)
        self.filter.setObjectName("admin_filter")
        self.filter.setPlaceholderText(self.tr("Name, user name, place or phone"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setMaximumWidth(280)
        filter_label = QLabel(self.tr("Fi&nd"), page)
        filter_label.setBuddy(self.filter)
        self.new_button = self._button(
            self.tr("Ne&w account…"),
            "admin_new_account",
            self.tr("Create an account; it signs in with a set-up code (Alt+W)"),
            self.ask_new_account,
        )
        self.disable_button = self._button(
            self.tr("Disa&ble…"),
            "admin_disable",
            self.tr("The account can no longer sign in or sync (Alt+B)"),
            self.ask_disable,
        )
        self.enable_button = self._button(
            self.tr("Enable a&gain"),
            "admin_enable",
            self.tr("Let a disabled account sign in again (Alt+G)"),
            self.enable_selected,
        )
        self.code_button = self._button(
            self.tr("Set-up c&ode…"),
            "admin_setup_code",
            self.tr(
                "A one-time code that signs the person in on a new computer without a password "
                "(Alt+O)"
            ),
            self.issue_code_selected,
        )
        self.revoke_button = self._button(
            self.tr("Sign o&ut device…"),
            "admin_revoke",
            self.tr("Sign out one device of the account, or all of them (Alt+U)"),
            self.ask_revoke,
        )
        row = QHBoxLayout()
        row.addWidget(filter_label)
        row.addWidget(self.filter, 1)
        row.addStretch(1)
        for made in (
            self.new_button,
            self.disable_button,
            self.enable_button,
            self.code_button,
            self.revoke_button,
        ):
            row.addWidget(made)
        self.table = self._table("admin_accounts")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the server's order
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(self._update)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        return page

    def _build_completeness(self) -> QWidget:
        page = QWidget(self)
        self.stale_days = QSpinBox(page)
        self.stale_days.setObjectName("admin_stale_days")
        self.stale_days.setRange(1, 365)
        self.stale_days.setValue(DEFAULT_STALE_DAYS)
        self.stale_days.setSuffix(self.tr(" days"))
        stale_label = QLabel(self.tr("Not s&ynced for"), page)
        stale_label.setBuddy(self.stale_days)
        self.stale_days.valueChanged.connect(lambda _v: self._stale_timer.start())
        row = QHBoxLayout()
        row.addWidget(stale_label)
        row.addWidget(self.stale_days)
        row.addStretch(1)
        self.completeness_table = self._table("admin_completeness")
        self.completeness_table.setModel(self.completeness)
        self.chart = CompletenessChart(self.completeness, page)
        scroll = QScrollArea(page)
        scroll.setWidget(self.chart)
        scroll.setWidgetResizable(True)
        splitter = QSplitter(Qt.Orientation.Horizontal, page)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.completeness_table)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(splitter, 1)
        return page

    def _build_log(self) -> QWidget:
        page = QWidget(self)
        self.log_table = self._table("admin_log")
        self.log_table.setModel(self.log)
        layout = QVBoxLayout(page)
        layout.addWidget(self.log_table)
        return page

    def _build_security(self) -> QWidget:
        page = QWidget(self)
        self.security_kind = QComboBox(page)
        self.security_kind.setObjectName("admin_security_kind")
        self.security_kind.addItem(self.tr("All events"), "")
        for kind in KINDS:
            self.security_kind.addItem(kind_label(kind), kind)
        self.security_kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        kind_label_widget = QLabel(self.tr("E&vent"), page)
        kind_label_widget.setBuddy(self.security_kind)
        self.security_refresh = self._button(
            self.tr("Refres&h"),
            "admin_security_refresh",
            self.tr("Ask the server again for the latest lines (Alt+H)"),
            self.load_security_log,
        )
        self.security_note = plain(QLabel(page))
        self.security_note.setObjectName("admin_security_note")
        self.security_note.setText(
            self.tr(
                "Sign-ins, set-up codes, devices signed out and account changes of the accounts "
                "you administer, newest first."
            )
        )
        row = QHBoxLayout()
        row.addWidget(kind_label_widget)
        row.addWidget(self.security_kind)
        row.addWidget(self.security_refresh)
        row.addWidget(self.security_note, 1)
        self.security_table = self._table("admin_security_log")
        self.security_table.setModel(self.security)
        self.security_kind.currentIndexChanged.connect(lambda _i: self.load_security_log())
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.security_table, 1)
        return page

    def _tab_changed(self, index: int) -> None:
        """Ask for the security log the first time its tab is opened."""
        if self.tabs.widget(index) is self.security_tab and not self._security_asked:
            self.load_security_log()

    # --- the place picked ------------------------------------------------------------------

    def under(self) -> str:
        """Return the code of the division picked."""
        return str(self.place.currentData() or self.account.jurisdiction_code)

    def place_name(self) -> str:
        """Return the name of the division picked."""
        return self.place.currentText().strip() or self.under()

    def pick(self, code: str) -> bool:
        """Pick the division ``code``; return whether it is offered."""
        index = self.place.findData(code)
        if index < 0:
            return False
        self.place.setCurrentIndex(index)
        return True

    def _name_of(self, code: str) -> str | None:
        division = self._divisions.get(code)
        return division.short_name if division is not None else None

    # --- loading ---------------------------------------------------------------------------

    def start(self) -> None:
        """Load the accounts, the completeness and the log of the division picked."""
        self.refresh()

    def refresh(self) -> None:
        """Ask the server again for everything the page shows."""
        self.load_accounts()
        self.load_completeness()
        self.load_log()
        if self._security_asked:
            self.load_security_log()

    def _ask(
        self,
        fn: Callable[[ReportStore], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
        key: TaskKey | None = None,
    ) -> None:
        """Run ``fn`` on the ``network`` lane with the busy bar showing."""
        self._set_busy(+1)

        def done(result: T) -> None:
            self._set_busy(-1)
            on_done(result)

        def failed(exc: BaseException) -> None:
            self._set_busy(-1)
            (on_error or self._errors.show_error)(exc)

        self._worker.network(fn, on_done=done, on_error=failed, owner=self, key=key)

    def _files(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``fn`` on the ``files`` lane with the busy bar showing."""
        self._set_busy(+1)

        def done(result: T) -> None:
            self._set_busy(-1)
            on_done(result)

        def failed(exc: BaseException) -> None:
            self._set_busy(-1)
            (on_error or self._errors.show_error)(exc)

        self._worker.files(fn, on_done=done, on_error=failed, owner=self)

    def _set_busy(self, step: int) -> None:
        self._busy = max(0, self._busy + step)
        self.busy.setVisible(self._busy > 0)

    @property
    def busy_jobs(self) -> int:
        """How many requests and file jobs of the page are under way."""
        return self._busy

    def load_accounts(self) -> None:
        """Ask the server for the accounts of the division picked."""
        under = self.under()
        self._say_notice(self.tr("Asking the server for the accounts…"), None)
        self.refresh_button.setEnabled(False)
        self._ask(
            lambda store: admin.accounts(store, under),
            self.show_accounts,
            self._load_failed,
            self._accounts_key,
        )

    def show_accounts(self, answer: AdminAccounts) -> None:
        """Show the accounts the server sent (pure view: tests feed it directly)."""
        self.refresh_button.setEnabled(True)
        kept = self.selected_account()
        self.model.set_accounts(answer.accounts)
        fit_columns(self.table)
        if kept is not None:
            self.select_account(kept.username)
        disabled = sum(1 for a in answer.accounts if a.disabled)
        without = sum(1 for a in answer.accounts if not any(d.signed_in for d in a.devices))
        self._say_notice(
            self.tr(
                "{n} account(s) in {place}: {disabled} disabled, {without} without a signed-in "
                "device. As of {time}."
            ).format(
                n=len(answer.accounts),
                place=self.place_name(),
                disabled=disabled,
                without=without,
                time=local_time_text(datetime.now(UTC)),
            ),
            None,
        )
        self._update()
        self.accounts_shown.emit()

    def _load_failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        text = user_message(exc, self._lang)
        if text is None:
            self._errors.show_error(exc)
            return
        if isinstance(exc, ReviewUnavailableError):
            self._say_notice(
                self.tr("Offline: administration needs the server. {reason}").format(reason=text),
                WARNING_COLOR,
            )
        else:
            self._say_notice(text, ERROR_COLOR)

    def load_completeness(self) -> None:
        """Ask the server for the completeness of the division picked."""
        under, days = self.under(), self.stale_days.value()
        self._ask(
            lambda store: admin.completeness(store, under, days),
            self.show_completeness,
            self._load_failed,
            self._completeness_key,
        )

    def show_completeness(self, answer: RosterCompleteness) -> None:
        """Show the completeness the server sent."""
        self.completeness.set_completeness(answer)
        fit_columns(self.completeness_table)
        self.completeness_shown.emit()

    def load_log(self) -> None:
        """Ask the server for the admin log of the division picked."""
        under = self.under()
        self._ask(
            lambda store: admin.actions(store, under),
            self.show_log,
            self._load_failed,
            self._log_key,
        )

    def show_log(self, answer: AdminActions) -> None:
        """Show the admin log the server sent."""
        self.log.set_actions(answer.actions)
        fit_columns(self.log_table)
        self.log_shown.emit()

    def security_kind_picked(self) -> str | None:
        """Return the kind of line the filter picked (``None``: every kind)."""
        return str(self.security_kind.currentData() or "") or None

    def load_security_log(self) -> None:
        """Ask the server for the newest page of the security log (with the kind picked)."""
        self._security_asked = True
        kind = self.security_kind_picked()
        self._ask(
            lambda store: admin.security_log(store, kind),
            self.show_security_log,
            self._load_failed,
            self._security_key,
        )

    def show_security_log(self, answer: SecurityLog) -> None:
        """Show the first page of the security log the server sent."""
        self.security.set_page(answer)
        fit_columns(self.security_table)
        self.security_log_shown.emit()

    def load_more_security_log(self, before: int) -> None:
        """Ask for the page of lines older than ``before`` (the view scrolled to the end)."""
        kind = self.security_kind_picked()

        def failed(exc: BaseException) -> None:
            self.security.page_failed()
            self._load_failed(exc)

        def arrived(answer: SecurityLog) -> None:
            if kind == self.security_kind_picked():  # not a page of a filter left since
                self.security.add_page(answer)
                self.security_log_shown.emit()
            else:
                self.security.page_failed()

        self._ask(lambda store: admin.security_log(store, kind, before), arrived, failed)

    def _after_change(self) -> None:
        """Reload the logs after an action changed something."""
        self.load_log()
        if self._security_asked:
            self.load_security_log()

    def _say_notice(self, text: str, color: str | None) -> None:
        self.notice.setText(text)
        self.notice.setStyleSheet(f"color: {color};" if color else "")

    # --- selection -------------------------------------------------------------------------

    def selected_account(self) -> AdminAccount | None:
        """Return the account of the selected line."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.account_at(self.proxy.mapToSource(rows[0]).row())

    def select_account(self, username: str) -> bool:
        """Select the line of ``username``; return whether it is shown."""
        row = self.model.row_of(username)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        return True

    def cell(self, username: str, column: AccountColumn) -> str:
        """Return the text of an account's cell (for tests)."""
        row = self.model.row_of(username)
        if row is None:
            return ""
        return str(self.model.data(self.model.index(row, column)) or "")

    def _update(self) -> None:
        account = self.selected_account()
        chosen = account is not None
        self.new_button.setEnabled(bool(CREATABLE_ROLES.get(self.account.role)))
        self.disable_button.setEnabled(chosen and account is not None and not account.disabled)
        self.enable_button.setEnabled(chosen and account is not None and account.disabled)
        self.code_button.setEnabled(chosen and account is not None and not account.disabled)
        self.revoke_button.setEnabled(chosen and account is not None and bool(account.devices))

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for button in (
            self.disable_button,
            self.enable_button,
            self.code_button,
            self.revoke_button,
        ):
            action = menu.addAction(button.text())
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    # --- account actions -------------------------------------------------------------------

    def _changed_account(self, account: AdminAccount, text: str) -> None:
        self.model.replace_account(account)
        self.select_account(account.username)
        self._update()
        self.message.emit(text)
        self.changed.emit()
        self._after_change()

    def ask_new_account(self) -> None:
        """Open the new account dialog for the division picked."""
        roles = CREATABLE_ROLES.get(self.account.role, ())
        if not roles:
            return
        dialog = AccountDialog(
            self.account.role,
            self.account.jurisdiction_code,
            roles,
            self.under(),
            self._divisions,
            self._lang,
            self,
        )
        dialog.accepted.connect(lambda: self.create_account(dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.account_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

    def create_account(self, dialog: AccountDialog) -> None:
        """Create the account the dialog asked for; issue its set-up code when ticked."""
        request = dialog.request()
        issue = dialog.issue_code.isChecked()

        def created(account: AdminAccount) -> None:
            name = account.display_name or account.username
            self._changed_account(account, self.tr("Account {name} created.").format(name=name))
            self.load_completeness()
            if issue:
                self.issue_code(account.username)

        self._ask(lambda store: admin.create_account(store, request), created)

    def ask_disable(self) -> None:
        """Ask before disabling the selected account."""
        account = self.selected_account()
        if account is None or account.disabled:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Disable account"),
            self.tr(
                "Disable {name} ({user})? The account can no longer sign in or sync and its "
                "devices are signed out. Its posts and reports stay; it can be enabled again."
            ).format(name=account.display_name or account.username, user=account.username),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("disable_box")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        username = account.username
        box.button(QMessageBox.StandardButton.Yes).clicked.connect(lambda: self.disable(username))
        box.finished.connect(box.deleteLater)
        self.disable_box = box
        box.open()
        self.dialog_opened.emit(box)

    def disable(self, username: str) -> None:
        """Disable ``username`` on the server."""
        self._ask(
            lambda store: admin.disable_account(store, username),
            lambda account: self._changed_account(
                account,
                self.tr("{name} is disabled.").format(
                    name=account.display_name or account.username
                ),
            ),
        )

    def enable_selected(self) -> None:
        """Enable the selected (disabled) account again."""
        account = self.selected_account()
        if account is not None and account.disabled:
            self.enable(account.username)

    def enable(self, username: str) -> None:
        """Enable ``username`` again on the server."""
        self._ask(
            lambda store: admin.enable_account(store, username),
            lambda account: self._changed_account(
                account,
                self.tr("{name} is enabled again.").format(
                    name=account.display_name or account.username
                ),
            ),
        )

    def issue_code_selected(self) -> None:
        """Issue a set-up code for the selected account."""
        account = self.selected_account()
        if account is not None and not account.disabled:
            self.issue_code(account.username)

    def issue_code(self, username: str) -> None:
        """Ask the server for a set-up code for ``username``, then show it once."""
        self._ask(lambda store: admin.issue_setup_code(store, username), self._show_code)

    def _show_code(self, code: SetupCode) -> None:
        dialog = SetupCodeDialog(code, self._worker, self)
        dialog.finished.connect(dialog.deleteLater)
        self.setup_code_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)
        self.message.emit(
            self.tr("Set-up code issued for {name}; it works once.").format(
                name=code.display_name or code.username
            )
        )
        self.load_log()

    def ask_revoke(self) -> None:
        """Ask which device of the selected account to sign out."""
        account = self.selected_account()
        if account is None or not account.devices:
            return
        dialog = RevokeDialog(account, self)
        username = account.username
        dialog.accepted.connect(lambda: self.revoke(username, dialog.device_id()))
        dialog.finished.connect(dialog.deleteLater)
        self.revoke_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

    def revoke(self, username: str, device_id: str | None) -> None:
        """Sign out one device of ``username`` (``None``: all of them)."""

        def done(result: RevokeDevicesResult) -> None:
            self.message.emit(
                self.tr("{n} sign-in(s) of {user} revoked.").format(n=result.revoked, user=username)
            )
            self.changed.emit()
            self.load_accounts()
            self._after_change()

        self._ask(lambda store: admin.revoke_devices(store, username, device_id), done)

    # --- set-up code sheet -----------------------------------------------------------------

    def ask_setup_sheet(self) -> None:
        """Ask before issuing codes for everyone without a device in the division picked."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Set-up code sheet"),
            self.tr(
                "Issue set-up codes for everyone in {place} without a signed-in device? Their "
                "older unused codes stop working. The sheet is shown once, to save as Excel "
                "and PDF."
            ).format(place=self.place_name()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("setup_sheet_box")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.button(QMessageBox.StandardButton.Yes).clicked.connect(self.issue_setup_sheet)
        box.finished.connect(box.deleteLater)
        self.sheet_box = box
        box.open()
        self.dialog_opened.emit(box)

    def issue_setup_sheet(self) -> None:
        """Issue the codes of the division picked and show the sheet."""
        under, name = self.under(), self.place_name()
        self.message.emit(self.tr("Issuing set-up codes for {place}…").format(place=name))
        self._ask(
            lambda store: admin.issue_setup_sheet(store, under),
            lambda sheet: self._show_sheet(sheet, name),
        )

    def _show_sheet(self, sheet: SetupSheet, name: str) -> None:
        dialog = SetupSheetDialog(sheet, name, self._worker, self, self._lang)
        dialog.finished.connect(dialog.deleteLater)
        self.sheet_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)
        self.message.emit(
            self.tr("{n} set-up code(s) issued for {place}.").format(
                n=len(sheet.entries), place=name
            )
        )
        self.changed.emit()
        self.load_log()

    # --- contacts --------------------------------------------------------------------------

    def contacts_per(self) -> Literal["county", "township"]:
        """Return how the contact list is split: per county for a city, else per township."""
        picked = next((p for p in self.places if p.code == self.under()), None)
        return "county" if picked is not None and picked.level == "city" else "township"

    def choose_contacts_file(self) -> None:
        """Ask where to save the contact list, then fetch and save it."""
        name = file_dialogs.save_file_name(
            self,
            self.tr("Save the contact list"),
            self.tr("Contacts {place}.xlsx").format(place=self.place_name()),
            self.tr("Excel workbook (*.xlsx)"),
            purpose="contacts",
        )
        if name:
            self.export_contacts(Path(name))

    def export_contacts(self, path: Path) -> None:
        """Fetch the contact list of the division picked and write it at ``path``."""
        under, per = self.under(), self.contacts_per()
        job = LongJob(self.tr("Saving the contact list"), self)
        job.step(Phase.PREPARE)

        def write(contacts: Contacts) -> None:
            if job.cancelled():
                job.finish()
                return
            job.step(Phase.WRITE)
            self._files(
                lambda: write_via_temp(
                    path,
                    lambda tmp: admin_files.write_contacts_xlsx(contacts, tmp, per),
                    job.cancelled,
                ),
                job.done(
                    lambda _sheets: self.message.emit(
                        self.tr("Contact list of {n} people saved to {path}.").format(
                            n=len(contacts.contacts), path=path
                        )
                    )
                ),
                job.failed(self._errors.show_error),
            )

        self._ask(
            lambda store: admin.contacts(store, under), write, job.failed(self._errors.show_error)
        )

    # --- the register ----------------------------------------------------------------------

    def choose_register(self) -> None:
        """Ask for the register file, then check it (dry run)."""
        name = file_dialogs.open_file_name(
            self,
            self.tr("Choose the informant register"),
            self.tr("Register (*.xlsx *.csv)"),
            purpose="register",
        )
        if name:
            self.check_register(Path(name))

    def check_register(self, path: Path) -> None:
        """Read the register at ``path`` (``files`` lane), then dry-run it (``network``)."""
        self.message.emit(self.tr("Reading {file}…").format(file=path.name))

        def judge(sheet: admin_files.RegisterSheet) -> None:
            self.message.emit(
                self.tr("Checking {n} row(s) with the server…").format(n=len(sheet.entries))
            )
            entries = list(sheet.entries)
            self._ask(
                lambda store: admin.import_register(store, entries, True),
                lambda result: self._show_register(path, sheet, result),
            )

        self._files(lambda: admin_files.read_register_file(path), judge)

    def _show_register(
        self, path: Path, sheet: admin_files.RegisterSheet, result: RegisterImportResult
    ) -> None:
        dialog = RegisterDialog(path, sheet.entries, result, self._lang, self)
        dialog.save_requested.connect(lambda target: self._save_report(dialog, sheet, target))
        dialog.import_requested.connect(lambda: self._import_register(dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.register_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

    def _save_report(
        self, dialog: RegisterDialog, sheet: admin_files.RegisterSheet, target: Path
    ) -> None:
        result = dialog.judged
        dialog.set_busy(self.tr("Saving {path}…").format(path=target))

        def failed(exc: BaseException) -> None:
            dialog.set_done(user_message(exc, self._lang) or str(exc), error=True)

        self._files(
            lambda: admin_files.write_register_report(sheet, result, target),
            lambda _p: dialog.set_done(self.tr("Report saved to {path}.").format(path=target)),
            failed,
        )

    def _import_register(self, dialog: RegisterDialog) -> None:
        entries = list(dialog.entries)
        dialog.set_busy(self.tr("Importing {n} row(s)…").format(n=len(entries)))

        def imported(result: RegisterImportResult) -> None:
            dialog.judged = result
            if result.applied:
                dialog.set_done(self.tr("The register is imported."))
            else:
                dialog.set_done(self.tr("Nothing was imported."), error=True)
            self.message.emit(
                self.tr("Register imported: {created} new account(s), {updated} updated.").format(
                    created=result.created, updated=result.updated
                )
            )
            self.changed.emit()
            self.refresh()

        def failed(exc: BaseException) -> None:
            dialog.set_done(user_message(exc, self._lang) or str(exc), error=True)

        self._ask(lambda store: admin.import_register(store, entries, False), imported, failed)

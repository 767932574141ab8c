"""The roster tab of township reviewers and county and city administrators.

A table of the posts in reach (place, A and B with phones, who is on duty now, A's absence),
the actions that change them (assign A or B, end an assignment, mark A off duty, A is back),
a one-time set-up code for a holder's new computer, a post's history, and below the handovers
with their sign-off.  The cached roster shows at once from the local store; "Refresh" asks the
server (the ``network`` lane), and offline the cached table stays with a notice.  Every change needs
the server; offline it says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from informant_app.core.account.provisioning import SetupCode, issue_setup_code
from informant_app.core.duty import online as duty_online
from informant_app.core.duty import service as duty
from informant_app.core.duty.types import AbsenceInfo, PostDuty, PostHistory, PostHolder
from informant_app.core.review.types import ReviewUnavailableError
from informant_app.core.store.report_store import ReportStore
from informant_app.ui.common.errors import ErrorPresenter, user_message
from informant_app.ui.common.labels import ERROR_COLOR, WARNING_COLOR, local_time_text
from informant_app.ui.common.plain_text import plain
from informant_app.ui.duty.absence_dialog import AbsenceDialog, AbsentPost
from informant_app.ui.duty.assign_dialog import AssignDialog
from informant_app.ui.duty.columns import ColumnSpreader
from informant_app.ui.duty.end_assignment_dialog import EndAssignmentDialog
from informant_app.ui.duty.handover_panel import HandoverPanel
from informant_app.ui.duty.post_history_dialog import PostHistoryDialog
from informant_app.ui.duty.roster_model import RosterColumn, RosterModel, post_summary
from informant_app.ui.duty.setup_code_dialog import SetupCodeDialog
from informant_app.ui.tasks.manager import Changes, TaskKey, TaskManager
from sync.contract.wire.duty import Roster

#: A server's answer, between ``fetch_then_save``'s two steps.
A = TypeVar("A")

#: Each roster column's share of the room left over (post, A, B, on duty now, A off duty).
ROSTER_WEIGHTS = (1, 2, 2, 2, 2)
#: How often the on-duty column is worked out again from the cached roster (absences start
#: and end with time).
RECOMPUTE_MS = 60_000


class RosterPage(QWidget):
    """The posts with their holders and who is on duty, the duty actions, the handovers.

    Signals:
        posts_shown(): a roster (cached or fresh) is shown.
        changed(): an action changed the roster on the server.
        dialog_opened(object): a dialog (or a question) was opened; carries it.
        message(str): a sentence for the status bar.
    """

    posts_shown = Signal()
    changed = Signal()
    dialog_opened = Signal(object)
    message = Signal(str)

    def __init__(
        self,
        worker: TaskManager,
        lang: str,
        errors: ErrorPresenter,
        parent: QWidget | None = None,
    ) -> None:
        """Build the page; call ``start`` to load it.

        Args:
            worker: the task manager (the cached roster and the handovers on its ``db`` lane,
                the server on ``network``).
            lang: the UI language.
            errors: shows failures.
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("roster_page")
        self._worker = worker
        self._lang = lang
        self._errors = errors
        self._kept: str | None = None
        self._fetched_at: datetime | None = None
        self._offline = False
        self._key = TaskKey("roster")
        self.model = RosterModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self._build()
        self.timer = QTimer(self)
        self.timer.setInterval(RECOMPUTE_MS)
        self.timer.timeout.connect(self.load_cached)

    # --- building --------------------------------------------------------------------------

    def _build(self) -> None:
        self.notice = plain(QLabel(self))
        self.notice.setObjectName("roster_notice")
        self.notice.setWordWrap(True)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("roster_filter")
        self.filter.setPlaceholderText(self.tr("Filter by place or name"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setMaximumWidth(320)
        filter_label = QLabel(self.tr("F&ind"), self)
        filter_label.setBuddy(self.filter)
        self.table = QTableView(self)
        self.table.setObjectName("roster_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the core's order
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # post, A, B, on duty, A off duty: the room left over goes mostly to the people
        self.columns = ColumnSpreader(self.table, ROSTER_WEIGHTS)

        def button(text: str, name: str, tip: str, slot: Callable[[], Any]) -> QPushButton:
            made = QPushButton(text, self)
            made.setObjectName(name)
            made.setToolTip(tip)
            made.setAutoDefault(False)
            made.clicked.connect(slot)
            return made

        self.assign_a_button = button(
            self.tr("Assign &A…"),
            "assign_a",
            self.tr("Assign or replace the post's A (Alt+A)"),
            lambda: self.ask_assign("A"),
        )
        self.assign_b_button = button(
            self.tr("Assign &B…"),
            "assign_b",
            self.tr("Assign or replace the post's B (Alt+B)"),
            lambda: self.ask_assign("B"),
        )
        self.end_button = button(
            self.tr("E&nd assignment…"),
            "end_assignment",
            self.tr("A holder leaves the post (Alt+N)"),
            self.ask_end,
        )
        self.absent_button = button(
            self.tr("Mark A &off duty…"),
            "mark_absent",
            self.tr("A is on leave, away or unreachable for a time; B is on duty (Alt+O)"),
            self.ask_absence,
        )
        self.back_button = button(
            self.tr("A is bac&k"),
            "end_absence",
            self.tr("End A's absence now; A is on duty again (Alt+K)"),
            self.ask_back,
        )
        self.history_button = button(
            self.tr("His&tory…"),
            "post_history",
            self.tr("Assignments, absences and handovers of the post (Alt+T, or Enter)"),
            self.show_history,
        )
        self.setup_code_button = button(
            self.tr("Set-up co&de…"),
            "setup_code",
            self.tr(
                "A one-time code that signs the holder in on a new computer without a "
                "password (Alt+D)"
            ),
            lambda: self.ask_setup_code(),
        )
        self.refresh_button = button(
            self.tr("R&efresh"),
            "roster_refresh",
            self.tr("Fetch the roster from the server (Alt+E)"),
            self.refresh,
        )
        buttons = QHBoxLayout()
        buttons.addWidget(filter_label)
        buttons.addWidget(self.filter, 1)
        for made in (
            self.assign_a_button,
            self.assign_b_button,
            self.end_button,
            self.absent_button,
            self.back_button,
            self.history_button,
            self.setup_code_button,
            self.refresh_button,
        ):
            buttons.addWidget(made)

        upper = QWidget(self)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.notice)
        upper_layout.addLayout(buttons)
        upper_layout.addWidget(self.table, 1)
        self.handovers = HandoverPanel(self._worker, self._errors, self)
        self.handovers.message.connect(self.message)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(upper)
        splitter.addWidget(self.handovers)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table.selectionModel().selectionChanged.connect(self._update)
        self.table.activated.connect(lambda _index: self.show_history())
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_selection)
        self._update()

    # --- loading ---------------------------------------------------------------------------

    def start(self) -> None:
        """Show the cached roster at once, then ask the server; recompute every minute."""
        self.load_cached()
        self.handovers.refresh()
        self.refresh()
        self.timer.start()

    def load_cached(self) -> None:
        """Show the roster from the local store (on the ``db`` lane)."""

        def load(store: ReportStore) -> tuple[list[PostDuty], datetime]:
            now = datetime.now(UTC)
            return duty.roster_posts(store), now

        self._worker.run(
            load,
            on_done=lambda result: self.show_posts(*result),
            on_error=self._errors.show_error,
            owner=self,
            key=self._key,
        )

    def refresh(self) -> None:
        """Fetch the roster from the server (``network`` lane); offline, keep the cached one.

        The fetch keeps the roster in the store; the page then shows it from there
        (``load_cached``), so a cached read queued meanwhile never hides the fresh roster.
        """
        self.refresh_button.setEnabled(False)
        if self._fetched_at is None and not self._offline:
            self._say_notice(self.tr("Fetching the roster from the server…"), None)

        def save(store: ReportStore, roster: Roster) -> datetime:
            duty_online.save_roster(store, roster)
            return datetime.now(UTC)

        self._worker.fetch_then_save(
            duty_online.fetch_roster,
            save,
            on_done=self._fetched,
            on_error=self._fetch_failed,
            owner=self,
            changes=Changes(duty=True),
        )

    def _fetched(self, now: datetime) -> None:
        self.refresh_button.setEnabled(True)
        self._fetched_at, self._offline = now, False
        self.handovers.refresh()  # the fetch brought the handovers too
        self.load_cached()

    def _fetch_failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        text = user_message(exc, self._lang)
        if text is None:
            self._errors.show_error(exc)
            return
        if isinstance(exc, ReviewUnavailableError):
            self._offline = True
        else:
            self._say_notice(text, ERROR_COLOR)
        self.load_cached()  # the cached copy, with the offline notice

    def show_posts(self, posts: Sequence[PostDuty], now: datetime | None = None) -> None:
        """Show ``posts`` as of ``now`` (pure view: tests feed it directly)."""
        self.model.set_posts(posts, now)
        self.columns.fit()
        self._show_notice()
        self.posts_shown.emit()

    def set_offline(self, offline: bool) -> None:
        """Say whether the server was out of reach at the last try."""
        self._offline = offline
        self._show_notice()

    def _show_notice(self) -> None:
        count = len(self.model.posts())
        if self._offline:
            self._say_notice(
                self.tr(
                    "Offline: this is the roster as last received ({n} post(s)). Changes need "
                    "the server."
                ).format(n=count),
                WARNING_COLOR,
            )
        elif self._fetched_at is not None:
            self._say_notice(
                self.tr("{n} post(s), fetched from the server at {time}.").format(
                    n=count, time=local_time_text(self._fetched_at)
                ),
                None,
            )
        elif not count:
            self._say_notice(self.tr("No post known on this device yet."), None)

    def _say_notice(self, text: str, color: str | None) -> None:
        self.notice.setText(text)
        self.notice.setStyleSheet(f"color: {color};" if color else "")

    # --- selection -------------------------------------------------------------------------

    def selected_post(self) -> PostDuty | None:
        """Return the post of the selected line."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.post_at(self.proxy.mapToSource(rows[0]).row())

    def select_post(self, post_code: str) -> bool:
        """Select the line of ``post_code``; return whether it is shown."""
        row = self.model.row_of(post_code)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        return True

    def cell(self, post_code: str, column: RosterColumn) -> str:
        """Return the text of a post's cell (for tests)."""
        row = self.model.row_of(post_code)
        if row is None:
            return ""
        return str(self.model.data(self.model.index(row, column)) or "")

    def _remember_selection(self) -> None:
        post = self.selected_post()
        self._kept = post.post_code if post is not None else None

    def _restore_selection(self) -> None:
        if self._kept is not None:
            self.select_post(self._kept)
        self._update()

    def _update(self) -> None:
        post = self.selected_post()
        manage = post is not None and post.manageable
        has_a = post is not None and post.holder("A") is not None
        self.assign_a_button.setEnabled(manage)
        self.assign_b_button.setEnabled(manage)
        self.end_button.setEnabled(manage and post is not None and bool(post.holders))
        self.absent_button.setEnabled(manage and has_a)
        self.back_button.setEnabled(manage and self._absence_to_end(post) is not None)
        self.history_button.setEnabled(post is not None)
        self.setup_code_button.setEnabled(manage and post is not None and bool(post.holders))

    @staticmethod
    def _absence_to_end(post: PostDuty | None) -> AbsenceInfo | None:
        if post is None:
            return None
        if post.absence is not None:
            return post.absence
        return min(post.upcoming, key=lambda a: a.starts_at) if post.upcoming else None

    # --- actions ---------------------------------------------------------------------------

    def _run_change(
        self,
        fetch: Callable[[ReportStore], A],
        save: Callable[[ReportStore, A], object],
        done_text: str,
    ) -> None:
        """Ask the server on the ``network`` lane, keep its answer on the ``db`` lane."""

        def done(_result: object) -> None:
            self.message.emit(done_text)
            self.changed.emit()
            self.refresh()
            self.handovers.refresh()

        self._worker.fetch_then_save(
            fetch,
            save,
            on_done=done,
            on_error=self._errors.show_error,
            owner=self,
            changes=Changes(duty=True),
        )

    def ask_assign(self, post_role: str) -> None:
        """Open the assign dialog for the selected post; candidates come from the server."""
        post = self.selected_post()
        if post is None or not post.manageable:
            return
        dialog = AssignDialog(post, post_role, self)
        code = post.post_code
        dialog.accepted.connect(lambda: self._assign_chosen(post, post_role, dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.assign_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

        def failed(exc: BaseException) -> None:
            text = user_message(exc, self._lang)
            if text is None:
                self._errors.show_error(exc)
                text = str(exc)
            dialog.set_failed(text)

        self._worker.network(
            lambda store: duty.candidates(store, code),
            on_done=dialog.set_candidates,
            on_error=failed,
            owner=dialog,
        )

    def _assign_chosen(self, post: PostDuty, post_role: str, dialog: AssignDialog) -> None:
        chosen = dialog.chosen()
        if chosen is not None:
            self.assign(
                post,
                post_role,
                chosen.username,
                dialog.reason_text(),
                dialog.replace(),
                chosen.display_name,
            )

    def assign(
        self,
        post: PostDuty,
        post_role: str,
        username: str,
        reason: str,
        replace: bool,
        name: str = "",
    ) -> None:
        """Assign ``username`` as ``post_role`` of ``post`` on the server."""
        code = post.post_code
        self._run_change(
            lambda store: duty_online.fetch_assign(
                store, code, username, post_role, reason, replace=replace
            ),
            duty_online.save_assign,
            self.tr("{name} is now {role} of {post}.").format(
                name=name or username, role=post_role, post=post.post_name or code
            ),
        )

    def ask_end(self) -> None:
        """Ask which holder leaves the selected post, and why."""
        post = self.selected_post()
        if post is None or not post.manageable or not post.holders:
            return
        dialog = EndAssignmentDialog(post, self)
        dialog.accepted.connect(lambda: self._end(post, dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.end_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

    def _end(self, post: PostDuty, dialog: EndAssignmentDialog) -> None:
        holder, reason = dialog.holder(), dialog.reason_text()
        if holder is None:
            return
        assignment_id = holder.assignment_id
        self._run_change(
            lambda store: duty_online.fetch_end_assignment(store, assignment_id, reason),
            duty_online.save_end_assignment,
            self.tr("{name} no longer holds {role} of {post}.").format(
                name=holder.display_name,
                role=holder.post_role,
                post=post.post_name or post.post_code,
            ),
        )

    def ask_absence(self) -> None:
        """Open the absence dialog for the selected post's A."""
        post = self.selected_post()
        a = post.holder("A") if post is not None else None
        if post is None or a is None or not post.manageable:
            return
        dialog = AbsenceDialog(
            [
                AbsentPost(
                    post.post_code, post.post_name or post.post_code, a.display_name or a.username
                )
            ],
            parent=self,
        )
        dialog.accepted.connect(lambda: self._mark_absent(dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.absence_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

    def _mark_absent(self, dialog: AbsenceDialog) -> None:
        code, starts, ends = dialog.post_code(), dialog.starts_at(), dialog.ends_at()
        kind, reason = dialog.absence_kind(), dialog.reason_text()
        post = dialog.chosen_post()
        self._run_change(
            lambda store: duty_online.fetch_mark_absent(store, code, starts, ends, kind, reason),
            duty_online.save_mark_absent,
            self.tr("{name} is off duty until {time}; B is on duty.").format(
                name=post.a_name if post else "A", time=local_time_text(ends)
            ),
        )

    def ask_back(self) -> None:
        """Ask before ending A's absence (or cancelling the next one planned)."""
        post = self.selected_post()
        absence = self._absence_to_end(post)
        if post is None or absence is None:
            return
        place = post.post_name or post.post_code
        if post.absence is not None:
            text = self.tr(
                "Is {name} back on duty at {post}? The absence ends now and A takes over from B."
            ).format(name=absence.display_name, post=place)
        else:
            text = self.tr("Cancel {name}'s absence planned from {time} at {post}?").format(
                name=absence.display_name, time=local_time_text(absence.starts_at), post=place
            )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("A is back"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("end_absence_box")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        uuid = absence.absence_uuid
        box.button(QMessageBox.StandardButton.Yes).clicked.connect(
            lambda: self._run_change(
                lambda store: duty_online.fetch_end_absence(store, uuid),
                duty_online.save_end_absence,
                self.tr("{name} is on duty again.").format(name=absence.display_name),
            )
        )
        box.finished.connect(box.deleteLater)
        self.back_box = box
        box.open()
        self.dialog_opened.emit(box)

    def ask_setup_code(self, post_role: str | None = None) -> None:
        """Issue a set-up code for a holder of the selected post (asks which, when two)."""
        post = self.selected_post()
        if post is None or not post.manageable or not post.holders:
            return
        holder = (
            post.holder(post_role)
            if post_role
            else (post.holders[0] if len(post.holders) == 1 else None)
        )
        if holder is not None:
            self.issue_setup_code(holder)
            return
        menu = QMenu(self)
        menu.setObjectName("setup_code_menu")
        for each in sorted(post.holders, key=lambda h: h.post_role):
            action = menu.addAction(
                self.tr("{role}: {name} ({user})").format(
                    role=each.post_role, name=each.display_name or each.username, user=each.username
                )
            )
            action.triggered.connect(lambda _checked=False, h=each: self.issue_setup_code(h))
        self.setup_menu = menu
        menu.popup(self.setup_code_button.mapToGlobal(self.setup_code_button.rect().bottomLeft()))

    def issue_setup_code(self, holder: PostHolder) -> None:
        """Ask the server (``network`` lane) for a set-up code for ``holder``, then show it."""
        username = holder.username
        self._worker.network(
            lambda store: issue_setup_code(store, username),
            on_done=self._show_setup_code,
            on_error=self._errors.show_error,
            owner=self,
        )

    def _show_setup_code(self, code: SetupCode) -> None:
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

    def show_history(self) -> None:
        """Fetch the selected post's history (``network`` lane) and show it."""
        post = self.selected_post()
        if post is None:
            return
        code, title = post.post_code, post_summary(post)
        self._worker.fetch_then_save(
            lambda store: duty_online.fetch_post_history(store, code),
            duty_online.save_post_history,
            on_done=lambda history: self._show_history(title, history),
            on_error=self._errors.show_error,
            owner=self,
        )

    def _show_history(self, title: str, history: PostHistory) -> None:
        dialog = PostHistoryDialog(title, history, self)
        dialog.finished.connect(dialog.deleteLater)
        self.history_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

    def index_of(self, post_code: str) -> QModelIndex:
        """Return the view index of ``post_code``'s first cell (invalid when hidden)."""
        row = self.model.row_of(post_code)
        if row is None:
            return QModelIndex()
        return self.proxy.mapFromSource(self.model.index(row, 0))

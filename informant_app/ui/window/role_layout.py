"""The main window's layout per role: a reviewer's tabs versus the informant's report list.

A township reviewer gets the review workspace (the review queue and the township report) as
tabs before the report list; township reviewers and county and city administrators get the
duty pages (the roster with its handovers; a township reviewer also the open events) and the
dashboard (灾情总览: first and shown for a county or city administrator).  Only a
village informant (or a device with no account) keeps the actions that file village reports;
an informant sees the list alone.  Signing in or out switches between the layouts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QTabWidget, QWidget

from informant_app.core.admin.types import is_admin
from informant_app.core.store.types import EventSummary
from informant_app.core.sync.types import Account
from informant_app.ui.common.errors import ErrorPresenter
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.tasks.manager import TaskManager
from sync.contract import default_divisions

if TYPE_CHECKING:  # the role pages are imported when an account needs them
    from informant_app.ui.admin.admin_page import AdminPage
    from informant_app.ui.dashboard.page import DashboardPage
    from informant_app.ui.duty.workspace import DutyWorkspace
    from informant_app.ui.window.review_workspace import ReviewWorkspace

#: The role that files village reports.
INFORMANT_ROLE = "village_informant"


class RoleLayout(QObject):
    """Adds or removes the review workspace's tabs and shows the actions fit for the role.

    Signals:
        review_ready(object): the review workspace was added (a reviewer signed in); carries
            the ``ReviewWorkspace``.
        duty_ready(object): the duty pages were added (a manager signed in); carries the
            ``DutyWorkspace``.
        admin_ready(object): the administration page was added (an administrator signed
            in); carries the ``AdminPage``.
    """

    review_ready = Signal(object)
    duty_ready = Signal(object)
    admin_ready = Signal(object)

    def __init__(
        self,
        tabs: QTabWidget,
        reports_page: QWidget,
        worker: TaskManager,
        lang: str,
        errors: ErrorPresenter,
        controller: SyncController | None,
        parent: QObject | None = None,
    ) -> None:
        """Watch ``tabs`` (whose only page so far is ``reports_page``).

        Args:
            tabs: the main window's tabs.
            reports_page: the report list's page.
            worker: the task manager.
            lang: the UI language.
            errors: shows the workspace's errors.
            controller: the sync controller (``None`` offline: never a reviewer).
            parent: the Qt parent.
        """
        super().__init__(parent)
        self._tabs = tabs
        self._reports_page = reports_page
        self._worker = worker
        self._lang = lang
        self._errors = errors
        self._controller = controller
        self._filing_actions: list[QAction] = []
        self._list_actions: list[QAction] = []
        self.review: ReviewWorkspace | None = None
        self.duty: DutyWorkspace | None = None
        self.admin: AdminPage | None = None
        self.dashboard: DashboardPage | None = None
        self._account: Account | None = None
        tabs.currentChanged.connect(self._on_tab_changed)

    def set_actions(self, filing: Iterable[QAction], list_only: Iterable[QAction]) -> None:
        """Name the actions that file village reports and those for the report list alone.

        An action in both (retry sending, resolve a conflict) shows on the list, for an account
        that files reports only.
        """
        self._filing_actions = list(filing)
        self._list_actions = list(list_only)
        self._show_actions()

    @property
    def files_reports(self) -> bool:
        """Whether the account files village reports (only an informant, or no account)."""
        return files_reports(self._account)

    def queue_shown(self) -> bool:
        """Whether the review queue is the page shown."""
        return self.review is not None and self._tabs.currentWidget() is self.review.queue

    def apply(self, account: Account | None, events: list[EventSummary]) -> None:
        """Lay the window out for ``account``: add or remove the review and duty pages."""
        self._account = account
        self._show_actions()
        if files_reports(account) and not self._has_role_pages():
            return  # an informant's window (or no account's): no page to add, none to remove
        from informant_app.ui.window.review_workspace import is_reviewer

        reviewer = is_reviewer(account)
        if reviewer and account is not None and self._controller is not None:
            if self.review is None:
                self._add_review(events)
            assert self.review is not None
            self.review.set_account(account)
        elif not reviewer and self.review is not None:
            self._remove_review()
        self._apply_duty(account)
        self._apply_dashboard(account)
        self._apply_admin(account)

    def _has_role_pages(self) -> bool:
        """Whether a role's page is shown (the review, duty, dashboard or admin pages)."""
        return any(p is not None for p in (self.review, self.duty, self.dashboard, self.admin))

    def _apply_dashboard(self, account: Account | None) -> None:
        """Add the dashboard after the review tabs (first and shown for a county or city)."""
        from informant_app.ui.dashboard.page import DashboardPage, is_board_role

        wanted = is_board_role(account) and self._controller is not None
        page = self.dashboard
        if page is not None and (
            not wanted
            or account is None
            or (page.account.username, page.account.role, page.account.jurisdiction_code)
            != (account.username, account.role, account.jurisdiction_code)
        ):
            self.dashboard = None
            self._tabs.removeTab(self._tabs.indexOf(page))
            page.deleteLater()
        if wanted and account is not None and self.dashboard is None:
            self.dashboard = DashboardPage(self._worker, self._lang, self._errors, account)
            at = 2 if self.review is not None else 0
            self._tabs.insertTab(at, self.dashboard, self.tr("Dashboard"))
            if self.review is None:
                self._tabs.setCurrentWidget(self.dashboard)
            self.dashboard.start()

    def _apply_admin(self, account: Account | None) -> None:
        """Add the administration page after the duty pages for an administrator."""
        from informant_app.ui.admin.admin_page import AdminPage

        wanted = account is not None and is_admin(account.role) and self._controller is not None
        page = self.admin
        if page is not None and (
            not wanted
            or account is None
            or (page.account.username, page.account.role, page.account.jurisdiction_code)
            != (account.username, account.role, account.jurisdiction_code)
        ):
            self.admin = None
            self._tabs.removeTab(self._tabs.indexOf(page))
            page.deleteLater()
        if wanted and account is not None and self.admin is None:
            self.admin = AdminPage(
                self._worker, self._lang, self._errors, account, default_divisions()
            )
            at = self._tabs.indexOf(self._reports_page)
            self._tabs.insertTab(at, self.admin, self.tr("Administration"))
            self.admin.start()
            self.admin_ready.emit(self.admin)

    def _apply_duty(self, account: Account | None) -> None:
        """Add the duty pages for a manager (rebuilt when the role changed), else remove them."""
        from informant_app.ui.duty.workspace import is_manager

        manager = is_manager(account) and self._controller is not None
        if self.duty is not None and (
            not manager or account is None or not self.duty.serves(account)
        ):
            self._remove_duty()
        if manager and account is not None and self.duty is None:
            self._add_duty(account)

    def _add_duty(self, account: Account) -> None:
        from informant_app.ui.duty.workspace import DutyWorkspace

        workspace = DutyWorkspace(
            self._worker,
            self._lang,
            self._errors,
            self._controller,
            account,
            self.parent(),
        )
        at = self._tabs.indexOf(self._reports_page)
        for page, title in workspace.pages():
            self._tabs.insertTab(at, page, title)
            at += 1
        if self.review is None:
            self._tabs.setCurrentWidget(workspace.roster)
        self.duty = workspace
        workspace.start()
        self.duty_ready.emit(workspace)

    def _remove_duty(self) -> None:
        assert self.duty is not None
        workspace, self.duty = self.duty, None
        workspace.stop()
        for page, _title in workspace.pages():
            self._tabs.removeTab(self._tabs.indexOf(page))
            page.deleteLater()
        workspace.deleteLater()

    def _add_review(self, events: list[EventSummary]) -> None:
        from informant_app.ui.window.review_workspace import ReviewWorkspace

        assert self._controller is not None
        review = ReviewWorkspace(
            self._worker,
            self._lang,
            self._errors,
            self._controller,
            self.parent(),
        )
        self._tabs.insertTab(0, review.queue, self.tr("Review queue"))
        self._tabs.insertTab(1, review.township, self.tr("Township report"))
        self._tabs.setCurrentIndex(0)
        self.review = review
        review.set_events(events)
        self.review_ready.emit(review)

    def _remove_review(self) -> None:
        assert self.review is not None
        review, self.review = self.review, None
        for page in (review.queue, review.township):
            self._tabs.removeTab(self._tabs.indexOf(page))
            page.deleteLater()
        review.deleteLater()

    def tab_titles(self) -> list[str]:
        """Return the tab titles in order (for tests)."""
        return [self._tabs.tabText(i) for i in range(self._tabs.count())]

    def _on_tab_changed(self) -> None:
        """Show the report list's own actions only while the list is the page shown."""
        self._show_actions()

    def _show_actions(self) -> None:
        """Show the filing actions to an account that files, the list's while it is shown."""
        files = files_reports(self._account)
        on_list = self._tabs.currentWidget() is self._reports_page
        for action in self._filing_actions:
            action.setVisible(files and (on_list or action not in self._list_actions))
        for action in self._list_actions:
            action.setVisible(on_list and (files or action not in self._filing_actions))


def files_reports(account: Account | None) -> bool:
    """Whether ``account`` files village reports: an informant's, or none (a local profile)."""
    return account is None or account.role == INFORMANT_ROLE

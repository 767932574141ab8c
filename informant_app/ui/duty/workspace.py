"""A manager's duty pages: the roster with its handovers, and a township's open events.

Township reviewers, county and city administrators get the roster tab; a township reviewer
also the open events with their deadlines.  Each sync round may bring roster changes,
absences, handovers and filings: the pages are read again after it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from informant_app.core.divisions import current_divisions
from informant_app.core.duty import online as duty_online
from informant_app.core.duty.types import PostDuty
from informant_app.core.sync.types import Account, RoundSummary
from informant_app.ui.common.errors import ErrorPresenter
from informant_app.ui.duty.events_panel import EventsPanel
from informant_app.ui.duty.roster_page import RosterPage
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.tasks.manager import TaskManager

log = logging.getLogger(__name__)

#: The roles that manage posts (docs/duty.md).
MANAGER_ROLES = frozenset({"township_reviewer", "county_admin", "city_admin"})
#: The role that opens events for its villages.
EVENT_ROLE = "township_reviewer"


def is_manager(account: Account | None) -> bool:
    """Whether ``account`` manages posts (and gets the roster tab)."""
    return account is not None and account.role in MANAGER_ROLES


def opens_events(account: Account | None) -> bool:
    """Whether ``account`` opens events for villages (a township reviewer)."""
    return account is not None and account.role == EVENT_ROLE


def refresh_duty_then(
    tasks: TaskManager, summary: RoundSummary, owner: QObject, then: Callable[[], None]
) -> None:
    """After a round, fetch the deadlines as the server sees them, then call ``then``.

    Only after a round that reached the server; a failure (offline after all) is logged, and
    ``then`` (which reads the local store) runs anyway.
    """
    if not summary.ok:
        then()
        return

    def failed(exc: BaseException) -> None:
        log.info("the duty refresh after a round failed: %s", exc)
        then()

    tasks.fetch_then_save(
        duty_online.fetch_duty,
        duty_online.save_duty,
        on_done=lambda _events: then(),
        on_error=failed,
        owner=owner,
    )


class DutyWorkspace(QObject):
    """Owns the roster page and, for a township reviewer, the events panel.

    Signals:
        message(str): a sentence for the status bar.
    """

    message = Signal(str)

    def __init__(
        self,
        worker: TaskManager,
        lang: str,
        errors: ErrorPresenter,
        sync: SyncController | None,
        account: Account,
        parent: QObject | None = None,
    ) -> None:
        """Build the pages (not yet shown anywhere; ``start`` loads them).

        Args:
            worker: the task manager (store calls on its ``db`` lane, the server on
                ``network``).
            lang: the UI language.
            errors: shows failures.
            sync: its rounds refresh the pages.
            account: the manager's account.
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.role = account.role
        self.roster = RosterPage(worker, lang, errors)
        self.roster.message.connect(self.message)
        self.events: EventsPanel | None = None
        if opens_events(account):
            self.events = EventsPanel(worker, lang, errors)
            self.events.message.connect(self.message)
            self.events.set_villages(self._division_villages(account))
            self.roster.posts_shown.connect(self._offer_villages)
            self.roster.changed.connect(self.events.refresh)
        self._account = account
        self._tasks = worker
        if sync is not None:
            sync.round_finished.connect(self._after_round)

    def serves(self, account: Account) -> bool:
        """Whether these pages were built for ``account`` (same person, role and reach)."""
        mine = self._account
        return (mine.username, mine.role, mine.jurisdiction_code) == (
            account.username,
            account.role,
            account.jurisdiction_code,
        )

    def pages(self) -> list[tuple[QWidget, str]]:
        """Return the pages with their tab titles, in tab order."""
        pages: list[tuple[QWidget, str]] = []
        if self.events is not None:
            pages.append((self.events, self.tr("Events and deadlines")))
        pages.append((self.roster, self.tr("Roster and duty")))
        return pages

    def start(self) -> None:
        """Load the pages and start their timers."""
        self.roster.start()
        if self.events is not None:
            self.events.start()

    def stop(self) -> None:
        """Stop the timers (the pages are going away)."""
        self.roster.timer.stop()
        if self.events is not None:
            self.events.timer.stop()

    def _after_round(self, summary: RoundSummary) -> None:
        self.roster.load_cached()
        self.roster.handovers.refresh()
        if self.events is not None:
            refresh_duty_then(self._tasks, summary, self, self.events.refresh)

    @staticmethod
    def _division_villages(account: Account) -> list[tuple[str, str]]:
        return [
            (d.code, d.short_name)
            for d in current_divisions().villages_under(account.jurisdiction_code)
        ]

    def _offer_villages(self) -> None:
        """Offer the villages with a post (the server opens events for those) when known."""
        if self.events is None:
            return
        posts: list[PostDuty] = [p for p in self.roster.model.posts() if p.level == "village"]
        if posts:
            self.events.set_villages(
                sorted(
                    ((p.post_code, p.post_name or p.post_code) for p in posts), key=lambda v: v[0]
                )
            )

"""The township reviewer's workspace: the review queue and the township report, as pages.

The main window shows these pages as tabs for an account with the ``township_reviewer`` role.
Calls that need the server (the township report, adjustments, submission, completeness, the
history) run on the task manager's ``network`` lane, so a slow network never holds up the
``db`` lane, and never the GUI thread.  After a sync round the workspace announces what the
round changed (``Changes``): the queue and the township report reload on that notice, the
township report as soon as its tab is shown if it is hidden (an approval sent from the queue
changes the township's figures).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Signal

from informant_app.core.divisions import current_divisions
from informant_app.core.store.types import EventSummary
from informant_app.core.sync.types import Account, RoundSummary
from informant_app.ui.common.errors import ErrorPresenter
from informant_app.ui.review.queue_page import ReviewQueuePage
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.tasks.manager import Changes, TaskManager
from informant_app.ui.township.report_view import TownshipReportView

log = logging.getLogger(__name__)

#: The role that gets the workspace.
REVIEWER_ROLE = "township_reviewer"


def is_reviewer(account: Account | None) -> bool:
    """Whether ``account`` reviews a township's village reports."""
    return account is not None and account.role == REVIEWER_ROLE


class ReviewWorkspace(QObject):
    """Owns the reviewer's pages.

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
        parent: QObject | None = None,
    ) -> None:
        """Build the pages (not yet shown anywhere).

        Args:
            worker: the task manager.
            lang: the UI language.
            errors: shows failures.
            sync: the sync controller (decisions ask for a round; rounds refresh the queue).
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.queue = ReviewQueuePage(worker, lang, errors, sync)
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        self.township = TownshipReportView(
            worker, lang, errors, Path(documents) if documents else Path.home()
        )
        self._tasks = worker
        self.queue.message.connect(self.message)
        self.township.message.connect(self.message)
        if sync is not None:
            sync.round_finished.connect(self._after_round)

    def set_account(self, account: Account) -> None:
        """Offer the villages of the account's township in the queue's filter."""
        villages = current_divisions().villages_under(account.jurisdiction_code)
        self.queue.set_villages(villages)

    def set_events(self, events: Sequence[EventSummary]) -> None:
        """Offer the known events in the queue's filter and the township report."""
        self.queue.set_events(events)
        self.township.set_events(events)

    def refresh(self, reorder: bool = False) -> None:
        """Reload the queue (the township report is fetched on demand).

        Lines decided this session keep their place unless ``reorder`` (a refresh by hand).
        """
        self.queue.refresh(reorder)

    def _after_round(self, summary: RoundSummary) -> None:
        """A round may have delivered decisions or brought reports: announce what they change.

        The queue reloads when the round moved anything or a decision was waiting to go; the
        township report when the round moved anything (at once when shown, else when shown).
        """
        decided = summary.decisions_sent + summary.decisions_conflicts + summary.decisions_rejected
        moved = bool(
            summary.pushed or summary.pulled or summary.failed or summary.conflicts or decided
        )
        waiting = any(item.decision_queued for item in self.queue.model.items())
        self._tasks.notify(Changes(review=moved or waiting, township=moved))
        not_applied = summary.decisions_conflicts + summary.decisions_rejected
        if not_applied:
            self.message.emit(
                self.tr(
                    "{n} decision(s) were not applied: the village sent a newer version, or the "
                    "server refused them. See the report's history."
                ).format(n=not_applied)
            )

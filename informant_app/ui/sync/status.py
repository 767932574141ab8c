"""The status bar's sync part: online or offline, the last sync, the queue, the last problem.

While a round runs it says what the round is doing, with counts (versions sent of those
waiting, photo megabytes, changes received so far: ``set_progress``), and during a first sync
(a store that never synced, which may pull thousands of versions) a progress bar too.

It also warns when this computer's clock is minutes or more off the server's (the server
orders reports by its own time, docs/sync.md (time), but people read the device's clock).
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from informant_app.core.sync.types import Phase, Progress, RoundSummary, SyncStatus, megabytes
from informant_app.ui.common.labels import ERROR_COLOR, WARNING_COLOR, local_time_text
from informant_app.ui.common.plain_text import plain

#: A clock further off than this (seconds) is shown.
SKEW_SHOWN_ABOVE = 5 * 60

ONLINE_COLOR = "#2e7d32"
OFFLINE_COLOR = "#757575"
SYNCING_COLOR = "#1565c0"


class SyncStatusBar(QWidget):
    """Shows the sync status in plain words; fed by ``SyncController``'s signals."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_status")
        self._lang = lang
        self._status: SyncStatus | None = None
        self._syncing = False
        self.connection = QLabel(self)
        self.connection.setObjectName("sync_connection")
        self.last_sync = QLabel(self)
        self.last_sync.setObjectName("sync_last_success")
        self.queue = QLabel(self)
        self.queue.setObjectName("sync_queue")
        self.problem = plain(QLabel(self))
        self.problem.setObjectName("sync_problem")
        self.problem.setStyleSheet(f"color: {ERROR_COLOR};")
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.skew = QLabel(self)
        self.skew.setObjectName("sync_clock_skew")
        self.skew.setStyleSheet(f"color: {WARNING_COLOR};")
        self.activity = QLabel(self)
        self.activity.setObjectName("sync_activity")
        self.activity.setVisible(False)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("sync_progress")
        self.progress_bar.setFixedWidth(120)
        self.progress_bar.setMaximumHeight(14)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setVisible(False)
        self._progress: Progress | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        for widget in (self.problem, self.skew, self.queue, self.activity, self.progress_bar):
            layout.addWidget(widget)
        for label in (self.last_sync, self.connection):
            layout.addWidget(label)
        self._show()

    @property
    def syncing(self) -> bool:
        """Whether a round is shown as running."""
        return self._syncing

    def set_status(self, status: SyncStatus) -> None:
        """Show ``status``."""
        self._status = status
        self._show()

    def set_syncing(self, syncing: bool) -> None:
        """Show (or stop showing) that a round is running."""
        self._syncing = syncing
        if not syncing:
            self._progress = None
            self.activity.clear()
            self.activity.setVisible(False)
            self.progress_bar.setVisible(False)
        self._show()

    def set_progress(self, progress: Progress) -> None:
        """Show what the round in flight is doing (``SyncController.round_progress``).

        The counts go in words; a progress bar shows during a first sync (this store never
        synced, or the pull reads the feed from its start): a filled part while sending, a
        busy bar while receiving (the server does not say how much follows).
        """
        if not self._syncing:
            return
        self._progress = progress
        self.activity.setText(self.progress_text(progress))
        self.activity.setVisible(True)
        status = self._status
        first = progress.first or (status is not None and status.last_success_at is None)
        if first:
            if progress.total is None or progress.total <= 0:
                self.progress_bar.setRange(0, 0)  # busy: how much follows is unknown
            else:
                self.progress_bar.setRange(0, 1000)
                self.progress_bar.setValue(round(1000 * progress.done / progress.total))
        self.progress_bar.setToolTip(self.tr("First sync: this may take a few minutes"))
        self.progress_bar.setVisible(first)

    def progress_text(self, progress: Progress) -> str:
        """Return the words for ``progress`` ("Sending 120 of 480…")."""
        locale = QLocale(QLocale.Language.English)  # 3,200 in both languages
        done = locale.toString(progress.done)
        total = locale.toString(progress.total) if progress.total is not None else ""
        if progress.phase is Phase.PUSH:
            return self.tr("Sending {done} of {total}…").format(done=done, total=total)
        if progress.phase is Phase.DECISIONS:
            return self.tr("Sending review decisions {done} of {total}…").format(
                done=done, total=total
            )
        if progress.phase is Phase.PHOTOS:
            return self.tr("Uploading photos {done} of {total} MB…").format(
                done=megabytes(progress.done), total=megabytes(progress.total or 0)
            )
        return self.tr("Receiving, {n} versions so far…").format(n=done)

    def round_finished(self, _summary: RoundSummary) -> None:
        """A round ended (its status follows by ``set_status``)."""
        self.set_syncing(False)

    def connection_text(self) -> str:
        """Return the connection word shown: syncing, online, offline, not signed in."""
        status = self._status
        if status is not None and not status.signed_in:
            return self.tr("Not signed in")
        if self._syncing:
            return self.tr("Syncing…")
        if status is None or status.online is None:
            return self.tr("Not connected yet")
        return self.tr("Online") if status.online else self.tr("Offline")

    def _show(self) -> None:
        status = self._status
        text = self.connection_text()
        color = OFFLINE_COLOR
        if self._syncing:
            color = SYNCING_COLOR
        elif status is not None and status.signed_in and status.online:
            color = ONLINE_COLOR
        self.connection.setText(f'<span style="color:{color}">●</span> {text}')
        self.connection.setToolTip(self._connection_tip())
        if status is None:
            for label in (self.last_sync, self.queue, self.problem, self.skew):
                label.clear()
            return
        if status.last_success_at is not None:
            self.last_sync.setText(
                self.tr("Last sync: {time}").format(time=local_time_text(status.last_success_at))
            )
        else:
            self.last_sync.setText(self.tr("Never synced"))
        self.queue.setText(self._queue_text(status))
        problem = status.last_problem
        self.problem.setText(problem.message(self._lang) if problem is not None else "")
        self.problem.setToolTip(self.problem.text())
        self.problem.setVisible(problem is not None)
        skew = self.skew_text(status.clock_skew_seconds)
        self.skew.setText(skew)
        self.skew.setVisible(bool(skew))

    def _connection_tip(self) -> str:
        status = self._status
        if status is not None and not status.signed_in:
            return self.tr("Reports stay on this computer until you sign in (File menu).")
        return self.tr("Reports are sent by themselves whenever the server can be reached.")

    def _queue_text(self, status: SyncStatus) -> str:
        parts = [self.tr("To send: {n}").format(n=status.queued)]
        if status.photos_pending:
            parts.append(self.tr("Photos to send: {n}").format(n=status.photos_pending))
        if status.errors:
            parts.append(self.tr("Errors: {n}").format(n=status.errors))
        if status.conflicts:
            parts.append(self.tr("Conflicts: {n}").format(n=status.conflicts))
        return " · ".join(parts)

    def skew_text(self, skew_seconds: float | None) -> str:
        """Return the clock warning for a skew (device minus server), "" when small."""
        if skew_seconds is None or abs(skew_seconds) <= SKEW_SHOWN_ABOVE:
            return ""
        amount = self.duration_text(abs(skew_seconds))
        if skew_seconds > 0:
            return self.tr("This computer's clock is {amount} ahead of the server").format(
                amount=amount
            )
        return self.tr("This computer's clock is {amount} behind the server").format(amount=amount)

    def duration_text(self, seconds: float) -> str:
        """Return a rounded duration in words: minutes, hours or days."""
        minutes = round(seconds / 60)
        if minutes < 60:
            return self.tr("{n} minutes").format(n=minutes)
        hours = round(seconds / 3600)
        if hours < 48:
            return self.tr("1 hour") if hours == 1 else self.tr("{n} hours").format(n=hours)
        return self.tr("{n} days").format(n=round(seconds / 86400))

"""When to sync: the Qt wrapper that drives the Qt-free ``SyncEngine`` from its own thread.

The engine decides *what* a round does; this module decides *when*: at start-up, after a
submit, when the network comes back (a hint only), on a timer that backs off after failures,
and on "Sync now".  Rounds never overlap; requests during a round make one more round after it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot
from PySide6.QtNetwork import QNetworkInformation

from informant_app.core.account.server_check import ServerCheck, ServerCheckKind
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.engine import SyncEngine
from informant_app.core.sync.types import Progress, RoundSummary, SyncStatus
from informant_app.ui.sync.runner import (
    EngineFactory,
    JobKind,
    RoundResult,
    SyncJob,
    SyncOutcome,
    SyncRunner,
)

log = logging.getLogger(__name__)

#: Seconds between rounds while everything goes well.
CALM_INTERVAL = 60.0
#: The shortest wait before a timed round (a backoff of 0 would spin).
MIN_DELAY = 1.0
#: How long ``stop`` waits for a round in flight before giving up.
STOP_TIMEOUT_MS = 20_000


class SyncController(QObject):
    """Runs sync rounds on a thread of their own and tells the GUI what happened.

    Lives on the GUI thread; its ``SyncRunner`` lives on the sync thread with its own store
    and engine.  Call ``start`` once the task manager's ``db`` lane has opened (and migrated)
    the store.

    Signals:
        status_changed(object): a new ``SyncStatus`` (after opening, each round, sign-in/out
            and ``refresh_status``).
        round_started(): a round began (the status bar shows "syncing").
        round_finished(object): a round ended; carries its ``RoundSummary``.
        round_progress(object): what the round in flight is doing; carries a ``Progress``
            (throttled on the sync thread; connect it to ``SyncStatusBar.set_progress``).
        reports_changed(): a round changed reports on this device; reload the list.
        signed_in(object): ``sign_in`` succeeded; carries the ``Account``.
        sign_in_failed(object): ``sign_in`` failed; carries the ``SignInError`` (or another
            exception for a bug).
        signed_out(): ``sign_out`` finished; unsent reports are still queued.
        server_checked(object): ``check_server`` finished; carries the ``ServerCheck``.
        failed(object): a job failed unexpectedly (a bug or the disk); carries the exception.
    """

    status_changed = Signal(object)
    round_started = Signal()
    round_finished = Signal(object)
    round_progress = Signal(object)
    reports_changed = Signal()
    signed_in = Signal(object)
    sign_in_failed = Signal(object)
    signed_out = Signal()
    server_checked = Signal(object)
    failed = Signal(object)
    _queue = Signal(object)

    def __init__(
        self,
        opener: Callable[[], ReportStore],
        engine_factory: EngineFactory = SyncEngine,
        calm_interval: float = CALM_INTERVAL,
        max_delay: float | None = None,
        watch_network: bool = True,
        parent: QObject | None = None,
    ) -> None:
        """Start the sync thread (idle until ``start``).

        Args:
            opener: opens the store; runs on the sync thread.
            engine_factory: makes the engine on that store (tests may pass a clock).
            calm_interval: seconds between rounds after a successful one.
            max_delay: the longest wait before a timed round, backoff included (``None``:
                the engine's cap; the demo shortens it).
            watch_network: run a round when ``QNetworkInformation`` reports a change.
            parent: the Qt parent.
        """
        super().__init__(parent)
        self._started = False
        self._stopped = False
        self._running = False
        self._again = False
        self._failures = 0
        self._status: SyncStatus | None = None
        self._last_summary: RoundSummary | None = None
        self._max_delay = max_delay
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(lambda: self.request_round("timer"))
        self._thread = QThread()
        self._thread.setObjectName("sync")
        self._runner = SyncRunner(opener, engine_factory, calm_interval)
        self._runner.moveToThread(self._thread)
        self._queue.connect(self._runner.run)
        self._runner.finished.connect(self._on_finished)
        self._runner.progressed.connect(self._on_progress)
        self._thread.start()
        self._network = self._watch_network() if watch_network else None

    # --- state ------------------------------------------------------------------------------

    @property
    def status(self) -> SyncStatus | None:
        """The last status the engine reported (``None`` before the store opened)."""
        return self._status

    @property
    def last_summary(self) -> RoundSummary | None:
        """The last round's summary."""
        return self._last_summary

    @property
    def running(self) -> bool:
        """Whether a round is in flight."""
        return self._running

    @property
    def failures(self) -> int:
        """Failed rounds in a row."""
        return self._failures

    @property
    def next_round_in_ms(self) -> int | None:
        """Milliseconds until the timed round, or ``None`` when none is planned."""
        return self._timer.remainingTime() if self._timer.isActive() else None

    # --- requests ---------------------------------------------------------------------------

    def start(self) -> None:
        """Open the store on the sync thread, report the status and run the first round."""
        if self._started or self._stopped:
            return
        self._started = True
        self._send(SyncJob(JobKind.OPEN))
        self.request_round("start-up")

    @Slot()
    def sync_now(self) -> None:
        """Run a round now ("Sync now")."""
        self.request_round("sync now")

    @Slot(str)
    def on_submitted(self, _version_uuid: str = "") -> None:
        """A report was submitted or put back in the queue: send it now."""
        self.request_round("submit")

    def request_round(self, reason: str) -> None:
        """Run a round as soon as none is in flight (several requests make one more round)."""
        if not self._started or self._stopped:
            return
        self._timer.stop()
        if self._running:
            self._again = True
            return
        log.info("sync round requested (%s)", reason)
        self._running = True
        self.round_started.emit()
        self._send(SyncJob(JobKind.ROUND))

    def refresh_status(self) -> None:
        """Ask the engine for a fresh status (after a local change such as a retry)."""
        if self._started and not self._stopped:
            self._send(SyncJob(JobKind.STATUS))

    def sign_in(self, server_url: str, username: str, password: str) -> None:
        """Sign in online on the sync thread; answers with ``signed_in`` or ``sign_in_failed``."""
        if self._started and not self._stopped:
            self._send(SyncJob(JobKind.SIGN_IN, (server_url, username, password)))

    def sign_in_with_code(self, server_url: str, code: str) -> None:
        """Sign in with a one-time set-up code on the sync thread (answers as ``sign_in``)."""
        if self._started and not self._stopped:
            self._send(SyncJob(JobKind.SIGN_IN_CODE, (server_url, code)))

    def check_server(self, server_url: str) -> None:
        """Test the connection to ``server_url`` on the sync thread (``server_checked``)."""
        if not self._stopped:
            self._send(SyncJob(JobKind.CHECK_SERVER, (server_url,)))

    def sign_out(self) -> None:
        """Forget the account (unsent reports stay); answers with ``signed_out``."""
        if self._started and not self._stopped:
            self._timer.stop()
            self._send(SyncJob(JobKind.SIGN_OUT))

    @Slot(QNetworkInformation.Reachability)
    def on_reachability_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        """The system says the network changed: try a round (the request decides)."""
        if reachability is not QNetworkInformation.Reachability.Disconnected:
            self.request_round(f"network {reachability.name}")

    def stop(self) -> None:
        """Stop the timer, let a round in flight end, close the store and end the thread."""
        if self._stopped:
            return
        self._stopped = True
        self._timer.stop()
        if self._network is not None:
            self._network.reachabilityChanged.disconnect(self.on_reachability_changed)
        self._send(SyncJob(JobKind.CLOSE))
        if not self._thread.wait(STOP_TIMEOUT_MS):
            log.error("the sync thread did not stop within %d ms", STOP_TIMEOUT_MS)

    # --- internals --------------------------------------------------------------------------

    def _watch_network(self) -> QNetworkInformation | None:
        if QNetworkInformation.instance() is None and not QNetworkInformation.loadDefaultBackend():
            log.info("no network information backend; syncing on the timer only")
            return None
        info = QNetworkInformation.instance()
        if info is not None:
            info.reachabilityChanged.connect(self.on_reachability_changed)
        return info

    def _send(self, job: SyncJob) -> None:
        self._queue.emit(job)

    @Slot(object)
    def _on_progress(self, progress: Progress) -> None:
        if self._running and not self._stopped:
            self.round_progress.emit(progress)

    @Slot(object)
    def _on_finished(self, outcome: SyncOutcome) -> None:
        kind = outcome.job.kind
        if kind is JobKind.ROUND:
            self._round_done(outcome)
        elif kind is JobKind.CHECK_SERVER:
            self._server_checked(outcome)
        elif kind in (JobKind.SIGN_IN, JobKind.SIGN_IN_CODE):
            if outcome.error is not None:
                self.sign_in_failed.emit(outcome.error)
            else:
                self._failures = 0
                self.signed_in.emit(outcome.result)
                self.refresh_status()
                self.request_round("signed in")
        elif outcome.error is not None:
            if kind is not JobKind.CLOSE:
                self.failed.emit(outcome.error)
        elif kind in (JobKind.OPEN, JobKind.STATUS, JobKind.SIGN_OUT):
            self._set_status(outcome.result)
            if kind is JobKind.SIGN_OUT:
                self.signed_out.emit()

    def _server_checked(self, outcome: SyncOutcome) -> None:
        if outcome.error is not None:  # a bug: logged on the sync thread
            self.failed.emit(outcome.error)
            result = ServerCheck(
                str(outcome.job.args[0]), ServerCheckKind.UNREACHABLE, detail=str(outcome.error)
            )
        else:
            result = outcome.result
        self.server_checked.emit(result)

    def _round_done(self, outcome: SyncOutcome) -> None:
        self._running = False
        if self._stopped:
            return
        if outcome.error is not None:
            self._failures += 1
            self.failed.emit(outcome.error)
            delay: float | None = CALM_INTERVAL
        else:
            result: RoundResult = outcome.result
            before = self._status
            self._failures = result.failures
            self._last_summary = result.summary
            self._set_status(result.status)
            self.round_finished.emit(result.summary)
            if _changed_reports(result.summary, before, result.status):
                self.reports_changed.emit()
            delay = result.next_delay
        if self._again:
            self._again = False
            self.request_round("requested during the last round")
        elif delay is not None:
            if self._max_delay is not None:
                delay = min(delay, self._max_delay)
            self._timer.start(int(max(delay, MIN_DELAY) * 1000))

    def _set_status(self, status: SyncStatus) -> None:
        self._status = status
        self.status_changed.emit(status)


def _changed_reports(summary: RoundSummary, before: SyncStatus | None, after: SyncStatus) -> bool:
    """Whether a round may have changed what the report list shows."""
    if summary.pushed or summary.pulled or summary.failed or summary.conflicts:
        return True
    if summary.photos_sent:
        return True
    if before is None:
        return True
    counts = ("queued", "errors", "conflicts", "photos_pending")
    if any(getattr(before, name) != getattr(after, name) for name in counts):
        return True
    # a round stopped midway may leave a version marked "sending" for the next one
    return summary.problem is not None and before.online is not False

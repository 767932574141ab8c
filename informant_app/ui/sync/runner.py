"""The sync thread's resident: owns its own ``ReportStore`` and the ``SyncEngine`` on it.

``SyncController`` (the GUI-side half) moves one ``SyncRunner`` to a ``QThread`` and hands it
jobs by a queued signal; each job's outcome comes back by the ``finished`` signal.  Network
work (rounds, sign-in) runs here, beside the task manager's lanes (``ui/tasks/manager.py``
says how they share the SQLite file), never on the GUI thread (docs/architecture.md).
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from informant_app.core.account.server_check import check_server
from informant_app.core.account.sign_in import sign_in_with_code
from informant_app.core.account.trust import installed_ca_bundle
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.engine import SignInError, SyncEngine, sign_in, sign_out
from informant_app.core.sync.progress import Throttle
from informant_app.core.sync.types import RoundSummary, SyncErrorKind, SyncStatus

log = logging.getLogger(__name__)

EngineFactory = Callable[[ReportStore], SyncEngine]
#: The most progress reports a round sends the GUI thread per second.
PROGRESS_PER_SECOND = 10


class JobKind(Enum):
    """What the sync thread is asked to do."""

    OPEN = "open"
    ROUND = "round"
    STATUS = "status"
    SIGN_IN = "sign_in"
    SIGN_IN_CODE = "sign_in_code"
    CHECK_SERVER = "check_server"
    SIGN_OUT = "sign_out"
    CLOSE = "close"


@dataclass
class SyncJob:
    """One request to the sync thread."""

    kind: JobKind
    args: tuple[Any, ...] = ()


@dataclass
class RoundResult:
    """A finished round with the status after it and when to try again.

    Attributes:
        summary: what the round did.
        status: the engine's status after the round.
        next_delay: seconds until the next timed round; ``None`` when none should run by
            itself (not signed in).
        failures: failed rounds in a row, this one included.
    """

    summary: RoundSummary
    status: SyncStatus
    next_delay: float | None
    failures: int


@dataclass
class SyncOutcome:
    """A finished job: its result or its exception (one object: never ``None`` on a signal)."""

    job: SyncJob
    result: Any = None
    error: BaseException | None = None


class SyncRunner(QObject):
    """Runs sync jobs one at a time on the sync thread.

    Signals:
        finished(object): a job ended; carries its ``SyncOutcome``.
        progressed(object): a round's ``Progress`` (at most ``PROGRESS_PER_SECOND`` a second,
            so a fast round never floods the GUI thread's event loop).
    """

    finished = Signal(object)
    progressed = Signal(object)

    def __init__(
        self, opener: Callable[[], ReportStore], engine_factory: EngineFactory, calm_interval: float
    ) -> None:
        """Keep what the thread needs; nothing is opened before the ``OPEN`` job.

        Args:
            opener: opens the store (on the sync thread).
            engine_factory: makes the engine for a store.
            calm_interval: seconds between rounds after a successful one.
        """
        super().__init__()
        self._opener = opener
        self._engine_factory = engine_factory
        self._calm_interval = calm_interval
        self._store: ReportStore | None = None
        self._engine: SyncEngine | None = None
        self._failures = 0

    @Slot(object)
    def run(self, job: SyncJob) -> None:
        """Run ``job`` and emit its outcome; a ``CLOSE`` job ends the thread after it."""
        try:
            result = self._run(job)
        except SignInError as exc:
            self.finished.emit(SyncOutcome(job, error=exc))
        except Exception as exc:  # every failure goes back to the GUI thread
            log.exception("sync job %s failed", job.kind.value)
            self.finished.emit(SyncOutcome(job, error=exc))
        else:
            self.finished.emit(SyncOutcome(job, result=result))
        if job.kind is JobKind.CLOSE:
            thread = self.thread()
            if thread is not None:
                thread.quit()

    def _run(self, job: SyncJob) -> Any:
        if job.kind is JobKind.CHECK_SERVER:  # needs no store, only its folder's CA certificate
            folder = self._store.data_dir if self._store is not None else None
            return check_server(
                job.args[0], ca_bundle=installed_ca_bundle(folder) if folder else None
            )
        if job.kind is JobKind.OPEN:
            self._store = self._opener()
            self._engine = self._engine_factory(self._store)
            return self._engine.status()
        if job.kind is JobKind.CLOSE:
            self._engine = None
            if self._store is not None:
                store, self._store = self._store, None
                store.close()
            return None
        if self._store is None or self._engine is None:
            raise RuntimeError("the sync thread's store is not open")
        match job.kind:
            case JobKind.ROUND:
                return self._round(self._engine)
            case JobKind.STATUS:
                return self._engine.status()
            case JobKind.SIGN_IN:
                server_url, username, password = job.args
                account = sign_in(
                    self._store, server_url, username, password, device_name=socket.gethostname()
                )
                self._renew_engine()
                return account
            case JobKind.SIGN_IN_CODE:
                server_url, code = job.args
                account = sign_in_with_code(
                    self._store, server_url, code, device_name=socket.gethostname()
                )
                self._renew_engine()
                return account
            case JobKind.SIGN_OUT:
                sign_out(self._store)
                self._renew_engine()
                return self._engine.status()
        raise ValueError(f"unknown sync job {job.kind}")

    def _renew_engine(self) -> None:
        """Start from a fresh engine after the account changed (it may cache the session)."""
        assert self._store is not None
        self._engine = self._engine_factory(self._store)
        self._failures = 0

    def _round(self, engine: SyncEngine) -> RoundResult:
        summary = engine.run_round(
            progress=Throttle(self.progressed.emit, interval=1.0 / PROGRESS_PER_SECOND)
        )
        status = engine.status()
        next_delay: float | None
        if summary.ok:
            self._failures = 0
            next_delay = self._calm_interval
        elif summary.problem is not None and summary.problem.kind is SyncErrorKind.NOT_SIGNED_IN:
            self._failures = 0
            next_delay = None
        else:
            self._failures += 1
            asked = summary.problem.retry_after if summary.problem is not None else None
            next_delay = engine.retry_delay(self._failures, asked)
        log.info(
            "sync round: pushed %d, pulled %d, failed %d, queued %d, problem %s",
            summary.pushed,
            summary.pulled,
            summary.failed,
            summary.still_queued,
            summary.problem.kind.value if summary.problem else None,
        )
        return RoundResult(summary, status, next_delay, self._failures)

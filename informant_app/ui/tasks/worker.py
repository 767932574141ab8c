"""The one serialized database worker: store calls run off the GUI thread, answers come back.

A ``QThread`` owns a small runner object that opens the ``ReportStore`` and then runs one job
at a time, in the order they were queued.  Results and errors return to the GUI thread by
queued signals and are handed to the callbacks given with each job (DESIGN.md §1).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot

from informant_app.core.store.report_store import ReportStore

log = logging.getLogger(__name__)

StoreJob = Callable[[ReportStore], Any]
DoneCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]

#: How long ``stop`` waits for the last jobs (an autosave flush) before giving up.
STOP_TIMEOUT_MS = 30_000


def is_user_error(exc: BaseException) -> bool:
    """Return whether ``exc`` carries a message for the user (``StoreError``, ``ContractError``)."""
    return callable(getattr(exc, "message", None))


@dataclass
class _Job:
    """One queued call with the callbacks that receive its outcome on the GUI thread."""

    fn: StoreJob | None
    on_done: DoneCallback | None
    on_error: ErrorCallback | None
    owner: QObject | None
    kind: str = "call"  # "open", "call" or "close"


@dataclass
class _Outcome:
    """A finished job with its result or error.

    Signals carry this one object: PySide6 on Python 3.11 loses references to ``None``
    passed as a queued signal argument, which ends in a crash (``none_dealloc``).
    """

    job: _Job
    result: Any = None
    error: BaseException | None = None


class _Runner(QObject):
    """Lives on the worker thread and owns the store.

    Signals:
        finished(object): a job ended; carries its ``_Outcome``.
    """

    finished = Signal(object)

    def __init__(self, opener: Callable[[], ReportStore]) -> None:
        super().__init__()
        self._opener = opener
        self._store: ReportStore | None = None

    @Slot(object)
    def run(self, job: _Job) -> None:
        try:
            result = self._run(job)
        except Exception as exc:  # every failure goes back to the GUI thread
            if not is_user_error(exc):
                log.exception("store job failed")
            self.finished.emit(_Outcome(job, error=exc))
        else:
            self.finished.emit(_Outcome(job, result=result))
        if job.kind == "close":
            thread = self.thread()
            if thread is not None:
                thread.quit()

    def _run(self, job: _Job) -> Any:
        if job.kind == "open":
            self._store = self._opener()
            return self._store
        if job.kind == "close":
            if self._store is not None:
                store, self._store = self._store, None
                store.close()
            return None
        if self._store is None:
            raise RuntimeError("the store is not open")
        assert job.fn is not None
        return job.fn(self._store)


class DbWorker(QObject):
    """Runs store calls one at a time on its own thread; the GUI thread never waits for them.

    Signals:
        failed(object): a job queued without an error callback failed; carries the exception.
        idle(): the last pending job has been answered.
    """

    failed = Signal(object)
    idle = Signal()
    _queue = Signal(object)

    def __init__(self, opener: Callable[[], ReportStore], parent: QObject | None = None) -> None:
        """Start the worker thread; call ``open`` next.

        Args:
            opener: opens the store; runs on the worker thread.
            parent: the Qt parent.
        """
        super().__init__(parent)
        self._pending = 0
        self._stopped = False
        self._thread = QThread()
        self._thread.setObjectName("db-worker")
        self._runner = _Runner(opener)
        self._runner.moveToThread(self._thread)
        self._queue.connect(self._runner.run)
        self._runner.finished.connect(self._on_finished)
        self._thread.start()

    @property
    def pending(self) -> int:
        """The number of jobs queued or running whose answer has not arrived yet."""
        return self._pending

    def open(
        self, on_done: DoneCallback | None = None, on_error: ErrorCallback | None = None
    ) -> None:
        """Open the store on the worker thread; ``on_done`` receives it when ready."""
        self._enqueue(_Job(None, on_done, on_error, None, kind="open"))

    def run(
        self,
        fn: StoreJob,
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        owner: QObject | None = None,
    ) -> None:
        """Queue ``fn(store)`` on the worker.

        Args:
            fn: the call to make; receives the open store; runs on the worker thread, so it
                must not touch widgets.
            on_done: receives the result on the GUI thread.
            on_error: receives the exception on the GUI thread; without it ``failed`` is
                emitted.
            owner: when given and deleted by the time the answer arrives, the callbacks are
                skipped (a closed window); errors still reach ``failed``.
        """
        if self._stopped:
            log.warning("job queued after the worker stopped; ignored")
            return
        self._enqueue(_Job(fn, on_done, on_error, owner))

    def stop(self) -> None:
        """Run the jobs already queued, close the store and end the thread (blocks briefly)."""
        if self._stopped:
            return
        self._stopped = True
        self._enqueue(_Job(None, None, None, None, kind="close"))
        if not self._thread.wait(STOP_TIMEOUT_MS):
            log.error("the database worker did not stop within %d ms", STOP_TIMEOUT_MS)

    def _enqueue(self, job: _Job) -> None:
        self._pending += 1
        self._queue.emit(job)

    @Slot(object)
    def _on_finished(self, outcome: _Outcome) -> None:
        job, result, error = outcome.job, outcome.result, outcome.error
        self._pending -= 1
        owner_alive = job.owner is None or shiboken6.isValid(job.owner)
        try:
            if error is None:
                if job.on_done is not None and owner_alive:
                    job.on_done(result)
            elif job.on_error is not None and owner_alive:
                job.on_error(error)
            else:
                self.failed.emit(error)
        finally:
            if self._pending == 0:
                self.idle.emit()

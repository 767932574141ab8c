"""Progress and cancelling of a long job on a task manager lane (an import, an export).

The core reports progress through a plain callback (``informant_app.core.sync.types``) on the
lane's thread.  ``ProgressRelay`` carries it to the GUI thread by a queued signal, throttled
(at most ``PER_SECOND`` reports a second, so a fast loop never floods the event loop), and
holds the job's cancel flag, which the core checks where stopping leaves nothing half-written.
``ProgressDialog`` shows it: a window-modal dialog with the counts, a bar and a Cancel button,
shown only when the job lasts longer than ``SHOW_AFTER_MS`` (a quick export does not flash
a dialog).  The job's owner closes it with ``finish`` when the answer (or the error) arrives.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QLocale, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from informant_app.core.sync.progress import Throttle
from informant_app.core.sync.types import (
    CancelCheck,
    CancelledError,
    Phase,
    Progress,
    never_cancelled,
)

T = TypeVar("T")

#: The most progress reports a job sends the GUI thread per second.
PER_SECOND = 10
#: A job shorter than this shows no dialog.
SHOW_AFTER_MS = 400


class ProgressRelay(QObject):
    """A job's progress and cancel flag, shared by the lane's thread and the GUI thread.

    ``report`` and ``cancelled`` are called on the lane's thread (pass them to the core);
    ``reported`` arrives on the GUI thread.  The relay has no Qt parent: the job's closure
    keeps it alive until the job is over.

    Signals:
        reported(object): a ``Progress`` (throttled).
    """

    reported = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()
        self._throttle = Throttle(self.reported.emit, interval=1.0 / PER_SECOND)

    def report(self, progress: Progress) -> None:
        """Pass ``progress`` on to the GUI thread (throttled); call it on one thread only."""
        self._throttle(progress)

    def cancel(self) -> None:
        """Ask the job to stop (it stops at its next check, or finishes when past the last)."""
        self._cancel.set()

    def cancelled(self) -> bool:
        """Whether the job was asked to stop (the core's cancel check)."""
        return self._cancel.is_set()


class ProgressDialog(QProgressDialog):
    """Shows a job's progress with a Cancel button (window-modal over ``parent``).

    Args:
        title: the window title ("Importing reports").
        relay: the job's relay: its reports move the bar, Cancel sets its flag.
        parent: the window it belongs to.
        cancellable: whether to offer Cancel (work that cannot stop cleanly does not).
        write_cancellable: whether Cancel stays offered while writing (``Phase.WRITE``): an
            export writes a temporary file it can drop; an import's transaction cannot stop.
    """

    def __init__(
        self,
        title: str,
        relay: ProgressRelay,
        parent: QWidget | None,
        cancellable: bool = True,
        write_cancellable: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("job_progress")
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumDuration(2**30)  # never by itself: the timer below shows it
        self.setMinimumWidth(360)
        self.setRange(0, 0)
        self.setLabelText(self.tr("Working…"))
        self.cancel_button: QPushButton | None = None
        if cancellable:
            self.cancel_button = QPushButton(self.tr("Cancel"), self)
            self.cancel_button.setObjectName("job_progress_cancel")
            self.setCancelButton(self.cancel_button)
        else:
            self.setCancelButton(None)
        self._relay = relay
        self._write_cancellable = write_cancellable
        self._done = False
        relay.reported.connect(self.show_progress)
        self.canceled.connect(self._cancel)
        self.hide()  # QProgressDialog may show itself; only the timer shows it
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_now)
        self._timer.start(SHOW_AFTER_MS)

    @property
    def relay(self) -> ProgressRelay:
        """The job's relay."""
        return self._relay

    @Slot()
    def _show_now(self) -> None:
        if not self._done:
            self.show()

    @Slot(object)
    def show_progress(self, progress: Progress) -> None:
        """Show ``progress``: its words and, with a known total, how far along."""
        if self._done or self._relay.cancelled():
            return
        self.setLabelText(self.progress_text(progress))
        if progress.total is None or progress.total <= 0:
            self.setRange(0, 0)
        else:
            self.setRange(0, 1000)
            self.setValue(round(1000 * min(progress.done, progress.total) / progress.total))
        if progress.phase is Phase.WRITE and not self._write_cancellable and self.cancel_button:
            self.cancel_button.setEnabled(False)  # past the last point where stopping is clean

    def progress_text(self, progress: Progress) -> str:
        """Return the words for ``progress``."""
        locale = QLocale(QLocale.Language.English)  # 3,200 in both languages
        done = locale.toString(progress.done)
        total = locale.toString(progress.total) if progress.total is not None else "?"
        if progress.phase is Phase.READ:
            return self.tr("Checking records: {done} of {total}…").format(done=done, total=total)
        if progress.phase is Phase.WRITE:
            return self.tr("Writing…")
        return self.tr("Preparing…")

    @Slot()
    def _cancel(self) -> None:
        if self._done:
            return
        self._relay.cancel()
        self.setLabelText(self.tr("Cancelling…"))
        self.show()  # QProgressDialog hides on Cancel; stay until the job has stopped

    def finish(self) -> None:
        """The job is over (done, failed or cancelled): close the dialog."""
        self._done = True
        self._timer.stop()
        self.reset()
        self.hide()
        self.deleteLater()


class LongJob:
    """One long job run in steps on the lanes, with its relay and dialog.

    An export prepares on ``db`` and writes on ``files`` (through a temporary file:
    ``write_via_temp``, so Cancel stays offered while it writes): wrap each
    step's callbacks (``done``, ``failed``) so that the dialog closes when the job is over.

    Args:
        title: the dialog's title.
        parent: the window the dialog belongs to.
        cancellable: whether to offer Cancel.
    """

    def __init__(self, title: str, parent: QWidget | None, cancellable: bool = True) -> None:
        self.relay = ProgressRelay()
        self.dialog = ProgressDialog(title, self.relay, parent, cancellable, write_cancellable=True)
        self.over = False

    def cancelled(self) -> bool:
        """Whether the person cancelled (the core's cancel check; any thread)."""
        return self.relay.cancelled()

    def step(self, phase: Phase) -> None:
        """Say which step runs now (on the GUI thread)."""
        self.dialog.show_progress(Progress(phase, 0))

    def finish(self) -> None:
        """Close the dialog (once)."""
        if not self.over:
            self.over = True
            self.dialog.finish()

    def done(self, on_done: Callable[[T], None]) -> Callable[[T], None]:
        """Return ``on_done`` that first closes the dialog."""

        def run(result: T) -> None:
            self.finish()
            on_done(result)

        return run

    def failed(self, on_error: Callable[[BaseException], None]) -> Callable[[BaseException], None]:
        """Return an error callback that closes the dialog; a cancellation is no error."""

        def run(exc: BaseException) -> None:
            self.finish()
            if not isinstance(exc, CancelledError):
                on_error(exc)

        return run


def write_via_temp(
    target: Path, write: Callable[[Path], T], cancelled: CancelCheck = never_cancelled
) -> T:
    """Write a file through a temporary one beside ``target``, renamed over it at the end.

    ``write(temporary)`` writes the whole file (the temporary name keeps ``target``'s
    suffix, which some writers go by).  Cancelled (``cancelled()`` after the write) or failed,
    the temporary file is removed and ``target`` is as it was: never half-written.

    Raises:
        CancelledError: ``cancelled()`` said so; no file was written.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.stem}.partial-{secrets.token_hex(4)}{target.suffix}")
    try:
        result = write(temporary)
        if cancelled():
            raise CancelledError
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return result

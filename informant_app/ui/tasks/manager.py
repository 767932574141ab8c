"""The UI's one task manager: all background work, on named lanes, with typed answers.

Every job is a typed ``Op[T]``: a function that runs off the GUI thread and returns a ``T``,
the callback that receives that ``T`` on the GUI thread (by a queued signal), and the callback
for an exception (without one, the manager's ``failed`` signal carries it to the window's error
display).  Three lanes, each a ``QThread`` running its jobs one at a time in the order queued:

``db``
    The only writer of the SQLite file on the GUI side, one job at a time: it opens the
    ``ReportStore`` (migrating it) and every store call a window, form or model makes runs
    here (``TaskManager.run``).  Autosave runs here, so nothing slow may.
``network``
    Calls to the city server (roster, review online, township report, history…;
    ``TaskManager.network``).  A slow network holds up neither the GUI thread nor the ``db``
    lane.  This lane never writes: its jobs get a read-only connection of their own
    (``ReportStore.open_read_only``: ``query_only``), opened once the ``db`` lane has migrated
    the file, to read the account, the token and the settings a request needs.  An answer the
    app keeps goes through ``TaskManager.fetch_then_save``: ``fetch(store)`` asks the server on
    this lane, then ``save(store, answer)`` keeps the answer on the ``db`` lane, and its result
    reaches ``on_done``.  The core's online functions come in these two steps
    (``fetch_roster``/``save_roster`` …).
``files``
    Exports and other long file work (``TaskManager.files``), so that an export never holds up
    autosave.  Its jobs get no store: they receive the data read before (a township report is
    already in memory when it is exported) or open a read-only connection of their own
    (``ReportStore.open_read_only``: ``query_only``, never migrating), as the diagnostic copy
    does.  A read-only connection cannot become a second writer, and needs no round trip
    through the ``db`` lane's queue behind autosave.

The sync engine keeps its own thread (``ui/sync/runner.py``, driven by ``SyncController``) with
its own ``ReportStore``, because its rounds last long and decide their own timing: it is the
other writer of the file, beside the ``db`` lane.  All these connections share one SQLite file
in WAL mode with a ``busy_timeout``: readers never wait for a writer, and the two writers wait
briefly for each other's short transactions instead of failing.

**The latest answer only.**  A job given a ``key`` makes every older job with the same key
stale: when a stale job ends, its result and its error are dropped (an unhandled error still
reaches ``failed``).  A ``fetch_then_save`` is one job for its key: its answer is still saved
when it became stale, only the callbacks are skipped.  A job given ``replaces=False`` only
follows its key: it is dropped when a newer replacing job starts, without making older ones
stale (the next page of a list that is not being reloaded).  Keys are any hashable value;
``TaskKey()`` makes a fresh one per view.

**Progress and cancelling.**  A long job (an import, an export) reports progress through the
core's plain callback and checks a cancel flag; ``ui/tasks/progress.py`` carries both across
(``ProgressRelay``: a queued signal, throttled to a few reports a second so a fast loop never
floods the event loop) and shows them (``ProgressDialog``, ``LongJob``).  The lanes need
nothing more: the job's closure holds the relay.

**The change notice.**  A job that changes data says what (``changes=Changes(review=True)``);
after it succeeds the manager emits ``changed(Changes)``, and views reload what concerns them.
``notify`` emits a notice for changes made elsewhere (a sync round).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot

from informant_app.core.store.report_store import ReportStore

log = logging.getLogger(__name__)

T = TypeVar("T")
A = TypeVar("A")

StoreOpener = Callable[[], ReportStore]
ErrorCallback = Callable[[BaseException], None]

#: How long ``stop`` waits for each lane's last jobs (an autosave flush, a request under way).
STOP_TIMEOUT_MS = 30_000
#: How long the ``network`` lane waits for the ``db`` lane to open (and migrate) the store
#: before it opens its read-only connection beside it.
OPEN_WAIT_S = 60.0


class Lane(Enum):
    """Where a job runs; each lane is a thread that runs its jobs one at a time."""

    DB = "db"
    NETWORK = "network"
    FILES = "files"


@dataclass(frozen=True)
class Changes:
    """What a job changed, so that views reload only what concerns them.

    Attributes:
        reports: reports or drafts on this device (the list, the counts).
        review: review decisions or the review queue.
        duty: the roster, events, absences or handovers.
        township: the township report on the server (adjustments, submission, approvals).
        profile: the profile or the account.
        source: the owner of the job that made the changes (``None``: made elsewhere), so a
            view can skip a reload of what it has just shown itself.
    """

    reports: bool = False
    review: bool = False
    duty: bool = False
    township: bool = False
    profile: bool = False
    source: object = field(default=None, compare=False, repr=False)

    def __bool__(self) -> bool:
        """Whether anything changed."""
        return any(getattr(self, name) for name in _FLAGS)

    def __or__(self, other: Changes) -> Changes:
        """Return the changes of both (without a source)."""
        return Changes(**{name: getattr(self, name) or getattr(other, name) for name in _FLAGS})


#: The flags of ``Changes`` (its fields but ``source``).
_FLAGS = tuple(f.name for f in fields(Changes) if f.name != "source")
#: Nothing changed (a read).
NO_CHANGES = Changes()


class TaskKey:
    """A fresh key for "the latest answer only" (one per view and question)."""

    __slots__ = ("name",)

    def __init__(self, name: str = "") -> None:
        """Name the key (for logs only)."""
        self.name = name

    def __repr__(self) -> str:
        """Return ``TaskKey(name)``."""
        return f"TaskKey({self.name!r})"


class _Kind(Enum):
    OPEN = "open"
    CALL = "call"
    CLOSE = "close"


@dataclass(eq=False)
class Op(Generic[T]):
    """One job: its function, its callbacks and, once it ran, its result or error.

    The same object goes to the lane's thread and comes back (signals carry this one object:
    PySide6 on Python 3.11 loses references to ``None`` passed as a queued signal argument).

    Attributes:
        lane: where it runs.
        work: the function; receives the lane's store (``None`` on the ``files`` lane).
        on_done: receives the result on the GUI thread.
        on_error: receives the exception on the GUI thread; without it ``failed`` does.
        owner: when deleted by the time the answer arrives, the callbacks are skipped.
        key: the "latest answer only" key (see the module docstring).
        replaces: whether this job makes older jobs with ``key`` stale.
        changes: what the job changes; announced by ``changed`` after it succeeds.
        then: makes the next job from the result (``fetch_then_save``: the save on ``db``);
            that job inherits this one's key and its place, and answers in its stead.
    """

    lane: Lane
    work: Callable[[ReportStore | None], T]
    on_done: Callable[[T], None] | None = None
    on_error: ErrorCallback | None = None
    owner: QObject | None = None
    key: Hashable | None = None
    replaces: bool = True
    changes: Changes = NO_CHANGES
    then: Callable[[T], Op[Any]] | None = None
    kind: _Kind = _Kind.CALL
    serial: int = 0
    expect: int | None = None
    error: BaseException | None = None
    _result: list[T] = field(default_factory=list)

    def execute(self, store: ReportStore | None) -> None:
        """Run the work (on the lane's thread) and keep its result or its exception."""
        try:
            self._result.append(self.work(store))
        except Exception as exc:  # every failure goes back to the GUI thread
            self.error = exc
            if not is_user_error(exc):
                log.exception("%s job failed", self.lane.value)

    def next_op(self) -> Op[Any] | None:
        """Return the job that continues this one (``None``: none, or this one failed)."""
        if self.then is None or not self._result:
            return None
        op = self.then(self._result[0])
        op.serial, op.expect = self.serial, self.expect
        return op

    def deliver(self) -> None:
        """Hand the result to ``on_done`` (on the GUI thread)."""
        if self.on_done is not None and self._result:
            self.on_done(self._result[0])


def is_user_error(exc: BaseException) -> bool:
    """Return whether ``exc`` carries a message for the user (``StoreError``, ``ContractError``)."""
    return callable(getattr(exc, "message", None))


def _needs_store(fn: Callable[[ReportStore], T]) -> Callable[[ReportStore | None], T]:
    def work(store: ReportStore | None) -> T:
        if store is None:
            raise RuntimeError("the store is not open")
        return fn(store)

    return work


def _without_store(fn: Callable[[], T]) -> Callable[[ReportStore | None], T]:
    return lambda _store: fn()


class _Opened:
    """The ``db`` lane's store once open: the ``network`` lane opens its reader beside it."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.store: ReportStore | None = None


def _reader_beside(opened: _Opened) -> ReportStore | None:
    """Open a read-only connection on the ``db`` lane's file, with its clock (``None``: none)."""
    if not opened.ready.wait(OPEN_WAIT_S):
        log.warning("the network lane waited in vain for the db lane to open the store")
        return None
    db_store = opened.store
    if db_store is None:
        return None
    try:
        return ReportStore.open_read_only(db_store.data_dir, db_store.clock)
    except Exception:  # the job then fails with "the store is not open"
        log.exception("the network lane could not open its read-only connection")
        return None


class _Runner(QObject):
    """Lives on a lane's thread; owns the lane's store, if it has one.

    Signals:
        finished(object): a job ended; carries its ``Op``.
    """

    finished = Signal(object)

    def __init__(self, lane: Lane, opened: _Opened) -> None:
        super().__init__()
        self._lane = lane
        self._opened = opened
        self._store: ReportStore | None = None

    @Slot(object)
    def run(self, op: Op[object]) -> None:
        if op.kind is _Kind.OPEN:
            op.execute(None)
            store = op._result[0] if op._result else None
            self._store = store if isinstance(store, ReportStore) else None
            self._opened.store = self._store
            self._opened.ready.set()
        elif op.kind is _Kind.CLOSE:
            op.execute(None)
            if self._store is not None:
                store, self._store = self._store, None
                store.close()
        else:
            op.execute(self._lane_store())
        self.finished.emit(op)
        if op.kind is _Kind.CLOSE:
            thread = self.thread()
            if thread is not None:
                thread.quit()

    def _lane_store(self) -> ReportStore | None:
        if self._store is None and self._lane is Lane.NETWORK:
            # a read-only connection of its own, once the db lane has migrated the file
            self._store = _reader_beside(self._opened)
        return self._store


class _LaneThread(QObject):
    """The GUI-side handle of one lane: its thread, its runner and the signal that feeds it."""

    queue = Signal(object)

    def __init__(self, lane: Lane, opened: _Opened, parent: QObject) -> None:
        super().__init__(parent)
        self.lane_thread = QThread()
        self.lane_thread.setObjectName(f"{lane.value}-lane")
        self.runner = _Runner(lane, opened)
        self.runner.moveToThread(self.lane_thread)
        self.queue.connect(self.runner.run)
        self.lane_thread.start()


class TaskManager(QObject):
    """Runs all background work of the UI on its lanes; answers come back on the GUI thread.

    Signals:
        failed(object): a job without an error callback failed; carries the exception.
        idle(): the last pending job (of any lane) has been answered.
        changed(object): data changed; carries the ``Changes``.
    """

    failed = Signal(object)
    idle = Signal()
    changed = Signal(object)

    def __init__(self, opener: StoreOpener, parent: QObject | None = None) -> None:
        """Start the ``db`` lane (the others start on first use); call ``open`` next.

        Args:
            opener: opens (and migrates) the store; runs on the ``db`` lane, the only writer.
                The ``network`` lane opens a read-only connection on the same file.
            parent: the Qt parent.
        """
        super().__init__(parent)
        self._opener = opener
        self._opened = _Opened()
        self._lanes: dict[Lane, _LaneThread] = {}
        self._pending: Counter[Lane] = Counter()
        self._serial = 0
        self._latest: dict[Hashable, int] = {}
        self._key_users: Counter[Hashable] = Counter()
        self._stopped = False
        self._lane(Lane.DB)

    # --- state ------------------------------------------------------------------------------

    @property
    def pending(self) -> int:
        """The number of jobs (all lanes) queued or running whose answer has not arrived yet."""
        return sum(self._pending.values())

    def pending_on(self, lane: Lane) -> int:
        """The number of jobs on ``lane`` whose answer has not arrived yet."""
        return self._pending[lane]

    # --- queuing ----------------------------------------------------------------------------

    def open(
        self,
        on_done: Callable[[ReportStore], None] | None = None,
        on_error: ErrorCallback | None = None,
    ) -> None:
        """Open the store on the ``db`` lane; ``on_done`` receives it when ready."""
        opener = self._opener
        op: Op[ReportStore] = Op(
            Lane.DB, lambda _store: opener(), on_done, on_error, kind=_Kind.OPEN
        )
        self._enqueue(op)

    def run(
        self,
        fn: Callable[[ReportStore], T],
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorCallback | None = None,
        owner: QObject | None = None,
        *,
        key: Hashable | None = None,
        replaces: bool = True,
        changes: Changes = NO_CHANGES,
    ) -> None:
        """Queue ``fn(store)`` on the ``db`` lane.

        Args:
            fn: the store call; runs on the lane's thread, so it must not touch widgets.
            on_done: receives the result on the GUI thread.
            on_error: receives the exception on the GUI thread; without it ``failed`` does.
            owner: when deleted by the time the answer arrives, the callbacks are skipped
                (a closed window); errors still reach ``failed``.
            key: only the latest job with this key is answered (see the module docstring).
            replaces: ``False``: the job follows ``key`` without making older jobs stale.
            changes: what ``fn`` changes; ``changed`` announces it after success.
        """
        self.submit(Op(Lane.DB, _needs_store(fn), on_done, on_error, owner, key, replaces, changes))

    def network(
        self,
        fn: Callable[[ReportStore], T],
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorCallback | None = None,
        owner: QObject | None = None,
        *,
        key: Hashable | None = None,
        replaces: bool = True,
        changes: Changes = NO_CHANGES,
    ) -> None:
        """Queue ``fn(store)`` on the ``network`` lane (it may wait on the server).

        ``fn`` receives the lane's read-only store connection (a write raises): it may read
        the account and the settings a request needs.  To keep an answer, use
        ``fetch_then_save``.  The arguments are those of ``run``.
        """
        self.submit(
            Op(Lane.NETWORK, _needs_store(fn), on_done, on_error, owner, key, replaces, changes)
        )

    def fetch_then_save(
        self,
        fetch: Callable[[ReportStore], A],
        save: Callable[[ReportStore, A], T],
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorCallback | None = None,
        owner: QObject | None = None,
        *,
        key: Hashable | None = None,
        replaces: bool = True,
        changes: Changes = NO_CHANGES,
    ) -> None:
        """Ask the server on the ``network`` lane, then keep its answer on the ``db`` lane.

        ``fetch(store)`` runs on the ``network`` lane with its read-only store; when it
        succeeds, ``save(store, answer)`` is queued on the ``db`` lane (the only writer) and
        its result goes to ``on_done``.  An error of either step goes to ``on_error`` (or
        ``failed``) and nothing is saved after a failed fetch.  The two steps are one job for
        ``key`` and ``changes``: the change notice follows the save, and the answer is saved
        even when a newer job made it stale (only the callbacks are skipped).  The other
        arguments are those of ``run``.
        """

        def saving(answer: A) -> Op[T]:
            return Op(
                Lane.DB,
                _needs_store(lambda store: save(store, answer)),
                on_done,
                on_error,
                owner,
                key,
                replaces,
                changes,
            )

        fetching: Op[A] = Op(
            Lane.NETWORK, _needs_store(fetch), None, on_error, owner, key, replaces, then=saving
        )
        self.submit(fetching)

    def files(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorCallback | None = None,
        owner: QObject | None = None,
        *,
        key: Hashable | None = None,
        replaces: bool = True,
        changes: Changes = NO_CHANGES,
    ) -> None:
        """Queue ``fn()`` on the ``files`` lane (exports; no store: see the module docstring).

        The arguments are those of ``run``.
        """
        self.submit(
            Op(Lane.FILES, _without_store(fn), on_done, on_error, owner, key, replaces, changes)
        )

    def submit(self, op: Op[T]) -> None:
        """Queue a prepared ``op`` on its lane."""
        if self._stopped:
            log.warning("%s job queued after the task manager stopped; ignored", op.lane.value)
            return
        self._serial += 1
        op.serial = self._serial
        if op.key is not None:
            if op.replaces:
                self._latest[op.key] = op.serial
            op.expect = self._latest.get(op.key)
            self._key_users[op.key] += 1
        self._enqueue(op)

    def notify(self, changes: Changes) -> None:
        """Announce ``changes`` made outside the manager (a sync round); views reload."""
        if changes:
            self.changed.emit(changes)

    def stop(self) -> None:
        """Run the jobs already queued, close the stores and end the threads (blocks briefly).

        The ``network`` and ``files`` lanes stop first, the ``db`` lane (autosave) last.
        """
        if self._stopped:
            return
        self._stopped = True
        for lane in (Lane.NETWORK, Lane.FILES, Lane.DB):
            handle = self._lanes.get(lane)
            if handle is None:
                continue
            op: Op[None] = Op(lane, lambda _store: None, kind=_Kind.CLOSE)
            self._enqueue(op)
            if not handle.lane_thread.wait(STOP_TIMEOUT_MS):
                log.error("the %s lane did not stop within %d ms", lane.value, STOP_TIMEOUT_MS)

    # --- inside -----------------------------------------------------------------------------

    def _lane(self, lane: Lane) -> _LaneThread:
        handle = self._lanes.get(lane)
        if handle is None:
            handle = _LaneThread(lane, self._opened, self)
            handle.runner.finished.connect(self._on_finished)
            self._lanes[lane] = handle
        return handle

    def _enqueue(self, op: Op[T]) -> None:
        self._pending[op.lane] += 1
        self._lane(op.lane).queue.emit(op)

    def _is_stale(self, op: Op[object]) -> bool:
        if op.key is None:
            return False
        stale = self._latest.get(op.key) != op.expect
        self._key_users[op.key] -= 1
        if self._key_users[op.key] <= 0:  # nothing pending asks for this key any more
            del self._key_users[op.key]
            self._latest.pop(op.key, None)
        return stale

    def _continue(self, op: Op[object]) -> bool:
        """Queue the job that continues ``op`` (its save); return whether there is one."""
        following = op.next_op() if op.error is None else None
        if following is None:
            return False
        if self._stopped:
            log.warning("an answer came after the task manager stopped; not kept")
            return False
        self._enqueue(following)  # keeps op's key and place: nothing is answered yet
        return True

    @Slot(object)
    def _on_finished(self, op: Op[object]) -> None:
        self._pending[op.lane] -= 1
        if self._continue(op):
            return
        stale = self._is_stale(op)
        owner_alive = op.owner is None or shiboken6.isValid(op.owner)
        try:
            if op.error is None:
                if owner_alive and not stale:
                    op.deliver()
            elif op.on_error is not None and owner_alive and not stale:
                op.on_error(op.error)
            elif op.on_error is None or not stale:
                self.failed.emit(op.error)
        finally:
            if op.error is None and op.changes:
                self.changed.emit(replace(op.changes, source=op.owner))
            if self.pending == 0:
                self.idle.emit()

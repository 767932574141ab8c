"""Pushing the outboxes: queued versions, then review decisions, in batches, crash-safe.

One loop (``push_in_batches``) serves both kinds.  Each batch is marked ``sending`` in the
store *before* its request goes out, so a process killed mid-request leaves it ``sending`` and
the next round sends it again (the server answers ``duplicate``).  An item counts as received
only on our server's per-item result.  A failure of the whole request puts the batch back to
``queued`` and stops the round; a request too large for the server is tried again with half
the batch.

The version push is pipelined (``pipelined``): the next batch is taken (marked ``sending``)
while one is on the server and sent from a worker thread as soon as that one's answer
arrives, so the device's store work overlaps the server's; still one request in flight, in
outbox order, and every store write on the caller's thread.

Versions (``Pusher``): accepted/duplicate → received, conflict → conflict, rejected → error
with the server's message (quarantined: it is not sent again until retried); a single version
too large is refused alone and the round goes on.  Decisions (``DecisionPusher``): the
decision-specific judging of each result is ``informant_app.core.review.push``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, TypeVar, cast

from informant_app.core.review.push import DecisionPushResult, judge_decisions
from informant_app.core.store.decisions import (
    PendingDecision,
    requeue_decisions,
    settle_decisions,
    take_decisions,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sending import (
    PendingVersion,
    VersionOutcome,
    requeue_versions,
    settle_versions,
    take_versions,
)
from informant_app.core.store.types import ReportState
from informant_app.core.sync.types import Phase, Progress, ProgressCallback, Unit
from sync.client.api import ClientError, FailureKind, SyncClient
from sync.contract.wire.reports import ItemResult
from sync.contract.wire.review import DecisionBatchResult

log = logging.getLogger(__name__)

#: Bytes of report content per request at most (the server's default limit is 5 MiB).
MAX_BATCH_BYTES = 1024 * 1024
#: Server codes that mean "send less at a time".
TOO_LARGE = frozenset({"batch_too_large", "body_too_large"})


class _Queued(Protocol):
    """An item taken from an outbox: its place in the outbox."""

    @property
    def outbox_id(self) -> int:
        """The item's outbox id (the next batch starts after the last one's)."""
        ...


Item = TypeVar("Item", bound=_Queued)
Answer = TypeVar("Answer")

#: The threads that send pipelined batches, kept between rounds: a thread started for each
#: push sat on the round's critical path (about 1 ms to start while the round works).  Each
#: push still has one request in flight at a time (``_Sends``).
_SENDERS = ThreadPoolExecutor(max_workers=32, thread_name_prefix="push-send")


class _Sends:
    """The sends of one push on the shared threads; ``wait`` waits for all of them."""

    def __init__(self) -> None:
        self._futures: list[Future[object]] = []

    def submit(
        self, send: Callable[[Sequence[Item]], Answer], batch: Sequence[Item]
    ) -> Future[Answer]:
        future = _SENDERS.submit(send, batch)
        self._futures.append(cast("Future[object]", future))
        return future

    def wait(self) -> None:
        wait(self._futures)


def push_in_batches(
    take: Callable[[int, int], Sequence[Item]],
    send: Callable[[Sequence[Item]], Answer],
    settle: Callable[[Sequence[Item], Answer], None],
    requeue: Callable[[Sequence[Item]], None],
    batch_size: int,
    refuse_alone: Callable[[Item, ClientError], None] | None = None,
    on_settled: Callable[[int], None] | None = None,
    retake: Callable[[Sequence[Item], Answer], bool] | None = None,
    pipelined: bool = False,
    on_last_sent: Callable[[Sequence[Item]], None] | None = None,
) -> ClientError | None:
    """Push every pending item of one outbox once, batch by batch; return what stopped it.

    Args:
        take: ``(after_outbox_id, limit)`` → the next batch, marked ``sending`` in the store.
        send: sends a batch and returns the server's answer (raises ``ClientError``).
        settle: records the answer for each item of the batch.
        requeue: puts a batch that did not get through back to ``queued``.
        batch_size: items per request at first (halved while the server finds it too large).
        refuse_alone: settles a single item the server finds too large, and the round goes
            on; without it, that stops the round like any other failed request.
        on_settled: told how many items were just settled (the round's progress).
        retake: with ``pipelined``, whether the batch taken ahead must be taken again after
            this answer (its items were read before the answer could change them).
        pipelined: send from a worker thread, so that the next batch is taken (marked
            ``sending``) while one is on the server, goes out as soon as that one's answer
            arrives, and the answer is settled while the next batch is on the server.  One
            request is in flight at a time, in outbox order, as without it.
        on_last_sent: with ``pipelined``, given the first batch (on the calling thread) when
            it is on the server and nothing was left to take behind it (a push of one batch).
            The round may then ask for its first pull page, which travels while that batch
            is stored (a longer push would share the server with it, so it is not told then).

    Returns:
        The request failure that stopped the round, or ``None`` when every item was sent.
    """
    if not pipelined:
        return _push_one_by_one(take, send, settle, requeue, batch_size, refuse_alone, on_settled)
    sends = _Sends()
    try:
        return _push_pipelined(
            sends,
            take,
            send,
            settle,
            requeue,
            batch_size,
            refuse_alone,
            on_settled,
            retake,
            on_last_sent,
        )
    finally:
        sends.wait()  # no request of this push outlives it, whatever stopped it


def _push_one_by_one(
    take: Callable[[int, int], Sequence[Item]],
    send: Callable[[Sequence[Item]], Answer],
    settle: Callable[[Sequence[Item], Answer], None],
    requeue: Callable[[Sequence[Item]], None],
    batch_size: int,
    refuse_alone: Callable[[Item, ClientError], None] | None,
    on_settled: Callable[[int], None] | None,
) -> ClientError | None:
    """``push_in_batches`` with each batch taken, sent and settled before the next."""
    after = 0
    size = max(1, batch_size)
    while True:
        batch = take(after, size)
        if not batch:
            return None
        try:
            answer = send(batch)
        except ClientError as exc:
            requeue(batch)
            if exc.kind is FailureKind.REQUEST and exc.code in TOO_LARGE:
                if len(batch) > 1:
                    size = max(1, len(batch) // 2)
                    log.info("batch too large; trying %d at a time", size)
                    continue
                if refuse_alone is not None:
                    refuse_alone(batch[0], exc)
                    after = batch[-1].outbox_id
                    if on_settled is not None:
                        on_settled(1)
                    continue
            return exc
        settle(batch, answer)
        after = batch[-1].outbox_id
        if on_settled is not None:
            on_settled(len(batch))


def _push_pipelined(
    sender: _Sends,
    take: Callable[[int, int], Sequence[Item]],
    send: Callable[[Sequence[Item]], Answer],
    settle: Callable[[Sequence[Item], Answer], None],
    requeue: Callable[[Sequence[Item]], None],
    batch_size: int,
    refuse_alone: Callable[[Item, ClientError], None] | None,
    on_settled: Callable[[int], None] | None,
    retake: Callable[[Sequence[Item], Answer], bool] | None,
    on_last_sent: Callable[[Sequence[Item]], None] | None = None,
) -> ClientError | None:
    """``push_in_batches`` with the next batch taken while one is on the server.

    Every store write stays on the calling thread; only ``send`` runs on ``sender``.  Each
    batch is marked ``sending`` (``take``) before its request is submitted, and settled only
    from its answer.  A batch taken ahead that is not sent (the request before it failed, or
    ``retake`` says its items are out of date) is put back to ``queued``; one left
    ``sending`` by an exception or a kill is sent again next round like any other.
    """
    after = 0
    size = max(1, batch_size)
    batch = take(after, size)
    if not batch:
        return None
    in_flight = sender.submit(send, batch)
    while True:
        # While ``batch`` is on the server: the next one is taken and marked ``sending``.
        ahead = take(batch[-1].outbox_id, size)
        if not ahead and after == 0 and on_last_sent is not None:
            on_last_sent(batch)  # the first batch is the only one
        try:
            answer = in_flight.result()
        except ClientError as exc:
            requeue([*batch, *ahead])
            if exc.kind is FailureKind.REQUEST and exc.code in TOO_LARGE and len(batch) > 1:
                size = max(1, len(batch) // 2)
                log.info("batch too large; trying %d at a time", size)
            elif exc.kind is FailureKind.REQUEST and exc.code in TOO_LARGE and refuse_alone:
                refuse_alone(batch[0], exc)
                after = batch[-1].outbox_id
                if on_settled is not None:
                    on_settled(1)
            else:
                return exc
            batch = take(after, size)
            if not batch:
                return None
            in_flight = sender.submit(send, batch)
            continue
        if ahead and retake is not None and retake(batch, answer):
            requeue(ahead)  # taken before this answer could change its items
            ahead = []
        if ahead:
            in_flight = sender.submit(send, ahead)  # goes out now; this answer is settled meanwhile
        settle(batch, answer)
        after = batch[-1].outbox_id
        if on_settled is not None:
            on_settled(len(batch))
        if not ahead:
            ahead = take(after, size)
            if not ahead:
                return None
            in_flight = sender.submit(send, ahead)
        batch = ahead


def counting(
    progress: ProgressCallback | None, phase: Phase, unit: Unit, total: int
) -> Callable[[int], None] | None:
    """Return an ``on_settled`` that reports ``done`` of ``total`` (``None``: no progress).

    The total is what was waiting when the phase began (nothing waiting: nothing reported);
    items queued meanwhile raise it.
    """
    if progress is None or total <= 0:
        return None
    done = 0
    progress(Progress(phase, 0, total, unit))

    def settled(n: int) -> None:
        nonlocal done
        done += n
        progress(Progress(phase, done, max(total, done), unit))

    return settled


# --- report versions -------------------------------------------------------------------------


@dataclass
class PushResult:
    """What the push phase did."""

    pushed: int = 0
    failed: int = 0
    conflicts: int = 0
    error: ClientError | None = None
    #: The versions the server answered ``conflict`` (the round counts each once, with the
    #: conflicts the pull records).
    conflict_versions: set[str] = field(default_factory=set)


def _result_message(result: ItemResult) -> tuple[str, str]:
    """Return the server's message of a result, with its issues, in Chinese and English."""
    zh, en = result.message_zh, result.message_en
    if result.issues:
        zh += "：" + "；".join(f"{i.field} {i.zh}".strip() for i in result.issues)
        en += ": " + "; ".join(f"{i.field} {i.en}".strip() for i in result.issues)
    return zh or "服务器拒收", en or "refused by the server"


def judge_versions(
    batch: Sequence[PendingVersion], results: Sequence[ItemResult], out: PushResult
) -> list[VersionOutcome]:
    """Return what becomes of each sent version by its per-item result, counting in ``out``."""
    outcomes: list[VersionOutcome] = []
    for pending, res in zip(batch, results, strict=False):
        status = res.status
        named = res.version_uuid
        if named is not None and named != pending.version_uuid:
            log.warning("result for %s names %s; left queued", pending.version_uuid, named)
            outcomes.append(VersionOutcome(pending.version_uuid, ReportState.QUEUED))
            continue
        code = res.code or status
        if status in ("accepted", "duplicate"):
            outcomes.append(
                VersionOutcome(pending.version_uuid, ReportState.RECEIVED, "accepted", code)
            )
            out.pushed += 1
        elif status == "conflict":
            zh, en = _result_message(res)
            outcomes.append(
                VersionOutcome(pending.version_uuid, ReportState.CONFLICT, "conflict", code, zh, en)
            )
            out.pushed += 1
            out.conflicts += 1
            out.conflict_versions.add(pending.version_uuid)
        elif status == "quota":
            # Not refused, only not now: the version stays queued with the server's word.
            zh, en = _result_message(res)
            outcomes.append(
                VersionOutcome(pending.version_uuid, ReportState.QUEUED, "quota", code, zh, en)
            )
        else:
            zh, en = _result_message(res)
            outcomes.append(
                VersionOutcome(pending.version_uuid, ReportState.ERROR, "rejected", code, zh, en)
            )
            out.failed += 1
    return outcomes


def _refused(exc: ClientError) -> ItemResult:
    """Return a per-item result for a single version the server refuses as too large."""
    return ItemResult(
        status="rejected",
        code=exc.code,
        message_zh=exc.zh,
        message_en=exc.en,
        version_uuid=None,
    )


def refused(result: ItemResult) -> bool:
    """Whether a per-item result quarantines its version (``error``).

    A later version of the same report names its server parent by skipping refused ones
    (``sending.pending_versions``), so a batch read before such an answer is read again.
    """
    return result.status not in ("accepted", "duplicate", "conflict", "quota")


class Pusher:
    """Runs the report-version part of the push phase of one round.

    ``progress`` (optional) hears ``Phase.PUSH``: versions settled of ``total`` waiting.
    Pipelined (``push_in_batches``): the next batch is taken and marked ``sending`` while one
    is on the server, and sent as soon as that one's answer arrives; ``pipelined=False``
    takes, sends and settles one batch at a time.  ``on_last_sent`` hears when a push of a
    single batch of first versions (no revision) has it on the server (``push_in_batches``):
    a pull page asked for then cannot bear on how the batch is judged.  (A revision's batch
    is not told: a page read before the batch is stored would show the other side of a
    conflict before the server's word on ours.)
    """

    #: Take the next batch while one is on the server (see ``push_in_batches``).
    pipelined = True

    def __init__(
        self,
        store: ReportStore,
        client: SyncClient,
        clock: Callable[[], datetime],
        batch_size: int,
        progress: ProgressCallback | None = None,
        total: int = 0,
        on_last_sent: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.clock = clock
        self.batch_size = max(1, batch_size)
        self.progress = progress
        self.total = total
        self.on_last_sent = on_last_sent

    def _last_sent(self, batch: Sequence[PendingVersion]) -> None:
        """Tell ``on_last_sent`` that the only batch is on the server, if it holds no revision."""
        if self.on_last_sent is not None and all(
            p.item.get("parent_version_uuid") is None for p in batch
        ):
            self.on_last_sent()

    def run(self) -> PushResult:
        """Push every pending version once, batch by batch; stop at a request failure."""
        result = PushResult()

        def settle(batch: Sequence[PendingVersion], results: Sequence[ItemResult]) -> None:
            settle_versions(self.store, judge_versions(batch, results, result))

        result.error = push_in_batches(
            take=lambda after, limit: take_versions(self.store, after, limit, MAX_BATCH_BYTES),
            send=lambda batch: (
                self.client.push_batch([p.item for p in batch], self.clock()).results
            ),
            settle=settle,
            requeue=lambda batch: requeue_versions(self.store, batch),
            batch_size=self.batch_size,
            refuse_alone=lambda pending, exc: settle([pending], [_refused(exc)]),
            on_settled=counting(self.progress, Phase.PUSH, Unit.VERSIONS, self.total),
            retake=lambda _batch, results: any(refused(r) for r in results),
            pipelined=self.pipelined,
            on_last_sent=self._last_sent,
        )
        return result


# --- review decisions ------------------------------------------------------------------------


class DecisionPusher:
    """Runs the decision part of the push phase of one round (after the versions).

    ``progress`` (optional) hears ``Phase.DECISIONS``: decisions settled of ``total``.
    """

    def __init__(
        self,
        store: ReportStore,
        client: SyncClient,
        clock: Callable[[], datetime],
        batch_size: int,
        progress: ProgressCallback | None = None,
        total: int = 0,
    ) -> None:
        self.store = store
        self.client = client
        self.clock = clock
        self.batch_size = max(1, batch_size)
        self.progress = progress
        self.total = total

    def run(self) -> DecisionPushResult:
        """Push every unsent decision once, batch by batch; stop at a request failure."""
        result = DecisionPushResult()

        def settle(batch: Sequence[PendingDecision], answer: DecisionBatchResult) -> None:
            settle_decisions(self.store, judge_decisions(batch, answer, result))

        result.error = push_in_batches(
            take=lambda after, limit: take_decisions(self.store, after, limit),
            send=lambda batch: self.client.push_decisions([p.item for p in batch], self.clock()),
            settle=settle,
            requeue=lambda batch: requeue_decisions(self.store, batch),
            batch_size=self.batch_size,
            on_settled=counting(self.progress, Phase.DECISIONS, Unit.DECISIONS, self.total),
        )
        return result

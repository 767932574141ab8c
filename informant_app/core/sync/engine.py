"""The sync engine: push the outbox, upload photos, pull the server's changes (Qt-free).

One ``SyncEngine`` works on one ``ReportStore`` from one thread.  The Qt wrapper
(``informant_app/ui/sync/controller.py``) decides *when* to run a round; this module decides
*what* a round does and keeps every step crash-safe (docs/sync.md).

A round: ``GET /me`` (checks the token, refreshes the account, first clock reading; when the
server's division table changed, ``GET /divisions`` of the jurisdiction, kept in the store),
then every queued version in creation order, in batches (when this process holds ``/me``'s
answer from an earlier round, ``/me`` is asked only when the push's ``X-Account-Revision``
differs from that answer's, or, when nothing was pushed, the pull's: a round of one report is
the push and the pull, an idle round the pull alone), then the queued review decisions (one
push loop for both: ``sync.push``), then the photos of the versions the server now holds
(``sync.photos``), then the change feed by cursor (``sync.pull``), then, when ``/me``'s
``events_revision`` changed, the open events of the account's area (``GET /events?open=1``,
kept in ``store.events_cache``).  Every round is logged
with the device time, the server time and the estimated clock skew (device minus server).
What a round reads and writes in the local store is the store's (``store.sending``,
``store.decisions``, ``store.uploads``, ``store.feed``, ``store.sync_status``).
"""

from __future__ import annotations

import hashlib
import logging
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial

from informant_app.core.account import credentials
from informant_app.core.account.sign_in import (
    SignInError,
    account_from,
    current_account,
    derive_profile,
    sign_in,
    sign_out,
)
from informant_app.core.account.trust import make_client
from informant_app.core.divisions import divisions_for
from informant_app.core.store.divisions import cached_divisions, save_divisions
from informant_app.core.store.errors import StoreError
from informant_app.core.store.events_cache import cached_state, save_open_events
from informant_app.core.store.feed import forget_cursor
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_state import cursor_owner
from informant_app.core.store.sync_status import (
    finish_round,
    read_status,
    save_account,
    still_queued,
    still_to_send,
    version_state,
)
from informant_app.core.store.sync_status import version_info as _version_info
from informant_app.core.store.types import ReportState
from informant_app.core.store.uploads import progress
from informant_app.core.sync.conflicts import ResolutionRefusedError, resolve
from informant_app.core.sync.conflicts import open_conflicts as _open_conflicts
from informant_app.core.sync.photos import PhotoResult, PhotoUploader
from informant_app.core.sync.pull import PAGE_LIMIT, Puller, PullResult
from informant_app.core.sync.push import DecisionPusher, Pusher
from informant_app.core.sync.types import (
    Account,
    Conflict,
    PhotoProgress,
    ProgressCallback,
    RoundSummary,
    SyncErrorKind,
    SyncProblem,
    SyncStatus,
    VersionSyncInfo,
)
from sync.client.api import CHANGES_PATH, ME_PATH, PUSH_PATH, ClientError, SyncClient, Timeouts
from sync.contract.wire.account import Me

__all__ = [
    "ResolutionRefusedError",
    "SignInError",
    "SyncEngine",
    "current_account",
    "open_conflicts",
    "photo_progress",
    "resolve_conflict",
    "retry_version",
    "sign_in",
    "sign_out",
    "version_info",
]

log = logging.getLogger(__name__)

#: Reports per push request.
BATCH_SIZE = 200
#: Retry delays: the first failure waits up to BASE seconds, doubling up to CAP (40 s, not 300 s:
#: after an outage every device is back within a minute of the server's return, issue 19).
RETRY_BASE_SECONDS = 5.0
RETRY_CAP_SECONDS = 40.0

NOT_SIGNED_IN = SyncProblem(
    SyncErrorKind.NOT_SIGNED_IN,
    "尚未登录，报告保存在本机，登录后自动发送",
    "not signed in; reports stay on this computer and go out after sign-in",
)
PHOTO_FILE_UNREADABLE = SyncProblem(
    SyncErrorKind.DISK,
    "本机照片文件无法读取，照片未全部发送",
    "a photo file on this computer cannot be read; not every photo was sent",
)
TOKEN_MISSING = SyncProblem(
    SyncErrorKind.AUTH,
    "找不到登录凭证，请重新登录",
    "the sign-in token is missing; please sign in again",
)


#: The fingerprint (``X-Account-Revision``) of the last ``GET /me`` answer per store, with the
#: account and sign-in it was for: ``(data folder) -> (revision, (account, token digest))``.
#: Held in this process only, and only after a round that applied everything the answer
#: asked for (account, division table, open events); a later answer of another fingerprint,
#: a failed refresh, another account or a new sign-in replaces or drops it.  The server
#: computes the fingerprint afresh for each answer, so nothing here outlives a change on the
#: server by more than one request.
_ME_HELD: dict[str, tuple[str, tuple[Account, str]]] = {}


def _signed_in(account: Account, client: SyncClient) -> tuple[Account, str]:
    """Return what a held ``/me`` answer is for: the account and (a digest of) its token."""
    return account, hashlib.sha256((client.token or "").encode()).hexdigest()


def _known_me(store: ReportStore, account: Account, client: SyncClient) -> str | None:
    """Return the fingerprint of the ``/me`` answer held for this sign-in on ``store``."""
    held = _ME_HELD.get(str(store.data_dir))
    if held is None or held[1] != _signed_in(account, client):
        return None
    return held[0]


def _remember_me(
    store: ReportStore, account: Account, client: SyncClient, revision: str | None
) -> None:
    """Hold ``/me``'s fingerprint ``revision`` for this sign-in; drop it without one."""
    if revision:
        _ME_HELD[str(store.data_dir)] = (revision, _signed_in(account, client))
    else:
        _forget_me(store)


def _forget_me(store: ReportStore) -> None:
    """Drop the held ``/me`` answer of ``store`` (the next round asks ``/me`` first)."""
    _ME_HELD.pop(str(store.data_dir), None)


def _reach(account: Account) -> tuple[str, frozenset[str]]:
    """Return what a pull depends on: the cursor's owner and the posts' divisions."""
    return cursor_owner(account), frozenset(p.division_code for p in account.posts)


def problem_from(exc: ClientError) -> SyncProblem:
    """Return the round's problem for a request failure."""
    try:
        kind = SyncErrorKind(exc.kind.value)
    except ValueError:  # a request the server refused as a whole: a server-side matter
        kind = SyncErrorKind.SERVER
    return SyncProblem(
        kind,
        exc.zh,
        exc.en,
        reason=str(exc.extra.get("reason") or ""),
        retry_after=exc.retry_after,
    )


class SyncEngine:
    """Runs sync rounds against the city server for one store.

    Args:
        store: the local store.
        clock: the device clock (UTC); injectable to test a wrong device clock.
        server_url: another address of the account's server (a proxy in tests).
        timeouts: connect and read timeouts of each request.
        batch_size: versions per push request.
        chunk_size: bytes per photo request.
        page_limit: changes per pull request.
        rng: the random source of the retry jitter.
    """

    #: Ask for the pull's first page while a push of one batch of new reports is on the
    #: server (it is applied after the push, the decisions and the photos).
    pull_during_push = True

    def __init__(
        self,
        store: ReportStore,
        *,
        clock: Callable[[], datetime] | None = None,
        server_url: str | None = None,
        timeouts: Timeouts | None = None,
        batch_size: int = BATCH_SIZE,
        chunk_size: int = 64 * 1024,
        page_limit: int = PAGE_LIMIT,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self._clock = clock or (lambda: datetime.now(UTC))
        self._server_url = server_url
        self._timeouts = timeouts or Timeouts()
        self._batch_size = batch_size
        self._chunk_size = chunk_size
        self._page_limit = page_limit
        self._rng = rng or random.Random()

    # --- a round ------------------------------------------------------------------------

    def run_round(self, progress: ProgressCallback | None = None) -> RoundSummary:
        """Push queued versions in creation order (batches), then photos, then pull.

        Never raises for network, server or per-item problems: they are in the summary and
        recorded for ``status()``.  ``progress`` (called on this thread, as often as each
        batch, chunk and page: throttle it with ``core.sync.progress.Throttle``) hears what the
        round is doing: versions and decisions sent of those waiting, photo bytes, changes
        received so far.
        """
        started = self._clock()
        account = current_account(self.store)
        if account is None:
            return self._finish(RoundSummary(problem=NOT_SIGNED_IN), started, None)
        token = credentials.load_token(
            self.store.data_dir, account.device_id, account.username, account.token_storage
        )
        if not token:
            return self._finish(RoundSummary(problem=TOKEN_MISSING), started, None)
        client = make_client(
            self.store.data_dir,
            self._server_url or account.server_url,
            device_id=account.device_id,
            token=token,
            timeouts=self._timeouts,
            clock=self._clock,
        )
        try:
            summary = self._round(client, account, progress)
        except StoreError as exc:
            summary = RoundSummary(problem=SyncProblem(SyncErrorKind.DISK, exc.zh, exc.en))
        finally:
            client.close()
        summary = replace(
            summary, server_time=client.server_time, clock_skew_seconds=client.clock_skew_seconds
        )
        return self._finish(summary, started, client)

    def _round(
        self, client: SyncClient, account: Account, progress: ProgressCallback | None
    ) -> RoundSummary:
        # /me first, unless this device holds its answer: then the push's answer (or, when
        # nothing is pushed, the pull's) says whether /me would answer anything else
        # (``X-Account-Revision``), and only then it is asked.
        known = _known_me(self.store, account, client)
        fetched: tuple[Me, str | None] | None = None
        current = account
        if known is None:
            try:
                fetched, current = self._fetch_me(client, account)
            except ClientError as exc:
                return RoundSummary(problem=problem_from(exc))
        versions, decisions_waiting = still_queued(self.store) if progress else (0, 0)
        # The pull's first page is asked for while the push's only batch is on the server when
        # it holds new reports only (``Pusher``), else right after the push: it travels while
        # the batch is stored and the decisions and photos go, and is applied after them.
        puller = Puller(self.store, client, current, self._page_limit, progress=progress)
        try:
            push = Pusher(
                self.store,
                client,
                self._clock,
                self._batch_size,
                progress,
                versions,
                on_last_sent=puller.start if self.pull_during_push else None,
            ).run()
            done = RoundSummary(pushed=push.pushed, failed=push.failed, conflicts=push.conflicts)
            if push.error is not None:
                return replace(done, problem=problem_from(push.error))
            pushed = client.revisions.get(PUSH_PATH)  # read after the batch was stored
            if known is not None and pushed is not None and pushed != known:
                # Something /me answers changed: ask it now, before the pull is applied.
                try:
                    fetched, fresh = self._fetch_me(client, account)
                except ClientError as exc:
                    return replace(done, problem=problem_from(exc))
                if _reach(fresh) != _reach(current):  # the page asked for is not this reach
                    puller.close()
                    puller = Puller(self.store, client, fresh, self._page_limit, progress=progress)
                current = fresh
            puller.start()  # unless asked already: travels while decisions and photos go
            outcome = self._after_push(client, done, progress, decisions_waiting, puller)
        finally:
            puller.close()
        if isinstance(outcome, RoundSummary):
            return outcome
        done, photos_problem, pull = outcome
        if pull.error is not None and pull.error.code == "bad_cursor":
            forget_cursor(self.store)
            pull = Puller(self.store, client, current, self._page_limit, progress=progress).run()
        pull_problem = problem_from(pull.error) if pull.error is not None else None
        # Nothing was pushed: the pull's answer carried the fingerprint instead; /me only when
        # it differs (a grown reach forgets the cursor: the next round pulls it).
        pulled = client.revisions.get(CHANGES_PATH)
        stale = known is not None and client.revisions.get(PUSH_PATH, pulled) != known
        if stale and fetched is None and pull_problem is None:
            try:
                fetched, current = self._fetch_me(client, account)
            except ClientError as exc:
                return replace(done, pulled=pull.pulled, problem=problem_from(exc))
        if fetched is not None:
            me, revision = fetched
            # Held for the next rounds only when every refresh it asked for went through.
            if pull_problem is None and self._refresh_open_events(client, me, current):
                _remember_me(self.store, current, client, revision)
            else:
                _forget_me(self.store)
        # A conflict answered in the push and one whose answer was lost (the re-sent version
        # came back "duplicate") but that the pull recorded count once each.
        conflicts = len(push.conflict_versions | pull.conflict_versions)
        return replace(
            done,
            pulled=pull.pulled,
            conflicts=conflicts,
            problem=photos_problem or pull_problem,
        )

    def _fetch_me(
        self, client: SyncClient, account: Account
    ) -> tuple[tuple[Me, str | None], Account]:
        """``GET /me``; keep the account and the division table in step with its answer.

        Returns the answer with its fingerprint (``None``: not to be held, e.g. the division
        table could not be fetched) and the account as it now stands.

        Raises:
            ClientError: the request failed.
        """
        client.revisions.pop(ME_PATH, None)
        me = client.me()
        revision = client.revisions.get(ME_PATH)
        self._refresh_account(me, account)
        current = current_account(self.store) or account
        if not self._refresh_divisions(client, me, current):
            revision = None
        return (me, revision), current_account(self.store) or current

    def _after_push(
        self,
        client: SyncClient,
        done: RoundSummary,
        progress: ProgressCallback | None,
        decisions_waiting: int,
        puller: Puller,
    ) -> RoundSummary | tuple[RoundSummary, SyncProblem | None, PullResult]:
        """Send the decisions and photos, then pull; a failed decision push ends the round."""
        decisions = DecisionPusher(
            self.store, client, self._clock, self._batch_size, progress, decisions_waiting
        ).run()
        done = replace(
            done,
            decisions_sent=decisions.sent,
            decisions_conflicts=decisions.conflicts,
            decisions_rejected=decisions.rejected,
        )
        if decisions.error is not None:
            return replace(done, problem=problem_from(decisions.error))
        photos_problem: SyncProblem | None = None
        try:
            photos = PhotoUploader(self.store, client, self._chunk_size, progress=progress).run()
        except OSError as exc:  # a photo file that cannot be read: the round goes on
            log.warning("the photo phase stopped: %s", exc)
            photos = PhotoResult(error=None)
            photos_problem = PHOTO_FILE_UNREADABLE
        done = replace(done, failed=done.failed + photos.failed, photos_sent=photos.sent)
        if photos.error is not None:
            photos_problem = problem_from(photos.error)
        # The pull runs even after a photo failure: the partner's reports keep arriving.
        return done, photos_problem, puller.run()

    def _refresh_account(self, me: Me, account: Account) -> None:
        """Keep the account and profile in step with the server; a wider reach re-pulls."""
        fresh = account_from(me, account.server_url, account.device_id, account.token_storage)
        if fresh == account:
            return
        grew = {p.division_code for p in fresh.posts} - {p.division_code for p in account.posts}
        derive = partial(derive_profile, divisions=divisions_for(self.store.data_dir))
        save_account(self.store, fresh, derive, forget_cursor=bool(grew))
        log.info("account refreshed from the server (new posts: %s)", sorted(grew))

    def _refresh_divisions(self, client: SyncClient, me: Me, account: Account) -> bool:
        """Fetch the jurisdiction's divisions when the server's table changed; keep them.

        No request when the cached table is the server's current revision for this server
        and jurisdiction.  A failed fetch or a malformed answer keeps the cached table (and
        the round goes on): the next round asks again.  Returns whether the cached table is
        now the server's.
        """
        under = account.jurisdiction_code or None
        cached = cached_divisions(self.store)
        if (
            cached is not None
            and cached.revision == me.divisions_revision
            and (cached.server_url, cached.under_code) == (account.server_url, under)
        ):
            return True
        try:
            answer = client.divisions(under=under)
            revision = max(me.divisions_revision, answer.revision)
            table = save_divisions(self.store, answer, account.server_url, under, revision)
        except ClientError as exc:
            log.warning("the division table could not be fetched (next round again): %s", exc)
            return False
        except ValueError as exc:
            log.warning("the server's division table was refused (kept the old one): %s", exc)
            return False
        log.info(
            "division table %s revision %s saved (%d divisions under %s)",
            answer.vintage,
            revision,
            len(table),
            under,
        )
        # A reviewer's (or admin's) villages come from the table: keep the profile in step.
        derive = partial(derive_profile, divisions=table)
        profile = self.store.profile()
        if profile is None or derive(account, profile).village_codes != profile.village_codes:
            save_account(self.store, account, derive)
        return True

    def _refresh_open_events(self, client: SyncClient, me: Me, account: Account) -> bool:
        """Keep the open events of the account's area (``GET /events?open=1``).

        Asked only when ``GET /me``'s ``events_revision`` differs from the cached one (an event
        opened, closed or merged anywhere), or the server changed: an unchanged round makes no
        request.  A failed request keeps the cached events (the form uses them offline); the
        next round asks again.  Returns whether the cached events are now the server's.
        """
        cached = cached_state(self.store)
        if (
            cached is not None
            and me.events_revision
            and cached.revision == me.events_revision
            and cached.server_url == account.server_url
        ):
            return True
        try:
            answer = client.events(open_only=True)
            count = save_open_events(self.store, answer, account.server_url, me.events_revision)
        except ClientError as exc:
            log.warning("the open events could not be fetched (next round again): %s", exc)
            return False
        log.info("open events of the area: %d cached", count)
        return True

    def _finish(
        self, summary: RoundSummary, started: datetime, client: SyncClient | None
    ) -> RoundSummary:
        queued, decisions, photos = still_to_send(self.store)  # three counts, one read
        summary = replace(
            summary, still_queued=queued, decisions_queued=decisions, photos_pending=photos
        )
        reached = client is not None and client.reached_server
        try:
            finish_round(self.store, summary, started.astimezone(UTC), reached)
        except StoreError:
            log.exception("the round could not be recorded")
        if summary.problem is None:
            log.info("sync round: %s", summary.to_json())
        else:
            log.warning("sync round stopped: %s", summary.to_json())
        return summary

    # --- what the status bar shows ------------------------------------------------------

    def status(self) -> SyncStatus:
        """Return the current sync status from the store (cheap; no network)."""
        return read_status(self.store)

    def retry_delay(self, failures: int, retry_after: float | None = None) -> float:
        """Seconds to wait after ``failures`` failed rounds in a row.

        What the server asked (``retry_after``, a busy server's ``Retry-After``) when it
        asked; otherwise exponential with (full) jitter, capped at 40 s; 0 failures → 0.
        """
        return next_delay(failures, self._rng, retry_after)


def next_delay(failures: int, rng: random.Random, retry_after: float | None) -> float:
    """Seconds to wait before the next round after ``failures`` failed ones (the app's policy).

    A busy server's ``Retry-After`` (``retry_after``) is followed as it is, at least a second:
    the server spreads it, so the devices it refused together come back apart, and the
    device's own backoff would send them back in a herd.  Otherwise ``retry_delay``.
    """
    if retry_after is not None and failures > 0:
        return max(1.0, retry_after)
    return retry_delay(failures, rng)


def retry_delay(failures: int, rng: random.Random, *, jitter: bool = True) -> float:
    """Seconds to wait after ``failures`` failed rounds in a row (Qt-free; the app's policy).

    Full-jitter exponential backoff: uniform(0, 5 s × 2^(n−1)), at least 1 s, capped at
    40 s; 0 failures → 0.  ``jitter=False`` (benchmarks' comparison only) waits the whole
    ceiling, so every device that failed together retries together.
    """
    if failures <= 0:
        return 0.0
    ceiling = min(RETRY_CAP_SECONDS, RETRY_BASE_SECONDS * 2.0 ** min(failures - 1, 30))
    if not jitter:
        return ceiling
    return max(1.0, rng.uniform(0.0, ceiling))  # full jitter, at least a second


def retry_version(store: ReportStore, version_uuid: str) -> None:
    """Put a quarantined (error) version back in the queue.

    Raises:
        KeyError: no such submitted version.
        ValueError: the version is not quarantined.
    """
    state = version_state(store, version_uuid)
    if state is None or state == ReportState.DRAFT.value:
        raise KeyError(version_uuid)
    if state != ReportState.ERROR.value:
        raise ValueError(f"version {version_uuid} is {state}, not error")
    store.set_state(version_uuid, ReportState.QUEUED)


def photo_progress(store: ReportStore, version_uuid: str) -> PhotoProgress:
    """Return how many of the version's photos the server holds in full."""
    return progress(store, version_uuid)


def open_conflicts(store: ReportStore) -> list[Conflict]:
    """Return the conflicts waiting to be resolved on this device."""
    return _open_conflicts(store)


def resolve_conflict(store: ReportStore, report_uuid: str, choices: dict[str, str]) -> str:
    """Resolve a conflict by choosing, per differing field, the version whose value wins.

    ``choices`` maps ``field -> version_uuid``; the result is submitted as a new version
    whose parent is the server's current version.  Returns the new version's uuid.

    Fields left out keep the server's current value.

    Raises:
        KeyError: the report has no open conflict on this device.
        ValueError: an unknown field or version, or the report has unsent work here.
        ResolutionRefusedError: the chosen values together fail the rules.
    """
    return resolve(store, report_uuid, choices)


def version_info(store: ReportStore, version_uuid: str) -> VersionSyncInfo:
    """Return where a version came from and what the server said about it."""
    return _version_info(store, version_uuid)

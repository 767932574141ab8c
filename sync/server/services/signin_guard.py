"""What keeps password sign-in from being a way to stall the server or guess passwords.

Two guards stand before the Argon2 check of ``POST /auth/login``:

- **The hashing pool** (:class:`HashPool`): Argon2 runs in a small thread pool of its own
  (``login_hash_workers`` threads, ``login_hash_queue`` waiting), never in the thread pool
  every sync route shares.  A try takes its place before any database work; when the pool is
  full, it is answered 429 at once, unhashed and unwritten.
- **The slowdown** (:func:`admit`): every try is written to ``login_attempts`` *before* it is
  hashed, and counted with every other try that was written, so parallel tries all count (no
  check-then-count race).  Past ``login_free_failures_per_name`` failures for one user name
  (since its last success, known and unknown names alike) or ``login_free_failures_per_address``
  from one client address in the window, a try is let through only once the wait since the
  latest failure is over: 5 s, doubling with every further failure, at most
  ``login_wait_max_seconds``.  Before that it is answered 429 ``too_many_attempts`` with
  ``Retry-After``, unhashed.  A try slowed there is removed again (a busy one was never written):
  the table holds the tries that were checked.  Nothing ever locks an account.
- **Known devices** (a device of the named account that has signed in before) pass the
  slowdown: the right password from the owner's own computer always gets a token; only a full
  hashing pool may answer it 429.

- **The slowed cache** (:class:`SlowedCache`): each process remembers the database's "slowed
  until T" decisions per client address and per user name, and answers repeat tries before T
  with the same 429 before any database work: no thread, no row, no log line.  It is only a
  cache: an entry is trusted until the wait the database gave is over, but never longer than
  :data:`CACHE_TRUST_SECONDS` after the database gave it; then the database decides again.  So
  several server processes agree within that second: a success on another process (which ends
  the name's failures) is honoured here a second later, not only when the old wait is over.
  Known devices pass it too: the cache keeps the ids of all known devices (read again, new rows
  only, when a try it would refuse finds the list older than :data:`KNOWN_REFRESH_SECONDS`).

Every sign-in is written to the security log (``signin.ok``, ``signin.failed``), slowed tries
as ``signin.slowed`` at most once per client address and minute (only tries the database
refused: those the cache refuses leave nothing).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

import anyio
import anyio.to_thread
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from sync.server.db import Database
from sync.server.errors import TOO_MANY_ATTEMPTS, ApiError
from sync.server.models import Device, LoginAttempt, SecurityEvent, User
from sync.server.services.security_log import record_event
from sync.server.settings import Settings

T = TypeVar("T")

#: Seconds a client is told to wait when the hashing pool is full.
BUSY_RETRY_SECONDS = 2
#: A slowed sign-in is written to the security log at most this often per client address.
SLOWED_LOG_EVERY = timedelta(minutes=1)
#: Attempt rows older than the window are deleted at most this often (per process).
PURGE_EVERY_SECONDS = 60.0
#: The wait after the free failures; it doubles with every further one.
FIRST_WAIT_SECONDS = 5.0
#: The longest user name kept in ``login_attempts``.
NAME_MAX = 64


#: Sign-ins doing their short database work at once (threads of their own limiter, so the
#: sync routes' 40 threads of the shared pool stay free), and how many may wait for one.
LOGIN_DB_THREADS = 4
LOGIN_DB_WAITING = 64


class HashPool:
    """A bounded thread pool for password hashing: full means 429 at once, never a queue.

    Also the limiter of the sign-ins' short database work (:meth:`db_work`).  The threads and
    the limiter are made on first use and dropped by :meth:`shutdown`, so an app that is
    started again (a test client entered twice) gets new ones.
    """

    def __init__(self, workers: int, queue: int) -> None:
        self._db_limiter: anyio.CapacityLimiter | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._workers = workers
        self._limit = workers + queue
        self._busy = 0
        self._lock = threading.Lock()

    def reserve(self) -> bool:
        """Take a place for a check to come; ``False`` when the pool is full (429 at once).

        Taken before the try's database work, so a try the full pool refuses costs nothing.
        """
        with self._lock:
            if self._busy >= self._limit:
                return False
            self._busy += 1
            return True

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        """Run ``fn`` on a place :meth:`reserve` took; the place is given back when it ends."""
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=self._workers, thread_name_prefix="argon2"
                )
            executor = self._executor
        try:
            future = executor.submit(fn)
        except BaseException:
            self.release()
            raise
        future.add_done_callback(lambda _f: self.release())
        return future

    async def db_work(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` (short database work) in a thread under the sign-ins' own limiter.

        Raises:
            ApiError: 429 at once when too many sign-ins already wait for it.
        """
        if self._db_limiter is None:
            self._db_limiter = anyio.CapacityLimiter(LOGIN_DB_THREADS)
        limiter = self._db_limiter
        if limiter.statistics().tasks_waiting >= LOGIN_DB_WAITING:
            raise busy_error()
        return await anyio.to_thread.run_sync(fn, limiter=limiter)

    def release(self) -> None:
        """Give back a place :meth:`reserve` took (when the try is not checked after all)."""
        with self._lock:
            self._busy -= 1

    def shutdown(self) -> None:
        """Stop the threads (waiting checks are cancelled); the next use makes new ones."""
        with self._lock:
            executor, self._executor = self._executor, None
            self._db_limiter = None  # bound to the event loop that ends now
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


def busy_error() -> ApiError:
    """Return the 429 of a full hashing pool."""
    return ApiError(
        TOO_MANY_ATTEMPTS,
        headers={"Retry-After": str(BUSY_RETRY_SECONDS)},
        zh=f"服务器正忙于处理登录，请 {BUSY_RETRY_SECONDS} 秒后再试",
        en=f"the server is busy with sign-ins; try again in {BUSY_RETRY_SECONDS} s",
        retry_after=BUSY_RETRY_SECONDS,
    )


def slowed_error(seconds: int) -> ApiError:
    """Return the 429 of a slowed sign-in (the same for every account, known or not)."""
    if seconds >= 60:
        minutes = (seconds + 59) // 60
        zh_wait, en_wait = f"{minutes} 分钟", f"{minutes} min"
    else:
        zh_wait, en_wait = f"{seconds} 秒", f"{seconds} s"
    return ApiError(
        TOO_MANY_ATTEMPTS,
        headers={"Retry-After": str(seconds)},
        zh=f"登录失败次数过多，请 {zh_wait}后再试",
        en=f"too many failed sign-ins; try again in {en_wait}",
        retry_after=seconds,
    )


def wait_seconds(failures: int, free: int, settings: Settings) -> float:
    """Return how long after the latest failure the next try may run (0: at once)."""
    over = failures - free
    if over < 0:
        return 0.0
    return float(min(settings.login_wait_max_seconds, FIRST_WAIT_SECONDS * 2.0 ** min(over, 30)))


@dataclass(frozen=True)
class Admitted:
    """A try that may be checked: its attempt row and what the password is checked against."""

    attempt_id: int
    user_id: int | None
    stored_hash: str | None
    disabled: bool
    known_device: bool


class SlowedError(Exception):
    """The try must wait ``seconds`` (it was not recorded)."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def whole_seconds(wait: float) -> int:
    """Return a wait as the whole seconds a client is told (at least 1)."""
    return max(1, math.ceil(wait))


#: A try the cache would refuse reads the known devices again when the list is older than this.
KNOWN_REFRESH_SECONDS = 1.0
#: The most addresses and names the cache remembers; beyond it, tries go to the database.
CACHE_MAX_ENTRIES = 50_000
#: A remembered "slowed until" is trusted this long after the database said it (then the
#: database decides again): what another server process changed meanwhile, such as a success
#: that ends a name's failures, is honoured here within this time.  A flood costs one database
#: decision per address or name and process this often.
CACHE_TRUST_SECONDS = 1.0


class SlowedCache:
    """This process's memory of the database's "slowed until" decisions (see the module's note).

    Keys are ``("address", client)`` and ``("name", username)``; values the
    ``time.monotonic()`` until which the database said tries must wait, and until which this
    is trusted (at most :data:`CACHE_TRUST_SECONDS` after it was said).  Also the ids of the
    known devices, which pass the slowdown and so are never refused here.  Thread-safe: the
    route asks it on the event loop, :func:`admit` in a database thread.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._until: dict[tuple[str, str], tuple[float, float]] = {}
        self._known: set[str] = set()
        self._known_pk = 0
        self._known_at: float | None = None
        self._lock = threading.Lock()
        self._refresh_lock = threading.Lock()

    def refusal(self, client: str, username: str, device_id: str) -> int | None:
        """Return the seconds to refuse this try with, 0 if the cache does not refuse it.

        ``None``: the address or name is slowed but the list of known devices is due to be read
        again (:meth:`refresh_known`) before the try may be refused.  No database work.
        """
        tick = self._clock()
        keys = (("address", client), ("name", username[:NAME_MAX]))
        with self._lock:
            wait = 0.0
            for key in keys:
                entry = self._until.get(key)
                if entry is None:
                    continue
                until, trusted = entry
                if min(until, trusted) <= tick:
                    del self._until[key]
                else:
                    wait = max(wait, until - tick)
            if wait <= 0 or device_id in self._known:
                return 0
            if self._known_at is None or tick - self._known_at > KNOWN_REFRESH_SECONDS:
                return None
        return whole_seconds(wait)

    def remember(self, client: str, username: str, by_address: float, by_name: float) -> None:
        """Note the database's waits (seconds from now) for this address and this name."""
        tick = self._clock()
        with self._lock:
            if len(self._until) >= CACHE_MAX_ENTRIES:
                self._until = {k: e for k, e in self._until.items() if min(e) > tick}
            trusted = tick + CACHE_TRUST_SECONDS
            for key, wait in ((("address", client), by_address), (("name", username), by_name)):
                if wait > 0 and (key in self._until or len(self._until) < CACHE_MAX_ENTRIES):
                    self._until[key] = (tick + wait, trusted)  # the database's latest word

    def signed_in(self, username: str, device_id: str) -> None:
        """A success: the name's failures no longer count, and the device is known."""
        with self._lock:
            self._until.pop(("name", username[:NAME_MAX]), None)
            self._known.add(device_id)

    def refresh_known(self, db: Database) -> None:
        """Read the devices added since the last read (one short read; one thread at a time)."""
        with self._refresh_lock:
            tick = self._clock()
            with self._lock:
                fresh = (
                    self._known_at is not None and tick - self._known_at <= KNOWN_REFRESH_SECONDS
                )
                after = self._known_pk
            if fresh:
                return
            with db.read_session() as session:
                rows = session.execute(
                    select(Device.id, Device.device_id).where(Device.id > after)
                ).all()
            with self._lock:
                self._known.update(device_id for _pk, device_id in rows)
                self._known_pk = max([after, *(pk for pk, _d in rows)])
                self._known_at = tick


_last_purge: list[float] = [0.0]


def admit(
    db: Database,
    settings: Settings,
    *,
    username: str,
    client: str,
    device_id: str,
    now: datetime,
    cache: SlowedCache | None = None,
) -> Admitted:
    """Record a try, then decide whether it may be checked (see the module's note).

    With ``cache``, a try it refuses is refused before any database work (the known devices
    read again first if due), and the database's refusals are noted in it.

    Raises:
        SlowedError: too many recent failures for this name or from this address.
    """
    name = username[:NAME_MAX]
    if cache is not None:
        seconds = cache.refusal(client, name, device_id)
        if seconds is None:
            cache.refresh_known(db)
            seconds = cache.refusal(client, name, device_id)
        if seconds:
            raise SlowedError(seconds)
    with db.writing() as session:
        user = session.execute(
            select(User.id, User.password_hash, User.disabled_at).where(User.username == username)
        ).first()
        known = (
            user is not None
            and session.scalar(
                select(Device.id).where(Device.user_id == user.id, Device.device_id == device_id)
            )
            is not None
        )
        attempt_id = session.execute(
            insert(LoginAttempt)
            .values(at=now, client_key=client, username=name, ok=False)
            .returning(LoginAttempt.id)
        ).scalar_one()
    admitted = Admitted(
        attempt_id=attempt_id,
        user_id=user.id if user else None,
        stored_hash=user.password_hash if user else None,
        disabled=bool(user and user.disabled_at is not None),
        known_device=known,
    )
    if known:
        return admitted
    # Counted after our own row is committed: of any tries running at once, the last to count
    # sees all the others, so no more than the free number ever get through together.
    with db.writing() as session:
        by_address, by_name = _waits(session, settings, attempt_id, name, client, now)
        wait = max(by_address, by_name)
        if wait > 0:
            session.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt_id))
            _log_slowed(session, now, name, client, device_id, wait)
    _purge(db, settings, now)
    if wait > 0:
        if cache is not None:
            cache.remember(client, name, by_address, by_name)
        raise SlowedError(whole_seconds(wait))
    return admitted


def _waits(
    session: Session, settings: Settings, attempt_id: int, name: str, client: str, now: datetime
) -> tuple[float, float]:
    """Return the seconds this try must still wait for its address and for its name (0: none)."""
    since = now - timedelta(minutes=settings.login_window_minutes)
    failed = (
        LoginAttempt.ok.is_(False),
        LoginAttempt.id != attempt_id,
        LoginAttempt.at >= since,
    )
    last_ok = (
        select(func.max(LoginAttempt.at))
        .where(LoginAttempt.username == name, LoginAttempt.ok.is_(True))
        .scalar_subquery()
    )
    by_name = session.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(
            LoginAttempt.username == name,
            *failed,
            LoginAttempt.at > func.coalesce(last_ok, since - timedelta(seconds=1)),
        )
    ).one()
    by_address = session.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(
            LoginAttempt.client_key == client, *failed
        )
    ).one()
    waits = []
    for (count, latest), free in (
        (by_address, settings.login_free_failures_per_address),
        (by_name, settings.login_free_failures_per_name),
    ):
        delay = wait_seconds(int(count), free, settings)
        left = (latest + timedelta(seconds=delay) - now).total_seconds() if latest else 0.0
        waits.append(max(0.0, left) if delay > 0 else 0.0)
    return waits[0], waits[1]


def _log_slowed(
    session: Session, now: datetime, name: str, client: str, device_id: str, wait: float
) -> None:
    """Write ``signin.slowed`` unless this address got one within the last minute."""
    recent = session.scalar(
        select(SecurityEvent.id)
        .where(
            SecurityEvent.kind == "signin.slowed",
            SecurityEvent.client == client[:64],
            SecurityEvent.at > now - SLOWED_LOG_EVERY,
        )
        .limit(1)
    )
    if recent is None:
        record_event(
            session,
            "signin.slowed",
            now,
            username=name,
            client=client,
            device_id=device_id,
            detail={"wait_seconds": round(wait)},
        )


def _purge(db: Database, settings: Settings, now: datetime) -> None:
    """Delete attempt rows older than the window, at most once a minute per process."""
    tick = time.monotonic()
    if tick - _last_purge[0] < PURGE_EVERY_SECONDS:
        return
    _last_purge[0] = tick
    # A success is kept a day: it ends the count of its name's earlier failures.
    keep = max(timedelta(minutes=settings.login_window_minutes), timedelta(days=1))
    with db.writing() as session:
        session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - keep))


def succeeded(session: Session, attempt_id: int) -> None:
    """Mark a try as the right password (it ends its name's count of failures)."""
    session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(ok=True))

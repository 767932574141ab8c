"""Plain values of sign-in and sync that the engine hands to the UI and the command line.

INTERFACE: the UI codes against these names; add fields with defaults, never rename.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sync.contract.duty import FilingRole


class TokenStorage(StrEnum):
    """Where the device token is kept: the system keyring, or a file only the user can read."""

    KEYRING = "keyring"
    FILE = "file"


@dataclass(frozen=True)
class AccountPost:
    """A post the signed-in account holds (from the server's roster)."""

    division_code: str
    division_name: str
    level: str
    post_role: str  # "A" or "B"


@dataclass(frozen=True)
class Account:
    """The account this device is signed in with (kept locally; works offline).

    Attributes:
        server_url: the city server's base URL.
        username: the account's user name.
        display_name: the person's name.
        role: village_informant, township_reviewer, county_admin or city_admin.
        jurisdiction_code: the division the role covers.
        posts: the active A/B posts.
        device_id: this installation's id, sent with every request.
        token_storage: where the token is kept (shown to the user).
    """

    server_url: str
    username: str
    display_name: str
    role: str
    jurisdiction_code: str
    posts: tuple[AccountPost, ...]
    device_id: str
    token_storage: TokenStorage


class SyncErrorKind(StrEnum):
    """Why a sync round stopped (per-item problems do not stop a round)."""

    NOT_SIGNED_IN = "not_signed_in"
    AUTH = "auth"  # token refused: expired, revoked, account disabled
    NETWORK = "network"  # no route, refused, reset, timeout
    CAPTIVE_PORTAL = "captive_portal"  # an answer that is not our server's JSON
    SERVER = "server"  # 5xx or a server-wide error body
    PROTOCOL = "protocol"  # the server speaks another protocol version
    DISK = "disk"  # the local store could not be written
    TLS = "tls"  # the https connection failed: untrusted, wrong name, expired, not https


@dataclass(frozen=True)
class SyncProblem:
    """A sync problem in plain words, in both languages."""

    kind: SyncErrorKind
    zh: str
    en: str
    #: Why, when the server said more than the kind: ``replaced`` for a device signed out
    #: because its account was set up on another device with a set-up code.
    reason: str = ""
    #: Seconds the server asked to wait before the next round (a busy server's Retry-After).
    retry_after: float | None = None

    def message(self, lang: str) -> str:
        """Return the message in ``lang``."""
        return self.zh if lang.startswith("zh") else self.en


@dataclass(frozen=True)
class RoundSummary:
    """What one sync round did (the `sync` command prints it as JSON)."""

    pushed: int = 0  # versions the server acknowledged (accepted, duplicate or conflict)
    pulled: int = 0  # changes applied from the server
    failed: int = 0  # versions quarantined with the server's message
    still_queued: int = 0  # versions waiting after the round
    photos_sent: int = 0  # photos completed on the server this round
    # Versions recorded as conflicts this round: answered ``conflict`` in the push, or heard
    # of in the pull (a lost answer, the partner's conflicting version), each counted once.
    conflicts: int = 0
    problem: SyncProblem | None = None  # why the round stopped early, if it did
    server_time: datetime | None = None
    clock_skew_seconds: float | None = None  # device clock minus server clock
    decisions_sent: int = 0  # review decisions the server applied (or had applied)
    decisions_conflicts: int = 0  # decisions recorded but not applied (superseded, frozen)
    decisions_rejected: int = 0  # decisions refused, with the server's message
    decisions_queued: int = 0  # decisions waiting after the round
    photos_pending: int = 0  # photos not (yet) complete on the server after the round

    @property
    def ok(self) -> bool:
        """True when the round reached the server and finished."""
        return self.problem is None

    @property
    def complete(self) -> bool:
        """True when the round finished and versions, decisions and photos all went."""
        return (
            self.ok
            and self.still_queued == 0
            and self.decisions_queued == 0
            and self.photos_pending == 0
        )

    def to_json(self) -> dict[str, Any]:
        """Return the JSON summary of the `sync` command."""
        data = asdict(self)
        data["problem"] = (
            None
            if self.problem is None
            else {"kind": self.problem.kind.value, "zh": self.problem.zh, "en": self.problem.en}
        )
        data["server_time"] = self.server_time.isoformat() if self.server_time else None
        data["ok"] = self.ok
        data["complete"] = self.complete
        return data


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows.

    Attributes:
        signed_in: an account is configured on this device.
        online: the last request reached our server (None before any attempt).
        last_success_at: when a round last finished (UTC).
        queued: versions waiting to be sent (queued or sending).
        errors: versions quarantined with a server message.
        conflicts: reports with a conflict to resolve.
        photos_pending: photos not yet complete on the server.
        last_problem: the last round's problem, if it failed.
        clock_skew_seconds: device clock minus server clock, from the last round.
        failures: rounds that failed in a row since the last success.
        server_time: the server's clock as read in the last round.
    """

    signed_in: bool
    online: bool | None
    last_success_at: datetime | None
    queued: int
    errors: int
    conflicts: int
    photos_pending: int
    last_problem: SyncProblem | None = None
    clock_skew_seconds: float | None = None
    failures: int = 0  # failed rounds in a row (feed ``SyncEngine.retry_delay``)
    server_time: datetime | None = None  # the server's clock at the last round
    decisions_queued: int = 0  # review decisions waiting to be sent


@dataclass(frozen=True)
class PhotoProgress:
    """How many of a version's photos the server has in full."""

    received: int
    total: int


@dataclass(frozen=True)
class ConflictSide:
    """One side of a conflict: a version and its content (``ReportContent.to_dict()``)."""

    version_uuid: str
    version_no: int
    filed_by: str
    submitted_at: datetime | None
    content: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Conflict:
    """Two versions of one report made from the same parent (A and B revised offline)."""

    report_uuid: str
    ours: ConflictSide
    theirs: ConflictSide
    differing_fields: tuple[str, ...]  # content keys, figures as "figures.<name>"


@dataclass(frozen=True)
class VersionSyncInfo:
    """Where a submitted version came from and what the server said about it.

    Attributes:
        origin: ``local`` (made on this device) or ``remote`` (pulled: filed by the post's
            other informant; shown read-only).
        filed_by: the user name that filed it, when the server said.
        server_status: ``accepted``, ``conflict`` or ``rejected``; ``None`` before an answer.
        server_code: the server's result code (``accepted``, ``duplicate``,
            ``validation_failed``…).
        message_zh: the server's message in Chinese (rejections, conflicts).
        message_en: the server's message in English.
        server_received_at: when the server stored it (server clock).
        filing_role: in which capacity it was filed: the server's word once pulled, else
            this device's judgement at submit.
        acting_for_name: the post's A when B filed.
        filing_role_here: the filing role this device judged at submit.
    """

    origin: str = "local"
    filed_by: str | None = None
    server_status: str | None = None
    server_code: str | None = None
    message_zh: str | None = None
    message_en: str | None = None
    server_received_at: datetime | None = None
    filing_role: FilingRole | None = None  # the server's word, else this device's
    acting_for_name: str | None = None  # the post's A when B filed
    filing_role_here: FilingRole | None = None  # what this device judged at submit


# --- progress of long work -------------------------------------------------------------------
#
# A sync round, an import or an export calls ``progress(Progress(...))`` as it goes (a plain
# callback, on the working thread); the caller decides what to do with it: the window forwards
# it to the GUI thread by a queued signal (``ui/sync/runner.py``, ``ui/tasks/progress.py``),
# the headless commands print a line on standard error when it is a terminal.  Throttle it
# with ``core.sync.progress.Throttle``.  Work that may be cancelled takes a ``cancelled()``
# check and raises ``CancelledError`` where nothing is half-written.


class Phase(StrEnum):
    """What the long work is doing."""

    PUSH = "push"  # sending queued versions (done of total)
    DECISIONS = "decisions"  # sending review decisions (done of total)
    PHOTOS = "photos"  # uploading photos (bytes done of total)
    PULL = "pull"  # receiving the server's changes (done so far; total unknown)
    READ = "read"  # reading and checking an import file's records (done of total)
    WRITE = "write"  # writing (an import's transaction, an export's file); not cancellable
    PREPARE = "prepare"  # gathering what an export holds


class Unit(StrEnum):
    """What ``done`` and ``total`` count."""

    VERSIONS = "versions"
    DECISIONS = "decisions"
    BYTES = "bytes"
    CHANGES = "changes"
    RECORDS = "records"
    ITEMS = "items"


@dataclass(frozen=True)
class Progress:
    """How far long work has come.

    Attributes:
        phase: what it is doing.
        done: how much of it is done (versions, records, bytes…).
        total: how much there is, ``None`` when unknown (a pull reads until the server has
            no more).
        unit: what ``done`` and ``total`` count.
        first: the first sync of this store (a pull from the start of the feed), which may
            take long: the window shows a progress bar.
    """

    phase: Phase
    done: int
    total: int | None = None
    unit: Unit = Unit.ITEMS
    first: bool = False

    @property
    def finished(self) -> bool:
        """Whether ``done`` reached a known ``total``."""
        return self.total is not None and self.done >= self.total

    def text_en(self) -> str:
        """Return one line in English (the headless commands' stderr, logs)."""
        return _line(self, en=True)

    def text_zh(self) -> str:
        """Return one line in Chinese."""
        return _line(self, en=False)


ProgressCallback = Callable[[Progress], None]
CancelCheck = Callable[[], bool]


class CancelledError(Exception):
    """Long work was cancelled at a point where nothing is half-written."""


def never_cancelled() -> bool:
    """The default cancel check."""
    return False


def ignore(_progress: Progress) -> None:
    """The default progress callback."""


def megabytes(n: int) -> str:
    """Return ``n`` bytes as megabytes with one decimal ("1.2")."""
    return f"{n / 1_000_000:.1f}"


def _line(p: Progress, *, en: bool) -> str:
    of = f"{p.done:,}/{p.total:,}" if p.total is not None else f"{p.done:,}"
    if p.phase is Phase.PHOTOS:
        size = f"{megabytes(p.done)}/{megabytes(p.total or 0)} MB"
        return f"uploading photos {size}" if en else f"正在上传照片 {size}"
    words = {
        Phase.PUSH: ("sending reports", "正在发送报告"),
        Phase.DECISIONS: ("sending review decisions", "正在发送审核结果"),
        Phase.READ: ("reading records", "正在读取记录"),
        Phase.WRITE: ("writing", "正在写入"),
        Phase.PREPARE: ("preparing", "正在准备"),
    }
    if p.phase is Phase.PULL:
        return f"receiving: {of} changes so far" if en else f"正在接收，已收到 {of} 个版本"
    en_word, zh_word = words[p.phase]
    return f"{en_word} {of}" if en else f"{zh_word} {of}"

"""The plain-text diagnostic block a user copies for support: versions, paths, counts, sync.

It names where things are and how many there are, never what the reports say, and never a
secret: no password, no token (a token found in the text is blanked as a last guard), no
credentials in a server address.  Each part is read on its own, so a damaged database still
yields the versions and paths.  Qt-free: the UI passes its toolkit's lines in.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from informant_app import __version__
from informant_app.core.account import credentials, trust
from informant_app.core.paths import database_path
from informant_app.core.store import migrate
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_status import current_account, read_status
from informant_app.core.store.types import ReportState
from informant_app.core.sync.types import Account, SyncStatus

log = logging.getLogger(__name__)

#: Milliseconds the crash path's read-only connection waits for a lock.
#: The first line of the block.
TITLE = "Informant app — diagnostic information"
#: What stands in for anything secret that slipped into the text.
REDACTED = "[redacted]"

Line = tuple[str, str]


@dataclass(frozen=True)
class Section:
    """A titled group of ``name: value`` lines."""

    title: str
    lines: tuple[Line, ...]


def diagnostic_text(
    store: ReportStore | None,
    data_dir: Path,
    log_file: Path | None,
    *,
    toolkit: Sequence[Line] = (),
    note: str = "",
    now: datetime | None = None,
    read_files: bool = True,
) -> str:
    """Return the diagnostic block (run it on the database worker: it reads the store).

    Args:
        store: the open store; ``None`` when it could not be opened (only versions and paths
            are given then).
        data_dir: the data folder.
        log_file: the app's log file, if it has one.
        toolkit: lines the UI adds to the application part (Qt and PySide versions, the
            platform plugin, the screen, the language).
        note: a line put under the title (the crash dialog says what happened).
        now: the time the block is made (UTC); tests fix it.
        read_files: look at the database file (its size and revision); ``False`` names the
            paths only and touches no disk (the GUI thread may call it so).
    """
    files = files_section(data_dir, log_file) if read_files else paths_section(data_dir, log_file)
    sections = [application_section(toolkit), files]
    secrets: list[str] = []
    if store is not None:
        sections += [
            _guarded("Reports", lambda: report_lines(store)),
            _guarded("Sync", lambda: sync_lines(store, secrets)),
        ]
        now = now or store.now()
    else:
        sections.append(Section("Reports", (("Database", "not open"),)))
    return render(sections, note=note, now=now, secrets=secrets)


def diagnostic_text_read_only(
    data_dir: Path,
    log_file: Path | None,
    *,
    toolkit: Sequence[Line] = (),
    note: str = "",
    timeout: float = 2.0,
) -> tuple[str, bool]:
    """Return the diagnostic block without the app's worker (the crash dialog's copy).

    The store is read through a read-only connection of its own on a short-lived thread; when
    that takes longer than ``timeout`` seconds or fails, the block has the versions and paths
    and says where the full copy is (Help → Copy diagnostic information).  A database at
    another revision than this app's is not read at all.

    Returns:
        The block, and whether the store could be read (its counts and sync state are in).
    """
    answer: list[str] = []

    def guarded() -> None:
        try:
            answer.append(read_diagnostic_text(data_dir, log_file, toolkit=toolkit, note=note))
        except Exception:
            log.warning("diagnostics: the store could not be read directly", exc_info=True)

    thread = threading.Thread(target=guarded, name="diagnostics", daemon=True)
    thread.start()
    thread.join(timeout)
    if answer:
        return answer[0], True
    sections = [
        application_section(toolkit),
        files_section(data_dir, log_file),
        Section(
            "Reports",
            (
                (
                    "Not read",
                    "report counts and the sync state are in Help → Copy diagnostic information",
                ),
            ),
        ),
    ]
    return render(sections, note=note), False


def read_diagnostic_text(
    data_dir: Path, log_file: Path | None, *, toolkit: Sequence[Line] = (), note: str = ""
) -> str:
    """Return the diagnostic block, read through a read-only connection of its own.

    The connection never migrates, writes or waits long, so this may run beside the app's
    writer (on the UI's ``files`` lane, or the crash dialog's short-lived thread).

    Raises:
        RuntimeError: the database is missing or not at this app's revision.
    """
    store = ReportStore.open_read_only(data_dir)
    try:
        return diagnostic_text(store, data_dir, log_file, toolkit=toolkit, note=note)
    finally:
        store.close()


def application_section(toolkit: Sequence[Line] = ()) -> Section:
    """Return the versions of the app, Python and the operating system (cheap, no disk)."""
    return Section(
        "Application",
        (
            ("App version", __version__),
            *toolkit,
            (
                "Python",
                f"{platform.python_version()} ({platform.python_implementation()}, "
                f"{'frozen' if getattr(sys, 'frozen', False) else 'source'})",
            ),
            ("Operating system", f"{platform.platform()} ({platform.machine() or '?'})"),
        ),
    )


def paths_section(data_dir: Path, log_file: Path | None) -> Section:
    """Return where the data, the log and the database are (no disk access)."""
    return Section(
        "Files",
        (
            ("Data folder", str(data_dir)),
            ("Log file", str(log_file) if log_file is not None else "none"),
            ("Database file", str(database_path(data_dir))),
        ),
    )


def files_section(data_dir: Path, log_file: Path | None) -> Section:
    """Return where the data, the log and the database are, and the database's schema revision.

    The revision is read with a short read-only connection (it never blocks a writer).
    """
    db = database_path(data_dir)
    lines: list[Line] = [
        ("Data folder", str(data_dir)),
        ("Log file", str(log_file) if log_file is not None else "none"),
    ]
    try:
        size = f"{db.stat().st_size / 1_048_576:.1f} MB" if db.exists() else "missing"
    except OSError as exc:
        size = f"unreadable ({exc.strerror or exc})"
    lines.append(("Database file", f"{db} ({size})"))
    head = migrate.head_revision()
    try:
        revision = migrate.current_revision(db) or "none"
    except Exception as exc:  # a damaged file is exactly what this block is for
        revision = f"unreadable ({type(exc).__name__}: {exc})"
    state = "up to date" if revision == head else "differs"
    lines.append(("Database revision", f"{revision} (the app expects {head}: {state})"))
    lines.append(ca_line(data_dir))
    return Section("Files", tuple(lines))


def ca_line(data_dir: Path) -> Line:
    """Return the city's CA certificate trusted for https: its file and fingerprint."""
    try:
        bundle = trust.ca_bundle_info(data_dir)
    except Exception as exc:  # a damaged file: say so, never fail the block
        return ("City CA certificate", f"unreadable ({type(exc).__name__}: {exc})")
    if bundle is None:
        return ("City CA certificate", "none (the usual certificate authorities)")
    first = bundle.certificates[0]
    more = f", +{len(bundle.certificates) - 1} more" if len(bundle.certificates) > 1 else ""
    subject = f"{first.subject}, " if first.subject else ""
    until = f", valid until {first.not_after}" if first.not_after else ""
    return ("City CA certificate", f"{bundle.path} ({subject}SHA-256 {first.sha256}{until}{more})")


def report_lines(store: ReportStore) -> list[Line]:
    """Return the number of reports in each state and what waits to be sent."""
    counts = store.state_counts()
    lines: list[Line] = [
        (f"Reports {state.value}", str(counts.get(state, 0))) for state in ReportState
    ]
    status = read_status(store)
    lines += [
        ("Versions waiting to be sent", str(status.queued)),
        ("Versions refused by the server", str(status.errors)),
        ("Conflicts to resolve", str(status.conflicts)),
        ("Review decisions queued", str(status.decisions_queued)),
        ("Photos still to upload", str(status.photos_pending)),
    ]
    return lines


def sync_lines(store: ReportStore, secrets: list[str] | None = None) -> list[Line]:
    """Return the account (server, user name, role; never a secret) and the last sync.

    Args:
        store: the store.
        secrets: filled with the device token, if one is kept, so ``render`` can make sure
            it appears nowhere in the text.
    """
    account = current_account(store)
    status = read_status(store)
    device, last_attempt = store.device_and_last_attempt()
    lines: list[Line] = []
    if account is None:
        lines.append(("Signed in", "no"))
    else:
        lines += _account_lines(account)
        if secrets is not None:
            secrets.extend(_kept_token(store.data_dir, account))
    lines += [
        ("Device id", device or "not made yet"),
        ("Last successful sync", _time(status.last_success_at)),
        ("Last attempt", _time(last_attempt)),
        ("Failed rounds in a row", str(status.failures)),
        (
            "Reached the server last time",
            {True: "yes", False: "no", None: "not tried"}[status.online],
        ),
        ("Last error", _problem(status)),
        ("Server time at the last sync", _time(status.server_time)),
        ("Clock skew", skew_text(status.clock_skew_seconds)),
    ]
    return lines


def render(
    sections: Iterable[Section],
    *,
    note: str = "",
    now: datetime | None = None,
    secrets: Iterable[str] = (),
) -> str:
    """Return ``sections`` as the plain-text block, with anything in ``secrets`` blanked."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    out = [TITLE, f"Made at: {stamp}"]
    if note:
        out.append(note)
    for section in sections:
        out += ["", f"[{section.title}]"]
        out += [f"{name}: {value}" for name, value in section.lines]
    text = "\n".join(out) + "\n"
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


def safe_url(url: str) -> str:
    """Return ``url`` without a user name, password, query or fragment."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return REDACTED
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def skew_text(seconds: float | None) -> str:
    """Return the device clock's offset from the server's in words."""
    if seconds is None:
        return "not measured yet"
    if abs(seconds) < 1:
        return "under a second"
    side = "ahead of" if seconds > 0 else "behind"
    return f"{abs(seconds):.0f} s ({abs(seconds) / 60:.1f} min) {side} the server"


# --- helpers ---------------------------------------------------------------------------------


def _guarded(title: str, read: Callable[[], list[Line]]) -> Section:
    """Return a section read by ``read``; a failure becomes a line saying so (never raises)."""
    try:
        return Section(title, tuple(read()))
    except Exception as exc:
        log.warning("diagnostics: %s could not be read", title, exc_info=True)
        return Section(title, (("Not readable", f"{type(exc).__name__}: {exc}"),))


def _account_lines(account: Account) -> list[Line]:
    posts = ", ".join(f"{p.post_role} {p.division_code}" for p in account.posts) or "none"
    return [
        ("Signed in", "yes"),
        ("Server", safe_url(account.server_url)),
        ("User name", account.username),
        ("Role", account.role),
        ("Jurisdiction", account.jurisdiction_code),
        ("Posts", posts),
        ("Token kept in", account.token_storage.value),
    ]


def _kept_token(data_dir: Path, account: Account) -> list[str]:
    try:
        token = credentials.load_token(
            data_dir, account.device_id, account.username, account.token_storage
        )
    except Exception:  # the keyring can fail in many ways; the text does not need the token
        return []
    return [token] if token else []


def _time(value: datetime | None) -> str:
    if value is None:
        return "never"
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _problem(status: SyncStatus) -> str:
    problem = status.last_problem
    if problem is None:
        return "none"
    return f"{problem.kind.value}: {problem.en} / {problem.zh}"

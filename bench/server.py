"""The real city server as a subprocess on 127.0.0.1, for the benchmarks and the tests.

``CityServer`` runs ``city-server --db URL serve`` on a free port: SQLite in its folder by
default, or any SQLAlchemy URL (PostgreSQL: a fresh database or schema is the caller's
business), with ``workers`` processes and extra environment variables.  ``init()`` creates the
schema and the Baoshan sample (``init --sample baoshan --json``: the accounts and their
passwords), ``start()`` waits until ``/health`` answers, ``stop()`` ends the whole process group
(uvicorn's workers too).  It may be stopped and started again (same database, same port).

This is the one such class: the tests use it through ``tests/support/city_server.py``.  It lives
here because the benchmarks must not import the tests.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Self

import requests

ROOT = Path(__file__).resolve().parents[1]
#: Cheap password hashing: benchmarks and tests sign in many times.
FAST_HASHING = {"CITY_ARGON2_TIME_COST": "1", "CITY_ARGON2_MEMORY_KIB": "1024"}
#: Sign-in throttling out of the way: benchmarks and tests sign in (rightly and wrongly) many
#: times from 127.0.0.1, often at once.  Those that test the throttling set it themselves
#: (``bench.signin_flood.REAL_SIGNIN``).
NO_SIGNIN_THROTTLE = {
    "CITY_LOGIN_FREE_FAILURES_PER_ADDRESS": "1000000",
    "CITY_LOGIN_FREE_FAILURES_PER_NAME": "1000000",
    "CITY_LOGIN_HASH_QUEUE": "64",
    "CITY_LOGIN_REFUSAL_PAUSE_SECONDS": "0",
}
#: Benchmarks and soaks push more than an account's default daily quota (2,000 versions): the
#: quota guards against a runaway device and is not what they measure.  Its own tests set it.
NO_QUOTA = {"CITY_QUOTA_VERSIONS": "1000000000", "CITY_QUOTA_VERSION_BYTES": "1000000000000"}
#: Fast hashing, no sign-in throttling, no daily quota, failed set-up codes slowed down only a
#: little.
SERVER_ENV = {
    **FAST_HASHING,
    **NO_SIGNIN_THROTTLE,
    **NO_QUOTA,
    "CITY_LOGIN_SLOWDOWN_MAX_SECONDS": "0.05",
}
#: How long ``start`` waits for ``/health``.
START_TIMEOUT = 60.0
#: How long ``stop`` lets the server end by itself (uvicorn waits for kept-alive connections).
STOP_GRACE = 3.0
#: The PostgreSQL server the benchmarks use (trust auth), as in the tests.
POSTGRES_ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago (the system picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def city_server_command() -> list[str]:
    """Return the ``city-server`` command of this interpreter's environment."""
    script = Path(sys.executable).parent / "city-server"
    return [str(script)] if script.exists() else [sys.executable, "-m", "sync.server.cli"]


class CityServer:
    """A ``city-server`` process on a free port of 127.0.0.1.

    Attributes:
        folder: its data folder (the SQLite file, photos, ``server.log``); made when needed.
        db_url: the SQLAlchemy URL of its database.
        workers: uvicorn worker processes.
        port: the port it serves on (kept across restarts).
        url: the base URL.
        env: the environment of its processes.
        proc: the serving process while started, else ``None``.
        accounts: the sample's accounts by username (after ``init``).
        passwords: the sample accounts' passwords by username (after ``init``).
    """

    def __init__(
        self,
        folder: Path,
        db_url: str | None = None,
        workers: int = 1,
        env: dict[str, str] | None = None,
    ) -> None:
        self.folder = folder
        self.db_url = db_url or f"sqlite:///{folder / 'city.db'}"
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **SERVER_ENV, "CITY_DATA_DIR": str(folder), **(env or {})}
        for name in ("DATABASE_URL", "CITY_DATABASE_URL"):  # --db decides
            self.env.pop(name, None)
        self.proc: subprocess.Popen[bytes] | None = None
        self.accounts: dict[str, dict[str, Any]] = {}
        self.passwords: dict[str, str] = {}

    # --- commands ---------------------------------------------------------------------------

    def cli(self, *args: str, stdin: str | None = None, timeout: float = 120) -> str:
        """Run ``city-server --db URL ARGS`` on this database; return its output."""
        self.folder.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [*city_server_command(), "--db", self.db_url, *args],
            cwd=ROOT,
            env=self.env,
            input=stdin.encode() if stdin is not None else None,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"city-server {args} failed: {result.stderr.decode()}")
        return result.stdout.decode()

    def init(self) -> None:
        """Create the schema and the Baoshan sample accounts."""
        data = json.loads(self.cli("init", "--sample", "baoshan", "--json"))
        for account in data["accounts"]:
            self.accounts[account["username"]] = account
            self.passwords[account["username"]] = account["password"]

    def password(self, username: str) -> str:
        """Return the sample password of ``username``."""
        return self.passwords[username]

    def reports(self) -> list[dict[str, Any]]:
        """Every report the server holds (``city-server reports --json``)."""
        reports: list[dict[str, Any]] = json.loads(self.cli("reports", "--json"))["reports"]
        return reports

    # --- serving ----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether the serving process is alive."""
        return self.proc is not None and self.proc.poll() is None

    def serve_command(self) -> list[str]:
        """Return the command that serves (a subclass may add options such as TLS files)."""
        command = [
            *city_server_command(),
            "--db",
            self.db_url,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        if self.workers > 1:
            command += ["--workers", str(self.workers)]
        return command

    def answers(self) -> bool:
        """Whether ``/health`` answers 200 (a subclass may probe otherwise)."""
        try:
            return requests.get(self.url + "/health", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start serving and wait until the server answers.

        Raises:
            RuntimeError: it is running already, exited, or did not answer in time.
        """
        if self.running:
            raise RuntimeError("city-server is running already")
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / "server.log").open("ab") as log:
            # Its own process group: stopping it ends uvicorn's worker processes too.
            self.proc = subprocess.Popen(
                self.serve_command(),
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"city-server exited: {self.log_tail()}")
            if self.answers():
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"city-server did not answer: {self.log_tail()}")

    def stop(self, sig: int = signal.SIGTERM, grace: float = STOP_GRACE) -> None:
        """Stop serving; the database stays.

        ``sig`` goes to the process group; SIGKILL follows after ``grace`` seconds, and for
        workers that outlived their master.
        """
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            _signal_group(proc, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=grace)
        _signal_group(proc, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)

    def log_tail(self) -> str:
        """Return the end of the server's log."""
        path = self.folder / "server.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def __enter__(self) -> Self:
        self.init()
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    """Send ``sig`` to the process group ``proc`` leads (``start`` made one), else to ``proc``."""
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:  # the group is gone, or ``proc`` was started without one
        if proc.poll() is None:
            proc.send_signal(sig)


def fresh_postgres_database(name: str) -> str:
    """Drop and create PostgreSQL database ``name``; return its SQLAlchemy URL."""
    import psycopg  # the server extra

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)

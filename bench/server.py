"""The real city server for benchmarks: ``city-server`` as a subprocess on 127.0.0.1.

SQLite in a temporary folder by default, or PostgreSQL (a fresh schema-less database is the
caller's business: pass its URL) with ``workers`` processes.  The Baoshan sample's accounts
and passwords are read from ``init --json``.
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
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
#: Fast password hashing and no lockout: benchmarks sign in many times.
SERVER_ENV = {
    "CITY_ARGON2_TIME_COST": "1",
    "CITY_ARGON2_MEMORY_KIB": "1024",
    "CITY_LOCKOUT_AFTER": "100000",
    "CITY_LOGIN_SLOWDOWN_MAX_SECONDS": "0",
}
START_TIMEOUT = 60.0
#: The PostgreSQL server the benchmarks use (trust auth), as in the tests.
POSTGRES_ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def city_server_command() -> list[str]:
    """Return the ``city-server`` command of this interpreter's environment."""
    script = Path(sys.executable).parent / "city-server"
    return [str(script)] if script.exists() else [sys.executable, "-m", "sync.server.cli"]


class CityServer:
    """A ``city-server`` process on a free port.

    Attributes:
        url: the base URL.
        db_url: the SQLAlchemy URL of its database.
        passwords: the sample accounts' passwords by username.
    """

    def __init__(
        self,
        folder: Path,
        db_url: str | None = None,
        workers: int = 1,
        env: dict[str, str] | None = None,
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.db_url = db_url or f"sqlite:///{folder / 'city.db'}"
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **SERVER_ENV, "CITY_DATA_DIR": str(folder), **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None
        self.passwords: dict[str, str] = {}

    def cli(self, *args: str, timeout: float = 120) -> str:
        """Run a ``city-server`` command on this database; return its output."""
        result = subprocess.run(
            [*city_server_command(), "--db", self.db_url, *args],
            cwd=ROOT,
            env=self.env,
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
        self.passwords = {a["username"]: a["password"] for a in data["accounts"]}

    def start(self) -> None:
        """Start serving and wait until ``/health`` answers."""
        log = (self.folder / "server.log").open("ab")
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
        # Its own process group: stopping it ends uvicorn's worker processes too.
        self.proc = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
        )
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"city-server exited: {self.log_tail()}")
            try:
                if requests.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"city-server did not answer: {self.log_tail()}")

    def stop(self) -> None:
        """Stop the server and its workers (SIGTERM to the group, SIGKILL after 5 s)."""
        if self.proc is None:
            return
        group = self.proc.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)  # workers that outlived their master
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        self.proc = None

    def log_tail(self) -> str:
        """Return the end of the server's log."""
        path = self.folder / "server.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def __enter__(self) -> CityServer:
        self.init()
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def fresh_postgres_database(name: str) -> str:
    """Drop and create PostgreSQL database ``name``; return its SQLAlchemy URL."""
    import psycopg  # the server extra

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)

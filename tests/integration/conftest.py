"""The real city server for the integration tests: ``city-server`` as a subprocess on 127.0.0.1.

One server per test session (SQLite in a temporary folder, the Baoshan sample), started with
``city-server --db … init --sample baoshan --json`` and ``city-server --db … serve --port P``.
The sample's accounts and passwords are read from the JSON.  Tests may stop and start it
(same database, same port).  Everything waits with a deadline.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
#: Fast password hashing and no lockout: the tests sign in many times.
SERVER_ENV = {
    "CITY_ARGON2_TIME_COST": "1",
    "CITY_ARGON2_MEMORY_KIB": "1024",
    "CITY_LOCKOUT_AFTER": "1000",
    "CITY_LOGIN_SLOWDOWN_MAX_SECONDS": "0.05",
}
START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def city_server_command() -> list[str]:
    """Return the ``city-server`` command: the installed script, or the module."""
    script = Path(sys.executable).parent / "city-server"
    if script.exists():
        return [str(script)]
    found = shutil.which("city-server")
    if found and Path(found).resolve().parent == Path(sys.executable).resolve().parent:
        return [found]
    return [sys.executable, "-m", "sync.server.cli"]


class CityServer:
    """A ``city-server`` process with its SQLite database in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db_url = f"sqlite:///{folder / 'city.db'}"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **SERVER_ENV, "CITY_DATA_DIR": str(folder)}
        self.proc: subprocess.Popen[bytes] | None = None
        self.passwords: dict[str, str] = {}
        self.accounts: dict[str, dict[str, Any]] = {}

    def cli(self, *args: str, stdin: str | None = None, timeout: float = 60) -> str:
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
        data = json.loads(self.cli("init", "--sample", "baoshan", "--json"))
        for account in data["accounts"]:
            self.accounts[account["username"]] = account
            self.passwords[account["username"]] = account["password"]

    def start(self) -> None:
        log = (self.folder / "server.log").open("ab")
        self.proc = subprocess.Popen(
            [
                *city_server_command(),
                "--db",
                self.db_url,
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=log,
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
        raise RuntimeError(f"city-server did not answer /health: {self.log_tail()}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:  # uvicorn waits for kept-alive connections: do not wait long for it
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None

    def log_tail(self) -> str:
        path = self.folder / "server.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def reports(self) -> list[dict[str, Any]]:
        """Every report the server holds (``city-server reports --json``)."""
        reports: list[dict[str, Any]] = json.loads(self.cli("reports", "--json"))["reports"]
        return reports


@pytest.fixture(scope="session")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CityServer]:
    server = CityServer(tmp_path_factory.mktemp("city"))
    server.init()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def live_city(city: CityServer) -> CityServer:
    """The session's server, started again if a test left it stopped."""
    if city.proc is None or city.proc.poll() is not None:
        city.start()
    return city


@pytest.fixture(autouse=True)
def _token_in_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep tokens in the data folder, never in the developer's real keyring."""
    monkeypatch.setenv("INFORMANT_TOKEN_STORAGE", "file")

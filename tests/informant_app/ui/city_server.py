"""A real city server for the UI tests: ``city-server`` in a subprocess on a free local port.

``init --sample baoshan`` creates the Baoshan accounts (their passwords come back once, in the
JSON); ``serve`` runs until ``stop``.  It can be stopped and started again on the same port
(the "server down" tests).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

#: Cheap password hashing: the tests sign in often.
FAST_HASHING = {"CITY_ARGON2_TIME_COST": "1", "CITY_ARGON2_MEMORY_KIB": "8192"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class CityServer:
    """A city server with the Baoshan sample in ``folder``."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.db_url = f"sqlite:///{folder / 'city.db'}"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, **FAST_HASHING)
        self._process: subprocess.Popen[bytes] | None = None
        self._log = folder / "server.log"
        done = subprocess.run(
            self._command("init", "--sample", "baoshan", "--json"),
            capture_output=True,
            text=True,
            env=self.env,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        self.accounts: dict[str, dict[str, Any]] = {
            a["username"]: a for a in json.loads(done.stdout)["accounts"]
        }

    def _command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "sync.server.cli", "--db", self.db_url, *args]

    def password(self, username: str) -> str:
        return str(self.accounts[username]["password"])

    def start(self, timeout: float = 60.0) -> None:
        """Serve and wait until ``/health`` answers."""
        assert self._process is None
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(
                self._command("serve", "--host", "127.0.0.1", "--port", str(self.port)),
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError("city-server exited:\n" + self._log.read_text())
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=1) as answer:
                    if json.loads(answer.read()).get("status") == "ok":
                        return
            except (OSError, urllib.error.URLError, ValueError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("city-server did not answer:\n" + self._log.read_text())

    def stop(self) -> None:
        """Stop serving (the database stays)."""
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

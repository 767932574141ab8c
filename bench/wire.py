"""Part 2, cost on the wire: bytes per report in both directions, against gzip of the report.

A tiny counting TCP proxy sits between the real sync engine and the city server and counts
every byte (headers included): requests up, answers down.  Push: a device with N queued
reports runs a round; the bytes of its push phase, divided by N.  Pull: a second device of
the same village (wafang_b) pulls the same N reports; the bytes of its pull phase, divided by
N.  The comparison: the mean gzip size (level 6) of each report's canonical compact JSON
(``sync.contract.canonical_json``).  Goal (issue 8): at most 1.3 ×.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
from pathlib import Path
from typing import Any

from bench.figures import Figure, Options
from bench.push_common import device_store, queued_items, timed_phases
from bench.server import CityServer
from informant_app.core.sync.engine import SyncEngine
from sync.contract import ReportContent, canonical_json

GOAL = 1.3


class CountingProxy:
    """Forward TCP connections from a local port to ``target``; count bytes each way."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.up = 0
        self.down = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def counts(self) -> tuple[int, int]:
        """Return (bytes up, bytes down) so far."""
        with self._lock:
            return self.up, self.down

    def _serve(self) -> None:
        while not self._stop:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            for src, dst, up in ((client, upstream, True), (upstream, client, False)):
                threading.Thread(target=self._pump, args=(src, dst, up), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, up: bool) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                with self._lock:
                    if up:
                        self.up += len(data)
                    else:
                        self.down += len(data)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._stop = True
        self._listener.close()


def gzip_size(item: dict[str, Any]) -> int:
    """Return the gzip size (level 6) of the item's canonical compact content JSON."""
    content = ReportContent.from_dict(item["content"])
    return len(gzip.compress(canonical_json(content), compresslevel=6))


def _phase_bytes(marks: list[tuple[Any, Any]]) -> tuple[int, int]:
    up = sum(after[0] - before[0] for before, after in marks)
    down = sum(after[1] - before[1] for before, after in marks)
    return up, down


def measure(workdir: Path, n: int) -> list[Figure]:
    """Push and pull ``n`` reports through the counting proxy; return the two figures."""
    with CityServer(workdir / "wire-server") as city:
        proxy = CountingProxy("127.0.0.1", city.port)
        try:
            store = device_store(workdir / "wire-a", city, "wafang_a", n, seed=3)
            try:
                items = queued_items(store)
                with timed_phases(proxy.counts) as times:
                    summary = SyncEngine(store, server_url=proxy.url).run_round()
                if summary.pushed != n or summary.problem is not None:
                    raise RuntimeError(f"pushed {summary.pushed} of {n}: {summary.problem}")
                push_up, push_down = _phase_bytes(times.marks["push"])
            finally:
                store.close()
            reader = device_store(workdir / "wire-b", city, "wafang_b", 0)
            try:
                with timed_phases(proxy.counts) as times:
                    summary = SyncEngine(reader, server_url=proxy.url).run_round()
                if summary.problem is not None or summary.pulled < n:
                    raise RuntimeError(f"pulled {summary.pulled} of {n}: {summary.problem}")
                pull_up, pull_down = _phase_bytes(times.marks["pull"])
            finally:
                reader.close()
        finally:
            proxy.close()
    gz = sum(gzip_size(i) for i in items) / len(items)
    raw = sum(len(canonical_json(ReportContent.from_dict(i["content"]))) for i in items) / n
    push_total = (push_up + push_down) / n
    pull_total = (pull_up + pull_down) / n
    common = {"reports": n, "gzip_bytes_per_report": gz, "json_bytes_per_report": raw}
    return [
        Figure(
            "wire",
            "push, bytes up + down per report",
            push_total,
            "bytes/report",
            "gzip of the report's compact JSON",
            gz,
            f"≤ {GOAL} × gzip",
            push_total <= GOAL * gz,
            {**common, "up_per_report": push_up / n, "down_per_report": push_down / n},
        ),
        Figure(
            "wire",
            "pull, bytes up + down per report",
            pull_total,
            "bytes/report",
            "gzip of the report's compact JSON",
            gz,
            f"≤ {GOAL} × gzip",
            pull_total <= GOAL * gz,
            {
                **common,
                "up_per_report": pull_up / n,
                "down_per_report": pull_down / n,
                "pulled": summary.pulled,
            },
        ),
    ]


def run(options: Options) -> list[Figure]:
    """Measure bytes per report on the wire (SQLite server: the bytes do not depend on it)."""
    n = 500 if options.quick else 2_000
    return measure(Path(options.workdir), n)

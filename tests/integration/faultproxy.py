"""A small fault-injecting TCP proxy on 127.0.0.1 for the sync tests.

Every exchange on a connection (a request going up, its answer coming down; a kept-alive
connection carries many) gets a plan drawn from a seeded random source: pass through, delay
every chunk, cap the bandwidth, stall once (longer than the client's read timeout), reset the
connection (RST) after some bytes, or truncate the answer after some bytes.  Plain
threads, no dependencies; everything is bounded (stall and delay lengths, socket timeouts).
"""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Faults:
    """The odds of each plan (weights) and their sizes."""

    passthrough: float = 4.0
    delay: float = 2.0
    throttle: float = 1.0
    stall: float = 0.5
    reset: float = 1.5
    truncate: float = 1.0
    delay_seconds: tuple[float, float] = (0.01, 0.15)
    bytes_per_second: int = 64 * 1024
    stall_seconds: float = 2.5
    fault_after_bytes: tuple[int, int] = (0, 3000)


@dataclass
class Plan:
    """What happens to one connection."""

    kind: str
    delay: float = 0.0
    after: int = 0
    upstream_side: bool = False  # reset while the request goes up (else while the answer comes)


@dataclass
class _Conn:
    client: socket.socket
    plan: Plan
    upstream: socket.socket | None = None
    done: threading.Event = field(default_factory=threading.Event)
    answering: bool = False  # the answer of the current exchange has started
    up_seen: int = 0
    down_seen: int = 0
    stalled: bool = False


class FaultProxy:
    """Forward 127.0.0.1:<port> to 127.0.0.1:<upstream_port>, breaking connections by plan."""

    def __init__(self, upstream_port: int, *, seed: int = 0, faults: Faults | None = None) -> None:
        self.upstream_port = upstream_port
        self.faults = faults or Faults()
        self.rng = random.Random(seed)
        self.stats: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._conns: list[_Conn] = []
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            _close(conn.client)
            if conn.upstream is not None:
                _close(conn.upstream)
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _plan(self) -> Plan:
        f = self.faults
        with self._lock:
            kinds = ["pass", "delay", "throttle", "stall", "reset", "truncate"]
            weights = [f.passthrough, f.delay, f.throttle, f.stall, f.reset, f.truncate]
            kind = self.rng.choices(kinds, weights)[0]
            plan = Plan(kind, delay=self.rng.uniform(*f.delay_seconds),
                        after=self.rng.randint(*f.fault_after_bytes),
                        upstream_side=self.rng.random() < 0.3)
            self.stats[kind] += 1
        return plan

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _addr = self._listener.accept()
            except OSError:
                return
            conn = _Conn(client, self._plan())
            with self._lock:
                self._conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: _Conn) -> None:
        try:
            conn.upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
        except OSError:
            _reset(conn.client)
            return
        conn.client.settimeout(30)
        conn.upstream.settimeout(30)
        up = threading.Thread(target=self._pump, args=(conn, conn.client, conn.upstream, True),
                              daemon=True)
        up.start()
        self._pump(conn, conn.upstream, conn.client, False)
        up.join(timeout=35)
        _close(conn.client)
        _close(conn.upstream)
        with self._lock:
            if conn in self._conns:
                self._conns.remove(conn)

    def _pump(self, conn: _Conn, src: socket.socket, dst: socket.socket, upward: bool) -> None:
        while not conn.done.is_set():
            try:
                data = src.recv(16384)
            except OSError:
                break
            if not data:
                with contextlib.suppress(OSError):
                    dst.shutdown(socket.SHUT_WR)
                return
            if upward and conn.answering:  # a new request on a kept-alive connection
                conn.plan, conn.answering = self._plan(), False
                conn.up_seen = conn.down_seen = 0
                conn.stalled = False
            if not upward:
                conn.answering = True
            plan = conn.plan
            seen = conn.up_seen if upward else conn.down_seen
            if plan.kind == "delay":
                time.sleep(plan.delay)
            elif plan.kind == "throttle":
                time.sleep(len(data) / self.faults.bytes_per_second)
            elif plan.kind == "stall" and not upward and not conn.stalled:
                conn.stalled = True
                time.sleep(self.faults.stall_seconds)
            elif plan.kind in ("reset", "truncate") and (
                    upward == (plan.upstream_side and plan.kind == "reset")) and \
                    seen + len(data) > plan.after:
                keep = max(0, plan.after - seen)
                with contextlib.suppress(OSError):
                    dst.sendall(data[:keep])
                conn.done.set()
                end = _reset if plan.kind == "reset" else _close
                end(conn.client)
                if conn.upstream is not None:
                    end(conn.upstream)
                return
            if upward:
                conn.up_seen += len(data)
            else:
                conn.down_seen += len(data)
            try:
                dst.sendall(data)
            except OSError:
                break
        conn.done.set()


def _reset(sock: socket.socket) -> None:
    """Close with RST (SO_LINGER 0), as a dropped link or a middlebox would."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    _close(sock)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.close()

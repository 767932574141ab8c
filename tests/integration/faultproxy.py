"""A small fault-injecting TCP proxy on 127.0.0.1 for the sync tests.

Every exchange on a connection (a request going up, its answer coming down; a kept-alive
connection carries many) gets a plan drawn from a seeded random source:

- ``pass``: through unchanged;
- ``delay``: every chunk waits a little (latency);
- ``throttle``: a bandwidth cap (``bytes_per_second``);
- ``stall``: the answer stops once, longer than the client's read timeout, then goes on;
- ``reset``: the connection is reset (RST) after some bytes, going up or coming down;
- ``truncate``: the answer is cut after some bytes (a clean close, FIN);
- ``half_open``: after some bytes the proxy forwards nothing more in either direction and
  keeps both sockets open, without FIN or RST, as a dead NAT entry or an unplugged cable
  would: only the client's read timeout ends it;
- ``garble``: bytes of the answer are changed: in the status line and headers (``head``), at
  random in the body (``body``, a gzip body fails its check), or a digit of the body turned
  into another digit (``digit``: a plain JSON answer still parses, with a wrong number).

``stats`` counts the plans drawn per kind; ``injected`` counts the faults that really took
effect (a reset planned after 3000 bytes of a 200-byte answer never fires).  ``in_flight()``
lists the requests that went up and have no answer yet.  Plain threads, no dependencies;
everything is bounded (stall and delay lengths, socket timeouts).
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

KINDS = ("pass", "delay", "throttle", "stall", "reset", "truncate", "half_open", "garble")
GARBLE_ZONES = ("head", "body", "digit")
DIGITS = b"0123456789"


@dataclass(frozen=True)
class Faults:
    """The odds of each plan (weights) and their sizes."""

    passthrough: float = 4.0
    delay: float = 2.0
    throttle: float = 1.0
    stall: float = 0.5
    reset: float = 1.5
    truncate: float = 1.0
    half_open: float = 0.0
    garble: float = 0.0
    delay_seconds: tuple[float, float] = (0.01, 0.15)
    bytes_per_second: int = 64 * 1024
    stall_seconds: float = 2.5
    fault_after_bytes: tuple[int, int] = (0, 3000)
    garble_bytes: tuple[int, int] = (1, 3)
    #: A half-open connection is dropped (quietly) after this long at the latest.
    half_open_seconds: float = 30.0


@dataclass
class Plan:
    """What happens to one exchange."""

    kind: str
    delay: float = 0.0
    after: int = 0
    upstream_side: bool = False  # reset/half-open while the request goes up (else the answer)
    zone: str = "body"  # where a garble plan changes bytes
    count: int = 1  # how many bytes a garble plan changes
    rng: random.Random = field(default_factory=random.Random)


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
    frozen: bool = False  # half-open: nothing is forwarded any more
    fired: bool = False  # the plan's fault took effect in this exchange
    head_done: bool = False  # the answer's header block has passed (garble)
    request: str = ""  # the current request line (``POST /api/v1/reports/batch``)


class FaultProxy:
    """Forward 127.0.0.1:<port> to 127.0.0.1:<upstream_port>, breaking connections by plan."""

    def __init__(self, upstream_port: int, *, seed: int = 0, faults: Faults | None = None) -> None:
        self.upstream_port = upstream_port
        self.faults = faults or Faults()
        self.rng = random.Random(seed)
        self.stats: Counter[str] = Counter()
        self.injected: Counter[str] = Counter()
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
            conn.done.set()
            _close(conn.client)
            if conn.upstream is not None:
                _close(conn.upstream)
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def in_flight(self) -> list[str]:
        """Return the request lines that went up and have no answer yet."""
        with self._lock:
            return [
                c.request
                for c in self._conns
                if c.request and not c.answering and not c.done.is_set()
            ]

    def _plan(self) -> Plan:
        f = self.faults
        with self._lock:
            weights = [
                f.passthrough,
                f.delay,
                f.throttle,
                f.stall,
                f.reset,
                f.truncate,
                f.half_open,
                f.garble,
            ]
            kind = self.rng.choices(KINDS, weights)[0]
            plan = Plan(
                kind,
                delay=self.rng.uniform(*f.delay_seconds),
                after=self.rng.randint(*f.fault_after_bytes),
                upstream_side=self.rng.random() < 0.3,
                zone=self.rng.choice(GARBLE_ZONES),
                count=self.rng.randint(*f.garble_bytes),
                rng=random.Random(self.rng.getrandbits(32)),
            )
            self.stats[kind] += 1
        return plan

    def _fired(self, conn: _Conn, name: str) -> None:
        if not conn.fired:
            conn.fired = True
            with self._lock:
                self.injected[name] += 1

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
            with self._lock:
                self._conns.remove(conn)
            return
        timeout = max(30.0, self.faults.half_open_seconds)
        conn.client.settimeout(timeout)
        conn.upstream.settimeout(timeout)
        up = threading.Thread(
            target=self._pump, args=(conn, conn.client, conn.upstream, True), daemon=True
        )
        up.start()
        self._pump(conn, conn.upstream, conn.client, False)
        if not conn.frozen:  # the server is gone (closed, reset, killed): so is the client's link
            conn.done.set()
            _close(conn.client)
        up.join(timeout=timeout + 5)
        _close(conn.client)
        _close(conn.upstream)
        with self._lock:
            if conn in self._conns:
                self._conns.remove(conn)

    def _pump(self, conn: _Conn, src: socket.socket, dst: socket.socket, upward: bool) -> None:
        frozen_at = 0.0
        while not conn.done.is_set():
            try:
                data = src.recv(16384)
            except OSError:
                break
            if conn.frozen:  # half-open: swallow everything, send nothing, close nothing
                if upward and not data:  # the client gave up: now the proxy may end it
                    break
                if not data:  # the server's side ended: keep the client's socket open
                    return
                frozen_at = frozen_at or time.monotonic()
                if time.monotonic() - frozen_at > self.faults.half_open_seconds:
                    break
                continue
            if not data:
                with contextlib.suppress(OSError):
                    dst.shutdown(socket.SHUT_WR)
                return
            if upward and conn.answering:  # a new request on a kept-alive connection
                conn.plan, conn.answering = self._plan(), False
                conn.up_seen = conn.down_seen = 0
                conn.stalled = conn.fired = conn.head_done = False
                conn.request = ""
            if upward and conn.up_seen == 0:
                conn.request = data.split(b"\r\n", 1)[0].decode("latin-1")[:120]
            if not upward:
                conn.answering = True
            plan = conn.plan
            seen = conn.up_seen if upward else conn.down_seen
            if plan.kind == "delay":
                self._fired(conn, "delay")
                time.sleep(plan.delay)
            elif plan.kind == "throttle":
                self._fired(conn, "throttle")
                time.sleep(len(data) / self.faults.bytes_per_second)
            elif plan.kind == "stall" and not upward and not conn.stalled:
                conn.stalled = True
                self._fired(conn, "stall")
                time.sleep(self.faults.stall_seconds)
            elif plan.kind == "garble" and not upward:
                data = self._garble(conn, data)
            elif (
                plan.kind == "half_open"
                and upward == plan.upstream_side
                and seen + len(data) > plan.after
            ):
                keep = max(0, plan.after - seen)
                with contextlib.suppress(OSError):
                    dst.sendall(data[:keep])
                conn.frozen = True
                self._fired(conn, "half_open")
                continue
            elif (
                plan.kind in ("reset", "truncate")
                and (upward == (plan.upstream_side and plan.kind == "reset"))
                and seen + len(data) > plan.after
            ):
                keep = max(0, plan.after - seen)
                with contextlib.suppress(OSError):
                    dst.sendall(data[:keep])
                self._fired(conn, plan.kind)
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

    def _garble(self, conn: _Conn, data: bytes) -> bytes:
        """Change ``plan.count`` bytes of this piece of the answer, once per exchange."""
        plan = conn.plan
        if conn.fired:
            return data
        start, end = 0, len(data)
        if not conn.head_done:
            found = data.find(b"\r\n\r\n")
            if found < 0:
                if plan.zone == "head":
                    end = len(data)
                else:
                    return data  # the body comes in a later piece
            else:
                conn.head_done = True
                if plan.zone == "head":
                    end = found
                else:
                    start = found + 4
        elif plan.zone == "head":
            return data  # the header block has passed without a change: a quiet exchange
        if start >= end:
            return data
        out = bytearray(data)
        rng = plan.rng
        if plan.zone == "digit":
            digits = [i for i in range(start, end) if out[i] in DIGITS]
            if not digits:
                return data  # a gzip body: nothing that looks like a number here
            for i in rng.sample(digits, min(plan.count, len(digits))):
                out[i] = rng.choice([d for d in DIGITS if d != out[i]])
        else:
            for _ in range(plan.count):
                i = rng.randrange(start, end)
                out[i] ^= rng.randint(1, 255)
        self._fired(conn, f"garble_{plan.zone}")
        return bytes(out)


def _reset(sock: socket.socket) -> None:
    """Close with RST (SO_LINGER 0), as a dropped link or a middlebox would."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    _close(sock)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.close()

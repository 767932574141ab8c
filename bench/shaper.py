"""A link-shaping TCP proxy on 127.0.0.1: a weak link between the app and the city server.

Both directions are shaped like one shared link (``Link``): a serialization clock (a token
bucket without burst) caps the bytes per second of everything going that way, across all
connections, and every piece arrives ``rtt / 2`` after it left, so a request and its answer
cost at least one round trip; a new connection first pays one round trip (the handshake).
The link holds at most ``buffer_bytes`` per connection and direction; beyond that the proxy
stops reading, so the sender's socket fills and blocks as it would on a real slow link.
Bytes are counted each way.  With ``reset_every`` every open connection is cut with an RST
(SO_LINGER 0) that often.  Plain threads; every wait is bounded; ``stop()`` ends them all.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

PIECE = 2048  # bytes read at a time (about a packet or two)
POLL = 0.25  # seconds a blocked socket call waits before it checks for the end


class Link:
    """One direction of the link: bandwidth, one-way delay, and the bytes carried."""

    def __init__(self, bytes_per_second: float, delay: float) -> None:
        self.rate = float(bytes_per_second)
        self.delay = delay
        self.carried = 0
        self._free_at = 0.0
        self._lock = threading.Lock()

    def reserve(self, size: int) -> float:
        """Queue ``size`` bytes on the link; return the monotonic time they arrive."""
        with self._lock:
            start = max(time.monotonic(), self._free_at)
            self._free_at = start + size / self.rate
            self.carried += size
            return self._free_at + self.delay


@dataclass(eq=False)
class _Conn:
    client: socket.socket
    upstream: socket.socket | None = None
    dead: threading.Event = field(default_factory=threading.Event)

    def kill(self, rst: bool) -> None:
        self.dead.set()
        for sock in (self.client, self.upstream):
            if sock is None:
                continue
            if rst:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            with contextlib.suppress(OSError):
                sock.close()


class Shaper:
    """Forward 127.0.0.1:<port> to 127.0.0.1:<upstream_port> through a shaped link.

    Args:
        upstream_port: the server's port.
        bytes_per_second: the link's bandwidth, each direction.
        rtt: the round trip in seconds (``rtt / 2`` each way).
        reset_every: cut every open connection with an RST this often (seconds); ``None``
            never.
        buffer_bytes: what the link holds per connection and direction before the sender
            has to wait.

    Attributes:
        up, down: the two directions (``carried`` bytes each).
        resets: how many reset events cut at least one connection.
        connections: how many connections were accepted.
    """

    def __init__(
        self,
        upstream_port: int,
        *,
        bytes_per_second: float,
        rtt: float,
        reset_every: float | None = None,
        buffer_bytes: int = 16 * 1024,
        max_connections: int = 32,
    ) -> None:
        self.upstream_port = upstream_port
        self.rtt = rtt
        self.reset_every = reset_every
        self.up = Link(bytes_per_second, rtt / 2)
        self.down = Link(bytes_per_second, rtt / 2)
        self.resets = 0
        self.connections = 0
        self._slots = max(1, buffer_bytes // PIECE)
        self._limit = threading.BoundedSemaphore(max_connections)
        self._lock = threading.Lock()
        self._conns: set[_Conn] = set()
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # A small receive buffer: the link, not the kernel, decides how much is in flight.
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 * 1024)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(POLL)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"

    # --- life cycle ---------------------------------------------------------------------

    def start(self) -> Shaper:
        """Start accepting (and resetting, with ``reset_every``)."""
        self._spawn(self._accept_loop)
        if self.reset_every:
            self._spawn(self._reset_loop)
        return self

    def stop(self) -> None:
        """Close every connection and wait for the threads (bounded)."""
        self._stopping.set()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            conn.kill(rst=False)
        deadline = time.monotonic() + 10
        for thread in list(self._threads):
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        with contextlib.suppress(OSError):
            self._listener.close()

    def __enter__(self) -> Shaper:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def reset_all(self) -> int:
        """Cut every open connection with an RST now; return how many."""
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            conn.kill(rst=True)
        if conns:
            with self._lock:
                self.resets += 1
        return len(conns)

    # --- threads ------------------------------------------------------------------------

    def _spawn(self, target: Callable[..., object], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()

    def _reset_loop(self) -> None:
        assert self.reset_every
        while not self._stopping.wait(self.reset_every):
            self.reset_all()

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _addr = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if not self._limit.acquire(timeout=5):
                _abort(client)
                continue
            conn = _Conn(client)
            with self._lock:
                self._conns.add(conn)
                self.connections += 1
            self._spawn(self._serve, conn)

    def _serve(self, conn: _Conn) -> None:
        try:
            try:
                conn.upstream = socket.create_connection(
                    ("127.0.0.1", self.upstream_port), timeout=5
                )
            except OSError:
                conn.kill(rst=True)
                return
            conn.client.settimeout(POLL)
            conn.upstream.settimeout(POLL)
            if conn.dead.wait(self.rtt):  # the handshake's round trip
                return
            ups: queue.Queue[tuple[float, bytes]] = queue.Queue(self._slots)
            downs: queue.Queue[tuple[float, bytes]] = queue.Queue(self._slots)
            workers = [
                threading.Thread(target=self._read, args=(conn, conn.client, self.up, ups)),
                threading.Thread(target=self._write, args=(conn, conn.upstream, ups)),
                threading.Thread(target=self._read, args=(conn, conn.upstream, self.down, downs)),
            ]
            for w in workers:
                w.daemon = True
                w.start()
            self._write(conn, conn.client, downs)
            for w in workers:
                w.join(timeout=POLL * 4 + self.rtt)
        finally:
            conn.kill(rst=False)
            with self._lock:
                self._conns.discard(conn)
            self._limit.release()

    def _read(
        self, conn: _Conn, src: socket.socket, link: Link, out: queue.Queue[tuple[float, bytes]]
    ) -> None:
        """Read from ``src`` as the link allows; queue each piece with its arrival time."""
        while not conn.dead.is_set():
            try:
                data = src.recv(PIECE)
            except TimeoutError:
                continue
            except OSError:
                break
            item = (link.reserve(len(data)) if data else time.monotonic() + link.delay, data)
            while not conn.dead.is_set():
                try:
                    out.put(item, timeout=POLL)
                    break
                except queue.Full:
                    continue
            if not data:
                return
            # Wait until the piece has left (the link's pace), so the sender feels it.
            wait = item[0] - link.delay - time.monotonic()
            if wait > 0 and conn.dead.wait(wait):
                return
        conn.dead.set()

    def _write(
        self, conn: _Conn, dst: socket.socket, pieces: queue.Queue[tuple[float, bytes]]
    ) -> None:
        """Deliver each piece at its arrival time; an empty piece passes the end on."""
        while not conn.dead.is_set():
            try:
                arrive, data = pieces.get(timeout=POLL)
            except queue.Empty:
                continue
            wait = arrive - time.monotonic()
            if wait > 0 and conn.dead.wait(wait):
                return
            if not data:
                with contextlib.suppress(OSError):
                    dst.shutdown(socket.SHUT_WR)
                return
            try:
                dst.sendall(data)
            except OSError:
                break
        conn.dead.set()


def _abort(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()

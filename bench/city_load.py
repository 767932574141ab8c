"""Issue 19, point 4: the whole city at once, with Locust, on PostgreSQL with 4 workers.

**Population: the register.**  A fresh PostgreSQL database, ``city-server init --sample
baoshan`` and ``city-server register import`` of the example register, as the demo does:
1,434 people on the posts of 957 villages, 76 townships, the counties and the city.  Device
*i* is the *i*-th account of a fixed shuffle (so any prefix is a mix of the roles as in the
register); devices beyond the accounts are second devices of the same accounts with their own
device ids.  Every device gets its token once per run, through the server's own
``services.auth.issue_token`` (what a password sign-in and a set-up code both end in), all in
one transaction: a bench-only shortcut, since 3,000 sign-ins would measure Argon2, and a set-up
code would sign the account's other device out.

**Load.**  ``bench/locustfile.py``: one Locust user per device, the app's round through the
app's ``SyncClient`` (``POST /reports/batch`` when a report is queued, ``GET /me`` when no
answer is held or the push's account revision changed or nothing was pushed, ``GET /changes``
from the device's cursor: two requests a round, as the app's engine), the app's calm interval
between rounds and its ``retry_delay`` after a failed one.  Locust runs headless in
``PROCESSES`` forked processes (``--processes``), apart from this process (which never imports
Locust: gevent patches the standard library).  Each device's cursor is kept from one Locust
run to the next.

* **Steady**, at each point of the curve (250 / 500 / 1,500 / 3,000 devices): requests/s,
  p50/p99 per request kind, errors (goal 0, p99 < 2 s).  ``CALM_S`` (the app's 60 s) between
  rounds; each device's first round within the first ``CALM_S``; ``STEADY_S`` in all.
* **Outage** (``OUTAGE_DEVICES``): the devices run, the server stops for ``OUTAGE_S``, every
  device backs off as the app does (jitter on); the server starts again.  From the moment
  ``/health`` answers: the time until every device has finished a good round (goal ≤ 60 s),
  errors of requests sent after it (goal 0), the peak request rate (1 s bins).
* **Server CPU per request kind**: short phases of one kind at a fixed concurrency
  (``CPU_THREADS`` threads of this process, ``CPU_PHASE_S`` each).  The CPU is the sum of
  ``utime + stime`` (``/proc/PID/stat``) of every process of the server's process group (the
  uvicorn master and its workers) and of the PostgreSQL backends connected to the bench's
  database (``pg_stat_activity``), before and after, less the same sum over an idle phase of
  the same length.  PostgreSQL's shared background processes (WAL writer, checkpointer) are
  not counted: other databases share them.
* **Province projection** (``project_province``): from the CPU per kind and the measured
  per-device request rate.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.figures import Figure, Options
from bench.local_store import build_store
from bench.server import ROOT, CityServer, fresh_postgres_database
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sending import pending_versions
from informant_app.demo.setup import SAMPLE_HISTORY, SAMPLE_REGISTER
from sync.client.api import ClientError, SyncClient, Timeouts

PART = "city"
#: The bench's database, one per process: a test and a bench may run at once.
DATABASE = f"bench_city_{os.getpid()}"
WORKERS = 4
PROCESSES = 2
CURVE = (250, 500, 1500, 3000)
QUICK_CURVE = (60,)
#: The app's wait between good rounds (``informant_app.ui.sync.controller.CALM_INTERVAL``).
CALM_S = 60.0
#: Quick runs compress the app's time: calm interval and backoff × QUICK_CALM_S / CALM_S.
QUICK_CALM_S = 4.0
#: A steady run: every device's first round within the first ``CALM_S``, then calm rounds.
STEADY_S = 75.0
QUICK_STEADY_S = 6.0
#: How often a village informant's round carries a new report.
REPORT_CHANCE = 0.2
#: The outage with the whole city (the last is the figure with the goal), and a smaller one.
OUTAGE_DEVICES = (500, 1500)
QUICK_OUTAGE_DEVICES = (60,)
#: Seconds of sync before the outage, the outage, and the most to wait for the return.
WARM_S, OUTAGE_S, RETURN_LIMIT_S = 20.0, 60.0, 100.0
QUICK_WARM_S, QUICK_OUTAGE_S, QUICK_RETURN_LIMIT_S = 2.0, 3.0, 20.0
P99_GOAL_MS = 2000.0
RETURN_GOAL_S = 60.0
CPU_THREADS = 4
CPU_PHASE_S = 5.0
QUICK_CPU_PHASE_S = 0.75
BIN_S = 1.0
#: The province (Yunnan) of the projection.
PROVINCE_VILLAGES = 14_888
PROVINCE_INFORMANTS = 30_000
#: The share of the cores the steady load may use (the rest: the returning herd, reviews).
TARGET_UTILISATION = 0.5
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- the population --------------------------------------------------------------------------


def templates(folder: Path) -> list[dict[str, Any]]:
    """Return valid initial reports' contents, as the app's import queues them."""
    build_store(folder, 300)
    found: list[dict[str, Any]] = []
    with ReportStore.open(folder) as store, store.write_session() as s:
        for pending in pending_versions(s, 0, 300, 10**9):
            content = pending.item["content"]
            if content["stage"] == "initial":
                found.append(content)
    return found


def accounts(db_url: str) -> list[dict[str, Any]]:
    """Return every account holding a post: username, level and village (a fixed shuffle)."""
    from sqlalchemy import select

    from sync.server.db import Database
    from sync.server.models import Assignment, Post, User

    db = Database(db_url)
    try:
        with db.read_session() as s:
            rows = s.execute(
                select(User.username, Post.level, Post.division_code)
                .join(Assignment, Assignment.user_id == User.id)
                .join(Post, Post.id == Assignment.post_id)
                .where(Assignment.valid_to.is_(None), User.disabled_at.is_(None))
                .order_by(User.username, Post.division_code)
            ).all()
    finally:
        db.dispose()
    seen: dict[str, dict[str, Any]] = {}
    for username, level, code in rows:
        seen.setdefault(
            username,
            {
                "username": username,
                "level": level,
                "division": code,
                "village": code if level == "village" else None,
            },
        )
    people = list(seen.values())
    random.Random(19).shuffle(people)
    return people


def issue_tokens(db_url: str, people: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """Give ``n`` devices a token each (second devices beyond the accounts), in one transaction.

    Through the server's own ``issue_token`` (device row, token row, hash), as a sign-in does.
    """
    from sqlalchemy import select

    from sync.server.db import Database, utc_now
    from sync.server.models import User
    from sync.server.services.auth import issue_token
    from sync.server.settings import Settings

    settings = Settings(database_url=db_url)
    db = Database(settings.url)
    devices: list[dict[str, Any]] = []
    try:
        with db.writing() as s:
            wanted = {p["username"] for p in people[:n]}
            users = {
                u.username: u for u in s.scalars(select(User).where(User.username.in_(wanted)))
            }
            now = utc_now()
            for i in range(n):
                person = people[i % len(people)]
                device_id = str(uuid.UUID(int=random.Random(i).getrandbits(128), version=4))
                signed = issue_token(s, settings, users[person["username"]], device_id, "", now)
                devices.append({**person, "device_id": device_id, "token": signed.token})
    finally:
        db.dispose()
    return devices


@dataclass
class Population:
    """The running server and its devices."""

    server: CityServer
    devices: list[dict[str, Any]]
    templates: list[dict[str, Any]]
    accounts: int
    villages: int
    townships: int
    setup_s: float
    db_bytes_register: int
    cursors: dict[int, str] = field(default_factory=dict)


def database_bytes() -> int:
    """Return the bench database's size (``pg_database_size``)."""
    import psycopg

    from bench.server import POSTGRES_ADMIN_URL

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        row = conn.execute("SELECT pg_database_size(%s)", (DATABASE,)).fetchone()
    return int(row[0]) if row else 0


def prepare(workdir: Path, n: int) -> Population:
    """A fresh database with the register, the server started, ``n`` devices with tokens."""
    start = time.monotonic()
    db_url = fresh_postgres_database(DATABASE)
    server = CityServer(workdir / "server", db_url, workers=WORKERS)
    server.init()
    server.cli("register", "import", str(SAMPLE_REGISTER))
    size = database_bytes()
    # The server starts (seconds: 4 workers import the app) while the devices are prepared.
    starting = threading.Thread(target=server.start)
    starting.start()
    try:
        people = accounts(db_url)
        devices = issue_tokens(db_url, people, n)
        contents = templates(workdir / "template-store")
    finally:
        starting.join()
    if not server.running:
        raise RuntimeError(f"city-server did not start: {server.log_tail()}")
    return Population(
        server=server,
        devices=devices,
        templates=contents,
        accounts=len(people),
        villages=len({p["village"] for p in people if p["village"]}),
        townships=len({p["division"] for p in people if p["level"] == "township"}),
        setup_s=time.monotonic() - start,
        db_bytes_register=size,
    )


# --- running Locust ----------------------------------------------------------------------------


@dataclass
class Logs:
    """What the Locust processes logged: requests and rounds."""

    #: (kind, wall-clock start, seconds, error or "", device index)
    requests: list[tuple[str, float, float, str, int]] = field(default_factory=list)
    #: (device index, wall-clock end, ok, refused items, cursor)
    rounds: list[tuple[int, float, bool, int, str]] = field(default_factory=list)


def read_logs(folder: Path) -> Logs:
    """Parse every process's log in ``folder`` (a line cut short at the end is skipped)."""
    logs = Logs()
    for path in sorted(folder.glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            with contextlib.suppress(ValueError, IndexError):
                if parts[0] == "R" and len(parts) == 6:
                    logs.requests.append(
                        (parts[1], float(parts[2]), float(parts[3]), parts[4], int(parts[5]))
                    )
                elif parts[0] == "S" and len(parts) == 6:
                    logs.rounds.append(
                        (int(parts[1]), float(parts[2]), parts[3] == "1", int(parts[4]), parts[5])
                    )
    return logs


class LocustRun:
    """One headless Locust run of ``users`` devices, in its own process group."""

    def __init__(
        self,
        pop: Population,
        folder: Path,
        users: int,
        seconds: float,
        calm_s: float,
        spread_s: float,
        seed: int = 0,
    ) -> None:
        self.folder = folder
        self.log_dir = folder / "log"
        self.log_dir.mkdir(parents=True, exist_ok=True)
        devices = [{**d, "cursor": pop.cursors.get(i)} for i, d in enumerate(pop.devices[:users])]
        spec = {
            "url": pop.server.url,
            "devices": devices,
            "templates": pop.templates,
            "processes": PROCESSES,
            "calm_s": calm_s,
            "time_scale": calm_s / CALM_S,
            "first_spread_s": spread_s,
            "report_chance": REPORT_CHANCE,
            "log_dir": str(self.log_dir),
            "seed": seed,
        }
        spec_path = folder / "spec.json"
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        env = {**os.environ, "CITY_LOAD_SPEC": str(spec_path), "PYTHONPATH": str(ROOT)}
        command = [
            str(Path(sys.executable).parent / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--processes",
            str(PROCESSES),
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{math.ceil(seconds)}s",
            "--stop-timeout",
            "20",
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--csv",
            str(folder / "locust"),
        ]
        self.users = users
        self.ticks: dict[int, int] = {}
        self.started = time.time()
        with (folder / "locust.log").open("ab") as out:
            self.proc = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
            )

    def wait(self, timeout: float) -> None:
        """Wait for the run to end by itself (its CPU sampled); stop it after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self.sample_cpu()
            time.sleep(0.5)
        self.stop()

    def sample_cpu(self) -> None:
        """Note the CPU ticks so far of every process of Locust's process group."""
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                with contextlib.suppress(OSError, ValueError, IndexError):
                    pgrp, ticks = _ticks(int(entry.name))
                    if pgrp == self.proc.pid:
                        self.ticks[int(entry.name)] = ticks

    @property
    def cpu_s(self) -> float:
        """CPU seconds of Locust's processes (as last sampled)."""
        return sum(self.ticks.values()) / CLK_TCK

    def stop(self) -> None:
        """Ask Locust to quit (SIGTERM to its master), then end its process group."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)

    def logs(self) -> Logs:
        return read_logs(self.log_dir)

    def tail(self) -> str:
        path = self.folder / "locust.log"
        return path.read_text(errors="replace")[-1500:] if path.exists() else ""


def keep_cursors(pop: Population, logs: Logs) -> None:
    """Keep each device's cursor of its last good round for the next run."""
    for index, _end, ok, _refused, cursor in sorted(logs.rounds, key=lambda r: r[1]):
        if ok and cursor:
            pop.cursors[index] = cursor


def percentile(values: list[float], q: float) -> float:
    """Return the ``q`` quantile (nearest rank) of ``values``; 0 when empty."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def load_average() -> float:
    """Return the 1-minute load average."""
    return float(Path("/proc/loadavg").read_text().split()[0])


# --- steady sync -------------------------------------------------------------------------------


def steady(pop: Population, folder: Path, users: int, quick: bool) -> dict[str, Any]:
    """One point of the curve: ``users`` devices syncing calmly; return its figures."""
    seconds = QUICK_STEADY_S if quick else STEADY_S
    calm = QUICK_CALM_S if quick else CALM_S
    load_before = load_average()
    run = LocustRun(pop, folder, users, seconds, calm, calm, seed=users)
    run.wait(seconds + 60)
    wall = time.time() - run.started
    client_cpu = run.cpu_s  # start-up included
    settled = settle(pop.server)
    logs = run.logs()
    if not logs.requests:
        raise RuntimeError(f"Locust logged no request: {run.tail()}")
    keep_cursors(pop, logs)
    first = min(r[1] for r in logs.requests)
    last = max(r[1] for r in logs.requests)
    span = max(last - first, 1e-9)
    kinds: dict[str, list[float]] = defaultdict(list)
    for kind, _start, seconds_taken, _error, _i in logs.requests:
        kinds[kind].append(seconds_taken)
    errors = [r[3] for r in logs.requests if r[3]]
    refused = sum(r[3] for r in logs.rounds)
    per_kind = {
        kind: {
            "count": len(values),
            "per_s": round(len(values) / span, 2),
            "per_device_per_s": len(values) / span / users,
            "p50_ms": round(statistics.median(values) * 1000, 1),
            "p99_ms": round(percentile(values, 0.99) * 1000, 1),
        }
        for kind, values in sorted(kinds.items())
    }
    latencies = [r[2] for r in logs.requests]
    return {
        "devices": users,
        "requests": len(logs.requests),
        "requests_per_s": len(logs.requests) / span,
        "rounds": sum(1 for r in logs.rounds if r[2]),
        "devices_synced": len({r[0] for r in logs.rounds if r[2]}),
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "errors": len(errors) + refused,
        "error_kinds": sorted(set(errors))[:5] + (["refused items"] if refused else []),
        "per_kind": per_kind,
        "span_s": round(span, 1),
        "wall_s": round(wall, 1),
        "calm_s": calm,
        "locust_cpu_ms_per_request": round(client_cpu / len(logs.requests) * 1000, 2),
        "settle_s": settled,
        "load_average": [load_before, load_average()],
    }


# --- the outage --------------------------------------------------------------------------------


def outage(pop: Population, folder: Path, users: int, quick: bool) -> dict[str, Any]:
    """Stop the server while ``users`` devices sync, start it again; return the figures."""
    warm, down, limit = (
        (QUICK_WARM_S, QUICK_OUTAGE_S, QUICK_RETURN_LIMIT_S)
        if quick
        else (WARM_S, OUTAGE_S, RETURN_LIMIT_S)
    )
    calm = QUICK_CALM_S if quick else CALM_S
    load_before = load_average()
    # The devices are in their calm rhythm (first rounds spread over the calm interval).
    run = LocustRun(pop, folder, users, warm + down + limit + 60, calm, calm, seed=users + 1)
    try:
        time.sleep(warm)
        pop.server.stop(signal.SIGKILL)  # a power cut: the whole process group
        stopped = time.time()
        time.sleep(down)
        # A round that went through once the server was starting again is a sync after the
        # outage, even one that ended before /health answered the bench's own probe (its
        # next round is a calm minute later).  The times are counted from /health's answer.
        restarting = time.time()
        pop.server.start()
        back = time.time()
        synced: dict[int, float] = {}
        while time.time() < back + limit:
            time.sleep(1.0)
            for index, end, ok, _refused, _cursor in run.logs().rounds:
                if ok and end >= restarting and index not in synced:
                    synced[index] = max(end, back)
            if len(synced) >= users:
                break
    finally:
        run.stop()
    settled = settle(pop.server)
    logs = run.logs()
    keep_cursors(pop, logs)
    synced = {}
    for index, end, ok, _refused, _cursor in sorted(logs.rounds, key=lambda r: r[1]):
        if ok and end >= restarting:
            synced.setdefault(index, max(end, back))
    after = [r for r in logs.requests if r[1] >= back]
    # A busy answer (503 busy at once, with a Retry-After the device follows) is the server
    # spreading the return, not a failure: counted apart; everything else failed is an error.
    busy = [r for r in after if r[3].endswith(":busy")]
    errors = [r[3] for r in after if r[3] and not r[3].endswith(":busy")]
    refused = sum(r[3] for r in logs.rounds)
    bins: dict[int, int] = defaultdict(int)
    for r in after:
        bins[int((r[1] - back) / BIN_S)] += 1
    return {
        "devices": users,
        "outage_s": round(back - stopped, 1),
        "devices_synced": len(synced),
        # Not all back within the limit: the limit (and ``not_synced`` says how many).
        "all_synced_s": (max(synced.values()) - back) if len(synced) >= users else limit,
        "not_synced": users - len(synced),
        "median_synced_s": statistics.median(synced.values()) - back if synced else limit,
        "errors_after_return": len(errors) + refused,
        "error_kinds": sorted(set(errors))[:5] + (["refused items"] if refused else []),
        "busy_after_return": len(busy),
        "devices_told_busy": len({r[4] for r in busy}),
        "failed_during_outage": sum(1 for r in logs.requests if r[1] < back and r[3]),
        "requests_after_return": len(after),
        "peak_rate": max(bins.values(), default=0) / BIN_S,
        "p99_ms_after": percentile([r[2] for r in after], 0.99) * 1000,
        "settle_s": settled,
        "load_average": [load_before, load_average()],
    }


# --- server CPU per request kind ---------------------------------------------------------------


def _ticks(pid: int) -> tuple[int, int]:
    """Return (process group, utime + stime in clock ticks) of ``pid``."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[2]), int(fields[11]) + int(fields[12])


def settle(server: CityServer, limit: float = 90.0) -> float:
    """Wait until the server is idle again (a load leaves queued requests); return the wait.

    Idle: the server's processes and the database's backends use under 0.1 s of CPU in 1 s.
    """
    start = time.monotonic()
    while time.monotonic() < start + limit:
        before = sum(cpu_seconds(server))
        time.sleep(1.0)
        if sum(cpu_seconds(server)) - before < 0.1:
            break
    return round(time.monotonic() - start, 1)


def cpu_seconds(server: CityServer) -> tuple[float, float]:
    """Return the CPU seconds so far of the server's processes and of the database's backends."""
    import psycopg

    from bench.server import POSTGRES_ADMIN_URL

    assert server.proc is not None
    group = server.proc.pid
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        backends = {
            int(row[0])
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", (DATABASE,)
            )
        }
    own = theirs = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            pgrp, ticks = _ticks(pid)
        except (OSError, ValueError, IndexError):
            continue
        if pgrp == group:
            own += ticks
        elif pid in backends:
            theirs += ticks
    return own / CLK_TCK, theirs / CLK_TCK


def cpu_phase(
    server: CityServer, seconds: float, request: Any, threads: int = CPU_THREADS
) -> dict[str, float]:
    """Run ``request(client_index)`` from ``threads`` threads for ``seconds``; return its CPU."""
    count = [0]
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    before = cpu_seconds(server)

    def work(k: int) -> None:
        while time.monotonic() < stop:
            try:
                request(k)
            except ClientError:
                with lock:
                    errors[0] += 1
                continue
            with lock:
                count[0] += 1

    began = time.monotonic()
    pool = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.monotonic() - began
    after = cpu_seconds(server)
    return {
        "requests": count[0],
        "errors": errors[0],
        "wall_s": wall,
        "server_cpu_s": after[0] - before[0],
        "postgres_cpu_s": after[1] - before[1],
    }


def cpu_per_kind(pop: Population, quick: bool) -> dict[str, Any]:
    """Measure the server CPU per request of each kind (phases of one kind, less idle)."""
    seconds = QUICK_CPU_PHASE_S if quick else CPU_PHASE_S
    by_level: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(pop.devices):
        if i < len(pop.devices) and len(by_level[d["level"]]) < CPU_THREADS:
            by_level[d["level"]].append(i)
    clients: dict[int, SyncClient] = {}

    def client(i: int) -> SyncClient:
        if i not in clients:
            d = pop.devices[i]
            clients[i] = SyncClient(
                pop.server.url,
                device_id=d["device_id"],
                token=d["token"],
                timeouts=Timeouts(5.0, 10.0),
                retries=0,
            )
        return clients[i]

    cursors: dict[int, str | None] = {}

    def at_head(i: int) -> None:
        cursors[i] = pop.cursors.get(i)
        for _ in range(5):  # a request may time out while the server drains a past load
            try:
                page = client(i).changes(cursors[i], limit=1000)
            except ClientError:
                time.sleep(1.0)
                continue
            cursors[i] = page.cursor
            if not page.has_more:
                return

    villages, townships = by_level["village"], by_level["township"]
    rng = random.Random(5)

    def push(k: int) -> None:
        i = villages[k % len(villages)]
        content = dict(pop.templates[rng.randrange(len(pop.templates))])
        content.update(report_uuid=str(uuid.uuid4()), village_code=pop.devices[i]["village"])
        item = {
            "version_uuid": str(uuid.uuid4()),
            "parent_version_uuid": None,
            "version_no": 1,
            "content": content,
        }
        client(i).push_batch([item], datetime.now(UTC))

    def changes(ids: list[int]) -> Any:
        def call(k: int) -> None:
            i = ids[k % len(ids)]
            page = client(i).changes(cursors[i], limit=1000)
            cursors[i] = page.cursor

        return call

    for i in villages + townships:
        at_head(i)
    # The server's pool warm, then an idle phase: what the server spends doing nothing.
    cpu_phase(pop.server, seconds / 2, lambda k: client(villages[k % len(villages)]).me())
    idle_before = cpu_seconds(pop.server)
    time.sleep(seconds)
    idle_after = cpu_seconds(pop.server)
    idle = (idle_after[0] - idle_before[0] + idle_after[1] - idle_before[1]) / seconds
    phases = {
        "GET /me": lambda k: client(villages[k % len(villages)]).me(),
        "POST /reports/batch": push,  # one new report each
        # From the head of the feed: what was pushed since, or nothing new.
        "GET /changes (township)": changes(townships),
        "GET /changes (village)": changes(villages),
    }
    out: dict[str, Any] = {}
    for kind, request in phases.items():
        m = cpu_phase(pop.server, seconds, request)
        total = m["server_cpu_s"] + m["postgres_cpu_s"] - idle * m["wall_s"]
        n = max(m["requests"], 1)
        out[kind] = {
            "cpu_ms": round(max(total, 0.0) / n * 1000, 3),
            "server_cpu_ms": round(m["server_cpu_s"] / n * 1000, 3),
            "postgres_cpu_ms": round(m["postgres_cpu_s"] / n * 1000, 3),
            "requests": m["requests"],
            "errors": m["errors"],
            "rate_per_s": round(m["requests"] / m["wall_s"], 1),
        }
    for c in clients.values():
        c.close()
    out["idle_cpu_s_per_s"] = round(idle, 4)
    return out


# --- the province projection -------------------------------------------------------------------


def history_versions_per_village_year() -> float:
    """Report versions a village files in a year: Baoshan's 2021 history (the sample)."""
    data = json.loads(SAMPLE_HISTORY.read_text(encoding="utf-8"))
    villages = {v["content"]["village_code"] for v in data["versions"]}
    return len(data["versions"]) / max(len(villages), 1)


def project_province(figures: list[Figure]) -> list[Figure]:
    """Project the server for a province (Yunnan) from this run's city figures.

    Computed from the figures' details, nothing else measured:

    * the **per-device request rate of each kind** from the largest steady point with no
      errors (requests of the kind per device per second, as measured: the app's 60 s calm
      interval and the reports the devices filed); ``GET /changes`` of county and city
      accounts is counted at the township's CPU (the lower bound: they are 14 of 1,434);
    * the **server CPU per request of each kind** (server processes plus PostgreSQL
      backends, idle subtracted);
    * the province has ``PROVINCE_INFORMANTS`` devices with the city's mix of roles (one
      device per account);
    * the cores: the steady CPU per second times the measured peak of the return after an
      outage over the steady request rate (at least 1), at ``TARGET_UTILISATION``;
    * PostgreSQL's size: the city's database after the register import, scaled by accounts,
      plus a year of report versions (the sample's 2021 history: versions per village per
      year) times ``PROVINCE_VILLAGES``, at the bytes per version the run measured
      (database growth over the versions it stored).
    """
    steady_points = [
        f
        for f in figures
        if f.part == PART and f.name.startswith("steady sync") and "per_kind" in f.details
    ]
    cpu = next((f for f in figures if f.part == PART and "cpu_per_kind" in f.details), None)
    if not steady_points or cpu is None:
        return []
    good = [f for f in steady_points if f.details.get("errors") == 0] or steady_points
    point = max(good, key=lambda f: int(f.details["devices"]))
    per_kind_cpu: dict[str, Any] = cpu.details["cpu_per_kind"]
    township_ms = float(per_kind_cpu["GET /changes (township)"]["cpu_ms"])
    cpu_per_device = 0.0  # CPU seconds per device per second
    used: dict[str, float] = {}
    for kind, row in point.details["per_kind"].items():
        known = per_kind_cpu.get(kind)
        ms = float(known["cpu_ms"]) if isinstance(known, dict) else township_ms
        cpu_per_device += float(row["per_device_per_s"]) * ms / 1000
        used[kind] = ms
    returns = [f for f in figures if f.part == PART and "peak_rate" in f.details]
    outage = max(returns, key=lambda f: int(f.details["devices"]), default=None)
    peak = 1.0
    if outage is not None:
        steady_rate = float(outage.details.get("steady_requests_per_s") or 0)
        if steady_rate > 0:
            peak = max(1.0, float(outage.details["peak_rate"]) / steady_rate)
    steady_cpu = cpu_per_device * PROVINCE_INFORMANTS
    cores = steady_cpu * peak / TARGET_UTILISATION
    size = next((f for f in figures if f.part == PART and "bytes_per_version" in f.details), None)
    out = [
        Figure(
            PART,
            f"province projection: server CPU, steady, {PROVINCE_INFORMANTS:,} devices",
            steady_cpu,
            "cores",
            details={
                "from_devices": point.details["devices"],
                "cpu_ms_used": used,
                "cpu_s_per_device_per_s": cpu_per_device,
            },
        ),
        Figure(
            PART,
            "province projection: cores needed (peak after an outage, 50 % busy)",
            math.ceil(cores),
            "cores",
            details={"peak_over_steady": round(peak, 2), "target_utilisation": TARGET_UTILISATION},
        ),
    ]
    if size is not None:
        per_account = float(size.details["register_bytes"]) / float(size.details["accounts"])
        per_version = float(size.details["bytes_per_version"])
        versions = history_versions_per_village_year() * PROVINCE_VILLAGES
        total = per_account * PROVINCE_INFORMANTS + versions * per_version
        out.append(
            Figure(
                PART,
                "province projection: PostgreSQL size after a year",
                total / 2**20,
                "MiB",
                details={
                    "bytes_per_account": round(per_account),
                    "bytes_per_version": round(per_version),
                    "versions_per_year": round(versions),
                    "villages": PROVINCE_VILLAGES,
                },
            )
        )
    return out


# --- the figures -------------------------------------------------------------------------------


def measure(workdir: Path, quick: bool) -> dict[str, Any]:
    """Run everything on one population; return the raw numbers."""
    curve = QUICK_CURVE if quick else CURVE
    outages = QUICK_OUTAGE_DEVICES if quick else OUTAGE_DEVICES
    pop = prepare(workdir, max(*curve, *outages))
    try:
        points = [steady(pop, workdir / f"steady-{n}", n, quick) for n in sorted(curve)]
        backs = []
        for n in outages:
            back = outage(pop, workdir / f"outage-{n}", n, quick)
            near = min(points, key=lambda p: abs(p["devices"] - n))
            back["steady_requests_per_s"] = near["requests_per_s"] * n / near["devices"]
            backs.append(back)
        grown, versions = database_bytes(), stored_versions()
        cpu = cpu_per_kind(pop, quick)
        return {
            "population": {
                "accounts": pop.accounts,
                "villages": pop.villages,
                "townships": pop.townships,
                "devices": len(pop.devices),
                "setup_s": round(pop.setup_s, 1),
            },
            "points": points,
            "outages": backs,
            "cpu": cpu,
            "db": {"register_bytes": pop.db_bytes_register, "after_bytes": grown},
            "versions": versions,
        }
    finally:
        pop.server.stop()
        drop_database()


def drop_database() -> None:
    """Drop the bench's database."""
    import psycopg

    from bench.server import POSTGRES_ADMIN_URL

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def stored_versions(db_url_name: str = DATABASE) -> int:
    """Return the report versions stored in the bench database."""
    import psycopg

    from bench.server import POSTGRES_ADMIN_URL

    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + db_url_name
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM report_versions").fetchone()
    return int(row[0]) if row else 0


def run(options: Options) -> list[Figure]:
    """Measure point 4; return its figures (none without PostgreSQL)."""
    if not options.postgres:
        return []
    m = measure(Path(options.workdir), options.quick)
    figures: list[Figure] = []
    for p in m["points"]:
        where = f"{p['devices']:,} devices, PostgreSQL, {WORKERS} workers"
        figures.append(
            Figure(
                PART,
                f"steady sync, {where}",
                p["requests_per_s"],
                "requests/s",
                details={k: v for k, v in p.items() if k != "requests_per_s"},
            )
        )
        figures.append(
            Figure(
                PART,
                f"steady p99, {where}",
                p["p99_ms"],
                "ms",
                "p50",
                p["p50_ms"],
                f"< {P99_GOAL_MS:,.0f} ms",
                p["p99_ms"] < P99_GOAL_MS,
            )
        )
        figures.append(
            Figure(
                PART,
                f"steady errors, {where}",
                p["errors"],
                "errors",
                goal="0",
                met=p["errors"] == 0,
                details={"kinds": p["error_kinds"]},
            )
        )
    for o in m["outages"]:
        where = f"{o['devices']:,} devices, {o['outage_s']:.0f} s outage, jitter on"
        figures.append(
            Figure(
                PART,
                f"all devices synced again after /health answers, {where}",
                o["all_synced_s"],
                "s",
                "median device",
                o["median_synced_s"],
                f"≤ {RETURN_GOAL_S:.0f} s",
                o["not_synced"] == 0 and o["all_synced_s"] <= RETURN_GOAL_S,
                details={k: v for k, v in o.items() if k not in ("all_synced_s",)},
            )
        )
        figures.append(
            Figure(
                PART,
                f"errors after the return, {where}",
                o["errors_after_return"],
                "errors",
                goal="0",
                met=o["errors_after_return"] == 0,
                details={
                    "kinds": o["error_kinds"],
                    "failed_during_outage": o["failed_during_outage"],
                },
            )
        )
        figures.append(
            Figure(
                PART,
                f"busy answers after the return (503 at once, Retry-After followed), {where}",
                o["busy_after_return"],
                "answers",
                "devices told busy",
                o["devices_told_busy"],
                details={"requests_after_return": o["requests_after_return"]},
            )
        )
    cpu = m["cpu"]
    kinds = {k: v for k, v in cpu.items() if isinstance(v, dict)}
    figures.append(
        Figure(
            PART,
            "server CPU per request, GET /me (server + PostgreSQL backends)",
            kinds["GET /me"]["cpu_ms"],
            "ms",
            details={
                "cpu_per_kind": kinds,
                "idle_cpu_s_per_s": cpu["idle_cpu_s_per_s"],
                "threads": CPU_THREADS,
                "how": "utime+stime of the server's process group and the database's backends "
                "(/proc), before and after a phase of one kind, less an idle phase",
            },
        )
    )
    for kind in ("POST /reports/batch", "GET /changes (village)", "GET /changes (township)"):
        figures.append(Figure(PART, f"server CPU per request, {kind}", kinds[kind]["cpu_ms"], "ms"))
    versions = m["versions"]
    grown = m["db"]["after_bytes"] - m["db"]["register_bytes"]
    figures.append(
        Figure(
            PART,
            "PostgreSQL bytes per stored report version",
            grown / max(versions, 1),
            "B",
            details={
                "register_bytes": m["db"]["register_bytes"],
                "accounts": m["population"]["accounts"],
                "bytes_per_version": grown / max(versions, 1),
                "versions": versions,
                **m["population"],
            },
        )
    )
    return figures + project_province(figures)


if __name__ == "__main__":
    from bench.figures import table

    with tempfile.TemporaryDirectory() as where:
        found = run(Options(workdir=Path(where), quick="--quick" in sys.argv))
    print(table(found))
    print(json.dumps([f.to_json() for f in found], ensure_ascii=False, indent=1, default=str))

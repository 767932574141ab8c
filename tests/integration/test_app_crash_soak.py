"""Crash consistency of the app: SIGKILL while saving drafts, submitting and syncing.

A worker (``crash_worker.py``) does real work on one data folder signed in to the live city
server: new drafts typed field by field with an autosave after each, submits, revisions and
sync rounds, journalling each step before and after it.  The test kills it with SIGKILL at a
random moment (seeded), aimed in turn at saving, submitting, syncing or any time, and after
every kill reopens the store and judges it against the journal:

* ``PRAGMA integrity_check`` is ``ok`` and ``PRAGMA foreign_key_check`` finds nothing;
* every draft holds its last journalled save, or that plus the one field in flight;
* every version journalled as submitted is frozen, and queued (in the outbox) or received;
  a frozen version never changes or goes back; nothing is frozen that was never submitted;
* no draft appears that no step made.

The same folder goes on to the next kill.  At the end a clean sync must leave the server
holding every version the device submitted exactly once, and nothing else from the device.
``SOAK_ITERATIONS`` (``make soak``) runs at least 500 kills; ``make test`` runs a few.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy import text

from informant_app.core.account.sign_in import current_account
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.engine import SyncEngine
from tests.integration import crash_worker
from tests.integration.helpers import ServerView, assert_exactly_once, device
from tests.support.city_server import ROOT, CityServer

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork are POSIX")

WORKER = Path(crash_worker.__file__)
USER = "shuigou_a"  # an A informant: no duty flags; other tests file mostly for 瓦房社区
PHASES = ("saving", "submitting", "syncing")
#: What each kill aims at in turn (None: any moment of the worker's first second).
TARGETS: tuple[str | None, ...] = ("saving", "submitting", "syncing", None)
#: Kills in ``make test``; more if a phase was not hit yet, up to FAST_MAX (under ~20 s).
FAST_ITERATIONS = 8
FAST_MAX = 24
#: Under ``make soak``: at least this many kills.
SOAK_MIN = 500
#: Every FRESH_EVERY-th kill hits a worker started as a new process, not forked.
FRESH_EVERY = 50
#: Seconds to wait for the aimed-at phase to start before killing anyway.
AIM_TIMEOUT = 4.0
#: Default length (ms) of each phase until the worker's journal has measured some.
DEFAULT_MS = {"saving": 2.0, "submitting": 15.0, "syncing": 80.0}


def iterations() -> int:
    raw = os.environ.get("SOAK_ITERATIONS", "").strip()
    return max(SOAK_MIN, int(raw)) if raw.isdigit() else FAST_ITERATIONS


# --- running and killing the worker -----------------------------------------------------


def _read_line(stream: IO[str], timeout: float) -> str:
    ready, _w, _x = select.select([stream], [], [], timeout)
    if not ready:
        raise AssertionError(f"no answer from the fork server within {timeout} s")
    return stream.readline()


class ForkServer:
    """``crash_worker.py serve``: forks a worker (imports done once) per kill."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), "serve"],
            cwd=ROOT,
            env=_worker_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    def start(self, folder: Path, journal: Path, seed: int) -> int:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"run {folder} {journal} {seed}\n")
        self.proc.stdin.flush()
        line = _read_line(self.proc.stdout, 30)
        assert line.startswith("pid "), line
        return int(line.split()[1])

    def wait(self, pid: int) -> int:
        """Return the wait status of the killed worker ``pid``."""
        assert self.proc.stdout is not None
        line = _read_line(self.proc.stdout, 10).split()
        assert line[:2] == ["exit", str(pid)], line
        return int(line[2])

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def _worker_env() -> dict[str, str]:
    return {**os.environ, "INFORMANT_TOKEN_STORAGE": "file"}


def _fresh_worker(folder: Path, journal: Path, seed: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), "run", str(folder), str(journal), str(seed)],
        cwd=ROOT,
        env=_worker_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def read_journal(path: Path) -> list[dict[str, Any]]:
    """Return the journal's complete records (a torn last line is not a record)."""
    if not path.exists():
        return []
    data = path.read_bytes()
    return [json.loads(line) for line in data.split(b"\n")[:-1] if line.strip()]


def in_flight(records: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Return the step the worker had started and not finished, if any."""
    if records and "phase" in records[-1]:
        return records[-1]
    return None


def killed_in(records: list[dict[str, Any]]) -> str:
    """Return the phase the kill hit: the unfinished step, or ``between`` two steps."""
    step = in_flight(records)
    return str(step["phase"]) if step is not None else "between"


def aim(
    journal: Path, target: str | None, rng: random.Random, lengths: dict[str, list[float]]
) -> None:
    """Wait until the moment to kill: inside a ``target`` step, or at a random time."""
    if target is None:
        time.sleep(rng.uniform(0.005, 1.0))
        return
    wanted = rng.randint(1, 3)  # the first, second or third such step of this worker
    deadline = time.monotonic() + AIM_TIMEOUT
    seen = 0
    while time.monotonic() < deadline:
        records = read_journal(journal)
        if any("error" in r for r in records):
            return
        seen = sum(1 for r in records if r.get("phase") == target)
        if seen >= wanted and in_flight(records) is not None:
            break
        time.sleep(0.0003)
    measured = lengths[target][-50:]
    typical = statistics.median(measured) if measured else DEFAULT_MS[target]
    time.sleep(rng.uniform(0.0, typical * 1.2) / 1000)


# --- what the store holds -------------------------------------------------------------


@dataclass
class Snapshot:
    """The versions of the store after a kill: drafts with content, frozen ones."""

    drafts: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    frozen: dict[str, tuple[str, str, dict[str, Any]]] = field(default_factory=dict)
    outbox: set[str] = field(default_factory=set)
    partial_uploads: int = 0


def reopen(folder: Path) -> Snapshot:
    """Reopen the store as the app does and check it; return what it holds."""
    with ReportStore.open(folder) as store, store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalars().all() == ["ok"]
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        snap = Snapshot()
        for version, report, state, content, digest in conn.execute(
            text(
                "SELECT version_uuid, report_uuid, state, content, content_hash "
                "FROM report_versions"
            )
        ):
            if state == "draft":
                snap.drafts[version] = (report, json.loads(content))
            else:
                snap.frozen[version] = (digest, state, json.loads(content))
        snap.outbox = set(conn.execute(text("SELECT version_uuid FROM outbox")).scalars())
        snap.partial_uploads = int(
            conn.execute(
                text("SELECT count(*) FROM photo_uploads WHERE received > 0 AND NOT complete")
            ).scalar_one()
        )
        drafts = {d.version_uuid: d.content for d in store.drafts()}  # the API agrees
        assert drafts == {v: c for v, (_r, c) in snap.drafts.items()}
    return snap


def _figures(content: dict[str, Any]) -> dict[str, Decimal]:
    return {k: Decimal(str(v)) for k, v in (content.get("figures") or {}).items()}


def _photos(content: dict[str, Any]) -> list[str]:
    return [p["sha256"] for p in content.get("photos") or []]


def judge(before: Snapshot, records: list[dict[str, Any]], after: Snapshot) -> list[str]:
    """Return what is wrong with ``after``, given ``before`` and the worker's journal."""
    problems = [f"the worker failed: {r['error']}" for r in records if "error" in r]
    accept: dict[str, list[dict[str, Any]]] = {v: [c] for v, (_r, c) in before.drafts.items()}
    must_freeze: set[str] = set()
    may_freeze: set[str] = set()
    sent: dict[str, dict[str, Any]] = {}
    pending: dict[str, Any] | None = None
    for record in records:
        if "phase" in record:
            pending = record
            continue
        if "done" not in record or pending is None:
            continue
        kind = record["done"]
        if kind in ("saving", "photo"):
            accept[record["draft"]] = [pending["content"]]
        elif kind == "submitting":
            if not record["ok"]:
                problems.append(f"submit refused: {record['issues']}")
            accept.pop(record["draft"], None)
            must_freeze.add(record["draft"])
            sent[record["draft"]] = pending["content"]
        elif kind in ("creating", "revising"):
            accept[record["draft"]] = [record["content"]]
        pending = None
    unknown_from: dict[str, Any] | None = None
    if pending is not None:
        if pending["phase"] in ("saving", "photo"):
            accept.setdefault(pending["draft"], []).append(pending["content"])
        elif pending["phase"] == "submitting":
            may_freeze.add(pending["draft"])
            sent[pending["draft"]] = pending["content"]
            accept.setdefault(pending["draft"], []).append(pending["content"])
        elif pending["phase"] in ("creating", "revising"):
            unknown_from = pending

    for version, contents in accept.items():
        if version in after.drafts:
            if after.drafts[version][1] not in contents:
                problems.append(
                    f"draft {version} holds neither its last save nor the one in "
                    f"flight: {after.drafts[version][1]} not in {contents}"
                )
        elif not (version in may_freeze and version in after.frozen):
            problems.append(f"draft {version} was lost")
    for version in must_freeze - set(after.frozen):
        problems.append(f"version {version} was submitted but is not frozen")
    for version, content in sent.items():
        if version in after.frozen:
            frozen = after.frozen[version][2]
            if (frozen["narrative"], _figures(frozen), _photos(frozen)) != (
                content["narrative"],
                _figures(content),
                _photos(content),
            ):
                problems.append(f"version {version} froze other content than submitted")
    for version, (digest, state, _c) in before.frozen.items():
        now = after.frozen.get(version)
        if now is None or now[0] != digest:
            problems.append(f"frozen version {version} changed or vanished")
        elif state == "received" and now[1] != "received":
            problems.append(f"received version {version} went back to {now[1]}")
    for version in set(after.frozen) - set(before.frozen) - must_freeze - may_freeze:
        problems.append(f"version {version} is frozen but was never submitted")
    unknown = set(after.drafts) - set(accept)
    if unknown and (unknown_from is None or len(unknown) > 1):
        problems.append(f"drafts no step made: {sorted(unknown)}")
    elif unknown and unknown_from is not None:
        report, content = after.drafts[unknown.pop()]
        if unknown_from["phase"] == "revising" and report != unknown_from["report"]:
            problems.append(f"a revision of another report appeared: {report}")
        if unknown_from["phase"] == "creating" and (content["figures"] or content["narrative"]):
            problems.append(f"a new draft is not blank: {content}")
    for version, (_d, state, _c) in after.frozen.items():
        if state in ("queued", "sending") and version not in after.outbox:
            problems.append(f"{state} version {version} is not in the outbox")
        if state not in ("queued", "sending", "received"):
            problems.append(f"version {version} is {state}")
    if after.outbox - {v for v, (_d, s, _c) in after.frozen.items() if s != "received"}:
        problems.append(f"outbox holds settled or unknown versions: {after.outbox}")
    return problems


# --- the test ---------------------------------------------------------------------------


def _server_versions(city: CityServer, device_id: str) -> Counter[str]:
    """Versions the server stored from ``device_id`` (read from its database file)."""
    path = city.db_url.removeprefix("sqlite:///")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10) as conn:
        rows = conn.execute(
            "SELECT rv.version_uuid FROM report_versions rv JOIN devices d "
            "ON d.id = rv.device_pk WHERE d.device_id = ?",
            (device_id,),
        ).fetchall()
    return Counter(v for (v,) in rows)


def test_sigkill_while_saving_submitting_and_syncing_keeps_every_step(
    live_city: CityServer, tmp_path: Path
) -> None:
    folder = tmp_path / USER
    device(live_city, folder, USER).close()
    journals = tmp_path / "journals"
    journals.mkdir()
    rng = random.Random(20250609)
    planned = iterations()
    hits: Counter[str] = Counter()
    aimed: Counter[str] = Counter()
    lengths: dict[str, list[float]] = {p: [] for p in PHASES}
    mid_push = mid_upload = 0
    before = reopen(folder)
    server = ForkServer()
    started = time.monotonic()
    i = 0
    try:
        while i < planned or (
            planned == FAST_ITERATIONS and i < FAST_MAX and not all(hits[p] for p in PHASES)
        ):
            journal = journals / f"kill-{i:04d}.jsonl"
            target = TARGETS[i % len(TARGETS)]
            seed = rng.randrange(2**31)
            fresh = i % FRESH_EVERY == 0
            if fresh:
                proc = _fresh_worker(folder, journal, seed)
                aim(journal, target, rng, lengths)
                proc.send_signal(signal.SIGKILL)
                assert proc.wait(timeout=10) == -signal.SIGKILL, read_journal(journal)[-1:]
            else:
                pid = server.start(folder, journal, seed)
                aim(journal, target, rng, lengths)
                os.kill(pid, signal.SIGKILL)
                status = server.wait(pid)
                assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
                    read_journal(journal)[-1:]
                )
            records = read_journal(journal)
            phase = killed_in(records)
            hits[phase] += 1
            aimed[f"{target}->{phase}"] += 1
            for record in records:
                if record.get("done") in lengths:
                    lengths[record["done"]].append(float(record["ms"]))
            after = reopen(folder)
            problems = judge(before, records, after)
            assert not problems, (
                f"kill {i} (seed {seed}, in {phase}, journal {journal}): " + "\n".join(problems)
            )
            if phase == "syncing" and any(s == "sending" for _d, s, _c in after.frozen.values()):
                mid_push += 1
            if phase == "syncing" and after.partial_uploads > before.partial_uploads:
                mid_upload += 1
            journal.unlink()
            before = after
            i += 1
    finally:
        server.close()
    elapsed = time.monotonic() - started
    print(
        f"\n{i} SIGKILLs in {elapsed:.1f} s; phases hit: {dict(sorted(hits.items()))}; "
        f"{mid_push} with versions left sending, {mid_upload} in a photo upload; "
        f"aimed->hit: {dict(sorted(aimed.items()))}; "
        f"{len(before.frozen)} versions submitted, {len(before.drafts)} drafts open"
    )
    assert all(hits[p] for p in PHASES), f"a phase was never hit: {hits}"

    with ReportStore.open(folder) as store:  # a clean sync sends whatever is left
        engine = SyncEngine(store)
        for _ in range(5):
            summary = engine.run_round()
            if summary.problem is None and summary.still_queued == 0:
                break
        assert summary.problem is None and summary.still_queued == 0, summary
        account = current_account(store)
        assert account is not None
    final = reopen(folder)
    submitted = sorted(final.frozen)
    assert {s for _d, s, _c in final.frozen.values()} <= {"received"}, Counter(
        s for _d, s, _c in final.frozen.values()
    )
    assert not final.outbox
    view = ServerView(live_city)
    try:
        assert_exactly_once(view, submitted)
    finally:
        view.close()
    on_server = _server_versions(live_city, account.device_id)
    assert set(on_server) == set(submitted), (
        f"missing {set(submitted) - set(on_server)}, never submitted "
        f"{set(on_server) - set(submitted)}"
    )
    assert len(submitted) >= min(i, 3)  # the kills let real work through
    photos = {(p["sha256"], p["size"]) for _d, _s, c in final.frozen.values() for p in c["photos"]}
    assert _server_photos(live_city, {sha for sha, _size in photos}) == photos


def _server_photos(city: CityServer, shas: set[str]) -> set[tuple[str, int]]:
    """The photos among ``shas`` that the server holds complete, with their sizes."""
    path = city.db_url.removeprefix("sqlite:///")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10) as conn:
        rows = conn.execute("SELECT sha256, size FROM photos WHERE complete").fetchall()
    return {(sha, int(size)) for sha, size in rows if sha in shas}


# --- the judge itself can fail ------------------------------------------------------------


def _draft(narrative: str) -> dict[str, Any]:
    return {"narrative": narrative, "figures": {"affected_pop": 1}}


def _save(version: str, narrative: str, *, done: bool = True) -> list[dict[str, Any]]:
    intent = {
        "phase": "saving",
        "draft": version,
        "field": "narrative",
        "content": _draft(narrative),
    }
    return [intent, {"done": "saving", "draft": version, "ms": 1.0}] if done else [intent]


def test_judge_accepts_the_last_save_or_the_one_in_flight() -> None:
    before = Snapshot(drafts={"d": ("r", _draft("a"))})
    records = _save("d", "ab") + _save("d", "abc", done=False)
    for survived in ("ab", "abc"):
        assert judge(before, records, Snapshot(drafts={"d": ("r", _draft(survived))})) == []
    lost = judge(before, records, Snapshot(drafts={"d": ("r", _draft("a"))}))
    assert lost and "neither its last save" in lost[0]
    assert "was lost" in judge(before, records, Snapshot())[0]


def test_judge_catches_lost_submits_phantom_versions_and_outbox_gaps() -> None:
    before = Snapshot(drafts={"d": ("r", _draft("a"))})
    records: list[dict[str, Any]] = [
        {"phase": "submitting", "draft": "d", "content": _draft("a")},
        {"done": "submitting", "draft": "d", "ok": True, "issues": []},
    ]
    still_draft = judge(before, records, Snapshot(drafts={"d": ("r", _draft("a"))}))
    assert any("not frozen" in p for p in still_draft)
    queued = Snapshot(frozen={"d": ("h", "queued", _draft("a"))})
    assert any("not in the outbox" in p for p in judge(before, records, queued))
    queued.outbox = {"d"}
    assert judge(before, records, queued) == []
    phantom = Snapshot(frozen={"d": ("h", "queued", _draft("a"))}, outbox={"d"})
    assert any("never submitted" in p for p in judge(before, [], phantom))
    other = Snapshot(frozen={"d": ("h", "queued", _draft("b"))}, outbox={"d"})
    assert any("other content" in p for p in judge(before, records, other))
    received = Snapshot(frozen={"d": ("h", "received", _draft("a"))})
    requeued = Snapshot(frozen={"d": ("h", "queued", _draft("a"))}, outbox={"d"})
    assert any("went back" in p for p in judge(received, [], requeued))

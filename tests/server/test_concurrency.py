"""Concurrency on a real server: idempotent pushes under a race, and a pull that misses nothing.

The late-commit tests hold a writing transaction open on purpose while later changes commit,
and check that the reader's cursor never passes the uncommitted change (services/changes.py).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from sync.contract import default_divisions
from sync.server.db import utc_now
from sync.server.jurisdiction import Caller
from sync.server.models import Change, Report, ReportVersion
from sync.server.services.auth import authenticate
from sync.server.services.changes import Cursor
from sync.server.services.ingest import Candidate, _parse_item, _store
from tests.server.conftest import LiveServer
from tests.server.factories import batch, content, item
from tests.server.world import World


def run_threads(count: int, target: Callable[[int], None]) -> None:
    errors: list[BaseException] = []

    def wrapped(i: int) -> None:
        try:
            target(i)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors[:3]


def count_rows(app: FastAPI, model: Any, column: Any, ids: list[str]) -> int:
    with app.state.db.read_session() as session:
        return int(
            session.scalar(select(func.count()).select_from(model).where(column.in_(ids))) or 0
        )


@pytest.mark.slow
def test_twenty_threads_pushing_the_same_500_versions(
    live_server: LiveServer, client: TestClient, world: World, app: FastAPI
) -> None:
    token = world.token(client, "wafang_a")
    versions = [item(content()) for _ in range(500)]
    ids = [v["version_uuid"] for v in versions]
    outcomes: list[list[str]] = [[] for _ in range(20)]

    def pusher(i: int) -> None:
        order = versions[:]
        random.Random(i).shuffle(order)  # each thread sends them in its own order
        with requests.Session() as http:
            for start in range(0, 500, 125):
                r = http.post(
                    f"{live_server.url}/api/v1/reports/batch",
                    timeout=120,
                    headers={"Authorization": f"Bearer {token}"},
                    json=batch("dev-wafang_a", order[start : start + 125]),
                )
                assert r.status_code == 200, r.text
                outcomes[i] += [x["status"] for x in r.json()["results"]]

    started = time.monotonic()
    run_threads(20, pusher)
    elapsed = time.monotonic() - started
    statuses = [s for out in outcomes for s in out]
    assert statuses.count("accepted") == 500
    assert statuses.count("duplicate") == 19 * 500
    assert count_rows(app, ReportVersion, ReportVersion.version_uuid, ids) == 500
    assert count_rows(app, Report, Report.current_version_uuid, ids) == 500
    assert count_rows(app, Change, Change.ref, ids) == 500
    print(f"\n20 threads × 500 versions: {10_000 / elapsed:.0f} items/s ({elapsed:.1f} s)")


def pull_until(
    base: str, token: str, cursor: str | None, sink: list[str], stop: threading.Event | None = None
) -> str | None:
    """Pull pages into ``sink`` until ``has_more`` is false (and ``stop`` is set, if given)."""
    with requests.Session() as http:
        while True:
            params: dict[str, str | int] = {"limit": 50, **({"cursor": cursor} if cursor else {})}
            r = http.get(
                f"{base}/api/v1/changes",
                timeout=60,
                headers={"Authorization": f"Bearer {token}"},
                params=params,
            )
            assert r.status_code == 200, r.text
            body = r.json()
            sink += [c["version_uuid"] for c in body["changes"] if c["kind"] == "report_version"]
            cursor = body["cursor"]
            if not body["has_more"] and (stop is None or stop.is_set()):
                return cursor
            if not body["has_more"]:
                time.sleep(0.005)


def test_pull_during_concurrent_pushes_misses_nothing(
    live_server: LiveServer, client: TestClient, world: World
) -> None:
    reader = world.token(client, "wafang_b")
    writer = world.token(client, "wafang_a")
    start_cursor = pull_until(live_server.url, reader, None, [])
    pushed: list[list[str]] = [[] for _ in range(6)]
    seen: list[str] = []
    done = threading.Event()
    cursor_box: list[str | None] = [None]

    def read() -> None:
        cursor_box[0] = pull_until(live_server.url, reader, start_cursor, seen, done)

    reader_thread = threading.Thread(target=read)
    reader_thread.start()

    def push(i: int) -> None:
        with requests.Session() as http:
            for _ in range(8):
                versions = [item(content()) for _ in range(random.randint(1, 30))]
                r = http.post(
                    f"{live_server.url}/api/v1/reports/batch",
                    timeout=120,
                    headers={"Authorization": f"Bearer {writer}"},
                    json=batch("dev-wafang_a", versions),
                )
                assert r.status_code == 200
                pushed[i] += [v["version_uuid"] for v in versions]

    try:
        run_threads(6, push)
    finally:
        done.set()
        reader_thread.join(timeout=120)
    # One more pull after every writer finished: the reader has now caught up.
    pull_until(live_server.url, reader, cursor_box[0], seen)
    everything = [v for p in pushed for v in p]
    assert len(seen) == len(set(seen)), "a change was delivered twice"
    assert set(seen) == set(everything), "a change was missed"


# --- deliberately late commits ----------------------------------------------------------------


def _candidate(caller: Caller) -> Candidate:
    parsed = _parse_item(0, item(content()), caller, default_divisions(), utc_now())
    assert isinstance(parsed, Candidate)
    return parsed


def _caller(app: FastAPI, token: str) -> Caller:
    with app.state.db.read_session() as session:
        return authenticate(session, token)


def _store_slowly(
    app: FastAPI, caller: Caller, candidate: Candidate, hold: Callable[[], None]
) -> None:
    with app.state.db.writing() as session:
        _store(session, caller, [candidate], utc_now(), None, None)
        hold()  # the rows are written; the commit waits


def _cursor_position(cursor: str) -> tuple[int, int]:
    c = Cursor.decode(cursor)
    return c.txid, c.seq


def test_a_late_commit_is_never_skipped(
    client: TestClient, world: World, app: FastAPI, db_url: str
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite serializes writers: a second writer cannot commit meanwhile")
    h = world.headers(client, "wafang_b")
    # Its own device: batches of one device queue behind each other on the device's row.
    caller = _caller(app, world.token(client, "wafang_a", "dev-late"))

    def pull(cursor: str | None) -> tuple[list[str], str]:
        got: list[str] = []
        while True:
            body = client.get(
                "/api/v1/changes",
                headers=h,
                params={"limit": 100, **({"cursor": cursor} if cursor else {})},
            ).json()
            got += [c["version_uuid"] for c in body["changes"] if c["kind"] == "report_version"]
            cursor = body["cursor"]
            if not body["has_more"]:
                return got, cursor

    _, cursor = pull(None)
    late = _candidate(caller)
    written, release = threading.Event(), threading.Event()

    def hold() -> None:
        written.set()
        assert release.wait(30)

    slow = threading.Thread(target=_store_slowly, args=(app, caller, late, hold))
    slow.start()
    assert written.wait(30)
    with app.state.db.read_session() as session:  # the late row has the lower seq
        late_seq = session.scalar(select(Change.seq).where(Change.ref == late.version_uuid))
    assert late_seq is None  # not visible: uncommitted
    early = item(content())
    r = client.post(
        "/api/v1/reports/batch",
        headers=world.headers(client, "wafang_a"),
        json=batch("dev-wafang_a", [early]),
    )
    assert r.json()["results"][0]["status"] == "accepted"
    got, cursor_during = pull(cursor)
    # The committed later change is held back, and the cursor stays below the open one.
    assert late.version_uuid not in got and early["version_uuid"] not in got
    assert got == []
    release.set()
    slow.join(30)
    with app.state.db.read_session() as session:
        late_position = session.execute(
            text("SELECT txid::text::bigint, seq FROM change_log WHERE ref = :ref"),
            {"ref": late.version_uuid},
        ).one()
    assert _cursor_position(cursor_during) < tuple(late_position)
    got_after, cursor_after = pull(cursor_during)
    assert got_after == [late.version_uuid, early["version_uuid"]]
    with app.state.db.read_session() as session:
        seqs = dict(
            session.execute(
                select(Change.ref, Change.seq).where(
                    Change.ref.in_([late.version_uuid, early["version_uuid"]])
                )
            ).all()
        )
    assert seqs[late.version_uuid] < seqs[early["version_uuid"]], "the race really happened"
    assert pull(cursor_after)[0] == []


def test_random_late_commits_are_seen_exactly_once(
    client: TestClient, world: World, app: FastAPI
) -> None:
    h = world.headers(client, "wafang_b")
    callers = [_caller(app, world.token(client, "wafang_a", f"dev-w{i}")) for i in range(6)]
    seen: list[str] = []
    done = threading.Event()

    def read(cursor: str | None) -> None:
        while True:
            body = client.get(
                "/api/v1/changes",
                headers=h,
                params={"limit": 20, **({"cursor": cursor} if cursor else {})},
            ).json()
            seen.extend(c["version_uuid"] for c in body["changes"] if c["kind"] == "report_version")
            cursor = body["cursor"]
            if not body["has_more"]:
                if done.is_set():
                    return
                time.sleep(0.002)

    start = client.get("/api/v1/changes", headers=h, params={"limit": 1000}).json()
    while start["has_more"]:
        start = client.get(
            "/api/v1/changes", headers=h, params={"limit": 1000, "cursor": start["cursor"]}
        ).json()
    written: list[list[str]] = [[] for _ in range(6)]

    def write(i: int) -> None:
        rng = random.Random(i)
        for _ in range(8):
            candidate = _candidate(callers[i])
            _store_slowly(app, callers[i], candidate, lambda: time.sleep(rng.uniform(0, 0.03)))
            written[i].append(candidate.version_uuid)

    reader = threading.Thread(target=read, args=(start["cursor"],))
    reader.start()
    try:
        run_threads(6, write)
    finally:
        time.sleep(0.05)
        done.set()
        reader.join(60)
    everything = {v for w in written for v in w}
    mine = [v for v in seen if v in everything]
    assert len(mine) == len(set(mine)) == len(everything)

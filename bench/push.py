"""Part 1, push throughput: queued reports to the city server through the real sync engine.

Beside the end-to-end rate, in the same run and on the same kind of database:

- the limit: the same version items stored by the server's own ingest service
  (``sync.server.services.ingest.ingest_batch``, what ``POST /reports/batch`` calls) in one
  call, i.e. one transaction, in this process, on a second fresh database;
- a naive client: one ``POST /api/v1/reports/batch`` per report over a plain
  ``requests.Session`` (fewer reports, timed, as a rate).

Goals (issue 8): end to end ≥ 0.5 × the direct insert, ≥ 10 × the naive client.  The push
is pipelined (issue 19): the next batch is taken and marked ``sending`` while one is on the
server and goes out as soon as that one's answer arrives; ``details`` says so, with the load
average of the machine when the figure was taken.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import select

from bench.figures import Figure, Options
from bench.push_common import device_store, file_reports, queued_items, timed_phases
from bench.server import NO_QUOTA, CityServer, fresh_postgres_database
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.engine import SyncEngine
from informant_app.core.sync.push import Pusher
from sync.contract import PROTOCOL_VERSION
from sync.server.db import Database
from sync.server.models import User
from sync.server.services.auth import issue_token
from sync.server.services.divisions import division_table
from sync.server.services.ingest import ingest_batch
from sync.server.settings import Settings

USER = "wafang_a"


def sizes(options: Options) -> tuple[int, int]:
    """Return (reports pushed end to end and inserted directly, reports of the naive client)."""
    if options.quick:
        return 500, 200
    return 10_000, 1_000


def push_end_to_end(store: ReportStore, n: int) -> dict[str, float]:
    """Run one real round; return the push phase's and the whole round's seconds."""
    with timed_phases() as times:
        start = time.perf_counter()
        summary = SyncEngine(store).run_round()
        whole = time.perf_counter() - start
    if summary.problem is not None or summary.pushed != n:
        raise RuntimeError(f"the round pushed {summary.pushed} of {n}: {summary.problem}")
    return {
        "push_s": times.seconds["push"],
        "round_s": whole,
        "pull_s": times.seconds.get("pull", 0.0),
    }


def direct_insert(db_url: str, items: list[dict[str, Any]]) -> float:
    """Store ``items`` with the server's ingest in one transaction; return the seconds."""
    db = Database(db_url)
    try:
        settings = Settings(database_url=db_url)
        with db.writing() as session:
            user = session.scalar(select(User).where(User.username == USER))
            assert user is not None
            caller = issue_token(
                session, settings, user, f"bench-direct-{uuid.uuid4()}", "bench", datetime.now(UTC)
            ).caller
        with db.read_session() as session:
            divisions = division_table(session)
        start = time.perf_counter()
        outcome = ingest_batch(db, caller, items, datetime.now(UTC), divisions)
        seconds = time.perf_counter() - start
        bad = [r for r in outcome.results if r.status != "accepted"]
        if bad:
            raise RuntimeError(f"direct insert: {len(bad)} not accepted, e.g. {bad[0]}")
        return seconds
    finally:
        db.dispose()


def naive_client(city: CityServer, items: list[dict[str, Any]]) -> float:
    """POST one report per request with a plain ``requests.Session``; return the seconds."""
    device = f"bench-naive-{uuid.uuid4()}"
    with requests.Session() as http:
        http.trust_env = False
        answer = http.post(
            f"{city.url}/api/v1/auth/login",
            timeout=30,
            json={
                "username": USER,
                "password": city.passwords[USER],
                "device_id": device,
                "device_name": "naive",
            },
        )
        answer.raise_for_status()
        http.headers["Authorization"] = f"Bearer {answer.json()['token']}"
        start = time.perf_counter()
        for item in items:
            body = {
                "protocol_version": PROTOCOL_VERSION,
                "device_id": device,
                "device_time": datetime.now(UTC).isoformat(),
                "items": [item],
            }
            r = http.post(
                f"{city.url}/api/v1/reports/batch",
                data=json.dumps(body),
                headers={"Content-Type": "application/json"},
                timeout=30,
            )
            r.raise_for_status()
            if r.json()["results"][0]["status"] != "accepted":
                raise RuntimeError(f"naive client: {r.text[:300]}")
        return time.perf_counter() - start


def measure(workdir: Path, backend: str, n: int, naive_n: int) -> list[Figure]:
    """Measure the three rates on ``backend`` ("SQLite" or "PostgreSQL")."""
    tag = uuid.uuid4().hex[:8]
    urls: tuple[str | None, str | None] = (None, None)
    if backend == "PostgreSQL":
        urls = (
            fresh_postgres_database(f"bench_push_e2e_{tag}"),
            fresh_postgres_database(f"bench_push_direct_{tag}"),
        )
    with CityServer(workdir / f"{backend}-server", urls[0], env=NO_QUOTA) as city:
        naive_store = ReportStore.open(workdir / f"{backend}-naive-items")
        try:
            file_reports(naive_store, naive_n, seed=2)
            naive_items = queued_items(naive_store)
        finally:
            naive_store.close()
        # The naive client goes first: it also warms the server up (its connection pool,
        # caches), which the end-to-end push would otherwise pay for in its first batch.
        naive_s = naive_client(city, naive_items)
        store = device_store(workdir / f"{backend}-device", city, USER, n, seed=1)
        try:
            items = queued_items(store)
            e2e = push_end_to_end(store, n)
        finally:
            store.close()
    direct_city = CityServer(workdir / f"{backend}-direct", urls[1])
    direct_city.init()  # schema and accounts only; nothing serves
    direct_s = direct_insert(direct_city.db_url, items)
    if backend == "PostgreSQL":
        for url in urls:
            _drop_postgres(url)
    e2e_rate, direct_rate = n / e2e["push_s"], n / direct_s
    naive_rate = naive_n / naive_s
    details = {
        "reports": n,
        "naive_reports": naive_n,
        "batch_size": 200,
        **e2e,
        "direct_s": direct_s,
        "naive_s": naive_s,
        "round_rate": n / e2e["round_s"],
        "pipelined": Pusher.pipelined,
        "load_average_1min": os.getloadavg()[0],
    }
    return [
        Figure(
            "push",
            f"end-to-end push, {backend}",
            e2e_rate,
            "reports/s",
            "direct insert, one transaction",
            direct_rate,
            "≥ 0.5 × direct insert",
            e2e_rate >= 0.5 * direct_rate,
            details,
        ),
        Figure(
            "push",
            f"end-to-end push, {backend}",
            e2e_rate,
            "reports/s",
            "naive client, 1 report/request",
            naive_rate,
            "≥ 10 × naive client",
            e2e_rate >= 10 * naive_rate,
            details,
        ),
    ]


def _drop_postgres(url: str | None) -> None:
    if not url:
        return
    import psycopg

    from bench.server import POSTGRES_ADMIN_URL

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(options: Options) -> list[Figure]:
    """Measure push throughput on SQLite, and on PostgreSQL unless turned off."""
    n, naive_n = sizes(options)
    workdir = Path(options.workdir)
    figures = measure(workdir, "SQLite", n, naive_n)
    if options.postgres:
        figures += measure(workdir, "PostgreSQL", n, naive_n)
    return figures

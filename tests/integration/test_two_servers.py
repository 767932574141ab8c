"""Two ``city-server serve`` processes on one PostgreSQL database: the processes keep no state.

Two servers (each its own process, own port, own data folder; one shared photo folder, as
behind a load balancer) serve one PostgreSQL schema.  Four app devices of 瓦房社区 (two of
``wafang_a``, two of ``wafang_b``) file, revise, push and pull concurrently, each round on the
other server than its last, while the city admin pulls the change feed in small pages, each
page from the other server.  Checked:

- **exactly once**: every version is on the server once (the feed announces it once), and every
  device ends holding the same set, all the village's versions;
- **cursor order**: a cursor handed out by one server and used on the other skips nothing and
  repeats nothing, and the feed arrives in the change log's ``(txid, seq)`` order;
- **sign-in slowdown**: failures on one process slow the name on the other, and a success on
  the other (a known device) is honoured by the first within ``CACHE_TRUST_SECONDS`` (its
  in-process "slowed until" cache is only a cache of the database's decision).

PostgreSQL only (SQLite is one process's file): skipped without it, failed under
``REQUIRE_POSTGRES=1``.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import requests
from sqlalchemy import select
from sqlalchemy.orm import Session

from informant_app.core.store.models import ReportVersionRow
from sync.client.api import SyncClient, Timeouts
from sync.contract.wire.base import as_object
from sync.server.services import signin_guard
from tests.integration.helpers import (
    WAFANG,
    Device,
    ServerView,
    assert_exactly_once,
    device,
    file_reports,
    revise,
)
from tests.server.conftest import PgSchema, require_postgres
from tests.support.city_server import CityServer

LOGIN = "/api/v1/auth/login"
#: The devices of 瓦房社区: (account, device folder name).
DEVICES = (("wafang_a", "a1"), ("wafang_a", "a2"), ("wafang_b", "b1"), ("wafang_b", "b2"))
ROUNDS = 5
REPORTS_PER_ROUND = 4
#: Small batches and pages: a round is several requests, the feed many pages.
BATCH = 3
PAGE = 5
#: Pool small (2 processes × (2 + 2) connections), the name slowdown real (3 free failures);
#: the address slowdown stays off (every client is 127.0.0.1).
ENV = {
    "CITY_DB_POOL_SIZE": "2",
    "CITY_DB_MAX_OVERFLOW": "2",
    "CITY_LOGIN_FREE_FAILURES_PER_NAME": "3",
    "CITY_LOGIN_REFUSAL_PAUSE_SECONDS": "0",
}

pytestmark = [pytest.mark.postgresql, pytest.mark.slow]


@dataclass
class Pair:
    """The two server processes on one database."""

    one: CityServer
    two: CityServer
    schema: PgSchema

    def server(self, n: int) -> CityServer:
        return self.one if n % 2 == 0 else self.two


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    """Both servers, shared by the module's tests (they use different accounts)."""
    schema = PgSchema(require_postgres())
    tmp_path = tmp_path_factory.mktemp("two-servers")
    env = {**ENV, "CITY_PHOTO_DIR": str(tmp_path / "shared-photos")}
    one = CityServer(tmp_path / "one", db_url=schema.url, env=env)
    two = CityServer(tmp_path / "two", db_url=schema.url, env=env)
    try:
        one.init()
        two.passwords = dict(one.passwords)  # the same accounts: one database
        one.start()
        two.start()
        yield Pair(one, two, schema)
    finally:
        one.stop()
        two.stop()
        schema.drop()


def versions_held(dev: Device) -> set[str]:
    """Every submitted version the device holds (its own and those it pulled)."""
    with Session(dev.store.engine) as s:
        rows = s.scalars(
            select(ReportVersionRow.version_uuid).where(ReportVersionRow.state != "draft")
        ).all()
    return set(rows)


def report_of(dev: Device, version_uuid: str) -> str:
    with Session(dev.store.engine) as s:
        report = s.scalar(
            select(ReportVersionRow.report_uuid).where(
                ReportVersionRow.version_uuid == version_uuid
            )
        )
    assert report is not None
    return report


def work(dev: Device, pair: Pair, start: int, filed: list[str], errors: list[str]) -> None:
    """File, revise and sync for ``ROUNDS`` rounds, each round on the other server."""
    try:
        for r in range(ROUNDS):
            new = file_reports(dev.store, REPORTS_PER_ROUND, village=WAFANG, seed=start * 100 + r)
            filed += new
            if r:  # revise one report filed in an earlier round
                filed.append(revise(dev.store, report_of(dev, filed[0]), affected_pop=600 + r))
            engine = dev.engine(
                server_url=pair.server(start + r).url,
                timeouts=Timeouts(connect=2.0, read=20.0),
                batch_size=BATCH,
                page_limit=PAGE,
            )
            summary = engine.run_round()
            if summary.problem is not None:
                errors.append(f"{dev.folder.name} round {r}: {summary.problem}")
    except Exception as exc:  # a round must never raise: report it
        errors.append(f"{dev.folder.name}: {exc!r}")


def watch(pair: Pair, stop: threading.Event, seen: list[str], errors: list[str]) -> None:
    """Pull the feed as the city admin, page by page, each page from the other server."""
    device_id = f"test-watch-{uuid.uuid4()}"
    clients = [SyncClient(pair.one.url, device_id=device_id)]
    try:
        clients[0].login("baoshan_city", pair.one.passwords["baoshan_city"], "watch")
        clients.append(SyncClient(pair.two.url, device_id=device_id, token=clients[0].token))
        cursor: str | None = None
        n = 0
        while True:
            done = stop.is_set()  # read before the page: a page after the last push
            while True:
                page = clients[n % 2].changes(cursor, PAGE)
                n += 1
                for change in map(as_object, page.changes):
                    if change["kind"] == "report_version":
                        seen.append(change["version_uuid"])
                cursor = page.cursor
                if not page.has_more:
                    break
            if done:
                return
            time.sleep(0.05)
    except Exception as exc:
        errors.append(f"watcher: {exc!r}")
    finally:
        for client in clients:
            client.close()


def feed_positions(schema: PgSchema) -> dict[str, tuple[int, int]]:
    """Each report version's place in the change log: its first ``(txid, seq)``."""
    with psycopg.connect(schema.url) as conn:
        rows = conn.execute(
            "SELECT ref, min(txid::text::bigint), min(seq) FROM change_log"
            " WHERE kind = 'report_version' GROUP BY ref"
        ).fetchall()
    return {ref: (int(txid), int(seq)) for ref, txid, seq in rows}


def test_devices_alternating_between_two_servers(pair: Pair, tmp_path: Path) -> None:
    devices = [
        device(pair.server(i), tmp_path / name, user) for i, (user, name) in enumerate(DEVICES)
    ]
    filed: list[list[str]] = [[] for _ in devices]
    errors: list[str] = []
    seen: list[str] = []
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(pair, stop, seen, errors))
    workers = [
        threading.Thread(target=work, args=(dev, pair, i, filed[i], errors))
        for i, dev in enumerate(devices)
    ]
    watcher.start()
    for t in workers:
        t.start()
    for t in workers:
        t.join(timeout=120)
    stop.set()
    watcher.join(timeout=60)
    assert not any(t.is_alive() for t in [*workers, watcher]), "a thread hung"
    assert not errors, errors
    everything = [v for vs in filed for v in vs]
    # Two last rounds per device, one on each server: everything pushed and pulled.
    for i, dev in enumerate(devices):
        for r in range(2):
            summary = dev.engine(server_url=pair.server(i + r).url, page_limit=PAGE).run_round()
            assert summary.problem is None, (dev.folder.name, summary.problem)
        assert dev.engine().status().queued == 0, dev.folder.name
    # Exactly once: the feed, read from the other server, announces each version once ...
    view = ServerView(pair.two)
    try:
        assert_exactly_once(view, everything)
        assert sum(view.versions.values()) == len(everything)
    finally:
        view.close()
    # ... and every device ends with the same set: all of the village's versions.
    for dev in devices:
        assert versions_held(dev) == set(everything), dev.folder.name
    # Cursor order: pages alternating between the servers skipped nothing, repeated nothing,
    # and came in the change log's order.
    assert sorted(seen) == sorted(everything), "the alternating feed skipped or repeated"
    positions = feed_positions(pair.schema)
    order = [positions[v] for v in seen]
    assert order == sorted(order), "the alternating feed came out of the log's order"
    for dev in devices:
        dev.close()


def login(server: CityServer, username: str, password: str, device_id: str) -> requests.Response:
    body = {
        "username": username,
        "password": password,
        "device_id": device_id,
        "device_name": "test",
    }
    return requests.post(server.url + LOGIN, json=body, timeout=10)


def test_sign_in_slowdown_is_shared_by_both_processes(pair: Pair) -> None:
    one, two = pair.one, pair.two
    name, password = "dangxi_a", one.passwords["dangxi_a"]
    assert login(one, name, password, "dev-known").status_code == 200  # a known device
    for _ in range(3):  # the free failures, all on the first process
        assert login(one, name, "wrong", "dev-thief").status_code == 401
    # The second process never saw them: the database slows the name there all the same.
    refused = login(two, name, password, "dev-new")
    assert refused.status_code == 429, refused.text
    assert int(refused.headers["Retry-After"]) >= 1
    # The first process refuses too (the database's decision, now in its cache) ...
    assert login(one, name, password, "dev-new").status_code == 429
    # ... and a success on the second process from the known device ends the name's failures.
    assert login(two, name, password, "dev-known").status_code == 200
    # The first process honours it once its cached word is no longer trusted (a second), not
    # only when the old wait (5 s after the last failure) is over.
    time.sleep(signin_guard.CACHE_TRUST_SECONDS + 0.2)
    admitted = login(one, name, password, "dev-new")
    assert admitted.status_code == 200, admitted.text

"""The Locust load profile of ``bench.city_load``: one Locust user is one device of the city.

Run only by ``bench.city_load`` (``locust -f bench/locustfile.py --headless --processes N``),
never imported by the benchmarks' or the tests' own process: Locust monkey-patches the
standard library for gevent.  ``CITY_LOAD_SPEC`` names the JSON the bench wrote: the server's
address, the devices (device id, token, role, village), report templates, the wait between
rounds and where to log.

A user's round is the app's (``informant_app.core.sync.engine.SyncEngine._round``) through the
app's own ``SyncClient`` (its headers: device id, protocol version, bearer token, user agent;
gzip for JSON bodies of 1 KiB and more once the server said it unpacks them), a new client per
round as the engine makes one: ``GET /me`` first only while no ``/me`` answer is held (its
``X-Account-Revision``; then only when the push's answer, or with nothing pushed the pull's,
carries another revision: a round is the push and the pull, an idle round the pull alone, as
the engine's, docs/sync.md); ``POST /reports/batch``
when reports are queued (a village informant files a report now and then; a failed push keeps
them queued and sends the same versions again); ``GET /changes`` from the device's cursor, page
by page (``PAGE_LIMIT``), the server filtering by the account's jurisdiction.  The division
table and the open events are cached by a device that synced before and are not asked for
again (their revisions do not change during the run).  After a good round the device waits the app's
``CALM_INTERVAL`` (the spec's ``calm_s``); after a failed one ``next_delay`` (a busy server's
``Retry-After``, else the backoff with full jitter);
both on the spec's ``time_scale`` (1 but in quick runs).  Its first round starts after a
uniform wait within ``first_spread_s``: the devices are not in step.

Every request is logged (one tab-separated line, one file per process) with its wall-clock
start, its duration and its error; every round's end with the device's new cursor.  The
requests are also reported to Locust (its own statistics).
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import random
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, TypeVar

import gevent
from locust import User, task

from informant_app.core.sync.engine import next_delay
from informant_app.core.sync.pull import PAGE_LIMIT
from sync.client.api import CHANGES_PATH, ME_PATH, PUSH_PATH, ClientError, SyncClient, Timeouts

T = TypeVar("T")
SPEC: dict[str, Any] = json.loads(Path(os.environ["CITY_LOAD_SPEC"]).read_text(encoding="utf-8"))
DEVICES: list[dict[str, Any]] = SPEC["devices"]
TEMPLATES: list[dict[str, Any]] = SPEC["templates"]
_counter = itertools.count()
_log: dict[int, IO[str]] = {}


def log_line(*fields: object) -> None:
    """Append one line to this process's log (opened after the fork, line-buffered)."""
    pid = os.getpid()
    out = _log.get(pid)
    if out is None:
        path = os.path.join(SPEC["log_dir"], f"{pid}.tsv")
        out = _log[pid] = open(path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115
    out.write("\t".join(str(f) for f in fields) + "\n")


class Device(User):
    """One device: an account's computer with its own device id and token."""

    def on_start(self) -> None:
        runner = self.environment.runner
        worker = int(getattr(runner, "worker_index", 0) or 0)
        index = next(_counter) * int(SPEC["processes"]) + worker
        self.index = index % len(DEVICES)
        self.device = DEVICES[self.index]
        self.cursor: str | None = self.device.get("cursor")
        self.rng = random.Random(self.index * 7919 + int(SPEC.get("seed", 0)))
        self.failures = 0
        self.queued: list[dict[str, Any]] = []
        self.next_delay = 0.0
        #: The fingerprint of the last /me answer (X-Account-Revision), as the engine holds it.
        self.me_revision: str | None = None
        self.kind_changes = f"GET /changes ({self.device['level']})"
        gevent.sleep(self.rng.uniform(0.0, float(SPEC["first_spread_s"])))

    def wait_time(self) -> float:
        return self.next_delay

    def _new_items(self) -> list[dict[str, Any]]:
        """One new report of the device's village, as the app queues it."""
        content = copy.deepcopy(TEMPLATES[self.rng.randrange(len(TEMPLATES))])
        content["report_uuid"] = str(uuid.uuid4())
        content["village_code"] = self.device["village"]
        content["submitted_at"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return [
            {
                "version_uuid": str(uuid.uuid4()),
                "parent_version_uuid": None,
                "version_no": 1,
                "content": content,
            }
        ]

    def _call(self, kind: str, fn: Callable[[], T]) -> T:
        start, began = time.time(), time.perf_counter()
        error = ""
        try:
            return fn()
        except ClientError as exc:
            error = f"{exc.kind.value}:{exc.code}"
            raise
        finally:
            seconds = time.perf_counter() - began
            log_line("R", kind, f"{start:.4f}", f"{seconds:.5f}", error, self.index)
            self.environment.events.request.fire(
                request_type=kind.split()[0],
                name=kind,
                response_time=seconds * 1000,
                response_length=0,
                exception=RuntimeError(error) if error else None,
                context={},
            )

    @task
    def sync_round(self) -> None:
        """One sync round as the app's engine runs it; sets the wait before the next."""
        device = self.device
        client = SyncClient(
            SPEC["url"], device_id=device["device_id"], token=device["token"], timeouts=Timeouts()
        )
        refused = 0
        known, revision = self.me_revision, None
        try:
            if known is None:  # no /me answer held yet: the engine asks it first
                self._call("GET /me", client.me)
                revision = client.revisions.get(ME_PATH)
            if device["village"] and self.rng.random() < float(SPEC["report_chance"]):
                self.queued += self._new_items()
            if self.queued:
                items = self.queued
                answer = self._call(
                    "POST /reports/batch", lambda: client.push_batch(items, datetime.now(UTC))
                )
                refused = sum(r.status not in ("accepted", "duplicate") for r in answer.results)
                self.queued = []
            pushed = client.revisions.get(PUSH_PATH)
            if known is not None and pushed is not None and pushed != known:
                self._call("GET /me", client.me)  # the push's answer: /me changed
                revision = client.revisions.get(ME_PATH)
            while True:
                page = self._call(
                    self.kind_changes, lambda: client.changes(self.cursor, limit=PAGE_LIMIT)
                )
                self.cursor = page.cursor
                if not page.has_more:
                    break
            stale = client.revisions.get(PUSH_PATH, client.revisions.get(CHANGES_PATH))
            if known is not None and revision is None and stale != known:
                self._call("GET /me", client.me)  # nothing pushed: the pull's answer said so
                revision = client.revisions.get(ME_PATH)
        except ClientError as exc:
            self.failures += 1
            # The app's wait: a busy server's Retry-After, else its backoff (at least 1 s),
            # on the run's time scale (1 but in quick runs).
            wait = next_delay(self.failures, self.rng, exc.retry_after)
            self.next_delay = wait * float(SPEC["time_scale"])
            log_line("S", self.index, f"{time.time():.4f}", 0, refused, self.cursor or "")
            return
        finally:
            client.close()
        self.failures = 0
        if revision is not None:  # held only after a round that went through
            self.me_revision = revision
        self.next_delay = float(SPEC["calm_s"])
        log_line("S", self.index, f"{time.time():.4f}", 1, refused, self.cursor or "")

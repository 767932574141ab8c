"""What the push and wire benchmarks share: a store full of queued reports, signed in."""

from __future__ import annotations

import os
import random
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from bench.server import CityServer
from informant_app.core.account.sign_in import sign_in
from informant_app.core.reports.importing import FORMAT_NAME, FORMAT_VERSION, import_reports
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sending import pending_versions
from informant_app.core.sync import engine as sync_engine
from sync.contract import format_time, utc_now

WAFANG = "530502208201"  # 瓦房社区: wafang_a (A) and wafang_b (B)
EVENT = "11111111-2222-4333-8444-555555555555"


def report_record(village: str, rng: random.Random) -> dict[str, Any]:
    """Return one valid initial flood report of ``village`` (import format)."""
    now = utc_now()
    central, dispersed = rng.randint(0, 20), rng.randint(0, 20)
    return {
        "report_uuid": str(uuid.uuid4()),
        "event_uuid": EVENT,
        "event_name": "测试山洪",
        "stage": "initial",
        "disaster_type": "flood",
        "disaster_subtype": "flash_flood",
        "village_code": village,
        "occurred_at": format_time(now - timedelta(hours=3)),
        "data_cutoff_at": format_time(now - timedelta(hours=1)),
        "narrative": "突降暴雨引发山洪，冲毁农田，部分房屋受损。",
        "figures": {
            "affected_pop": rng.randint(50, 500),
            "relocated": central + dispersed,
            "relocated_central": central,
            "relocated_dispersed": dispersed,
            "crop_affected_ha": 12.5,
            "crop_damaged_ha": 6.2,
            "crop_failed_ha": 1.1,
            "direct_loss": 35.6,
        },
    }


def file_reports(store: ReportStore, n: int, seed: int = 0) -> None:
    """Submit ``n`` new reports of 瓦房社区 (queued), 1,000 per import."""
    rng = random.Random(seed)
    done = 0
    while done < n:
        part = min(1000, n - done)
        doc = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "reports": [report_record(WAFANG, rng) for _ in range(part)],
        }
        summary = import_reports(store, doc, submit=True)
        if summary.imported != part:
            raise RuntimeError(f"import filed {summary.imported} of {part}")
        done += part


def queued_items(store: ReportStore) -> list[dict[str, Any]]:
    """Return the push items of every queued version, as the engine would send them."""
    with Session(store.engine) as s:
        return [p.item for p in pending_versions(s, 0, 10**9, 10**12)]


def device_store(
    folder: Path, city: CityServer, username: str, n: int, seed: int = 0
) -> ReportStore:
    """Return a fresh store in ``folder`` with ``n`` queued reports, signed in as ``username``."""
    os.environ["INFORMANT_TOKEN_STORAGE"] = "file"  # never the real keyring
    store = ReportStore.open(folder)
    if n:
        file_reports(store, n, seed)
    sign_in(store, city.url, username, city.passwords[username], device_name="bench")
    return store


@dataclass
class PhaseTimes:
    """Seconds each phase of the last round took, and callbacks at its edges."""

    seconds: dict[str, float] = field(default_factory=dict)
    marks: dict[str, Any] = field(default_factory=dict)


@contextmanager
def timed_phases(probe: Any = None) -> Iterator[PhaseTimes]:
    """Time the real engine's push and pull phases (``Pusher.run``, ``Puller.run``).

    ``probe()``, when given, is read at the start and end of each phase (byte counters).
    """
    times = PhaseTimes()
    names = {"push": "Pusher", "pull": "Puller"}
    originals: dict[str, Any] = {k: getattr(sync_engine, v) for k, v in names.items()}

    def wrap(name: str, base: Any) -> Any:
        def run(self: Any) -> Any:
            before = probe() if probe else None
            start = time.perf_counter()
            try:
                return base.run(self)
            finally:
                times.seconds[name] = times.seconds.get(name, 0.0) + (time.perf_counter() - start)
                if probe:
                    times.marks.setdefault(name, []).append((before, probe()))

        return type(f"Timed{base.__name__}", (base,), {"run": run})

    for key, attr in names.items():
        setattr(sync_engine, attr, wrap(key, originals[key]))
    try:
        yield times
    finally:
        for key, attr in names.items():
            setattr(sync_engine, attr, originals[key])

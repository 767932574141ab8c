"""Devices, reports and server-side views shared by the integration tests."""

from __future__ import annotations

import os
import random
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from informant_app.core.reports.importing import FORMAT_NAME, FORMAT_VERSION, import_reports
from informant_app.core.store.models import ReportVersionRow
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState
from informant_app.core.sync.engine import SyncEngine, sign_in
from sync.client.api import SyncClient
from sync.contract import format_time, utc_now
from sync.contract.wire.base import as_object
from tests.support.city_server import CityServer
from tests.support.places import SHUIGOU as SHUIGOU
from tests.support.places import WAFANG as WAFANG


def states_of(store: ReportStore, versions: list[str]) -> Counter[ReportState]:
    """Return how many of ``versions`` are in each state on the device."""
    with Session(store.engine) as s:
        rows = s.scalars(
            select(ReportVersionRow.state).where(ReportVersionRow.version_uuid.in_(versions))
        ).all()
    return Counter(ReportState(r) for r in rows)


def soak_iterations(default: int, per: int = 1) -> int:
    """Return the iterations of a soak test: ``SOAK_ITERATIONS // per`` under ``make soak``.

    ``per`` scales slow tests down (a fault run takes seconds, a SIGKILL a second); without
    ``SOAK_ITERATIONS`` (``make test``) it is the fast ``default``.
    """
    raw = os.environ.get("SOAK_ITERATIONS", "").strip()
    return max(1, int(raw) // per) if raw.isdigit() else default


def report_record(village: str, rng: random.Random, **changes: Any) -> dict[str, Any]:
    """Return one valid initial flood report of ``village`` (import format)."""
    now = utc_now()
    central, dispersed = rng.randint(0, 20), rng.randint(0, 20)
    record: dict[str, Any] = {
        "report_uuid": str(uuid.uuid4()),  # never the same report twice across tests
        "event_uuid": "11111111-2222-4333-8444-555555555555",
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
    record.update(changes)
    return record


def file_reports(store: ReportStore, n: int, village: str = WAFANG, seed: int = 0) -> list[str]:
    """Submit ``n`` new reports (queued); return their version ids."""
    rng = random.Random(seed)
    doc = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "reports": [report_record(village, rng) for _ in range(n)],
    }
    summary = import_reports(store, doc, submit=True)
    assert summary.imported == n, summary
    return list(summary.version_uuids)


def revise(store: ReportStore, report_uuid: str, **figures: Any) -> str:
    """Revise ``report_uuid`` with ``figures`` changed and submit it; return the new version."""
    draft = store.revise(report_uuid)
    content = dict(draft.content)
    content["figures"] = {**content["figures"], **figures}
    store.save_draft(draft.version_uuid, content)
    result = store.submit(draft.version_uuid)
    assert result.ok, result.issues
    return draft.version_uuid


@dataclass
class Device:
    """One informant's installation: a data folder signed in to the city server."""

    folder: Path
    store: ReportStore
    username: str

    def engine(self, **kwargs: Any) -> SyncEngine:
        return SyncEngine(self.store, **kwargs)

    def states(self) -> Counter[ReportState]:
        return Counter({k: v for k, v in self.store.state_counts().items() if v})

    def close(self) -> None:
        self.store.close()


def device(city: CityServer, folder: Path, username: str) -> Device:
    """Return a store in ``folder`` signed in as ``username``."""
    store = ReportStore.open(folder)
    sign_in(store, city.url, username, city.passwords[username], device_name="test")
    return Device(folder, store, username)


class ServerView:
    """What the server holds, seen by the city admin through the API."""

    def __init__(self, city: CityServer) -> None:
        self.client = SyncClient(city.url, device_id=f"test-admin-{uuid.uuid4()}")
        self.client.login("baoshan_city", city.passwords["baoshan_city"], "test")
        self.cursor: str | None = None
        self.versions: Counter[str] = Counter()
        self.status: dict[str, str] = {}
        self.by_report: dict[str, list[dict[str, Any]]] = {}

    def refresh(self) -> ServerView:
        """Pull every change since the last refresh."""
        while True:
            page = self.client.changes(self.cursor, 1000)
            for change in map(as_object, page.changes):  # as the wire's JSON objects
                if change["kind"] == "report_version":
                    self.versions[change["version_uuid"]] += 1
                    self.status[change["version_uuid"]] = change["status"]
                    self.by_report.setdefault(change["report_uuid"], []).append(change)
            self.cursor = page.cursor
            if not page.has_more:
                return self

    def report(self, report_uuid: str) -> dict[str, Any]:
        """``GET /api/v1/reports/{uuid}`` with every version."""
        response = self.client.session.get(
            f"{self.client.base_url}/api/v1/reports/{report_uuid}",
            headers={"Authorization": f"Bearer {self.client.token}"},
            timeout=10,
        )
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data

    def close(self) -> None:
        self.client.close()


def assert_exactly_once(view: ServerView, version_uuids: list[str]) -> None:
    """Every version is on the server exactly once (and nothing else from them)."""
    view.refresh()
    missing = [v for v in version_uuids if view.versions[v] == 0]
    doubled = [v for v, n in view.versions.items() if n > 1]
    assert not missing, f"{len(missing)} versions missing on the server, e.g. {missing[:3]}"
    assert not doubled, f"versions announced twice: {doubled[:3]}"

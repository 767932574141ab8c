"""Issue 8, part 3: the weak link.

Through ``Shaper`` (bench/shaper.py) at 64 kbit/s with 400 ms round trips, one informant's
device sends 50 reports with one photo each through the real ``SyncEngine`` (figures first,
then the photos in resumable chunks, then the pull).  Three figures, each measured in the
same run as what it is compared with:

(a) ordering: the server's time of the last report's figures (``server_received_at``) against
    its time of the first complete photo (``photos.completed_at``); met when every figure is
    there first.
(b) time: the clean run's wall time against the link's own limit, the bytes the link
    actually carried (the larger direction, from the shaper's counters) ÷ the bandwidth;
    goal ≤ 1.5 ×.
(c) resets: a second run, identical but with every connection reset (RST) every
    ``reset_every`` seconds; the bytes sent up beyond the clean run's, per reset, against
    the chunk size; goal ≤ one chunk plus the requests' own overhead.

The default run scales the photos down to 30 KB (≈ 3 minutes per run at 64 kbit/s); ``full``
uses the issue's 300 KB (≈ 31 minutes per run); ``quick`` is the test suite's few seconds.
Rounds follow each other at once (the app's retry back-off after a failed round is left out:
it is idle time, not link time).
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.figures import Figure, Options
from bench.server import CityServer
from bench.shaper import Shaper
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.engine import SyncEngine, sign_in
from sync.contract import format_time

PART = "weak_link"
VILLAGE = "530502208201"  # 瓦房社区, wafang_a
EVENT = "11111111-2222-4333-8444-555555555555"
#: Bytes a reset may cost beyond the cut chunk: the requests of the next round (GET /me,
#: GET /photos/{sha}, the PUT's headers) and the new connection's.
REQUEST_OVERHEAD = 4 * 1024


@dataclass(frozen=True)
class Scenario:
    """The sizes of one weak-link run."""

    reports: int
    photo_bytes: int
    bits_per_second: int
    rtt: float
    reset_every: float
    chunk_size: int
    label: str
    deadline: float  # seconds a run may take before it is given up

    @property
    def bytes_per_second(self) -> float:
        return self.bits_per_second / 8


ISSUE = Scenario(50, 300_000, 64_000, 0.4, 30.0, 64 * 1024, "the issue's sizes", 3600)
DEFAULT = Scenario(
    50,
    30_000,
    64_000,
    0.4,
    30.0,
    64 * 1024,
    "photos scaled down from 300 KB to 30 KB (≈3 min per run); --full for 300 KB",
    900,
)
QUICK = Scenario(
    5,
    40_000,
    256_000,
    0.1,
    1.5,
    16 * 1024,
    "quick: 5 reports × 40 KB at 256 kbit/s, 100 ms RTT, 16 KiB chunks, resets every 1.5 s",
    120,
)


def scenario(options: Options) -> Scenario:
    """Return the sizes ``options`` ask for."""
    if options.quick:
        return QUICK
    return ISSUE if options.full else DEFAULT


@dataclass
class RunResult:
    """What one run through the shaper measured."""

    seconds: float
    up: int
    down: int
    resets: int
    rounds: int
    connections: int
    last_figures: float  # seconds after the start, server clock
    first_photo: float
    last_photo: float
    photos_complete: int


def jpeg_bytes(rng: random.Random, size: int) -> bytes:
    """Return ``size`` bytes that pass for a JPEG (SOI + APP0 header, incompressible body)."""
    head = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return head + rng.randbytes(size - len(head) - 2) + b"\xff\xd9"


def file_reports(store: ReportStore, folder: Path, sc: Scenario, seed: int) -> list[str]:
    """File ``sc.reports`` reports with one photo each, as the app does (draft, photo, submit)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC).replace(microsecond=0)
    versions = []
    for i in range(sc.reports):
        draft = store.new_draft()
        central, dispersed = rng.randint(0, 20), rng.randint(0, 20)
        store.save_draft(
            draft.version_uuid,
            {
                "report_uuid": draft.report_uuid,
                "event_uuid": EVENT,
                "event_name": "测试山洪",
                "stage": "initial",
                "disaster_type": "flood",
                "disaster_subtype": "flash_flood",
                "village_code": VILLAGE,
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
            },
        )
        photo = folder / f"photo-{i}.jpg"
        photo.write_bytes(jpeg_bytes(rng, sc.photo_bytes))
        store.add_photo(draft.version_uuid, photo)
        result = store.submit(draft.version_uuid)
        if not result.ok:
            raise RuntimeError(f"report {i} not submitted: {result.issues}")
        versions.append(draft.version_uuid)
    return versions


def _time(text: str | None) -> float | None:
    if text is None:
        return None
    parsed = datetime.fromisoformat(str(text))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def server_times(db_path: Path, versions: list[str]) -> tuple[float, list[float]]:
    """Return the server's time of the last of ``versions`` and its photo completion times."""
    with sqlite3.connect(db_path) as db:
        marks = ",".join("?" * len(versions))
        received = [
            _time(r[0])
            for r in db.execute(
                f"SELECT server_received_at FROM report_versions WHERE version_uuid IN ({marks})",
                versions,
            )
        ]
        photos = [_time(r[0]) for r in db.execute("SELECT completed_at FROM photos WHERE complete")]
    if len(received) != len(versions) or None in received:
        raise RuntimeError(f"{len(received)} of {len(versions)} versions on the server")
    return max(t for t in received if t is not None), sorted(t for t in photos if t is not None)


def one_run(workdir: Path, sc: Scenario, *, resets: bool, seed: int = 8) -> RunResult:
    """File the reports on a fresh server and device, sync them through the shaper."""
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("INFORMANT_TOKEN_STORAGE", "file")
    with CityServer(workdir / "city") as city:
        store = ReportStore.open(workdir / "device")
        try:
            sign_in(store, city.url, "wafang_a", city.passwords["wafang_a"], device_name="bench")
            versions = file_reports(store, workdir / "photos", sc, seed)
            shaper = Shaper(
                city.port,
                bytes_per_second=sc.bytes_per_second,
                rtt=sc.rtt,
                reset_every=sc.reset_every if resets else None,
            )
            rounds = 0
            with shaper:
                engine = SyncEngine(store, server_url=shaper.url, chunk_size=sc.chunk_size)
                wall0 = time.time()
                start = time.monotonic()
                while True:
                    rounds += 1
                    engine.run_round()
                    status = engine.status()
                    if (
                        status.queued == 0
                        and status.photos_pending == 0
                        and status.last_problem is None
                    ):
                        break
                    if time.monotonic() - start > sc.deadline:
                        raise RuntimeError(f"no convergence in {sc.deadline} s: {status}")
                seconds = time.monotonic() - start
            last_figures, photos = server_times(workdir / "city" / "city.db", versions)
        finally:
            store.close()
    if len(photos) < sc.reports:
        raise RuntimeError(f"{len(photos)} of {sc.reports} photos complete on the server")
    return RunResult(
        seconds=seconds,
        up=shaper.up.carried,
        down=shaper.down.carried,
        resets=shaper.resets,
        rounds=rounds,
        connections=shaper.connections,
        last_figures=last_figures - wall0,
        first_photo=photos[0] - wall0,
        last_photo=photos[-1] - wall0,
        photos_complete=len(photos),
    )


def run(options: Options) -> list[Figure]:
    """Run the clean and the resetting run; return figures (a), (b), (c)."""
    sc = scenario(options)
    base = Path(options.workdir) / PART
    clean = one_run(base / "clean", sc, resets=False)
    cut = one_run(base / "resets", sc, resets=True)
    rate = sc.bytes_per_second
    sizes: dict[str, Any] = {
        "reports": sc.reports,
        "photo_bytes": sc.photo_bytes,
        "bits_per_second": sc.bits_per_second,
        "rtt_s": sc.rtt,
        "chunk_bytes": sc.chunk_size,
        "sizes": sc.label,
    }
    link_bytes = max(clean.up, clean.down)
    limit = link_bytes / rate
    extra = cut.up - clean.up
    per_reset = extra / cut.resets if cut.resets else float("nan")
    return [
        Figure(
            PART,
            "last report's figures on the server (s after start)",
            round(clean.last_figures, 3),
            "s",
            "first photo complete on the server",
            round(clean.first_photo, 3),
            "every figure before the first photo",
            clean.last_figures < clean.first_photo,
            {
                **sizes,
                "last_photo_s": round(clean.last_photo, 3),
                "photos_complete": clean.photos_complete,
                "with_resets": {
                    "last_figures_s": round(cut.last_figures, 3),
                    "first_photo_s": round(cut.first_photo, 3),
                    "ordered": cut.last_figures < cut.first_photo,
                },
                "clock": "server times (report_versions.server_received_at, photos.completed_at)",
            },
        ),
        Figure(
            PART,
            "total sync time through the weak link",
            round(clean.seconds, 2),
            "s",
            "link limit: bytes carried ÷ bandwidth",
            round(limit, 2),
            "≤ 1.5 × link limit",
            clean.seconds <= 1.5 * limit,
            {
                **sizes,
                "bytes_up": clean.up,
                "bytes_down": clean.down,
                "payload_bytes": sc.reports * sc.photo_bytes,
                "rounds": clean.rounds,
                "connections": clean.connections,
            },
        ),
        Figure(
            PART,
            "re-sent bytes per connection reset",
            round(per_reset, 1),
            "bytes",
            "one chunk",
            float(sc.chunk_size),
            f"≤ 1 chunk + {REQUEST_OVERHEAD} B of requests",
            cut.resets > 0 and per_reset <= sc.chunk_size + REQUEST_OVERHEAD,
            {
                **sizes,
                "reset_every_s": sc.reset_every,
                "resets": cut.resets,
                "bytes_up_clean": clean.up,
                "bytes_up_with_resets": cut.up,
                "extra_bytes_up": extra,
                "seconds_with_resets": round(cut.seconds, 2),
                "rounds_with_resets": cut.rounds,
                "connections_with_resets": cut.connections,
            },
        ),
    ]


if __name__ == "__main__":  # python -m bench.weak_link [--quick|--full]
    import json
    import sys
    import tempfile

    from bench.figures import table

    with tempfile.TemporaryDirectory() as tmp:
        figs = run(Options(Path(tmp), quick="--quick" in sys.argv, full="--full" in sys.argv))
    print(table(figs))
    print(json.dumps([f.to_json() for f in figs], ensure_ascii=False, indent=1))

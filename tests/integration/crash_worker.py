"""The crash-soak worker: real work on a data folder, journalled, until it is killed.

Run as ``python crash_worker.py run DATA_DIR JOURNAL SEED`` it opens the store (signed in to
the live server beforehand), runs a sync round as the app does at start, then loops: create a
draft, type its fields one at a time with an autosave after each (``ReportStore.save_draft``
with the whole form content, as ``ReportForm.save_now`` does), submit complete drafts
(``save_draft`` then ``submit``, as ``ReportForm._submit_now`` does), attach photos
(``add_photo``; a sync round uploads them in chunks), revise submitted
reports and run sync rounds through the real ``SyncEngine``.  It never stops by itself: the
test kills it with SIGKILL.

Every step is written to the JSON-lines journal *before* it starts (``phase``) and after it
ended (``done``), each line appended with one ``write`` and ``fsync``-ed, so the test knows
what must have survived the kill and what may be in flight.

Run as ``python crash_worker.py serve`` it is a fork server: it imports everything once and
forks a worker for each ``run DATA_DIR JOURNAL SEED`` line on stdin, answering
``pid <pid>`` and, when the worker died, ``exit <pid> <wait status>``.  Start-up (imports)
is most of a fresh process's second; a forked worker opens the store as a fresh one would.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import time
import traceback
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root

from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportFilter, ReportState
from informant_app.core.sync.engine import SyncEngine
from sync.client.api import Timeouts
from sync.contract import format_time, parse_time, utc_now

#: Open drafts the worker keeps at most (it finishes one before starting another).
MAX_OPEN_DRAFTS = 2
#: Chance that a step is a sync round (besides the one at start and after submits).
SYNC_CHANCE = 0.08
#: Chance that a step attaches a photo to a draft with a narrative and no photo yet.
PHOTO_CHANCE = 0.3
#: PNG signature: the store sniffs images by their first bytes.
PNG = b"\x89PNG\r\n\x1a\n"


class Journal:
    """An append-only JSON-lines file: one ``write`` and one ``fsync`` per record."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.seq = 0

    def write(self, **record: Any) -> None:
        self.seq += 1
        line = json.dumps({"seq": self.seq, **record}, ensure_ascii=False) + "\n"
        os.write(self.fd, line.encode("utf-8"))
        os.fsync(self.fd)


def _set(content: dict[str, Any], path: str, value: Any) -> None:
    if path.startswith("figures."):
        content["figures"] = {**(content.get("figures") or {}), path[8:]: value}
    else:
        content[path] = value


def _get(content: dict[str, Any], path: str) -> Any:
    if path.startswith("figures."):
        return (content.get("figures") or {}).get(path[8:])
    return content.get(path)


#: The fields of a valid flood report, in the order a person types them.
PLAN = (
    "disaster_type",
    "disaster_subtype",
    "event_name",
    "occurred_at",
    "data_cutoff_at",
    "narrative",
    "figures.affected_pop",
    "figures.relocated_central",
    "figures.relocated_dispersed",
    "figures.relocated",
    "figures.crop_affected_ha",
    "figures.crop_damaged_ha",
    "figures.crop_failed_ha",
    "figures.direct_loss",
)
EVENT_PREFIX = "崩溃测试山洪"


def typed(content: dict[str, Any], path: str) -> bool:
    """Whether a draft has ``path`` typed in (a blank draft's times both say "now")."""
    value = _get(content, path)
    if path == "occurred_at":
        return bool(value != content.get("data_cutoff_at"))
    if path == "data_cutoff_at":
        return bool(value == _plus_hours(content.get("occurred_at"), 2))
    if path == "event_name":
        return str(value or "").startswith(EVENT_PREFIX)
    return value not in (None, "")


def missing_fields(content: dict[str, Any]) -> list[str]:
    """Return the plan's fields a draft does not have yet, in typing order."""
    return [path for path in PLAN if not typed(content, path)]


def plan_value(content: dict[str, Any], path: str, rng: random.Random, n: int) -> Any:
    """Return what the worker types into ``path`` of a draft."""
    figures = content.get("figures") or {}
    if path == "occurred_at":  # three hours before the blank draft's "now"
        return _plus_hours(content.get("data_cutoff_at"), -3)
    if path == "data_cutoff_at":
        return _plus_hours(content.get("occurred_at"), 2)
    if path == "figures.relocated":
        return int(figures.get("relocated_central", 0)) + int(figures.get("relocated_dispersed", 0))
    fixed: dict[str, Any] = {
        "disaster_type": "flood",
        "disaster_subtype": "flash_flood",
        "event_name": f"{EVENT_PREFIX}{n}",
        "narrative": f"突降暴雨引发山洪，冲毁农田，部分房屋受损。第{n}份",
        "figures.affected_pop": rng.randint(50, 500),
        "figures.relocated_central": rng.randint(0, 20),
        "figures.relocated_dispersed": rng.randint(0, 20),
        "figures.crop_affected_ha": "12.5",
        "figures.crop_damaged_ha": "6.2",
        "figures.crop_failed_ha": "1.1",
        "figures.direct_loss": f"{rng.randint(10, 90)}.5",
    }
    return fixed[path]


def _plus_hours(text: Any, hours: int) -> str:
    moment = parse_time(text, "time") if isinstance(text, str) else utc_now()
    return format_time(moment + timedelta(hours=hours))


class Worker:
    """The loop of real work; each step journalled before and after."""

    def __init__(self, store: ReportStore, journal: Journal, rng: random.Random) -> None:
        self.store = store
        self.journal = journal
        self.rng = rng
        self.engine = SyncEngine(
            store,
            timeouts=Timeouts(connect=5, read=10),
            batch_size=rng.choice((1, 2, 5, 20)),
            rng=rng,
        )

    def run(self) -> None:
        self.sync()  # the app runs a round when it starts
        while True:
            self.step()

    def step(self) -> None:
        drafts = self.store.drafts()
        roll = self.rng.random()
        if roll < SYNC_CHANCE:
            self.sync()
            return
        bare = [d for d in drafts if typed(d.content, "narrative") and not d.content["photos"]]
        if bare and self.rng.random() < PHOTO_CHANCE:
            self.add_photo(self.rng.choice(bare))
            return
        incomplete = [d for d in drafts if missing_fields(d.content)]
        complete = [d for d in drafts if not missing_fields(d.content)]
        if incomplete:
            self.type_field(self.rng.choice(incomplete))
        elif complete:
            draft = self.rng.choice(complete)
            if self.rng.random() < 0.6:
                self.submit(draft)
                if self.rng.random() < 0.5:
                    self.sync()
            else:
                self.edit(draft)
        elif len(drafts) < MAX_OPEN_DRAFTS:
            if self.rng.random() < 0.35 and self.revise():
                return
            self.create()

    def save(self, version_uuid: str, content: dict[str, Any], field: str) -> None:
        self.journal.write(phase="saving", draft=version_uuid, field=field, content=content)
        started = time.perf_counter()
        self.store.save_draft(version_uuid, content)
        self.journal.write(done="saving", draft=version_uuid, ms=_ms(started))

    def type_field(self, draft: Any) -> None:
        content = dict(draft.content)
        path = missing_fields(content)[0]
        _set(content, path, plan_value(content, path, self.rng, self.journal.seq))
        self.save(draft.version_uuid, content, path)

    def edit(self, draft: Any) -> None:
        """Change one field of a complete draft (a revision's correction, a second thought)."""
        content = dict(draft.content)
        path = self.rng.choice(("narrative", "figures.affected_pop", "figures.direct_loss"))
        if path == "narrative":
            value: Any = (str(content.get("narrative") or "") + "水位继续上涨。")[-300:]
        elif path == "figures.affected_pop":
            value = self.rng.randint(50, 500)
        else:
            value = f"{self.rng.randint(10, 90)}.{self.rng.randint(0, 9)}"
        _set(content, path, value)
        self.save(draft.version_uuid, content, path)

    def add_photo(self, draft: Any) -> None:
        """Attach a new photo (40–160 KiB: several upload chunks) to the draft."""
        source = self.store.data_dir.parent / "photo-sources" / f"{uuid.uuid4()}.png"
        source.parent.mkdir(exist_ok=True)
        body = PNG + self.rng.randbytes(self.rng.randint(40, 160) * 1024)
        source.write_bytes(body)
        sha256 = hashlib.sha256(body).hexdigest()
        content = dict(draft.content)
        content["photos"] = [
            *content["photos"],
            {"sha256": sha256, "size": len(body), "mime": "image/png"},
        ]
        self.journal.write(phase="photo", draft=draft.version_uuid, sha256=sha256, content=content)
        started = time.perf_counter()
        self.store.add_photo(draft.version_uuid, source)
        self.journal.write(done="photo", draft=draft.version_uuid, ms=_ms(started))
        source.unlink()

    def submit(self, draft: Any) -> None:
        content = dict(draft.content)
        self.journal.write(phase="submitting", draft=draft.version_uuid, content=content)
        started = time.perf_counter()
        self.store.save_draft(draft.version_uuid, content)
        result = self.store.submit(draft.version_uuid)
        self.journal.write(
            done="submitting",
            draft=draft.version_uuid,
            ok=result.ok,
            issues=[i.rule for i in result.issues if not result.ok],
            ms=_ms(started),
        )
        if not result.ok:
            raise RuntimeError(f"submit refused: {result.issues}")

    def create(self) -> None:
        self.journal.write(phase="creating")
        started = time.perf_counter()
        draft = self.store.new_draft()
        self.journal.write(
            done="creating",
            draft=draft.version_uuid,
            report=draft.report_uuid,
            content=draft.content,
            ms=_ms(started),
        )

    def revise(self) -> bool:
        rows = self.store.report_rows(ReportFilter(), 0, 200)
        frozen = [r for r in rows if r.state is not ReportState.DRAFT]
        if not frozen:
            return False
        report_uuid = self.rng.choice(frozen).report_uuid
        self.journal.write(phase="revising", report=report_uuid)
        started = time.perf_counter()
        draft = self.store.revise(report_uuid)
        self.journal.write(
            done="revising",
            draft=draft.version_uuid,
            report=report_uuid,
            parent=draft.parent_version_uuid,
            content=draft.content,
            ms=_ms(started),
        )
        return True

    def sync(self) -> None:
        self.journal.write(phase="syncing", queued=self.store.outbox_size())
        started = time.perf_counter()
        summary = self.engine.run_round()
        self.journal.write(
            done="syncing",
            pushed=summary.pushed,
            failed=summary.failed,
            conflicts=summary.conflicts,
            pulled=summary.pulled,
            problem=None if summary.problem is None else summary.problem.en,
            ms=_ms(started),
        )


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def run(data_dir: Path, journal_path: Path, seed: int) -> int:
    """Work on ``data_dir`` until killed; an unexpected error is journalled (exit 3)."""
    journal = Journal(journal_path)
    journal.write(phase="opening", pid=os.getpid())
    try:
        store = ReportStore.open(data_dir)
        journal.write(done="opening")
        Worker(store, journal, random.Random(seed)).run()
    except BaseException:  # everything reaches the journal for the test
        journal.write(error=traceback.format_exc())
        return 3
    return 0  # pragma: no cover - the loop never ends


def serve() -> int:
    """Fork a worker for each ``run DATA_DIR JOURNAL SEED`` line; report its pid and end."""
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        if parts[0] != "run" or len(parts) != 4:
            print(f"error bad command {line.strip()!r}", flush=True)
            continue
        pid = os.fork()
        if pid == 0:  # the worker: a fresh store, its own output, never back into this loop
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            code = 3
            try:
                code = run(Path(parts[1]), Path(parts[2]), int(parts[3]))
            finally:
                os._exit(code)
        print(f"pid {pid}", flush=True)
        _pid, status = os.waitpid(pid, 0)
        print(f"exit {pid} {status}", flush=True)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        sys.exit(serve())
    if sys.argv[1:2] == ["run"] and len(sys.argv) == 5:
        sys.exit(run(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])))
    sys.exit("usage: crash_worker.py serve | run DATA_DIR JOURNAL SEED")

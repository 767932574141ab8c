"""A sync round says what it is doing: versions sent of those waiting, photo bytes, changes
received so far (issue 17, item 14), against a real city server.

Informant A sends 12 reports (one with a photo) in batches of 5: the push counts 0, 5, 10, 12
of 12 and the photo's bytes rise chunk by chunk to its size.  Informant B (same village) then
syncs for the first time, 5 changes a page: the pull is marked ``first`` and its count rises
page by page to what the round pulled.  The township reviewer's first sync by the headless
``sync`` command shows the same on a terminal's standard error, the JSON alone on standard
output; off a terminal, nothing on standard error.  ``Throttle`` passes at most one report per
interval.
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest

from informant_app.commands.main import build_parser, run
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.engine import SyncEngine, sign_in
from informant_app.core.sync.progress import Throttle
from informant_app.core.sync.types import Phase, Progress, Unit
from tests.informant_app.core.conftest import fill
from tests.informant_app.test_cli_progress import on_terminal
from tests.support.city_server import CityServer

PHOTO_BYTES = 100_000


def file_reports(store: ReportStore, count: int, photo: Path) -> None:
    for n in range(count):
        draft = store.new_draft()
        store.save_draft(draft.version_uuid, fill(draft.content, narrative=f"河水上涨{n}"))
        if n == 0:
            store.add_photo(draft.version_uuid, photo)
        assert store.submit(draft.version_uuid).ok


def of(events: list[Progress], phase: Phase) -> list[Progress]:
    return [p for p in events if p.phase is phase]


def test_a_round_reports_counts_as_it_goes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + random.Random(1).randbytes(PHOTO_BYTES - 4))
    with CityServer(tmp_path / "city") as city:
        with ReportStore.open(tmp_path / "device-a") as a:
            sign_in(a, city.url, "wafang_a", city.password("wafang_a"))
            file_reports(a, 12, photo)
            events: list[Progress] = []
            engine = SyncEngine(a, batch_size=5, chunk_size=16 * 1024)
            summary = engine.run_round(progress=events.append)
            assert summary.ok and summary.pushed == 12, summary
            push = of(events, Phase.PUSH)
            assert [(p.done, p.total) for p in push] == [(0, 12), (5, 12), (10, 12), (12, 12)]
            assert {p.unit for p in push} == {Unit.VERSIONS}
            photos = [p.done for p in of(events, Phase.PHOTOS)]
            assert len(photos) >= 4 and photos == sorted(photos)  # chunk by chunk
            assert photos[0] == 0 and photos[-1] == PHOTO_BYTES
            assert {p.total for p in of(events, Phase.PHOTOS)} == {PHOTO_BYTES}
            # the phases come in the round's order
            order = [p.phase for p in events]
            assert order.index(Phase.PUSH) < order.index(Phase.PHOTOS) < order.index(Phase.PULL)
        with ReportStore.open(tmp_path / "device-b") as b:
            sign_in(b, city.url, "wafang_b", city.password("wafang_b"))
            events = []
            summary = SyncEngine(b, page_limit=5).run_round(progress=events.append)
            assert summary.ok and summary.pulled >= 12, summary
            pull = of(events, Phase.PULL)
            assert all(p.first and p.total is None for p in pull)
            counts = [p.done for p in pull]
            assert counts[0] == 0 and counts[-1] == summary.pulled
            assert len(counts) >= 4 and counts == sorted(counts) and counts[1] > 0
            assert pull[-1].text_zh() == f"正在接收，已收到 {summary.pulled:,} 个版本"
            # the next round is no first sync
            events = []
            assert SyncEngine(b).run_round(progress=events.append).ok
            assert not any(p.first for p in of(events, Phase.PULL))
        folder = tmp_path / "reviewer"
        with ReportStore.open(folder) as c:
            sign_in(c, city.url, "wafang_reviewer", city.password("wafang_reviewer"))
        args = build_parser().parse_args(["--data-dir", str(folder), "sync"])
        code, out, shown = on_terminal(lambda out, err: run(args, out, err))
        assert code == 0, shown
        assert json.loads(out)["ok"] and out.count("\n") == 1  # the JSON only
        assert "正在接收，已收到 0 个版本…" in shown and shown.endswith("\n")
        assert "\r\033[K" in shown
        out_file, err_file = io.StringIO(), io.StringIO()  # not a terminal: nothing extra
        assert run(args, out_file, err_file) == 0
        assert err_file.getvalue() == "" and json.loads(out_file.getvalue())["ok"]


def test_throttle_passes_the_first_the_last_and_one_per_interval() -> None:
    now = [0.0]
    passed: list[Progress] = []
    throttle = Throttle(passed.append, interval=0.1, clock=lambda: now[0])
    for done in range(101):  # 100 reports within 50 ms: the first and the last pass
        now[0] = done * 0.0005
        throttle(Progress(Phase.PUSH, done, 100, Unit.VERSIONS))
    assert [p.done for p in passed] == [0, 100]
    now[0] = 1.0
    throttle(Progress(Phase.PULL, 5))  # a new phase passes at once
    now[0] = 1.05
    throttle(Progress(Phase.PULL, 10))  # too soon
    now[0] = 1.2
    throttle(Progress(Phase.PULL, 15))
    assert [(p.phase, p.done) for p in passed[2:]] == [(Phase.PULL, 5), (Phase.PULL, 15)]

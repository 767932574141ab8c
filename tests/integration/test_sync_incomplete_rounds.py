"""Issue 18: a round that could not send every photo says so, and still pulls; conflicts stay.

With the real city server: a photo that cannot be read no longer ends the round before the
pull (the partner's report arrives in the same round), ``sync`` exits 3 and ``status --json``
counts the photo still to send.  A conflict closes only by a resolution that names both sides:
an ordinary revision filed meanwhile leaves it open on both devices.  A conflict whose push
answer was lost still counts in the round that hears of it.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import informant_app.core.account.trust as trust
from informant_app.commands.main import build_parser, run
from informant_app.commands.main import main as cli
from informant_app.commands.sync import EXIT_INCOMPLETE, sync_exit_code, sync_status_json
from informant_app.core.store.conflicts import resolved_by
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState
from informant_app.core.sync.engine import open_conflicts, resolve_conflict
from sync.client.api import ClientError, FailureKind, SyncClient
from tests.integration.helpers import ServerView, device, file_reports, revise
from tests.support.city_server import CityServer

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64


def _with_photo(store: ReportStore, report: str, folder: Path) -> tuple[str, str]:
    """Revise ``report`` with a photo attached; return (version, sha256)."""
    draft = store.revise(report)
    source = folder / "photo.png"
    source.write_bytes(PNG)
    ref = store.add_photo(draft.version_uuid, source)
    content = dict(store.revise(report).content)
    content["narrative"] = "照片见附件，田地被冲毁。"
    store.save_draft(draft.version_uuid, content)
    result = store.submit(draft.version_uuid)
    assert result.ok, result.issues
    return draft.version_uuid, ref.sha256


def test_unreadable_photo_still_pulls_and_exits_incomplete(
    live_city: CityServer, tmp_path: Path
) -> None:
    a = device(live_city, tmp_path / "a", "wafang_a")
    b = device(live_city, tmp_path / "b", "wafang_b")
    [first] = file_reports(a.store, 1, seed=1801)
    report = a.store.version_content(first).report_uuid
    assert a.engine().run_round().ok
    version, sha = _with_photo(a.store, report, tmp_path)
    photo = a.store.photo_path(sha)
    photo.unlink()
    photo.mkdir()  # the photo "file" cannot be read, even by root
    [partner] = file_reports(b.store, 1, seed=1802)
    assert b.engine().run_round().ok

    summary = a.engine().run_round()
    assert summary.problem is not None and summary.problem.kind.value == "disk", summary
    assert summary.still_queued == 0 and summary.photos_pending == 1, summary
    # The pull ran after the failed photo phase: B's report arrived in the same round.
    partner_report = b.store.version_content(partner).report_uuid
    assert partner in {v for v, _n, _s in a.store.history(partner_report)}
    assert sync_exit_code(summary) == EXIT_INCOMPLETE
    assert summary.to_json()["complete"] is False
    status = sync_status_json(a.store)
    assert status["photos_pending"] == 1 and status["received_without_photos"] == 1, status
    assert a.store.history(report)[-1] == (version, 2, ReportState.RECEIVED)

    # The command line says the same: exit 3 while the photo is still to send.
    out = io.StringIO()
    with redirect_stdout(out):
        code = cli(["--data-dir", str(a.folder), "--lang", "en", "sync"])
    assert code == EXIT_INCOMPLETE, out.getvalue()
    # ``status --json`` counts the photo still to send: the report is not fully received.
    out = io.StringIO()
    assert (
        run(build_parser().parse_args(["--data-dir", str(a.folder), "status", "--json"]), out) == 0
    )
    shown = json.loads(out.getvalue())
    assert shown["photos_pending"] == 1 and shown["received_without_photos"] == 1, shown

    a.close()
    b.close()


def test_ordinary_revision_does_not_close_a_conflict(live_city: CityServer, tmp_path: Path) -> None:
    a = device(live_city, tmp_path / "a", "wafang_a")
    b = device(live_city, tmp_path / "b", "wafang_b")
    [first] = file_reports(a.store, 1, seed=1803)
    report = a.store.version_content(first).report_uuid
    assert a.engine().run_round().ok
    assert b.engine().run_round().ok
    ours_a = revise(a.store, report, affected_pop=150)
    ours_b = revise(b.store, report, affected_pop=180, missing=2)
    assert a.engine().run_round().ok
    assert b.engine().run_round().conflicts == 1
    assert a.engine().run_round().ok  # A hears of B's conflicting version
    assert len(open_conflicts(a.store)) == 1

    # A ignores the conflict and files an ordinary revision; both sync.
    plain = revise(a.store, report, deaths=1)
    assert a.engine().run_round().ok
    assert b.engine().run_round().ok
    assert a.engine().run_round().ok
    for dev in (a, b):
        [conflict] = open_conflicts(dev.store)  # still open, and visible
        sides = {conflict.ours.version_uuid, conflict.theirs.version_uuid}
        assert sides == {plain, ours_b}, sides  # the main side moved on with the main line
        assert dev.engine().status().conflicts == 1

    # B resolves through the dialog's path, choosing its own figures.
    resolution = resolve_conflict(
        b.store, report, {"figures.affected_pop": ours_b, "figures.missing": ours_b}
    )
    assert resolved_by(resolution, plain, {ours_b}) == {ours_b}
    assert resolved_by(plain, ours_a, {ours_b}) == set()
    assert b.engine().run_round().ok
    assert a.engine().run_round().ok
    for dev in (a, b):
        assert open_conflicts(dev.store) == []
        assert dev.store.history(report)[-1][0] == resolution
    merged = a.store.version_content(resolution)
    assert (merged.figures["affected_pop"], merged.figures["missing"]) == (
        Decimal(180),
        Decimal(2),
    )
    assert merged.figures["deaths"] == Decimal(1)  # A's ordinary revision is kept too
    view = ServerView(live_city)
    try:
        server = view.report(report)
    finally:
        view.close()
    assert server["current_version_uuid"] == resolution
    a.close()
    b.close()


class _LosesAnswers(SyncClient):
    """The real client, whose push answers are lost after the server stored the batch."""

    lose = True  # class-wide: the engine makes a new client each round

    def push_batch(self, items: list[dict[str, Any]], device_time: datetime) -> Any:
        answer = super().push_batch(items, device_time)
        if _LosesAnswers.lose:
            raise ClientError(FailureKind.NETWORK, "reset", "连接中断", "connection reset")
        return answer


def test_conflict_with_a_lost_answer_is_counted(
    live_city: CityServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = device(live_city, tmp_path / "a", "wafang_a")
    b = device(live_city, tmp_path / "b", "wafang_b")
    [first] = file_reports(a.store, 1, seed=1804)
    report = a.store.version_content(first).report_uuid
    assert a.engine().run_round().ok
    assert b.engine().run_round().ok
    revise(a.store, report, affected_pop=150)
    ours_b = revise(b.store, report, affected_pop=180)
    assert a.engine().run_round().ok
    _LosesAnswers.lose = True
    monkeypatch.setattr(trust, "SyncClient", _LosesAnswers)
    lost = b.engine().run_round()
    assert not lost.ok and lost.still_queued == 1, lost  # stored, answer lost: re-sent later
    _LosesAnswers.lose = False
    # The re-sent version comes back "duplicate"; the pull hears it is a conflict.
    again = b.engine().run_round()
    assert again.ok and again.conflicts == 1, again
    assert b.store.history(report)[-1] == (ours_b, 2, ReportState.CONFLICT)
    # Settled, so the session's later devices of this village find no conflict of ours.
    resolve_conflict(b.store, report, {})
    assert b.engine().run_round().ok
    a.close()
    b.close()

"""Guarantee (e): a device clock a day off.

The engine's clock is a day ahead.  The server stores its own receipt time (and orders the
report's versions by it), and the round, the status and the server all show the skew.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from informant_app.core.store.types import ReportState
from tests.integration.helpers import ServerView, device, file_reports
from tests.support.city_server import CityServer

DAY = 86400.0


def test_a_day_ahead_device_clock(live_city: CityServer, tmp_path: Path) -> None:
    a = device(live_city, tmp_path / "a", "wafang_a")
    b = device(live_city, tmp_path / "b", "wafang_b")
    [first] = file_reports(a.store, 1, seed=700)
    ahead = a.engine(clock=lambda: datetime.now(UTC) + timedelta(days=1))
    before = datetime.now(UTC)
    summary = ahead.run_round()
    assert summary.ok and summary.still_queued == 0, summary
    assert summary.clock_skew_seconds is not None
    assert abs(summary.clock_skew_seconds - DAY) < 5
    assert (
        summary.server_time is not None and abs((summary.server_time - before).total_seconds()) < 30
    )
    status = ahead.status()
    assert status.clock_skew_seconds is not None and abs(status.clock_skew_seconds - DAY) < 5

    # B (correct clock) revises the report after A: the server orders by its own time, so
    # B's version comes after A's although A's device said "tomorrow".
    report_uuid = a.store.version_content(first).report_uuid
    assert b.engine().run_round().ok
    draft = b.store.revise(report_uuid)
    content = dict(draft.content)
    content["figures"] = {**content["figures"], "affected_pop": 999}
    b.store.save_draft(draft.version_uuid, content)
    assert b.store.submit(draft.version_uuid).ok
    b_summary = b.engine().run_round()
    assert b_summary.ok and b_summary.conflicts == 0, b_summary
    assert b.store.state_counts()[ReportState.CONFLICT] == 0
    assert b_summary.clock_skew_seconds is not None and abs(b_summary.clock_skew_seconds) < 5

    view = ServerView(live_city)
    try:
        report = view.report(report_uuid)
    finally:
        view.close()
    versions = report["versions"]
    assert [v["version_uuid"] for v in versions] == [first, draft.version_uuid]
    assert report["current_version_uuid"] == draft.version_uuid
    received = [datetime.fromisoformat(v["server_received_at"]) for v in versions]
    device_times = [datetime.fromisoformat(v["device_time"]) for v in versions]
    assert received[0] <= received[1]  # server order ...
    assert device_times[0] > device_times[1]  # ... though the device clocks say otherwise
    assert abs(received[0] - before) < timedelta(seconds=30)
    assert abs(versions[0]["clock_skew_seconds"] - DAY) < 5
    a.close()
    b.close()

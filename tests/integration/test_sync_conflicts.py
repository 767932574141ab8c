"""Guarantee (f): A and B revise the same report offline.

Both versions reach the server; the later is recorded as a conflict; after syncing, both
devices see the conflict side by side (``open_conflicts``); resolving it field by field makes
a new version whose parent is the server's current version, and the server accepts it.  The
other device then sees the conflict closed and the resolution as the report's latest version.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from informant_app.core.store.types import ReportState
from informant_app.core.sync.engine import open_conflicts, resolve_conflict
from informant_app.core.sync.types import Conflict
from tests.integration.helpers import Device, ServerView, device, file_reports, revise
from tests.support.city_server import CityServer


def test_a_and_b_revise_offline_then_resolve(live_city: CityServer, tmp_path: Path) -> None:
    a = device(live_city, tmp_path / "a", "wafang_a")
    b = device(live_city, tmp_path / "b", "wafang_b")
    [first] = file_reports(a.store, 1, seed=800)
    report = a.store.version_content(first).report_uuid
    assert a.engine().run_round().ok
    assert b.engine().run_round().ok
    # B sees A's report, received and read-only (a pulled version), and can revise it.
    assert b.store.history(report) == [(first, 1, ReportState.RECEIVED)]

    # Both revise offline.
    ours_a = revise(a.store, report, affected_pop=150, deaths=1)
    ours_b = revise(b.store, report, affected_pop=180, missing=2)

    sa = a.engine().run_round()
    assert sa.ok and sa.pushed == 1 and sa.conflicts == 0, sa
    sb = b.engine().run_round()
    assert sb.ok and sb.pushed == 1 and sb.conflicts == 1, sb
    assert b.store.history(report)[-1] == (ours_b, 2, ReportState.CONFLICT)
    assert a.engine().run_round().ok  # A hears of B's conflicting version

    # The session's server is shared: a conflict another test left open in the village is
    # pulled too, so this test looks at its own report's.
    def ours(dev: Device) -> list[Conflict]:
        return [c for c in open_conflicts(dev.store) if c.report_uuid == report]

    def others(dev: Device) -> int:
        return len(open_conflicts(dev.store)) - len(ours(dev))

    conflicts = {}
    for dev, mine, theirs in ((a, ours_a, ours_b), (b, ours_b, ours_a)):
        [conflict] = ours(dev)
        assert (conflict.ours.version_uuid, conflict.theirs.version_uuid) == (mine, theirs)
        assert conflict.ours.filed_by == dev.username
        assert set(conflict.differing_fields) >= {
            "figures.affected_pop",
            "figures.deaths",
            "figures.missing",
        }
        assert dev.engine().status().conflicts == 1 + others(dev)
        conflicts[dev.username] = conflict

    # A resolves: B's affected population and missing, A's deaths.
    resolution = resolve_conflict(
        a.store,
        report,
        {"figures.affected_pop": ours_b, "figures.missing": ours_b, "figures.deaths": ours_a},
    )
    assert ours(a) == []
    assert a.store.history(report)[-1] == (resolution, 3, ReportState.QUEUED)
    sa = a.engine().run_round()
    assert sa.ok and sa.pushed == 1 and sa.conflicts == 0 and sa.still_queued == 0, sa
    assert a.store.history(report)[-1] == (resolution, 3, ReportState.RECEIVED)
    merged = a.store.version_content(resolution)
    assert (
        merged.figures["affected_pop"],
        merged.figures["missing"],
        merged.figures["deaths"],
    ) == (Decimal(180), Decimal(2), Decimal(1))

    view = ServerView(live_city)
    try:
        server = view.report(report)
    finally:
        view.close()
    statuses = {v["version_uuid"]: v["status"] for v in server["versions"]}
    assert statuses == {
        first: "accepted",
        ours_a: "accepted",
        ours_b: "conflict",
        resolution: "accepted",
    }
    assert server["current_version_uuid"] == resolution
    parent = {v["version_uuid"]: v["parent_version_uuid"] for v in server["versions"]}
    assert parent[resolution] == ours_a  # the server's current version when resolved

    # B pulls the resolution: its conflict closes and the resolution is its latest version.
    assert b.engine().run_round().ok
    assert ours(b) == []
    latest = b.store.history(report)[-1]
    assert latest[0] == resolution and latest[2] is ReportState.RECEIVED
    assert b.engine().status().conflicts == others(b)
    a.close()
    b.close()

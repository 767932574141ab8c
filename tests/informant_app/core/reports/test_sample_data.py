"""The sample generator (valid, deterministic) and the demo seeder (every state shown)."""

from __future__ import annotations

from informant_app.core.reports.importing import import_reports
from informant_app.core.reports.sample import DEMO_PROFILE, TOWNSHIP, make_reports, seed_demo
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportFilter, ReportState
from sync.contract import ReportContent


def test_make_reports_is_deterministic_and_local() -> None:
    first, again, other = make_reports(60, 5), make_reports(60, 5), make_reports(60, 6)
    assert first == again and first != other
    assert first["format"] == "informant-reports" and len(first["reports"]) == 60
    for record in first["reports"]:
        content = ReportContent.from_dict(record)
        assert content.village_code.startswith(TOWNSHIP[:9])
    stages = {r["stage"] for r in first["reports"]}
    assert stages == {"initial", "continuing"}


def test_generated_reports_pass_every_rule(store: ReportStore) -> None:
    assert import_reports(store, make_reports(300, 42), submit=True).imported == 300


def test_seed_demo_shows_every_state(store: ReportStore) -> None:
    by_state = seed_demo(store)
    assert store.profile() == DEMO_PROFILE
    counts = store.state_counts()
    assert counts[ReportState.DRAFT] == 2
    for state in (
        ReportState.QUEUED,
        ReportState.RECEIVED,
        ReportState.ERROR,
        ReportState.CONFLICT,
    ):
        assert counts[state] == 1, state
        assert len(by_state[state]) == 1
    rows = {r.state: r for r in store.report_rows(ReportFilter(), 0, 50)}
    assert rows[ReportState.ERROR].error_message
    assert rows[ReportState.CONFLICT].error_message
    assert rows[ReportState.ERROR].stage.value == "continuing"
    assert len(store.events()) == 2

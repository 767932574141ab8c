"""The list, its counts and its filters agree: open conflicts and the township's review."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from informant_app.core.store.models import ConflictRow, VersionReviewRow
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportFilter, ReportState
from tests.informant_app.core.store.test_report_store import submitted

NOW = datetime(2024, 7, 2, 8, 0, tzinfo=UTC)


def _report_of(store: ReportStore, version_uuid: str) -> str:
    return next(
        r.report_uuid
        for r in store.report_rows(ReportFilter(), 0, 100)
        if r.version_uuid == version_uuid
    )


def _open_conflict(store: ReportStore, report_uuid: str, resolved: bool = False) -> None:
    with Session(store.engine) as s, s.begin():
        s.add(
            ConflictRow(
                conflict_version_uuid=str(uuid.uuid4()),
                report_uuid=report_uuid,
                main_version_uuid=str(uuid.uuid4()),
                detected_at=NOW,
                resolved_at=NOW if resolved else None,
            )
        )


def _reviewed(store: ReportStore, version_uuid: str, status: str) -> None:
    row = next(
        r for r in store.report_rows(ReportFilter(), 0, 100) if r.version_uuid == version_uuid
    )
    with Session(store.engine) as s, s.begin():
        s.add(
            VersionReviewRow(
                version_uuid=version_uuid,
                report_uuid=row.report_uuid,
                village_code=row.village_code,
                event_uuid=row.event_uuid,
                event_name=row.event_name,
                stage=row.stage.value,
                version_no=row.version_no,
                status=status,
                is_current=True,
                decision_uuid=None,
                reason="数字不符" if status == "returned" else None,
                filed_by="zhangming",
                submitted_at=NOW,
                received_at=NOW,
                updated_at=NOW,
            )
        )


def test_open_conflict_counts_as_conflict_everywhere(profiled_store: ReportStore) -> None:
    store = profiled_store
    received, errored, resolved = (submitted(store) for _ in range(3))
    store.set_state(received, ReportState.RECEIVED)
    store.set_state(errored, ReportState.ERROR, "网络中断")
    store.set_state(resolved, ReportState.RECEIVED)
    draft = store.new_draft()
    for version in (received, errored):
        _open_conflict(store, _report_of(store, version))
    _open_conflict(store, _report_of(store, resolved), resolved=True)
    _open_conflict(store, draft.report_uuid)  # a draft stays a draft

    rows = {r.version_uuid: r.state for r in store.report_rows(ReportFilter(), 0, 100)}
    assert rows == {
        received: ReportState.CONFLICT,
        errored: ReportState.CONFLICT,
        resolved: ReportState.RECEIVED,
        draft.version_uuid: ReportState.DRAFT,
    }
    counts = store.state_counts()
    assert counts[ReportState.CONFLICT] == 2
    assert counts[ReportState.RECEIVED] == 1 and counts[ReportState.ERROR] == 0
    assert counts[ReportState.DRAFT] == 1
    for state in ReportState:
        filt = ReportFilter(state=state)
        shown = store.report_rows(filt, 0, 100)
        assert store.count_reports(filt) == len(shown) == counts[state], state
        assert all(r.state is state for r in shown), state


def test_two_open_conflicts_of_one_report_count_once(profiled_store: ReportStore) -> None:
    version = submitted(profiled_store)
    report = _report_of(profiled_store, version)
    _open_conflict(profiled_store, report)
    _open_conflict(profiled_store, report)
    assert profiled_store.state_counts()[ReportState.CONFLICT] == 1
    assert profiled_store.count_reports(ReportFilter(state=ReportState.CONFLICT)) == 1


def test_filter_by_review_status(profiled_store: ReportStore) -> None:
    store = profiled_store
    returned, approved, pending, unreviewed = (submitted(store) for _ in range(4))
    for version in (returned, approved, pending, unreviewed):
        store.set_state(version, ReportState.RECEIVED)
    _reviewed(store, returned, "returned")
    _reviewed(store, approved, "approved")
    _reviewed(store, pending, "pending")

    for status, version in (("returned", returned), ("approved", approved), ("pending", pending)):
        filt = ReportFilter(review_status=status)
        rows = store.report_rows(filt, 0, 100)
        assert [r.version_uuid for r in rows] == [version], status
        assert rows[0].review_status == status
        assert store.count_reports(filt) == 1
    assert (
        store.report_rows(ReportFilter(review_status="returned"), 0, 1)[0].review_reason
        == "数字不符"
    )
    assert store.count_reports(ReportFilter()) == 4
    both = ReportFilter(review_status="approved", state=ReportState.ERROR)
    assert store.count_reports(both) == 0

"""The change feed's later fields: the report's current version, the filer's name and role.

Each is used when the server sends it, and the old inference stays for older servers.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from informant_app.core.review.service import (
    DecisionKind,
    DecisionSyncState,
    ReviewFilter,
    decide,
    latest_decision,
    report_history,
    review_queue,
)
from informant_app.core.store.conflicts import server_current
from informant_app.core.store.models import ServerVersionRow
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.review import current_version
from tests.informant_app.core.conftest import VILLAGE
from tests.informant_app.core.review.test_review_store import (
    T0,
    StandInClient,
    content,
    play,
    pusher,
    reviewer_with,
    roster_change,
    sign_in_as,
    version_change,
)


def _main(store: ReportStore, report: str) -> tuple[str | None, str | None]:
    with store.write_session() as s:
        row = server_current(s, report)
        return (row.version_uuid if row else None), current_version(s, report)


def test_current_version_named_by_the_server_beats_feed_order(store: ReportStore) -> None:
    sign_in_as(store)
    data = content("r-1")
    v1 = version_change(data, "v1", received=T0)
    # Committed out of order: v3 (child of v2) reaches the feed before v2.
    v3 = version_change(
        dict(data, narrative="三"), "v3", parent="v2", no=3, received=T0 + timedelta(minutes=2)
    )
    v2 = version_change(
        dict(data, narrative="二"), "v2", parent="v1", no=2, received=T0 + timedelta(minutes=1)
    )
    for change in (v1, v3, v2):
        change["current_version_uuid"] = "v3"
    play(store, v1, v3, v2)
    assert _main(store, "r-1") == ("v3", "v3")  # feed order alone would say v2
    items = {i.version_uuid: i.is_current for i in review_queue(store, ReviewFilter(), 0, 10)}
    assert items == {"v3": True}  # the queue lists current versions only


def test_named_current_not_pulled_yet_keeps_the_old_main_line(store: ReportStore) -> None:
    sign_in_as(store)
    v1 = version_change(content("r-1"), "v1", received=T0)
    v1["current_version_uuid"] = "v-later"  # its change is still held back on the server
    play(store, v1)
    assert _main(store, "r-1") == ("v1", "v1")


def test_older_server_without_the_field_uses_feed_order(store: ReportStore) -> None:
    sign_in_as(store)
    data = content("r-1")
    play(
        store,
        version_change(data, "v1", received=T0),
        version_change(
            dict(data, narrative="二"), "v2", parent="v1", no=2, received=T0 + timedelta(minutes=1)
        ),
    )
    assert _main(store, "r-1") == ("v2", "v2")


def test_filer_name_and_role_from_the_server_win_over_the_roster(store: ReportStore) -> None:
    sign_in_as(store)
    change = version_change(content("r-1"), "v1", by="wafang_a", received=T0)
    change.update(submitted_by_name="张明", post_role="B")
    # The cached roster says otherwise (a later re-assignment): the server's word wins.
    play(store, roster_change(1, "wafang_a", VILLAGE, "A", "瓦房社区信息员A"), change)
    [item] = review_queue(store, ReviewFilter(), 0, 10)
    assert (item.filed_by, item.filed_role, item.filed_by_username) == ("张明", "B", "wafang_a")
    [entry] = report_history(store, "r-1", fetch=False)
    assert (entry.who, entry.role) == ("张明", "B")
    with store.write_session() as s:
        row = s.scalars(select(ServerVersionRow)).one()
        assert (row.submitted_by_name, row.post_role) == ("张明", "B")


def test_filer_falls_back_to_the_roster_for_older_servers(store: ReportStore) -> None:
    reviewer_with(store, ("r-1", VILLAGE))  # changes without submitted_by_name / post_role
    [item] = review_queue(store, ReviewFilter(), 0, 10)
    assert (item.filed_by, item.filed_role) == ("瓦房社区信息员A", "A")


def test_a_duplicate_recorded_as_a_conflict_keeps_its_code(store: ReportStore) -> None:
    [v] = reviewer_with(store, ("r-1", VILLAGE))
    decide(store, v, DecisionKind.RETURN, "原因")
    client = StandInClient(
        store, {v: {"status": "duplicate", "applied": False, "code": "version_frozen"}}
    )
    result = pusher(store, client).run()
    assert (result.sent, result.conflicts) == (0, 1)
    decision = latest_decision(store, "r-1")
    assert decision is not None and decision.sync_state is DecisionSyncState.CONFLICT
    assert decision.server_code == "version_frozen"
    assert decision.server_message is not None and "冻结" in decision.server_message


def test_a_corrected_filing_time_is_the_one_the_queue_shows(store: ReportStore) -> None:
    """Issue 18: the queue showed the device's claim (3 years ahead) instead of the server's."""
    sign_in_as(store)
    kept = T0 + timedelta(minutes=50)
    claimed = kept + timedelta(days=3 * 365)
    fast = content("r-fast")
    fast["submitted_at"] = claimed.isoformat()
    corrected = version_change(fast, "v-fast", received=T0 + timedelta(hours=1))
    corrected["time_flag"] = "skew_corrected"
    corrected["filed_at"] = kept.isoformat()
    plain = version_change(content("r-plain"), "v-plain", received=T0 + timedelta(hours=1))
    play(store, corrected, plain)
    items = {i.version_uuid: i for i in review_queue(store, ReviewFilter(), 0, 10)}
    assert items["v-fast"].submitted_at == kept and items["v-fast"].claimed_at == claimed
    assert items["v-fast"].time_flag == "skew_corrected"
    assert items["v-plain"].time_flag is None and items["v-plain"].claimed_at is None
    assert items["v-plain"].submitted_at == datetime.fromisoformat(
        content("r-plain")["submitted_at"]
    )

"""The duty kinds of the change feed: absences, handovers, event openings, filing roles.

Each is applied by ``apply_page`` (idempotent, in the page's transaction); a malformed one is
skipped whole and never blocks the page.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from informant_app.core.duty.service import FilingRole, handovers, my_duty
from informant_app.core.review.service import ReviewFilter, report_history, review_queue
from informant_app.core.store.duty_answers import apply_absences
from informant_app.core.store.models import (
    AbsenceRow,
    EventOpeningRow,
    EventRow,
    HandoverRow,
    RosterRow,
    ServerVersionRow,
    VersionReviewRow,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportFilter
from informant_app.core.sync.engine import version_info
from tests.informant_app.core.duty_helpers import (
    EVENT,
    OTHER_VILLAGE,
    T0,
    TOWNSHIP,
    VILLAGE,
    a_and_b,
    absence,
    at,
    handover,
    opening,
    roster,
    sign_in,
)
from tests.informant_app.core.review.test_review_store import content, play, version_change


def count(store: ReportStore, model: Any) -> int:
    with store.write_session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_an_absence_is_kept_and_its_early_end_follows(store: ReportStore) -> None:
    sign_in(store)
    result = play(store, *a_and_b(), absence("ab-1", starts=at(60), ends=at(60 * 48)))
    assert result.pulled == 3
    with store.write_session() as s:
        row = s.get(AbsenceRow, "ab-1")
        assert row is not None
        assert (row.post_code, row.username, row.display_name, row.kind, row.reason) == (
            VILLAGE,
            "zhang",
            "张三",
            "leave",
            "探亲",
        )
        assert (row.starts_at, row.ends_at, row.ended_at) == (at(60), at(60 * 48), None)
        assert row.created_by_name == "张三"
    play(store, absence("ab-1", starts=at(60), ends=at(60 * 48), ended=at(120)))
    play(store, absence("ab-1", starts=at(60), ends=at(60 * 48), ended=at(120)))  # again
    assert count(store, AbsenceRow) == 1
    with store.write_session() as s:
        row = s.get(AbsenceRow, "ab-1")
        assert row is not None and row.ended_at == at(120)


def test_an_answer_names_the_absence_kind_kind(store: ReportStore) -> None:
    # In an online answer (not the feed) ``kind`` is the absence's own kind.
    sign_in(store)
    answer_shape = {
        k: v
        for k, v in absence("ab-2", kind="away").items()
        if k not in ("kind", "absence_kind", "changed_at")
    } | {"kind": "away"}
    with store.write_session() as s, s.begin():
        apply_absences(s, answer_shape, T0)
    with store.write_session() as s:
        row = s.get(AbsenceRow, "ab-2")
        assert row is not None and row.kind == "away"


def test_a_handover_is_kept_and_its_sign_off_follows(store: ReportStore) -> None:
    sign_in(store, "reviewer", role="township_reviewer", posts=((TOWNSHIP, "A"),))
    play(store, handover("ho-1", kind="absence"))
    [pending] = handovers(store, pending_only=True)
    assert (
        pending.handover_uuid,
        pending.kind,
        pending.from_name,
        pending.to_name,
        pending.reason,
        pending.post_name,
    ) == ("ho-1", "absence", "张三", "李四", "探亲", "瓦房社区")
    assert pending.open_items["returned_reports"][0]["report_uuid"] == "r-9"
    assert pending.open_items["unsent_reports"] is None
    assert not pending.signed_off
    play(store, handover("ho-1", kind="absence", signed=True))
    assert handovers(store, pending_only=True) == []
    [done] = handovers(store)
    assert done.signed_off and done.signed_off_name == "瓦房乡应急办"
    assert done.sign_off_note == "已核实" and done.signed_off_at == T0 + timedelta(hours=1)


def test_an_event_opening_makes_the_event_known_for_the_report_form(store: ReportStore) -> None:
    sign_in(store)
    play(store, opening(villages=(VILLAGE,), occurred=at(-60)))
    [event] = store.events()
    assert (event.event_uuid, event.name, event.disaster_type) == (
        EVENT,
        "7月1日瓦房乡山洪",
        "flood",
    )
    assert event.occurred_at == at(-60)
    draft = store.new_draft(event_uuid=EVENT, village_code=VILLAGE)
    assert draft.content["event_uuid"] == EVENT  # the village files against the township's id
    assert draft.content["event_name"] == "7月1日瓦房乡山洪"


def test_opening_rows_merge_and_the_close_follows(store: ReportStore) -> None:
    sign_in(store, "reviewer", role="township_reviewer", posts=((TOWNSHIP, "A"),))
    # The village's row, then the township's row after a second village was added later.
    play(
        store,
        opening(villages=(VILLAGE,)),
        opening(
            villages=(VILLAGE, OTHER_VILLAGE), per_village={VILLAGE: T0, OTHER_VILLAGE: at(30)}
        ),
    )
    with store.write_session() as s:
        row = s.get(EventOpeningRow, (TOWNSHIP, EVENT))
        assert row is not None
        assert json.loads(row.village_codes) == [VILLAGE, OTHER_VILLAGE]
        opened = json.loads(row.village_opened)
        assert opened[OTHER_VILLAGE].startswith("2026-07-01T02:30")  # its own clock
        assert row.opened_at == T0 and row.closed_at is None
        assert json.loads(row.deadlines)["initial_minutes"] == 60
    play(store, opening(villages=(VILLAGE, OTHER_VILLAGE), closed=at(600)))
    with store.write_session() as s:
        row = s.get(EventOpeningRow, (TOWNSHIP, EVENT))
        assert row is not None and row.closed_at == at(600)
    assert count(store, EventRow) == 1


def test_a_roster_change_keeps_its_reasons_and_its_end(store: ReportStore) -> None:
    sign_in(store)
    play(store, roster(7, "wang", "B", "王五", reason="新任", ended_reason=""))
    play(store, roster(7, "wang", "B", "王五", until=T0, reason="新任", ended_reason="调离"))
    with store.write_session() as s:
        row = s.get(RosterRow, 7)
        assert row is not None
        assert (row.reason, row.ended_reason, row.valid_to) == ("新任", "调离", T0)


def test_malformed_duty_changes_are_skipped_whole(store: ReportStore) -> None:
    sign_in(store)
    no_start = absence("ab-bad") | {"starts_at": None}
    bad_kind = absence("ab-bad2") | {"absence_kind": "holiday"}
    bad_items = handover("ho-bad") | {"open_items": ["not", "an", "object"]}
    bad_codes = opening("ev-bad") | {"village_codes": "530502208201"}
    bad_name = opening("ev-bad2") | {"event_name": {"zh": "名"}}  # fails after the row began
    no_uuid = {k: v for k, v in handover("ho-x").items() if k != "handover_uuid"}
    good = absence("ab-good")
    result = play(
        store,
        no_start,
        bad_kind,
        bad_items,
        bad_codes,
        bad_name,
        no_uuid,
        good,
        {"kind": "some_future_kind"},
    )
    assert result.pulled == 1
    assert count(store, AbsenceRow) == 1
    assert count(store, HandoverRow) == 0
    assert count(store, EventOpeningRow) == 0
    assert count(store, EventRow) == 0  # nothing half-written


def test_the_filing_role_reaches_the_queue_the_history_and_the_list(store: ReportStore) -> None:
    sign_in(store, "reviewer", role="township_reviewer", posts=((TOWNSHIP, "A"),))
    change = version_change(content("r-1"), "v1", by="li")
    change.update(
        submitted_by_name="李四", post_role="B", filing_role="B_acting", acting_for_name="张三"
    )
    play(store, *a_and_b(), change)
    [item] = review_queue(store, ReviewFilter(), 0, 10)
    assert (item.filing_role, item.acting_for_name) == (FilingRole.B_ACTING, "张三")
    [entry] = report_history(store, "r-1", fetch=False)
    assert (entry.filing_role, entry.acting_for_name) == (FilingRole.B_ACTING, "张三")
    [row] = store.report_rows(ReportFilter(), 0, 10)  # the pulled version in the list
    assert (row.filing_role, row.acting_for_name) == (FilingRole.B_ACTING, "张三")
    info = version_info(store, "v1")
    assert (info.filing_role, info.filing_role_here) == (FilingRole.B_ACTING, None)
    with store.write_session() as s:
        server = s.scalars(select(ServerVersionRow)).one()
        review = s.get(VersionReviewRow, "v1")
        assert (server.filing_role, server.acting_for_name) == ("B_acting", "张三")
        assert review is not None and review.filing_role == "B_acting"


def test_a_filing_role_pulled_again_fills_rows_pulled_before(store: ReportStore) -> None:
    sign_in(store, "reviewer", role="township_reviewer", posts=((TOWNSHIP, "A"),))
    change = version_change(content("r-1"), "v1", by="li")
    play(store, change)  # an older server: no filing role
    [item] = review_queue(store, ReviewFilter(), 0, 10)
    assert item.filing_role is None
    play(store, change | {"filing_role": "B_while_A_on_duty", "acting_for_name": "张三"})
    [item] = review_queue(store, ReviewFilter(), 0, 10)
    assert (item.filing_role, item.acting_for_name) == (FilingRole.B_WHILE_A_ON_DUTY, "张三")
    play(store, change | {"filing_role": "someone_else"})  # unknown: ignored, kept as it was
    [item] = review_queue(store, ReviewFilter(), 0, 10)
    assert item.filing_role is FilingRole.B_WHILE_A_ON_DUTY


def test_a_new_b_sees_the_post_before_the_roster_arrives(store: ReportStore) -> None:
    sign_in(store, "li", posts=((VILLAGE, "B"),))  # /me says B; the feed has not run yet
    [mine] = my_duty(store, T0)
    assert (mine.post_code, mine.my_role, mine.on_duty) == (VILLAGE, "B", True)

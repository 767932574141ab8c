"""What the informant is told: an event newly opened for the village (once), who is on duty."""

from __future__ import annotations

from pathlib import Path

from informant_app.core.duty.service import (
    WindowStatus,
    mark_told,
    new_events,
    new_initial_report,
    on_duty_now,
)
from informant_app.core.store.report_store import ReportStore
from tests.informant_app.core.duty_helpers import (
    EVENT,
    VILLAGE,
    a_and_b,
    absence,
    at,
    opening,
    sign_in,
)
from tests.informant_app.core.review.test_review_store import play


def test_a_is_told_of_a_new_event_once_even_after_a_restart(tmp_path: Path) -> None:
    store = ReportStore.open(tmp_path / "data")
    try:
        sign_in(store, "zhang", posts=((VILLAGE, "A"),))
        play(store, *a_and_b(), opening())
        [news] = new_events(store, at(1))
        assert (news.event_uuid, news.village_code, news.my_role) == (EVENT, VILLAGE, "A")
        assert (news.event_name, news.disaster_type) == ("7月1日瓦房乡山洪", "flood")
        assert news.due_at == at(60) and news.status is WindowStatus.WAITING
        assert not news.told
        mark_told(store, [news.key])
        assert [n.told for n in new_events(store, at(2))] == [True]
    finally:
        store.close()
    again = ReportStore.open(tmp_path / "data")
    try:
        assert [n.told for n in new_events(again, at(3))] == [True]
    finally:
        again.close()


def test_b_is_told_only_while_b_is_on_duty(store: ReportStore) -> None:
    sign_in(store, "li")
    play(store, *a_and_b(), opening())
    assert new_events(store, at(1)) == []  # A is on duty: A is told
    play(store, absence("ab-1", starts=at(-60)))
    [news] = new_events(store, at(1))
    assert news.my_role == "B" and not news.told


def test_the_initial_report_opens_joined_to_the_event(store: ReportStore) -> None:
    sign_in(store, "zhang", posts=((VILLAGE, "A"),))
    play(store, *a_and_b(), opening(occurred=at(-5)))
    draft = new_initial_report(store, EVENT, VILLAGE)
    assert draft.content["event_uuid"] == EVENT
    assert draft.content["event_name"] == "7月1日瓦房乡山洪"
    assert draft.content["disaster_type"] == "flood"
    assert draft.content["village_code"] == VILLAGE
    assert store.load_draft(draft.version_uuid).content["event_uuid"] == EVENT


def test_who_is_on_duty_says_since_when(store: ReportStore) -> None:
    sign_in(store, "li")
    play(store, *a_and_b(), absence("ab-1", starts=at(-60), ends=at(120)))
    [entry] = on_duty_now(store, at(0))
    assert entry.post.on_duty_username == "li" and entry.post.acting_for_name == "张三"
    assert entry.since == at(-60)
    [after] = on_duty_now(store, at(130))
    assert after.post.on_duty_username == "zhang" and after.since == at(120)

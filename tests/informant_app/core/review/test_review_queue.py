"""The reviewer's queue and detail view: order (overdue first), filters in SQL, rule findings,
the previous report and what changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from informant_app.core.review.service import (
    DecisionKind,
    DecisionRefusedError,
    ReviewFilter,
    ReviewStatus,
    count_review_queue,
    decide,
    review_deadline,
    review_detail,
    review_queue,
    set_review_deadline,
)
from informant_app.core.store.report_store import ReportStore
from sync.contract import ReportStage
from tests.informant_app.core.conftest import OTHER_VILLAGE, VILLAGE
from tests.informant_app.core.review.test_review_store import (
    content,
    decision_change,
    play,
    roster_change,
    sign_in_as,
    version_change,
)


def pull(
    store: ReportStore, report: str, minutes_ago: float, village: str = VILLAGE, **kwargs: Any
) -> str:
    """Pull one first version of ``report`` received ``minutes_ago``; return its id."""
    version = f"v-{report}"
    by = "wafang_a" if village == VILLAGE else "shuigou_b"
    received = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    play(
        store, version_change(content(report, village, **kwargs), version, by=by, received=received)
    )
    return version


def test_queue_puts_overdue_first_then_oldest_waiting_then_the_rest(store: ReportStore) -> None:
    sign_in_as(store)
    play(
        store,
        roster_change(1, "wafang_a", VILLAGE, "A", "瓦房社区信息员A"),
        roster_change(2, "shuigou_b", OTHER_VILLAGE, "B", "水沟洼村信息员B"),
    )
    recent = pull(store, "recent", 10)
    late = pull(store, "late", 180, OTHER_VILLAGE)
    later = pull(store, "later", 90)
    waiting = pull(store, "waiting", 30, stage="continuing")
    done_old = pull(store, "done-old", 300)
    done_new = pull(store, "done-new", 200)
    play(
        store,
        decision_change(done_old, "done-old", "approve"),
        decision_change(done_new, "done-new"),
    )
    assert review_deadline(store) == timedelta(hours=1)

    queue = review_queue(store, ReviewFilter(), 0, 50)
    assert [i.version_uuid for i in queue] == [late, later, waiting, recent, done_new, done_old]
    assert [i.overdue for i in queue] == [True, True, False, False, False, False]
    assert queue[0].filed_by == "水沟洼村信息员B" and queue[0].filed_role == "B"
    assert queue[1].filed_by == "瓦房社区信息员A" and queue[1].filed_role == "A"
    assert queue[4].status is ReviewStatus.RETURNED
    assert queue[0].affected_pop == 120 and queue[0].event_name == "测试山洪"
    assert [i.version_uuid for i in review_queue(store, ReviewFilter(), 2, 2)] == [waiting, recent]

    set_review_deadline(store, timedelta(minutes=20))
    queue = review_queue(store, ReviewFilter(), 0, 50)
    assert [i.version_uuid for i in queue][:4] == [late, later, waiting, recent]
    assert [i.overdue for i in queue][:4] == [True, True, True, False]

    filters = {
        ReviewFilter(status=ReviewStatus.PENDING): 4,
        ReviewFilter(status=ReviewStatus.APPROVED): 1,
        ReviewFilter(village_code=OTHER_VILLAGE): 1,
        ReviewFilter(stage=ReportStage.CONTINUING): 1,
        ReviewFilter(event_uuid="another"): 0,
        ReviewFilter(village_code=VILLAGE, status=ReviewStatus.PENDING): 3,
    }
    for filt, count in filters.items():
        assert count_review_queue(store, filt) == count, filt
        assert len(review_queue(store, filt, 0, 50)) == count, filt


def test_a_new_version_replaces_the_old_one_in_the_queue(store: ReportStore) -> None:
    sign_in_as(store)
    v1 = pull(store, "r-1", 50)
    play(store, decision_change(v1, "r-1"))
    data = content("r-1", crop_failed_ha=0.8, narrative="核实后更正绝收面积。")
    play(
        store,
        version_change(
            data, "v-r-1-2", parent=v1, no=2, received=datetime.now(UTC) - timedelta(minutes=5)
        ),
    )
    [item] = review_queue(store, ReviewFilter(), 0, 10)
    assert (item.version_uuid, item.version_no, item.status) == ("v-r-1-2", 2, ReviewStatus.PENDING)
    detail = review_detail(store, "v-r-1-2")
    assert detail.previous_version_uuid == v1
    assert detail.previous is not None
    assert detail.previous.figures["crop_failed_ha"] == Decimal("1.1")
    assert detail.changed_fields == ("narrative", "crop_failed_ha")
    [returned] = review_detail(store, v1).decisions
    assert returned.kind is DecisionKind.RETURN
    assert not review_detail(store, v1).item.is_current


def test_detail_checks_the_rules_against_the_previous_report(store: ReportStore) -> None:
    sign_in_as(store)
    pull(store, "initial", 120, affected_pop=300)
    note = "上次统计含重复人员，已剔除"
    later = pull(
        store,
        "continuing",
        20,
        stage="continuing",
        affected_pop=250,
        notes={"R9:affected_pop": note},
    )
    detail = review_detail(store, later)
    assert detail.previous_version_uuid == "v-initial"
    assert detail.previous is not None and detail.previous.figures["affected_pop"] == 300
    assert [(i.rule, i.field) for i in detail.issues] == [("R9", "affected_pop")]
    assert detail.notes == {"R9:affected_pop": note}
    assert "stage" in detail.changed_fields and "affected_pop" in detail.changed_fields
    assert detail.item.warnings == 1
    queue = {i.version_uuid: i for i in review_queue(store, ReviewFilter(), 0, 10)}
    assert queue[later].warnings == 1 and queue["v-initial"].warnings == 0


def test_a_superseded_version_is_refused_here(store: ReportStore) -> None:
    sign_in_as(store)
    v1 = pull(store, "r-1", 50)
    play(store, version_change(content("r-1", affected_pop=130), "v-2", parent=v1, no=2))
    with pytest.raises(DecisionRefusedError) as refused:
        decide(store, v1, DecisionKind.APPROVE)
    assert refused.value.code == "version_superseded" and "更新的版本" in refused.value.zh

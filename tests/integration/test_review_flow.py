"""Township review end to end, through the real city server.

Two villages' A informants file; the reviewer returns one report with a reason and a comment
on ``crop_failed_ha`` and approves the other; the village sees why, revises and resubmits;
the reviewer approves the new version.  The township report then equals the sum of the
approved village versions, and so does the total row of the exported workbook.
"""

from __future__ import annotations

import random
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from informant_app.core.reports.importing import FORMAT_NAME, FORMAT_VERSION, import_reports
from informant_app.core.review.service import (
    DecisionKind,
    DecisionSyncState,
    ReviewFilter,
    ReviewStatus,
    TownshipTotalMismatchError,
    add_adjustment,
    count_review_queue,
    decide,
    export_township_report,
    fetch_township_report,
    latest_decision,
    report_history,
    review_detail,
    review_queue,
    submit_township_report,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportFilter
from sync.contract import INDICATORS, ReportStage
from sync.contract.rules import sum_figures
from tests.integration.helpers import SHUIGOU, WAFANG, Device, device, report_record, revise
from tests.support.city_server import CityServer

COMMENT = "绝收面积与成灾面积比例异常，请核实"
REASON = "农作物绝收面积需核实"


def new_event() -> str:
    return str(uuid.uuid4())


def file_one(dev: Device, village: str, event_uuid: str, seed: int) -> tuple[str, str]:
    """Submit one initial report of ``event_uuid``; return (report_uuid, version_uuid)."""
    record = report_record(
        village, random.Random(seed), event_uuid=event_uuid, event_name="测试审核山洪"
    )
    summary = import_reports(
        dev.store,
        {"format": FORMAT_NAME, "version": FORMAT_VERSION, "reports": [record]},
        submit=True,
    )
    assert summary.imported == 1, summary
    return record["report_uuid"], summary.version_uuids[0]


def sync(dev: Device) -> Any:
    summary = dev.engine().run_round()
    assert summary.ok, summary
    return summary


def row_of(store: ReportStore, report_uuid: str) -> Any:
    [row] = [r for r in store.report_rows(ReportFilter(), 0, 1000) if r.report_uuid == report_uuid]
    return row


def read_sheet(path: Path) -> tuple[list[str], dict[str, list[float]]]:
    """Return the table header and each labelled row's numbers from the exported workbook."""
    book = openpyxl.load_workbook(path)
    sheet = book["快报表"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[0] == "村（社区）")
    header = [str(c) for c in rows[start]]
    table: dict[str, list[float]] = {}
    for r in rows[start + 1 :]:
        if r[0] is None:
            break
        table[str(r[0])] = [float(v or 0) for v in r[1 : len(header)]]
    return header, table


@pytest.fixture
def devices(live_city: CityServer, tmp_path: Path) -> Any:
    made = {
        name: device(live_city, tmp_path / name, name)
        for name in ("wafang_a", "shuigou_a", "wafang_reviewer")
    }
    yield made
    for dev in made.values():
        dev.close()


def test_return_revise_approve_and_the_township_total(
    devices: dict[str, Device], tmp_path: Path
) -> None:
    a, s, r = devices["wafang_a"], devices["shuigou_a"], devices["wafang_reviewer"]
    event = new_event()
    report_a, v1 = file_one(a, WAFANG, event, seed=501)
    _report_s, vs = file_one(s, SHUIGOU, event, seed=502)
    sync(a)
    sync(s)
    sync(r)

    # The reviewer sees both reports waiting, oldest first.
    only = ReviewFilter(event_uuid=event)
    queue = review_queue(r.store, only, 0, 50)
    assert count_review_queue(r.store, only) == 2
    assert {i.version_uuid for i in queue} == {v1, vs}
    assert all(i.status is ReviewStatus.PENDING and not i.overdue for i in queue)
    item = next(i for i in queue if i.version_uuid == v1)
    assert (item.filed_by, item.filed_role, item.village_code) == ("瓦房社区信息员A", "A", WAFANG)
    detail = review_detail(r.store, v1)
    assert detail.previous is None and detail.content.report_uuid == report_a

    # Return A's report with a reason and a field comment; approve 水沟洼村's.
    returned = decide(r.store, v1, DecisionKind.RETURN, REASON, {"crop_failed_ha": COMMENT})
    assert returned.sync_state is DecisionSyncState.QUEUED
    decide(r.store, vs, DecisionKind.APPROVE)
    assert review_queue(r.store, only, 0, 50)[0].decision_queued
    summary = sync(r)
    assert (summary.decisions_sent, summary.decisions_queued) == (2, 0)
    statuses = {i.version_uuid: i.status for i in review_queue(r.store, only, 0, 50)}
    assert statuses == {v1: ReviewStatus.RETURNED, vs: ReviewStatus.APPROVED}

    # A sees the return: marked in the list, the reason and the comment beside its field.
    sync(a)
    row = row_of(a.store, report_a)
    assert (row.review_status, row.review_reason) == ("returned", REASON)
    seen = latest_decision(a.store, report_a)
    assert seen is not None and seen.kind is DecisionKind.RETURN
    assert (seen.reason, seen.field_comments) == (REASON, {"crop_failed_ha": COMMENT})
    assert (seen.decided_by, seen.decided_role) == ("瓦房乡应急办", "A")
    assert seen.sync_state is DecisionSyncState.SENT and seen.received_at is not None

    # A revises and resubmits; the new version waits for review again.
    v2 = revise(a.store, report_a, crop_failed_ha=0.8)
    sync(a)
    assert row_of(a.store, report_a).review_status == "pending"
    sync(r)
    queue = review_queue(r.store, only, 0, 50)
    assert {i.version_uuid for i in queue} == {v2, vs}
    detail = review_detail(r.store, v2)
    assert detail.previous_version_uuid == v1 and detail.item.status is ReviewStatus.PENDING
    assert "crop_failed_ha" in detail.changed_fields
    decide(r.store, v2, DecisionKind.APPROVE)
    sync(r)
    sync(a)
    assert row_of(a.store, report_a).review_status == "approved"

    # The township report is the sum of the approved village versions.
    report = fetch_township_report(r.store, event, ReportStage.INITIAL)
    approved = [a.store.version_content(v2).figures, s.store.version_content(vs).figures]
    expected = sum_figures(approved)
    assert {k: v for k, v in report.total.items() if v} == {k: v for k, v in expected.items() if v}
    assert {v.version_uuid for v in report.villages} == {v2, vs}
    assert not report.check_issues and not report.from_cache

    # The exported quick report adds up the same way.
    target = tmp_path / "township.xlsx"
    export_township_report(report, str(target), "xlsx")
    header, table = read_sheet(target)
    assert header[1] == "受灾人口（人）" and len(header) == 1 + len(INDICATORS)
    villages = [table["瓦房社区"], table["水沟洼村"]]
    for col, indicator in enumerate(INDICATORS):
        want = float(expected.get(indicator.field, Decimal(0)))
        assert table["合计"][col] == pytest.approx(sum(v[col] for v in villages))
        assert table["合计"][col] == pytest.approx(want), indicator.field

    # An adjustment moves the total; a submission of the old total is refused (rule 12).
    adjusted = add_adjustment(
        r.store, event, ReportStage.INITIAL, "affected_pop", Decimal(-5), "与水沟洼村重复统计 5 人"
    )
    assert adjusted.total["affected_pop"] == expected["affected_pop"] - 5
    with pytest.raises(TownshipTotalMismatchError) as refused:
        submit_township_report(r.store, report)
    assert refused.value.code == "township_total_mismatch"
    assert refused.value.figures["affected_pop"] == adjusted.total["affected_pop"]
    submitted = submit_township_report(r.store, adjusted)
    assert submitted.submitted and submitted.total == adjusted.total
    export_township_report(submitted, str(target), "xlsx")
    _header, table = read_sheet(target)
    assert table["合计"][0] == table["瓦房社区"][0] + table["水沟洼村"][0] + table["乡镇调整数"][0]

    # Every change is in the history, with who, A/B, device time and server time.
    for dev in (a, r):
        history = report_history(dev.store, report_a)
        kinds = [h.event for h in history]
        assert kinds == ["received", "returned", "resubmitted", "approved"], kinds
        assert [h.role for h in history] == ["A", "A", "A", "A"]
        assert all(h.server_time is not None and h.device_time is not None for h in history)
        assert history[1].who == "瓦房乡应急办" and history[1].detail == REASON
        assert history[1].field_comments == {"crop_failed_ha": COMMENT}
        assert history[0].who == "瓦房社区信息员A"


def test_decision_on_a_superseded_version_is_a_conflict(devices: dict[str, Device]) -> None:
    a, r = devices["wafang_a"], devices["wafang_reviewer"]
    event = new_event()
    report_a, v1 = file_one(a, WAFANG, event, seed=511)
    sync(a)
    sync(r)
    v2 = revise(a.store, report_a, affected_pop=999)  # the reviewer has not heard of it yet
    sync(a)
    decide(r.store, v1, DecisionKind.RETURN, "人数有误")
    summary = sync(r)
    assert (summary.decisions_conflicts, summary.decisions_sent) == (1, 0)
    seen = latest_decision(r.store, report_a)
    assert seen is not None and seen.sync_state is DecisionSyncState.CONFLICT
    assert seen.server_code == "version_superseded" and seen.server_message
    [item] = review_queue(r.store, ReviewFilter(event_uuid=event), 0, 10)
    assert (item.version_uuid, item.status) == (v2, ReviewStatus.PENDING)
    sync(a)
    assert row_of(a.store, report_a).review_status == "pending"
    assert latest_decision(a.store, report_a) is None  # not applied: nothing to show
    kinds = [h.event for h in report_history(r.store, report_a)]
    assert kinds == ["received", "received", "decision_conflict"], kinds


def test_decisions_made_offline_go_out_when_the_server_returns(
    live_city: CityServer, devices: dict[str, Device]
) -> None:
    a, r = devices["wafang_a"], devices["wafang_reviewer"]
    event = new_event()
    report_a, v1 = file_one(a, WAFANG, event, seed=521)
    sync(a)
    sync(r)
    live_city.stop()
    try:
        decide(r.store, v1, DecisionKind.APPROVE, "数据核实无误")
        summary = r.engine().run_round()
        assert not summary.ok and summary.decisions_queued == 1
        assert r.engine().status().decisions_queued == 1
        latest = latest_decision(r.store, report_a)
        assert latest is not None and latest.sync_state is DecisionSyncState.QUEUED
        kinds = [h.event for h in report_history(r.store, report_a)]
        assert kinds == ["received", "decision_queued"], kinds
    finally:
        live_city.start()
    summary = sync(r)
    assert (summary.decisions_sent, summary.decisions_queued) == (1, 0)
    sync(a)
    assert row_of(a.store, report_a).review_status == "approved"

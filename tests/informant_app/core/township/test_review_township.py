"""The township report on the reviewer's device: parsing, offline copies, the 快报表 export."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from informant_app.commands.main import build_parser, run
from informant_app.core.account import credentials
from informant_app.core.account.online import save_cache
from informant_app.core.review.service import (
    ReviewOfflineError,
    ReviewRefusedError,
    ReviewUnavailableError,
    add_adjustment,
    export_township_report,
    fetch_completeness,
    fetch_township_report,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.township.export import headers, indicator_header
from informant_app.core.township.report import completeness_key, report_key, report_of
from sync.contract import INDICATOR_BY_FIELD, INDICATORS, ReportStage
from sync.contract.rules import Adjustment, TownshipTotals, sum_figures
from tests.informant_app.core.conftest import OTHER_VILLAGE, VILLAGE
from tests.informant_app.core.review.test_review_store import EVENT, TOWNSHIP, play, sign_in_as

WAFANG = {
    "affected_pop": 120,
    "house_collapsed_hh": 2,
    "house_collapsed_rooms": 6,
    "crop_affected_ha": 12.5,
    "crop_failed_ha": 1.1,
    "road_damaged_km": 0.35,
    "direct_loss": 35.6,
}
SHUIGOU = {
    "affected_pop": 45,
    "deaths": 1,
    "crop_affected_ha": 3.25,
    "crop_failed_ha": 0.25,
    "direct_loss": 10.05,
}
ADJUSTMENTS = [
    ("affected_pop", -5, "与水沟洼村重复统计 5 人"),
    ("direct_loss", 1.5, "乡道抢修费用"),
]
SERVER_TIME = datetime(2024, 7, 1, 1, 30, tzinfo=UTC)


def decimals(figures: dict[str, Any]) -> dict[str, Decimal]:
    return {k: Decimal(str(v)) for k, v in figures.items()}


def wire(figures: dict[str, Decimal]) -> dict[str, Any]:
    return {
        k: (int(v) if INDICATOR_BY_FIELD[k].decimals == 0 else float(v)) for k, v in figures.items()
    }


def payload(submitted: bool = True) -> dict[str, Any]:
    """Return a township report as the server answers it."""
    village_sum = sum_figures([decimals(WAFANG), decimals(SHUIGOU)])
    total = TownshipTotals(
        village_sum, tuple(Adjustment(f, Decimal(str(d)), r) for f, d, r in ADJUSTMENTS)
    ).figures
    received = SERVER_TIME.isoformat()
    rows = [
        {
            "village_code": VILLAGE,
            "village_name": "瓦房社区",
            "report_uuid": "r-1",
            "version_uuid": "v-1",
            "version_no": 2,
            "submitted_by": "wafang_a",
            "post_role": "A",
            "data_cutoff_at": received,
            "server_received_at": received,
            "figures": WAFANG,
        },
        {
            "village_code": OTHER_VILLAGE,
            "village_name": "水沟洼村",
            "report_uuid": "r-2",
            "version_uuid": "v-2",
            "version_no": 1,
            "submitted_by": "shuigou_b",
            "post_role": "B",
            "data_cutoff_at": received,
            "server_received_at": received,
            "figures": SHUIGOU,
        },
    ]
    adjustments = [
        {
            "adjustment_uuid": f"a-{n}",
            "field": f,
            "delta": d,
            "reason": r,
            "made_by": "wafang_reviewer",
            "made_by_name": "瓦房乡应急办",
            "post_role": "A",
            "server_received_at": received,
        }
        for n, (f, d, r) in enumerate(ADJUSTMENTS)
    ]
    submission = (
        {
            "submission_uuid": "s-1",
            "figures": wire(total),
            "server_received_at": received,
            "check": {"ok": True, "issues": []},
        }
        if submitted
        else None
    )
    return {
        "township_code": TOWNSHIP,
        "township_name": "瓦房彝族苗族乡",
        "event_uuid": EVENT,
        "event_name": "20240701隆阳区洪涝",
        "stage": "initial",
        "villages": rows,
        "village_sum": wire(village_sum),
        "adjustments": adjustments,
        "total": wire(total),
        "check": {"ok": True, "issues": []},
        "submission": submission,
        "server_time": received,
    }


def test_the_server_answer_becomes_a_township_report() -> None:
    report = report_of(payload(), SERVER_TIME, False, {"wafang_a": "瓦房社区信息员A"})
    assert report.stage is ReportStage.INITIAL and report.submitted
    assert [v.filed_by for v in report.villages] == ["瓦房社区信息员A", "shuigou_b"]
    assert report.villages[1].filed_role == "B"
    assert report.total["affected_pop"] == 160 and report.total["direct_loss"] == Decimal("47.15")
    assert [(a.field, a.delta, a.made_by) for a in report.adjustments] == [
        ("affected_pop", -5, "瓦房乡应急办"),
        ("direct_loss", Decimal("1.5"), "瓦房乡应急办"),
    ]
    stale = payload()
    stale["submission"]["figures"] = {"affected_pop": 165}
    assert not report_of(stale, SERVER_TIME, False, {}).submitted
    # The county's return comes back with the report: to be corrected and submitted again.
    returned = payload()
    returned["submission"].update(county_decision="return", county_reason="受灾人口需核实")
    seen = report_of(returned, SERVER_TIME, False, {})
    assert (seen.county_decision, seen.county_reason, seen.submitted) == (
        "return",
        "受灾人口需核实",
        False,
    )
    passed = payload()
    passed["submission"].update(county_decision="pass")
    assert report_of(passed, SERVER_TIME, False, {}).submitted
    assert (
        report.submission_uuid
        and report.submission_uuid != report_of(payload(), SERVER_TIME, False, {}).submission_uuid
    )


def test_headers_carry_the_chinese_label_and_unit_in_national_order() -> None:
    names = headers()
    assert names[0] == "村（社区）" and len(names) == 1 + len(INDICATORS)
    assert names[1:4] == ["受灾人口（人）", "因灾死亡人口（人）", "因灾失踪人口（人）"]
    assert indicator_header(INDICATOR_BY_FIELD["house_collapsed_hh"]) == "倒塌房屋（户）"
    assert indicator_header(INDICATOR_BY_FIELD["crop_failed_ha"]) == "农作物绝收面积（公顷）"
    assert names[-1] == "其中：其他（万元）"


def test_xlsx_total_row_is_the_village_sum_plus_adjustments(tmp_path: Path) -> None:
    report = report_of(payload(), SERVER_TIME, False, {})
    target = tmp_path / "快报表.xlsx"
    export_township_report(report, str(target), "xlsx")
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["快报表"]  # an initial report: no ledger sheets
    sheet = book["快报表"]
    lines = [sheet.cell(row=r, column=1).value for r in range(1, 8)]
    assert lines[0] == "自然灾害损失情况统计快报表"
    assert lines[1] == "填报单位：瓦房彝族苗族乡" and lines[2] == "灾害过程：20240701隆阳区洪涝"
    assert lines[3] == "报告阶段：初报"
    assert lines[6] == "数据截止时间：2024-07-01 09:30（北京时间）"  # the villages' cut-off
    header = [c.value for c in sheet[9]]
    assert header == headers()
    assert sheet.freeze_panes == "B10"
    assert sheet.column_dimensions["A"].width > 10
    rows = {
        sheet.cell(row=r, column=1).value: [
            sheet.cell(row=r, column=c) for c in range(2, len(header) + 1)
        ]
        for r in range(10, 14)
    }
    assert list(rows) == ["瓦房社区", "水沟洼村", "乡镇调整数", "合计"]
    for col, indicator in enumerate(INDICATORS):
        parts = sum(rows[name][col].value for name in ("瓦房社区", "水沟洼村", "乡镇调整数"))
        assert rows["合计"][col].value == pytest.approx(parts), indicator.field
        assert rows["合计"][col].value == pytest.approx(
            float(report.total.get(indicator.field, 0))
        ), indicator.field
        assert rows["瓦房社区"][col].number_format == (
            "0" if indicator.decimals == 0 else "0.00"
        ), indicator.field
    assert rows["合计"][0].value == 160 and rows["乡镇调整数"][0].value == -5
    notes = [sheet.cell(row=r, column=1).value for r in range(15, 18)]
    assert notes[0] == "调整说明："
    assert notes[1] == "受灾人口（人）：-5，原因：与水沟洼村重复统计 5 人（瓦房乡应急办，A角）"
    assert "+1.50" in notes[2]


def test_csv_has_a_bom_and_the_same_columns(tmp_path: Path) -> None:
    report = report_of(payload(), SERVER_TIME, False, {})
    target = tmp_path / "township.csv"
    export_township_report(report, str(target), "csv")
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == headers()
    assert [r[0] for r in rows[1:]] == ["瓦房社区", "水沟洼村", "乡镇调整数", "合计"]
    total = dict(zip(rows[0], rows[-1], strict=True))
    assert (total["受灾人口（人）"], total["直接经济损失（万元）"]) == ("160", "47.15")
    assert total["农作物绝收面积（公顷）"] == "1.35"
    with pytest.raises(ValueError):
        export_township_report(report, str(tmp_path / "x.pdf"), "pdf")


# --- online, offline ----------------------------------------------------------------------


@pytest.fixture
def reviewer(store: ReportStore, monkeypatch: pytest.MonkeyPatch) -> ReportStore:
    """A reviewer's store whose server does not answer (nothing listens on port 9)."""
    monkeypatch.setenv("INFORMANT_TOKEN_STORAGE", "file")
    account = sign_in_as(store)
    credentials.save_token(store.data_dir, account.device_id, account.username, "token")
    return store


def test_offline_without_a_copy_is_unavailable(reviewer: ReportStore) -> None:
    with pytest.raises(ReviewUnavailableError) as missing:
        fetch_township_report(reviewer, EVENT, ReportStage.INITIAL)
    assert "服务器" in missing.value.zh and "server" in missing.value.en
    with pytest.raises(ReviewUnavailableError):
        fetch_completeness(reviewer, event_uuid=EVENT)


def test_offline_reads_the_kept_copy(reviewer: ReportStore) -> None:
    save_cache(
        reviewer,
        report_key(TOWNSHIP, EVENT, "initial"),
        "township_report",
        payload(submitted=False),
    )
    report = fetch_township_report(reviewer, EVENT, ReportStage.INITIAL)
    assert report.from_cache and not report.submitted and report.total["affected_pop"] == 160
    # A submission pulled since the copy was kept (by the township's B) is shown.
    total = payload()["total"]
    play(
        reviewer,
        {
            "kind": "township_report",
            "changed_at": SERVER_TIME.isoformat(),
            "submission_uuid": "s-9",
            "township_code": TOWNSHIP,
            "township_name": "瓦房乡",
            "event_uuid": EVENT,
            "event_name": "x",
            "stage": "initial",
            "figures": total,
            "villages": [],
            "adjustments": [],
            "submitted_by": "wafang_reviewer_b",
            "submitted_by_name": "B",
            "post_role": "B",
            "device_id": "d",
            "server_received_at": (SERVER_TIME + timedelta(hours=1)).isoformat(),
        },
    )
    assert fetch_township_report(reviewer, EVENT, ReportStage.INITIAL).submitted

    save_cache(
        reviewer,
        completeness_key(TOWNSHIP, EVENT, None),
        "completeness",
        {
            "township_code": TOWNSHIP,
            "server_time": SERVER_TIME.isoformat(),
            "villages": [
                {
                    "village_code": VILLAGE,
                    "village_name": "瓦房社区",
                    "reported": True,
                    "report_count": 1,
                    "last_received_at": SERVER_TIME.isoformat(),
                    "on_duty": None,
                },
                {
                    "village_code": OTHER_VILLAGE,
                    "village_name": "水沟洼村",
                    "reported": False,
                    "report_count": 0,
                    "last_received_at": None,
                    "on_duty": {
                        "username": "shuigou_a",
                        "display_name": "水沟洼村信息员A",
                        "phone": "13808752021",
                        "post_role": "A",
                    },
                },
            ],
        },
    )
    villages = fetch_completeness(reviewer, event_uuid=EVENT)
    assert [(v.village_code, v.reported, v.from_cache) for v in villages] == [
        (VILLAGE, True, True),
        (OTHER_VILLAGE, False, True),
    ]
    assert (villages[1].on_duty_name, villages[1].on_duty_phone, villages[1].on_duty_role) == (
        "水沟洼村信息员A",
        "13808752021",
        "A",
    )


def test_adjustments_need_the_server_and_a_reason(reviewer: ReportStore) -> None:
    with pytest.raises(ReviewRefusedError) as blank:
        add_adjustment(reviewer, EVENT, ReportStage.INITIAL, "affected_pop", Decimal(-5), " ")
    assert blank.value.code == "reason_required"
    with pytest.raises(ReviewOfflineError):
        add_adjustment(
            reviewer, EVENT, ReportStage.INITIAL, "affected_pop", Decimal(-5), "重复统计"
        )


def test_a_village_device_has_no_township_report(store: ReportStore) -> None:
    with pytest.raises(ReviewUnavailableError):
        fetch_township_report(store, EVENT, ReportStage.INITIAL)  # not signed in
    sign_in_as(store, "village_informant", "wafang_a")
    with pytest.raises(ReviewRefusedError) as refused:
        fetch_township_report(store, EVENT, ReportStage.INITIAL)
    assert refused.value.code == "not_reviewer"


def cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = run(build_parser().parse_args(list(argv)), out=out, err=out)
    return code, out.getvalue()


def test_the_command_line_prints_and_exports_the_kept_copy(
    reviewer: ReportStore, tmp_path: Path
) -> None:
    save_cache(reviewer, report_key(TOWNSHIP, EVENT, "initial"), "township_report", payload())
    target = tmp_path / "out.csv"
    base = ("--data-dir", str(reviewer.data_dir), "township-report", "--stage", "initial")
    code, printed = cli(*base, "--event", EVENT, "--export", str(target), "--json")
    assert code == 0
    summary = json.loads(printed)
    assert summary["from_cache"] and summary["total"]["affected_pop"] == 160
    assert target.read_text(encoding="utf-8-sig").splitlines()[-1].startswith("合计,160,")
    assert cli(*base, "--event", EVENT, "--export", str(tmp_path / "x.pdf"))[0] == 2
    code, printed = cli(*base, "--event", "other")
    assert code == 1 and "服务器" in printed

"""The township report on the national form: header values from the settings file, the data
cut-off of the rows (not the export time), the narrative, the sign-off with the filer's A/B role,
and the ledger sheets of a verified report.

A real store: the village versions arrive through the change feed as on a reviewer's device.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
import openpyxl
import pytest

from informant_app.core.review.service import export_township_report
from informant_app.core.store.report_store import ReportStore
from informant_app.core.township.export import export_form
from informant_app.core.township.national_form import township_form, unit_form
from informant_app.core.township.report import report_of
from sync.contract import ReportStage
from sync.contract.forms import (
    FORM_HEADER_KEYS,
    FormSettingsError,
    form_settings,
    load_form_settings,
)
from sync.contract.resources import resource_path
from sync.contract.wire.unit_reports import UnitReport
from tests.informant_app.core.conftest import OTHER_VILLAGE, VILLAGE
from tests.informant_app.core.review.test_review_store import (
    EVENT,
    T0,
    content,
    play,
    sign_in_as,
    version_change,
)
from tests.informant_app.core.township.test_review_township import SERVER_TIME, payload

#: The export happens long after the data cut-off.
EXPORTED = datetime(2025, 3, 5, 6, 0, tzinfo=UTC)
LATE_CUTOFF = T0 + timedelta(hours=3)  # 水沟洼村's cut-off, the later one


def sheet_lines(path: Path, sheet: str = "快报表") -> list[str]:
    """Return every non-empty cell of a sheet as text, row by row."""
    book = openpyxl.load_workbook(path)
    return [
        str(cell)
        for row in book[sheet].iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]


def township_payload(stage: str) -> dict[str, Any]:
    """The server's township report of two villages whose versions this device keeps."""
    data = payload()
    data["stage"] = stage
    data["event_uuid"] = EVENT
    data["villages"][0]["version_uuid"] = "v-wafang"
    data["villages"][0]["data_cutoff_at"] = (T0 + timedelta(hours=1)).isoformat()
    data["villages"][1]["version_uuid"] = "v-shuigou"
    data["villages"][1]["data_cutoff_at"] = LATE_CUTOFF.isoformat()
    data["submission"].update(
        submitted_by="wafang_reviewer_b", submitted_by_name="瓦房乡应急办B", post_role="B"
    )
    return data


def keep_villages(store: ReportStore, stage: str) -> None:
    """Pull both villages' versions (narratives; 水沟洼村 names its dead) into the store."""
    wafang = content("r-wafang", VILLAGE, stage=stage, narrative="瓦房河水位上涨，冲毁农田。")
    shuigou = content(
        "r-shuigou", OTHER_VILLAGE, stage=stage, narrative="山洪冲毁便桥一座。", deaths=1
    )
    shuigou["ledger"] = [{"name": "张三", "status": "death", "note": "房屋倒塌"}]
    shuigou["figures"].update(house_collapsed_hh=2, house_collapsed_rooms=5)
    play(
        store,
        version_change(wafang, "v-wafang"),
        version_change(shuigou, "v-shuigou", by="shuigou_a"),
    )


def test_the_settings_file_holds_every_level_and_marks_its_examples() -> None:
    settings = form_settings()
    for level in ("township", "county", "city"):
        form = settings.form(level)
        assert list(form.header) == list(FORM_HEADER_KEYS)
        assert all(form.header.values()), level
    raw = json.loads(resource_path("forms", "quick_report_form.json").read_text("utf-8"))
    assert settings.form("township").header["制定机关"] == raw["forms"]["township"]["制定机关"]
    assert set(settings.examples) <= set(FORM_HEADER_KEYS) and "批准文号" in settings.examples
    assert settings.form("county").rows_heading.zh == "乡（镇、街道）"
    assert settings.label("填表人", "en") == "Filled in by"
    with pytest.raises(FormSettingsError):
        settings.form("province")


def test_a_broken_settings_file_is_refused_with_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "form.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(FormSettingsError) as caught:
        load_form_settings(bad)
    assert "JSON" in caught.value.zh
    bad.write_text(json.dumps({"forms": {"township": {}}}), encoding="utf-8")
    with pytest.raises(FormSettingsError):
        load_form_settings(bad)


def test_the_workbook_carries_the_header_cutoff_narrative_and_sign_off(
    store: ReportStore, tmp_path: Path
) -> None:
    sign_in_as(store)
    keep_villages(store, "continuing")
    report = report_of(township_payload("continuing"), SERVER_TIME, False, {})
    target = tmp_path / "continuing.xlsx"
    export_township_report(report, str(target), "xlsx", store=store)
    lines = sheet_lines(target)
    township = form_settings().form("township")
    for key, value in township.header.items():  # from the settings file, not the code
        assert f"{key}：{value}" in lines, key
    assert "填报单位：瓦房彝族苗族乡" in lines
    assert "灾害种类：洪涝（山洪）" in lines
    assert "发生时间：2024-07-01 08:00（北京时间）" in lines  # T0, the event's occurrence
    # the cut-off is the latest of the rows' (03:00 UTC), not the server's or the export's time
    assert "数据截止时间：2024-07-01 11:00（北京时间）" in lines
    narrative = next(line for line in lines if line.startswith("截至"))
    assert "瓦房彝族苗族乡共2个村（社区）报告灾情" in narrative
    assert "瓦房社区：瓦房河水位上涨，冲毁农田。" in narrative
    assert "水沟洼村：山洪冲毁便桥一座。" in narrative
    # submitted by the township's B: the filer and the role, and the submission's date
    assert "填表人：瓦房乡应急办B（B角）" in lines
    assert "报出日期：2024年07月01日" in lines
    assert any(line.startswith("单位负责人：") for line in lines)
    assert any(line.startswith("统计负责人：") for line in lines)
    assert any(line.startswith("联系电话：") for line in lines)
    assert openpyxl.load_workbook(target).sheetnames == ["快报表"]  # not verified: no ledgers


def test_the_settings_file_not_the_code_gives_the_header(
    store: ReportStore, tmp_path: Path
) -> None:
    sign_in_as(store)
    raw = json.loads(resource_path("forms", "quick_report_form.json").read_text("utf-8"))
    raw["forms"]["township"]["表号"] = "云应急快报1表"
    raw["forms"]["township"]["有效期至"] = "2030年12月"
    changed = tmp_path / "form.json"
    changed.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    report = report_of(payload(submitted=False), SERVER_TIME, False, {})
    form = township_form(store, report, now=EXPORTED, settings=load_form_settings(changed))
    target = tmp_path / "changed.xlsx"
    export_form(form, target, "xlsx")
    lines = sheet_lines(target)
    assert "表号：云应急快报1表" in lines and "有效期至：2030年12月" in lines
    # not submitted: the signed-in reviewer (the township's A) files, dated the export day
    assert "填表人：瓦房乡应急办（A角）" in lines
    assert "报出日期：2025年03月05日" in lines
    assert "数据截止时间：2024-07-01 09:30（北京时间）" in lines  # still the rows', not now


def test_a_verified_report_adds_the_name_and_household_ledgers(
    store: ReportStore, tmp_path: Path
) -> None:
    sign_in_as(store)
    keep_villages(store, "verified")
    report = report_of(township_payload("verified"), SERVER_TIME, False, {})
    assert report.stage is ReportStage.VERIFIED
    form = township_form(store, report, now=EXPORTED)
    assert [(p.unit_name, p.name, p.status) for p in form.people] == [("水沟洼村", "张三", "death")]
    target = tmp_path / "verified.xlsx"
    export_form(form, target, "xlsx")
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["快报表", "死亡失踪人员名单", "户数台账"]
    people = [list(r) for r in book["死亡失踪人员名单"].iter_rows(values_only=True)]
    assert [1, "水沟洼村", "张三", "死亡", "房屋倒塌"] in [r[:5] for r in people]
    assert any(r[0] == "合计：死亡 1 人，失踪 0 人" for r in people)
    households = [list(r) for r in book["户数台账"].iter_rows(values_only=True)]
    # the payload's figures: 瓦房社区 2 collapsed households in 6 rooms
    assert [1, "瓦房社区", None, "倒塌", 2, 6, None] in [r[:7] for r in households]
    assert any(r[0] == "合计：2 户，6 间" for r in households)
    lines = sheet_lines(target, "死亡失踪人员名单")
    assert "填表人：瓦房乡应急办B（B角）" in lines and "报告阶段：核报" in lines


def county_report(submitted: bool) -> UnitReport:
    """A county report of two passed township reports, as ``GET /units/…`` answers it."""

    def row(code: str, name: str, cutoff: datetime, figures: dict[str, Any]) -> dict[str, Any]:
        return {
            "unit_code": code,
            "unit_name": name,
            "submission_uuid": f"s-{code}",
            "event_name": "20240701隆阳区洪涝",
            "stage": "initial",
            "figures": figures,
            "data_cutoff_at": cutoff.isoformat(),
            "submitted_by": f"{code}_a",
            "submitted_by_name": f"{name}应急办",
            "post_role": "A",
            "server_received_at": SERVER_TIME.isoformat(),
            "status": "passed",
            "decision": None,
        }

    total = {"affected_pop": 330, "direct_loss": 52.5}
    data: dict[str, Any] = {
        "level": "county",
        "unit_code": "530502000000",
        "unit_name": "隆阳区",
        "event_uuid": EVENT,
        "event_name": "20240701隆阳区洪涝",
        "stage": "initial",
        "rows": [
            row("530502208000", "瓦房彝族苗族乡", T0, {"affected_pop": 160, "direct_loss": 47.5}),
            row("530502106000", "潞江镇", LATE_CUTOFF, {"affected_pop": 160, "direct_loss": 5}),
        ],
        "row_sum": {"affected_pop": 320, "direct_loss": 52.5},
        "adjustments": [
            {
                "adjustment_uuid": "ca-1",
                "field": "affected_pop",
                "delta": 10,
                "reason": "过境旅客",
                "made_by": "longyang_b",
                "made_by_name": "隆阳区应急局B",
                "post_role": "B",
                "server_received_at": SERVER_TIME.isoformat(),
            }
        ],
        "total": total,
        "check": {"ok": True, "issues": []},
        "waiting": [],
        "verified_missing": [],
        "submission": None,
        "server_time": SERVER_TIME.isoformat(),
    }
    if submitted:
        data["submission"] = {
            **{k: data[k] for k in ("unit_code", "unit_name", "event_uuid", "event_name")},
            "submission_uuid": "cs-1",
            "level": "county",
            "stage": "initial",
            "data_cutoff_at": LATE_CUTOFF.isoformat(),
            "figures": total,
            "rows": data["rows"],
            "adjustments": data["adjustments"],
            "submitted_by": "longyang_b",
            "submitted_by_name": "隆阳区应急局B",
            "post_role": "B",
            "device_id": "dev",
            "server_received_at": (SERVER_TIME + timedelta(hours=1)).isoformat(),
            "status": "submitted",
            "decision": None,
        }
    return msgspec.json.decode(json.dumps(data), type=UnitReport)


def test_a_county_report_has_township_rows_and_its_own_cutoff(tmp_path: Path) -> None:
    form = unit_form(county_report(submitted=True), EXPORTED, disaster_type="洪涝")
    assert form.form.rows_heading.zh == "乡（镇、街道）"
    assert form.data_cutoff_at == LATE_CUTOFF
    target = tmp_path / "county.xlsx"
    export_form(form, target, "xlsx")
    lines = sheet_lines(target)
    assert "填报单位：隆阳区" in lines and "数据截止时间：2024-07-01 11:00（北京时间）" in lines
    assert {"瓦房彝族苗族乡", "潞江镇", "县级调整数", "合计"} <= set(lines)
    assert "填表人：隆阳区应急局B（B角）" in lines and "报出日期：2024年07月01日" in lines
    assert any("原因：过境旅客（隆阳区应急局B，B角）" in line for line in lines)
    unsent = unit_form(county_report(submitted=False), EXPORTED)
    assert unsent.sign_off.filer == "" and unsent.sign_off.reported_on.isoformat() == "2025-03-05"


def test_the_household_sheet_lists_each_named_household(store: ReportStore, tmp_path: Path) -> None:
    """A village report with a household ledger gives one row per household (户主, 间数);
    a village without one keeps the counts of its figures (the fallback)."""
    sign_in_as(store)
    wafang = content("r-wafang", VILLAGE, stage="verified", narrative="房屋倒塌两户。")
    wafang["figures"].update(house_collapsed_hh=2, house_collapsed_rooms=6)
    wafang["households"] = [
        {"head": "李四", "damage": "collapsed", "rooms": 2, "note": ""},
        {"head": "王五", "damage": "collapsed", "rooms": 4, "note": "借住邻居家"},
    ]
    shuigou = content("r-shuigou", OTHER_VILLAGE, stage="verified", narrative="山洪冲毁便桥。")
    play(
        store,
        version_change(wafang, "v-wafang"),
        version_change(shuigou, "v-shuigou", by="shuigou_a"),
    )
    data = township_payload("verified")
    # a new dict: the payload's figures are the shared constants of test_review_township
    data["villages"][1]["figures"] = {
        **data["villages"][1]["figures"],
        "house_minor_hh": 3,
        "house_minor_rooms": 7,
    }
    report = report_of(data, SERVER_TIME, False, {})
    form = township_form(store, report, now=EXPORTED)
    assert [(h.unit_name, h.head, h.house_class, int(h.rooms)) for h in form.households] == [
        ("瓦房社区", "李四", "collapsed", 2),
        ("瓦房社区", "王五", "collapsed", 4),
        ("水沟洼村", "", "minor", 7),
    ]
    target = tmp_path / "households.xlsx"
    export_form(form, target, "xlsx")
    rows = [
        list(r)[:7] for r in openpyxl.load_workbook(target)["户数台账"].iter_rows(values_only=True)
    ]
    assert [1, "瓦房社区", "李四", "倒塌", 1, 2, None] in rows
    assert [2, "瓦房社区", "王五", "倒塌", 1, 4, "借住邻居家"] in rows
    assert [3, "水沟洼村", None, "一般损坏", 3, 7, None] in rows
    assert any(r[0] == "合计：5 户，13 间" for r in rows)
    # not verified: no ledger sheets at all, whatever the content carries
    plain = township_form(store, report_of(township_payload("continuing"), SERVER_TIME, False, {}))
    assert plain.households == () and not plain.has_ledgers

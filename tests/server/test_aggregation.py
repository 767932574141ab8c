"""Adding up that never undercounts (issue 16), and the figure rules the server enforces.

The issue's table through the HTTP API: one event, three villages of 瓦房彝族苗族乡; the
township report counts each village's latest approved figures of any stage, and a pending or
returned correction takes nothing out.  Then rule 9 against approved figures and 实时 ≤ 累计
at ingest.  Every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from sync.server.services.aggregation import latest_approved, latest_approved_total
from tests.server.factories import (
    SHUIGOU,
    WAFANG,
    WAFANG_TOWNSHIP,
    content,
    decision,
    item,
    new_id,
)
from tests.server.steps import decide, filed, push
from tests.server.world import World
from tests.support.places import DANGXI

BASE = f"/api/v1/townships/{WAFANG_TOWNSHIP}/reports"
R9_NOTE = {"R9:affected_pop": "复核后核减"}


def day(n: int, hour: int = 0) -> dict[str, str]:
    """The cut-off (24:00 of day ``n`` - 1) and submission time of a report of July ``n``."""
    return {
        "data_cutoff_at": f"2024-07-{n:02d}T{hour:02d}:00:00+08:00",
        "submitted_at": f"2024-07-{n:02d}T{hour + 7:02d}:00:00+08:00",
    }


def report(
    client: TestClient,
    world: World,
    village: str,
    user: str,
    event: str,
    stage: str,
    pop: int,
    when: dict[str, str],
    approve: bool = True,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """File one report (and approve it); return its content and version."""
    body, version = filed(
        client,
        world,
        village,
        user,
        event_uuid=event,
        stage=stage,
        figures={"affected_pop": pop},
        **when,
    )
    if approve:
        [result] = decide(client, world, [decision(version["version_uuid"])])
        assert result["status"] == "accepted", result
    return body, version


def township_total(client: TestClient, world: World, event: str, stage: str) -> int:
    r = client.get(f"{BASE}/{event}/{stage}", headers=world.headers(client, "wafang_reviewer"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["check"]["ok"] is True
    total: int = body["total"].get("affected_pop", 0)
    return total


def test_the_issues_table(client: TestClient, world: World) -> None:
    """180 at the initial stage, 250 with the continuing reports, still 250 after a return."""
    event = new_id()
    report(client, world, WAFANG, "wafang_a", event, "initial", 100, day(1, 7))
    report(client, world, SHUIGOU, "shuigou_a", event, "initial", 50, day(1, 7))
    report(client, world, DANGXI, "dangxi_a", event, "initial", 30, day(1, 7))
    assert township_total(client, world, event, "initial") == 180

    report(client, world, WAFANG, "wafang_a", event, "continuing", 150, day(2))
    v1_day3_body, v1_day3 = report(
        client, world, WAFANG, "wafang_a", event, "continuing", 160, day(3)
    )
    report(client, world, SHUIGOU, "shuigou_a", event, "continuing", 60, day(3))
    assert township_total(client, world, event, "continuing") == 250  # 160 + 60 + 30 (initial)
    rows = client.get(
        f"{BASE}/{event}/continuing", headers=world.headers(client, "wafang_reviewer")
    ).json()["villages"]
    assert [(r["village_code"], r["figures"]["affected_pop"]) for r in rows] == [
        (WAFANG, 160),
        (SHUIGOU, 60),
        (DANGXI, 30),
    ]
    assert rows[0]["version_uuid"] == v1_day3["version_uuid"]

    # 瓦房社区 files a correction of day 3: pending, the approved 160 stays on record ...
    correction = item(
        dict(v1_day3_body, figures={"affected_pop": 170}),
        parent=v1_day3["version_uuid"],
        version_no=2,
    )
    assert push(client, world, [correction])[0]["status"] == "accepted"
    assert township_total(client, world, event, "continuing") == 250
    # ... and after it is returned.
    [returned] = decide(client, world, [decision(correction["version_uuid"], "return", "数字待核")])
    assert returned["status"] == "accepted", returned
    assert township_total(client, world, event, "continuing") == 250

    # An approved correction replaces what it corrects.
    again = item(
        dict(v1_day3_body, figures={"affected_pop": 175}),
        parent=correction["version_uuid"],
        version_no=3,
    )
    assert push(client, world, [again])[0]["status"] == "accepted"
    assert township_total(client, world, event, "continuing") == 250
    decide(client, world, [decision(again["version_uuid"])])
    assert township_total(client, world, event, "continuing") == 265

    # The submission is checked against the same total.
    h = world.headers(client, "wafang_reviewer")
    r = client.post(
        f"{BASE}/{event}/continuing/submit",
        headers=h,
        json={"submission_uuid": new_id(), "figures": {"affected_pop": 265}},
    )
    assert r.status_code == 200, r.text
    assert [v["figures"]["affected_pop"] for v in r.json()["report"]["villages"]] == [175, 60, 30]


def test_latest_approved_at_a_cutoff(client: TestClient, world: World) -> None:
    """The generic function: the same choice at a data cut-off, for any unit above a village."""
    event = new_id()
    report(client, world, WAFANG, "wafang_a", event, "initial", 100, day(1, 7))
    report(client, world, WAFANG, "wafang_a", event, "continuing", 150, day(2))
    report(client, world, SHUIGOU, "shuigou_a", event, "continuing", 60, day(3))
    report(client, world, DANGXI, "dangxi_a", event, "initial", 30, day(1, 7), approve=False)
    db = world.app.state.db

    def at(when: datetime | None, unit: str = WAFANG_TOWNSHIP) -> dict[str, int]:
        with db.read_session() as session:
            return {
                r.village_code: int(r.figures["affected_pop"])
                for r in latest_approved(session, unit, event, when)
            }

    assert at(None) == {WAFANG: 150, SHUIGOU: 60}
    assert at(datetime(2024, 7, 1, 16, tzinfo=UTC)) == {WAFANG: 150}  # 24:00 of July 1 (+08)
    assert at(datetime(2024, 7, 1, 15, 59, tzinfo=UTC)) == {WAFANG: 100}
    assert at(datetime(2024, 6, 30, tzinfo=UTC)) == {}
    assert at(None, "530502000000") == {WAFANG: 150, SHUIGOU: 60}  # the county
    assert at(None, "530500000000") == {WAFANG: 150, SHUIGOU: 60}  # the city
    assert at(None, WAFANG) == {WAFANG: 150}
    assert at(None, "530502106000") == {}  # another township
    with db.read_session() as session:
        rows = latest_approved(session, WAFANG_TOWNSHIP, event)
        assert [r.stage for r in rows] == ["continuing", "continuing"]
        assert latest_approved_total(session, "530502000000", [event, new_id()]) == {
            "affected_pop": 210
        }


def test_r9_a_cumulative_figure_below_the_approved_one_needs_a_reason(
    client: TestClient, world: World
) -> None:
    event = new_id()
    body, day2 = report(client, world, WAFANG, "wafang_a", event, "continuing", 150, day(2))
    # Lower than the approved 150 without a reason: refused, nothing stored.
    lower = item(dict(body, report_uuid=new_id(), figures={"affected_pop": 140}, **day(3)))
    [result] = push(client, world, [lower])
    assert (result["status"], result["code"]) == ("rejected", "cumulative_fell"), result
    assert "累计数低于" in result["message_zh"] and "below" in result["message_en"]
    assert [(i["rule"], i["field"], i["severity"]) for i in result["issues"]] == [
        ("R9", "affected_pop", "warning")
    ]
    assert "150" in result["issues"][0]["zh"]
    # The same with the reason in a note: accepted (a new version, not a duplicate).
    [result] = push(client, world, [dict(lower, content=dict(lower["content"], notes=R9_NOTE))])
    assert result["status"] == "accepted", result
    # The baseline is the approved record: a pending higher version does not raise it ...
    pending = item(dict(body, report_uuid=new_id(), figures={"affected_pop": 300}, **day(4)))
    assert push(client, world, [pending])[0]["status"] == "accepted"
    after_pending = item(dict(body, report_uuid=new_id(), figures={"affected_pop": 160}, **day(5)))
    assert push(client, world, [after_pending])[0]["status"] == "accepted"
    # ... nor does an approved report with a later cut-off count against an earlier one.
    decide(client, world, [decision(after_pending["version_uuid"])])  # 160 at day 5
    fix_day2 = item(
        dict(body, figures={"affected_pop": 155}), parent=day2["version_uuid"], version_no=2
    )
    assert push(client, world, [fix_day2])[0]["status"] == "accepted"
    # An initial report is never compared (R9 is for continuing and verified reports).
    initial = item(dict(body, report_uuid=new_id(), stage="initial", figures={"affected_pop": 1}))
    assert push(client, world, [initial])[0]["status"] == "accepted"
    # A verified report below the approved 160 needs the reason too.
    verified = item(
        dict(
            body,
            report_uuid=new_id(),
            stage="verified",
            event_stable=True,
            figures={"affected_pop": 158},
            **day(6),
        )
    )
    assert push(client, world, [verified])[0]["code"] == "cumulative_fell"
    # A repeat of a version stored before the baseline rose stays a duplicate.
    repeat = item(dict(body, report_uuid=new_id(), figures={"affected_pop": 162}, **day(7)))
    assert push(client, world, [repeat])[0]["status"] == "accepted"
    higher = item(dict(body, report_uuid=new_id(), figures={"affected_pop": 170}, **day(7)))
    assert push(client, world, [higher])[0]["status"] == "accepted"
    decide(client, world, [decision(higher["version_uuid"])])
    assert push(client, world, [repeat])[0]["status"] == "duplicate"


def test_current_figures_above_the_cumulative_are_refused(client: TestClient, world: World) -> None:
    base = {"affected_pop": 100, "relocated": 10, "relocated_central": 10, "urgent_aid": 8}
    cases = [
        ({**base, "relocated_current": 11}, "relocated_current"),
        ({**base, "urgent_aid_current": 9}, "urgent_aid_current"),
        ({"affected_pop": 5, "urgent_aid_current": 1}, "urgent_aid_current"),
    ]
    for figures, field in cases:
        body = dict(
            content(WAFANG, event_uuid=new_id()),
            figures=figures,
            notes={f"R3:{field}": "仍有人员在安置点"},  # an error: a note does not excuse it
        )
        [result] = push(client, world, [item(body)])
        assert (result["status"], result["code"]) == ("rejected", "validation_failed"), result
        assert [(i["rule"], i["field"], i["severity"]) for i in result["issues"]] == [
            ("R3", field, "error")
        ]
        assert "不能大于" in result["issues"][0]["zh"]
    equal = dict(content(WAFANG, event_uuid=new_id()), figures={**base, "relocated_current": 10})
    assert push(client, world, [item(equal)])[0]["status"] == "accepted"

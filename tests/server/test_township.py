"""The township report: approved village reports plus adjustments, and its submission (rule 12)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from tests.server.factories import SHUIGOU, WAFANG, WAFANG_TOWNSHIP, decision, item, new_id
from tests.server.steps import decide, filed, pull_all, push
from tests.server.world import World

BASE = f"/api/v1/townships/{WAFANG_TOWNSHIP}/reports"
F1 = {
    "affected_pop": 120,
    "house_collapsed_hh": 2,
    "house_collapsed_rooms": 6,
    "crop_affected_ha": 35.5,
    "crop_damaged_ha": 20.25,
    "direct_loss": 150.5,
}
F2 = {"affected_pop": 30, "crop_affected_ha": 1.05, "direct_loss": 10.01}
F2B = {"affected_pop": 45, "crop_affected_ha": 2.1, "direct_loss": 12}


def get(
    client: TestClient,
    world: World,
    event: str,
    stage: str = "initial",
    user: str = "wafang_reviewer",
) -> dict[str, Any]:
    r = client.get(f"{BASE}/{event}/{stage}", headers=world.headers(client, user))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def post(
    client: TestClient,
    world: World,
    event: str,
    what: str,
    payload: dict[str, Any],
    stage: str = "initial",
) -> tuple[int, dict[str, Any]]:
    r = client.post(
        f"{BASE}/{event}/{stage}/{what}",
        headers=world.headers(client, "wafang_reviewer"),
        json=payload,
    )
    return r.status_code, r.json()


def added(*figures: dict[str, Any]) -> dict[str, Any]:
    total: dict[str, Decimal] = {}
    for f in figures:
        for k, v in f.items():
            total[k] = total.get(k, Decimal(0)) + Decimal(str(v))
    return {k: Decimal(str(v)) for k, v in total.items()}


def as_decimals(figures: dict[str, Any]) -> dict[str, Any]:
    return {k: Decimal(str(v)) for k, v in figures.items()}


def test_total_is_the_sum_of_approved_villages_plus_adjustments(
    client: TestClient, world: World
) -> None:
    event = new_id()
    _, w1 = filed(client, world, event_uuid=event, figures=F1, event_name="瓦房乡洪涝")
    _, w2 = filed(client, world, event_uuid=event, figures=F2)  # returned: does not count
    s_body, s1 = filed(client, world, SHUIGOU, "shuigou_a", event_uuid=event, figures=F2)
    filed(client, world, event_uuid=event, figures=F2, stage="continuing")  # another stage
    decide(
        client,
        world,
        [
            decision(w1["version_uuid"]),
            decision(s1["version_uuid"]),
            decision(w2["version_uuid"], "return", "重复填报"),
        ],
    )
    got = get(client, world, event)
    assert [(r["village_code"], r["version_uuid"]) for r in got["villages"]] == [
        (WAFANG, w1["version_uuid"]),
        (SHUIGOU, s1["version_uuid"]),
    ]
    assert got["villages"][0]["village_name"] == "瓦房社区"
    assert got["event_name"] == "瓦房乡洪涝" and got["township_name"] == "瓦房彝族苗族乡"
    assert as_decimals(got["village_sum"]) == added(F1, F2)
    assert got["total"] == got["village_sum"] and got["check"] == {"ok": True, "issues": []}
    assert list(got["total"]) == [
        "affected_pop",
        "house_collapsed_hh",
        "house_collapsed_rooms",
        "crop_affected_ha",
        "crop_damaged_ha",
        "direct_loss",
    ]
    # A new version of 水沟洼村's report is pending: its approved figures still count.
    s2 = item(dict(s_body, figures=F2B), parent=s1["version_uuid"], version_no=2)
    push(client, world, [s2], "shuigou_b")
    pending = get(client, world, event)
    assert as_decimals(pending["total"]) == added(F1, F2)
    assert [r["version_uuid"] for r in pending["villages"]][1] == s1["version_uuid"]
    decide(client, world, [decision(s2["version_uuid"])])
    assert as_decimals(get(client, world, event)["total"]) == added(F1, F2B)
    # Adjustments, each with a reason, are added on top.
    adj = {
        "adjustment_uuid": new_id(),
        "field": "affected_pop",
        "delta": -5,
        "reason": "两村重复统计 5 人",
    }
    status, body = post(client, world, event, "adjustments", adj)
    assert status == 200 and body["status"] == "accepted", body
    assert body["adjustment"]["made_by"] == "wafang_reviewer"
    assert body["adjustment"]["post_role"] == "A"
    assert post(client, world, event, "adjustments", adj)[1]["status"] == "duplicate"
    status, body = post(client, world, event, "adjustments", dict(adj, delta=-6))
    assert (status, body["error"]["code"]) == (409, "id_reused")
    loss = {
        "adjustment_uuid": new_id(),
        "field": "road_damaged_km",
        "delta": "1.25",
        "reason": "乡道损毁由乡里核实",
    }
    assert post(client, world, event, "adjustments", loss)[0] == 200
    got = get(client, world, event)
    expected = added(F1, F2B, {"affected_pop": -5, "road_damaged_km": "1.25"})
    assert as_decimals(got["total"]) == expected
    assert as_decimals(got["village_sum"]) == added(F1, F2B)
    assert [(a["field"], a["delta"], a["reason"]) for a in got["adjustments"]] == [
        ("affected_pop", -5, "两村重复统计 5 人"),
        ("road_damaged_km", 1.25, "乡道损毁由乡里核实"),
    ]
    assert got["check"]["ok"] is True


def test_bad_adjustments_are_refused(client: TestClient, world: World) -> None:
    event = new_id()
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"field": "affected_pop", "delta": 3}, 422, "reason_required"),
        ({"field": "affected_pop", "delta": 3, "reason": "  "}, 422, "reason_required"),
        ({"field": "no_such_figure", "delta": 3, "reason": "x"}, 422, "unknown_field"),
        ({"field": "affected_pop", "delta": 1.5, "reason": "x"}, 422, "bad_figure"),
        ({"field": "affected_pop", "delta": 0, "reason": "x"}, 422, "bad_figure"),
        ({"field": "direct_loss", "delta": "abc", "reason": "x"}, 422, "bad_figure"),
    ]
    for payload, status, code in cases:
        got_status, body = post(
            client, world, event, "adjustments", {"adjustment_uuid": new_id(), **payload}
        )
        assert (got_status, body["error"]["code"]) == (status, code), payload
    assert get(client, world, event)["adjustments"] == []


def test_submit_needs_the_servers_total(client: TestClient, world: World) -> None:
    event = new_id()
    _, w1 = filed(client, world, event_uuid=event, figures=F1)
    decide(client, world, [decision(w1["version_uuid"])])
    total = get(client, world, event)["total"]
    wrong = dict(total, affected_pop=total["affected_pop"] + 1)
    uuid = new_id()
    status, body = post(client, world, event, "submit", {"submission_uuid": uuid, "figures": wrong})
    assert status == 409 and body["error"]["code"] == "township_total_mismatch"
    assert body["error"]["figures"] == total
    assert [(i["rule"], i["field"]) for i in body["error"]["issues"]] == [("R12", "affected_pop")]
    listed = client.get(BASE, headers=world.headers(client, "longyang_admin")).json()
    assert uuid not in [x["submission_uuid"] for x in listed["reports"]]  # nothing stored
    status, body = post(client, world, event, "submit", {"submission_uuid": uuid, "figures": total})
    assert status == 200 and body["status"] == "accepted", body
    report = body["report"]
    assert report["figures"] == total and report["submitted_by"] == "wafang_reviewer"
    assert [v["version_uuid"] for v in report["villages"]] == [w1["version_uuid"]]
    assert (
        post(client, world, event, "submit", {"submission_uuid": uuid, "figures": total})[1][
            "status"
        ]
        == "duplicate"
    )
    status, body = post(client, world, event, "submit", {"submission_uuid": uuid, "figures": wrong})
    assert (status, body["error"]["code"]) == (409, "id_reused")
    status, body = post(
        client, world, event, "submit", {"submission_uuid": new_id(), "figures": {"bogus": 1}}
    )
    assert (status, body["error"]["code"]) == (422, "unknown_field")
    # A later approval makes the submitted report stale: the check says so.
    _, s1 = filed(client, world, SHUIGOU, "shuigou_a", event_uuid=event, figures=F2)
    decide(client, world, [decision(s1["version_uuid"])])
    stale = get(client, world, event, user="longyang_admin")["submission"]
    assert stale["submission_uuid"] == uuid and stale["check"]["ok"] is False
    assert {i["field"] for i in stale["check"]["issues"]} == set(F2)


def test_zero_report_can_be_submitted(client: TestClient, world: World) -> None:
    event = new_id()
    got = get(client, world, event)
    assert got["villages"] == [] and got["total"] == {} and got["submission"] is None
    status, body = post(
        client, world, event, "submit", {"submission_uuid": new_id(), "figures": {"deaths": 0}}
    )
    assert status == 200 and body["report"]["figures"] == {}


def test_continuing_counts_the_latest_approved_per_village(
    client: TestClient, world: World
) -> None:
    event = new_id()
    days = []
    for day, pop in ((1, 100), (2, 150), (3, 180)):
        _, v = filed(
            client,
            world,
            event_uuid=event,
            stage="continuing",
            figures={"affected_pop": pop},
            data_cutoff_at=f"2024-07-0{day + 1}T00:00:00+08:00",
            submitted_at=f"2024-07-0{day + 1}T07:00:00+08:00",
        )
        days.append(v)
    decide(
        client,
        world,
        [
            decision(days[0]["version_uuid"]),
            decision(days[1]["version_uuid"]),
            decision(days[2]["version_uuid"], "return", "数字待核"),
        ],
    )
    got = get(client, world, event, "continuing")
    assert [r["version_uuid"] for r in got["villages"]] == [days[1]["version_uuid"]]
    assert got["total"] == {"affected_pop": 150}


def test_submissions_are_listed_and_reach_the_county_feed(client: TestClient, world: World) -> None:
    _, cursor = pull_all(client, world, "longyang_admin")
    _, village_cursor = pull_all(client, world, "wafang_a")
    event = new_id()
    for _ in range(2):
        post(client, world, event, "submit", {"submission_uuid": new_id(), "figures": {}})
    listed = client.get(
        BASE, headers=world.headers(client, "longyang_admin"), params={"event_uuid": event}
    ).json()["reports"]
    assert [x["is_latest"] for x in listed] == [False, True]
    changes, _ = pull_all(client, world, "longyang_admin", cursor)
    assert [c["submission_uuid"] for c in changes if c["kind"] == "township_report"] == [
        x["submission_uuid"] for x in listed
    ]
    village, _ = pull_all(client, world, "wafang_a", village_cursor)
    assert [c for c in village if c["kind"] == "township_report"] == []

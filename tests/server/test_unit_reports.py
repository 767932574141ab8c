"""County review and the county and city reports: passing, returning, adding up, submitting.

Two townships of 隆阳区 (瓦房彝族苗族乡 with 瓦房社区 and 水沟洼村, 潞江镇 with 莫卡社区) and one of
腾冲市 (固东镇 with 河头社区) file; the county passes or returns the township reports, adds up
the passed ones and submits; the city does the same with the county reports.  Every total
is checked against the village figures.  Runs on SQLite and PostgreSQL (``tests/server``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sync.server.models import Role
from sync.server.services.accounts import add_user
from tests.server.factories import (
    BAOSHAN,
    GUDONG,
    LONGYANG,
    LUJIANG,
    SHUIGOU,
    WAFANG,
    WAFANG_TOWNSHIP,
    XINZHAI,
    decision,
    household_ledger,
    new_id,
)
from tests.server.steps import decide, filed, pull_all
from tests.server.world import PASSWORD, World

TENGCHONG = "530581000000"
GUDONG_TOWNSHIP = "530581102000"
REVIEWER = {WAFANG_TOWNSHIP: "wafang_reviewer", LUJIANG: "lujiang_reviewer"}


@pytest.fixture(scope="module")
def people(world: World) -> World:
    """The world plus a reviewer of 固东镇 (腾冲市)."""
    with world.app.state.db.writing() as session:
        add_user(
            session,
            world.app.state.passwords,
            "gudong_reviewer",
            Role.TOWNSHIP_REVIEWER,
            GUDONG_TOWNSHIP,
            PASSWORD,
        )
    REVIEWER[GUDONG_TOWNSHIP] = "gudong_reviewer"
    return world


def dec(figures: dict[str, Any]) -> dict[str, Decimal]:
    return {k: Decimal(str(v)) for k, v in figures.items() if Decimal(str(v))}


def added(*many: dict[str, Any]) -> dict[str, Decimal]:
    total: dict[str, Decimal] = {}
    for f in many:
        for k, v in f.items():
            total[k] = total.get(k, Decimal(0)) + Decimal(str(v))
    return {k: v for k, v in total.items() if v}


def file_approved(
    client: TestClient,
    world: World,
    village: str,
    user: str,
    event: str,
    figures: dict[str, Any],
    stage: str = "initial",
    cutoff: str = "2024-07-01T07:00:00+08:00",
) -> None:
    """A village files a report of ``event`` and its township approves it."""
    township = village[:9] + "000"
    _, v = filed(
        client,
        world,
        village,
        user,
        event_uuid=event,
        stage=stage,
        figures=figures,
        data_cutoff_at=cutoff,
        submitted_at=cutoff,
        event_stable=stage == "verified",
        event_name="2024年7月1日隆阳区洪涝",
        households=household_ledger(figures) if stage == "verified" else [],
    )
    result = decide(client, world, [decision(v["version_uuid"])], REVIEWER[township])
    assert result[0]["status"] == "accepted", result


def township_submits(
    client: TestClient, world: World, township: str, event: str, stage: str = "initial"
) -> dict[str, Any]:
    """The township's reviewer submits the server's total; return the stored report."""
    h = world.headers(client, REVIEWER[township])
    url = f"/api/v1/townships/{township}/reports/{event}/{stage}"
    total = client.get(url, headers=h).json()["total"]
    r = client.post(
        f"{url}/submit", headers=h, json={"submission_uuid": new_id(), "figures": total}
    )
    assert r.status_code == 200, r.text
    report: dict[str, Any] = r.json()["report"]
    return report


def unit_get(
    client: TestClient, world: World, user: str, code: str, event: str, stage: str = "initial"
) -> dict[str, Any]:
    r = client.get(
        f"/api/v1/units/{code}/reports/{event}/{stage}", headers=world.headers(client, user)
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def unit_post(
    client: TestClient,
    world: World,
    user: str,
    code: str,
    event: str,
    what: str,
    body: dict[str, Any],
    stage: str = "initial",
) -> tuple[int, dict[str, Any]]:
    r = client.post(
        f"/api/v1/units/{code}/reports/{event}/{stage}/{what}",
        headers=world.headers(client, user),
        json=body,
    )
    return r.status_code, r.json()


def verdict(
    client: TestClient,
    world: World,
    user: str,
    code: str,
    event: str,
    submission: str,
    what: str = "pass",
    reason: str = "",
    stage: str = "initial",
) -> dict[str, Any]:
    status, body = unit_post(
        client,
        world,
        user,
        code,
        event,
        "decisions",
        {
            "decision_uuid": new_id(),
            "submission_uuid": submission,
            "decision": what,
            "reason": reason,
        },
        stage,
    )
    assert status == 200 and body["status"] == "accepted", body
    return body


W = {"affected_pop": 120, "house_collapsed_hh": 2, "house_collapsed_rooms": 6, "direct_loss": 150.5}
S = {"affected_pop": 30, "crop_affected_ha": 1.05, "direct_loss": 10.01}
X = {"affected_pop": 45, "crop_affected_ha": 2.1, "direct_loss": 12}
G = {"affected_pop": 7, "direct_loss": 3.3}


def test_the_chain_adds_up_from_village_to_city(client: TestClient, people: World) -> None:
    world = people
    event = new_id()
    file_approved(client, world, WAFANG, "wafang_a", event, W)
    file_approved(client, world, SHUIGOU, "shuigou_a", event, S)
    file_approved(client, world, XINZHAI, "xinzhai_a", event, X)
    file_approved(client, world, GUDONG, "gudong_a", event, G)
    wafang = township_submits(client, world, WAFANG_TOWNSHIP, event)
    lujiang = township_submits(client, world, LUJIANG, event)
    assert dec(wafang["figures"]) == added(W, S) and dec(lujiang["figures"]) == dec(X)

    county = unit_get(client, world, "longyang_admin", LONGYANG, event)
    assert county["level"] == "county" and county["unit_name"] == "隆阳区"
    assert county["rows"] == [] and county["total"] == {}
    assert [w["submission_uuid"] for w in county["waiting"]] == [
        wafang["submission_uuid"],
        lujiang["submission_uuid"],
    ]
    assert county["event_name"] == "2024年7月1日隆阳区洪涝"

    # The county passes 瓦房 and returns 潞江 (a return needs a reason).
    passed = verdict(client, world, "longyang_admin", LONGYANG, event, wafang["submission_uuid"])
    assert passed["decision"]["unit_code"] == WAFANG_TOWNSHIP
    assert passed["decision"]["decided_by"] == "longyang_admin"
    status, body = unit_post(
        client,
        world,
        "longyang_admin",
        LONGYANG,
        event,
        "decisions",
        {
            "decision_uuid": new_id(),
            "submission_uuid": lujiang["submission_uuid"],
            "decision": "return",
        },
    )
    assert status == 422 and body["error"]["code"] == "reason_required"
    verdict(
        client,
        world,
        "longyang_admin",
        LONGYANG,
        event,
        lujiang["submission_uuid"],
        "return",
        "受灾人口与民政数据不符，请核实",
    )
    county = unit_get(client, world, "longyang_admin", LONGYANG, event)
    assert [r["unit_code"] for r in county["rows"]] == [WAFANG_TOWNSHIP]
    assert county["rows"][0]["status"] == "passed"
    assert dec(county["total"]) == added(W, S) and county["waiting"] == []

    # 潞江 corrects with a reasoned adjustment and resubmits; the county passes it.
    h = world.headers(client, "lujiang_reviewer")
    adj = {"adjustment_uuid": new_id(), "field": "affected_pop", "delta": 5, "reason": "补报 5 人"}
    r = client.post(
        f"/api/v1/townships/{LUJIANG}/reports/{event}/initial/adjustments", headers=h, json=adj
    )
    assert r.status_code == 200, r.text
    lujiang2 = township_submits(client, world, LUJIANG, event)
    assert dec(lujiang2["figures"]) == added(X, {"affected_pop": 5})
    county = unit_get(client, world, "longyang_admin", LONGYANG, event)
    assert [w["submission_uuid"] for w in county["waiting"]] == [lujiang2["submission_uuid"]]
    verdict(client, world, "longyang_admin", LONGYANG, event, lujiang2["submission_uuid"])
    county = unit_get(client, world, "longyang_admin", LONGYANG, event)
    county_total = added(W, S, X, {"affected_pop": 5})
    assert [r["submission_uuid"] for r in county["rows"]] == [
        lujiang2["submission_uuid"],
        wafang["submission_uuid"],
    ]  # 潞江镇 530502106 before 瓦房 530502208
    assert dec(county["total"]) == county_total and county["check"]["ok"]

    # The county's own adjustment, then its submission: only the server's total is taken.
    adj = {"adjustment_uuid": new_id(), "field": "direct_loss", "delta": -0.5, "reason": "重复计损"}
    status, body = unit_post(client, world, "longyang_admin", LONGYANG, event, "adjustments", adj)
    assert status == 200 and body["status"] == "accepted", body
    assert body["adjustment"]["made_by"] == "longyang_admin"
    county_total = added(county_total, {"direct_loss": Decimal("-0.5")})
    status, body = unit_post(
        client,
        world,
        "longyang_admin",
        LONGYANG,
        event,
        "submit",
        {"submission_uuid": new_id(), "figures": county["total"]},
    )
    assert status == 409 and body["error"]["code"] == "unit_total_mismatch"
    assert dec(body["error"]["figures"]) == county_total
    assert body["error"]["issues"][0]["field"] == "direct_loss"
    sub = {"submission_uuid": new_id(), "figures": body["error"]["figures"]}
    status, body = unit_post(client, world, "longyang_admin", LONGYANG, event, "submit", sub)
    assert status == 200 and body["status"] == "accepted", body
    longyang = body["report"]
    assert longyang["status"] == "submitted" and longyang["level"] == "county"
    assert {r["submission_uuid"] for r in longyang["rows"]} == {
        wafang["submission_uuid"],
        lujiang2["submission_uuid"],
    }
    assert len(longyang["adjustments"]) == 1
    status, again = unit_post(client, world, "longyang_admin", LONGYANG, event, "submit", sub)
    assert status == 200 and again["status"] == "duplicate"
    status, reused = unit_post(
        client,
        world,
        "longyang_admin",
        LONGYANG,
        event,
        "submit",
        {"submission_uuid": sub["submission_uuid"], "figures": {}},
    )
    assert status == 409 and reused["error"]["code"] == "id_reused"

    # 腾冲市 (another county) goes the same way.
    gudong = township_submits(client, world, GUDONG_TOWNSHIP, event)
    verdict(client, world, "tengchong_admin", TENGCHONG, event, gudong["submission_uuid"])
    total = unit_get(client, world, "tengchong_admin", TENGCHONG, event)["total"]
    status, body = unit_post(
        client,
        world,
        "tengchong_admin",
        TENGCHONG,
        event,
        "submit",
        {"submission_uuid": new_id(), "figures": total},
    )
    assert status == 200, body
    tengchong = body["report"]

    # The city passes both county reports and its own report adds up to every village.
    city = unit_get(client, world, "baoshan_city", BAOSHAN, event)
    assert city["level"] == "city" and city["rows"] == []
    assert {w["submission_uuid"] for w in city["waiting"]} == {
        longyang["submission_uuid"],
        tengchong["submission_uuid"],
    }
    for report in (longyang, tengchong):
        verdict(client, world, "baoshan_city", BAOSHAN, event, report["submission_uuid"])
    city = unit_get(client, world, "baoshan_city", BAOSHAN, event)
    assert [r["unit_code"] for r in city["rows"]] == [LONGYANG, TENGCHONG]
    city_total = added(W, S, X, G, {"affected_pop": 5, "direct_loss": Decimal("-0.5")})
    assert dec(city["total"]) == city_total
    status, body = unit_post(
        client,
        world,
        "baoshan_city",
        BAOSHAN,
        event,
        "submit",
        {"submission_uuid": new_id(), "figures": city["total"]},
    )
    assert status == 200 and body["report"]["status"] == "final", body
    assert unit_get(client, world, "longyang_admin", LONGYANG, event)["submission"]["status"] == (
        "passed"
    )
    assert unit_get(client, world, "baoshan_city", BAOSHAN, event)["submission"]["status"] == (
        "final"
    )


def test_decisions_are_idempotent_frozen_and_only_on_the_newest(
    client: TestClient, people: World
) -> None:
    world = people
    event = new_id()
    file_approved(client, world, WAFANG, "wafang_a", event, W)
    first = township_submits(client, world, WAFANG_TOWNSHIP, event)
    second = township_submits(client, world, WAFANG_TOWNSHIP, event)
    body = {
        "decision_uuid": new_id(),
        "submission_uuid": first["submission_uuid"],
        "decision": "pass",
    }
    status, got = unit_post(client, world, "longyang_admin", LONGYANG, event, "decisions", body)
    assert status == 409 and got["error"]["code"] == "submission_superseded"
    body["submission_uuid"] = second["submission_uuid"]
    status, got = unit_post(client, world, "longyang_admin", LONGYANG, event, "decisions", body)
    assert status == 200 and got["status"] == "accepted"
    status, got = unit_post(client, world, "longyang_admin", LONGYANG, event, "decisions", body)
    assert status == 200 and got["status"] == "duplicate"
    status, got = unit_post(
        client, world, "longyang_admin", LONGYANG, event, "decisions", {**body, "reason": "x"}
    )
    assert status == 409 and got["error"]["code"] == "id_reused"
    late = {**body, "decision_uuid": new_id(), "decision": "return", "reason": "再看看"}
    status, got = unit_post(client, world, "longyang_admin", LONGYANG, event, "decisions", late)
    assert status == 409 and got["error"]["code"] == "already_decided"
    assert got["error"]["decision"]["decision"] == "pass"
    # No such submission here (or another stage of it): 404.
    for bad, stage in ((new_id(), "initial"), (second["submission_uuid"], "continuing")):
        status, got = unit_post(
            client,
            world,
            "longyang_admin",
            LONGYANG,
            event,
            "decisions",
            {**late, "decision_uuid": new_id(), "submission_uuid": bad},
            stage,
        )
        assert status == 404 and got["error"]["code"] == "not_found"


def test_a_newer_report_waiting_does_not_remove_the_passed_one(
    client: TestClient, people: World
) -> None:
    world = people
    event = new_id()
    file_approved(client, world, WAFANG, "wafang_a", event, W)
    first = township_submits(client, world, WAFANG_TOWNSHIP, event)
    verdict(client, world, "longyang_admin", LONGYANG, event, first["submission_uuid"])
    file_approved(client, world, SHUIGOU, "shuigou_a", event, S)
    second = township_submits(client, world, WAFANG_TOWNSHIP, event)
    county = unit_get(client, world, "longyang_admin", LONGYANG, event)
    assert [r["submission_uuid"] for r in county["rows"]] == [first["submission_uuid"]]
    assert dec(county["total"]) == dec(W)
    verdict(
        client, world, "longyang_admin", LONGYANG, event, second["submission_uuid"], "return", "错"
    )
    assert dec(unit_get(client, world, "longyang_admin", LONGYANG, event)["total"]) == dec(W)
    # A continuing report with a later cut-off, passed, replaces it (latest by cut-off).
    file_approved(
        client,
        world,
        WAFANG,
        "wafang_a",
        event,
        {
            "affected_pop": 150,
            "house_collapsed_hh": 2,
            "house_collapsed_rooms": 6,
            "direct_loss": 160,
        },
        "continuing",
        "2024-07-02T00:00:00+08:00",
    )
    third = township_submits(client, world, WAFANG_TOWNSHIP, event, "continuing")
    verdict(
        client,
        world,
        "longyang_admin",
        LONGYANG,
        event,
        third["submission_uuid"],
        stage="continuing",
    )
    county = unit_get(client, world, "longyang_admin", LONGYANG, event)
    assert [r["submission_uuid"] for r in county["rows"]] == [third["submission_uuid"]]
    assert dec(county["total"]) == dec(third["figures"])


def test_a_return_reaches_the_township_through_the_feed(client: TestClient, people: World) -> None:
    world = people
    _, reviewer_cursor = pull_all(client, world, "wafang_reviewer")
    _, village_cursor = pull_all(client, world, "wafang_a")
    _, other_cursor = pull_all(client, world, "lujiang_reviewer")
    event = new_id()
    file_approved(client, world, WAFANG, "wafang_a", event, W)
    report = township_submits(client, world, WAFANG_TOWNSHIP, event)
    verdict(
        client,
        world,
        "longyang_admin",
        LONGYANG,
        event,
        report["submission_uuid"],
        "return",
        "倒塌户数请与住建部门核对",
    )
    changes, _ = pull_all(client, world, "wafang_reviewer", reviewer_cursor)
    returns = [c for c in changes if c["kind"] == "unit_decision"]
    assert len(returns) == 1
    assert returns[0]["submission_uuid"] == report["submission_uuid"]
    assert returns[0]["decision"] == "return"
    assert returns[0]["reason"] == "倒塌户数请与住建部门核对"
    assert returns[0]["unit_code"] == WAFANG_TOWNSHIP and returns[0]["level"] == "township"
    village, _ = pull_all(client, world, "wafang_a", village_cursor)
    assert [c for c in village if c["kind"] == "unit_decision"] == []
    other, _ = pull_all(client, world, "lujiang_reviewer", other_cursor)
    assert [c for c in other if c["kind"] == "unit_decision"] == []


def test_verified_reports_wait_for_every_unit_below(client: TestClient, people: World) -> None:
    world = people
    event = new_id()
    file_approved(client, world, WAFANG, "wafang_a", event, W)
    file_approved(client, world, XINZHAI, "xinzhai_a", event, X)
    # A township's verified report needs every village with figures to have its verified one.
    h = world.headers(client, "wafang_reviewer")
    url = f"/api/v1/townships/{WAFANG_TOWNSHIP}/reports/{event}/verified/submit"
    r = client.post(url, headers=h, json={"submission_uuid": new_id(), "figures": W})
    assert r.status_code == 409 and r.json()["error"]["code"] == "verified_incomplete"
    assert r.json()["error"]["missing"] == [WAFANG]
    verified_cutoff = "2024-07-10T00:00:00+08:00"
    file_approved(client, world, WAFANG, "wafang_a", event, W, "verified", verified_cutoff)
    wafang = township_submits(client, world, WAFANG_TOWNSHIP, event, "verified")
    verdict(
        client,
        world,
        "longyang_admin",
        LONGYANG,
        event,
        wafang["submission_uuid"],
        stage="verified",
    )
    # The county: 潞江镇 has approved village figures but no passed verified report.
    county = unit_get(client, world, "longyang_admin", LONGYANG, event, "verified")
    assert county["verified_missing"] == [LUJIANG]
    status, body = unit_post(
        client,
        world,
        "longyang_admin",
        LONGYANG,
        event,
        "submit",
        {"submission_uuid": new_id(), "figures": county["total"]},
        "verified",
    )
    assert status == 409 and body["error"]["code"] == "verified_incomplete"
    assert body["error"]["missing"] == [LUJIANG]
    file_approved(client, world, XINZHAI, "xinzhai_a", event, X, "verified", verified_cutoff)
    lujiang = township_submits(client, world, LUJIANG, event, "verified")
    verdict(
        client,
        world,
        "longyang_admin",
        LONGYANG,
        event,
        lujiang["submission_uuid"],
        stage="verified",
    )
    county = unit_get(client, world, "longyang_admin", LONGYANG, event, "verified")
    assert county["verified_missing"] == [] and dec(county["total"]) == added(W, X)
    status, body = unit_post(
        client,
        world,
        "longyang_admin",
        LONGYANG,
        event,
        "submit",
        {"submission_uuid": new_id(), "figures": county["total"]},
        "verified",
    )
    assert status == 200 and body["status"] == "accepted", body


def test_a_report_of_adjustments_alone_for_an_unknown_event_is_refused(
    client: TestClient, people: World
) -> None:
    world = people
    event = new_id()
    adj = {"adjustment_uuid": new_id(), "field": "affected_pop", "delta": 9, "reason": "估计"}
    h = world.headers(client, "wafang_reviewer")
    base = f"/api/v1/townships/{WAFANG_TOWNSHIP}/reports/{event}/initial"
    assert client.post(f"{base}/adjustments", headers=h, json=adj).status_code == 200
    r = client.post(
        f"{base}/submit",
        headers=h,
        json={"submission_uuid": new_id(), "figures": {"affected_pop": 9}},
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "unknown_event"
    # The same for the county; a zero report stays possible.
    adj["adjustment_uuid"] = new_id()
    status, _ = unit_post(client, world, "longyang_admin", LONGYANG, event, "adjustments", adj)
    assert status == 200
    status, body = unit_post(
        client,
        world,
        "longyang_admin",
        LONGYANG,
        event,
        "submit",
        {"submission_uuid": new_id(), "figures": {"affected_pop": 9}},
    )
    assert status == 409 and body["error"]["code"] == "unknown_event"
    status, body = unit_post(
        client,
        world,
        "tengchong_admin",
        TENGCHONG,
        event,
        "submit",
        {"submission_uuid": new_id(), "figures": {}},
    )
    assert status == 200 and body["report"]["figures"] == {}


@pytest.mark.parametrize(
    ("user", "code", "what", "status"),
    [
        ("wafang_reviewer", LONGYANG, "get", 404),  # a township does not see the county
        ("wafang_a", LONGYANG, "get", 404),
        ("tengchong_admin", LONGYANG, "get", 404),  # another county
        ("longyang_admin", BAOSHAN, "get", 404),  # the county does not see the city
        ("longyang_admin", WAFANG_TOWNSHIP, "get", 404),  # not a county or city
        ("baoshan_city", LONGYANG, "get", 200),  # the city reads the county's report
        ("baoshan_city", LONGYANG, "adjustments", 403),  # … but cannot change it
        ("baoshan_city", LONGYANG, "decisions", 403),
        ("baoshan_city", LONGYANG, "submit", 403),
        ("longyang_admin", BAOSHAN, "decisions", 404),
    ],
)
def test_who_may_read_and_write(
    client: TestClient, people: World, user: str, code: str, what: str, status: int
) -> None:
    url = f"/api/v1/units/{code}/reports/{new_id()}/initial"
    h = people.headers(client, user)
    bodies = {
        "adjustments": {
            "adjustment_uuid": new_id(),
            "field": "affected_pop",
            "delta": 1,
            "reason": "r",
        },
        "decisions": {"decision_uuid": new_id(), "submission_uuid": new_id(), "decision": "pass"},
        "submit": {"submission_uuid": new_id(), "figures": {}},
    }
    if what == "get":
        r = client.get(url, headers=h)
    else:
        r = client.post(f"{url}/{what}", headers=h, json=bodies[what])
    assert r.status_code == status, r.text


def test_a_bad_stage_is_not_found(client: TestClient, people: World) -> None:
    r = client.get(
        f"/api/v1/units/{LONGYANG}/reports/{new_id()}/final",
        headers=people.headers(client, "longyang_admin"),
    )
    assert r.status_code == 404

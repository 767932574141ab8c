"""Review decisions: accepted, duplicate, conflict, rejected; review state; the change feed."""

from __future__ import annotations

from typing import Any

import requests
from fastapi.testclient import TestClient

from tests.server.conftest import LiveServer
from tests.server.factories import SHUIGOU, decision, decisions_batch, item, new_id
from tests.server.steps import decide, filed, pull_all, push
from tests.server.test_concurrency import run_threads
from tests.server.world import World


def outcome(results: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(r["status"], r["code"]) for r in results]


def report(
    client: TestClient, world: World, report_uuid: str, user: str = "wafang_a"
) -> dict[str, Any]:
    r = client.get(f"/api/v1/reports/{report_uuid}", headers=world.headers(client, user))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_accepted_then_duplicate_then_reused_id(client: TestClient, world: World) -> None:
    body, v1 = filed(client, world)
    approve = decision(v1["version_uuid"], "approve", "核实无误")
    [first] = decide(client, world, [approve])
    assert outcome([first]) == [("accepted", "accepted")]
    assert first["applied"] is True and first["review_status"] == "approved"
    assert first["current_version_uuid"] == v1["version_uuid"]
    [again] = decide(client, world, [approve])
    assert outcome([again]) == [("duplicate", "duplicate")] and again["applied"] is True
    reused = dict(approve, reason="另一个原因")
    assert outcome(decide(client, world, [reused])) == [("rejected", "decision_id_reused")]
    got = report(client, world, body["report_uuid"])
    assert got["review_status"] == "approved"
    assert got["review"]["decision_uuid"] == approve["decision_uuid"]
    assert got["review"]["decided_by"] == "wafang_reviewer"
    assert got["review"]["post_role"] == "A"
    assert got["versions"][0]["review_status"] == "approved"
    assert got["versions"][0]["post_role"] == "A"


def test_return_needs_a_reason_and_known_fields(client: TestClient, world: World) -> None:
    _, v1 = filed(client, world)
    vid = v1["version_uuid"]
    results = decide(
        client,
        world,
        [
            decision(vid, "return"),
            decision(vid, "return", "   "),
            decision(vid, "return", "数字有误", field_comments={"no_such_field": "?"}),
            decision(vid, "return", "数字有误", field_comments={"deaths": "  "}),
            decision(vid, "maybe"),
            {"decision_uuid": "bad id!", "version_uuid": vid, "decision": "approve"},
            decision(vid, "approve", device_decided_at="yesterday"),
            decision("no-such-version", "approve"),
        ],
    )
    assert outcome(results) == [
        ("rejected", "reason_required"),
        ("rejected", "reason_required"),
        ("rejected", "unknown_field"),
        ("rejected", "bad_item"),
        ("rejected", "bad_item"),
        ("rejected", "bad_item"),
        ("rejected", "bad_item"),
        ("rejected", "not_found"),
    ]
    assert all(r["message_zh"] and r["message_en"] for r in results)
    assert report(client, world, v1["content"]["report_uuid"])["review_status"] == "pending"


def test_return_with_comments_reaches_the_village(client: TestClient, world: World) -> None:
    _, cursor_b = pull_all(client, world, "wafang_b")
    _, cursor_other = pull_all(client, world, "shuigou_a")
    _, cursor_reviewer = pull_all(client, world, "wafang_reviewer")
    body, v1 = filed(client, world)
    comments = {"deaths": "请核实死亡人数", "narrative": "补充转移情况"}
    back = decision(v1["version_uuid"], "return", "死亡人数需核实", field_comments=comments)
    [result] = decide(client, world, [back])
    assert outcome([result]) == [("accepted", "accepted")]
    assert result["review_status"] == "returned"
    got = report(client, world, body["report_uuid"])
    assert got["review_status"] == "returned"
    assert got["review"]["reason"] == "死亡人数需核实"
    assert got["review"]["field_comments"] == comments
    for user, cursor in (("wafang_b", cursor_b), ("wafang_reviewer", cursor_reviewer)):
        changes, _ = pull_all(client, world, user, cursor)
        decisions = [c for c in changes if c["kind"] == "decision"]
        assert [
            (d["decision_uuid"], d["status"], d["decision"], d["version_uuid"]) for d in decisions
        ] == [(back["decision_uuid"], "applied", "return", v1["version_uuid"])]
        assert decisions[0]["field_comments"] == comments
        assert decisions[0]["decided_by"] == "wafang_reviewer"
        assert decisions[0]["post_role"] == "A"
        kinds = [c["kind"] for c in changes]
        assert kinds.index("report_version") < kinds.index("decision")
    other, _ = pull_all(client, world, "shuigou_a", cursor_other)
    assert [c for c in other if c["kind"] == "decision"] == []


def test_decision_on_a_superseded_version_is_a_recorded_conflict(
    client: TestClient, world: World
) -> None:
    body, v1 = filed(client, world)
    v2 = item(dict(body, narrative="补充"), parent=v1["version_uuid"], version_no=2)
    assert push(client, world, [v2])[0]["status"] == "accepted"
    stale = decision(v1["version_uuid"], "approve")
    [result] = decide(client, world, [stale])
    assert outcome([result]) == [("conflict", "version_superseded")]
    assert result["applied"] is False and result["review_status"] == "pending"
    assert result["current_version_uuid"] == v2["version_uuid"]
    got = report(client, world, body["report_uuid"])
    assert got["review_status"] == "pending" and got["review"] is None
    assert {v["review_status"] for v in got["versions"]} == {"pending"}
    # Recorded: a repeat is a duplicate (not applied) that keeps the stored reason, and the
    # history shows it.
    [again] = decide(client, world, [stale])
    assert outcome([again]) == [("duplicate", "version_superseded")]
    assert again["applied"] is False and "未生效" in again["message_zh"]
    events = history(client, world, body["report_uuid"])
    assert [e["kind"] for e in events] == ["received", "received", "decision_conflict"]
    assert events[-1]["code"] == "version_superseded"
    # A version stored as a conflict cannot be decided either.
    v2b = item(dict(body, narrative="B 的修改"), parent=v1["version_uuid"], version_no=2)
    assert push(client, world, [v2b], "wafang_b")[0]["status"] == "conflict"
    assert outcome(decide(client, world, [decision(v2b["version_uuid"], "approve")])) == [
        ("conflict", "version_superseded")
    ]


def test_approved_is_frozen_and_a_new_version_starts_pending(
    client: TestClient, world: World
) -> None:
    body, v1 = filed(client, world)
    vid = v1["version_uuid"]
    results = decide(
        client,
        world,
        [
            decision(vid, "return", "先退回"),
            decision(vid, "approve", "核实后通过"),
            decision(vid, "return", "再退回"),
        ],
    )
    assert outcome(results) == [
        ("accepted", "accepted"),
        ("accepted", "accepted"),
        ("conflict", "version_frozen"),
    ]
    assert [r["review_status"] for r in results] == ["returned", "approved", "approved"]
    frozen = decision(vid, "return", "冻结后退回")
    assert outcome(decide(client, world, [frozen])) == [("conflict", "version_frozen")]
    [again] = decide(client, world, [frozen])
    assert outcome([again]) == [("duplicate", "version_frozen")] and again["applied"] is False
    v2 = item(dict(body, stage="continuing"), parent=vid, version_no=2)
    assert push(client, world, [v2])[0]["status"] == "accepted"
    got = report(client, world, body["report_uuid"])
    assert got["review_status"] == "pending" and got["review"] is None
    by_id = {v["version_uuid"]: v for v in got["versions"]}
    assert by_id[vid]["review_status"] == "approved"
    assert by_id[vid]["review"]["reason"] == "核实后通过"
    assert by_id[v2["version_uuid"]]["review_status"] == "pending"


def test_return_then_revise_then_approve_history(client: TestClient, world: World) -> None:
    body, v1 = filed(client, world)
    back = decision(
        v1["version_uuid"],
        "return",
        "倒塌房屋间数有误",
        field_comments={"house_collapsed_rooms": "应为 8 间"},
    )
    decide(client, world, [back])
    figures = dict(body["figures"], house_collapsed_rooms=8)
    v2 = item(dict(body, figures=figures), parent=v1["version_uuid"], version_no=2)
    push(client, world, [v2], "wafang_b")
    decide(client, world, [decision(v2["version_uuid"], "approve")])
    events = history(client, world, body["report_uuid"], "wafang_b")
    assert [(e["kind"], e["by"], e["post_role"], e["version_no"]) for e in events] == [
        ("received", "wafang_a", "A", 1),
        ("returned", "wafang_reviewer", "A", 1),
        ("resubmitted", "wafang_b", "B", 2),
        ("approved", "wafang_reviewer", "A", 2),
    ]
    times = [e["server_time"] for e in events]
    assert times == sorted(times)
    assert all(e["device_time"] and e["device_id"] for e in events)
    assert events[1]["reason"] == "倒塌房屋间数有误"
    assert events[1]["field_comments"] == {"house_collapsed_rooms": "应为 8 间"}
    assert events[0]["device_time"].startswith("2024-06-30T23:20")  # submitted_at, in UTC
    assert events[1]["device_time"].startswith("2024-07-01T00:05")  # device_decided_at


def test_listing_filters_by_review_state(client: TestClient, world: World) -> None:
    event = new_id()
    approved = filed(client, world, event_uuid=event)[1]
    returned = filed(client, world, event_uuid=event)[1]
    pending = filed(client, world, event_uuid=event)[1]
    decide(
        client,
        world,
        [
            decision(approved["version_uuid"], "approve"),
            decision(returned["version_uuid"], "return", "补充说明"),
        ],
    )
    h = world.headers(client, "wafang_reviewer")
    seen = {}
    for state in ("pending", "returned", "approved"):
        r = client.get(
            "/api/v1/reports", headers=h, params={"event_uuid": event, "review_status": state}
        )
        assert r.status_code == 200, r.text
        seen[state] = [x["current_version_uuid"] for x in r.json()["reports"]]
        assert all(
            x["review_status"] == state and x["stage"] == "initial" for x in r.json()["reports"]
        )
    assert seen == {
        "pending": [pending["version_uuid"]],
        "returned": [returned["version_uuid"]],
        "approved": [approved["version_uuid"]],
    }
    r = client.get(
        "/api/v1/reports", headers=h, params={"event_uuid": event, "stage": "continuing"}
    )
    assert r.json()["reports"] == []
    r = client.get("/api/v1/reports", headers=h, params={"review_status": "bogus"})
    assert r.status_code == 422


def test_request_level_errors(client: TestClient, world: World) -> None:
    h = world.headers(client, "wafang_reviewer")
    body = {"protocol_version": 99, "device_id": "dev-wafang_reviewer", "items": []}
    r = client.post("/api/v1/decisions/batch", headers=h, json=body)
    assert r.status_code == 400 and r.json()["error"]["code"] == "protocol_mismatch"
    r = client.post(
        "/api/v1/decisions/batch", headers=h, json=dict(body, protocol_version=1, device_id="other")
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "device_mismatch"


def test_sibling_village_versions_are_decided_too(client: TestClient, world: World) -> None:
    _, v = filed(client, world, SHUIGOU, user="shuigou_a")
    assert outcome(decide(client, world, [decision(v["version_uuid"], "approve")])) == [
        ("accepted", "accepted")
    ]


def history(
    client: TestClient, world: World, report_uuid: str, user: str = "wafang_a"
) -> list[dict[str, Any]]:
    r = client.get(f"/api/v1/reports/{report_uuid}/history", headers=world.headers(client, user))
    assert r.status_code == 200, r.text
    events: list[dict[str, Any]] = r.json()["events"]
    return events


def test_concurrent_decisions_on_one_version(
    live_server: LiveServer, client: TestClient, world: World
) -> None:
    """Reviewers on twelve devices decide at once: one approval wins, the rest is consistent."""
    body, v1 = filed(client, world)
    verdicts = ["approve" if i % 3 == 0 else "return" for i in range(12)]
    tokens = [world.token(client, "wafang_reviewer", f"dev-r{i}") for i in range(12)]
    results: list[dict[str, Any]] = [{} for _ in verdicts]

    def send(i: int) -> None:
        with requests.Session() as http:
            r = http.post(
                f"{live_server.url}/api/v1/decisions/batch",
                timeout=60,
                headers={"Authorization": f"Bearer {tokens[i]}"},
                json=decisions_batch(
                    f"dev-r{i}", [decision(v1["version_uuid"], verdicts[i], "原因")]
                ),
            )
            assert r.status_code == 200, r.text
            results[i] = r.json()["results"][0]

    run_threads(12, send)
    approved = [
        i for i, r in enumerate(results) if r["status"] == "accepted" and verdicts[i] == "approve"
    ]
    assert len(approved) == 1, results
    assert {r["status"] for r in results} <= {"accepted", "conflict"}
    assert {r["code"] for r in results if r["status"] == "conflict"} <= {"version_frozen"}
    events = history(client, world, body["report_uuid"])
    decided = [e["kind"] for e in events if e["decision_uuid"]]
    assert len(decided) == 12 and decided.count("approved") == 1
    # In server order nothing is applied after the approval.
    after = decided[decided.index("approved") + 1 :]
    assert set(after) <= {"decision_conflict"}
    assert report(client, world, body["report_uuid"])["review_status"] == "approved"

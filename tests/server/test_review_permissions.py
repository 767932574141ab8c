"""Jurisdiction on the review routes: who may decide, read and write the township report.

Callers: the village's own informants (A and B), an informant of a sibling village, the
township's reviewer, another township's reviewer, the county (own and other) and the city.
What lies outside a caller's reach answers 404 (a per-item ``not_found`` for decisions);
what they see but may not change answers 403 (a per-item ``not_permitted``).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.server.factories import WAFANG_TOWNSHIP, decision, new_id
from tests.server.steps import decide, filed, pull_all
from tests.server.world import World

#: user → (decision outcome on a 瓦房社区 version, township routes: read, write, history).
MATRIX = {
    "wafang_a": ("not_permitted", 404, 404, 200),
    "wafang_b": ("not_permitted", 404, 404, 200),
    "shuigou_a": ("not_found", 404, 404, 404),
    "wafang_reviewer": ("accepted", 200, 200, 200),
    "lujiang_reviewer": ("not_found", 404, 404, 404),
    "longyang_admin": ("not_permitted", 200, 403, 200),
    "tengchong_admin": ("not_found", 404, 404, 404),
    "baoshan_city": ("not_permitted", 200, 403, 200),
}
BASE = f"/api/v1/townships/{WAFANG_TOWNSHIP}"


@pytest.mark.parametrize("user", sorted(MATRIX))
def test_review_routes(client: TestClient, world: World, user: str) -> None:
    code, read, write, see_history = MATRIX[user]
    _, cursor = pull_all(client, world, user)
    body, version = filed(client, world)
    [result] = decide(client, world, [decision(version["version_uuid"], "approve")], user)
    assert result["code"] == code, result
    assert result["status"] == ("accepted" if code == "accepted" else "rejected")
    if code != "accepted":  # the township's reviewer decides instead
        decide(client, world, [decision(version["version_uuid"], "approve")])
    h = world.headers(client, user)
    event = body["event_uuid"]
    report = f"{BASE}/reports/{event}/initial"
    for path in (report, f"{BASE}/reports", f"{BASE}/completeness?event_uuid={event}"):
        r = client.get(path, headers=h)
        assert r.status_code == read, (path, r.text)
    r = client.post(
        f"{report}/adjustments",
        headers=h,
        json={"adjustment_uuid": new_id(), "field": "affected_pop", "delta": 1, "reason": "核实"},
    )
    assert r.status_code == write, r.text
    reviewer = world.headers(client, "wafang_reviewer")
    total = client.get(report, headers=reviewer).json()["total"]
    submission = {"submission_uuid": new_id(), "figures": total}
    r = client.post(f"{report}/submit", headers=h, json=submission)
    assert r.status_code == write, r.text
    if write != 200:
        expected = "forbidden" if write == 403 else "not_found"
        assert r.json()["error"]["code"] == expected
        assert client.post(f"{report}/submit", headers=reviewer, json=submission).status_code == 200
    r = client.get(f"/api/v1/reports/{body['report_uuid']}/history", headers=h)
    assert r.status_code == see_history
    # The feed carries the decision to whoever sees the village, the township report to
    # whoever sees the township (never to a village informant).
    changes, _ = pull_all(client, world, user, cursor)
    decided = [c["version_uuid"] for c in changes if c["kind"] == "decision"]
    assert (version["version_uuid"] in decided) is (see_history == 200)
    submitted = [c["submission_uuid"] for c in changes if c["kind"] == "township_report"]
    assert (submission["submission_uuid"] in submitted) is (read == 200)


def test_county_reads_submitted_reports_other_county_does_not(
    client: TestClient, world: World
) -> None:
    body, version = filed(client, world)
    decide(client, world, [decision(version["version_uuid"], "approve")])
    report = f"{BASE}/reports/{body['event_uuid']}/initial"
    reviewer = world.headers(client, "wafang_reviewer")
    total = client.get(report, headers=reviewer).json()["total"]
    uuid = new_id()
    r = client.post(
        f"{report}/submit", headers=reviewer, json={"submission_uuid": uuid, "figures": total}
    )
    assert r.status_code == 200 and r.json()["status"] == "accepted", r.text
    for user in ("longyang_admin", "baoshan_city"):
        h = world.headers(client, user)
        listed = client.get(f"{BASE}/reports", headers=h).json()["reports"]
        assert uuid in [x["submission_uuid"] for x in listed]
        got = client.get(report, headers=h).json()["submission"]
        assert got["submission_uuid"] == uuid and got["figures"] == total
        assert got["check"]["ok"] is True
        changes, _ = pull_all(client, world, user)
        assert uuid in [c.get("submission_uuid") for c in changes]
    h = world.headers(client, "tengchong_admin")
    for path in (f"{BASE}/reports", report):
        r = client.get(path, headers=h)
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert uuid not in [
        c.get("submission_uuid") for c in pull_all(client, world, "tengchong_admin")[0]
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/townships/530502208201/reports",  # a village, not a township
        "/api/v1/townships/garbage/reports",
        f"{BASE}/reports/ev/final",  # not a stage
    ],
)
def test_not_a_township_report(client: TestClient, world: World, path: str) -> None:
    r = client.get(path, headers=world.headers(client, "baoshan_city"))
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"

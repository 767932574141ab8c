"""Pushing batches: a result per item, idempotency, conflicts, rejections, limits."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sync.server.models import Change, Report, ReportVersion
from tests.server.factories import SHUIGOU, WAFANG, batch, content, item, new_id
from tests.server.world import World

DEVICE = "dev-wafang_a"


def push(
    client: TestClient,
    world: World,
    items: list[dict[str, Any]],
    user: str = "wafang_a",
    **overrides: object,
) -> dict[str, Any]:
    response = client.post(
        "/api/v1/reports/batch",
        headers=world.headers(client, user),
        json=batch(f"dev-{user}", items, **overrides),
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def statuses(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(r["status"], r["code"]) for r in result["results"]]


def test_accepted_then_duplicate(client: TestClient, world: World) -> None:
    version = item(content())
    first = push(client, world, [version])
    assert statuses(first) == [("accepted", "accepted")]
    assert first["results"][0]["message_zh"] and first["results"][0]["message_en"]
    again = push(client, world, [version])
    assert statuses(again) == [("duplicate", "duplicate")]


def test_duplicate_is_judged_on_canonical_content(client: TestClient, world: World) -> None:
    body = content()
    version = item(body)
    push(client, world, [version])
    respelled = dict(body, figures={**body["figures"], "crop_affected_ha": "35.50"})
    assert statuses(push(client, world, [item(respelled, version["version_uuid"])])) == [
        ("duplicate", "duplicate")
    ]


def test_reused_version_id_with_other_content_is_rejected(client: TestClient, world: World) -> None:
    body = content()
    version = item(body)
    push(client, world, [version])
    changed = dict(body, narrative="另一段说明")
    result = push(client, world, [item(changed, version["version_uuid"])])
    assert statuses(result) == [("rejected", "version_id_reused")]


def test_edit_chain_moves_the_current_version(
    client: TestClient, world: World, app: object
) -> None:
    body = content()
    v1 = item(body)
    v2 = item(dict(body, stage="continuing"), parent=v1["version_uuid"], version_no=2)
    v3 = item(
        dict(body, stage="continuing", narrative="更新"), parent=v2["version_uuid"], version_no=3
    )
    assert statuses(push(client, world, [v1, v2])) == [("accepted", "accepted")] * 2
    assert statuses(push(client, world, [v3])) == [("accepted", "accepted")]
    report = client.get(
        f"/api/v1/reports/{body['report_uuid']}", headers=world.headers(client, "wafang_a")
    ).json()
    assert report["current_version_uuid"] == v3["version_uuid"]
    assert [v["version_no"] for v in report["versions"]] == [1, 2, 3]


def test_stale_parent_is_a_recorded_conflict(client: TestClient, world: World, app: object) -> None:
    body = content()
    v1 = item(body)
    push(client, world, [v1])
    v2a = item(dict(body, narrative="A 的修改"), parent=v1["version_uuid"], version_no=2)
    v2b = item(dict(body, narrative="B 的修改"), parent=v1["version_uuid"], version_no=2)
    assert statuses(push(client, world, [v2a])) == [("accepted", "accepted")]
    assert statuses(push(client, world, [v2b], user="wafang_b")) == [("conflict", "conflict")]
    # Pushing the conflict again is a duplicate, not a second conflict.
    assert statuses(push(client, world, [v2b], user="wafang_b")) == [("duplicate", "duplicate")]
    report = client.get(
        f"/api/v1/reports/{body['report_uuid']}", headers=world.headers(client, "wafang_reviewer")
    ).json()
    assert report["current_version_uuid"] == v2a["version_uuid"]
    by_id = {v["version_uuid"]: v for v in report["versions"]}
    assert by_id[v2b["version_uuid"]]["status"] == "conflict"
    assert by_id[v2b["version_uuid"]]["is_current"] is False
    assert by_id[v2a["version_uuid"]]["is_current"] is True
    assert by_id[v2b["version_uuid"]]["submitted_by"] == "wafang_b"


def test_second_first_version_of_a_report_is_a_conflict(client: TestClient, world: World) -> None:
    body = content()
    assert statuses(push(client, world, [item(body)])) == [("accepted", "accepted")]
    other = item(dict(body, narrative="另一台设备的初报"))
    assert statuses(push(client, world, [other], user="wafang_b")) == [("conflict", "conflict")]
    # Two first versions of one new report within one batch: the second conflicts.
    fresh = content()
    result = push(client, world, [item(fresh), item(dict(fresh, narrative="again"))])
    assert statuses(result) == [("accepted", "accepted"), ("conflict", "conflict")]


def test_rejections_are_per_item(client: TestClient, world: World) -> None:
    good1, good2 = item(content()), item(content())
    blocking = item(
        content(figures={"affected_pop": 5, "crop_affected_ha": 1, "crop_damaged_ha": 5})
    )
    contract = item(content(stage="final"))
    foreign = item(content(SHUIGOU))
    warning = item(content(figures={"affected_pop": 1, "deaths": 3}))
    noted = item(
        content(
            figures={"affected_pop": 1, "deaths": 3}, notes={"R6:affected_pop": "含外来务工人员"}
        )
    )
    malformed = {"content": content()}
    result = push(
        client, world, [good1, blocking, contract, foreign, warning, noted, malformed, good2]
    )
    assert statuses(result) == [
        ("accepted", "accepted"),
        ("rejected", "validation_failed"),
        ("rejected", "contract_error"),
        ("rejected", "village_not_permitted"),
        ("rejected", "validation_failed"),
        ("accepted", "accepted"),
        ("rejected", "bad_item"),
        ("accepted", "accepted"),
    ]
    issues = result["results"][1]["issues"]
    assert {(i["rule"], i["field"], i["severity"]) for i in issues} == {
        ("R2", "crop_damaged_ha", "error")
    }
    assert issues[0]["zh"] and issues[0]["en"]
    assert result["results"][2]["issues"][0]["field"] == "stage"
    assert result["results"][4]["issues"][0]["severity"] == "warning"
    assert result["results"][6]["version_uuid"] is None


def test_reviewers_cannot_push(client: TestClient, world: World) -> None:
    for user in ("wafang_reviewer", "longyang_admin", "baoshan_city"):
        result = push(client, world, [item(content(WAFANG))], user=user)
        assert statuses(result) == [("rejected", "village_not_permitted")]


def test_report_uuid_of_another_village_is_rejected(client: TestClient, world: World) -> None:
    body = content(SHUIGOU)
    push(client, world, [item(body)], user="shuigou_a")
    hijack = item(content(WAFANG, report_uuid=body["report_uuid"]))
    assert statuses(push(client, world, [hijack])) == [("rejected", "report_village_mismatch")]


def test_same_version_twice_in_one_batch(client: TestClient, world: World) -> None:
    v = item(content())
    other = dict(v, content=dict(v["content"], narrative="不同"))
    assert statuses(push(client, world, [v, v, other])) == [
        ("accepted", "accepted"),
        ("duplicate", "duplicate"),
        ("rejected", "version_id_reused"),
    ]


def test_times_and_skew_are_recorded(client: TestClient, world: World, app: object) -> None:
    v = item(content())
    result = push(client, world, [v], device_time="2024-07-01T07:21:00+08:00")
    with world.app.state.db.read_session() as session:
        row = session.get(ReportVersion, v["version_uuid"])
        assert row is not None
        assert row.device_time is not None and row.device_time.year == 2024
        assert row.server_received_at.isoformat()[:19] == result["server_time"][:19]
        assert row.clock_skew_seconds is not None and row.clock_skew_seconds < -86400
        assert row.submitted_at is not None


def test_request_level_errors(client: TestClient, world: World) -> None:
    h = world.headers(client, "wafang_a")
    v = item(content())
    r = client.post(
        "/api/v1/reports/batch", headers=h, json=batch(DEVICE, [v], protocol_version=99)
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "protocol_mismatch"
    r = client.post("/api/v1/reports/batch", headers=h, json=batch("someone-else", [v]))
    assert r.status_code == 400 and r.json()["error"]["code"] == "device_mismatch"
    r = client.post("/api/v1/reports/batch", headers=h, json={"items": "nope"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    assert r.json()["error"]["details"]
    r = client.post("/api/v1/reports/batch", json=batch(DEVICE, [v]))
    assert r.status_code == 401 and r.json()["error"]["code"] == "not_authenticated"


def test_body_limit_is_a_clear_413(client: TestClient, world: World, settings: object) -> None:
    h = world.headers(client, "wafang_a")
    big = content(narrative="灾" * 15000)
    items = [item(dict(big, report_uuid=new_id())) for _ in range(20)]
    r = client.post("/api/v1/reports/batch", headers=h, json=batch(DEVICE, items))
    assert r.status_code == 413
    error = r.json()["error"]
    assert error["code"] == "batch_too_large" and "MB" in error["en"] and "MB" in error["zh"]
    # Streamed without a Content-Length, the limit still holds.
    import json

    payload = json.dumps(batch(DEVICE, items)).encode()
    r = client.post(
        "/api/v1/reports/batch",
        headers={**h, "Content-Type": "application/json"},
        content=iter([payload[i : i + 65536] for i in range(0, len(payload), 65536)]),
    )
    assert r.status_code == 413 and r.json()["error"]["code"] == "batch_too_large"


def test_nothing_is_stored_for_rejected_items(client: TestClient, world: World) -> None:
    with world.app.state.db.read_session() as session:
        before = session.scalar(select(func.count()).select_from(ReportVersion))
        changes = session.scalar(select(func.count()).select_from(Change))
        reports = session.scalar(select(func.count()).select_from(Report))
    push(client, world, [item(content(stage="bogus")), item(content(SHUIGOU))])
    with world.app.state.db.read_session() as session:
        assert session.scalar(select(func.count()).select_from(ReportVersion)) == before
        assert session.scalar(select(func.count()).select_from(Change)) == changes
        assert session.scalar(select(func.count()).select_from(Report)) == reports

"""The disaster-event registry (issue 16): one event per disaster, similar events, merges.

Runs on SQLite and PostgreSQL (the ``db_url`` fixture).  Reports go in through the real
ingest route; events are opened, listed and merged through the real routes.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from sync.contract.events import EventKey, is_close, same_event_window
from sync.server.models import AdminAction, Event
from tests.server.factories import (
    GUDONG,
    LONGYANG,
    SHUIGOU,
    WAFANG,
    WAFANG_TOWNSHIP,
    content,
    item,
    new_id,
)
from tests.server.steps import push
from tests.server.world import World


def _file(client: TestClient, world: World, user: str, village: str, event: str, **kw: Any) -> str:
    report = new_id()
    body = content(village, report, event_uuid=event, **kw)
    results = push(client, world, [item(body)], user=user)
    assert results[0]["status"] == "accepted", results
    return report


def _get(client: TestClient, world: World, user: str, path: str, **params: Any) -> Any:
    return client.get(path, headers=world.headers(client, user), params=params)


def _post(client: TestClient, world: World, user: str, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, headers=world.headers(client, user), json=body)


def test_the_window_is_data() -> None:
    assert same_event_window("flood").days == 3
    assert same_event_window("hail_storm_unknown").days == 1
    from datetime import UTC, datetime, timedelta

    t = datetime(2026, 12, 7, tzinfo=UTC)
    a = EventKey("flood", LONGYANG, t)
    assert is_close(a, EventKey("flood", LONGYANG, t + timedelta(days=3)))
    assert not is_close(a, EventKey("flood", LONGYANG, t + timedelta(days=3, seconds=1)))
    assert not is_close(a, EventKey("drought", LONGYANG, t))
    assert not is_close(a, EventKey("flood", "530581000000", t))


def test_two_villages_of_one_event_make_one_event(client: TestClient, world: World) -> None:
    event = "ev-one-" + new_id()
    _file(client, world, "wafang_a", WAFANG, event)
    _file(client, world, "shuigou_a", SHUIGOU, event, event_name="另一个名字")
    with world.app.state.db.read_session() as session:
        rows = session.scalars(select(Event).where(Event.event_uuid == event)).all()
    assert len(rows) == 1
    row = rows[0]
    assert (row.opened_level, row.opened_code, row.county_code) == ("village", WAFANG, LONGYANG)
    assert row.name == "20240701隆阳区洪涝"  # the first report's name
    listed = _get(client, world, "wafang_reviewer", "/api/v1/events", open=1).json()["events"]
    assert [e["event_uuid"] for e in listed].count(event) == 1
    # A neighbour's informant sees the event its township's first report opened.
    listed = _get(client, world, "shuigou_a", "/api/v1/events", open=1).json()["events"]
    assert event in {e["event_uuid"] for e in listed}
    # Another county does not.
    listed = _get(client, world, "gudong_a", "/api/v1/events").json()["events"]
    assert event not in {e["event_uuid"] for e in listed}


def test_similar_finds_the_first_and_merge_follows(client: TestClient, world: World) -> None:
    # Another type than the other tests' floods, so earlier events do not show as similar.
    first, second = "ev-a-" + new_id(), "ev-b-" + new_id()
    kw = {"disaster_type": "wind_hail", "disaster_subtype": "hail"}
    _file(client, world, "wafang_a", WAFANG, first, **kw)
    report_b = _file(client, world, "shuigou_a", SHUIGOU, second, **kw)
    params = {"type": "wind_hail", "county": LONGYANG, "occurred_at": "2024-07-01T12:00:00Z"}
    found = _get(client, world, "shuigou_a", "/api/v1/events/similar", **params)
    assert found.status_code == 200, found.text
    uuids = [e["event_uuid"] for e in found.json()["events"]]
    assert uuids[:1] in ([first], [second]) and set(uuids) >= {first, second}
    far = _get(
        client,
        world,
        "shuigou_a",
        "/api/v1/events/similar",
        **{**params, "occurred_at": "2024-07-05T12:00:00Z"},
    )
    assert far.json()["events"] == []
    assert _get(client, world, "gudong_a", "/api/v1/events/similar", **params).status_code == 404

    # The informant and the township may not merge; another county's admin does not see it.
    body = {"into": first}
    assert (
        _post(client, world, "shuigou_a", f"/api/v1/events/{second}/merge", body).status_code == 403
    )
    assert (
        _post(client, world, "wafang_reviewer", f"/api/v1/events/{second}/merge", body).status_code
        == 403
    )
    r = _post(client, world, "tengchong_admin", f"/api/v1/events/{second}/merge", body)
    assert r.status_code == 404, r.text
    r = _post(client, world, "longyang_admin", f"/api/v1/events/{second}/merge", body)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["status"] == "accepted"
    assert answer["event"]["event_uuid"] == first
    assert [m["event_uuid"] for m in answer["event"]["merged"]] == [second]
    again = _post(client, world, "longyang_admin", f"/api/v1/events/{second}/merge", body)
    assert again.json()["status"] == "duplicate"
    # Lists follow the canonical event; the merged one keeps its row and its reports their uuid.
    listed = _get(client, world, "longyang_admin", "/api/v1/events").json()["events"]
    listed_uuids = {e["event_uuid"] for e in listed}
    assert first in listed_uuids and second not in listed_uuids
    reports = _get(client, world, "wafang_reviewer", "/api/v1/reports", event_uuid=first).json()
    assert report_b in {r["report_uuid"] for r in reports["reports"]}
    assert {r["event_uuid"] for r in reports["reports"]} == {first, second}
    with world.app.state.db.read_session() as session:
        merged = session.scalars(select(Event).where(Event.event_uuid == second)).one()
        assert merged.merged_into == first
        logged = session.scalars(
            select(AdminAction).where(
                AdminAction.action == "event.merge", AdminAction.target == second
            )
        ).all()
    assert len(logged) == 1
    from sync.server.services.events import canonical, event_members

    with world.app.state.db.read_session() as session:
        assert canonical(session, second) == first
        assert event_members(session, second) == sorted([first, second])
    # Merging into itself (through its canonical event) is refused.
    r = _post(client, world, "longyang_admin", f"/api/v1/events/{first}/merge", {"into": second})
    assert r.status_code == 422, r.text
    # ...and so is the same event named twice (the schema fuzzer found a 500 here).
    r = _post(client, world, "longyang_admin", f"/api/v1/events/{first}/merge", {"into": first})
    assert r.status_code == 422, r.text


def test_open_for_an_area(client: TestClient, world: World) -> None:
    event = "ev-t-" + new_id()
    body = {
        "event_uuid": event,
        "name": "2024年7月1日隆阳区低温冷冻",
        "disaster_type": "cold",
        "occurred_at": "2024-07-01T00:00:00Z",
    }
    assert _post(client, world, "wafang_a", "/api/v1/events", body).status_code == 403
    r = _post(
        client, world, "wafang_reviewer", "/api/v1/events", {**body, "area_code": "530581102000"}
    )
    assert r.status_code == 404, r.text
    before = _get(client, world, "wafang_a", "/api/v1/me").json()["events_revision"]
    assert before == _get(client, world, "wafang_a", "/api/v1/me").json()["events_revision"]
    r = _post(client, world, "wafang_reviewer", "/api/v1/events", body)
    assert r.status_code == 200, r.text
    # /me tells devices the registry changed (they fetch the open events only then)
    assert _get(client, world, "wafang_a", "/api/v1/me").json()["events_revision"] != before
    got = r.json()["event"]
    assert (got["opened_level"], got["opened_code"], got["county_code"]) == (
        "township",
        WAFANG_TOWNSHIP,
        LONGYANG,
    )
    assert (
        _post(client, world, "wafang_reviewer", "/api/v1/events", body).json()["status"]
        == "duplicate"
    )
    # A second "new event" of the county admin is told about the township's.
    other = {**body, "event_uuid": "ev-c-" + new_id(), "name": "另一个"}
    r = _post(client, world, "longyang_admin", "/api/v1/events", other)
    assert r.status_code == 200, r.text
    assert event in {e["event_uuid"] for e in r.json()["similar"]}
    # The township's villages see it as open; another county does not.
    listed = _get(client, world, "wafang_a", "/api/v1/events", open=1).json()["events"]
    assert event in {e["event_uuid"] for e in listed}
    assert _get(client, world, "gudong_a", "/api/v1/events", under=GUDONG).status_code == 200
    assert _get(client, world, "gudong_a", "/api/v1/events", under=WAFANG).status_code == 404
    assert client.get("/api/v1/events").status_code == 401


def test_a_township_opening_registers_the_event(client: TestClient, world: World) -> None:
    event = "ev-o-" + new_id()
    body = {
        "event_uuid": event,
        "event_name": "2024年7月2日隆阳区洪涝",
        "disaster_type": "flood",
        "occurred_at": "2024-07-02T00:00:00Z",
        "township_code": WAFANG_TOWNSHIP,
        "village_codes": [WAFANG],
    }
    r = _post(client, world, "wafang_reviewer", "/api/v1/events/open", body)
    assert r.status_code == 200, r.text
    _file(client, world, "wafang_a", WAFANG, event)
    with world.app.state.db.read_session() as session:
        row = session.scalars(select(Event).where(Event.event_uuid == event)).one()
    assert (row.opened_level, row.opened_code) == ("township", WAFANG_TOWNSHIP)
    r = _post(
        client,
        world,
        "wafang_reviewer",
        f"/api/v1/events/{event}/close",
        {"township_code": WAFANG_TOWNSHIP},
    )
    assert r.status_code == 200
    listed = _get(client, world, "wafang_a", "/api/v1/events", open=1).json()["events"]
    assert event not in {e["event_uuid"] for e in listed}

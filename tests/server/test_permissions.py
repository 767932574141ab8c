"""Jurisdiction on every route: route × role × place.

Places: the informant's own village, a sibling village of the same township, a village of
another township, and a village of another county.  What lies outside a caller's reach
answers 404 (never 403), so its existence does not leak.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.server.factories import (
    GUDONG,
    SHUIGOU,
    WAFANG,
    WAFANG_TOWNSHIP,
    XINZHAI,
    batch,
    content,
    item,
    photo_bytes,
)
from tests.server.world import World

TOWNSHIP = f"/api/v1/townships/{WAFANG_TOWNSHIP}"
TOWNSHIP_REPORT = f"{TOWNSHIP}/reports/ev/initial"
UNIT_REPORT = "/api/v1/units/530502000000/reports/ev/initial"
PLACES = {"own": WAFANG, "sibling": SHUIGOU, "other_township": XINZHAI, "other_county": GUDONG}
INFORMANT_OF = {WAFANG: "wafang_a", SHUIGOU: "shuigou_a", XINZHAI: "xinzhai_a", GUDONG: "gudong_a"}
#: Who sees which place.
SEES = {
    "wafang_a": {"own"},
    "wafang_b": {"own"},
    "wafang_reviewer": {"own", "sibling"},
    "longyang_admin": {"own", "sibling", "other_township"},
    "baoshan_city": {"own", "sibling", "other_township", "other_county"},
    "tengchong_admin": {"other_county"},
}
#: Who may push reports for which place.
PUSHES = {"wafang_a": {"own"}, "wafang_b": {"own"}}


@pytest.fixture(scope="module")
def seeded(client: TestClient, world: World) -> dict[str, dict[str, Any]]:
    """One report with one uploaded photo in each place, pushed by that place's informant."""
    out = {}
    for place, village in PLACES.items():
        user = INFORMANT_OF[village]
        data, sha = photo_bytes(f"perm-{place}")
        body = content(village, photos=[{"sha256": sha, "size": len(data), "mime": "image/jpeg"}])
        h = world.headers(client, user)
        r = client.post("/api/v1/reports/batch", headers=h, json=batch(f"dev-{user}", [item(body)]))
        assert r.json()["results"][0]["status"] == "accepted", r.text
        r = client.put(f"/api/v1/photos/{sha}?offset=0&size={len(data)}", headers=h, content=data)
        assert r.json()["complete"] is True, r.text
        out[place] = {"village": village, "report": body["report_uuid"], "sha": sha}
    return out


CALLERS = sorted(SEES)


@pytest.mark.parametrize("user", CALLERS)
@pytest.mark.parametrize("place", sorted(PLACES))
def test_read_routes(
    client: TestClient, world: World, seeded: dict[str, Any], user: str, place: str
) -> None:
    visible = place in SEES[user]
    h = world.headers(client, user)
    target = seeded[place]
    expected = 200 if visible else 404
    routes = [
        f"/api/v1/reports/{target['report']}",
        f"/api/v1/reports?under={target['village']}",
        f"/api/v1/roster?under={target['village']}",
        f"/api/v1/photos/{target['sha']}/content",
    ]
    for route in routes:
        r = client.get(route, headers=h)
        assert r.status_code == expected, (route, r.text)
        if not visible:
            assert r.json()["error"]["code"] == "not_found"
    # Listing without "under" never shows the report of a place out of reach.
    listed = _all_reports(client, h)
    assert (target["report"] in listed) is visible
    # The change feed carries it only to those who may see it.
    assert (target["report"] in _all_changed_reports(client, h)) is visible
    # Photo upload state is open to every signed-in device (it only says how far it got).
    assert client.get(f"/api/v1/photos/{target['sha']}", headers=h).status_code == 200


@pytest.mark.parametrize("user", CALLERS)
@pytest.mark.parametrize("place", sorted(PLACES))
def test_push_route(client: TestClient, world: World, user: str, place: str) -> None:
    h = world.headers(client, user)
    r = client.post(
        "/api/v1/reports/batch",
        headers=h,
        json=batch(f"dev-{user}", [item(content(PLACES[place]))]),
    )
    assert r.status_code == 200
    status = r.json()["results"][0]["status"]
    may = place in PUSHES.get(user, set())
    assert status == ("accepted" if may else "rejected"), r.text


@pytest.mark.parametrize("user", CALLERS)
def test_open_routes(client: TestClient, world: World, user: str) -> None:
    h = world.headers(client, user)
    assert client.get("/api/v1/me", headers=h).status_code == 200
    assert client.get("/api/v1/divisions", headers=h).status_code == 200
    assert client.get("/health").status_code == 200


def test_every_api_route_needs_a_token(client: TestClient, app: object) -> None:
    from fastapi import FastAPI

    assert isinstance(app, FastAPI)
    sha = "0" * 64
    probes = {
        ("GET", "/api/v1/me"),
        ("POST", "/api/v1/auth/logout"),
        ("POST", "/api/v1/reports/batch"),
        ("GET", "/api/v1/reports"),
        ("GET", "/api/v1/reports/x"),
        ("GET", f"/api/v1/photos/{sha}"),
        ("PUT", f"/api/v1/photos/{sha}?offset=0&size=1"),
        ("GET", f"/api/v1/photos/{sha}/content"),
        ("GET", "/api/v1/changes"),
        ("GET", "/api/v1/roster"),
        ("GET", "/api/v1/divisions"),
        ("POST", "/api/v1/decisions/batch"),
        ("GET", "/api/v1/reports/x/history"),
        ("GET", f"{TOWNSHIP_REPORT}"),
        ("POST", f"{TOWNSHIP_REPORT}/adjustments"),
        ("POST", f"{TOWNSHIP_REPORT}/submit"),
        ("GET", f"{TOWNSHIP}/reports"),
        ("GET", f"{TOWNSHIP}/completeness"),
        ("GET", "/api/v1/roster/history?post=x"),
        ("POST", "/api/v1/roster/assignments"),
        ("POST", "/api/v1/roster/assignments/1/end"),
        ("POST", "/api/v1/absences"),
        ("POST", "/api/v1/absences/x/end"),
        ("POST", "/api/v1/handovers/x/sign-off"),
        ("POST", "/api/v1/events/open"),
        ("POST", "/api/v1/events/x/close"),
        ("GET", "/api/v1/events"),
        (
            "GET",
            "/api/v1/events/similar?type=flood&county=530502000000&occurred_at=2026-12-07T00:00:00Z",
        ),
        ("POST", "/api/v1/events"),
        ("POST", "/api/v1/events/x/merge"),
        ("GET", "/api/v1/duty"),
        ("GET", "/api/v1/users"),
        ("POST", "/api/v1/provisioning"),
        ("GET", "/api/v1/admin/accounts"),
        ("POST", "/api/v1/admin/accounts"),
        ("POST", "/api/v1/admin/accounts/x/disable"),
        ("POST", "/api/v1/admin/accounts/x/enable"),
        ("POST", "/api/v1/admin/devices/revoke"),
        ("POST", "/api/v1/admin/setup-codes"),
        ("GET", "/api/v1/admin/completeness"),
        ("GET", "/api/v1/admin/contacts"),
        ("GET", "/api/v1/admin/actions"),
        ("GET", "/api/v1/admin/security-log"),
        ("POST", "/api/v1/admin/register/import"),
        ("GET", f"{UNIT_REPORT}"),
        ("POST", f"{UNIT_REPORT}/decisions"),
        ("POST", f"{UNIT_REPORT}/adjustments"),
        ("POST", f"{UNIT_REPORT}/submit"),
        ("GET", "/api/v1/summary/530500000000"),
    }
    public = {"/api/v1/auth/login", "/api/v1/auth/provision"}  # they hand tokens out
    api = {
        (m.upper(), p)
        for p, ops in app.openapi()["paths"].items()
        for m in ops
        if p.startswith("/api/v1") and p not in public
    }
    assert len(api) == len(probes), sorted(api)  # a new route needs a probe here
    for method, path in probes:
        r = client.request(method, path, json={} if method == "POST" else None)
        assert r.status_code == 401, (method, path, r.text)
        assert r.json()["error"]["code"] == "not_authenticated"


def _all_reports(client: TestClient, h: dict[str, str]) -> set[str]:
    seen: set[str] = set()
    cursor = None
    while True:
        r = client.get(
            "/api/v1/reports",
            headers=h,
            params={"limit": 200, **({"cursor": cursor} if cursor else {})},
        )
        assert r.status_code == 200
        seen |= {x["report_uuid"] for x in r.json()["reports"]}
        if not r.json()["has_more"]:
            return seen
        cursor = r.json()["cursor"]


def _all_changed_reports(client: TestClient, h: dict[str, str]) -> set[str]:
    seen: set[str] = set()
    cursor = None
    while True:
        r = client.get(
            "/api/v1/changes",
            headers=h,
            params={"limit": 500, **({"cursor": cursor} if cursor else {})},
        )
        assert r.status_code == 200
        seen |= {c["report_uuid"] for c in r.json()["changes"] if c["kind"] == "report_version"}
        cursor = r.json()["cursor"]
        if not r.json()["has_more"]:
            return seen

"""The permission matrix: every route × role × place, with the expected answer written out.

The table ``MATRIX`` below is the permission decision for every route of the app, taken from
docs/domain.md (§1 the chain village → township → county → city, §7 review: each level passes or
returns the reports of the level below and cannot edit them) and from the rules the docs
derive from it (docs/server.md "Jurisdiction", "Township review", "Set-up codes"; docs/duty.md
"Who manages which posts").  It is not read off the code: a route added to the app without a
line here fails ``test_every_route_has_a_permission_decision``.

Callers (each sits at 瓦房社区 / 瓦房彝族苗族乡 / 隆阳区 / 保山市): anonymous, the village informant
``wafang_a`` (A of 瓦房社区), the township reviewer ``wafang_reviewer``, the county admin
``longyang_admin`` and the city admin ``baoshan_city``.  Places of the thing asked for: ``own``
瓦房社区, ``sibling`` 水沟洼村 (same township), ``other_township`` 莫卡社区 (潞江镇, same
county) and ``other_county`` 河头社区 of 固东镇 (腾冲市).  A route's township-level requests use
the township of the place; ``own`` and ``sibling`` share it.

Letters (one per place, or one for a route with no place):

- ``Y`` allowed: 2xx, and the effect happened (checked).
- ``N`` 404 ``not_found``: outside the caller's reach, so its existence does not leak.
- ``F`` 403 ``forbidden``: the caller sees it, or may not do this whatever the target, and is
  not the one who may change it (an upper level cannot edit a lower level's figures or posts).
- ``A`` 401 ``not_authenticated``: no token.
- ``P`` 200 with the item ``rejected`` (``village_not_permitted`` / ``not_permitted``): batch
  routes answer per item; the caller sees the village but may not push or decide for it.
- ``R`` 200 with the item ``rejected`` ``not_found``: the same, outside the reach.
- ``H`` 200, and the place's data is not in the answer (the change feed is filtered).
- ``X`` 200 with every row ``refused`` and nothing applied: the register import judges row
  by row, and a post outside the caller's reach is a refused row.  Only the admin log changes
  (every import call is recorded).

After every refused write (``N``, ``F``, ``A``, ``P``, ``R``, ``X``) the database is compared with a
snapshot taken just before the request: nothing may have changed.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from sync.server.app import create_app
from sync.server.models import Base, Role
from sync.server.services.accounts import add_user
from sync.server.settings import Settings
from tests.server.duty_steps import Clock, iso
from tests.server.factories import (
    GUDONG,
    LONGYANG,
    LUJIANG,
    SHUIGOU,
    WAFANG,
    WAFANG_TOWNSHIP,
    XINZHAI,
    batch,
    content,
    decision,
    decisions_batch,
    item,
    new_id,
    photo_bytes,
)
from tests.server.world import PASSWORD, World, sign_in

Response = Any  # what TestClient answers
GUDONG_TOWNSHIP = "530581102000"
PLACES = ("own", "sibling", "other_township", "other_county")
VILLAGE = {"own": WAFANG, "sibling": SHUIGOU, "other_township": XINZHAI, "other_county": GUDONG}
#: The county of each place (its county report).
COUNTY = {
    "own": LONGYANG,
    "sibling": LONGYANG,
    "other_township": LONGYANG,
    "other_county": "530581000000",
}
TOWNSHIP = {
    "own": WAFANG_TOWNSHIP,
    "sibling": WAFANG_TOWNSHIP,
    "other_township": LUJIANG,
    "other_county": GUDONG_TOWNSHIP,
}
#: The A of each place's village post (pushes the place's reports in the set-up).
INFORMANT = {
    "own": "wafang_a",
    "sibling": "shuigou_a",
    "other_township": "xinzhai_a",
    "other_county": "gudong_a",
}
#: The township reviewer who manages each place's village post (prepares the set-up).
MANAGER = {
    "own": "wafang_reviewer",
    "sibling": "wafang_reviewer",
    "other_township": "lujiang_reviewer",
    "other_county": "gudong_reviewer",
}
CALLERS = ("anonymous", "informant", "reviewer", "county", "city")
ACCOUNT = {
    "informant": "wafang_a",
    "reviewer": "wafang_reviewer",
    "county": "longyang_admin",
    "city": "baoshan_city",
}

# Places, in the order of the letters: own, sibling, other township, other county.
_READ = ("A", "YNNN", "YYNN", "YYYN", "YYYY")  # a thing inside a village: reach decides
_TOWNSHIP_READ = ("A", "NNNN", "YYNN", "YYYN", "YYYY")  # the township's own report
_TOWNSHIP_WRITE = ("A", "NNNN", "YYNN", "FFFN", "FFFF")  # only the township's reviewer
_COUNTY_READ = ("A", "NNNN", "NNNN", "YYYN", "YYYY")  # the county's report: it and the city
_COUNTY_WRITE = ("A", "NNNN", "NNNN", "YYYN", "FFFF")  # only the county's own admin
_MANAGE_VILLAGE_POST = ("A", "FNNN", "YYNN", "FFFN", "FFFF")  # the township manages villages
_PUBLIC = ("Y", "Y", "Y", "Y", "Y")
_SIGNED_IN = ("A", "Y", "Y", "Y", "Y")
_ADMIN = ("A", "FFFF", "YYNN", "YYYN", "YYYY")  # administration of the place's accounts

#: (method, path) → expected letters for (anonymous, informant, reviewer, county, city).
MATRIX: dict[tuple[str, str], tuple[str, str, str, str, str]] = {
    # Public: liveness, the API description, and the two routes that hand tokens out.  The
    # /docs and /redoc pages are off unless CITY_API_DOCS is set (docs/security.md).
    ("GET", "/health"): _PUBLIC,
    ("GET", "/openapi.json"): _PUBLIC,
    ("POST", "/api/v1/auth/login"): _PUBLIC,  # with the account's own password
    ("POST", "/api/v1/auth/provision"): ("Y", "YYYY", "YYYY", "YYYY", "YYYY"),  # a valid code
    # Every signed-in account, whatever its place.
    ("POST", "/api/v1/auth/logout"): _SIGNED_IN,
    ("GET", "/api/v1/me"): _SIGNED_IN,
    ("GET", "/api/v1/divisions"): ("A", "YYYY", "YYYY", "YYYY", "YYYY"),  # public reference
    # Upload state: 200 for every device, but "complete" only within reach of a village with
    # access (else the device's own upload); uploads are per device, limited per account.
    ("GET", "/api/v1/photos/{sha256}"): ("A", "YYYY", "YYYY", "YYYY", "YYYY"),
    ("PUT", "/api/v1/photos/{sha256}"): ("A", "YYYY", "YYYY", "YYYY", "YYYY"),  # any device
    # Reading: the caller's reach (informant: own village; others: their jurisdiction).
    ("GET", "/api/v1/changes"): ("A", "YHHH", "YYHH", "YYYH", "YYYY"),
    ("GET", "/api/v1/reports"): _READ,  # ?under=<village>
    ("GET", "/api/v1/reports/{report_uuid}"): _READ,
    ("GET", "/api/v1/reports/{report_uuid}/history"): _READ,
    ("GET", "/api/v1/photos/{sha256}/content"): _READ,  # by photo_access, not by the hash
    ("GET", "/api/v1/roster"): _READ,
    ("GET", "/api/v1/roster/history"): _READ,
    ("GET", "/api/v1/duty"): _READ,
    # The accounts to assign: managers only (an informant sees its village but manages nothing).
    ("GET", "/api/v1/users"): ("A", "FNNN", "YYNN", "YYYN", "YYYY"),
    # Only the informant of a village pushes its reports (§1).
    ("POST", "/api/v1/reports/batch"): ("A", "YPPP", "PPPP", "PPPP", "PPPP"),
    # Only the township reviewer passes or returns its villages' reports (§7).
    ("POST", "/api/v1/decisions/batch"): ("A", "PRRR", "YYRR", "PPPR", "PPPP"),
    # The township report: the township writes it; the county and city above read it (§7).
    ("GET", "/api/v1/townships/{code}/reports/{event_uuid}/{stage}"): _TOWNSHIP_READ,
    ("GET", "/api/v1/townships/{code}/reports"): _TOWNSHIP_READ,
    ("GET", "/api/v1/townships/{code}/completeness"): _TOWNSHIP_READ,
    ("POST", "/api/v1/townships/{code}/reports/{event_uuid}/{stage}/adjustments"): _TOWNSHIP_WRITE,
    ("POST", "/api/v1/townships/{code}/reports/{event_uuid}/{stage}/submit"): _TOWNSHIP_WRITE,
    # The county report (the place's county): the county passes or returns its townships'
    # reports, adjusts and submits; the city above reads it but cannot change it (§7).
    ("GET", "/api/v1/units/{code}/reports/{event_uuid}/{stage}"): _COUNTY_READ,
    ("POST", "/api/v1/units/{code}/reports/{event_uuid}/{stage}/decisions"): _COUNTY_WRITE,
    ("POST", "/api/v1/units/{code}/reports/{event_uuid}/{stage}/adjustments"): _COUNTY_WRITE,
    ("POST", "/api/v1/units/{code}/reports/{event_uuid}/{stage}/submit"): _COUNTY_WRITE,
    # The township opens and closes an event for its villages.
    ("POST", "/api/v1/events/open"): _TOWNSHIP_WRITE,
    ("POST", "/api/v1/events/{event_uuid}/close"): _TOWNSHIP_WRITE,
    # The event registry (issue 16): the events of a place are read like its reports; the
    # events of a county are compared by anyone within it; a township, county or city opens
    # an event for its area; a county (within its county) or the city merges events.
    ("GET", "/api/v1/events"): _READ,  # ?under=<village>
    ("GET", "/api/v1/events/similar"): ("A", "YYYN", "YYYN", "YYYN", "YYYY"),
    ("POST", "/api/v1/events"): ("A", "FFFF", "YYNN", "YYYN", "YYYY"),
    ("POST", "/api/v1/events/{event_uuid}/merge"): ("A", "FFFF", "FFFF", "YYYN", "YYYY"),
    # A/B posts of a village: the township reviewer manages them.
    ("POST", "/api/v1/roster/assignments"): _MANAGE_VILLAGE_POST,
    ("POST", "/api/v1/roster/assignments/{assignment_id}/end"): _MANAGE_VILLAGE_POST,
    ("POST", "/api/v1/handovers/{handover_uuid}/sign-off"): _MANAGE_VILLAGE_POST,
    # ... and the A of the post may mark themselves off duty and end their own absence.
    ("POST", "/api/v1/absences"): ("A", "YNNN", "YYNN", "FFFN", "FFFF"),
    ("POST", "/api/v1/absences/{absence_uuid}/end"): ("A", "YNNN", "YYNN", "FFFN", "FFFF"),
    # Set-up codes: for the accounts one level (or more) below, within the jurisdiction.  A
    # village informant issues none: 403 whatever the name, so nothing leaks.
    ("POST", "/api/v1/provisioning"): ("A", "FFFF", "YYNN", "YYYN", "YYYY"),
    # Administration (docs/server.md "Administration"): a township its village accounts, a
    # county its township and village accounts, a city everything below it.  A village
    # informant administers nobody: 403 whatever the place, so nothing leaks.
    ("GET", "/api/v1/admin/accounts"): _ADMIN,
    ("POST", "/api/v1/admin/accounts"): _ADMIN,
    ("POST", "/api/v1/admin/accounts/{username}/disable"): _ADMIN,
    ("POST", "/api/v1/admin/accounts/{username}/enable"): _ADMIN,
    ("POST", "/api/v1/admin/devices/revoke"): _ADMIN,
    ("POST", "/api/v1/admin/setup-codes"): _ADMIN,
    ("GET", "/api/v1/admin/completeness"): _ADMIN,
    ("GET", "/api/v1/admin/contacts"): _ADMIN,
    ("GET", "/api/v1/admin/actions"): _ADMIN,
    # The security log (issue 18): the lines of the accounts the caller administers (the
    # place's new informant, disabled by the city); a name outside the reach 404.
    ("GET", "/api/v1/admin/security-log"): _ADMIN,
    # The register import: a post outside the caller's reach is a refused row (X).
    ("POST", "/api/v1/admin/register/import"): ("A", "FFFF", "YYXX", "YYYX", "YYYY"),
    # The year's summary of the place's township: the township itself, the county and city.
    ("GET", "/api/v1/summary/{code}"): _TOWNSHIP_READ,
}


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Return every (method, path) the app answers (HEAD only where GET is not there)."""
    found: set[tuple[str, str]] = set()

    def walk(routes: Any) -> Iterator[tuple[str, set[str]]]:
        for route in routes:
            if hasattr(route, "effective_route_contexts"):  # FastAPI ≥ 0.160 include_router
                for ctx in route.effective_route_contexts():
                    methods = getattr(ctx, "methods", None) or getattr(
                        ctx.original_route, "methods", None
                    )
                    yield ctx.path, set(methods or ())
            else:
                yield route.path, set(getattr(route, "methods", None) or ())

    for path, methods in walk(app.routes):
        if "GET" in methods:
            methods.discard("HEAD")
        found |= {(m, path) for m in methods}
    return found


# --- fixtures ----------------------------------------------------------------------------


#: The app of this module runs on its ``clock`` fixture (``tests/server/conftest.py``).
USES_CLOCK = True


_serial = itertools.count(1)


def fresh(prefix: str) -> str:
    return f"{prefix}{next(_serial)}"


@dataclass
class Ctx:
    """What the request builders need: the client, the world and the seeded places."""

    client: TestClient
    world: World
    clock: Clock
    seeded: dict[str, dict[str, str]] = field(default_factory=dict)

    def headers(self, username: str) -> dict[str, str]:
        return self.world.headers(self.client, username)

    def post(self, username: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        r = self.client.post(path, headers=self.headers(username), json=body)
        assert r.status_code == 200, (username, path, r.text)
        data: dict[str, Any] = r.json()
        return data

    def new_informant(self, place: str) -> str:
        """Create an enabled village informant of the place's village; return the name."""
        name = fresh(f"mx_{place}_")
        with self.world.app.state.db.writing() as session:
            add_user(
                session,
                self.world.app.state.passwords,
                name,
                Role.VILLAGE_INFORMANT,
                VILLAGE[place],
                PASSWORD,
                name,
            )
        return name

    def push_report(self, place: str) -> dict[str, Any]:
        """Push a new report of the place's village as its informant; return its first item."""
        version = item(content(VILLAGE[place]))
        user = INFORMANT[place]
        r = self.client.post(
            "/api/v1/reports/batch",
            headers=self.headers(user),
            json=batch(f"dev-{user}", [version]),
        )
        assert r.json()["results"][0]["status"] == "accepted", r.text
        return version

    def assign_b(self, place: str) -> dict[str, Any]:
        """Give a fresh informant the place's B post (replacing any B) as its manager."""
        return self.post(
            MANAGER[place],
            "/api/v1/roster/assignments",
            {
                "post_code": VILLAGE[place],
                "username": self.new_informant(place),
                "post_role": "B",
                "reason": "矩阵测试",
                "replace": True,
            },
        )

    def absence_body(self, place: str) -> dict[str, Any]:
        """An absence of the place's A for one hour from the server's now (clock moved on)."""
        now = self.clock.advance(hours=2)
        return {
            "absence_uuid": new_id(),
            "post_code": VILLAGE[place],
            "starts_at": iso(now),
            "ends_at": iso(now + timedelta(hours=1)),
            "kind": "leave",
            "reason": "外出开会",
        }

    def open_body(self, place: str) -> dict[str, Any]:
        return {
            "event_uuid": new_id(),
            "event_name": "矩阵测试洪涝",
            "disaster_type": "flood",
            "occurred_at": iso(self.clock.now - timedelta(hours=1)),
            "township_code": TOWNSHIP[place],
            "village_codes": [VILLAGE[place]],
        }


@pytest.fixture(scope="module")
def ctx(client: TestClient, world: World, clock: Clock) -> Ctx:
    """The world plus a reviewer of 固东镇, and one report with a photo in each place."""
    with world.app.state.db.writing() as session:
        add_user(
            session,
            world.app.state.passwords,
            "gudong_reviewer",
            Role.TOWNSHIP_REVIEWER,
            GUDONG_TOWNSHIP,
            PASSWORD,
        )
    c = Ctx(client, world, clock)
    for place in PLACES:
        data, sha = photo_bytes(f"matrix-{place}")
        body = content(
            VILLAGE[place], photos=[{"sha256": sha, "size": len(data), "mime": "image/jpeg"}]
        )
        user = INFORMANT[place]
        r = client.post(
            "/api/v1/reports/batch",
            headers=c.headers(user),
            json=batch(f"dev-{user}", [item(body)]),
        )
        assert r.json()["results"][0]["status"] == "accepted", r.text
        r = client.put(
            f"/api/v1/photos/{sha}?offset=0&size={len(data)}", headers=c.headers(user), content=data
        )
        assert r.json()["complete"] is True, r.text
        c.seeded[place] = {"report": body["report_uuid"], "sha": sha, "event": body["event_uuid"]}
    return c


# --- requests ------------------------------------------------------------------------------


@dataclass
class Req:
    """One prepared request and how to tell that it did what an allowed call does."""

    method: str
    url: str
    json: Any = None
    content: bytes | None = None
    headers: dict[str, str] | None = None
    #: For ``Y``: the effect happened; for ``H``: the place's data shows (must be false).
    shows: Callable[[Response], bool] = lambda r: True
    #: Checked after the request for ``Y`` (e.g. a logged-out token no longer works).
    after: Callable[[], bool] = lambda: True


Builder = Callable[[Ctx, str, str | None], Req]


def _status(expected: str) -> Callable[[Response], bool]:
    return lambda r: r.json()["status"] == expected


def _first_item(r: Response) -> dict[str, Any]:
    result: dict[str, Any] = r.json()["results"][0]
    return result


def b_login(c: Ctx, place: str, user: str | None) -> Req:
    return Req(
        "POST",
        "/api/v1/auth/login",
        json={
            "username": user or "wafang_b",
            "password": PASSWORD,
            "device_id": fresh("mx-login-"),
            "device_name": "matrix",
        },
        shows=lambda r: len(r.json()["token"]) >= 43,
    )


def b_provision(c: Ctx, place: str, user: str | None) -> Req:
    target = c.new_informant(place)
    code = c.post("baoshan_city", "/api/v1/provisioning", {"username": target})["code"]
    return Req(
        "POST",
        "/api/v1/auth/provision",
        json={"code": code, "device_id": fresh("mx-prov-"), "device_name": "matrix"},
        shows=lambda r: r.json()["user"]["username"] == target,
    )


def b_logout(c: Ctx, place: str, user: str | None) -> Req:
    token = sign_in(c.client, user or "wafang_b", fresh("mx-logout-"))
    bearer = {"Authorization": f"Bearer {token}"}

    def revoked() -> bool:
        r = c.client.get("/api/v1/me", headers=bearer)
        return r.status_code == 401 and r.json()["error"]["code"] == "token_revoked"

    return Req("POST", "/api/v1/auth/logout", headers=bearer if user else {}, after=revoked)


def b_changes(c: Ctx, place: str, user: str | None) -> Req:
    report = c.seeded[place]["report"]

    def shows(r: Response) -> bool:
        seen = {ch["report_uuid"] for ch in r.json()["changes"] if ch["kind"] == "report_version"}
        assert not r.json()["has_more"], "raise the limit: the feed has more pages"
        return report in seen

    return Req("GET", "/api/v1/changes?limit=1000", shows=shows)


def b_photo_put(c: Ctx, place: str, user: str | None) -> Req:
    data, sha = photo_bytes(fresh("mx-photo-"), 2000)
    return Req(
        "PUT",
        f"/api/v1/photos/{sha}?offset=0&size={len(data)}",
        content=data,
        shows=lambda r: r.json()["complete"] is True,
    )


def b_push(c: Ctx, place: str, user: str | None) -> Req:
    version = item(content(VILLAGE[place]))
    return Req(
        "POST",
        "/api/v1/reports/batch",
        json=batch(f"dev-{user or 'anonymous'}", [version]),
        shows=lambda r: _first_item(r)["status"] == "accepted",
    )


def b_decide(c: Ctx, place: str, user: str | None) -> Req:
    version = c.push_report(place)
    return Req(
        "POST",
        "/api/v1/decisions/batch",
        json=decisions_batch(f"dev-{user or 'anonymous'}", [decision(version["version_uuid"])]),
        shows=lambda r: _first_item(r)["status"] == "accepted",
    )


def b_township_report(c: Ctx, place: str, user: str | None) -> Req:
    return Req(
        "GET",
        f"/api/v1/townships/{TOWNSHIP[place]}/reports/{c.seeded[place]['event']}/initial",
        shows=lambda r: r.json()["township_code"] == TOWNSHIP[place],
    )


def b_adjust(c: Ctx, place: str, user: str | None) -> Req:
    return Req(
        "POST",
        f"/api/v1/townships/{TOWNSHIP[place]}/reports/{new_id()}/initial/adjustments",
        json={
            "adjustment_uuid": new_id(),
            "field": "affected_pop",
            "delta": 3,
            "reason": "矩阵测试：乡镇核实新增",
        },
        shows=_status("accepted"),
    )


def b_submit(c: Ctx, place: str, user: str | None) -> Req:
    return Req(
        "POST",
        f"/api/v1/townships/{TOWNSHIP[place]}/reports/{new_id()}/initial/submit",
        json={"submission_uuid": new_id(), "figures": {}},
        shows=_status("accepted"),
    )


def _unit_url(c: Ctx, place: str) -> str:
    return f"/api/v1/units/{COUNTY[place]}/reports/{c.seeded[place]['event']}/initial"


def b_unit_report(c: Ctx, place: str, user: str | None) -> Req:
    return Req(
        "GET",
        _unit_url(c, place),
        shows=lambda r: r.json()["unit_code"] == COUNTY[place],
    )


def b_unit_decide(c: Ctx, place: str, user: str | None) -> Req:
    """Return a fresh township report of the place's township (it submits it first)."""
    township = f"/api/v1/townships/{TOWNSHIP[place]}/reports/{c.seeded[place]['event']}/initial"
    total = c.client.get(township, headers=c.headers(MANAGER[place])).json()["total"]
    sent = c.post(
        MANAGER[place], f"{township}/submit", {"submission_uuid": new_id(), "figures": total}
    )
    return Req(
        "POST",
        _unit_url(c, place) + "/decisions",
        json={
            "decision_uuid": new_id(),
            "submission_uuid": sent["report"]["submission_uuid"],
            "decision": "return",
            "reason": "矩阵测试：请核实",
        },
        shows=lambda r: (
            r.json()["status"] == "accepted"
            and r.json()["decision"]["unit_code"] == TOWNSHIP[place]
        ),
    )


def b_unit_adjust(c: Ctx, place: str, user: str | None) -> Req:
    return Req(
        "POST",
        f"/api/v1/units/{COUNTY[place]}/reports/{new_id()}/initial/adjustments",
        json={
            "adjustment_uuid": new_id(),
            "field": "affected_pop",
            "delta": 3,
            "reason": "矩阵测试：县级核实新增",
        },
        shows=_status("accepted"),
    )


def b_unit_submit(c: Ctx, place: str, user: str | None) -> Req:
    return Req(
        "POST",
        _unit_url(c, place) + "/submit",
        json={"submission_uuid": new_id(), "figures": {}},
        shows=_status("accepted"),
    )


def b_open(c: Ctx, place: str, user: str | None) -> Req:
    return Req("POST", "/api/v1/events/open", json=c.open_body(place), shows=_status("accepted"))


def _area_event(c: Ctx, place: str, event_uuid: str | None = None) -> dict[str, Any]:
    return {
        "event_uuid": event_uuid or new_id(),
        "name": "2026年12月7日洪涝",
        "disaster_type": "flood",
        "occurred_at": "2026-12-07T00:00:00Z",
        "area_code": TOWNSHIP[place],
    }


def b_event_open(c: Ctx, place: str, user: str | None) -> Req:
    return Req("POST", "/api/v1/events", json=_area_event(c, place), shows=_status("accepted"))


def b_event_merge(c: Ctx, place: str, user: str | None) -> Req:
    first, second = _area_event(c, place), _area_event(c, place)
    c.post("baoshan_city", "/api/v1/events", first)
    c.post("baoshan_city", "/api/v1/events", second)
    return Req(
        "POST",
        f"/api/v1/events/{second['event_uuid']}/merge",
        json={"into": first["event_uuid"]},
        shows=_status("accepted"),
    )


def _county_of(place: str) -> str:
    return VILLAGE[place][:6] + "000000"


def b_close(c: Ctx, place: str, user: str | None) -> Req:
    body = c.open_body(place)
    c.post(MANAGER[place], "/api/v1/events/open", body)
    return Req(
        "POST",
        f"/api/v1/events/{body['event_uuid']}/close",
        json={"township_code": TOWNSHIP[place]},
        shows=_status("accepted"),
    )


def b_assign(c: Ctx, place: str, user: str | None) -> Req:
    return Req(
        "POST",
        "/api/v1/roster/assignments",
        json={
            "post_code": VILLAGE[place],
            "username": c.new_informant(place),
            "post_role": "B",
            "reason": "矩阵测试",
            "replace": True,
        },
        shows=_status("accepted"),
    )


def b_end_assignment(c: Ctx, place: str, user: str | None) -> Req:
    assignment = c.assign_b(place)["assignment"]["assignment_id"]
    return Req(
        "POST",
        f"/api/v1/roster/assignments/{assignment}/end",
        json={"reason": "矩阵测试"},
        shows=_status("accepted"),
    )


def b_sign_off(c: Ctx, place: str, user: str | None) -> Req:
    handover = c.assign_b(place)["handover"] or c.assign_b(place)["handover"]
    return Req(
        "POST",
        f"/api/v1/handovers/{handover['handover_uuid']}/sign-off",
        json={"note": "已交接"},
        shows=_status("accepted"),
    )


def b_absence(c: Ctx, place: str, user: str | None) -> Req:
    return Req("POST", "/api/v1/absences", json=c.absence_body(place), shows=_status("accepted"))


def b_end_absence(c: Ctx, place: str, user: str | None) -> Req:
    done = c.post(MANAGER[place], "/api/v1/absences", c.absence_body(place))
    c.clock.advance(minutes=10)
    return Req(
        "POST",
        f"/api/v1/absences/{done['absence']['absence_uuid']}/end",
        json={},
        shows=_status("accepted"),
    )


def b_provisioning(c: Ctx, place: str, user: str | None) -> Req:
    return Req(
        "POST",
        "/api/v1/provisioning",
        json={"username": c.new_informant(place)},
        shows=lambda r: len(r.json()["code"]) >= 12,
    )


def b_admin_accounts(c: Ctx, place: str, user: str | None) -> Req:
    return Req(
        "GET",
        f"/api/v1/admin/accounts?under={VILLAGE[place]}",
        shows=lambda r: INFORMANT[place] in {a["username"] for a in r.json()["accounts"]},
    )


def b_admin_create(c: Ctx, place: str, user: str | None) -> Req:
    name = fresh(f"mx_new_{place}_")
    return Req(
        "POST",
        "/api/v1/admin/accounts",
        json={
            "username": name,
            "display_name": "矩阵测试",
            "role": "village_informant",
            "jurisdiction_code": VILLAGE[place],
        },
        shows=lambda r: r.json()["username"] == name,
    )


def b_admin_disable(c: Ctx, place: str, user: str | None) -> Req:
    name = c.new_informant(place)
    return Req(
        "POST",
        f"/api/v1/admin/accounts/{name}/disable",
        shows=lambda r: r.json()["disabled"] is True,
    )


def b_admin_enable(c: Ctx, place: str, user: str | None) -> Req:
    name = c.new_informant(place)
    c.post("baoshan_city", f"/api/v1/admin/accounts/{name}/disable", {})
    return Req(
        "POST",
        f"/api/v1/admin/accounts/{name}/enable",
        shows=lambda r: r.json()["disabled"] is False,
    )


def b_admin_revoke(c: Ctx, place: str, user: str | None) -> Req:
    name = c.new_informant(place)
    sign_in(c.client, name, fresh("mx-revoke-"))
    return Req(
        "POST",
        "/api/v1/admin/devices/revoke",
        json={"username": name},
        shows=lambda r: r.json()["revoked"] == 1,
    )


def b_admin_setup_codes(c: Ctx, place: str, user: str | None) -> Req:
    name = c.new_informant(place)
    return Req(
        "POST",
        "/api/v1/admin/setup-codes",
        json={"under": VILLAGE[place]},
        shows=lambda r: name in {e["username"] for e in r.json()["entries"]},
    )


def b_admin_completeness(c: Ctx, place: str, user: str | None) -> Req:
    return Req(
        "GET",
        f"/api/v1/admin/completeness?under={TOWNSHIP[place]}",
        shows=lambda r: r.json()["total"]["with_a"] >= 1,
    )


def b_admin_contacts(c: Ctx, place: str, user: str | None) -> Req:
    return Req(
        "GET",
        f"/api/v1/admin/contacts?under={VILLAGE[place]}",
        shows=lambda r: VILLAGE[place] in {x["post_code"] for x in r.json()["contacts"]},
    )


def b_admin_security_log(c: Ctx, place: str, user: str | None) -> Req:
    name = c.new_informant(place)
    c.post("baoshan_city", f"/api/v1/admin/accounts/{name}/disable", {})
    return Req(
        "GET",
        f"/api/v1/admin/security-log?username={name}",
        shows=lambda r: (
            [(e["kind"], e["username"]) for e in r.json()["events"]] == [("account.disable", name)]
        ),
    )


def b_register_import(c: Ctx, place: str, user: str | None) -> Req:
    entry = {
        "row": 2,
        "name": fresh("矩阵花名册"),
        "phone": f"139{next(_serial):08d}",
        "level": "village",
        "post_code": VILLAGE[place],
        "post_role": "B",
    }
    return Req(
        "POST",
        "/api/v1/admin/register/import",
        json={"dry_run": False, "entries": [entry]},
        shows=lambda r: r.json()["applied"] is True and r.json()["rows"][0]["outcome"] == "create",
    )


def _get(url: Callable[[Ctx, str], str]) -> Builder:
    return lambda c, place, user: Req("GET", url(c, place))


def _seed(c: Ctx, place: str, key: str) -> str:
    return c.seeded[place][key]


BUILDERS: dict[tuple[str, str], Builder] = {
    ("GET", "/health"): _get(lambda c, p: "/health"),
    ("GET", "/openapi.json"): _get(lambda c, p: "/openapi.json"),
    ("POST", "/api/v1/auth/login"): b_login,
    ("POST", "/api/v1/auth/provision"): b_provision,
    ("POST", "/api/v1/auth/logout"): b_logout,
    ("GET", "/api/v1/me"): _get(lambda c, p: "/api/v1/me"),
    ("GET", "/api/v1/divisions"): _get(lambda c, p: f"/api/v1/divisions?under={VILLAGE[p]}"),
    ("GET", "/api/v1/photos/{sha256}"): _get(lambda c, p: f"/api/v1/photos/{_seed(c, p, 'sha')}"),
    ("PUT", "/api/v1/photos/{sha256}"): b_photo_put,
    ("GET", "/api/v1/changes"): b_changes,
    ("GET", "/api/v1/reports"): _get(lambda c, p: f"/api/v1/reports?under={VILLAGE[p]}"),
    ("GET", "/api/v1/reports/{report_uuid}"): _get(
        lambda c, p: f"/api/v1/reports/{_seed(c, p, 'report')}"
    ),
    ("GET", "/api/v1/reports/{report_uuid}/history"): _get(
        lambda c, p: f"/api/v1/reports/{_seed(c, p, 'report')}/history"
    ),
    ("GET", "/api/v1/photos/{sha256}/content"): _get(
        lambda c, p: f"/api/v1/photos/{_seed(c, p, 'sha')}/content"
    ),
    ("GET", "/api/v1/roster"): _get(lambda c, p: f"/api/v1/roster?under={VILLAGE[p]}"),
    ("GET", "/api/v1/roster/history"): _get(
        lambda c, p: f"/api/v1/roster/history?post={VILLAGE[p]}"
    ),
    ("GET", "/api/v1/duty"): _get(lambda c, p: f"/api/v1/duty?under={VILLAGE[p]}"),
    ("GET", "/api/v1/users"): _get(lambda c, p: f"/api/v1/users?under={VILLAGE[p]}"),
    ("POST", "/api/v1/reports/batch"): b_push,
    ("POST", "/api/v1/decisions/batch"): b_decide,
    ("GET", "/api/v1/townships/{code}/reports/{event_uuid}/{stage}"): b_township_report,
    ("GET", "/api/v1/townships/{code}/reports"): _get(
        lambda c, p: f"/api/v1/townships/{TOWNSHIP[p]}/reports"
    ),
    ("GET", "/api/v1/townships/{code}/completeness"): _get(
        lambda c, p: (
            f"/api/v1/townships/{TOWNSHIP[p]}/completeness?event_uuid={_seed(c, p, 'event')}"
        )
    ),
    ("POST", "/api/v1/townships/{code}/reports/{event_uuid}/{stage}/adjustments"): b_adjust,
    ("POST", "/api/v1/townships/{code}/reports/{event_uuid}/{stage}/submit"): b_submit,
    ("GET", "/api/v1/units/{code}/reports/{event_uuid}/{stage}"): b_unit_report,
    ("POST", "/api/v1/units/{code}/reports/{event_uuid}/{stage}/decisions"): b_unit_decide,
    ("POST", "/api/v1/units/{code}/reports/{event_uuid}/{stage}/adjustments"): b_unit_adjust,
    ("POST", "/api/v1/units/{code}/reports/{event_uuid}/{stage}/submit"): b_unit_submit,
    ("POST", "/api/v1/events/open"): b_open,
    ("POST", "/api/v1/events/{event_uuid}/close"): b_close,
    ("GET", "/api/v1/events"): _get(lambda c, p: f"/api/v1/events?under={VILLAGE[p]}"),
    ("GET", "/api/v1/events/similar"): _get(
        lambda c, p: (
            f"/api/v1/events/similar?type=flood&county={_county_of(p)}"
            "&occurred_at=2026-12-07T00:00:00Z"
        )
    ),
    ("POST", "/api/v1/events"): b_event_open,
    ("POST", "/api/v1/events/{event_uuid}/merge"): b_event_merge,
    ("POST", "/api/v1/roster/assignments"): b_assign,
    ("POST", "/api/v1/roster/assignments/{assignment_id}/end"): b_end_assignment,
    ("POST", "/api/v1/handovers/{handover_uuid}/sign-off"): b_sign_off,
    ("POST", "/api/v1/absences"): b_absence,
    ("POST", "/api/v1/absences/{absence_uuid}/end"): b_end_absence,
    ("POST", "/api/v1/provisioning"): b_provisioning,
    ("GET", "/api/v1/admin/accounts"): b_admin_accounts,
    ("POST", "/api/v1/admin/accounts"): b_admin_create,
    ("POST", "/api/v1/admin/accounts/{username}/disable"): b_admin_disable,
    ("POST", "/api/v1/admin/accounts/{username}/enable"): b_admin_enable,
    ("POST", "/api/v1/admin/devices/revoke"): b_admin_revoke,
    ("POST", "/api/v1/admin/setup-codes"): b_admin_setup_codes,
    ("GET", "/api/v1/admin/completeness"): b_admin_completeness,
    ("GET", "/api/v1/admin/contacts"): b_admin_contacts,
    ("POST", "/api/v1/admin/register/import"): b_register_import,
    ("GET", "/api/v1/summary/{code}"): _get(
        lambda c, p: f"/api/v1/summary/{TOWNSHIP[p]}?year=2021"
    ),
    ("GET", "/api/v1/admin/actions"): _get(
        lambda c, p: f"/api/v1/admin/actions?under={VILLAGE[p]}"
    ),
    ("GET", "/api/v1/admin/security-log"): b_admin_security_log,
}

#: Tables a refused request must leave alone (everything but the static division table).
WATCHED = sorted(t.name for t in Base.metadata.sorted_tables if t.name != "divisions")
#: Bookkeeping of the caller's own device that any accepted batch request updates, also when
#: every item in it is refused: when it was last seen and its clock's skew; and when its token
#: was last used (written by any signed-in request, at most every few minutes: the idle time).
UNWATCHED_COLUMNS = {
    ("devices", "last_seen_at"),
    ("devices", "clock_skew_seconds"),
    ("tokens", "last_used_at"),
}


def _columns(name: str) -> str:
    table = Base.metadata.tables[name]
    return ", ".join(c.name for c in table.columns if (name, c.name) not in UNWATCHED_COLUMNS)


def snapshot(app: FastAPI) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of every watched table, in a stable order."""
    with app.state.db.read_session() as session:
        return {
            name: sorted(
                (
                    tuple(row)
                    for row in session.execute(text(f"SELECT {_columns(name)} FROM {name}"))
                ),
                key=repr,
            )
            for name in WATCHED
        }


def cells() -> list[tuple[tuple[str, str], str]]:
    return [(route, caller) for route in MATRIX for caller in CALLERS]


def cell_count() -> int:
    return sum(len(letters) for row in MATRIX.values() for letters in row)


def _error(r: Response) -> str:
    try:
        return str(r.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return "?"


def check_cell(c: Ctx, route: tuple[str, str], caller: str, place: str, letter: str) -> str:
    """Run one cell; return '' when it answered as expected, else what went wrong."""
    user = ACCOUNT.get(caller)
    req = BUILDERS[route](c, place, user)
    headers = dict(req.headers) if req.headers is not None else (c.headers(user) if user else {})
    refused_write = route[0] != "GET" and letter in "NFAPRX"
    before = snapshot(c.world.app) if refused_write else None
    r = c.client.request(req.method, req.url, json=req.json, content=req.content, headers=headers)
    got = f"{r.status_code} {_error(r) if r.status_code >= 400 else ''}".strip()
    problem = ""
    if letter == "Y":
        if not 200 <= r.status_code < 300:
            problem = f"expected 2xx, got {got}: {r.text[:200]}"
        elif not req.shows(r):
            problem = f"2xx but the effect is missing: {r.text[:200]}"
        elif not req.after():
            problem = "2xx but the after-check failed"
    elif letter == "H":
        if r.status_code != 200 or req.shows(r):
            problem = f"expected 200 without the place's data, got {got}"
    elif letter == "X":
        body = r.json() if r.status_code == 200 else {}
        rows = body.get("rows") or [{}]
        if body.get("applied") is not False or any(x.get("outcome") != "refused" for x in rows):
            problem = f"expected 200 with every row refused, got {got} {r.text[:200]}"
    elif letter in "PR":
        codes = {"P": {"village_not_permitted", "not_permitted"}, "R": {"not_found"}}[letter]
        result = _first_item(r) if r.status_code == 200 else {}
        if result.get("status") != "rejected" or result.get("code") not in codes:
            problem = f"expected the item rejected {sorted(codes)}, got {got} {r.text[:200]}"
    else:
        status, code = {
            "N": (404, "not_found"),
            "F": (403, "forbidden"),
            "A": (401, "not_authenticated"),
        }[letter]
        if (r.status_code, _error(r)) != (status, code):
            problem = f"expected {status} {code}, got {got}: {r.text[:200]}"
    if before is not None:
        after = snapshot(c.world.app)
        logged = {"admin_actions"} if letter == "X" else set()  # the call itself is recorded
        changed = {
            t: sorted(set(after[t]) ^ set(before[t]), key=repr)[:4]
            for t in WATCHED
            if after[t] != before[t] and t not in logged
        }
        if changed:
            problem += f" | the refused request changed the database: {changed}"
    return problem


def test_every_route_has_a_permission_decision(app: FastAPI) -> None:
    """A route without a line in MATRIX (or a line without a route) fails here."""
    routes = app_routes(app)
    assert routes - set(MATRIX) == set(), "routes without a permission decision in MATRIX"
    assert set(MATRIX) - routes == set(), "MATRIX lines for routes the app does not have"
    assert set(BUILDERS) == set(MATRIX)
    for route, row in MATRIX.items():
        assert len(row) == len(CALLERS), route
        for letters in row:
            assert len(letters) in (1, len(PLACES)) and set(letters) <= set("YNFAPRHX"), route


@pytest.mark.parametrize(
    ("route", "caller"), cells(), ids=[f"{m} {p} {c}" for (m, p), c in cells()]
)
def test_permission_cell(ctx: Ctx, route: tuple[str, str], caller: str) -> None:
    letters = MATRIX[route][CALLERS.index(caller)]
    places = PLACES if len(letters) == len(PLACES) else ("own",)
    failures = {
        place: problem
        for place, letter in zip(places, letters, strict=True)
        if (problem := check_cell(ctx, route, caller, place, letter))
    }
    assert not failures, failures


def test_the_matrix_size() -> None:
    """The number of cells (route × caller × place) the matrix checks; printed for the record."""
    count = cell_count()
    print(f"permission matrix: {len(MATRIX)} routes, {count} cells")
    assert len(MATRIX) >= 36 and count >= 400


def test_a_refused_write_is_caught_by_the_snapshot(ctx: Ctx) -> None:
    """The snapshot sees a change (so 'nothing changed' above means something)."""
    before = snapshot(ctx.world.app)
    ctx.push_report("own")
    assert snapshot(ctx.world.app) != before


def test_informant_of_the_own_village_is_the_a(ctx: Ctx) -> None:
    """The places are what the table assumes (the informant is A of 瓦房社区, and so on)."""
    me = ctx.client.get("/api/v1/me", headers=ctx.headers("wafang_a")).json()
    assert [(p["division_code"], p["post_role"]) for p in me["user"]["posts"]] == [(WAFANG, "A")]
    with ctx.world.app.state.db.read_session() as session:
        from sync.server.models import DivisionRow

        parents = dict(
            session.execute(
                select(DivisionRow.code, DivisionRow.parent_code).where(
                    DivisionRow.code.in_(list(VILLAGE.values()))
                )
            ).all()
        )
    assert {p: parents[v] for p, v in VILLAGE.items()} == TOWNSHIP


# --- tokens: revoked, disabled, expired: refused on the very next request, on every route ---

#: Every route that needs a token (the anonymous column says so).
SIGNED_IN_ROUTES = [route for route, row in MATRIX.items() if row[0] == "A"]


def _new_city_admin(c: Ctx) -> str:
    """A fresh account that may read everything, so only its token decides the answer."""
    name = fresh("mx_token_")
    with c.world.app.state.db.writing() as session:
        add_user(
            session,
            c.world.app.state.passwords,
            name,
            Role.CITY_ADMIN,
            "530500000000",
            PASSWORD,
            name,
        )
    return name


def _refused_everywhere(c: Ctx, client: TestClient, token: str, code: str) -> list[str]:
    """Send a valid request of every signed-in route with ``token``; return the misfits."""
    wrong = []
    for route in SIGNED_IN_ROUTES:
        req = BUILDERS[route](c, "own", "baoshan_city")
        before = snapshot(c.world.app) if route[0] != "GET" else None
        r = client.request(
            req.method,
            req.url,
            json=req.json,
            content=req.content,
            headers={"Authorization": f"Bearer {token}"},
        )
        if (r.status_code, _error(r)) != (401, code):
            wrong.append(f"{route}: {r.status_code} {r.text[:120]}")
        if before is not None and snapshot(c.world.app) != before:
            wrong.append(f"{route}: changed the database")
    return wrong


def _revoke_by_logout(c: Ctx, name: str, device: str, token: str) -> None:
    r = c.client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200


def _revoke_device(c: Ctx, name: str, device: str, token: str) -> None:
    from sync.server.services.accounts import revoke_tokens

    with c.world.app.state.db.writing() as session:
        assert revoke_tokens(session, device_id=device) == 1


def _sign_in_again(c: Ctx, name: str, device: str, token: str) -> None:
    assert sign_in(c.client, name, device) != token


def _change_password(c: Ctx, name: str, device: str, token: str) -> None:
    from sync.server.services.accounts import set_password

    with c.world.app.state.db.writing() as session:
        set_password(session, c.world.app.state.passwords, name, "another-long-password")


def _disable(c: Ctx, name: str, device: str, token: str) -> None:
    from sync.server.services.accounts import disable_user

    with c.world.app.state.db.writing() as session:
        disable_user(session, name)


def _disable_only(c: Ctx, name: str, device: str, token: str) -> None:
    """Disabled in the database without revoking the tokens: the check must not rely on it."""
    from sqlalchemy import update

    from sync.server.db import utc_now
    from sync.server.models import User

    with c.world.app.state.db.writing() as session:
        session.execute(update(User).where(User.username == name).values(disabled_at=utc_now()))


WAYS: dict[str, tuple[Callable[[Ctx, str, str, str], None], str]] = {
    "logout": (_revoke_by_logout, "token_revoked"),
    "device_revoked": (_revoke_device, "token_revoked"),
    "new_sign_in_same_device": (_sign_in_again, "token_revoked"),
    "password_changed": (_change_password, "token_revoked"),
    "account_disabled": (_disable, "token_revoked"),
    "account_disabled_tokens_kept": (_disable_only, "account_disabled"),
}


@pytest.mark.parametrize("way", sorted(WAYS))
def test_a_dead_token_is_refused_on_every_route_at_once(ctx: Ctx, way: str) -> None:
    name = _new_city_admin(ctx)
    device = fresh("mx-dev-")
    token = sign_in(ctx.client, name, device)
    bearer = {"Authorization": f"Bearer {token}"}
    assert ctx.client.get("/api/v1/me", headers=bearer).status_code == 200
    kill, code = WAYS[way]
    kill(ctx, name, device, token)
    wrong = _refused_everywhere(ctx, ctx.client, token, code)
    assert not wrong, wrong


def test_an_expired_token_is_refused_on_every_route(ctx: Ctx, settings: Settings) -> None:
    """A second app on the same database whose clock is past the token's lifetime."""
    late = Clock()
    late_app = create_app(settings, clock=late)
    name = _new_city_admin(ctx)
    token = sign_in(ctx.client, name, fresh("mx-dev-"))
    with TestClient(late_app) as late_client:
        bearer = {"Authorization": f"Bearer {token}"}
        # Used every few days (inside the idle time), it lives until its lifetime ends.
        step = min(settings.token_idle_days - 1, settings.token_ttl_days - 1)
        days = 0.0
        while days + step <= settings.token_ttl_days - 1:
            late.advance(days=step)
            days += step
            assert late_client.get("/api/v1/me", headers=bearer).status_code == 200
        late.advance(days=settings.token_ttl_days - 1 - days)
        assert late_client.get("/api/v1/me", headers=bearer).status_code == 200
        late.advance(days=1, hours=1)
        wrong = _refused_everywhere(ctx, late_client, token, "token_expired")
    assert not wrong, wrong
    # The same token still works by the main app's clock: only time decided.
    assert ctx.client.get("/api/v1/me", headers=bearer).status_code == 200

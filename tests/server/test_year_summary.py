"""The year's summary (``GET /api/v1/summary/{code}``) and the Baoshan 2021 history.

On a fresh database (SQLite and PostgreSQL) the example register is imported, then the 2021
history (``resources/sample/baoshan_history_2021.json``) is filed through the real ingest as
the villages' informants and decided through the real review path as the township reviewers.
The city's summary for 2021 is then exactly the bureau's published figures (docs/domain.md
§8); the counties add up to the city and the townships to their county; a pending or returned
correction changes nothing and an approved one changes the total by its difference; loading
again changes nothing; who may read which summary follows the jurisdiction rules.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from sync.contract.register import read_register
from sync.server import cli
from sync.server.app import create_app
from sync.server.db import utc_now
from sync.server.history import load_history, read_history
from sync.server.models import Assignment, Post, PostRole, Role, User
from sync.server.services.accounts import add_user, set_password
from sync.server.services.register import import_register
from tests.server.conftest import BACKENDS, fast_settings, make_db_url
from tests.server.world import PASSWORD, sign_in
from tests.support.places import BAOSHAN, LONGYANG

ROOT = Path(__file__).resolve().parents[2]
HISTORY = ROOT / "resources" / "sample" / "baoshan_history_2021.json"
REGISTER = ROOT / "resources" / "sample" / "baoshan_register_sample.csv"
TENGCHONG = "530581000000"
#: docs/domain.md §8, as the summary names them (hectares and 万元 as numbers).
PUBLISHED = {
    "events": 23,
    "townships_affected": 73,
    "affected_pop": 464_800,
    "deaths": 2,
    "missing": 0,
    "crop_affected_ha": 36_800,
    "crop_failed_ha": 3_500,
    "houses_rooms": 735,
    "direct_loss": 49_000,
}
ADDITIVE = (
    "affected_pop",
    "deaths",
    "missing",
    "crop_affected_ha",
    "crop_damaged_ha",
    "crop_failed_ha",
    "house_collapsed_hh",
    "house_collapsed_rooms",
    "house_damaged_hh",
    "house_damaged_rooms",
    "houses_hh",
    "houses_rooms",
    "direct_loss",
    "townships_affected",
)


class Setup:
    """The loaded server: its app, client, tokens by name, and the history's data."""

    def __init__(self, app: FastAPI, client: TestClient, data: dict[str, Any]) -> None:
        self.app = app
        self.client = client
        self.data = data
        self.tokens: dict[str, str] = {}
        self.load_seconds = 0.0

    def headers(self, username: str) -> dict[str, str]:
        if username not in self.tokens:
            self.tokens[username] = sign_in(self.client, username, f"dev-{username}")
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def summary(self, username: str | None, code: str, year: int = 2021) -> Any:
        headers = self.headers(username) if username else {}
        return self.client.get(f"/api/v1/summary/{code}?year={year}", headers=headers)

    def ok(self, username: str, code: str, year: int = 2021) -> dict[str, Any]:
        r = self.summary(username, code, year)
        assert r.status_code == 200, r.text
        data: dict[str, Any] = r.json()
        return data

    def holder(self, code: str) -> str:
        """Return the username of the active A of the post ``code`` (password set to ours)."""
        with self.app.state.db.writing() as session:
            username = session.execute(
                select(User.username)
                .join(Assignment, Assignment.user_id == User.id)
                .join(Post, Post.id == Assignment.post_id)
                .where(
                    Post.division_code == code,
                    Assignment.valid_to.is_(None),
                    Assignment.post_role == PostRole.A.value,
                )
            ).scalar_one()
            set_password(session, self.app.state.passwords, username, PASSWORD)
        return str(username)


@pytest.fixture(scope="module", params=BACKENDS)
def setup(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Setup]:
    """A fresh server with the register imported and the 2021 history loaded."""
    folder = tmp_path_factory.mktemp(f"summary-{request.param}")
    url, schema = make_db_url(request.param, folder)
    app = create_app(fast_settings(url, folder))
    db = app.state.db
    try:
        with db.writing() as session:
            passwords = app.state.passwords
            add_user(session, passwords, "boss", Role.CITY_ADMIN, BAOSHAN, PASSWORD)
            add_user(session, passwords, "ly_admin", Role.COUNTY_ADMIN, LONGYANG, PASSWORD)
            add_user(session, passwords, "tc_admin", Role.COUNTY_ADMIN, TENGCHONG, PASSWORD)
        imported = import_register(db, None, read_register(REGISTER).entries, False, utc_now())
        assert (imported.applied, imported.refused) == (True, 0)
        data = read_history(HISTORY)
        started = time.perf_counter()
        loaded = load_history(db, data)
        seconds = time.perf_counter() - started
        print(f"\n2021 history on {request.param}: {loaded.to_dict()} in {seconds:.2f} s")
        assert loaded.problems == []
        assert (loaded.accepted, loaded.decided) == (loaded.versions, loaded.decisions)
        with TestClient(app) as client:
            s = Setup(app, client, data)
            s.load_seconds = seconds
            yield s
    finally:
        db.dispose()
        if schema is not None:
            schema.drop()


def headline(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in PUBLISHED}


def test_the_city_summary_of_2021_is_the_published_one(setup: Setup) -> None:
    answer = setup.ok("boss", BAOSHAN)
    assert (answer["code"], answer["level"], answer["year"]) == (BAOSHAN, "city", 2021)
    assert headline(answer["total"]) == PUBLISHED
    assert setup.data["published"]["house_rooms"] == answer["total"]["houses_rooms"]
    # 23 events, each listed once with its name; five counties, one row each.
    assert len(answer["event_rows"]) == 23
    assert len({e["event_name"] for e in answer["event_rows"]}) == 23
    assert all(e["occurred_at"].startswith(("2020-12-31T", "2021-")) for e in answer["event_rows"])
    assert [r["level"] for r in answer["rows"]] == ["county"] * 5
    assert answer["total"]["figures"]["affected_pop"] == 464_800
    # A year without reports is empty, not an error; loading took a few seconds.
    empty = setup.ok("boss", BAOSHAN, 2020)
    assert (empty["total"]["events"], empty["rows"], empty["event_rows"]) == (0, [], [])
    assert setup.load_seconds < 30


def test_counties_add_up_to_the_city_and_townships_to_their_county(setup: Setup) -> None:
    city = setup.ok("boss", BAOSHAN)
    for field in ADDITIVE:
        assert sum(r[field] for r in city["rows"]) == pytest.approx(city["total"][field]), field
    assert sum(r["events"] for r in city["rows"]) >= city["total"]["events"]
    for row in city["rows"]:
        county = setup.ok("boss", row["code"])
        assert county["total"] == row, "the county's own summary is its row in the city's"
        assert {r["level"] for r in county["rows"]} == {"township"}
        for field in ADDITIVE:
            total = sum(r[field] for r in county["rows"])
            assert total == pytest.approx(county["total"][field]), (row["code"], field)
    # The county admin reads the same as the city for its county.
    longyang = setup.ok("ly_admin", LONGYANG)
    assert longyang["total"] == next(r for r in city["rows"] if r["code"] == LONGYANG)
    township = longyang["rows"][0]
    own = setup.ok("ly_admin", township["code"])
    assert own["total"] == township and {r["level"] for r in own["rows"]} == {"village"}


def test_who_may_read_which_summary(setup: Setup) -> None:
    version = setup.data["versions"][0]
    village = version["content"]["village_code"]
    township = village[:9] + "000"
    county = village[:6] + "000000"
    informant = setup.holder(village)
    reviewer = setup.holder(township)
    other_township = next(
        v["content"]["village_code"][:9] + "000"
        for v in setup.data["versions"]
        if v["content"]["village_code"][:9] + "000" != township
    )
    anonymous = setup.summary(None, BAOSHAN)
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "not_authenticated"

    def status(user: str, code: str) -> int:
        r = setup.summary(user, code)
        if r.status_code == 404:
            assert r.json()["error"]["code"] == "not_found"
        return int(r.status_code)

    # A village informant reads no summary, not even of its own township or village.
    assert [status(informant, c) for c in (village, township, county, BAOSHAN)] == [404] * 4
    # A township reviewer reads its own township only.
    assert status(reviewer, township) == 200
    assert [status(reviewer, c) for c in (other_township, county, BAOSHAN, village)] == [404] * 4
    mine = setup.ok(reviewer, township)
    assert {r["code"][:9] for r in mine["rows"]} == {township[:9]}
    # A county admin: its county and its townships; not the city, not another county.
    assert status("tc_admin", TENGCHONG) == 200
    assert [status("tc_admin", c) for c in (BAOSHAN, LONGYANG, "530502208000")] == [404] * 3
    # The city admin: any unit of the city, but no village, unknown or malformed code.
    assert status("boss", township) == 200
    assert [status("boss", c) for c in (village, "530599000000", "53x")] == [404] * 3
    assert setup.summary("boss", BAOSHAN, year=1066).status_code == 422


def test_loading_again_changes_nothing(setup: Setup) -> None:
    before = setup.ok("boss", BAOSHAN)
    again = load_history(setup.app.state.db, setup.data)
    assert again.problems == []
    assert (again.accepted, again.decided) == (0, 0)
    assert (again.duplicate, again.decisions_duplicate) == (again.versions, again.decisions)
    assert setup.ok("boss", BAOSHAN) == before


def test_a_correction_counts_only_once_approved(setup: Setup) -> None:
    """Pending and returned corrections change nothing; an approved one replaces the figures."""
    before = setup.ok("boss", BAOSHAN)["total"]
    # The latest approved version of a village that filed one report only.
    counted: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for v in setup.data["versions"]:
        c = v["content"]
        counted.setdefault((c["event_uuid"], c["village_code"]), []).append(v)
    target = next(vs[0] for vs in counted.values() if len(vs) == 1)
    content = target["content"]
    village, township = content["village_code"], content["village_code"][:9] + "000"
    informant, reviewer = setup.holder(village), setup.holder(township)

    def push(version_uuid: str, parent: str, number: int, affected: int) -> None:
        body = {
            **content,
            "figures": {**content["figures"], "affected_pop": affected},
            "narrative": content["narrative"] + "（更正）",
        }
        r = setup.client.post(
            "/api/v1/reports/batch",
            headers=setup.headers(informant),
            json={
                "protocol_version": 1,
                "device_id": f"dev-{informant}",
                "device_time": None,
                "items": [
                    {
                        "version_uuid": version_uuid,
                        "parent_version_uuid": parent,
                        "version_no": number,
                        "content": body,
                    }
                ],
            },
        )
        assert r.json()["results"][0]["status"] == "accepted", r.text

    def decide(version_uuid: str, decision: str, reason: str = "") -> None:
        r = setup.client.post(
            "/api/v1/decisions/batch",
            headers=setup.headers(reviewer),
            json={
                "protocol_version": 1,
                "device_id": f"dev-{reviewer}",
                "device_time": None,
                "items": [
                    {
                        "decision_uuid": f"d-{version_uuid}",
                        "version_uuid": version_uuid,
                        "decision": decision,
                        "reason": reason,
                    }
                ],
            },
        )
        assert r.json()["results"][0]["status"] == "accepted", r.text

    old = content["figures"]["affected_pop"]
    push("fix-1", target["version_uuid"], 2, old + 500)
    assert setup.ok("boss", BAOSHAN)["total"] == before, "a pending correction changes nothing"
    decide("fix-1", "return", "请核实受灾人口")
    assert setup.ok("boss", BAOSHAN)["total"] == before, "a returned correction changes nothing"
    push("fix-2", "fix-1", 3, old + 7)
    decide("fix-2", "approve")
    after = setup.ok("boss", BAOSHAN)["total"]
    assert after["affected_pop"] == before["affected_pop"] + 7
    assert {k: v for k, v in after.items() if k not in ("affected_pop", "figures")} == {
        k: v for k, v in before.items() if k not in ("affected_pop", "figures")
    }


def test_the_command_line_refuses_what_is_not_a_history(setup: Setup, tmp_path: Path) -> None:
    url = str(setup.app.state.settings.database_url)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "something else"}), encoding="utf-8")
    assert cli.main(["--db", url, "history", "load", str(bad)]) == 2
    assert cli.main(["--db", url, "history", "load", str(tmp_path / "none.json")]) == 2
    assert cli.main(["--db", url, "history", "load", str(HISTORY)]) == 0  # all duplicates

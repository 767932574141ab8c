"""From village to city on the real city server, through the app's ``SyncClient``.

Villages in two townships of 隆阳区 file (瓦房社区 and 水沟洼村 of 瓦房彝族苗族乡, 莫卡社区 of
潞江镇); each township approves and submits its report; the county passes 瓦房 and returns 潞江
with a reason, which reaches 潞江's reviewer through the change feed; 莫卡社区 files a
correction, 潞江镇 approves it and submits again, and the county passes it; the county submits
its report, the city passes it and submits its own.  Every level's total is checked against
the village figures.  The extra accounts come from ``city-server user add`` and ``roster assign``.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sync.client.api import ClientError, SyncClient
from sync.contract.wire.feed import UnitDecisionChange
from tests.server.factories import content, item
from tests.support.city_server import CityServer
from tests.support.places import BAOSHAN, LONGYANG, LUJIANG, SHUIGOU, WAFANG, WAFANG_TOWNSHIP
from tests.support.places import XINZHAI as MOKA

EVENT_NAME = "2026年7月1日隆阳区洪涝"
W = {"affected_pop": 120, "house_collapsed_hh": 2, "house_collapsed_rooms": 6, "direct_loss": 150.5}
S = {"affected_pop": 30, "crop_affected_ha": 1.05, "direct_loss": 10.01}
X = {"affected_pop": 45, "crop_affected_ha": 2.1, "direct_loss": 12}
X2 = {"affected_pop": 52, "crop_affected_ha": 2.1, "direct_loss": 13.5}  # 莫卡社区's correction


def new_id() -> str:
    return str(uuid.uuid4())


def dec(figures: Any) -> dict[str, Decimal]:
    return {k: Decimal(str(v)) for k, v in dict(figures).items() if Decimal(str(v))}


def added(*many: dict[str, Any]) -> dict[str, Decimal]:
    total: dict[str, Decimal] = {}
    for figures in many:
        for k, v in figures.items():
            total[k] = total.get(k, Decimal(0)) + Decimal(str(v))
    return {k: v for k, v in total.items() if v}


class People:
    """Signed-in clients of one city server, one per account."""

    def __init__(self, city: CityServer, passwords: dict[str, str]) -> None:
        self.city = city
        self.passwords = passwords
        self.clients: dict[str, SyncClient] = {}

    def __getitem__(self, username: str) -> SyncClient:
        if username not in self.clients:
            client = SyncClient(self.city.url, device_id=f"dev-{username}")
            password = self.passwords.get(username) or self.city.password(username)
            client.login(username, password, device_name=username)
            self.clients[username] = client
        return self.clients[username]

    def close(self) -> None:
        for client in self.clients.values():
            client.close()


def file(people: People, user: str, village: str, event: str, figures: dict[str, Any]) -> Any:
    """``user`` files an initial report of ``event`` for ``village``; return the version item."""
    body = content(
        village,
        event_uuid=event,
        event_name=EVENT_NAME,
        figures=figures,
        occurred_at="2026-07-01T05:30:00+08:00",
        data_cutoff_at="2026-07-01T07:00:00+08:00",
        submitted_at="2026-07-01T07:20:00+08:00",
    )
    version = item(body)
    [result] = people[user].push_batch([version], datetime.now(UTC)).results
    assert result.status == "accepted", result
    return version


def approve(people: People, reviewer: str, *version_uuids: str) -> None:
    items = [
        {"decision_uuid": new_id(), "version_uuid": v, "decision": "approve"} for v in version_uuids
    ]
    results = people[reviewer].push_decisions(items, datetime.now(UTC)).results
    assert [r.status for r in results] == ["accepted"] * len(items), results


def township_submits(people: People, reviewer: str, township: str, event: str) -> Any:
    """The township's reviewer submits the server's total; return the stored report."""
    client = people[reviewer]
    live = client.township_report(township, event, "initial")
    assert live.check.ok
    result = client.submit_township_report(
        township, event, "initial", submission_uuid=new_id(), figures=live.total
    )
    assert result.status == "accepted"
    return result.report


def test_villages_to_city_every_level_adds_up(tmp_path: Path) -> None:
    with CityServer(tmp_path / "city") as city:
        passwords = {"moka_a": secrets.token_urlsafe(16), "lujiang_rev": secrets.token_urlsafe(16)}
        for username, role, code in (
            ("moka_a", "village_informant", MOKA),
            ("lujiang_rev", "township_reviewer", LUJIANG),
        ):
            city.cli(
                "user",
                "add",
                username,
                "--role",
                role,
                "--jurisdiction",
                code,
                "--password-stdin",
                stdin=passwords[username] + "\n",
            )
        city.cli("roster", "assign", "moka_a", "--post", MOKA, "--role", "A")
        people = People(city, passwords)
        try:
            run_chain(people)
        finally:
            people.close()


def run_chain(people: People) -> None:
    event = new_id()
    county, city = people["longyang_admin"], people["baoshan_city"]
    _, lujiang_cursor = _pull(people["lujiang_rev"], None)

    # Villages file; each township approves its villages and submits the sum.
    w = file(people, "wafang_a", WAFANG, event, W)
    s = file(people, "shuigou_a", SHUIGOU, event, S)
    x = file(people, "moka_a", MOKA, event, X)
    approve(people, "wafang_reviewer", w["version_uuid"], s["version_uuid"])
    approve(people, "lujiang_rev", x["version_uuid"])
    wafang = township_submits(people, "wafang_reviewer", WAFANG_TOWNSHIP, event)
    lujiang = township_submits(people, "lujiang_rev", LUJIANG, event)
    assert dec(wafang.figures) == added(W, S)
    assert dec(lujiang.figures) == dec(X)

    # The county sees both waiting, passes 瓦房 and returns 潞江 with its reason.
    live = county.unit_report(LONGYANG, event, "initial")
    assert [r.submission_uuid for r in live.waiting] == [
        wafang.submission_uuid,
        lujiang.submission_uuid,
    ]
    assert live.rows == [] and live.event_name == EVENT_NAME
    county.decide_unit_submission(
        LONGYANG,
        event,
        "initial",
        decision_uuid=new_id(),
        submission_uuid=wafang.submission_uuid,
        decision="pass",
    )
    with pytest.raises(ClientError) as refused:
        county.decide_unit_submission(
            LONGYANG,
            event,
            "initial",
            decision_uuid=new_id(),
            submission_uuid=lujiang.submission_uuid,
            decision="return",
        )
    assert refused.value.code == "reason_required"
    reason = "莫卡社区受灾人口与村委会台账不符，请核实后重报"
    returned = county.decide_unit_submission(
        LONGYANG,
        event,
        "initial",
        decision_uuid=new_id(),
        submission_uuid=lujiang.submission_uuid,
        decision="return",
        reason=reason,
    )
    assert returned.decision.decided_by == "longyang_admin"
    live = county.unit_report(LONGYANG, event, "initial")
    assert [r.unit_code for r in live.rows] == [WAFANG_TOWNSHIP]
    assert dec(live.total) == added(W, S)

    # The return reaches 潞江镇's reviewer on its next pull of the change feed.
    changes, _ = _pull(people["lujiang_rev"], lujiang_cursor)
    [back] = [c for c in changes if isinstance(c, UnitDecisionChange)]
    assert (back.submission_uuid, back.decision, back.reason) == (
        lujiang.submission_uuid,
        "return",
        reason,
    )

    # ...and its live township report says so, with the reason, to the township's app.
    seen = people["lujiang_rev"].township_report(LUJIANG, event, "initial").submission
    assert seen is not None
    assert (seen.county_decision, seen.county_reason) == ("return", reason)

    # 莫卡社区 corrects its report; 潞江镇 approves the correction and submits again.
    x2 = item(dict(x["content"], figures=X2), parent=x["version_uuid"], version_no=2)
    [result] = people["moka_a"].push_batch([x2], datetime.now(UTC)).results
    assert result.status == "accepted", result
    approve(people, "lujiang_rev", x2["version_uuid"])
    lujiang2 = township_submits(people, "lujiang_rev", LUJIANG, event)
    assert dec(lujiang2.figures) == dec(X2)
    county.decide_unit_submission(
        LONGYANG,
        event,
        "initial",
        decision_uuid=new_id(),
        submission_uuid=lujiang2.submission_uuid,
        decision="pass",
    )

    # The county report adds up both townships, i.e. every village; the county submits it.
    villages = added(W, S, X2)
    live = county.unit_report(LONGYANG, event, "initial")
    assert {r.unit_code: r.submission_uuid for r in live.rows} == {
        LUJIANG: lujiang2.submission_uuid,
        WAFANG_TOWNSHIP: wafang.submission_uuid,
    }
    assert dec(live.total) == villages and live.check.ok and live.waiting == []
    sent = county.submit_unit_report(
        LONGYANG, event, "initial", submission_uuid=new_id(), figures=live.total
    )
    assert sent.status == "accepted" and sent.report.status == "submitted"
    assert dec(sent.report.figures) == villages

    # The city passes the county report; its own report adds up to the villages; final.
    town = city.unit_report(BAOSHAN, event, "initial")
    assert [r.submission_uuid for r in town.waiting] == [sent.report.submission_uuid]
    city.decide_unit_submission(
        BAOSHAN,
        event,
        "initial",
        decision_uuid=new_id(),
        submission_uuid=sent.report.submission_uuid,
        decision="pass",
    )
    town = city.unit_report(BAOSHAN, event, "initial")
    assert [r.unit_code for r in town.rows] == [LONGYANG]
    assert dec(town.total) == villages
    final = city.submit_unit_report(
        BAOSHAN, event, "initial", submission_uuid=new_id(), figures=town.total
    )
    assert final.report.status == "final" and dec(final.report.figures) == villages
    own = county.unit_report(LONGYANG, event, "initial").submission
    assert own is not None and own.status == "passed"


def _pull(client: SyncClient, cursor: str | None) -> tuple[list[Any], str]:
    """Pull every change after ``cursor``; return them and the new cursor."""
    changes: list[Any] = []
    while True:
        page = client.changes(cursor)
        changes += page.changes
        cursor = page.cursor
        if not page.has_more:
            return changes, cursor

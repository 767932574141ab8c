"""A off duty: absences by the A and by the township, handovers and their open items, sign-off.

Times run on a clock the test moves (``create_app(settings, clock=…)``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.server.duty_steps import Clock, absence, get, iso, open_event, post, push_now, timed_item
from tests.server.factories import SHUIGOU, WAFANG, WAFANG_TOWNSHIP, decision, new_id
from tests.server.steps import decide, pull_all
from tests.server.world import World
from tests.support.places import DANGXI

#: The app of this module runs on its ``clock`` fixture (``tests/server/conftest.py``).
USES_CLOCK = True


@pytest.fixture(scope="module")
def open_work(client: TestClient, world: World, clock: Clock) -> dict[str, Any]:
    """瓦房社区 has a returned report and an open event when wafang_a goes on leave."""
    event = open_event(client, world, [WAFANG])["opening"]
    clock.advance(minutes=2)
    version = timed_item(clock, WAFANG, event["event_uuid"])
    assert push_now(client, world, clock, [version], "wafang_a")[0]["status"] == "accepted"
    assert (
        decide(client, world, [decision(version["version_uuid"], "return", "请核实")])[0]["status"]
        == "accepted"
    )
    return {"event": event, "version": version}


def test_a_marks_themselves_off_duty(
    client: TestClient, world: World, clock: Clock, open_work: dict[str, Any]
) -> None:
    cursor = pull_all(client, world, "wafang_b")[1]
    unsent = [{"report_uuid": "r-unsent", "event_name": "未发送"}]
    starts, ends = clock.now, clock.now + timedelta(days=2)
    body = {
        "absence_uuid": new_id(),
        "post_code": WAFANG,
        "starts_at": iso(starts),
        "ends_at": iso(ends),
        "kind": "leave",
        "reason": "到县里培训",
        "open_items": {"unsent_reports": unsent},
    }
    done = post(client, world, "wafang_a", "/api/v1/absences", body)
    assert done["status"] == "accepted"
    assert done["absence"]["username"] == "wafang_a" and done["absence"]["kind"] == "leave"
    assert done["absence"]["created_by"] == "wafang_a" and done["absence"]["ended_at"] is None
    handover = done["handover"]
    assert (handover["kind"], handover["from_username"], handover["to_username"]) == (
        "absence",
        "wafang_a",
        "wafang_b",
    )
    assert handover["reason"] == "到县里培训"
    items = handover["open_items"]
    assert items["unsent_reports"] == unsent
    assert items["returned_reports"] == [
        {
            "report_uuid": open_work["version"]["content"]["report_uuid"],
            "version_uuid": open_work["version"]["version_uuid"],
            "event_name": "20240701隆阳区洪涝",
            "stage": "initial",
        }
    ]
    assert items["open_events"] == [
        {
            "event_uuid": open_work["event"]["event_uuid"],
            "event_name": open_work["event"]["event_name"],
        }
    ]
    # The same request again (a lost answer): nothing new.
    again = post(client, world, "wafang_a", "/api/v1/absences", body)
    assert again["status"] == "duplicate"
    assert again["handover"]["handover_uuid"] == handover["handover_uuid"]
    error = post(client, world, "wafang_a", "/api/v1/absences", {**body, "reason": "别的"}, 409)[
        "error"
    ]
    assert error["code"] == "id_reused" and error["zh"] and error["en"]
    # B is on duty now, acting for A.
    roster = get(client, world, "wafang_b", "/api/v1/roster")["posts"][0]
    assert roster["on_duty"]["username"] == "wafang_b"
    assert roster["on_duty"]["acting_for"] == "wafang_a"
    assert roster["on_duty"]["acting_for_name"] == "瓦房社区信息员A"
    assert roster["on_duty"]["absence_uuid"] == body["absence_uuid"]
    assert [a["absence_uuid"] for a in roster["absences"]] == [body["absence_uuid"]]
    # The township's completeness panel names B as the one to call.
    panel = get(
        client,
        world,
        "wafang_reviewer",
        f"/api/v1/townships/{WAFANG_TOWNSHIP}/completeness",
        event_uuid=new_id(),
    )
    duty = {v["village_code"]: v["on_duty"] for v in panel["villages"]}
    assert duty[WAFANG] == {
        "username": "wafang_b",
        "display_name": "瓦房社区信息员B",
        "phone": "13808752012",
        "post_role": "B",
    }
    changes = pull_all(client, world, "wafang_b", cursor)[0]
    assert [c["kind"] for c in changes] == ["absence", "handover"]
    assert changes[0]["absence_kind"] == "leave" and changes[0]["username"] == "wafang_a"
    assert changes[0]["created_by_name"] == "瓦房社区信息员A"
    assert changes[1]["handover_kind"] == "absence"
    assert changes[1]["open_items"]["unsent_reports"] == unsent


def test_overlaps_and_bad_periods_are_refused(
    client: TestClient, world: World, clock: Clock
) -> None:
    now = clock.now
    error = absence(
        client,
        world,
        "wafang_reviewer",
        WAFANG,
        now + timedelta(days=1),
        now + timedelta(days=3),
        409,
    )["error"]
    assert error["code"] == "absence_overlaps" and error["absence_uuid"]
    for starts, ends, code in [
        (now + timedelta(days=5), now + timedelta(days=5), "bad_period"),
        (now + timedelta(days=5), now + timedelta(days=96), "bad_period"),
        (now - timedelta(days=2), now + timedelta(days=1), "bad_period"),
    ]:
        error = absence(client, world, "wafang_reviewer", WAFANG, starts, ends, 422)["error"]
        assert error["code"] == code and error["zh"] and error["en"]
    error = absence(
        client,
        world,
        "wafang_reviewer",
        WAFANG,
        now + timedelta(days=5),
        now + timedelta(days=6),
        422,
        reason="  ",
    )["error"]
    assert error["code"] == "reason_required"
    # Back to back is not an overlap.
    done = absence(
        client, world, "wafang_reviewer", WAFANG, now + timedelta(days=2), now + timedelta(days=4)
    )
    assert done["absence"]["created_by"] == "wafang_reviewer"


@pytest.mark.parametrize(
    ("user", "status"),
    [("wafang_b", 403), ("shuigou_a", 404), ("lujiang_reviewer", 404), ("longyang_admin", 403)],
)
def test_who_may_mark_a_off_duty(
    client: TestClient, world: World, clock: Clock, user: str, status: int
) -> None:
    starts = clock.now + timedelta(days=20)
    absence(client, world, user, WAFANG, starts, starts + timedelta(days=1), status)


def test_sign_off(client: TestClient, world: World) -> None:
    history = get(client, world, "wafang_reviewer", "/api/v1/roster/history", post=WAFANG)
    handover = history["handovers"][0]["handover_uuid"]
    path = f"/api/v1/handovers/{handover}/sign-off"
    assert post(client, world, "wafang_a", path, {"note": "x"}, 403)["error"]["code"] == "forbidden"
    post(client, world, "lujiang_reviewer", path, {}, 404)
    post(client, world, "wafang_reviewer", "/api/v1/handovers/nope/sign-off", {}, 404)
    done = post(client, world, "wafang_reviewer", path, {"note": "已核对交接事项"})
    assert done["status"] == "accepted"
    assert done["handover"]["signed_off_by"] == "wafang_reviewer"
    assert done["handover"]["signed_off_name"] == "瓦房乡应急办"
    assert done["handover"]["sign_off_note"] == "已核对交接事项"
    again = post(client, world, "wafang_reviewer", path, {"note": "别的"})
    assert again["status"] == "duplicate"
    assert again["handover"]["signed_off_at"] == done["handover"]["signed_off_at"]
    assert again["handover"]["sign_off_note"] == "已核对交接事项"


def test_a_comes_back(client: TestClient, world: World, clock: Clock) -> None:
    clock.advance(hours=3)
    roster = get(client, world, "wafang_a", "/api/v1/roster")["posts"][0]
    current = next(a for a in roster["absences"] if a["starts_at"] <= iso(clock.now))
    path = f"/api/v1/absences/{current['absence_uuid']}/end"
    post(client, world, "wafang_b", path, {}, 403)
    post(client, world, "shuigou_a", path, {}, 404)
    done = post(client, world, "wafang_a", path, {})
    assert done["status"] == "accepted"
    assert done["absence"]["ended_at"].startswith(iso(clock.now)[:19])
    assert post(client, world, "wafang_a", path)["status"] == "unchanged"
    roster = get(client, world, "wafang_a", "/api/v1/roster")["posts"][0]
    assert roster["on_duty"]["username"] == "wafang_a"
    assert roster["on_duty"]["acting_for"] is None
    # The absence planned for later is still listed.
    assert len(roster["absences"]) == 1 and roster["absences"][0]["created_by"] == "wafang_reviewer"


def test_the_township_marks_an_a_and_unsent_is_not_theirs_to_tell(
    client: TestClient, world: World, clock: Clock
) -> None:
    done = absence(
        client,
        world,
        "wafang_reviewer",
        SHUIGOU,
        clock.now,
        clock.now + timedelta(hours=8),
        kind="unreachable",
        open_items={"unsent_reports": [{"report_uuid": "x"}]},
    )
    assert done["absence"]["kind"] == "unreachable"
    assert done["handover"]["to_username"] == "shuigou_b"
    assert done["handover"]["open_items"] == {
        "unsent_reports": None,
        "returned_reports": [],
        "open_events": [],
    }


def test_an_a_without_b_leaves_the_post_uncovered(
    client: TestClient, world: World, clock: Clock
) -> None:
    done = absence(
        client, world, "dangxi_a", DANGXI, clock.now, clock.now + timedelta(days=1), kind="away"
    )
    assert done["handover"]["to_username"] is None
    assert done["handover"]["to_name"] is None
    mine = get(client, world, "dangxi_a", "/api/v1/duty")["alerts"]
    assert [(a["kind"], a["post_code"], a["a_away"]) for a in mine] == [("uncovered", DANGXI, True)]
    assert "无人值守" in mine[0]["zh"] and "nobody is on duty" in mine[0]["en"]
    township = get(client, world, "wafang_reviewer", "/api/v1/duty")["alerts"]
    assert ("uncovered", DANGXI) in {(a["kind"], a["post_code"]) for a in township}
    roster = get(client, world, "wafang_reviewer", "/api/v1/roster", under=DANGXI)["posts"][0]
    assert roster["on_duty"]["username"] is None
    assert roster["on_duty"]["acting_for"] is None


def test_an_a_who_leaves_the_post_ends_their_absences(
    client: TestClient, world: World, clock: Clock
) -> None:
    clock.advance(minutes=1)
    roster = get(client, world, "wafang_reviewer", "/api/v1/roster", under=DANGXI)["posts"][0]
    a = roster["holders"][0]["assignment_id"]
    cursor = pull_all(client, world, "wafang_reviewer")[1]
    post(
        client, world, "wafang_reviewer", f"/api/v1/roster/assignments/{a}/end", {"reason": "离任"}
    )
    changes = pull_all(client, world, "wafang_reviewer", cursor)[0]
    assert [c["kind"] for c in changes] == ["roster", "absence"]
    assert changes[1]["ended_at"] is not None
    roster = get(client, world, "wafang_reviewer", "/api/v1/roster", under=DANGXI)["posts"][0]
    assert roster["holders"] == [] and roster["absences"] == []
    error = absence(
        client, world, "wafang_reviewer", DANGXI, clock.now, clock.now + timedelta(days=1), 409
    )["error"]
    assert error["code"] == "no_a_on_post"

"""The filing role of each stored version: A, B acting for an away A, or B while A was on duty.

Decided at ingest from the roster and absences at the filing moment (the device's
``submitted_at`` corrected by its clock skew, never later than the receipt), and shown in the
report reads, the change feed and the review history.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from sync.server.models import PostRole, Role
from sync.server.services.accounts import add_user, assign
from tests.server.duty_steps import Clock, absence, get, post, push_now, timed_item
from tests.server.factories import WAFANG, WAFANG_TOWNSHIP, new_id
from tests.server.steps import pull_all
from tests.server.world import PASSWORD, World

#: The app of this module runs on its ``clock`` fixture (``tests/server/conftest.py``).
USES_CLOCK = True


def _file(
    client: TestClient,
    world: World,
    clock: Clock,
    user: str,
    filed_ago: timedelta = timedelta(minutes=1),
) -> dict[str, Any]:
    version = timed_item(clock, WAFANG, new_id(), filed_ago=filed_ago)
    assert push_now(client, world, clock, [version], user)[0]["status"] == "accepted"
    report = get(
        client, world, "wafang_reviewer", f"/api/v1/reports/{version['content']['report_uuid']}"
    )
    found: dict[str, Any] = report["versions"][0]
    return found


def test_the_a_files_as_a(client: TestClient, world: World, clock: Clock) -> None:
    version = _file(client, world, clock, "wafang_a")
    assert (version["filing_role"], version["acting_for_name"]) == ("A", None)


def test_b_while_a_is_on_duty_is_flagged(client: TestClient, world: World, clock: Clock) -> None:
    version = _file(client, world, clock, "wafang_b")
    assert (version["filing_role"], version["acting_for_name"]) == ("B_while_A_on_duty", None)


def test_b_acts_for_an_a_on_leave_everywhere_it_shows(
    client: TestClient, world: World, clock: Clock
) -> None:
    cursor = pull_all(client, world, "wafang_reviewer")[1]
    away = absence(client, world, "wafang_a", WAFANG, clock.now, clock.now + timedelta(hours=2))
    clock.advance(minutes=10)
    version = _file(client, world, clock, "wafang_b")
    assert (version["filing_role"], version["acting_for_name"]) == ("B_acting", "瓦房社区信息员A")
    # The A files as A even while away.
    assert _file(client, world, clock, "wafang_a")["filing_role"] == "A"
    history = get(
        client, world, "wafang_reviewer", f"/api/v1/reports/{version['report_uuid']}/history"
    )["events"]
    assert [(e["kind"], e["filing_role"], e["acting_for_name"]) for e in history] == [
        ("received", "B_acting", "瓦房社区信息员A")
    ]
    changes = [
        c
        for c in pull_all(client, world, "wafang_reviewer", cursor)[0]
        if c["kind"] == "report_version"
    ]
    assert [(c["submitted_by"], c["filing_role"], c["acting_for_name"]) for c in changes] == [
        ("wafang_b", "B_acting", "瓦房社区信息员A"),
        ("wafang_a", "A", None),
    ]
    listing = get(client, world, "wafang_reviewer", "/api/v1/reports", under=WAFANG, limit="1000")
    assert listing["reports"]
    # A is back; a report B wrote while A was away and sends now still counts as acting.
    post(client, world, "wafang_a", f"/api/v1/absences/{away['absence']['absence_uuid']}/end")
    clock.advance(minutes=30)
    late = _file(client, world, clock, "wafang_b", filed_ago=timedelta(minutes=35))
    assert late["filing_role"] == "B_acting"
    assert _file(client, world, clock, "wafang_b")["filing_role"] == "B_while_A_on_duty"


def test_a_skewed_device_is_judged_by_the_corrected_moment(
    client: TestClient, world: World, clock: Clock
) -> None:
    absence(
        client,
        world,
        "wafang_reviewer",
        WAFANG,
        clock.now + timedelta(minutes=30),
        clock.now + timedelta(hours=3),
    )
    clock.advance(minutes=40)
    # B's clock runs an hour slow: its submitted_at reads 61 minutes ago, before A left;
    # corrected by the skew, B filed a minute ago, while A was away.
    skew = -timedelta(hours=1)
    version = timed_item(clock, WAFANG, new_id(), filed_ago=timedelta(minutes=1) - skew)
    assert push_now(client, world, clock, [version], "wafang_b", skew)[0]["status"] == "accepted"
    report = get(
        client, world, "wafang_reviewer", f"/api/v1/reports/{version['content']['report_uuid']}"
    )
    assert report["versions"][0]["filing_role"] == "B_acting"


def test_a_post_without_an_a_makes_b_acting(client: TestClient, world: World, clock: Clock) -> None:
    village = "530502208209"  # 白龙井社区: only a B
    with world.app.state.db.writing() as session:
        add_user(
            session,
            world.app.state.passwords,
            "bailong_b",
            Role.VILLAGE_INFORMANT,
            village,
            PASSWORD,
        )
        assign(session, "bailong_b", village, PostRole.B)
    version = timed_item(clock, village, new_id())
    assert push_now(client, world, clock, [version], "bailong_b")[0]["status"] == "accepted"
    report = get(
        client, world, "wafang_reviewer", f"/api/v1/reports/{version['content']['report_uuid']}"
    )
    assert (report["versions"][0]["filing_role"], report["versions"][0]["acting_for_name"]) == (
        "B_acting",
        None,
    )


def test_a_batch_reads_the_roster_once(client: TestClient, world: World, clock: Clock) -> None:
    """The number of statements of a batch does not grow with its items (no query storm)."""
    villages = ["530502208210", "530502208211", "530502208212"]
    with world.app.state.db.writing() as session:
        add_user(
            session,
            world.app.state.passwords,
            "multi_village",
            Role.VILLAGE_INFORMANT,
            WAFANG_TOWNSHIP,
            PASSWORD,
        )
        for village in villages:
            assign(session, "multi_village", village, PostRole.A)
    clock.advance(minutes=1)
    engine = world.app.state.db.engine
    counts = []
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    for size in (6, 120):
        statements.clear()
        items = [timed_item(clock, villages[i % 3], new_id()) for i in range(size)]
        world.token(client, "multi_village")  # sign in outside the count
        # …and use the token once, so its last use (the idle time) is not written in the count.
        assert client.get("/api/v1/me", headers=world.headers(client, "multi_village")).is_success
        event.listen(engine, "before_cursor_execute", count)
        try:
            results = push_now(client, world, clock, items, "multi_village")
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert {r["status"] for r in results} == {"accepted"}
        counts.append(len(statements))
    # The same statements for 6 and 120 items, but for the quota's byte sum: read only when
    # the batch could reach the byte quota (120 versions of the largest size could, 6 not).
    assert 0 <= counts[1] - counts[0] <= 1, counts
    report = get(
        client, world, "wafang_reviewer", f"/api/v1/reports/{items[-1]['content']['report_uuid']}"
    )
    assert report["versions"][0]["filing_role"] == "A"

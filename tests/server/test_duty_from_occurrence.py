"""Village deadlines count from the event's occurrence (docs/duty.md, issue 16).

A village's initial report is due ``initial_minutes`` after the event occurred, never sooner
than ``OPENING_GRACE_MINUTES`` (10) after the township opened it for the village; an event
whose occurrence is unknown keeps counting from the opening.  The occurrence is the events
registry's (a village's first report may have named it), else the one given at the opening.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.server.duty_steps import (
    Clock,
    get,
    iso,
    open_event,
    push_now,
    timed_item,
    village_of,
)
from tests.server.factories import SHUIGOU, WAFANG, new_id
from tests.server.steps import pull_all
from tests.server.world import World

DUTY = "/api/v1/duty"

#: The app of this module runs on its ``clock`` fixture (``tests/server/conftest.py``).
USES_CLOCK = True


def _at(window: dict[str, Any], key: str) -> datetime:
    return datetime.fromisoformat(window[key])


def _mine(answer: dict[str, Any], event_uuid: str) -> list[tuple[str, str]]:
    """Return ``(kind, post_code)`` of the village alerts on one event."""
    return [
        (a["kind"], a["post_code"])
        for a in answer["alerts"]
        if a.get("level", "village") == "village" and a.get("event_uuid") == event_uuid
    ]


def test_an_event_that_occurred_50_minutes_before_its_opening(
    client: TestClient, world: World, clock: Clock
) -> None:
    uuid = new_id()
    occurred = clock.advance(minutes=1) - timedelta(minutes=50)
    opening = open_event(client, world, [WAFANG], event_uuid=uuid, occurred_at=iso(occurred))[
        "opening"
    ]
    opened = datetime.fromisoformat(opening["opened_at"])
    assert datetime.fromisoformat(opening["occurred_at"]) == occurred
    assert opened == clock.now

    # A minute after the opening: half the hour since the occurrence is gone, B is alerted.
    clock.jump_to(opened + timedelta(minutes=1))
    township = get(client, world, "wafang_reviewer", DUTY)
    wafang = village_of(township, uuid, WAFANG)
    assert wafang["status"] == "escalated"
    [window] = wafang["windows"]
    assert _at(window, "starts_at") == occurred
    assert _at(window, "escalate_at") == occurred + timedelta(minutes=30)
    assert _at(window, "due_at") == occurred + timedelta(hours=1) == opened + timedelta(minutes=10)
    assert ("escalated", WAFANG) in _mine(township, uuid)
    assert _mine(get(client, world, "wafang_b", DUTY), uuid) == [("escalated", WAFANG)]

    # Ten minutes after the opening it is overdue.
    clock.jump_to(opened + timedelta(minutes=10))
    wafang = village_of(get(client, world, "wafang_reviewer", DUTY), uuid, WAFANG)
    assert wafang["status"] == "overdue"
    assert _mine(get(client, world, "wafang_b", DUTY), uuid) == [("overdue", WAFANG)]


def test_a_late_opening_still_leaves_the_grace(
    client: TestClient, world: World, clock: Clock
) -> None:
    uuid = new_id()
    occurred = clock.advance(minutes=1) - timedelta(hours=3)
    opening = open_event(client, world, [WAFANG], event_uuid=uuid, occurred_at=iso(occurred))[
        "opening"
    ]
    opened = datetime.fromisoformat(opening["opened_at"])
    clock.jump_to(opened + timedelta(minutes=9))
    wafang = village_of(get(client, world, "wafang_reviewer", DUTY), uuid, WAFANG)
    assert wafang["status"] == "escalated"  # not overdue: it was opened only 9 minutes ago
    [window] = wafang["windows"]
    assert _at(window, "starts_at") == occurred
    assert _at(window, "due_at") == opened + timedelta(minutes=10)
    clock.jump_to(opened + timedelta(minutes=10))
    wafang = village_of(get(client, world, "wafang_reviewer", DUTY), uuid, WAFANG)
    assert wafang["status"] == "overdue"


def test_an_event_without_occurrence_counts_from_the_opening(
    client: TestClient, world: World, clock: Clock
) -> None:
    uuid = new_id()
    clock.advance(minutes=1)
    opening = open_event(client, world, [WAFANG], event_uuid=uuid)["opening"]
    assert opening["occurred_at"] is None
    opened = datetime.fromisoformat(opening["opened_at"])
    clock.jump_to(opened + timedelta(minutes=29))
    wafang = village_of(get(client, world, "wafang_reviewer", DUTY), uuid, WAFANG)
    assert wafang["status"] == "waiting"
    [window] = wafang["windows"]
    assert _at(window, "starts_at") == opened
    assert _at(window, "escalate_at") == opened + timedelta(minutes=30)
    assert _at(window, "due_at") == opened + timedelta(minutes=60)
    clock.jump_to(opened + timedelta(minutes=30))
    wafang = village_of(get(client, world, "wafang_reviewer", DUTY), uuid, WAFANG)
    assert wafang["status"] == "escalated"
    clock.jump_to(opened + timedelta(minutes=60))
    wafang = village_of(get(client, world, "wafang_reviewer", DUTY), uuid, WAFANG)
    assert wafang["status"] == "overdue"


def test_the_registry_occurrence_counts_and_reaches_the_villages(
    client: TestClient, world: World, clock: Clock
) -> None:
    """瓦房社区 reported the event first (naming its occurrence); the township opens it later
    without one: 水沟洼村's deadline counts from the registry's occurrence, and the feed tells
    the village's devices that occurrence."""
    uuid = new_id()
    clock.advance(minutes=1)
    version = timed_item(clock, WAFANG, uuid)
    occurred = datetime.fromisoformat(version["content"]["occurred_at"].replace("Z", "+00:00"))
    assert push_now(client, world, clock, [version], "wafang_a")[0]["status"] == "accepted"
    opening = open_event(client, world, [WAFANG, SHUIGOU], event_uuid=uuid)["opening"]
    assert datetime.fromisoformat(opening["occurred_at"]) == occurred
    opened = datetime.fromisoformat(opening["opened_at"])
    township = get(client, world, "wafang_reviewer", DUTY)
    assert village_of(township, uuid, WAFANG)["status"] == "filed"
    shuigou = village_of(township, uuid, SHUIGOU)
    assert shuigou["status"] == "escalated"
    assert _at(shuigou["windows"][0], "due_at") == opened + timedelta(minutes=10)
    changes, _cursor = pull_all(client, world, "wafang_a")
    fed = [c for c in changes if c["kind"] == "event_opening" and c["event_uuid"] == uuid]
    assert fed
    assert {datetime.fromisoformat(c["occurred_at"].replace("Z", "+00:00")) for c in fed} == {
        occurred
    }

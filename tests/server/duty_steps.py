"""A clock the tests move, and request helpers for the A/B duty tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.server.factories import batch, content, item, new_id
from tests.server.world import World

#: Midnight China time in UTC: every open event's daily continuing-report window starts then.
CHINA_MIDNIGHT_UTC_HOUR = 16
#: The app's clock starts at least this long after midnight China time (tests date events
#: back from the clock's start) and at least ``ROOM_BEFORE_MIDNIGHT`` before the next one (a
#: module's tests move it on by a few hours): no China day begins within a module's events.
ROOM_AFTER_MIDNIGHT = timedelta(hours=3)
ROOM_BEFORE_MIDNIGHT = timedelta(hours=6)


def start_time(real: datetime) -> datetime:
    """Return when a module's clock starts: an hour after ``real`` (after every fixture's
    writes), or later, at ``ROOM_AFTER_MIDNIGHT`` past the next midnight China time, when that
    hour falls too close to a midnight; so the tests run the same at any hour of the day.
    """
    start = real.replace(microsecond=0) + timedelta(hours=1)
    midnight = start.replace(hour=CHINA_MIDNIGHT_UTC_HOUR, minute=0, second=0)
    if midnight > start:
        midnight -= timedelta(days=1)  # the last midnight China time at or before ``start``
    day = timedelta(days=1)
    if ROOM_AFTER_MIDNIGHT <= start - midnight <= day - ROOM_BEFORE_MIDNIGHT:
        return start
    after = midnight + (day if start - midnight >= ROOM_AFTER_MIDNIGHT else timedelta(0))
    return after + ROOM_AFTER_MIDNIGHT


class Clock:
    """The app's clock: starts an hour or more ahead of real time (``start_time``)."""

    def __init__(self) -> None:
        self.now = start_time(datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def jump_to(self, at: datetime) -> datetime:
        assert at >= self.now, "the clock only moves forward"
        self.now = at
        return self.now


def iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def timed_item(
    clock: Clock,
    village: str,
    event_uuid: str,
    stage: str = "initial",
    filed_ago: timedelta = timedelta(minutes=1),
    **overrides: Any,
) -> dict[str, Any]:
    """Return a first version of a new report, submitted ``filed_ago`` before the clock."""
    submitted = clock.now - filed_ago
    body = content(
        village,
        event_uuid=event_uuid,
        stage=stage,
        occurred_at=iso(submitted - timedelta(hours=2)),
        data_cutoff_at=iso(submitted - timedelta(minutes=5)),
        submitted_at=iso(submitted),
        **overrides,
    )
    return item(body)


def push_now(
    client: TestClient,
    world: World,
    clock: Clock,
    items: list[dict[str, Any]],
    user: str,
    device_skew: timedelta = timedelta(0),
) -> list[dict[str, Any]]:
    """Push as ``user`` with the device's clock ``device_skew`` off the server's."""
    r = client.post(
        "/api/v1/reports/batch",
        headers=world.headers(client, user),
        json=batch(f"dev-{user}", items, device_time=iso(clock.now + device_skew)),
    )
    assert r.status_code == 200, r.text
    results: list[dict[str, Any]] = r.json()["results"]
    return results


def post(
    client: TestClient,
    world: World,
    user: str,
    path: str,
    body: dict[str, Any] | None = None,
    status: int = 200,
) -> dict[str, Any]:
    """POST ``body`` as ``user``; check the status; return the JSON answer."""
    r = client.post(path, headers=world.headers(client, user), json=body or {})
    assert r.status_code == status, (path, r.status_code, r.text)
    data: dict[str, Any] = r.json()
    return data


def get(
    client: TestClient, world: World, user: str, path: str, status: int = 200, **params: str
) -> dict[str, Any]:
    """GET as ``user``; check the status; return the JSON answer."""
    r = client.get(path, headers=world.headers(client, user), params=params)
    assert r.status_code == status, (path, r.status_code, r.text)
    data: dict[str, Any] = r.json()
    return data


def open_event(
    client: TestClient,
    world: World,
    villages: list[str],
    user: str = "wafang_reviewer",
    event_uuid: str | None = None,
    status: int = 200,
    township: str = "530502208000",
    occurred_at: str | None = None,
) -> dict[str, Any]:
    """Open an event for ``villages`` as ``user``; return the answer.

    ``occurred_at`` (ISO): when the event occurred; ``None``, unknown (the villages'
    deadlines then count from the opening).
    """
    return post(
        client,
        world,
        user,
        "/api/v1/events/open",
        {
            "event_uuid": event_uuid or new_id(),
            "event_name": "20240701瓦房乡暴雨洪涝",
            "disaster_type": "flood",
            "occurred_at": occurred_at,
            "township_code": township,
            "village_codes": villages,
        },
        status,
    )


def absence(
    client: TestClient,
    world: World,
    user: str,
    post_code: str,
    starts: datetime,
    ends: datetime,
    status: int = 200,
    **extra: Any,
) -> dict[str, Any]:
    """Mark the A of ``post_code`` off duty as ``user``; return the answer."""
    body = {
        "absence_uuid": new_id(),
        "post_code": post_code,
        "starts_at": iso(starts),
        "ends_at": iso(ends),
        "kind": "leave",
        "reason": "外出开会",
        **extra,
    }
    return post(client, world, user, "/api/v1/absences", body, status)


def village_of(duty: dict[str, Any], event_uuid: str, village: str) -> dict[str, Any]:
    """Return one village of one event in a ``GET /duty`` answer."""
    event = next(e for e in duty["events"] if e["event_uuid"] == event_uuid)
    found: dict[str, Any] = next(v for v in event["villages"] if v["village_code"] == village)
    return found

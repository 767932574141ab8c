"""Issue 18: the server bounds a version's filing time by its receipt and the device's clock.

A device clock 3 years fast used to store ``submitted_at`` in 2029 unflagged; one 3 years slow
had valid reports refused by rule 10 with no word about the clock.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from sync.contract import parse_time
from sync.server.models import ReportVersion
from tests.server.duty_steps import Clock, iso, push_now, timed_item
from tests.server.factories import WAFANG, new_id
from tests.server.steps import pull_all
from tests.server.world import World

USES_CLOCK = True
YEARS_3 = timedelta(days=3 * 365.25)


def _stored(world: World, version_uuid: str) -> ReportVersion:
    with world.app.state.db.writing() as session:
        row: ReportVersion = session.scalars(
            select(ReportVersion).where(ReportVersion.version_uuid == version_uuid)
        ).one()
        session.expunge(row)
        return row


def test_a_device_3_years_fast_is_stored_on_the_servers_clock(
    client: TestClient, world: World, clock: Clock
) -> None:
    clock.advance(minutes=1)
    version = timed_item(clock, WAFANG, new_id(), filed_ago=timedelta(minutes=10) - YEARS_3)
    claimed = parse_time(version["content"]["submitted_at"], "submitted_at")
    result = push_now(client, world, clock, [version], "wafang_a", device_skew=YEARS_3)[0]
    assert result["status"] == "accepted", result
    row = _stored(world, version["version_uuid"])
    assert row.submitted_at is not None and row.submitted_at <= row.server_received_at
    assert abs(row.submitted_at - (clock.now - timedelta(minutes=10))) < timedelta(seconds=5)
    assert row.time_flag == "skew_corrected"
    assert row.device_submitted_at == claimed
    history = client.get(
        f"/api/v1/reports/{version['content']['report_uuid']}/history",
        headers=world.headers(client, "wafang_reviewer"),
    ).json()
    event = history["events"][0]
    assert event["time_flag"] == "skew_corrected" and event["clock_skew_seconds"] > 9e7, event


def test_a_future_claim_without_device_time_is_clamped_to_receipt(
    client: TestClient, world: World, clock: Clock
) -> None:
    clock.advance(minutes=1)
    version = timed_item(clock, WAFANG, new_id())
    version["content"]["submitted_at"] = "2099-01-01T00:00:00Z"
    r = client.post(
        "/api/v1/reports/batch",
        headers=world.headers(client, "wafang_a"),
        json={"protocol_version": 1, "device_id": "dev-wafang_a", "items": [version]},
    )
    assert r.json()["results"][0]["status"] == "accepted", r.text
    row = _stored(world, version["version_uuid"])
    assert row.submitted_at == row.server_received_at
    assert row.time_flag == "future"
    assert row.device_submitted_at is not None and row.device_submitted_at.year == 2099


def test_a_back_dated_claim_is_not_believed(client: TestClient, world: World, clock: Clock) -> None:
    clock.advance(minutes=1)
    version = timed_item(clock, WAFANG, new_id(), filed_ago=timedelta(days=400))
    result = push_now(client, world, clock, [version], "wafang_a")[0]
    assert result["status"] == "accepted", result
    row = _stored(world, version["version_uuid"])
    assert row.time_flag == "too_old" and row.submitted_at == row.server_received_at


def test_a_right_clock_keeps_its_claim(client: TestClient, world: World, clock: Clock) -> None:
    clock.advance(minutes=1)
    version = timed_item(clock, WAFANG, new_id(), filed_ago=timedelta(minutes=3))
    assert push_now(client, world, clock, [version], "wafang_a")[0]["status"] == "accepted"
    row = _stored(world, version["version_uuid"])
    assert row.time_flag is None and row.device_submitted_at is None
    assert iso(row.submitted_at) == iso(clock.now - timedelta(minutes=3))  # type: ignore[arg-type]


def test_a_device_3_years_slow_hears_rule_10_name_its_clock(
    client: TestClient, world: World, clock: Clock
) -> None:
    """The cut-off is the real time; the device stamps its submission 3 years earlier."""
    clock.advance(minutes=1)
    version = timed_item(clock, WAFANG, new_id())
    version["content"]["submitted_at"] = iso(clock.now - YEARS_3)
    result = push_now(client, world, clock, [version], "wafang_a", device_skew=-YEARS_3)[0]
    assert result["status"] == "rejected", result
    r10 = next(i for i in result["issues"] if i["rule"] == "R10")
    assert "本机时钟比北京时间慢约 3 年，请先校正电脑时间" in r10["zh"], r10


def test_the_feed_says_which_filing_times_were_corrected(
    client: TestClient, world: World, clock: Clock
) -> None:
    """The reviewer's queue is filled from the feed: it must carry the time the server keeps."""
    clock.advance(minutes=1)
    fast = timed_item(clock, WAFANG, new_id(), filed_ago=timedelta(minutes=10) - YEARS_3)
    right = timed_item(clock, WAFANG, new_id(), filed_ago=timedelta(minutes=3))
    assert push_now(client, world, clock, [fast], "wafang_a", device_skew=YEARS_3)
    assert push_now(client, world, clock, [right], "wafang_a")
    changes, _ = pull_all(client, world, "wafang_reviewer")
    by_version = {c.get("version_uuid"): c for c in changes if c["kind"] == "report_version"}
    corrected = by_version[fast["version_uuid"]]
    assert corrected["time_flag"] == "skew_corrected"
    kept = _stored(world, fast["version_uuid"]).submitted_at
    assert kept is not None and parse_time(corrected["filed_at"], "filed_at") == kept
    assert corrected["content"]["submitted_at"] == fast["content"]["submitted_at"]  # the claim
    plain = by_version[right["version_uuid"]]
    assert plain.get("time_flag") is None and plain.get("filed_at") is None

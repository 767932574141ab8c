"""The open events of the village's area reach its device on each sync and stay there offline.

A real city server of the test's own: 瓦房彝族苗族乡 opens a flood event for its villages; the
neighbouring village 水沟洼村 files a first initial report that opens another one.  One round
of 瓦房社区's device caches both (``store.events_cache``); a new report defaults to the
township's event, a "new event" close in time to the neighbour's is offered the neighbour's,
and if the informant still opens one, its default name is not the neighbour's.  The township
closes its event: the next round drops it.  A round asks for the open events only when
``GET /me`` says they changed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from informant_app.core.duty.service import close_event, open_event
from informant_app.core.store.events_cache import (
    area_default,
    cached_state,
    open_events,
    similar_open,
)
from informant_app.core.sync.engine import SyncEngine
from sync.contract import format_time
from tests.informant_app.core.conftest import fill
from tests.integration.helpers import Device, device
from tests.support.city_server import CityServer
from tests.support.places import LONGYANG, SHUIGOU, WAFANG, WAFANG_TOWNSHIP


def events_requests(city: CityServer) -> int:
    """Return how many ``GET /api/v1/events`` the server has answered (its access log)."""
    log = (city.folder / "server.log").read_text(encoding="utf-8", errors="replace")
    return len(re.findall(r'"GET /api/v1/events[?\s]', log))


def sync(dev: Device) -> None:
    summary = SyncEngine(dev.store).run_round()
    assert summary.problem is None, summary


def file_new_flood(dev: Device, village: str, occurred: datetime) -> str:
    """Submit an initial flood report of a new event (no name: the default); return its uuid."""
    draft = dev.store.new_draft(village_code=village)
    content = fill(
        draft.content,
        village_code=village,
        event_name="",
        occurred_at=format_time(occurred),
        data_cutoff_at=format_time(occurred + timedelta(hours=1)),
    )
    dev.store.save_draft(draft.version_uuid, content)
    assert dev.store.submit(draft.version_uuid).ok
    return str(content["event_uuid"])


@pytest.mark.slow
def test_the_open_events_of_the_area_are_cached_and_chosen_from(tmp_path: Path) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    with CityServer(tmp_path / "city") as city:
        village = device(city, tmp_path / "wafang", "wafang_a")
        neighbour = device(city, tmp_path / "shuigou", "shuigou_a")
        reviewer = device(city, tmp_path / "reviewer", "wafang_reviewer")
        try:
            sync(village)
            assert open_events(village.store) == []  # nothing open yet, but asked
            state = cached_state(village.store)
            assert state is not None and state.server_url == city.url

            # The township opens a flood event; the neighbour's first report opens another,
            # later one (five days apart: not the same event).
            sync(reviewer)
            township_event = open_event(
                reviewer.store, "瓦房乡洪涝", "flood", now - timedelta(days=5)
            )
            neighbour_event = file_new_flood(neighbour, SHUIGOU, now - timedelta(hours=2))
            sync(neighbour)

            sync(village)
            cached = {e.event_uuid: e for e in open_events(village.store)}
            assert set(cached) == {township_event.event_uuid, neighbour_event}
            township = cached[township_event.event_uuid]
            assert (township.opened_level, township.opened_code, township.county_code) == (
                "township",
                WAFANG_TOWNSHIP,
                LONGYANG,
            )
            first = cached[neighbour_event]
            assert (first.opened_level, first.opened_code, first.county_code) == (
                "village",
                SHUIGOU,
                LONGYANG,
            )
            assert first.name.endswith("隆阳区山洪")  # the default name, date first

            # A new report joins the township's event by default, though the other is newer.
            events = open_events(village.store)
            default = area_default(events, WAFANG)
            assert default is not None and default.event_uuid == township_event.event_uuid
            assert area_default(events, WAFANG, "drought") is None
            # A "new event" close in time to one of them is offered that one.
            assert [e.event_uuid for e in similar_open(events, WAFANG, "flood", now)] == [
                neighbour_event
            ]
            assert [
                e.event_uuid
                for e in similar_open(events, WAFANG, "flood", now - timedelta(days=4, hours=12))
            ] == [township_event.event_uuid]
            assert similar_open(events, WAFANG, "drought", now) == []

            # The informant still opens a new one: its default name is not the neighbour's.
            mine = file_new_flood(village, WAFANG, now - timedelta(hours=2))
            [named] = [e for e in village.store.events() if e.event_uuid == mine]
            assert named.name == f"{first.name}（2）"

            # The township closes its event: the next round drops it.
            close_event(reviewer.store, township_event.event_uuid)
            sync(village)
            assert township_event.event_uuid not in {
                e.event_uuid for e in open_events(village.store)
            }
            assert {neighbour_event, mine} <= {e.event_uuid for e in open_events(village.store)}

            # The open events are asked for only when /me's events_revision changed: the
            # village's 3 rounds (each after a change) and one each of the reviewer and the
            # neighbour.  /me is asked after the push (when the push answer's account revision
            # changed), so the village's own new event is already seen in that round: no
            # request more while nothing changes.
            assert events_requests(city) == 5
            sync(village)
            sync(village)
            sync(village)
            assert events_requests(city) == 5

            # Offline (the server stopped), the cache stands.
            city.stop()
            assert SyncEngine(village.store).run_round().problem is not None
            assert {neighbour_event, mine} <= {e.event_uuid for e in open_events(village.store)}
        finally:
            for d in (village, neighbour, reviewer):
                d.close()

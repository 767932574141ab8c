"""A new report joins the open event of its area; a second "new event" is offered the open one.

The open events come from the store's cache (as the last sync left them, ``store.events_cache``),
so this is also the offline case: no server runs.  瓦房彝族苗族乡 opened a flood event an hour
ago, 水沟洼村's first report opened a drought event, and 腾冲市 (another county) has a flood
event of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from pytestqt.qtbot import QtBot

from informant_app.core.store.events_cache import save_open_events
from informant_app.core.store.report_store import ReportStore
from informant_app.ui.reports.form import ReportForm
from informant_app.ui.window.main_window import MainWindow
from sync.contract.wire.events import Event, EventList
from tests.support.places import LONGYANG, SHUIGOU, WAFANG_TOWNSHIP

Call = Callable[[Callable[[ReportStore], Any]], Any]

TOWNSHIP_EVENT = "ev-wafang-flood"
NEIGHBOUR_EVENT = "ev-shuigou-drought"
OTHER_COUNTY_EVENT = "ev-tengchong-flood"


def area_events(now: datetime) -> EventList:
    """Return ``GET /events?open=1`` as the server would answer 瓦房社区's informant."""

    def event(uuid: str, name: str, kind: str, county: str, level: str, code: str) -> Event:
        return Event(
            event_uuid=uuid,
            name=name,
            disaster_type=kind,
            county_code=county,
            opened_level=level,
            opened_code=code,
            occurred_at=now - timedelta(hours=1),
            opened_at=now - timedelta(minutes=50),
            closed_at=None,
        )

    return EventList(
        server_time=now,
        events=[
            event(NEIGHBOUR_EVENT, "水沟洼村干旱", "drought", LONGYANG, "village", SHUIGOU),
            event(
                OTHER_COUNTY_EVENT, "腾冲市洪涝", "flood", "530581000000", "county", "530581000000"
            ),
            event(TOWNSHIP_EVENT, "瓦房乡洪涝", "flood", LONGYANG, "township", WAFANG_TOWNSHIP),
        ],
    )


def open_new_report(qtbot: QtBot, window: MainWindow) -> ReportForm:
    with qtbot.waitSignal(window.form_opened) as opened:
        window.act_new.trigger()
    form = opened.args[0]
    assert isinstance(form, ReportForm)
    qtbot.waitUntil(lambda: form.area_events_loaded)
    return form


def test_a_new_report_defaults_to_the_open_event_of_its_area_and_offers_it_again(
    qtbot: QtBot, window: MainWindow, call: Call
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    call(lambda store: save_open_events(store, area_events(now), "https://city.example.cn"))
    form = open_new_report(qtbot, window)
    header = form.header

    # The township's event is chosen, and the line above the inputs says so.
    assert header.event_combo.currentData() == TOWNSHIP_EVENT
    assert header.area_line.isVisible()
    assert header.area_line.text() == (
        "An event is already open in your area: 瓦房乡洪涝. A new report joins it by default."
    )
    values = header.values()
    assert (values["event_uuid"], values["event_name"], values["disaster_type"]) == (
        TOWNSHIP_EVENT,
        "瓦房乡洪涝",
        "flood",
    )
    assert not header.disaster_type.isEnabled()  # the event fixes its type
    offered = {header.event_combo.itemData(i) for i in range(header.event_combo.count())}
    assert {TOWNSHIP_EVENT, NEIGHBOUR_EVENT} <= offered
    assert OTHER_COUNTY_EVENT not in offered  # another county's event is not of this area
    qtbot.waitUntil(form.is_saved)
    saved = call(lambda store: store.load_draft(form.version_uuid)).content
    assert (saved["event_uuid"], saved["event_name"]) == (TOWNSHIP_EVENT, "瓦房乡洪涝")

    # "New event" while the flood is open (same type, county, close time): it is offered.
    header.event_combo.setCurrentIndex(header.event_combo.findData(""))
    qtbot.waitUntil(lambda: header.similar_box is not None)
    assert header.similar_event is not None
    assert header.similar_event.event_uuid == TOWNSHIP_EVENT
    assert header.similar_box is not None and "瓦房乡洪涝" in header.similar_box.text()
    buttons = header.similar_buttons()
    assert buttons is not None
    join, new = buttons
    assert (join.text(), new.text()) == ("&Join the open event", "Open a &new event anyway")
    join.click()
    qtbot.waitUntil(lambda: header.similar_box is None)
    assert header.event_combo.currentData() == TOWNSHIP_EVENT
    assert header.values()["event_name"] == "瓦房乡洪涝"

    # Asked again, the informant opens a new one anyway: it stays new and is not asked again.
    header.event_combo.setCurrentIndex(header.event_combo.findData(""))
    qtbot.waitUntil(lambda: header.similar_box is not None)
    buttons = header.similar_buttons()
    assert buttons is not None
    buttons[1].click()
    qtbot.waitUntil(lambda: header.similar_box is None)
    assert header.event_combo.currentData() == ""
    assert header.values()["event_uuid"] not in {TOWNSHIP_EVENT, NEIGHBOUR_EVENT}
    header.disaster_type.setCurrentIndex(header.disaster_type.findData("drought"))
    assert header.similar_box is not None  # the drought is offered: another open event
    assert header.similar_event is not None
    assert header.similar_event.event_uuid == NEIGHBOUR_EVENT
    header.similar_box.reject()
    qtbot.waitUntil(lambda: header.similar_box is None)
    header.disaster_type.setCurrentIndex(header.disaster_type.findData("flood"))
    assert header.similar_box is None  # declined once: not offered again
    assert header.event_combo.currentData() == ""


def test_a_report_that_chose_its_event_is_not_moved(
    qtbot: QtBot, window: MainWindow, call: Call
) -> None:
    """A draft that names its own event keeps it when opened again."""
    now = datetime.now(UTC).replace(microsecond=0)
    call(lambda store: save_open_events(store, area_events(now), "https://city.example.cn"))
    form = open_new_report(qtbot, window)
    header = form.header
    header.event_combo.setCurrentIndex(header.event_combo.findData(""))
    qtbot.waitUntil(lambda: header.similar_box is not None)
    buttons = header.similar_buttons()
    assert buttons is not None
    buttons[1].click()
    header.event_name.setText("瓦房社区山洪")
    header.event_name.textEdited.emit("瓦房社区山洪")
    own = header.values()["event_uuid"]
    qtbot.waitUntil(form.is_saved)
    version = form.version_uuid
    form.close()
    qtbot.waitUntil(lambda: not window.open_forms())

    draft = call(lambda store: store.load_draft(version))
    again = window._open_form(version, draft.content, False)  # as the list opens a draft
    qtbot.waitUntil(lambda: again.area_events_loaded)
    assert again.header.event_combo.currentData() == ""
    assert again.header.values()["event_uuid"] == own
    assert again.header.area_line.isHidden()

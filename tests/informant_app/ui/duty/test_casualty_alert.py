"""A village reports a death: the county admin's window shows it after a sync, until acknowledged.

The real city server, the real store and workers: an informant's device files a report with
one death; the county admin's sync round fetches ``GET /duty`` and the banner shows the alert
with an "Acknowledge" button; once acknowledged it is not shown again on this device.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from informant_app.core.sync.types import Account
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.window.main_window import MainWindow
from tests.informant_app.ui.review_story import Device
from tests.support.city_server import CityServer


def test_a_county_admin_sees_a_death_after_a_sync(
    qtbot: QtBot,
    tmp_path: Path,
    city_server: CityServer,
    sign_in_as: Callable[..., Account],
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    village = Device(tmp_path / "village", city_server, "wafang_a").sign_in()
    village.file(figures={"affected_pop": 10, "deaths": 1, "missing": 0})
    sign_in_as("longyang_admin")
    controller = make_controller(start=False)
    window = make_window("en", sync=controller)
    duty = window.duty
    assert duty is not None
    qtbot.waitUntil(lambda: duty.active, timeout=10_000)

    def death_shown() -> bool:
        return any("1 dead and 0 missing" in t for t in duty.banner.texts())

    assert not death_shown()  # nothing known before the sync
    controller.start()  # its first round runs now
    qtbot.waitUntil(death_shown, timeout=20_000)
    assert duty.banner.isVisible()
    assert not duty.act_off_duty.isVisible()  # an admin files nothing: alerts only
    [button] = duty.banner.ack_buttons
    button.click()
    qtbot.waitUntil(lambda: not death_shown(), timeout=10_000)
    with qtbot.waitSignal(controller.round_finished, timeout=20_000):
        controller.sync_now()  # the server still reports it: this device acknowledged it
    qtbot.wait(1000)
    assert not death_shown()

"""The report form names villages as the server last said: a rename shows after one sync."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from informant_app.core.sync.types import Account
from informant_app.ui.common.labels import village_name
from informant_app.ui.reports.form import ReportForm
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.window.main_window import MainWindow
from sync.contract import default_divisions
from tests.support.city_server import CityServer
from tests.support.places import WAFANG, WAFANG_TOWNSHIP

NEW_NAME = "瓦窑社区村民委员会"  # shown as 瓦窑社区


def village_items(window: MainWindow, qtbot: QtBot) -> list[tuple[str, str]]:
    """Open a new report and return its village picker's (name, code) items; close it."""
    with qtbot.waitSignal(window.form_opened) as opened:
        window.act_new.trigger()
    form = opened.args[0]
    assert isinstance(form, ReportForm)
    combo = form.header.village
    items = [(combo.itemText(i), str(combo.itemData(i))) for i in range(combo.count())]
    form.close()
    qtbot.waitUntil(lambda: not window.open_forms())
    return items


def import_renamed_township(city: CityServer, folder: Path) -> None:
    """Import 瓦房彝族苗族乡 (with its ancestors) on the server with 瓦房社区 renamed."""
    table = default_divisions()
    path = folder / "renamed.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["code", "name", "level", "parent_code"])
        for d in [*table.ancestors(WAFANG_TOWNSHIP), *table.children(WAFANG_TOWNSHIP)]:
            name = NEW_NAME if d.code == WAFANG else d.name
            out.writerow([d.code, name, d.level.value, d.parent_code or ""])
    city.cli("divisions", "import", str(path), "--vintage", "2023")


def test_a_village_renamed_on_the_server_shows_in_the_form_after_one_sync(
    qtbot: QtBot,
    tmp_path: Path,
    own_city_server: CityServer,
    sign_in_as: Callable[..., Account],
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    own_city_server.start()
    sign_in_as("wafang_a", own_city_server)
    controller = make_controller(start=False)
    window = make_window("en", sync=controller)
    qtbot.waitUntil(lambda: window.profile is not None and not window.model.loading)
    with qtbot.waitSignal(controller.round_finished, timeout=30_000):
        controller.start()
    assert village_items(window, qtbot) == [("瓦房社区", WAFANG)]

    import_renamed_township(own_city_server, tmp_path)
    assert window.sync_actions is not None
    with qtbot.waitSignal(controller.round_finished, timeout=30_000):
        window.sync_actions.act_sync_now.trigger()
    assert village_items(window, qtbot) == [("瓦窑社区", WAFANG)]
    assert village_name(WAFANG) == "瓦窑社区"  # the list's village column too

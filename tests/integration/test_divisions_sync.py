"""The device takes its division table from the server (issue 15): one sync brings a change.

A real city server of the test's own (its access log counts the requests): the devices sign
in and sync; the city imports a table in which 瓦房社区 has a new name and 瓦房彝族苗族乡 a
new village; one more round brings both to the devices, and a round with nothing new asks
for no table.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from informant_app.core.divisions import current_divisions, divisions_for
from informant_app.core.store.divisions import cached_divisions
from informant_app.core.sync.engine import SyncEngine
from sync.contract import default_divisions
from tests.integration.helpers import device
from tests.support.city_server import CityServer
from tests.support.places import SHUIGOU, WAFANG, WAFANG_TOWNSHIP

#: The village the city adds to 瓦房彝族苗族乡 (not in the bundled 2023 table).
NEW_VILLAGE = "530502208220"
NEW_NAME = "瓦窑社区村民委员会"  # 瓦房社区's new official name; shown as 瓦窑社区


def divisions_requests(city: CityServer) -> int:
    """Return how many ``GET /api/v1/divisions`` the server has answered (its access log)."""
    log = (city.folder / "server.log").read_text(encoding="utf-8", errors="replace")
    return len(re.findall(r'"GET /api/v1/divisions[?\s]', log))


def write_township_file(path: Path) -> None:
    """Write 瓦房彝族苗族乡 and its ancestors with 瓦房社区 renamed and one village added."""
    table = default_divisions()
    rows = [*table.ancestors(WAFANG_TOWNSHIP), *table.children(WAFANG_TOWNSHIP)]
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["code", "name", "level", "parent_code"])
        for d in rows:
            name = NEW_NAME if d.code == WAFANG else d.name
            out.writerow([d.code, name, d.level.value, d.parent_code or ""])
        out.writerow([NEW_VILLAGE, "新寨村民委员会", "village", WAFANG_TOWNSHIP])


@pytest.mark.slow
def test_a_village_renamed_or_added_on_the_server_reaches_the_device_in_one_sync(
    tmp_path: Path,
) -> None:
    with CityServer(tmp_path / "city") as city:
        informant = device(city, tmp_path / "informant", "wafang_a")
        reviewer = device(city, tmp_path / "reviewer", "wafang_reviewer")
        try:
            # Signed in, never synced: the bundled table.
            assert cached_divisions(informant.store) is None
            assert divisions_for(informant.folder) is default_divisions()

            for d in (informant, reviewer):
                assert SyncEngine(d.store).run_round().problem is None
            assert divisions_requests(city) == 2
            cached = cached_divisions(informant.store)
            assert cached is not None and cached.vintage == "2023"
            assert cached.under_code == WAFANG and cached.server_url == city.url
            table = divisions_for(informant.folder)
            assert table is not default_divisions() and table.vintage == "2023"
            wafang = table.get(WAFANG)
            assert wafang is not None and wafang.short_name == "瓦房社区"
            assert [d.code for d in table.ancestors(WAFANG)][-2:] == [WAFANG_TOWNSHIP, WAFANG]
            assert SHUIGOU not in table  # the informant's jurisdiction only
            reviewer_table = divisions_for(reviewer.folder)
            assert SHUIGOU in reviewer_table and NEW_VILLAGE not in reviewer_table

            # A round with nothing new asks for no table.
            for d in (informant, reviewer):
                assert SyncEngine(d.store).run_round().problem is None
            assert divisions_requests(city) == 2

            # The city renames 瓦房社区 and adds a village: one round brings both.
            township_file = tmp_path / "wafang_2024.csv"
            write_township_file(township_file)
            printed = city.cli("divisions", "import", str(township_file), "--vintage", "2023")
            assert NEW_NAME in printed and NEW_VILLAGE in printed
            for d in (informant, reviewer):
                assert SyncEngine(d.store).run_round().problem is None
            assert divisions_requests(city) == 4

            renamed = divisions_for(informant.folder).get(WAFANG)
            assert renamed is not None
            assert (renamed.name, renamed.short_name) == (NEW_NAME, "瓦窑社区")
            after = cached_divisions(informant.store)
            assert after is not None and after.revision > cached.revision
            # The reviewer's table and villages grew by the new one; its rules accept it.
            added = divisions_for(reviewer.folder).get(NEW_VILLAGE)
            assert added is not None and added.short_name == "新寨村"
            profile = reviewer.store.profile()
            assert profile is not None and NEW_VILLAGE in profile.village_codes
            assert current_divisions() is divisions_for(reviewer.folder)  # saved last

            # Once more with nothing new: still no table asked for.
            for d in (informant, reviewer):
                assert SyncEngine(d.store).run_round().problem is None
            assert divisions_requests(city) == 4
        finally:
            informant.store.close()
            reviewer.store.close()

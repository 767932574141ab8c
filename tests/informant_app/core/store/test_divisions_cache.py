"""The division table synced from the server, kept in the store: saved, loaded, used to validate.

A store that never synced uses the bundled table; once a table is saved, it is the one the
rules, the names and the profile use, also after the store is opened again.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from informant_app.core.divisions import current_divisions, divisions_for, publish
from informant_app.core.store.divisions import (
    cached_divisions,
    load_divisions,
    save_divisions,
)
from informant_app.core.store.report_store import ReportStore
from sync.contract import DivisionLevel, default_divisions
from sync.contract.wire.divisions import Division as WireDivision
from sync.contract.wire.divisions import Divisions
from tests.informant_app.core.conftest import PROFILE, fill
from tests.support.places import DANGXI, SHUIGOU, WAFANG, WAFANG_TOWNSHIP

SERVER = "https://city.example.cn"
#: A village the server added after the bundled table was made.
NEW_VILLAGE = "530502208220"


def township_answer(
    *,
    revision: int = 4,
    renamed: dict[str, str] | None = None,
    drop: frozenset[str] = frozenset(),
    retire: frozenset[str] = frozenset(),
    add_village: bool = False,
) -> Divisions:
    """Return what ``GET /divisions?under=瓦房彝族苗族乡`` answers, from the bundled table."""
    table = default_divisions()
    chain = [*table.ancestors(WAFANG_TOWNSHIP), *table.children(WAFANG_TOWNSHIP)]
    rows = [
        WireDivision(
            code=d.code,
            name=(renamed or {}).get(d.code, d.name),
            short_name="",  # the device makes it (an older server sends none)
            level=d.level.value,
            parent_code=d.parent_code,
            official=d.official,
            retired=d.code in retire,
        )
        for d in chain
        if d.code not in drop
    ]
    if add_village:
        rows.append(
            WireDivision(
                code=NEW_VILLAGE,
                name="新寨村民委员会",
                short_name="新寨村",
                level="village",
                parent_code=WAFANG_TOWNSHIP,
                official=True,
            )
        )
    return Divisions(vintage="2024", revision=revision, divisions=rows)


def village_issues(store: ReportStore, village: str) -> list[str]:
    """Return the English messages of the rules about ``village``'s code in a new draft."""
    draft = store.new_draft(village_code=village)
    store.save_draft(draft.version_uuid, fill(draft.content, village_code=village))
    return [i.en for i in store.check(draft.version_uuid) if i.field == "village_code"]


def test_a_store_that_never_synced_uses_the_bundled_table(profiled_store: ReportStore) -> None:
    assert cached_divisions(profiled_store) is None
    assert load_divisions(profiled_store) is None
    assert divisions_for(profiled_store.data_dir) is default_divisions()
    assert current_divisions() is default_divisions()  # this store was opened last
    assert village_issues(profiled_store, WAFANG) == []


def test_a_saved_table_is_loaded_with_its_vintage_and_used(
    profiled_store: ReportStore, tmp_path: Path
) -> None:
    answer = township_answer(
        renamed={WAFANG: "瓦房新村民委员会"}, drop=frozenset({SHUIGOU}), retire=frozenset({DANGXI})
    )
    table = save_divisions(profiled_store, answer, SERVER, WAFANG_TOWNSHIP)
    cached = cached_divisions(profiled_store)
    assert cached is not None
    assert (cached.vintage, cached.revision, cached.server_url, cached.under_code) == (
        "2024",
        4,
        SERVER,
        WAFANG_TOWNSHIP,
    )
    assert divisions_for(profiled_store.data_dir) is table  # the provider has it now
    assert current_divisions() is table
    wafang = table.get(WAFANG)
    assert wafang is not None and (wafang.name, wafang.short_name) == (
        "瓦房新村民委员会",
        "瓦房新村",
    )
    assert [d.level for d in table.ancestors(WAFANG)] == [
        DivisionLevel.PROVINCE,
        DivisionLevel.CITY,
        DivisionLevel.COUNTY,
        DivisionLevel.TOWNSHIP,
        DivisionLevel.VILLAGE,
    ]
    assert DANGXI not in {d.code for d in table.villages_under(WAFANG_TOWNSHIP)}  # retired

    # The rules check the village against the synced table, not the bundled one.
    assert village_issues(profiled_store, WAFANG) == []
    assert village_issues(profiled_store, SHUIGOU) == [f"unknown village code: {SHUIGOU}"]
    assert SHUIGOU in default_divisions()  # the bundled table still knows it

    # Opened again (the provider forgot it, as a new process would), the store loads its cache.
    data_dir = profiled_store.data_dir
    profiled_store.close()
    publish(data_dir, None)
    with ReportStore.open(data_dir) as again:
        loaded = divisions_for(data_dir)
        assert loaded is not default_divisions() and loaded.vintage == "2024"
        assert load_divisions(again) is not None
        assert [(d.code, d.short_name, d.retired) for d in loaded] == [
            (d.code, d.short_name, d.retired) for d in table
        ]
        assert village_issues(again, SHUIGOU) == [f"unknown village code: {SHUIGOU}"]


def test_a_village_added_on_the_server_is_accepted(profiled_store: ReportStore) -> None:
    profiled_store.save_profile(replace(PROFILE, village_codes=(WAFANG, NEW_VILLAGE)))
    assert village_issues(profiled_store, NEW_VILLAGE) == [f"unknown village code: {NEW_VILLAGE}"]
    save_divisions(profiled_store, township_answer(add_village=True), SERVER, WAFANG_TOWNSHIP)
    assert village_issues(profiled_store, NEW_VILLAGE) == []


def test_a_new_save_replaces_every_row(profiled_store: ReportStore) -> None:
    save_divisions(profiled_store, township_answer(add_village=True), SERVER, WAFANG_TOWNSHIP)
    table = save_divisions(
        profiled_store,
        township_answer(revision=5, drop=frozenset({SHUIGOU})),
        SERVER,
        WAFANG_TOWNSHIP,
        revision=6,
    )
    loaded = load_divisions(profiled_store)
    assert loaded is not None
    assert NEW_VILLAGE not in loaded and SHUIGOU not in loaded and WAFANG in loaded
    assert len(loaded) == len(table)
    cached = cached_divisions(profiled_store)
    assert cached is not None and cached.revision == 6  # the revision the round asked for


@pytest.mark.parametrize(
    "answer",
    [
        Divisions(vintage="2024", revision=9, divisions=[]),
        Divisions(
            vintage="2024",
            revision=9,
            divisions=[
                WireDivision(
                    code=WAFANG, name="瓦房", level="hamlet", parent_code=None, official=True
                )
            ],
        ),
        Divisions(
            vintage="2024",
            revision=9,
            divisions=[
                WireDivision(
                    code="5305", name="瓦房", level="village", parent_code=None, official=True
                )
            ],
        ),
    ],
    ids=["empty", "unknown-level", "bad-code"],
)
def test_a_malformed_answer_keeps_the_cache(profiled_store: ReportStore, answer: Divisions) -> None:
    table = save_divisions(profiled_store, township_answer(), SERVER, WAFANG_TOWNSHIP)
    with pytest.raises(ValueError):
        save_divisions(profiled_store, answer, SERVER, WAFANG_TOWNSHIP)
    cached = cached_divisions(profiled_store)
    assert cached is not None and cached.revision == 4
    assert divisions_for(profiled_store.data_dir) is table


def test_two_stores_in_one_process_keep_their_own_tables(tmp_path: Path) -> None:
    with ReportStore.open(tmp_path / "one") as one, ReportStore.open(tmp_path / "two") as two:
        one.save_profile(PROFILE)
        two.save_profile(PROFILE)
        save_divisions(one, township_answer(drop=frozenset({SHUIGOU})), SERVER, WAFANG_TOWNSHIP)
        assert village_issues(one, SHUIGOU) == [f"unknown village code: {SHUIGOU}"]
        assert village_issues(two, SHUIGOU) == []  # never synced: the bundled table
        assert divisions_for(two.data_dir) is default_divisions()

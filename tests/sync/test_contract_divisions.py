"""The bundled Baoshan division table (official 2023 codes) and code helpers (docs/domain.md §6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.contract import (
    Division,
    DivisionLevel,
    DivisionTable,
    default_divisions,
    is_valid_code,
    is_within,
)
from sync.contract.divisions import (
    DEFAULT_TABLE,
    DEFAULT_VINTAGE,
    PROVINCE_TABLE,
    code_prefix,
    read_divisions,
    short_name,
)
from sync.contract.resources import resource_path, resources_dir

PROVINCE = "530000000000"
CITY = "530500000000"
LONGYANG = "530502000000"
WAFANG = "530502208000"  # 瓦房彝族苗族乡
WADU = "530502205000"  # 瓦渡乡
LUJIANG = "530502106000"  # 潞江镇
WAFANG_VILLAGE = "530502208201"

COUNTIES = {
    "530502000000": "隆阳区",
    "530521000000": "施甸县",
    "530523000000": "龙陵县",
    "530524000000": "昌宁县",
    "530581000000": "腾冲市",
}


@pytest.fixture(scope="module")
def table() -> DivisionTable:
    return default_divisions()


def _get(table: DivisionTable, code: str) -> Division:
    """Return the division ``code``, which the test knows is in ``table``."""
    division = table.get(code)
    assert division is not None, code
    return division


def test_resource_file_is_where_the_contract_looks() -> None:
    for name in (DEFAULT_TABLE, PROVINCE_TABLE):
        path = resource_path("divisions", name)
        assert path.is_file()
        assert path.parent.parent == resources_dir()
    assert DEFAULT_TABLE == "baoshan_divisions_2023.csv"


def test_resources_dir_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("INFORMANT_RESOURCES", str(tmp_path))
    assert resource_path("divisions", "x.csv") == tmp_path / "divisions" / "x.csv"


def test_default_table_is_cached(table: DivisionTable) -> None:
    assert default_divisions() is table
    assert table.vintage == DEFAULT_VINTAGE == "2023"


def test_level_counts(table: DivisionTable) -> None:
    assert len(table.of_level(DivisionLevel.CITY)) == 1
    assert len(table.of_level(DivisionLevel.COUNTY)) == 5
    assert len(table.of_level(DivisionLevel.TOWNSHIP)) == 76
    assert len(table.of_level(DivisionLevel.PROVINCE)) == 1
    assert len(table.of_level(DivisionLevel.VILLAGE)) == 957  # every village of Baoshan
    assert len(table) == 1 + 1 + 5 + 76 + 957
    assert len({d.code for d in table}) == len(table)


def test_city_and_counties(table: DivisionTable) -> None:
    (city,) = table.of_level(DivisionLevel.CITY)
    assert (city.code, city.name, city.parent_code) == (CITY, "保山市", PROVINCE)
    assert _get(table, PROVINCE).name == "云南省" and _get(table, PROVINCE).parent_code is None
    assert {d.code: d.name for d in table.of_level(DivisionLevel.COUNTY)} == COUNTIES
    assert sorted(d.code for d in table.children(CITY)) == sorted(COUNTIES)
    assert _get(table, LUJIANG).name == "潞江镇"


def test_codes_are_well_formed_and_padded_by_level(table: DivisionTable) -> None:
    for d in table:
        assert is_valid_code(d.code), d
        county, township, village = d.code[:6], d.code[6:9], d.code[9:]
        if d.level is DivisionLevel.PROVINCE:
            assert county[2:] == "0000" and township == "000" and village == "000"
        elif d.level is DivisionLevel.CITY:
            assert county[4:] == "00" and township == "000" and village == "000"
        elif d.level is DivisionLevel.COUNTY:
            assert county[4:] != "00" and township == "000" and village == "000"
        elif d.level is DivisionLevel.TOWNSHIP:
            assert township != "000" and village == "000"
        else:
            assert village != "000"


def test_official_flags(table: DivisionTable) -> None:
    assert all(d.official and not d.retired for d in table)


def test_parent_links(table: DivisionTable) -> None:
    parent_level = {
        DivisionLevel.CITY: DivisionLevel.PROVINCE,
        DivisionLevel.COUNTY: DivisionLevel.CITY,
        DivisionLevel.TOWNSHIP: DivisionLevel.COUNTY,
        DivisionLevel.VILLAGE: DivisionLevel.TOWNSHIP,
    }
    for d in table:
        if d.level is DivisionLevel.PROVINCE:
            continue
        assert d.parent_code is not None, d
        parent = table.get(d.parent_code)
        assert parent is not None, d
        assert parent.level is parent_level[d.level], d
        assert d.code.startswith(code_prefix(parent.code)), d
        assert is_within(d.code, parent.code)
        assert d in table.children(parent.code)


def _segment_kind(segment: int) -> str | None:
    if 1 <= segment <= 99:
        return "街道"
    if 100 <= segment <= 199:
        return "镇"
    if 200 <= segment <= 399:
        return "乡"
    return None


def test_township_segment_ranges_match_names(table: DivisionTable) -> None:
    checked = 0
    for d in table.of_level(DivisionLevel.TOWNSHIP):
        kind = _segment_kind(int(d.code[6:9]))
        assert kind is not None, f"{d.code} {d.name}: segment outside 001–399"
        for suffix in ("街道", "镇", "乡"):
            if d.name.endswith(suffix):
                assert kind == suffix, f"{d.code} {d.name} has a {kind} code"
                checked += 1
    assert checked >= 70, "nearly every township name ends in 街道/镇/乡"


def test_township_segment_kinds_present(table: DivisionTable) -> None:
    kinds = {_segment_kind(int(d.code[6:9])) for d in table.of_level(DivisionLevel.TOWNSHIP)}
    assert kinds == {"街道", "镇", "乡"}


def test_village_segments(table: DivisionTable) -> None:
    for d in table.of_level(DivisionLevel.VILLAGE):
        segment = int(d.code[9:])
        if d.name.endswith("居民委员会"):  # residents' committee: 001–199
            assert 1 <= segment <= 199, d
        elif d.name.endswith("村民委员会"):  # villagers' (also "…社区村民委员会"): 200–399
            assert 200 <= segment <= 399, d
        else:  # a development zone's virtual community (云南腾冲经济开发区社区): 400–599
            assert 400 <= segment <= 599, d


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("530502208201", True),
        ("530500000000", True),
        ("53050220820", False),
        ("5305022082011", False),
        ("53050220820a", False),
        ("", False),
        ("530502208201\n", False),
        (" 530502208201", False),
        ("５３０５０２２０８２０１", False),  # full-width digits are not a code
        ("٥٣٠٥٠٢٢٠٨٢٠١", False),  # nor are Arabic-Indic digits
    ],
)
def test_is_valid_code(code: str, valid: bool) -> None:
    assert is_valid_code(code) is valid


@pytest.mark.parametrize(
    ("code", "prefix"),
    [
        ("530000000000", "53"),
        (CITY, "5305"),
        (LONGYANG, "530502"),
        (WAFANG, "530502208"),
        (WAFANG_VILLAGE, WAFANG_VILLAGE),
    ],
)
def test_code_prefix(code: str, prefix: str) -> None:
    assert code_prefix(code) == prefix


@pytest.mark.parametrize(
    ("code", "jurisdiction", "inside"),
    [
        (WAFANG_VILLAGE, WAFANG_VILLAGE, True),
        (WAFANG_VILLAGE, WAFANG, True),
        (WAFANG_VILLAGE, LONGYANG, True),
        (WAFANG_VILLAGE, CITY, True),
        (WAFANG_VILLAGE, "530000000000", True),
        (WAFANG, WAFANG, True),
        (WAFANG, WAFANG_VILLAGE, False),  # a township is not inside its village
        (WAFANG_VILLAGE, WADU, False),
        (WAFANG_VILLAGE, "530521000000", False),
        (WAFANG_VILLAGE, "530100000000", False),  # 昆明市
        ("530502208201", "530502200000", False),  # 2082… is not inside township 200
        (WAFANG_VILLAGE, "", False),  # a blank jurisdiction covers nothing
        (WAFANG_VILLAGE, "5305", False),
        ("5305022082", CITY, False),
        ("", CITY, False),
    ],
)
def test_is_within(code: str, jurisdiction: str, inside: bool) -> None:
    assert is_within(code, jurisdiction) is inside


def test_villages_under(table: DivisionTable) -> None:
    wafang = table.villages_under(WAFANG)
    assert [v.code for v in wafang] == [f"530502208{n}" for n in range(201, 220)]
    assert all(v.parent_code == WAFANG and v.level is DivisionLevel.VILLAGE for v in wafang)
    assert (wafang[0].name, wafang[0].short_name) == ("瓦房社区村民委员会", "瓦房社区")
    all_villages = table.of_level(DivisionLevel.VILLAGE)
    assert table.villages_under(CITY) == all_villages
    assert table.villages_under(PROVINCE) == all_villages
    longyang = table.villages_under(LONGYANG)
    assert longyang and all(v.code.startswith("530502") for v in longyang)
    assert len(longyang) < len(all_villages)
    assert len(table.villages_under("530521000000")) > 0  # 施甸县 has its villages now
    assert table.villages_under("530100000000") == []  # 昆明市 is not in the Baoshan table
    assert table.villages_under(WAFANG_VILLAGE) == [table.get(WAFANG_VILLAGE)]
    assert {v.code for v in table.villages_under(WADU)}.isdisjoint({v.code for v in wafang})
    assert len(table.villages_under(LUJIANG)) == 30


def test_ancestors_and_full_name(table: DivisionTable) -> None:
    chain = table.ancestors(WAFANG_VILLAGE)
    assert [d.code for d in chain] == [PROVINCE, CITY, LONGYANG, WAFANG, WAFANG_VILLAGE]
    assert table.full_name(WAFANG_VILLAGE) == "隆阳区瓦房彝族苗族乡瓦房社区"
    assert table.full_name(WAFANG_VILLAGE, from_level=DivisionLevel.CITY).startswith("保山市")
    assert table.full_name(WAFANG_VILLAGE, from_level=DivisionLevel.VILLAGE) == "瓦房社区"
    assert table.full_name("530502208206", from_level=DivisionLevel.VILLAGE) == "水沟洼村"
    assert table.ancestors("999999999999") == []
    assert table.get("999999999999") is None
    assert "999999999999" not in table
    assert WAFANG_VILLAGE in table


def test_children_is_a_copy(table: DivisionTable) -> None:
    table.children(CITY).clear()
    assert len(table.children(CITY)) == 5


def test_from_csv(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "\ufeffcode,name,level,parent_code,code_is_official\n"
        "530500000000, 保山市 ,city,,yes\n"
        "530502000000,隆阳区,county,530500000000,YES\n"
        "530502001201,示例村,village, 530502001000 ,no\n",
        encoding="utf-8",
    )
    table = DivisionTable.from_csv(path, vintage="2099")
    assert table.vintage == "2099"
    assert table.get(CITY) == Division(CITY, "保山市", DivisionLevel.CITY, None, True)
    assert _get(table, LONGYANG).official is True
    village = _get(table, "530502001201")
    assert village.parent_code == "530502001000" and village.official is False


@pytest.mark.parametrize(
    ("name", "level", "short"),
    [
        ("水沟洼村民委员会", "village", "水沟洼村"),
        ("瓦房社区村民委员会", "village", "瓦房社区"),
        ("潞农社区居民委员会", "village", "潞农社区"),
        ("永昌居民委员会", "village", "永昌社区"),
        ("云南腾冲经济开发区社区", "village", "云南腾冲经济开发区社区"),
        ("村民委员会", "village", "村民委员会"),  # nothing left: shown as it is
        ("瓦房彝族苗族乡", "township", "瓦房彝族苗族乡"),
        ("隆阳区", "county", "隆阳区"),
    ],
)
def test_short_name(name: str, level: str, short: str) -> None:
    assert short_name(name, level) == short
    assert Division("530502208201", name, DivisionLevel(level), None).short_name == short


def test_every_bundled_village_has_a_short_name(table: DivisionTable) -> None:
    for d in table.of_level(DivisionLevel.VILLAGE):
        assert d.short_name and not d.short_name.endswith("委员会"), d
        assert d.name.startswith(d.short_name[:2]), d


def test_province_table_holds_the_bundled_one() -> None:
    province = DivisionTable.from_csv(resource_path("divisions", PROVINCE_TABLE))
    counts = {level: len(province.of_level(level)) for level in DivisionLevel}
    assert counts == {
        DivisionLevel.PROVINCE: 1,
        DivisionLevel.CITY: 16,
        DivisionLevel.COUNTY: 129,
        DivisionLevel.TOWNSHIP: 1461,
        DivisionLevel.VILLAGE: 14888,
    }
    assert all(province.get(d.code) == d for d in default_divisions())


def test_read_divisions_names_the_bad_line() -> None:
    text = "code,name,level,parent_code\n530500000000,保山市,city,\n5305,坏,county,530500000000\n"
    with pytest.raises(ValueError, match="line 3"):
        read_divisions(text.splitlines(keepends=True))
    with pytest.raises(ValueError, match="unknown level"):
        read_divisions(["code,name,level,parent_code\n", "530500000000,保山市,town,\n"])
    with pytest.raises(ValueError, match="missing columns: parent_code"):
        read_divisions(["code,name,level\n"])

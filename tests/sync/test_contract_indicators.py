"""The quick-report indicators (docs/domain.md §3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sync.contract import INDICATOR_BY_FIELD, INDICATORS, SECTION_LABELS, Indicator, Section
from sync.contract import indicators_by_section as grouped
from sync.contract.indicators import LOSS_PARTS, indicator

#: field → (Chinese label fragment from DOMAIN §3, unit key, core ★)
DOMAIN_FIELDS: dict[str, tuple[str, str, bool]] = {
    "affected_pop": ("受灾人口", "persons", True),
    "deaths": ("因灾死亡人口", "persons", True),
    "missing": ("因灾失踪人口", "persons", True),
    "injured": ("因灾受伤人口", "persons", False),
    "injured_severe": ("重伤", "persons", False),
    "evacuated_preemptive": ("紧急避险转移人口", "persons", False),
    "relocated": ("紧急转移安置人口", "persons", True),
    "relocated_central": ("集中安置", "persons", True),
    "relocated_dispersed": ("分散安置", "persons", True),
    "urgent_aid": ("需紧急生活救助人口", "persons", True),
    "drought_aid": ("因旱需生活救助人口", "persons", False),
    "drought_water_aid": ("饮水困难", "persons", False),
    "house_collapsed_hh": ("倒塌房屋", "households", True),
    "house_collapsed_rooms": ("倒塌房屋", "rooms", True),
    "house_severe_hh": ("严重损坏房屋", "households", True),
    "house_severe_rooms": ("严重损坏房屋", "rooms", True),
    "house_minor_hh": ("一般损坏房屋", "households", True),
    "house_minor_rooms": ("一般损坏房屋", "rooms", True),
    "crop_affected_ha": ("农作物受灾面积", "ha", True),
    "crop_damaged_ha": ("农作物成灾面积", "ha", True),
    "crop_failed_ha": ("农作物绝收面积", "ha", True),
    "livestock_dead": ("死亡大牲畜", "head", False),
    "road_damaged_km": ("受损公路", "km", False),
    "power_line_km": ("电力线路", "km", False),
    "water_pipe_km": ("供水管网", "km", False),
    "schools_damaged": ("受损学校", "count", False),
    "clinics_damaged": ("医疗卫生机构", "count", False),
    "reservoirs_damaged": ("受损水库", "count", False),
    "direct_loss": ("直接经济损失", "wan_yuan", True),
    "loss_housing": ("住房及家庭财产", "wan_yuan", False),
    "loss_agri": ("农林牧渔", "wan_yuan", False),
    "loss_industry": ("工矿商贸", "wan_yuan", False),
    "loss_infra": ("基础设施", "wan_yuan", False),
    "loss_public": ("公共服务", "wan_yuan", False),
    "loss_other": ("其他", "wan_yuan", False),
}
#: The "current" (实时) figures of DOMAIN §3's note: not cumulative, not core.
CURRENT_FIELDS = {"relocated_current", "urgent_aid_current"}

PARENTS = {
    "injured_severe": "injured",
    "drought_water_aid": "drought_aid",
    "relocated_central": "relocated",
    "relocated_dispersed": "relocated",
    **{
        f"loss_{p}": "direct_loss"
        for p in ("housing", "agri", "industry", "infra", "public", "other")
    },
}


def test_every_domain_field_is_an_indicator() -> None:
    assert set(DOMAIN_FIELDS) <= set(INDICATOR_BY_FIELD)


def test_no_indicator_beyond_domain_and_current_figures() -> None:
    assert set(INDICATOR_BY_FIELD) == set(DOMAIN_FIELDS) | CURRENT_FIELDS


def test_fields_are_unique_and_lookup_matches() -> None:
    fields = [i.field for i in INDICATORS]
    assert len(fields) == len(set(fields))
    for ind in INDICATORS:
        assert INDICATOR_BY_FIELD[ind.field] is ind
        assert indicator(ind.field) is ind
    with pytest.raises(KeyError):
        indicator("no_such_field")


@pytest.mark.parametrize("field", sorted(DOMAIN_FIELDS))
def test_domain_labels_and_units(field: str) -> None:
    zh_fragment, unit_key, _core = DOMAIN_FIELDS[field]
    ind = INDICATOR_BY_FIELD[field]
    assert zh_fragment in ind.zh
    assert ind.unit.key == unit_key


@pytest.mark.parametrize("ind", INDICATORS, ids=lambda i: i.field)
def test_labels_and_units_in_both_languages(ind: Indicator) -> None:
    assert ind.zh.strip() and ind.en.strip()
    assert ind.label("zh") == ind.zh == ind.label("zh_CN")
    assert ind.label("en") == ind.en == ind.label("en_GB")
    assert ind.unit.zh.strip() and ind.unit.en.strip()
    assert ind.unit_label("zh") == ind.unit.zh
    assert ind.unit_label("en") == ind.unit.en
    # An English label carries no Chinese, a Chinese label carries Chinese.
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in ind.en)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in ind.zh)


@pytest.mark.parametrize("ind", INDICATORS, ids=lambda i: i.field)
def test_decimals_follow_unit(ind: Indicator) -> None:
    expected = 2 if ind.unit.key in {"ha", "km", "wan_yuan"} else 0
    assert ind.decimals == expected
    assert ind.quantum == Decimal(1).scaleb(-expected)
    assert ind.quantum == (Decimal("0.01") if expected == 2 else Decimal(1))


def test_core_set_matches_the_starred_list() -> None:
    starred = {f for f, (_zh, _unit, core) in DOMAIN_FIELDS.items() if core}
    assert {i.field for i in INDICATORS if i.core} == starred


def test_current_figures_are_not_cumulative_everything_else_is() -> None:
    for ind in INDICATORS:
        assert ind.cumulative is (ind.field not in CURRENT_FIELDS), ind.field


def test_parents() -> None:
    assert {i.field: i.parent for i in INDICATORS if i.parent} == PARENTS
    for ind in INDICATORS:
        if ind.parent:
            parent = INDICATOR_BY_FIELD[ind.parent]
            assert parent.section is ind.section
            assert parent.unit == ind.unit
            assert INDICATORS.index(parent) < INDICATORS.index(ind), "parent first"


def test_loss_parts() -> None:
    assert LOSS_PARTS == (
        "loss_housing",
        "loss_agri",
        "loss_industry",
        "loss_infra",
        "loss_public",
        "loss_other",
    )
    for part in LOSS_PARTS:
        assert INDICATOR_BY_FIELD[part].zh.startswith("其中")
        assert INDICATOR_BY_FIELD[part].en.startswith("of which")


def test_sections() -> None:
    expected = {
        Section.PEOPLE: {f for f, (_z, unit, _c) in DOMAIN_FIELDS.items() if unit == "persons"}
        | CURRENT_FIELDS,
        Section.HOUSES: {f for f in DOMAIN_FIELDS if f.startswith("house_")},
        Section.CROPS: {"crop_affected_ha", "crop_damaged_ha", "crop_failed_ha", "livestock_dead"},
        Section.INFRASTRUCTURE: {
            "road_damaged_km",
            "power_line_km",
            "water_pipe_km",
            "schools_damaged",
            "clinics_damaged",
            "reservoirs_damaged",
        },
        Section.LOSSES: {"direct_loss", *LOSS_PARTS},
    }
    actual: dict[Section, set[str]] = {}
    for ind in INDICATORS:
        actual.setdefault(ind.section, set()).add(ind.field)
    assert actual == expected


def test_section_labels() -> None:
    assert list(SECTION_LABELS) == list(Section)
    for zh, en in SECTION_LABELS.values():
        assert zh.strip() and en.strip()


def test_indicators_by_section_is_core_first_in_national_order() -> None:
    groups = grouped()
    assert [s for s, _ in groups] == list(Section)
    seen: list[str] = []
    for section, members in groups:
        assert members, f"{section} is empty"
        assert all(i.section is section for i in members)
        flags = [i.core for i in members]
        assert flags == sorted(flags, reverse=True), f"{section}: core fields must come first"
        for part in (True, False):
            same = [i for i in members if i.core is part]
            positions = [INDICATORS.index(i) for i in same]
            assert positions == sorted(positions), f"{section}: national order within"
        seen += [i.field for i in members]
    assert sorted(seen) == sorted(INDICATOR_BY_FIELD), "every indicator exactly once"


def test_indicators_by_section_examples() -> None:
    groups = dict(grouped())
    people = [i.field for i in groups[Section.PEOPLE]]
    assert people[:7] == [
        "affected_pop",
        "deaths",
        "missing",
        "relocated",
        "relocated_central",
        "relocated_dispersed",
        "urgent_aid",
    ]
    assert groups[Section.LOSSES][0].field == "direct_loss"


def test_indicators_by_section_returns_fresh_lists() -> None:
    first = grouped()
    first[0][1].clear()
    assert grouped()[0][1], "callers must not be able to corrupt the table"

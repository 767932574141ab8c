"""Report stages (docs/domain.md §2) and disaster types with subtypes (§5)."""

from __future__ import annotations

import pytest
from contract_factories import raw

from sync.contract import (
    DISASTER_TYPE_BY_KEY,
    DISASTER_TYPES,
    INITIAL_NARRATIVE_MAX_CHARS,
    ContractError,
    ReportContent,
    ReportStage,
)
from sync.contract.disasters import EVENT_MERGE_DAYS
from sync.contract.stages import EMERGENCY_MIN_PHOTOS

# --- stages -----------------------------------------------------------------------------------


def test_stages_in_order_with_wire_values() -> None:
    assert [s.value for s in ReportStage] == ["initial", "continuing", "verified"]
    assert ReportStage("verified") is ReportStage.VERIFIED


@pytest.mark.parametrize(
    ("stage", "zh", "en"),
    [
        (ReportStage.INITIAL, "初报", "Initial"),
        (ReportStage.CONTINUING, "续报", "Continuing"),
        (ReportStage.VERIFIED, "核报", "Verified"),
    ],
)
def test_stage_labels(stage: ReportStage, zh: str, en: str) -> None:
    assert stage.label("zh") == zh
    assert stage.label("zh_CN") == zh
    assert stage.label("en") == en


def test_stage_constants() -> None:
    assert INITIAL_NARRATIVE_MAX_CHARS == 200
    assert EMERGENCY_MIN_PHOTOS == 3


# --- disaster types ---------------------------------------------------------------------------

#: DOMAIN §5: key → (Chinese name, Chinese subtype names)
DOMAIN_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "flood": ("洪涝", ("暴雨洪涝", "山洪", "城市内涝")),
    "drought": ("干旱", ()),
    "typhoon": ("台风", ()),
    "wind_hail": ("风雹", ("大风", "冰雹", "龙卷风", "雷电")),
    "cold": ("低温冷冻", ("低温冷害", "霜冻", "冻害")),
    "snow": ("雪灾", ()),
    "sandstorm": ("沙尘暴", ()),
    "earthquake": ("地震", ()),
    "geological": ("地质灾害", ("崩塌", "滑坡", "泥石流", "地面塌陷")),
    "marine": ("海洋灾害", ()),
    "forest_fire": ("森林草原火灾", ()),
    "biological": ("生物灾害", ()),
    "other": ("其他", ()),
}


def test_disaster_types_match_domain_in_order() -> None:
    assert [t.key for t in DISASTER_TYPES] == list(DOMAIN_TYPES)
    assert {t.key: t for t in DISASTER_TYPES} == DISASTER_TYPE_BY_KEY


@pytest.mark.parametrize("key", list(DOMAIN_TYPES))
def test_disaster_type_names_and_subtypes(key: str) -> None:
    zh, subtypes = DOMAIN_TYPES[key]
    dtype = DISASTER_TYPE_BY_KEY[key]
    assert dtype.zh == zh
    assert dtype.label("zh") == zh
    assert dtype.en.strip() and dtype.label("en") == dtype.en
    assert tuple(s.zh for s in dtype.subtypes) == subtypes
    keys = [s.key for s in dtype.subtypes]
    assert len(keys) == len(set(keys))
    for sub in dtype.subtypes:
        assert sub.en.strip() and sub.label("en") == sub.en and sub.label("zh") == sub.zh
        assert sub.key.isascii() and sub.key == sub.key.lower()
        assert dtype.subtype(sub.key) is sub
    assert dtype.subtype("no_such_subtype") is None


def test_subtype_keys_unique_across_types() -> None:
    keys = [s.key for t in DISASTER_TYPES for s in t.subtypes]
    assert len(keys) == len(set(keys))


def test_flood_merge_window() -> None:
    assert EVENT_MERGE_DAYS["flood"] == 3
    assert set(EVENT_MERGE_DAYS) <= set(DISASTER_TYPE_BY_KEY)


@pytest.mark.parametrize(
    ("dtype", "subtype"),
    [(t.key, s.key) for t in DISASTER_TYPES for s in t.subtypes] + [("drought", None)],
)
def test_report_accepts_each_type_and_subtype(dtype: str, subtype: str | None) -> None:
    report = ReportContent.from_dict(raw(disaster_type=dtype, disaster_subtype=subtype))
    assert report.disaster_type == dtype
    assert report.disaster_subtype == subtype


def test_a_village_may_omit_the_subtype() -> None:
    for blank in (None, ""):
        assert ReportContent.from_dict(raw(disaster_subtype=blank)).disaster_subtype is None
    data = raw()
    del data["disaster_subtype"]
    assert ReportContent.from_dict(data).disaster_subtype is None


@pytest.mark.parametrize(
    ("dtype", "subtype", "field"),
    [
        ("volcano", None, "disaster_type"),
        ("Flood", None, "disaster_type"),
        ("洪涝", None, "disaster_type"),
        ("flood", "landslide", "disaster_subtype"),  # a subtype of another type
        ("flood", "山洪", "disaster_subtype"),  # the label is not the key
        ("drought", "flash_flood", "disaster_subtype"),  # a type without subtypes
        ("geological", "sinkhole", "disaster_subtype"),
    ],
)
def test_report_rejects_unknown_types_and_subtypes(
    dtype: str, subtype: str | None, field: str
) -> None:
    with pytest.raises(ContractError) as err:
        ReportContent.from_dict(raw(disaster_type=dtype, disaster_subtype=subtype))
    assert err.value.field == field
    assert err.value.zh and err.value.en

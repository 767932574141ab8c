"""The national quick-report indicators (快报表): one table both the form and the server obey.

Each indicator names its field, labels, unit, section, decimals and whether it belongs to the
core set every village informant must be able to enter (docs/domain.md §3).  The order of
``INDICATORS`` is the national order used by forms and exports.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from sync.contract.bilingual import pick


class Section(StrEnum):
    """The form's sections, in display order."""

    PEOPLE = "people"
    HOUSES = "houses"
    CROPS = "crops"
    INFRASTRUCTURE = "infrastructure"
    LOSSES = "losses"


SECTION_LABELS: dict[Section, tuple[str, str]] = {
    Section.PEOPLE: ("人员受灾", "People"),
    Section.HOUSES: ("房屋受损", "Houses"),
    Section.CROPS: ("农作物", "Crops"),
    Section.INFRASTRUCTURE: ("基础设施", "Infrastructure"),
    Section.LOSSES: ("经济损失", "Economic losses"),
}


@dataclass(frozen=True)
class Unit:
    """A unit of measure with its Chinese and English symbol."""

    key: str
    zh: str
    en: str


PERSONS = Unit("persons", "人", "persons")
HOUSEHOLDS = Unit("households", "户", "households")
ROOMS = Unit("rooms", "间", "rooms")
HECTARES = Unit("ha", "公顷", "ha")
KILOMETRES = Unit("km", "公里", "km")
COUNT = Unit("count", "个", "units")
HEAD = Unit("head", "头(只)", "head")
WAN_YUAN = Unit("wan_yuan", "万元", "10k CNY")


@dataclass(frozen=True)
class Indicator:
    """One figure of the quick report.

    Attributes:
        field: the wire and database name.
        zh: Chinese label.
        en: English label.
        unit: unit of measure.
        section: the form section it belongs to.
        decimals: digits after the point (0 for counts, 2 for areas, lengths and money).
        core: part of the core set (★) every village informant enters.
        cumulative: a cumulative figure for the event, which may not fall between reports
            without a reason; current ("实时") figures may fall.
        parent: for an "of which" figure, the field it is part of.
    """

    field: str
    zh: str
    en: str
    unit: Unit
    section: Section
    decimals: int = 0
    core: bool = False
    cumulative: bool = True
    parent: str | None = None

    def label(self, lang: str) -> str:
        """Return the label in ``lang`` ("zh" or "en")."""
        return pick(lang, self.zh, self.en)

    def unit_label(self, lang: str) -> str:
        """Return the unit symbol in ``lang``."""
        return pick(lang, self.unit.zh, self.unit.en)

    @cached_property
    def quantum(self) -> Decimal:
        """The smallest step of this figure, e.g. ``Decimal("0.01")``."""
        return Decimal(1).scaleb(-self.decimals)


_P, _H, _C, _I, _L = (
    Section.PEOPLE,
    Section.HOUSES,
    Section.CROPS,
    Section.INFRASTRUCTURE,
    Section.LOSSES,
)

INDICATORS: tuple[Indicator, ...] = (
    # People
    Indicator("affected_pop", "受灾人口", "People affected", PERSONS, _P, core=True),
    Indicator("deaths", "因灾死亡人口", "Deaths", PERSONS, _P, core=True),
    Indicator("missing", "因灾失踪人口", "Missing", PERSONS, _P, core=True),
    Indicator("injured", "因灾受伤人口", "Injured", PERSONS, _P),
    Indicator(
        "injured_severe", "其中：重伤", "of which severely injured", PERSONS, _P, parent="injured"
    ),
    Indicator("evacuated_preemptive", "紧急避险转移人口", "Pre-emptively evacuated", PERSONS, _P),
    Indicator("relocated", "紧急转移安置人口", "Emergency relocation", PERSONS, _P, core=True),
    Indicator(
        "relocated_central",
        "其中：集中安置",
        "of which in shelters",
        PERSONS,
        _P,
        core=True,
        parent="relocated",
    ),
    Indicator(
        "relocated_dispersed",
        "其中：分散安置",
        "of which dispersed",
        PERSONS,
        _P,
        core=True,
        parent="relocated",
    ),
    Indicator(
        "relocated_current",
        "实时安置人口（当前仍在安置）",
        "Still relocated now",
        PERSONS,
        _P,
        cumulative=False,
    ),
    Indicator("urgent_aid", "需紧急生活救助人口", "Needing urgent aid", PERSONS, _P, core=True),
    Indicator(
        "urgent_aid_current",
        "实时需紧急生活救助人口",
        "Needing urgent aid now",
        PERSONS,
        _P,
        cumulative=False,
    ),
    Indicator("drought_aid", "因旱需生活救助人口", "Needing aid due to drought", PERSONS, _P),
    Indicator(
        "drought_water_aid",
        "其中：饮水困难",
        "of which short of drinking water",
        PERSONS,
        _P,
        parent="drought_aid",
    ),
    # Houses
    Indicator(
        "house_collapsed_hh",
        "倒塌房屋（户）",
        "Collapsed houses (households)",
        HOUSEHOLDS,
        _H,
        core=True,
    ),
    Indicator(
        "house_collapsed_rooms", "倒塌房屋（间）", "Collapsed houses (rooms)", ROOMS, _H, core=True
    ),
    Indicator(
        "house_severe_hh",
        "严重损坏房屋（户）",
        "Severely damaged houses (households)",
        HOUSEHOLDS,
        _H,
        core=True,
    ),
    Indicator(
        "house_severe_rooms",
        "严重损坏房屋（间）",
        "Severely damaged houses (rooms)",
        ROOMS,
        _H,
        core=True,
    ),
    Indicator(
        "house_minor_hh",
        "一般损坏房屋（户）",
        "Slightly damaged houses (households)",
        HOUSEHOLDS,
        _H,
        core=True,
    ),
    Indicator(
        "house_minor_rooms",
        "一般损坏房屋（间）",
        "Slightly damaged houses (rooms)",
        ROOMS,
        _H,
        core=True,
    ),
    # Crops
    Indicator(
        "crop_affected_ha",
        "农作物受灾面积",
        "Crops affected (loss ≥ 10 %)",
        HECTARES,
        _C,
        decimals=2,
        core=True,
    ),
    Indicator(
        "crop_damaged_ha",
        "农作物成灾面积",
        "Crops damaged (loss ≥ 30 %)",
        HECTARES,
        _C,
        decimals=2,
        core=True,
    ),
    Indicator(
        "crop_failed_ha",
        "农作物绝收面积",
        "Crops failed (loss ≥ 80 %)",
        HECTARES,
        _C,
        decimals=2,
        core=True,
    ),
    Indicator("livestock_dead", "因灾死亡大牲畜／小牲畜", "Livestock dead", HEAD, _C),
    # Infrastructure
    Indicator("road_damaged_km", "受损公路", "Roads damaged", KILOMETRES, _I, decimals=2),
    Indicator("power_line_km", "受损电力线路", "Power lines damaged", KILOMETRES, _I, decimals=2),
    Indicator("water_pipe_km", "受损供水管网", "Water pipes damaged", KILOMETRES, _I, decimals=2),
    Indicator("schools_damaged", "受损学校", "Schools damaged", COUNT, _I),
    Indicator("clinics_damaged", "受损医疗卫生机构", "Clinics damaged", COUNT, _I),
    Indicator("reservoirs_damaged", "受损水库", "Reservoirs damaged", COUNT, _I),
    # Losses
    Indicator(
        "direct_loss", "直接经济损失", "Direct economic loss", WAN_YUAN, _L, decimals=2, core=True
    ),
    Indicator(
        "loss_housing",
        "其中：住房及家庭财产",
        "of which housing and household property",
        WAN_YUAN,
        _L,
        decimals=2,
        parent="direct_loss",
    ),
    Indicator(
        "loss_agri",
        "其中：农林牧渔",
        "of which farming, forestry, fishery",
        WAN_YUAN,
        _L,
        decimals=2,
        parent="direct_loss",
    ),
    Indicator(
        "loss_industry",
        "其中：工矿商贸",
        "of which industry and commerce",
        WAN_YUAN,
        _L,
        decimals=2,
        parent="direct_loss",
    ),
    Indicator(
        "loss_infra",
        "其中：基础设施",
        "of which infrastructure",
        WAN_YUAN,
        _L,
        decimals=2,
        parent="direct_loss",
    ),
    Indicator(
        "loss_public",
        "其中：公共服务",
        "of which public services",
        WAN_YUAN,
        _L,
        decimals=2,
        parent="direct_loss",
    ),
    Indicator(
        "loss_other", "其中：其他", "of which other", WAN_YUAN, _L, decimals=2, parent="direct_loss"
    ),
)

INDICATOR_BY_FIELD: dict[str, Indicator] = {i.field: i for i in INDICATORS}

#: Loss parts that add up to ``direct_loss``.
LOSS_PARTS: tuple[str, ...] = tuple(i.field for i in INDICATORS if i.parent == "direct_loss")


def indicator(field: str) -> Indicator:
    """Return the indicator named ``field``; raise ``KeyError`` for an unknown field."""
    return INDICATOR_BY_FIELD[field]


def indicators_by_section() -> list[tuple[Section, list[Indicator]]]:
    """Return the indicators grouped by section, core fields first, national order within."""
    grouped: list[tuple[Section, list[Indicator]]] = []
    for section in Section:
        members = [i for i in INDICATORS if i.section is section]
        members.sort(key=lambda i: not i.core)  # stable: keeps national order within each part
        grouped.append((section, members))
    return grouped

"""Disaster types (灾种) and their subtypes, kept as data (docs/domain.md §5)."""

from __future__ import annotations

from dataclasses import dataclass

from sync.contract.bilingual import pick


@dataclass(frozen=True)
class DisasterSubtype:
    """A subtype of a disaster type, e.g. 山洪 of 洪涝."""

    key: str
    zh: str
    en: str

    def label(self, lang: str) -> str:
        """Return the subtype's name in ``lang``."""
        return pick(lang, self.zh, self.en)


@dataclass(frozen=True)
class DisasterType:
    """A disaster type with its subtypes."""

    key: str
    zh: str
    en: str
    subtypes: tuple[DisasterSubtype, ...] = ()

    def label(self, lang: str) -> str:
        """Return the type's name in ``lang``."""
        return pick(lang, self.zh, self.en)

    def subtype(self, key: str) -> DisasterSubtype | None:
        """Return the subtype ``key`` of this type, or ``None``."""
        for subtype in self.subtypes:  # a loop, not next(genexpr): every report asks
            if subtype.key == key:
                return subtype
        return None


def _s(key: str, zh: str, en: str) -> DisasterSubtype:
    return DisasterSubtype(key, zh, en)


DISASTER_TYPES: tuple[DisasterType, ...] = (
    DisasterType(
        "flood",
        "洪涝",
        "Flood",
        (
            _s("rainstorm_flood", "暴雨洪涝", "Rainstorm flood"),
            _s("flash_flood", "山洪", "Flash flood"),
            _s("urban_waterlogging", "城市内涝", "Urban waterlogging"),
        ),
    ),
    DisasterType("drought", "干旱", "Drought"),
    DisasterType("typhoon", "台风", "Typhoon"),
    DisasterType(
        "wind_hail",
        "风雹",
        "Wind and hail",
        (
            _s("gale", "大风", "Gale"),
            _s("hail", "冰雹", "Hail"),
            _s("tornado", "龙卷风", "Tornado"),
            _s("lightning", "雷电", "Lightning"),
        ),
    ),
    DisasterType(
        "cold",
        "低温冷冻",
        "Low temperature and freezing",
        (
            _s("chilling", "低温冷害", "Chilling damage"),
            _s("frost", "霜冻", "Frost"),
            _s("freeze", "冻害", "Freeze injury"),
        ),
    ),
    DisasterType("snow", "雪灾", "Snow disaster"),
    DisasterType("sandstorm", "沙尘暴", "Sandstorm"),
    DisasterType("earthquake", "地震", "Earthquake"),
    DisasterType(
        "geological",
        "地质灾害",
        "Geological disaster",
        (
            _s("rockfall", "崩塌", "Rockfall"),
            _s("landslide", "滑坡", "Landslide"),
            _s("debris_flow", "泥石流", "Debris flow"),
            _s("subsidence", "地面塌陷", "Ground subsidence"),
        ),
    ),
    DisasterType("marine", "海洋灾害", "Marine disaster"),
    DisasterType("forest_fire", "森林草原火灾", "Forest and grassland fire"),
    DisasterType("biological", "生物灾害", "Biological disaster"),
    DisasterType("other", "其他", "Other"),
)

DISASTER_TYPE_BY_KEY: dict[str, DisasterType] = {t.key: t for t in DISASTER_TYPES}

#: Days within which reports of the same type and area merge into one event (docs/domain.md §2).
EVENT_MERGE_DAYS: dict[str, int] = {"flood": 3}

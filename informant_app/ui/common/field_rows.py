"""The lines of a conflict's side-by-side view: every header field and every indicator.

Keys follow ``Conflict.differing_fields``: content keys, figures as ``figures.<name>``.
Labels and units come from the contract; the app's own words go through Qt's translator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QCoreApplication

from informant_app.core.sync.types import Conflict
from informant_app.ui.common.labels import (
    disaster_label,
    local_time_text,
    number_text,
    stage_label,
    village_name,
)
from sync.contract import DISASTER_TYPE_BY_KEY, INDICATORS, Indicator, parse_time

#: A value left out of a version.
NOT_GIVEN = "—"

#: Header keys in the order of the form.
HEADER_KEYS: tuple[str, ...] = (
    "stage",
    "village_code",
    "event_name",
    "disaster_type",
    "disaster_subtype",
    "occurred_at",
    "data_cutoff_at",
    "latitude",
    "longitude",
    "emergency_response",
    "event_stable",
    "narrative",
)
#: Keys after the figures.
TRAILING_KEYS: tuple[str, ...] = ("ledger", "households", "photos", "notes", "event_uuid")
#: Keys never compared: the same for both sides or chosen by the resolution itself.
IGNORED_KEYS = frozenset({"report_uuid", "submitted_at"})


@dataclass(frozen=True)
class ConflictRow:
    """One line of the comparison.

    Attributes:
        key: the content key (``figures.<name>`` for an indicator).
        label: what the line is, in the UI language (with the unit for an indicator).
        ours: this device's value, as text.
        theirs: the other version's value, as text.
        differs: the two versions disagree on this key (a choice is needed).
    """

    key: str
    label: str
    ours: str
    theirs: str
    differs: bool


def header_label(key: str) -> str:
    """Return the translated name of a header key (the key itself when unknown)."""
    labels = {
        "stage": QCoreApplication.translate("ConflictRows", "Stage"),
        "village_code": QCoreApplication.translate("ConflictRows", "Village"),
        "event_name": QCoreApplication.translate("ConflictRows", "Event name"),
        "disaster_type": QCoreApplication.translate("ConflictRows", "Disaster type"),
        "disaster_subtype": QCoreApplication.translate("ConflictRows", "Subtype"),
        "occurred_at": QCoreApplication.translate("ConflictRows", "Occurred at"),
        "data_cutoff_at": QCoreApplication.translate("ConflictRows", "Data cut-off"),
        "latitude": QCoreApplication.translate("ConflictRows", "Latitude"),
        "longitude": QCoreApplication.translate("ConflictRows", "Longitude"),
        "emergency_response": QCoreApplication.translate(
            "ConflictRows", "Emergency response active"
        ),
        "event_stable": QCoreApplication.translate("ConflictRows", "Situation stable"),
        "narrative": QCoreApplication.translate("ConflictRows", "Situation narrative"),
        "ledger": QCoreApplication.translate("ConflictRows", "Name ledger of the dead and missing"),
        "households": QCoreApplication.translate(
            "ConflictRows", "Household ledger of collapsed and damaged houses"
        ),
        "photos": QCoreApplication.translate("ConflictRows", "Photos"),
        "notes": QCoreApplication.translate("ConflictRows", "Notes on warnings"),
        "event_uuid": QCoreApplication.translate("ConflictRows", "Disaster event (number)"),
    }
    return labels.get(key, key)


def indicator_label(indicator: Indicator, lang: str) -> str:
    """Return an indicator's label with its unit, e.g. "受灾人口（人）".

    A label that already ends with its unit ("倒塌房屋（户）") is kept as it is.
    """
    label, unit = indicator.label(lang), indicator.unit_label(lang)
    if label.endswith((f"（{unit}）", f"({unit})")):
        return label
    if lang.startswith("zh"):
        return f"{label}（{unit}）"
    return f"{label} ({unit})"


def value_text(key: str, value: Any, content: Mapping[str, Any], lang: str) -> str:
    """Return a content value for display."""
    if value is None or value == "" or value == [] or value == {}:
        return NOT_GIVEN
    match key:
        case "stage":
            return stage_label(str(value), lang)
        case "village_code":
            return village_name(str(value))
        case "disaster_type":
            return disaster_label(str(value), lang)
        case "disaster_subtype":
            disaster = DISASTER_TYPE_BY_KEY.get(str(content.get("disaster_type") or ""))
            subtype = disaster.subtype(str(value)) if disaster else None
            return subtype.label(lang) if subtype else str(value)
        case "occurred_at" | "data_cutoff_at":
            try:
                return local_time_text(parse_time(value, key))
            except ValueError:
                return str(value)
        case "emergency_response" | "event_stable":
            if value:
                return QCoreApplication.translate("ConflictRows", "Yes")
            return QCoreApplication.translate("ConflictRows", "No")
        case "ledger":
            return "、".join(f"{e.get('name', '')}" for e in value if isinstance(e, dict))
        case "households":
            return "、".join(household_text(e) for e in value if isinstance(e, dict))
        case "photos":
            return QCoreApplication.translate("ConflictRows", "{n} photo(s)").format(n=len(value))
        case "event_uuid":
            return str(value)[:8]
        case "notes":
            return "\n".join(f"{note}" for note in value.values())
    return str(value)


def damage_label(damage: str) -> str:
    """Return the translated name of a household ledger's damage kind."""
    labels = {
        "collapsed": QCoreApplication.translate("ConflictRows", "collapsed"),
        "severe": QCoreApplication.translate("ConflictRows", "severely damaged"),
        "minor": QCoreApplication.translate("ConflictRows", "generally damaged"),
    }
    return labels.get(damage, damage)


def household_text(entry: Mapping[str, Any]) -> str:
    """Return one household row in a few words, e.g. "张三 (collapsed, 3 rooms)"."""
    text = QCoreApplication.translate("ConflictRows", "{head} ({damage}, {rooms} rooms)")
    return text.format(
        head=entry.get("head", ""),
        damage=damage_label(str(entry.get("damage", ""))),
        rooms=entry.get("rooms", ""),
    )


def figure_text(indicator: Indicator, value: Any) -> str:
    """Return a figure with the indicator's decimals, or the not-given mark."""
    if value is None or value == "":
        return NOT_GIVEN
    try:
        return number_text(Decimal(str(value)), indicator.decimals)
    except (InvalidOperation, ValueError):
        return str(value)


def _figures(content: Mapping[str, Any]) -> Mapping[str, Any]:
    figures = content.get("figures")
    return figures if isinstance(figures, Mapping) else {}


def conflict_rows(conflict: Conflict, lang: str) -> list[ConflictRow]:
    """Return every line of the comparison: header fields, indicators, ledger, photos."""
    ours, theirs = conflict.ours.content, conflict.theirs.content
    differing = set(conflict.differing_fields)
    rows: list[ConflictRow] = []
    for key in HEADER_KEYS:
        rows.append(
            ConflictRow(
                key,
                header_label(key),
                value_text(key, ours.get(key), ours, lang),
                value_text(key, theirs.get(key), theirs, lang),
                key in differing,
            )
        )
    our_figures, their_figures = _figures(ours), _figures(theirs)
    for indicator in INDICATORS:
        key = f"figures.{indicator.field}"
        rows.append(
            ConflictRow(
                key,
                indicator_label(indicator, lang),
                figure_text(indicator, our_figures.get(indicator.field)),
                figure_text(indicator, their_figures.get(indicator.field)),
                key in differing,
            )
        )
    for key in TRAILING_KEYS:
        rows.append(
            ConflictRow(
                key,
                header_label(key),
                value_text(key, ours.get(key), ours, lang),
                value_text(key, theirs.get(key), theirs, lang),
                key in differing,
            )
        )
    known = {row.key for row in rows}
    for key in conflict.differing_fields:  # anything the engine compares that we do not list
        if key not in known and key not in IGNORED_KEYS:
            rows.append(
                ConflictRow(
                    key, header_label(key), str(_lookup(ours, key)), str(_lookup(theirs, key)), True
                )
            )
    return rows


def _lookup(content: Mapping[str, Any], key: str) -> Any:
    value: Any = content
    for part in key.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return NOT_GIVEN if value is None else value

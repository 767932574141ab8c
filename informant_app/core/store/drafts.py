"""The loose JSON form of a draft: blank content, mirrored columns, parsing for the rules.

A draft's content uses the keys of ``ReportContent.to_dict`` but may be incomplete while the
informant types; these helpers turn it into what the database and the rules need.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sync.contract import (
    DISASTER_TYPE_BY_KEY,
    ContractError,
    DivisionLevel,
    DivisionTable,
    Issue,
    ReportContent,
    ReportStage,
    Severity,
    format_time,
)
from sync.contract.china_time import CHINA_TZ

#: China Standard Time (no daylight saving): the informant's wall clock for event names.
CHINA_TIME = CHINA_TZ

#: Content keys copied from an event or an earlier report into a new report of that event.
EVENT_KEYS = ("event_uuid", "event_name", "disaster_type", "disaster_subtype", "occurred_at")


def blank_content(
    *, report_uuid: str, event_uuid: str, stage: ReportStage, village_code: str, now: datetime
) -> dict[str, Any]:
    """Return the content of a new, empty draft (every ``to_dict`` key present)."""
    return {
        "report_uuid": report_uuid,
        "event_uuid": event_uuid,
        "event_name": "",
        "stage": stage.value,
        "disaster_type": None,
        "disaster_subtype": None,
        "village_code": village_code,
        "occurred_at": format_time(now),
        "data_cutoff_at": format_time(now),
        "submitted_at": None,
        "latitude": None,
        "longitude": None,
        "narrative": "",
        "figures": {},
        "notes": {},
        "photos": [],
        "ledger": [],
        "emergency_response": False,
        "event_stable": False,
    }


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return format_time(value)
    raise TypeError(f"not JSON serialisable in a draft: {type(value).__name__}")


def dump_draft(content: Mapping[str, Any]) -> str:
    """Return the stored JSON text of a loose draft (Decimals as exact strings)."""
    return json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=_json_default)


def mirrored_columns(content: Mapping[str, Any]) -> dict[str, str]:
    """Return the list columns (event, village, stage) the content sets validly.

    Keys with missing or malformed values are left out, so the column keeps its last value.
    """
    columns: dict[str, str] = {}
    event_uuid = content.get("event_uuid")
    if isinstance(event_uuid, str) and 0 < len(event_uuid) <= 64:
        columns["event_uuid"] = event_uuid
    village = content.get("village_code")
    if isinstance(village, str) and len(village) <= 12:
        columns["village_code"] = village
    stage = content.get("stage")
    if isinstance(stage, str) and stage in {s.value for s in ReportStage}:
        columns["stage"] = stage
    return columns


def contract_issue(err: ContractError) -> Issue:
    """Return a parse problem as a blocking issue beside its field (rule ``R0``)."""
    return Issue("R0", Severity.ERROR, err.field, err.zh, err.en)


def parse_content(
    content: Mapping[str, Any], submitted_at: datetime | None
) -> ReportContent | Issue:
    """Parse loose content as if submitted at ``submitted_at``; a parse problem is an issue."""
    data = dict(content)
    if submitted_at is not None:
        data["submitted_at"] = format_time(submitted_at)
    try:
        return ReportContent.from_dict(data)
    except ContractError as err:
        return contract_issue(err)


#: Neutral stand-ins for header fields, so the figure rules can run on an unfinished draft.
_PLACEHOLDERS: dict[str, Any] = {
    "report_uuid": "-",
    "event_uuid": "-",
    "event_name": "",
    "stage": "initial",
    "disaster_type": "other",
    "disaster_subtype": None,
    "village_code": "000000000000",
    "latitude": None,
    "longitude": None,
    "narrative": "",
    "notes": {},
    "photos": [],
    "ledger": [],
    "households": [],
    "emergency_response": False,
    "event_stable": False,
}


@dataclass(frozen=True)
class LenientParse:
    """A draft parsed as far as it goes.

    Attributes:
        content: the content when it parsed cleanly, else ``None``.
        problems: one R0 issue per bad or missing field.
        stand_in: the content with neutral stand-ins for the bad fields, for the rules.
        patched: the top-level fields that were stood in for.
    """

    content: ReportContent | None
    problems: list[Issue]
    stand_in: ReportContent
    patched: frozenset[str]


def parse_leniently(content: Mapping[str, Any], submitted_at: datetime) -> LenientParse:
    """Parse a draft, reporting every parse problem and still letting the rules run.

    Each bad or missing field is reported once and replaced by a neutral stand-in, so that an
    unfinished header (no disaster type chosen yet) does not hide the figure rules.
    """
    data = dict(content)
    data["submitted_at"] = format_time(submitted_at)
    problems: list[Issue] = []
    patched: set[str] = set()
    for _ in range(64):  # each pass stands in for one field; a report has far fewer
        try:
            parsed = ReportContent.from_dict(data)
        except ContractError as err:
            problems.append(contract_issue(err))
            top = err.field.split(".")[0].split("[")[0]
            if top == "figures" and "." in err.field:
                figures = dict(data.get("figures") or {})
                figures.pop(err.field.split(".", 1)[1], None)
                data["figures"] = figures
                continue
            patched.add(top)
            if top in ("occurred_at", "data_cutoff_at"):
                data[top] = data["submitted_at"]
            elif top in _PLACEHOLDERS:
                data[top] = _PLACEHOLDERS[top]
            else:  # an unknown key, or a malformed figures object
                data.pop(top, None)
            continue
        return LenientParse(None if problems else parsed, problems, parsed, frozenset(patched))
    raise RuntimeError("draft content could not be parsed")  # pragma: no cover


def default_event_name(
    content: ReportContent, divisions: DivisionTable, taken: Collection[str] = ()
) -> str:
    """Return the national style name of an event: date + county + disaster type.

    For example ``2024年7月1日隆阳区洪涝`` (the date in China Standard Time).  A name in
    ``taken`` (an open event of the area has it: the informant chose to open another one) gets
    a number, ``2024年7月1日隆阳区洪涝（2）``, so that two events never share a name.
    """
    local = content.occurred_at.astimezone(CHINA_TIME)
    date = f"{local.year}年{local.month}月{local.day}日"
    county = next(
        (
            d.name
            for d in divisions.ancestors(content.village_code)
            if d.level is DivisionLevel.COUNTY
        ),
        "",
    )
    disaster = DISASTER_TYPE_BY_KEY[content.disaster_type]
    kind = disaster.zh
    if content.disaster_subtype:
        sub = disaster.subtype(content.disaster_subtype)
        kind = sub.zh if sub is not None else kind
    name = f"{date}{county}{kind}"
    number = 2
    while name in taken:
        name = f"{date}{county}{kind}（{number}）"
        number += 1
    return name

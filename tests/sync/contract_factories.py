"""Builders for report contents used by the contract tests (plain functions, no fixtures)."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from sync.contract import Issue, ReportContent, Severity
from tests.support.places import WAFANG, WAFANG_TOWNSHIP

VILLAGE = WAFANG  # 瓦房社区, 瓦房彝族苗族乡, 隆阳区
OTHER_VILLAGE = "530502205201"  # 瓦渡社区, 瓦渡乡 (another township's village)
TOWNSHIP = WAFANG_TOWNSHIP
SHA = "ab" * 32

#: A report that passes every rule: no error, no warning.
CLEAN_FIGURES: dict[str, Any] = {
    "affected_pop": 120,
    "deaths": 1,
    "missing": 1,
    "injured": 5,
    "injured_severe": 2,
    "evacuated_preemptive": 40,
    "relocated": 30,
    "relocated_central": 20,
    "relocated_dispersed": 10,
    "relocated_current": 12,
    "urgent_aid": 25,
    "urgent_aid_current": 8,
    "drought_aid": 0,
    "drought_water_aid": 0,
    "house_collapsed_hh": 2,
    "house_collapsed_rooms": 6,
    "house_severe_hh": 3,
    "house_severe_rooms": 7,
    "house_minor_hh": 10,
    "house_minor_rooms": 21,
    "crop_affected_ha": 35.5,
    "crop_damaged_ha": 20.25,
    "crop_failed_ha": 3.1,
    "livestock_dead": 4,
    "road_damaged_km": 1.75,
    "power_line_km": 0.5,
    "water_pipe_km": 0.2,
    "schools_damaged": 1,
    "clinics_damaged": 0,
    "reservoirs_damaged": 0,
    "direct_loss": 150.5,
    "loss_housing": 80,
    "loss_agri": 50.25,
    "loss_industry": 0,
    "loss_infra": 15.25,
    "loss_public": 5,
    "loss_other": 0,
}

CLEAN_RAW: dict[str, Any] = {
    "report_uuid": "0b7f3c1e-1111-4c1a-9a51-000000000001",
    "event_uuid": "0b7f3c1e-2222-4c1a-9a51-000000000002",
    "event_name": "20240701隆阳区洪涝",
    "stage": "initial",
    "disaster_type": "flood",
    "disaster_subtype": "flash_flood",
    "village_code": VILLAGE,
    "occurred_at": "2024-07-01T05:30:00+08:00",
    "data_cutoff_at": "2024-07-01T07:00:00+08:00",
    "submitted_at": "2024-07-01T07:20:00+08:00",
    "latitude": 25.05,
    "longitude": 99.05,
    "narrative": "7月1日凌晨暴雨引发山洪，冲毁房屋两户，已转移群众30人。",
    "figures": CLEAN_FIGURES,
    "notes": {},
    "photos": [],
    "ledger": [],
    "emergency_response": False,
    "event_stable": False,
}


def household_rows(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Return a household ledger that matches ``figures``: one row per household, every row
    rooms spread evenly over the households of a kind."""
    rows: list[dict[str, Any]] = []
    for kind in ("collapsed", "severe", "minor"):
        hh = int(figures.get(f"house_{kind}_hh", 0))
        rooms = int(figures.get(f"house_{kind}_rooms", 0))
        for i in range(hh):
            share = rooms // hh + (1 if i < rooms % hh else 0)  # spread evenly
            rows.append({"head": f"{kind}户主{i + 1}", "damage": kind, "rooms": share, "note": ""})
    return rows


#: The household ledger of the clean figures (2 collapsed, 3 severe and 10 minor households).
CLEAN_HOUSEHOLDS = household_rows(CLEAN_FIGURES)


def raw(**overrides: Any) -> dict[str, Any]:
    """Return a deep copy of the clean raw report with top-level ``overrides`` applied."""
    data = copy.deepcopy(CLEAN_RAW)
    data.update(copy.deepcopy(overrides))
    return data


def raw_with_figures(figures: dict[str, Any] | None = None, /, **overrides: Any) -> dict[str, Any]:
    """Return the clean raw report whose figures are exactly ``figures`` (default: none)."""
    return raw(figures=dict(figures or {}), **overrides)


def content(**overrides: Any) -> ReportContent:
    """Return the clean report parsed, with top-level ``overrides`` applied."""
    return ReportContent.from_dict(raw(**overrides))


def figures_content(figures: dict[str, Any] | None = None, /, **overrides: Any) -> ReportContent:
    """Return a parsed report whose figures are exactly ``figures``."""
    return ReportContent.from_dict(raw_with_figures(figures, **overrides))


def patched_figures(**changes: Any) -> dict[str, Any]:
    """Return the clean figures with ``changes`` applied (``None`` removes a figure)."""
    figures = dict(CLEAN_FIGURES)
    for name, value in changes.items():
        if value is None:
            figures.pop(name, None)
        else:
            figures[name] = value
    return figures


def errors(issues: Iterable[Issue]) -> set[tuple[str, str]]:
    """Return the ``(rule, field)`` of every error."""
    return {(i.rule, i.field) for i in issues if i.severity is Severity.ERROR}


def warnings(issues: Iterable[Issue]) -> set[tuple[str, str]]:
    """Return the ``(rule, field)`` of every warning."""
    return {(i.rule, i.field) for i in issues if i.severity is Severity.WARNING}


def find_issue(issues: Iterable[Issue], rule: str, severity: Severity, field: str) -> Issue:
    """Return the issue ``rule`` at ``field`` with ``severity``; fail with the list otherwise.

    Also checks that the issue speaks both languages.
    """
    issues = list(issues)
    matches = [i for i in issues if i.rule == rule and i.field == field]
    assert matches, f"no {rule} issue at {field}; got {[(i.rule, i.field) for i in issues]}"
    issue = matches[0]
    assert issue.severity is severity, f"{issue.key} is {issue.severity}, expected {severity}"
    assert issue.zh.strip(), f"{issue.key} has no Chinese message"
    assert issue.en.strip(), f"{issue.key} has no English message"
    assert issue.message("zh") == issue.zh
    assert issue.message("en") == issue.en
    assert issue.key == f"{rule}:{field}"
    return issue


def no_issue(issues: Iterable[Issue], rule: str, field: str | None = None) -> None:
    """Assert no issue of ``rule`` (at ``field`` when given)."""
    found = [i for i in issues if i.rule == rule and (field is None or i.field == field)]
    assert not found, f"unexpected {[(i.rule, i.field, i.en) for i in found]}"

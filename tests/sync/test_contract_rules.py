"""Every consistency rule of docs/domain.md §4 (R0–R12): a passing and a failing example each."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from contract_factories import (
    CLEAN_FIGURES,
    CLEAN_HOUSEHOLDS,
    OTHER_VILLAGE,
    SHA,
    TOWNSHIP,
    VILLAGE,
    content,
    errors,
    figures_content,
    find_issue,
    no_issue,
    patched_figures,
)

from sync.contract import (
    Issue,
    Severity,
    ValidationContext,
    blocking_issues,
    default_divisions,
    validate,
)
from sync.contract.indicators import INDICATOR_BY_FIELD, LOSS_PARTS
from sync.contract.rules import RULES, Adjustment, TownshipTotals, check_township_figures

E, W = Severity.ERROR, Severity.WARNING
D = Decimal


def _v(
    figures: dict[str, Any], ctx: ValidationContext | None = None, **overrides: Any
) -> list[Issue]:
    return validate(figures_content(figures, **overrides), ctx)


def test_clean_report_has_no_issue() -> None:
    assert validate(content()) == []
    ctx = ValidationContext(
        divisions=default_divisions(),
        allowed_villages=frozenset({VILLAGE}),
        now=datetime(2024, 7, 2, tzinfo=UTC),
        previous_figures={"affected_pop": D(100)},
    )
    assert validate(content(stage="continuing"), ctx) == []


def test_empty_report_has_no_figure_issue() -> None:
    assert validate(figures_content()) == []


def test_every_rule_has_an_id_and_severity() -> None:
    ids = {check.rule for check in RULES}
    assert ids == {f"R{n}" for n in range(12)}
    for check in RULES:
        assert isinstance(check.severity, Severity)


def test_issue_to_dict() -> None:
    issue = find_issue(_v({"deaths": -1}), "R1", E, "deaths")
    assert issue.to_dict() == {
        "rule": "R1",
        "severity": "error",
        "field": "deaths",
        "zh": issue.zh,
        "en": issue.en,
    }


def test_errors_come_first() -> None:
    issues = _v({"affected_pop": 0, "house_minor_hh": 2, "crop_failed_ha": 1})
    severities = [i.severity for i in issues]
    assert severities == sorted(severities, key=lambda s: s is not E)
    assert E in severities and W in severities


# --- R0: narrative, village, jurisdiction -----------------------------------------------------


@pytest.mark.parametrize("narrative", ["", "   ", "\n\t"])
def test_r0_narrative_required(narrative: str) -> None:
    find_issue(validate(content(narrative=narrative)), "R0", E, "narrative")


def test_r0_narrative_given() -> None:
    no_issue(validate(content(narrative="暴雨")), "R0")


def test_r0_village_must_exist() -> None:
    ctx = ValidationContext(divisions=default_divisions())
    no_issue(validate(content(), ctx), "R0")
    find_issue(validate(content(village_code="530502208299"), ctx), "R0", E, "village_code")


def test_r0_a_township_is_not_a_village() -> None:
    ctx = ValidationContext(divisions=default_divisions())
    find_issue(validate(content(village_code=TOWNSHIP), ctx), "R0", E, "village_code")


def test_r0_no_division_table_no_check() -> None:
    no_issue(validate(content(village_code="999999999999")), "R0")


def test_r0_jurisdiction() -> None:
    ctx = ValidationContext(allowed_villages=frozenset({VILLAGE}))
    no_issue(validate(content(), ctx), "R0")
    find_issue(validate(content(village_code=OTHER_VILLAGE), ctx), "R0", E, "village_code")
    nobody = ValidationContext(allowed_villages=frozenset())
    find_issue(validate(content(), nobody), "R0", E, "village_code")


# --- R1: counts are integers ≥ 0; areas and money ≥ 0 with ≤ 2 decimals --------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("deaths", 0),
        ("deaths", 7),
        ("crop_affected_ha", 1.25),
        ("crop_affected_ha", 3),
        ("direct_loss", "0.01"),
        ("road_damaged_km", 12.1),
        ("house_minor_rooms", "4.00"),
    ],
)
def test_r1_pass(field: str, value: object) -> None:
    no_issue(_v({field: value}), "R1")


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("deaths", -1, "negative"),
        ("affected_pop", 2.5, "whole"),
        ("house_collapsed_rooms", "0.1", "whole"),
        ("crop_affected_ha", 1.255, "decimals"),
        ("road_damaged_km", "0.001", "decimals"),
        ("direct_loss", -0.01, "negative"),
        ("loss_other", "1.999", "decimals"),
    ],
)
def test_r1_fail(field: str, value: object, words: str) -> None:
    issue = find_issue(_v({field: value}), "R1", E, field)
    assert words in issue.en
    assert INDICATOR_BY_FIELD[field].zh in issue.zh


# --- R2: crop_failed ≤ crop_damaged ≤ crop_affected --------------------------------------------


def test_r2_pass() -> None:
    no_issue(_v({"crop_affected_ha": 5, "crop_damaged_ha": 5, "crop_failed_ha": 5}), "R2")
    no_issue(_v({"crop_affected_ha": 5, "crop_damaged_ha": 2.5, "crop_failed_ha": 0}), "R2")
    no_issue(_v({"crop_affected_ha": 5}), "R2")


def test_r2_failed_exceeds_damaged() -> None:
    issues = _v({"crop_affected_ha": 5, "crop_damaged_ha": 2, "crop_failed_ha": 2.01})
    issue = find_issue(issues, "R2", E, "crop_failed_ha")
    assert "2.01" in issue.en and "2" in issue.en
    assert errors(issues) == {("R2", "crop_failed_ha")}


def test_r2_damaged_exceeds_affected() -> None:
    issues = _v({"crop_affected_ha": 5, "crop_damaged_ha": 6, "crop_failed_ha": 1})
    find_issue(issues, "R2", E, "crop_damaged_ha")
    assert errors(issues) == {("R2", "crop_damaged_ha")}


def test_r2_part_without_its_whole() -> None:
    find_issue(_v({"crop_failed_ha": 1}), "R2", E, "crop_failed_ha")
    find_issue(_v({"crop_damaged_ha": 1}), "R2", E, "crop_damaged_ha")


# --- R3: every "of which" ≤ its parent ----------------------------------------------------------

R3_PAIRS = [
    ("injured_severe", "injured"),
    ("drought_water_aid", "drought_aid"),
    *((part, "direct_loss") for part in LOSS_PARTS),
]


@pytest.mark.parametrize(("part", "parent"), R3_PAIRS)
def test_r3_pass(part: str, parent: str) -> None:
    no_issue(_v({parent: 10, part: 10}), "R3")
    no_issue(_v({parent: 10, part: 0}), "R3")


@pytest.mark.parametrize(("part", "parent"), R3_PAIRS)
def test_r3_fail(part: str, parent: str) -> None:
    issues = _v({parent: 10, part: 11})
    find_issue(issues, "R3", E, part)
    assert errors(issues) == {("R3", part)}
    find_issue(_v({part: 1}), "R3", E, part)  # parent not entered counts as 0


# --- R4: households ≤ rooms; rooms > 0 when households > 0 ----------------------------------

HOUSE_CLASSES = ["collapsed", "severe", "minor"]


@pytest.mark.parametrize("cls", HOUSE_CLASSES)
def test_r4_pass(cls: str) -> None:
    hh, rooms = f"house_{cls}_hh", f"house_{cls}_rooms"
    no_issue(_v({hh: 3, rooms: 3}), "R4")
    no_issue(_v({hh: 3, rooms: 9}), "R4")
    no_issue(_v({hh: 0, rooms: 0}), "R4")
    no_issue(_v({rooms: 2}), "R4")


@pytest.mark.parametrize("cls", HOUSE_CLASSES)
def test_r4_more_households_than_rooms(cls: str) -> None:
    hh, rooms = f"house_{cls}_hh", f"house_{cls}_rooms"
    issues = _v({hh: 4, rooms: 3})
    issue = find_issue(issues, "R4", E, rooms)
    assert "fewer" in issue.en
    assert errors(issues) == {("R4", rooms)}


@pytest.mark.parametrize("cls", HOUSE_CLASSES)
@pytest.mark.parametrize("rooms_value", [0, None])
def test_r4_households_need_rooms(cls: str, rooms_value: int | None) -> None:
    hh, rooms = f"house_{cls}_hh", f"house_{cls}_rooms"
    figures = {hh: 2} if rooms_value is None else {hh: 2, rooms: rooms_value}
    issue = find_issue(_v(figures), "R4", E, rooms)
    assert "above 0" in issue.en


# --- R5: relocated = central + dispersed ------------------------------------------------------


def test_r5_pass() -> None:
    no_issue(_v({"relocated": 10, "relocated_central": 4, "relocated_dispersed": 6}), "R5")
    no_issue(_v({"relocated": 0}), "R5")
    no_issue(_v({"relocated_current": 5}), "R5")
    no_issue(_v({}), "R5")


@pytest.mark.parametrize(
    "figures",
    [
        {"relocated": 10, "relocated_central": 4, "relocated_dispersed": 5},
        {"relocated": 10, "relocated_central": 6, "relocated_dispersed": 6},
        {"relocated": 10},  # the split is required
        {"relocated_central": 3},  # a part without its total
    ],
)
def test_r5_fail(figures: dict[str, Any]) -> None:
    issues = _v(figures)
    find_issue(issues, "R5", E, "relocated")
    assert ("R5", "relocated") in errors(issues)


# --- R6: affected_pop ≥ relocated, urgent_aid, deaths + missing (W) --------------------------


def test_r6_pass() -> None:
    no_issue(
        _v(
            {
                "affected_pop": 5,
                "relocated": 5,
                "relocated_central": 5,
                "urgent_aid": 5,
                "deaths": 2,
                "missing": 3,
            }
        ),
        "R6",
    )
    no_issue(_v({"affected_pop": 0}), "R6")


@pytest.mark.parametrize(
    "figures",
    [
        {"affected_pop": 4, "relocated": 5, "relocated_central": 5},
        {"affected_pop": 4, "urgent_aid": 5},
        {"affected_pop": 4, "deaths": 3, "missing": 2},
        {"deaths": 1},
    ],
)
def test_r6_fail(figures: dict[str, Any]) -> None:
    issues = _v(figures)
    find_issue(issues, "R6", W, "affected_pop")
    assert len([i for i in issues if i.rule == "R6"]) == 1, "one note answers R6"


# --- R7: sum of loss parts = direct_loss (W) -------------------------------------------------


def test_r7_pass() -> None:
    no_issue(_v({"direct_loss": 10.5, "loss_housing": 10, "loss_other": 0.5}), "R7")
    no_issue(_v({"direct_loss": 10.5}), "R7")  # parts not given
    no_issue(validate(content()), "R7")


def test_r7_fail() -> None:
    issues = _v({"direct_loss": 10.5, "loss_housing": 10})
    issue = find_issue(issues, "R7", W, "direct_loss")
    assert "10.5" in issue.en and "10" in issue.en
    assert not errors(issues)


# --- R8: damage or loss but nobody affected (W) ----------------------------------------------


def test_r8_pass() -> None:
    no_issue(_v({"affected_pop": 1, "house_minor_hh": 1, "house_minor_rooms": 1}), "R8")
    no_issue(_v({"affected_pop": 0}), "R8")
    no_issue(_v({"relocated_current": 3, "urgent_aid_current": 2}), "R8")  # current figures


@pytest.mark.parametrize(
    "field", ["direct_loss", "crop_affected_ha", "road_damaged_km", "livestock_dead", "deaths"]
)
def test_r8_fail(field: str) -> None:
    find_issue(_v({"affected_pop": 0, field: 1}), "R8", W, "affected_pop")
    find_issue(_v({field: 1}), "R8", W, "affected_pop")


# --- R9: a cumulative figure lower than the previous report (W) ------------------------------


def test_r9_pass() -> None:
    prev = ValidationContext(previous_figures={"affected_pop": D(100), "relocated_current": D(30)})
    no_issue(validate(content(stage="continuing"), prev), "R9")  # 120 ≥ 100; current may fall
    no_issue(
        validate(
            content(stage="initial"), ValidationContext(previous_figures={"affected_pop": D(999)})
        ),
        "R9",
    )  # no previous report for an initial
    no_issue(validate(content(stage="continuing")), "R9")


@pytest.mark.parametrize("stage", ["continuing", "verified"])
def test_r9_fail(stage: str) -> None:
    ctx = ValidationContext(previous_figures={"affected_pop": D(121), "crop_affected_ha": D(40)})
    issues = validate(content(stage=stage, event_stable=True), ctx)
    issue = find_issue(issues, "R9", W, "affected_pop")
    assert "121" in issue.en and "120" in issue.en
    find_issue(issues, "R9", W, "crop_affected_ha")


def test_r9_dropped_figure_counts_as_zero() -> None:
    ctx = ValidationContext(previous_figures={"deaths": D(1)})
    find_issue(
        validate(figures_content(patched_figures(deaths=None), stage="continuing"), ctx),
        "R9",
        W,
        "deaths",
    )


# --- R10: occurred ≤ cut-off ≤ submitted; verified only once stable --------------------------


def test_r10_pass() -> None:
    same = "2024-07-01T05:30:00+08:00"
    no_issue(validate(content(occurred_at=same, data_cutoff_at=same, submitted_at=same)), "R10")
    no_issue(
        validate(
            content(
                stage="verified",
                event_stable=True,
                ledger=[{"name": "甲", "status": "death"}, {"name": "乙", "status": "missing"}],
            )
        ),
        "R10",
    )
    no_issue(validate(content(submitted_at=None)), "R10")


def test_r10_cutoff_before_occurrence() -> None:
    issues = validate(content(data_cutoff_at="2024-07-01T05:29:59+08:00"))
    find_issue(issues, "R10", E, "data_cutoff_at")


def test_r10_cutoff_after_submission() -> None:
    issues = validate(content(submitted_at="2024-07-01T06:59:59+08:00"))
    issue = find_issue(issues, "R10", E, "data_cutoff_at")
    assert "submission" in issue.en


def test_r10_cutoff_after_now_without_submission() -> None:
    early = ValidationContext(now=datetime(2024, 6, 30, 22, 0, tzinfo=UTC))
    find_issue(validate(content(submitted_at=None), early), "R10", E, "data_cutoff_at")
    late = ValidationContext(now=datetime(2024, 7, 2, tzinfo=UTC))
    no_issue(validate(content(submitted_at=None), late), "R10")


def test_r10_verified_before_stable() -> None:
    issues = validate(content(stage="verified", event_stable=False))
    find_issue(issues, "R10", E, "stage")


# --- R11: narrative length (W), photos in a response (E), name ledger when verified (E) ------


def test_r11_narrative_length() -> None:
    no_issue(validate(content(narrative="灾" * 200)), "R11")
    no_issue(validate(content(narrative="  " + "灾" * 200 + "\n")), "R11")
    no_issue(validate(content(narrative="灾" * 500, stage="continuing")), "R11")
    issue = find_issue(validate(content(narrative="灾" * 201)), "R11", W, "narrative")
    assert "201" in issue.en and "200" in issue.en


def test_r11_photos_in_emergency() -> None:
    photos = [{"sha256": SHA, "size": n} for n in range(3)]
    no_issue(validate(content(emergency_response=True, photos=photos)), "R11")
    no_issue(validate(content(emergency_response=False)), "R11")
    issue = find_issue(
        validate(content(emergency_response=True, photos=photos[:2])), "R11", E, "photos"
    )
    assert "3" in issue.en and "2" in issue.en


def test_r11_ledger_at_verified_stage() -> None:
    ledger = [{"name": "甲", "status": "death"}, {"name": "乙", "status": "missing"}]
    verified = {"stage": "verified", "event_stable": True, "households": CLEAN_HOUSEHOLDS}
    no_issue(validate(content(ledger=ledger, **verified)), "R11")
    no_issue(validate(content(stage="continuing")), "R11")  # no ledger needed before
    for rows, expected_text in (
        (ledger[:1], "needs 1 missing rows (0 given)"),
        ([], "needs 1 dead rows (0 given)"),
        ([*ledger, {"name": "丙", "status": "death"}], "needs 1 dead rows (2 given)"),
        (
            [{"name": "甲", "status": "missing"}, {"name": "乙", "status": "missing"}],
            "needs 1 dead rows (0 given)",
        ),
    ):
        issue = find_issue(validate(content(ledger=rows, **verified)), "R11", E, "ledger")
        assert expected_text in issue.en
    no_deaths = {**verified, "households": []}
    no_issue(validate(figures_content({}, **no_deaths)), "R11")  # no deaths: empty ledger


VERIFIED = {"stage": "verified", "event_stable": True}


def test_r11_household_ledger_matches_the_house_figures_at_the_verified_stage() -> None:
    no_issue(validate(content(households=CLEAN_HOUSEHOLDS, **VERIFIED)), "R11", "households")
    # before the verified stage no household ledger is needed, and a partial one is fine
    for stage in ("initial", "continuing"):
        no_issue(validate(content(stage=stage)), "R11", "households")
        no_issue(
            validate(content(stage=stage, households=CLEAN_HOUSEHOLDS[:1])), "R11", "households"
        )
    issue = find_issue(validate(content(**VERIFIED)), "R11", E, "households")
    assert "2 collapsed households (0 listed)" in issue.en
    assert "3 severely damaged households (0 listed)" in issue.en
    assert "10 generally damaged households (0 listed)" in issue.en
    assert "倒塌房屋应有 2 户（现有 0 户）" in issue.zh


def test_r11_household_ledger_counts_rows_per_damage_kind() -> None:
    # one collapsed household listed as severely damaged: both kinds are off by one
    moved = [dict(row) for row in CLEAN_HOUSEHOLDS]
    first_collapsed = next(r for r in moved if r["damage"] == "collapsed")
    first_collapsed["damage"] = "severe"
    issue = find_issue(validate(content(households=moved, **VERIFIED)), "R11", E, "households")
    assert "2 collapsed households (1 listed)" in issue.en
    assert "3 severely damaged households (4 listed)" in issue.en
    assert "generally" not in issue.en


@pytest.mark.parametrize("delta", [-1, 1, 5])
def test_r11_household_ledger_rooms_add_up_to_the_rooms_figure(delta: int) -> None:
    rows = [dict(row) for row in CLEAN_HOUSEHOLDS]
    minor = next(r for r in rows if r["damage"] == "minor")
    if minor["rooms"] + delta < 1:
        minor = next(r for r in rows if r["damage"] == "minor" and r["rooms"] > 1)
    minor["rooms"] += delta
    issue = find_issue(validate(content(households=rows, **VERIFIED)), "R11", E, "households")
    assert f"21 generally damaged rooms in all ({21 + delta} listed)" in issue.en
    assert f"一般损坏房屋间数合计应为 21 间（现为 {21 + delta} 间）" in issue.zh


def test_r11_household_ledger_without_house_figures_must_be_empty() -> None:
    no_houses = patched_figures(
        **{
            f"house_{k}_{u}": None
            for k in ("collapsed", "severe", "minor")
            for u in ("hh", "rooms")
        }
    )
    no_issue(validate(figures_content(no_houses, **VERIFIED)), "R11", "households")
    extra = [{"head": "王五", "damage": "minor", "rooms": 2}]
    issue = find_issue(
        validate(figures_content(no_houses, households=extra, **VERIFIED)), "R11", E, "households"
    )
    assert "0 generally damaged households (1 listed)" in issue.en
    # the name ledger's rule is separate: a wrong household ledger leaves it alone
    dead = [{"name": "甲", "status": "death"}, {"name": "乙", "status": "missing"}]
    issues = validate(figures_content(no_houses, households=extra, ledger=dead, **VERIFIED))
    no_issue(issues, "R11", "ledger")


# --- blocking_issues -------------------------------------------------------------------------


def test_blocking_issues_with_and_without_notes() -> None:
    report = figures_content({"affected_pop": 0, "deaths": 1, "crop_failed_ha": 1})
    issues = validate(report)
    keys = {i.key for i in issues}
    assert {"R2:crop_failed_ha", "R6:affected_pop", "R8:affected_pop"} <= keys
    assert blocking_issues(issues, {}) == issues
    notes = {
        "R6:affected_pop": "核实中",
        "R8:affected_pop": "   ",
        "R2:crop_failed_ha": "notes do not lift errors",
    }
    blocked = {i.key for i in blocking_issues(issues, notes)}
    assert "R6:affected_pop" not in blocked
    assert "R8:affected_pop" in blocked, "a blank note is no note"
    assert "R2:crop_failed_ha" in blocked
    all_notes = {i.key: "说明" for i in issues}
    assert {i.severity for i in blocking_issues(issues, all_notes)} == {E}


def test_blocking_issues_empty() -> None:
    assert blocking_issues([], {}) == []
    assert blocking_issues(validate(content()), {}) == []


# --- R12: township figures = sum of approved villages + reasoned adjustments ----------------

V1 = {"affected_pop": D(100), "crop_affected_ha": D("10.25"), "direct_loss": D("5.5")}
V2 = {"affected_pop": D(20), "deaths": D(1), "direct_loss": D("0.75")}
SUM = {
    "affected_pop": D(120),
    "deaths": D(1),
    "crop_affected_ha": D("10.25"),
    "direct_loss": D("6.25"),
}


def test_r12_exact_sum_passes() -> None:
    assert check_township_figures(SUM, [V1, V2]) == []
    assert check_township_figures({**SUM, "missing": D(0)}, [V1, V2]) == [], "0 = not given"
    assert check_township_figures({}, []) == []


def test_r12_mismatch_without_adjustment() -> None:
    issues = check_township_figures({**SUM, "affected_pop": D(125)}, [V1, V2])
    issue = find_issue(issues, "R12", E, "affected_pop")
    assert "125" in issue.en and "120" in issue.en
    assert len(issues) == 1
    find_issue(check_township_figures({"affected_pop": D(120)}, [V1, V2]), "R12", E, "deaths")


def test_r12_adjustment_with_reason() -> None:
    adj = Adjustment("affected_pop", D(5), "乡镇核实：5人为外出务工返乡人员")
    assert check_township_figures({**SUM, "affected_pop": D(125)}, [V1, V2], [adj]) == []
    down = Adjustment("direct_loss", D("-0.25"), "重复统计")
    assert check_township_figures({**SUM, "direct_loss": D(6)}, [V1, V2], [down]) == []
    issues = check_township_figures(SUM, [V1, V2], [adj])  # adjustment given, not applied
    find_issue(issues, "R12", E, "affected_pop")


@pytest.mark.parametrize("reason", ["", "   "])
def test_r12_adjustment_without_reason(reason: str) -> None:
    adj = Adjustment("affected_pop", D(5), reason)
    issues = check_township_figures({**SUM, "affected_pop": D(125)}, [V1, V2], [adj])
    issue = find_issue(issues, "R12", E, "affected_pop")
    assert "reason" in issue.en
    assert len(issues) == 1


def test_township_totals() -> None:
    totals = TownshipTotals(
        SUM, (Adjustment("deaths", D(1), "r"), Adjustment("missing", D(2), "r"))
    )
    assert totals.figures == {**SUM, "deaths": D(2), "missing": D(2)}
    assert totals.village_sum == SUM, "the village sum is not modified"


def test_clean_figures_sanity() -> None:
    # The fixture itself obeys R5 and R7 exactly (so the clean report is clean for a reason).
    f = {k: D(str(v)) for k, v in CLEAN_FIGURES.items()}
    assert f["relocated"] == f["relocated_central"] + f["relocated_dispersed"]
    assert f["direct_loss"] == sum(f[p] for p in LOSS_PARTS)

"""实时 ≤ 累计: the current (实时) figures never exceed their cumulative ones (an error, R3)."""

from __future__ import annotations

import pytest
from contract_factories import CLEAN_FIGURES, figures_content, find_issue, no_issue

from sync.contract import Severity, ValidationContext, blocking_issues, validate
from sync.contract.rules import CURRENT_WITHIN_CUMULATIVE

PAIRS = [("relocated_current", "relocated"), ("urgent_aid_current", "urgent_aid")]


def test_the_pairs_are_the_current_figures() -> None:
    assert list(CURRENT_WITHIN_CUMULATIVE) == PAIRS


@pytest.mark.parametrize(("current", "total"), PAIRS)
def test_current_up_to_the_cumulative_passes(current: str, total: str) -> None:
    equal = dict(CLEAN_FIGURES, **{current: CLEAN_FIGURES[total]})
    assert validate(figures_content(equal)) == []
    no_issue(validate(figures_content({total: 5})), "R3")  # current not given
    no_issue(validate(figures_content({current: 0})), "R3")


@pytest.mark.parametrize(("current", "total"), PAIRS)
def test_current_above_the_cumulative_is_an_error(current: str, total: str) -> None:
    above = dict(CLEAN_FIGURES, **{current: CLEAN_FIGURES[total] + 1})
    report = figures_content(above, notes={f"R3:{current}": "仍在安置"})
    issues = validate(report)
    issue = find_issue(issues, "R3", Severity.ERROR, current)
    assert str(CLEAN_FIGURES[total] + 1) in issue.zh and "不能大于" in issue.zh
    assert "cannot exceed" in issue.en
    assert issue in blocking_issues(issues, report.notes), "a note does not excuse an error"
    # A current figure with no cumulative figure at all is above 0 as well.
    find_issue(validate(figures_content({current: 3})), "R3", Severity.ERROR, current)


def test_the_rule_holds_at_every_stage() -> None:
    above = dict(CLEAN_FIGURES, relocated_current=CLEAN_FIGURES["relocated"] + 5)
    for stage in ("initial", "continuing", "verified"):
        issues = validate(
            figures_content(above, stage=stage, event_stable=True, ledger=[]),
            ValidationContext(),
        )
        find_issue(issues, "R3", Severity.ERROR, "relocated_current")

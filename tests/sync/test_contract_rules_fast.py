"""``rules.warning_count`` (the pull's count of a report's warnings) against the plain count.

``warning_count`` runs only the checks that can warn; the reference below runs every check of
``RULES`` but the size check and keeps each key's first severity, as the pull counted before.
Generated reports break the rules freely: negative and fractional figures, totals unequal to
their parts, long or blank narratives, cumulative figures below the previous report's.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from contract_factories import (
    CLEAN_FIGURES,
    OTHER_VILLAGE,
    SHA,
    VILLAGE,
    content,
    figures_content,
    patched_figures,
    raw,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.contract import (
    INDICATORS,
    ReportContent,
    ReportStage,
    Severity,
    ValidationContext,
    default_divisions,
    validate,
)
from sync.contract.rules import RULES, ContentSize, warning_count
from sync.contract.stages import INITIAL_NARRATIVE_MAX_CHARS

FIELDS = [i.field for i in INDICATORS]
UNKNOWN_VILLAGE = "530502208399"
START = datetime(2024, 7, 1, tzinfo=UTC)
DIVISIONS = default_divisions()


def reference_count(report: ReportContent, ctx: ValidationContext) -> int:
    """Count warnings the plain way: every check but the size check, first severity per key."""
    seen: dict[str, Severity] = {}
    for check in RULES:
        if isinstance(check, ContentSize):
            continue
        for issue in check(report, ctx):
            seen.setdefault(issue.key, issue.severity)
    return sum(1 for severity in seen.values() if severity is Severity.WARNING)


# --- strategies ---------------------------------------------------------------------------------

#: Figures as the wire spells them: small counts (so that sums often meet, or just miss, their
#: totals), cents, too many decimals, and long exact decimals whose sums round.
FIGURE_VALUES = st.one_of(
    st.integers(-3, 40),
    st.integers(-300, 4000).map(lambda c: str(Decimal(c).scaleb(-2))),
    st.sampled_from(["0", "0.5", "1.005", "2.25", "-0.01", "999999999999.99"]),
    st.decimals(min_value=-(10**12) + 1, max_value=10**12 - 1, places=20).map(str),
)


@st.composite
def figure_sets(draw: st.DrawFn) -> dict[str, Any]:
    """Either any figures at all, or the clean report's figures with a few changed or dropped."""
    if draw(st.booleans()):
        return draw(st.dictionaries(st.sampled_from(FIELDS), FIGURE_VALUES, max_size=len(FIELDS)))
    changes = draw(st.dictionaries(st.sampled_from(FIELDS), st.none() | FIGURE_VALUES, max_size=4))
    figures: dict[str, Any] = patched_figures(**changes)
    return figures


NARRATIVES = st.one_of(
    st.text("暴雨山洪 \n\t，。ab", max_size=20),
    st.tuples(
        st.integers(INITIAL_NARRATIVE_MAX_CHARS - 2, INITIAL_NARRATIVE_MAX_CHARS + 2),
        st.sampled_from(["", " ", "  \n", "\u3000"]),
    ).map(lambda t: t[1] + "雨" * t[0] + t[1]),
)


@st.composite
def reports(draw: st.DrawFn) -> ReportContent:
    stage = draw(st.sampled_from(list(ReportStage)))
    occurred = START + timedelta(hours=draw(st.integers(0, 48)))
    cutoff = occurred + timedelta(hours=draw(st.integers(-2, 6)))
    submitted = draw(st.none() | st.integers(-2, 6).map(lambda h: cutoff + timedelta(hours=h)))
    figures = draw(figure_sets())
    deaths, missing = draw(st.integers(0, 3)), draw(st.integers(0, 3))
    ledger = [{"name": f"名{i}", "status": "death"} for i in range(deaths)]
    ledger += [{"name": f"失{i}", "status": "missing"} for i in range(missing)]
    households = [
        {"head": f"户{i}", "damage": damage, "rooms": rooms}
        for i, (damage, rooms) in enumerate(
            draw(
                st.lists(
                    st.tuples(st.sampled_from(["collapsed", "severe", "minor"]), st.integers(1, 4)),
                    max_size=4,
                )
            )
        )
    ]
    data = raw(
        stage=stage.value,
        village_code=draw(st.sampled_from([VILLAGE, OTHER_VILLAGE, UNKNOWN_VILLAGE])),
        occurred_at=occurred.isoformat(),
        data_cutoff_at=cutoff.isoformat(),
        submitted_at=submitted.isoformat() if submitted else None,
        narrative=draw(NARRATIVES),
        figures=figures,
        photos=[{"sha256": SHA, "size": i} for i in range(draw(st.integers(0, 4)))],
        ledger=ledger,
        households=households,
        emergency_response=draw(st.booleans()),
        event_stable=draw(st.booleans()),
    )
    return ReportContent.from_dict(data)


@st.composite
def contexts(draw: st.DrawFn) -> ValidationContext:
    previous = draw(
        st.none()
        | st.just({})
        | st.dictionaries(
            st.sampled_from(FIELDS), st.integers(0, 50).map(Decimal), max_size=len(FIELDS)
        )
        | st.just({name: Decimal(str(value)) for name, value in CLEAN_FIGURES.items()})
    )
    return ValidationContext(
        previous_figures=previous,
        now=draw(st.none() | st.integers(0, 72).map(lambda h: START + timedelta(hours=h))),
        divisions=draw(st.none() | st.just(DIVISIONS)),
        allowed_villages=draw(st.none() | st.just(frozenset({VILLAGE}))),
        clock_skew_seconds=draw(st.none() | st.sampled_from([-3600.0, -1.0, 0.0, 3600.0])),
    )


# --- properties ---------------------------------------------------------------------------------


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports(), contexts())
def test_warning_count_is_the_plain_count(report: ReportContent, ctx: ValidationContext) -> None:
    count = warning_count(report, ctx)
    assert count == reference_count(report, ctx)
    assert count == sum(1 for i in validate(report, ctx) if i.severity is Severity.WARNING)


# --- examples: each warning, counted once per key -------------------------------------------


def _initial_ctx() -> ValidationContext:
    return ValidationContext(previous_figures=None, now=START, divisions=DIVISIONS)


def test_clean_report_has_no_warning() -> None:
    assert warning_count(content(), _initial_ctx()) == 0


def test_affected_below_three_sums_is_one_warning() -> None:
    """The three R6 checks share one key (``R6:affected_pop``): one warning, not three."""
    report = content(figures=patched_figures(affected_pop=1))
    assert warning_count(report, _initial_ctx()) == 1 == reference_count(report, _initial_ctx())


def test_nobody_affected_gives_rule_6_and_rule_8() -> None:
    report = content(figures=patched_figures(affected_pop=0))
    assert warning_count(report, _initial_ctx()) == 2


def test_loss_parts_unequal_to_total_warns_only_once_a_part_is_given() -> None:
    total_only = figures_content({"affected_pop": 10, "direct_loss": 5})
    assert warning_count(total_only, _initial_ctx()) == 0
    with_part = figures_content({"affected_pop": 10, "direct_loss": 5, "loss_agri": 4})
    assert warning_count(with_part, _initial_ctx()) == 1


def test_long_initial_narrative_warns_after_stripping() -> None:
    limit = INITIAL_NARRATIVE_MAX_CHARS
    padded = content(narrative="  " + "雨" * limit + "\n")
    assert warning_count(padded, _initial_ctx()) == 0
    assert warning_count(content(narrative="雨" * (limit + 1)), _initial_ctx()) == 1
    later = content(stage="continuing", narrative="雨" * (limit + 1))
    assert warning_count(later, _initial_ctx()) == 0


def test_each_fallen_cumulative_figure_is_a_warning() -> None:
    previous = {
        "affected_pop": Decimal(500),
        "deaths": Decimal(9),
        "relocated_current": Decimal(99),
    }
    ctx = ValidationContext(previous_figures=previous, now=START, divisions=DIVISIONS)
    # affected_pop and deaths fell; relocated_current is a current figure, free to fall
    assert warning_count(content(stage="continuing"), ctx) == 2
    assert warning_count(content(stage="initial"), ctx) == 0


def test_errors_are_not_counted() -> None:
    report = content(
        figures=patched_figures(deaths=-1, injured_severe=99, relocated=31),
        narrative=" ",
        village_code=UNKNOWN_VILLAGE,
        emergency_response=True,
    )
    ctx = _initial_ctx()
    assert any(i.severity is Severity.ERROR for i in validate(report, ctx))
    assert warning_count(report, ctx) == reference_count(report, ctx) == 0

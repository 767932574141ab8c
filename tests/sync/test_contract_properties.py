"""Hypothesis properties of the contract: valid reports pass, one broken invariant gives exactly
its rule's error, the wire form round-trips, township sums add up, validate never raises."""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import ROUND_DOWN, Decimal
from typing import Any, Protocol, TypeVar

from contract_factories import OTHER_VILLAGE, SHA
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sync.contract import (
    DISASTER_TYPES,
    INDICATOR_BY_FIELD,
    INDICATORS,
    ContractError,
    DivisionLevel,
    Issue,
    ReportContent,
    ReportStage,
    Severity,
    ValidationContext,
    canonical_json,
    content_hash,
    default_divisions,
    validate,
)
from sync.contract.indicators import LOSS_PARTS
from sync.contract.rules import Adjustment, check_township_figures, sum_figures

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

FIELDS = [i.field for i in INDICATORS]
VILLAGES = [d.code for d in default_divisions().of_level(DivisionLevel.VILLAGE)]
ZONES = [
    UTC,
    timezone(timedelta(hours=8)),
    timezone(timedelta(hours=-5, minutes=-30)),
    timezone(timedelta(hours=14)),
]
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
NARRATIVE_ALPHABET = "暴雨山洪滑坡冲毁房屋转移群众村组道路农田 ，。0123456789abcXYZ"
D0 = Decimal(0)
Ex = TypeVar("Ex")


def _cents(lo: int, hi: int) -> st.SearchStrategy[Decimal]:
    return st.integers(lo, hi).map(lambda c: Decimal(c).scaleb(-2))


def _split(draw: st.DrawFn, total_cents: int, parts: int) -> list[Decimal]:
    cuts = sorted(
        draw(st.lists(st.integers(0, total_cents), min_size=parts - 1, max_size=parts - 1))
    )
    bounds = [0, *cuts, total_cents]
    return [Decimal(b - a).scaleb(-2) for a, b in itertools.pairwise(bounds)]


# --- a generator of valid reports ---------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Case:
    """A report before encoding: exact Decimal figures plus what the JSON form needs."""

    figures: dict[str, Decimal]
    stage: ReportStage
    occurred: datetime
    cutoff: datetime
    submitted: datetime | None
    zone: timezone
    narrative: str
    dtype: str
    subtype: str | None
    village: str
    emergency: bool
    photos: int
    stable: bool
    ledger_extra: int = 0
    household_extra: int = 0
    household_room_extra: int = 0
    allowed: frozenset[str] | None = None
    previous: dict[str, Decimal] | None = None
    now: datetime | None = None
    encodings: tuple[int, ...] = ()
    drop_zeros: bool = True

    def ctx(self) -> ValidationContext:
        return ValidationContext(
            previous_figures=self.previous,
            now=self.now,
            divisions=default_divisions(),
            allowed_villages=self.allowed,
        )

    def with_figures(self, **changes: Decimal) -> Case:
        return dataclasses.replace(self, figures={**self.figures, **changes})


def _encode(name: str, value: Decimal, style: int) -> object:
    """Spell ``value`` in one of several equivalent ways."""
    decimals = INDICATOR_BY_FIELD[name].decimals
    fits = value == value.quantize(Decimal(1).scaleb(-decimals))
    if style == 0 and fits:
        return int(value) if value == value.to_integral() else float(value)
    if style == 2:
        return value
    if style == 3 and fits:
        return float(value)
    if style == 4:
        text = f"{value:f}"
        return text + ("000" if "." in text else ".000")
    if style == 5:
        return format(value, "e")  # 1.25e+1
    if style == 6 and value == 0:
        return draw_negative_zero(decimals)
    if style == 7:
        return f" {value} "
    return str(value)


def draw_negative_zero(decimals: int) -> object:
    return -0.0 if decimals else "-0"


ENCODINGS = 8


def _time(t: datetime, zone: timezone) -> str:
    text = t.astimezone(zone).isoformat()
    return text.replace("+00:00", "Z") if zone is UTC else text


def to_raw(case: Case) -> dict[str, Any]:
    figures: dict[str, object] = {}
    for n, (name, value) in enumerate(sorted(case.figures.items())):
        if value == 0 and case.drop_zeros and n % 2 == 0:
            continue  # not entered means 0 to every rule
        style = case.encodings[n % len(case.encodings)] if case.encodings else 0
        figures[name] = _encode(name, value, style)
    dead = max(0, int(case.figures.get("deaths", D0)) + case.ledger_extra)
    missing = int(case.figures.get("missing", D0))
    ledger = [{"name": f"名{i}", "status": "death"} for i in range(dead)]
    ledger += [{"name": f"失{i}", "status": "missing"} for i in range(missing)]
    households = _household_ledger(case)
    return {
        "report_uuid": "r-1",
        "event_uuid": "e-1",
        "event_name": "事件",
        "stage": case.stage.value,
        "disaster_type": case.dtype,
        "disaster_subtype": case.subtype,
        "village_code": case.village,
        "occurred_at": _time(case.occurred, case.zone),
        "data_cutoff_at": _time(case.cutoff, case.zone),
        "submitted_at": _time(case.submitted, case.zone) if case.submitted else None,
        "latitude": 25.1,
        "longitude": 99.2,
        "narrative": case.narrative,
        "figures": figures,
        "photos": [{"sha256": SHA, "size": i} for i in range(case.photos)],
        "ledger": ledger if case.stage is ReportStage.VERIFIED else [],
        "emergency_response": case.emergency,
        "event_stable": case.stable,
        **({"households": households} if case.stage is ReportStage.VERIFIED else {}),
    }


def _household_ledger(case: Case) -> list[dict[str, Any]]:
    """Return one household row per household of the figures, each with at least one room."""
    rows: list[dict[str, Any]] = []
    for kind in ("collapsed", "severe", "minor"):
        hh = int(case.figures.get(f"house_{kind}_hh", D0))
        rooms = int(case.figures.get(f"house_{kind}_rooms", D0))
        for i in range(hh):
            share = rooms // hh + (1 if i < rooms % hh else 0)  # spread evenly
            rows.append({"head": f"户{kind}{i}", "damage": kind, "rooms": share, "note": ""})
    if case.household_extra > 0:
        rows += [
            {"head": f"多{i}", "damage": "minor", "rooms": 1} for i in range(case.household_extra)
        ]
    elif case.household_extra < 0:
        del rows[case.household_extra :]
    if case.household_room_extra and rows:
        rows[0]["rooms"] += case.household_room_extra
    return rows


def to_content(case: Case) -> ReportContent:
    return ReportContent.from_dict(to_raw(case))


@st.composite
def valid_figures(draw: st.DrawFn) -> dict[str, Decimal]:
    count = st.integers(0, 10**6)
    small = st.integers(0, 6)
    f: dict[str, int | Decimal] = {}
    # crops: failed ≤ damaged ≤ affected
    affected = draw(st.integers(0, 10**8))
    damaged = draw(st.integers(0, affected))
    failed = draw(st.integers(0, damaged))
    for name, cents in (
        ("crop_affected_ha", affected),
        ("crop_damaged_ha", damaged),
        ("crop_failed_ha", failed),
    ):
        f[name] = Decimal(cents).scaleb(-2)
    # people: of-which ≤ parent, relocated = central + dispersed
    f["injured"] = injured = draw(count)
    f["injured_severe"] = draw(st.integers(0, injured))
    f["drought_aid"] = drought_aid = draw(count)
    f["drought_water_aid"] = draw(st.integers(0, drought_aid))
    central, dispersed = draw(count), draw(count)
    f["relocated_central"], f["relocated_dispersed"] = central, dispersed
    f["relocated"] = relocated = central + dispersed
    f["relocated_current"] = draw(st.integers(0, relocated))
    f["urgent_aid"] = urgent_aid = draw(count)
    f["urgent_aid_current"] = draw(st.integers(0, urgent_aid))
    f["deaths"], f["missing"] = draw(small), draw(small)
    f["evacuated_preemptive"] = draw(count)
    f["affected_pop"] = max(f["relocated"], f["urgent_aid"], f["deaths"] + f["missing"]) + draw(
        st.integers(1, 1000)
    )
    # houses: households ≤ rooms, and no rooms without a household (the verified stage's
    # household ledger lists every household with its rooms)
    for cls in ("collapsed", "severe", "minor"):
        hh = draw(st.integers(0, 500))
        f[f"house_{cls}_hh"] = hh
        f[f"house_{cls}_rooms"] = draw(st.integers(hh, hh * 6)) if hh else 0
    # infrastructure and livestock
    for name in ("road_damaged_km", "power_line_km", "water_pipe_km"):
        f[name] = draw(_cents(0, 10**7))
    for name in ("schools_damaged", "clinics_damaged", "reservoirs_damaged", "livestock_dead"):
        f[name] = draw(st.integers(0, 500))
    # losses: parts add up to the total exactly, or are not given
    total_cents = draw(st.integers(0, 10**11))
    f["direct_loss"] = Decimal(total_cents).scaleb(-2)
    if draw(st.booleans()):
        f.update(zip(LOSS_PARTS, _split(draw, total_cents, len(LOSS_PARTS)), strict=True))
    figures = {k: Decimal(v) for k, v in f.items()}
    # drop a random selection of figures that cannot break anything when missing
    optional = [k for k in figures if k not in {"affected_pop"}]
    for name in draw(st.lists(st.sampled_from(optional), unique=True, max_size=8)):
        if figures[name] == 0:
            del figures[name]
    return figures


@st.composite
def valid_cases(draw: st.DrawFn) -> Case:
    figures = draw(valid_figures())
    stage = draw(st.sampled_from(list(ReportStage)))
    occurred = EPOCH + timedelta(seconds=draw(st.integers(0, 5 * 365 * 86400)))
    cutoff = occurred + timedelta(seconds=draw(st.integers(0, 10 * 86400)))
    submitted = draw(
        st.none() | st.integers(0, 2 * 86400).map(lambda s: cutoff + timedelta(seconds=s))
    )
    now = None if submitted else draw(st.none() | st.just(cutoff + timedelta(hours=1)))
    dtype = draw(st.sampled_from(DISASTER_TYPES))
    subtypes: list[str | None] = [s.key for s in dtype.subtypes]
    subtype = draw(st.none() | st.sampled_from(subtypes or [None]))
    emergency = draw(st.booleans())
    village = draw(st.sampled_from(VILLAGES))
    previous = None
    if stage is not ReportStage.INITIAL and draw(st.booleans()):
        previous = {}
        for name, value in figures.items():
            ind = INDICATOR_BY_FIELD[name]
            ratio = Decimal(draw(st.integers(0, 100))) / 100
            previous[name] = (value * ratio).quantize(ind.quantum, rounding=ROUND_DOWN)
            if not ind.cumulative:
                previous[name] = value + 5  # current figures may fall
    return Case(
        figures=figures,
        stage=stage,
        occurred=occurred,
        cutoff=cutoff,
        submitted=submitted,
        zone=draw(st.sampled_from(ZONES)),
        narrative=draw(
            st.text(NARRATIVE_ALPHABET, min_size=1, max_size=200).filter(lambda s: s.strip())
        ),
        dtype=dtype.key,
        subtype=subtype,
        village=village,
        emergency=emergency,
        photos=draw(st.integers(3, 5)) if emergency else draw(st.integers(0, 4)),
        stable=stage is ReportStage.VERIFIED or draw(st.booleans()),
        allowed=draw(st.none() | st.just(frozenset({village, OTHER_VILLAGE}))),
        previous=previous,
        now=now,
        encodings=tuple(draw(st.lists(st.integers(0, ENCODINGS - 1), min_size=1, max_size=8))),
        drop_zeros=draw(st.booleans()),
    )


def _errors(issues: list[Issue]) -> set[tuple[str, str]]:
    return {(i.rule, i.field) for i in issues if i.severity is Severity.ERROR}


@SETTINGS
@given(valid_cases())
def test_valid_reports_have_no_error(case: Case) -> None:
    issues = validate(to_content(case), case.ctx())
    assert not _errors(issues)
    assert issues == [], [i.en for i in issues]  # built to be clean, warnings included


# --- breaking one invariant -------------------------------------------------------------------


class Draw(Protocol):
    """What a breaker draws with: ``@st.composite``'s ``draw`` or ``st.DataObject.draw``."""

    def __call__(self, strategy: st.SearchStrategy[Ex], label: object = None) -> Ex: ...


Broken = tuple[Case, tuple[str, str]]
"""A broken case and the ``(rule, field)`` of the one error it must give."""
Breaker = Callable[[Case, Draw], Broken]


def _g(case: Case, name: str) -> Decimal:
    return case.figures.get(name, D0)


def _ha_delta(draw: Draw) -> Decimal:
    return draw(_cents(1, 10**5))


def _n(draw: Draw) -> Decimal:
    return Decimal(draw(st.integers(1, 1000)))


def _break_crop_failed(case: Case, draw: Draw) -> Broken:
    return (
        case.with_figures(crop_failed_ha=_g(case, "crop_damaged_ha") + _ha_delta(draw)),
        ("R2", "crop_failed_ha"),
    )


def _break_crop_damaged(case: Case, draw: Draw) -> Broken:
    return (
        case.with_figures(crop_damaged_ha=_g(case, "crop_affected_ha") + _ha_delta(draw)),
        ("R2", "crop_damaged_ha"),
    )


def _break_injured(case: Case, draw: Draw) -> Broken:
    return (
        case.with_figures(injured_severe=_g(case, "injured") + _n(draw)),
        ("R3", "injured_severe"),
    )


def _break_water(case: Case, draw: Draw) -> Broken:
    return (
        case.with_figures(drought_water_aid=_g(case, "drought_aid") + _n(draw)),
        ("R3", "drought_water_aid"),
    )


def _break_loss_part(case: Case, draw: Draw) -> Broken:
    part = draw(st.sampled_from(LOSS_PARTS))
    return (case.with_figures(**{part: _g(case, "direct_loss") + _ha_delta(draw)}), ("R3", part))


def _break_house(case: Case, draw: Draw) -> Broken:
    cls = draw(st.sampled_from(["collapsed", "severe", "minor"]))
    rooms = f"house_{cls}_rooms"
    if case.stage is ReportStage.VERIFIED:  # no household ledger fits more households than rooms
        case = dataclasses.replace(case, stage=ReportStage.CONTINUING)
    return case.with_figures(**{f"house_{cls}_hh": _g(case, rooms) + _n(draw)}), ("R4", rooms)


def _break_relocated(case: Case, draw: Draw) -> Broken:
    total = _g(case, "relocated") + _n(draw)
    return case.with_figures(relocated=total), ("R5", "relocated")


def _break_relocated_part(case: Case, draw: Draw) -> Broken:
    part = draw(st.sampled_from(["relocated_central", "relocated_dispersed"]))
    return case.with_figures(**{part: _g(case, part) + _n(draw)}), ("R5", "relocated")


def _break_fraction(case: Case, draw: Draw) -> Broken:
    names = ["schools_damaged", "clinics_damaged", "evacuated_preemptive", "livestock_dead"]
    if _g(case, "urgent_aid_current") < _g(case, "urgent_aid"):
        # only below its cumulative figure: at it, + 0.5 would break R3 too
        names.append("urgent_aid_current")
    name = draw(st.sampled_from(names))
    return case.with_figures(**{name: _g(case, name) + Decimal("0.5")}), ("R1", name)


def _break_negative(case: Case, draw: Draw) -> Broken:
    name = draw(
        st.sampled_from(
            [
                "livestock_dead",
                "road_damaged_km",
                "evacuated_preemptive",
                "relocated_current",
                "reservoirs_damaged",
            ]
        )
    )
    return case.with_figures(**{name: -_n(draw)}), ("R1", name)


def _break_decimals(case: Case, draw: Draw) -> Broken:
    name = draw(st.sampled_from(["road_damaged_km", "power_line_km", "water_pipe_km"]))
    extra = Decimal(draw(st.integers(1, 9))).scaleb(-3)
    return case.with_figures(**{name: _g(case, name) + extra}), ("R1", name)


def _break_cutoff_before_occurrence(case: Case, draw: Draw) -> Broken:
    cutoff = case.occurred - timedelta(seconds=draw(st.integers(1, 86400)))
    return dataclasses.replace(case, cutoff=cutoff), ("R10", "data_cutoff_at")


def _break_submitted_before_cutoff(case: Case, draw: Draw) -> Broken:
    submitted = case.cutoff - timedelta(seconds=draw(st.integers(1, 86400)))
    return dataclasses.replace(case, submitted=submitted), ("R10", "data_cutoff_at")


def _break_not_stable(case: Case, draw: Draw) -> Broken:
    return (dataclasses.replace(case, stage=ReportStage.VERIFIED, stable=False), ("R10", "stage"))


def _break_photos(case: Case, draw: Draw) -> Broken:
    return (
        dataclasses.replace(case, emergency=True, photos=draw(st.integers(0, 2))),
        ("R11", "photos"),
    )


def _break_ledger(case: Case, draw: Draw) -> Broken:
    rows = int(_g(case, "deaths"))
    extra = draw(st.sampled_from([1, 2] + ([-1] if rows else [])))
    return (
        dataclasses.replace(case, stage=ReportStage.VERIFIED, stable=True, ledger_extra=extra),
        ("R11", "ledger"),
    )


def _break_households(case: Case, draw: Draw) -> Broken:
    listed = sum(int(_g(case, f"house_{k}_hh")) for k in ("collapsed", "severe", "minor"))
    extra, room_extra = draw(
        st.sampled_from([(1, 0), (2, 0)] + ([(-1, 0), (0, 1), (0, 3)] if listed else []))
    )
    return (
        dataclasses.replace(
            case,
            stage=ReportStage.VERIFIED,
            stable=True,
            household_extra=extra,
            household_room_extra=room_extra,
        ),
        ("R11", "households"),
    )


def _break_narrative(case: Case, draw: Draw) -> Broken:
    return dataclasses.replace(case, narrative=draw(st.sampled_from(["", " ", "\n"]))), (
        "R0",
        "narrative",
    )


def _break_jurisdiction(case: Case, draw: Draw) -> Broken:
    return (
        dataclasses.replace(case, allowed=frozenset({OTHER_VILLAGE} - {case.village})),
        ("R0", "village_code"),
    )


def _break_unknown_village(case: Case, draw: Draw) -> Broken:
    return dataclasses.replace(case, village="530502208399", allowed=None), ("R0", "village_code")


BREAKERS: list[Breaker] = [
    _break_crop_failed,
    _break_crop_damaged,
    _break_injured,
    _break_water,
    _break_loss_part,
    _break_house,
    _break_relocated,
    _break_relocated_part,
    _break_fraction,
    _break_negative,
    _break_decimals,
    _break_cutoff_before_occurrence,
    _break_submitted_before_cutoff,
    _break_not_stable,
    _break_photos,
    _break_ledger,
    _break_households,
    _break_narrative,
    _break_jurisdiction,
    _break_unknown_village,
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_cases(), st.sampled_from(BREAKERS), st.data())
def test_one_broken_invariant_gives_exactly_its_error(
    case: Case, breaker: Breaker, data: st.DataObject
) -> None:
    broken, expected = breaker(case, data.draw)
    issues = validate(to_content(broken), broken.ctx())
    assert _errors(issues) == {expected}
    for issue in issues:
        assert issue.zh.strip() and issue.en.strip()


# --- round trip and canonical form ------------------------------------------------------------


@SETTINGS
@given(valid_cases())
def test_round_trip_and_canonical_idempotence(case: Case) -> None:
    report = to_content(case)
    again = ReportContent.from_dict(report.to_dict())
    assert again == report
    blob = canonical_json(report)
    from_blob = ReportContent.from_dict(json.loads(blob))
    assert from_blob == report
    assert canonical_json(from_blob) == blob
    assert content_hash(from_blob) == content_hash(report)


@SETTINGS
@given(
    valid_cases(),
    st.lists(st.integers(0, ENCODINGS - 1), min_size=1, max_size=8),
    st.sampled_from(ZONES),
    st.randoms(use_true_random=False),
)
def test_same_content_same_bytes(
    case: Case, encodings: list[int], zone: timezone, rnd: Any
) -> None:
    """Any spelling of the same figures, zone or key order gives the same canonical bytes."""
    a = to_raw(dataclasses.replace(case, drop_zeros=False))
    b = to_raw(dataclasses.replace(case, drop_zeros=False, encodings=tuple(encodings), zone=zone))
    keys = list(b["figures"])
    rnd.shuffle(keys)
    b["figures"] = {k: b["figures"][k] for k in keys}
    top = list(b)
    rnd.shuffle(top)
    b = {k: b[k] for k in top}
    ra, rb = ReportContent.from_dict(a), ReportContent.from_dict(b)
    assert ra == rb
    assert canonical_json(ra) == canonical_json(rb)


# --- township sums ------------------------------------------------------------------------------


@st.composite
def figure_sets(draw: st.DrawFn) -> dict[str, Decimal]:
    names = draw(st.lists(st.sampled_from(FIELDS), unique=True, max_size=12))
    return {
        n: Decimal(draw(st.integers(0, 10**10))).scaleb(-INDICATOR_BY_FIELD[n].decimals)
        for n in names
    }


@SETTINGS
@given(figure_sets(), figure_sets(), figure_sets())
def test_sum_figures_is_additive_and_commutative(
    a: dict[str, Decimal], b: dict[str, Decimal], c: dict[str, Decimal]
) -> None:
    snapshot = [dict(a), dict(b), dict(c)]
    ab = sum_figures([a, b])
    assert ab == sum_figures([b, a])
    assert sum_figures([a, b, c]) == sum_figures([ab, c]) == sum_figures([a, sum_figures([b, c])])
    assert sum_figures([a]) == a
    assert sum_figures([]) == {}
    assert set(ab) == set(a) | set(b)
    for name, total in ab.items():
        assert total == a.get(name, D0) + b.get(name, D0)
    assert [a, b, c] == snapshot, "inputs are not modified"


@SETTINGS
@given(
    st.lists(figure_sets(), max_size=6),
    st.sampled_from(FIELDS),
    st.integers(-(10**6), 10**6),
    st.booleans(),
)
def test_township_accepts_exact_sum_and_reasoned_adjustment(
    villages: list[dict[str, Decimal]], field: str, delta_units: int, apply: bool
) -> None:
    total = sum_figures(villages)
    assert check_township_figures(total, villages) == []
    delta = Decimal(delta_units).scaleb(-INDICATOR_BY_FIELD[field].decimals)
    adjusted = {**total, field: total.get(field, D0) + delta}
    adj = Adjustment(field, delta, "乡镇核实调整")
    assert check_township_figures(adjusted, villages, [adj]) == []
    # the same township figure without the adjustment is an error iff the delta is not 0
    issues = check_township_figures(adjusted if apply else total, villages, [] if apply else [adj])
    assert _errors(issues) == ({("R12", field)} if delta else set())
    # no reason: always an error at the adjusted field
    unreasoned = check_township_figures(adjusted, villages, [Adjustment(field, delta, " ")])
    assert _errors(unreasoned) == {("R12", field)}


# --- validate never raises --------------------------------------------------------------------

ANY_NUMBER = st.one_of(
    st.integers(-(10**15), 10**15),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.decimals(places=3, min_value=-(10**13), max_value=10**13),
    st.text("0123456789.-+eE _naNIif", max_size=12),
    st.text(max_size=6),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=2),
    st.sampled_from(
        [
            10**5000,
            -(10**400),
            "1e-99999",
            "1e999999999999999999",
            "0e-99",
            "0e99",
            -0.0,
            "-0",
            "sNaN",
            "1_000",
            "0x10",
            "1e12",
            "999999999999.99",
            "0.30000000000000004",
            1e-300,
            5e-324,
        ]
    ),
)
FUZZ_FIGURES = st.dictionaries(
    st.one_of(st.sampled_from(FIELDS), st.sampled_from(FIELDS), st.text(max_size=8)),
    ANY_NUMBER,
    max_size=12,
)


@st.composite
def fuzz_raw(draw: st.DrawFn) -> dict[str, Any]:
    data = to_raw(draw(valid_cases()))
    data["figures"] = draw(FUZZ_FIGURES)
    data["stage"] = draw(st.sampled_from([s.value for s in ReportStage]))
    data["event_stable"] = draw(st.booleans())
    data["emergency_response"] = draw(st.booleans())
    data["narrative"] = draw(st.text(max_size=260))
    for name in ("latitude", "longitude"):
        data[name] = draw(
            st.one_of(
                st.none(), st.integers(-200, 200), st.integers(), st.floats(), st.just(10**400)
            )
        )
    any_time = st.datetimes(timezones=st.sampled_from(ZONES)).map(datetime.isoformat)
    for name in ("occurred_at", "data_cutoff_at", "submitted_at"):
        if draw(st.booleans()):
            data[name] = draw(
                any_time | st.datetimes().map(datetime.isoformat) | st.text(max_size=30)
            )
    return data


def _accepted(data: object) -> ReportContent | None:
    try:
        report = ReportContent.from_dict(data)
    except ContractError as err:
        assert err.field and err.zh.strip() and err.en.strip()
        event("from_dict: ContractError")
        return None
    event("from_dict: accepted")
    return report


KNOWN_ISSUE_FIELDS = set(FIELDS) | {
    "narrative",
    "village_code",
    "data_cutoff_at",
    "stage",
    "photos",
    "ledger",
    "households",
}


@FUZZ_SETTINGS
@given(fuzz_raw(), FUZZ_FIGURES, st.none() | st.datetimes(timezones=st.just(UTC)))
def test_validate_never_raises_on_accepted_input(
    data: dict[str, Any], previous_raw: dict[str, object], now: datetime | None
) -> None:
    report = _accepted(data)
    if report is None:
        return
    previous = _accepted({**data, "figures": previous_raw})
    ctx = ValidationContext(
        previous_figures=previous.figures if previous else None,
        now=now,
        divisions=default_divisions(),
        allowed_villages=frozenset({report.village_code}),
    )
    issues = validate(report, ctx)
    for issue in issues:
        assert issue.rule in {f"R{n}" for n in range(12)}
        assert issue.field in KNOWN_ISSUE_FIELDS
        assert issue.zh.strip() and issue.en.strip()
    # everything accepted can be written, and what is written reads back the same
    blob = canonical_json(report)
    again = ReportContent.from_dict(json.loads(blob))
    assert again == report
    assert canonical_json(again) == blob


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=6,
)
TOP_LEVEL = [
    "report_uuid",
    "event_uuid",
    "event_name",
    "stage",
    "disaster_type",
    "disaster_subtype",
    "village_code",
    "occurred_at",
    "data_cutoff_at",
    "submitted_at",
    "latitude",
    "longitude",
    "narrative",
    "figures",
    "notes",
    "photos",
    "ledger",
    "emergency_response",
    "event_stable",
    "households",
]


@FUZZ_SETTINGS
@given(valid_cases(), st.dictionaries(st.sampled_from(TOP_LEVEL), JSON_VALUES, max_size=4))
def test_from_dict_raises_only_contract_errors(case: Case, overrides: dict[str, Any]) -> None:
    report = _accepted({**to_raw(case), **overrides})
    if report is not None:
        validate(report, case.ctx())
        assert ReportContent.from_dict(json.loads(canonical_json(report))) == report

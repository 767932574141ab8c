"""The consistency rules (审核关系) of docs/domain.md §4, as data-driven checks.

``RULES`` is a table of small check objects; each names its rule number, severity and fields.
``validate`` runs them all and returns ``Issue`` values that name the field they sit beside,
in Chinese and English.  Errors block submission; a warning is acknowledged by a note keyed
by the issue's ``key`` (``"R6:affected_pop"``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from sync.contract.bilingual import pick
from sync.contract.divisions import DivisionLevel, DivisionTable
from sync.contract.filing_time import clock_is_off, clock_words
from sync.contract.indicators import INDICATOR_BY_FIELD, INDICATORS, LOSS_PARTS, Indicator
from sync.contract.report import HOUSE_DAMAGE_KINDS, Figures, ReportContent, size_error
from sync.contract.stages import (
    EMERGENCY_MIN_PHOTOS,
    INITIAL_NARRATIVE_MAX_CHARS,
    ReportStage,
)

ZERO = Decimal(0)


class Severity(StrEnum):
    """E blocks submission; W is allowed with an explanatory note."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One finding of a rule, placed beside ``field``."""

    rule: str
    severity: Severity
    field: str
    zh: str
    en: str

    @property
    def key(self) -> str:
        """A stable key for notes and de-duplication: ``rule:field``."""
        return f"{self.rule}:{self.field}"

    def message(self, lang: str) -> str:
        """Return the message in ``lang``."""
        return pick(lang, self.zh, self.en)

    def to_dict(self) -> dict[str, str]:
        """Return the JSON form used on the wire and in the CLI."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "field": self.field,
            "zh": self.zh,
            "en": self.en,
        }


@dataclass(frozen=True)
class ValidationContext:
    """What the rules need beyond the report itself.

    Attributes:
        previous_figures: figures of the previous report of the same event (rule 9).
        now: the submission time when the report carries none (rule 10).
        divisions: the division table, to check the village code exists.
        allowed_villages: the villages the filer may report for (their jurisdiction).
        clock_skew_seconds: the filing device's clock minus the server's, when known (the
            app's last sync, the server's measurement at push): rule 10 then names a clock
            that is off instead of only refusing the times.
    """

    previous_figures: Mapping[str, Decimal] | None = None
    now: datetime | None = None
    divisions: DivisionTable | None = None
    allowed_villages: frozenset[str] | None = None
    clock_skew_seconds: float | None = None


class Check(Protocol):
    """A rule's check: returns the issues it finds (an empty sequence most of the time)."""

    @property
    def rule(self) -> str: ...

    @property
    def severity(self) -> Severity: ...

    def __call__(self, report: ReportContent, ctx: ValidationContext) -> Iterable[Issue]: ...


# Speed: the checks run on every pulled report (``warning_count``), on ingest and in the form,
# and almost every report passes them all.  So each check returns a plain sequence (``()``
# when nothing is wrong) instead of being a generator, reads ``report.figures`` directly
# (``.get(name, ZERO)`` is what ``report.figure`` does) and builds messages only for a finding.
# On the common path a figure is compared with ``ZERO``, not ``0``: a Decimal against a
# Decimal skips converting the int, about 2.5 times as fast.


def _zh(i: Indicator) -> str:
    return f"“{i.zh}”"


def _en(i: Indicator) -> str:
    return f"'{i.en}'"


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


# --- rule 1 ---------------------------------------------------------------------------------

#: Each figure's smallest step (``Indicator.quantum``), looked up once per figure by rule 1.
_QUANTUM: dict[str, Decimal] = {i.field: i.quantum for i in INDICATORS}


@dataclass(frozen=True)
class FigureFormat:
    """Rule 1: counts are integers ≥ 0; areas and money ≥ 0 with at most their decimals."""

    rule: str = "R1"
    severity: Severity = Severity.ERROR

    def __call__(self, report: ReportContent, ctx: ValidationContext) -> Sequence[Issue]:
        issues: list[Issue] = []
        for name, value in report.figures.items():
            if value < ZERO or value != value.quantize(_QUANTUM[name]):
                issues.append(self._issue(name, value))
        return issues

    def _issue(self, name: str, value: Decimal) -> Issue:
        ind = INDICATOR_BY_FIELD[name]
        if value < 0:
            zh, en = f"{_zh(ind)}不能为负数", f"{_en(ind)} cannot be negative"
        elif ind.decimals == 0:
            zh, en = f"{_zh(ind)}必须是整数", f"{_en(ind)} must be a whole number"
        else:
            zh = f"{_zh(ind)}最多保留 {ind.decimals} 位小数"
            en = f"{_en(ind)} takes at most {ind.decimals} decimals"
        return Issue(self.rule, self.severity, name, zh, en)


# --- rules 2 and 3: one figure may not exceed another ---------------------------------------


@dataclass(frozen=True)
class NotGreater:
    """``small ≤ big``; the issue sits beside ``small`` (the figure that is too large)."""

    rule: str
    small: str
    big: str
    severity: Severity = Severity.ERROR

    def __call__(self, report: ReportContent, ctx: ValidationContext) -> Sequence[Issue]:
        s = report.figures.get(self.small)
        if s is None:
            return ()
        b = report.figures.get(self.big, ZERO)
        if not s > b:
            return ()
        si, bi = INDICATOR_BY_FIELD[self.small], INDICATOR_BY_FIELD[self.big]
        return (
            Issue(
                self.rule,
                self.severity,
                self.small,
                f"{_zh(si)}（{_fmt(s)}）不能大于{_zh(bi)}（{_fmt(b)}）",
                f"{_en(si)} ({_fmt(s)}) cannot exceed {_en(bi)} ({_fmt(b)})",
            ),
        )


# --- rule 4 ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HouseholdsWithinRooms:
    """Rule 4: households ≤ rooms, and rooms > 0 when households > 0 (one house class)."""

    rule: str
    households: str
    rooms: str
    severity: Severity = Severity.ERROR

    def __call__(self, report: ReportContent, ctx: ValidationContext) -> Sequence[Issue]:
        hh = report.figures.get(self.households, ZERO)
        if hh <= ZERO:
            return ()
        rooms = report.figures.get(self.rooms, ZERO)
        if hh <= rooms:
            return ()
        hi, ri = INDICATOR_BY_FIELD[self.households], INDICATOR_BY_FIELD[self.rooms]
        if rooms <= 0:
            zh = f"已填{_zh(hi)} {_fmt(hh)} 户，{_zh(ri)}必须大于 0"
            en = f"{_en(hi)} is {_fmt(hh)}, so {_en(ri)} must be above 0"
        else:
            zh = f"{_zh(ri)}（{_fmt(rooms)}）不能少于户数（{_fmt(hh)}）"
            en = f"{_en(ri)} ({_fmt(rooms)}) cannot be fewer than households ({_fmt(hh)})"
        return (Issue(self.rule, self.severity, self.rooms, zh, en),)


# --- rules 5 and 7: a total equals its parts ------------------------------------------------


def _given_sum(figures: Figures, names: tuple[str, ...]) -> Decimal | None:
    """Return ``ZERO`` plus the given figures of ``names`` in order; ``None`` if none is given.

    Leaving out the figures not given changes nothing: each would add a ``ZERO`` to a sum
    that already starts from ``ZERO``, so neither its value nor its exponent (which ``_fmt``
    shows) moves.
    """
    total: Decimal | None = None
    for name in names:
        value = figures.get(name)
        if value is not None:
            total = (ZERO if total is None else total) + value
    return total


@dataclass(frozen=True)
class TotalOfParts:
    """``total = sum(parts)``, checked when the total or any part is given.

    With ``only_when_parts_given`` the check applies only once a part is given (rule 7).
    """

    rule: str
    total: str
    parts: tuple[str, ...]
    severity: Severity
    only_when_parts_given: bool = False

    def __call__(self, report: ReportContent, ctx: ValidationContext) -> Sequence[Issue]:
        figures = report.figures
        parts_sum = _given_sum(figures, self.parts)
        if parts_sum is None:
            if self.only_when_parts_given or self.total not in figures:
                return ()
            parts_sum = ZERO
        total = figures.get(self.total, ZERO)
        if total == parts_sum:
            return ()
        ti = INDICATOR_BY_FIELD[self.total]
        zh_parts = "、".join(INDICATOR_BY_FIELD[p].zh.removeprefix("其中：") for p in self.parts)
        en_parts = ", ".join(INDICATOR_BY_FIELD[p].en.removeprefix("of which ") for p in self.parts)
        return (
            Issue(
                self.rule,
                self.severity,
                self.total,
                f"{_zh(ti)}（{_fmt(total)}）应等于{zh_parts}之和（{_fmt(parts_sum)}）",
                f"{_en(ti)} ({_fmt(total)}) should equal the sum of {en_parts} ({_fmt(parts_sum)})",
            ),
        )


# --- rule 6 ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AtLeastSum:
    """``big ≥ sum(smalls)`` (a plausibility warning beside ``big``)."""

    rule: str
    big: str
    smalls: tuple[str, ...]
    severity: Severity = Severity.WARNING

    def __call__(self, report: ReportContent, ctx: ValidationContext) -> Sequence[Issue]:
        total = _given_sum(report.figures, self.smalls)
        if total is None:
            return ()
        big = report.figures.get(self.big, ZERO)
        if not big < total:
            return ()
        bi = INDICATOR_BY_FIELD[self.big]
        zh_s = "与".join(INDICATOR_BY_FIELD[s].zh for s in self.smalls)
        en_s = " + ".join(INDICATOR_BY_FIELD[s].en for s in self.smalls)
        return (
            Issue(
                self.rule,
                self.severity,
                self.big,
                f"{_zh(bi)}（{_fmt(big)}）少于{zh_s}（{_fmt(total)}），请说明",
                f"{_en(bi)} ({_fmt(big)}) is below {en_s} ({_fmt(total)}); please explain",
            ),
        )


# --- rule 8 ---------------------------------------------------------------------------------

#: Figures that count as damage or loss for rule 8 (pre-emptive evacuation is no damage).
DAMAGE_FIELDS: tuple[str, ...] = tuple(
    i.field
    for i in INDICATORS
    if i.field not in ("affected_pop", "evacuated_preemptive") and i.cumulative
)
_DAMAGE_FIELD_SET = frozenset(DAMAGE_FIELDS)


@dataclass(frozen=True)
class DamageWithoutAffected:
    """Rule 8: any damage or loss above 0 while nobody is affected needs a note."""

    rule: str = "R8"
    severity: Severity = Severity.WARNING

    def __call__(self, report: ReportContent, ctx: ValidationContext) -> Sequence[Issue]:
        figures = report.figures
        if figures.get("affected_pop", ZERO) > ZERO:
            return ()
        # A figure not given is 0, no damage: only the given ones can be above 0.
        if not any(v > ZERO and name in _DAMAGE_FIELD_SET for name, v in figures.items()):
            return ()
        return (
            Issue(
                self.rule,
                self.severity,
                "affected_pop",
                "已填报损失，但受灾人口为 0，请说明",
                "damage or loss is reported but nobody is affected; please explain",
            ),
        )


# --- rule 9 ---------------------------------------------------------------------------------

#: The cumulative indicators, in the national order (rule 9 reports them in it).
_CUMULATIVE: tuple[Indicator, ...] = tuple(i for i in INDICATORS if i.cumulative)


@dataclass(frozen=True)
class CumulativeNotLower:
    """Rule 9: in a continuing or verified report a cumulative figure may not fall silently."""

    rule: str = "R9"
    severity: Severity = Severity.WARNING

    def __call__(self, report: ReportContent, ctx: ValidationContext) -> Sequence[Issue]:
        previous = ctx.previous_figures
        if report.stage is ReportStage.INITIAL or not previous:
            return ()
        issues: list[Issue] = []
        figures = report.figures
        for ind in _CUMULATIVE:
            if ind.field not in previous:
                continue
            before, now = previous[ind.field], figures.get(ind.field, ZERO)
            if now < before:
                issues.append(
                    Issue(
                        self.rule,
                        self.severity,
                        ind.field,
                        f"{_zh(ind)}累计数（{_fmt(now)}）低于上次报告（{_fmt(before)}），请说明原因",
                        f"cumulative {_en(ind)} ({_fmt(now)}) is below the previous report "
                        f"({_fmt(before)}); give a reason",
                    )
                )
        return issues


# --- size -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContentSize:
    """The whole report within ``LIMITS.content_bytes`` (``size_error``), beside its largest part.

    Each part's own limits are the parser's (``ReportContent.from_dict``).
    """

    rule: str = "R0"
    severity: Severity = Severity.ERROR

    def __call__(self, report: ReportContent, ctx: ValidationContext) -> Sequence[Issue]:
        err = size_error(report)
        if err is None:
            return ()
        return (Issue(self.rule, self.severity, err.field, err.zh, err.en),)


# --- rule 10 --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeOrder:
    """Rule 10: occurred ≤ data cut-off ≤ submitted; no verified report before stability."""

    rule: str = "R10"
    severity: Severity = Severity.ERROR

    def __call__(self, report: ReportContent, ctx: ValidationContext) -> Sequence[Issue]:
        issues: list[Issue] = []
        if report.data_cutoff_at < report.occurred_at:
            issues.append(
                Issue(
                    self.rule,
                    self.severity,
                    "data_cutoff_at",
                    "数据截止时间不能早于灾害发生时间",
                    "the data cut-off cannot be before the disaster occurred",
                )
            )
        submitted = report.submitted_at or ctx.now
        if submitted is not None and report.data_cutoff_at > submitted:
            issues.append(self._cutoff_after_submission(ctx.clock_skew_seconds))
        if report.stage is ReportStage.VERIFIED and not report.event_stable:
            issues.append(
                Issue(
                    self.rule,
                    self.severity,
                    "stage",
                    "灾情稳定前不能报送核报",
                    "a verified report needs the event to be marked stable",
                )
            )
        return issues

    def _cutoff_after_submission(self, skew: float | None) -> Issue:
        """The cut-off lies after the submission: name a device clock known to be slow."""
        if skew is not None and clock_is_off(skew) and skew < 0:
            zh, en = clock_words(skew)
            return Issue(
                self.rule,
                self.severity,
                "data_cutoff_at",
                f"数据截止时间晚于报送时间：本机时钟比北京时间慢约 {zh}，请先校正电脑时间",
                f"the data cut-off is after the time of submission: this computer's clock is "
                f"about {en} behind Beijing time; set the computer's clock right first",
            )
        return Issue(
            self.rule,
            self.severity,
            "data_cutoff_at",
            "数据截止时间不能晚于报送时间",
            "the data cut-off cannot be after the time of submission",
        )


# --- rule 11 --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NarrativeAndEvidence:
    """Rule 11: initial narrative ≤ 200 chars (W); photos in a response (E); name ledger (E)."""

    rule: str = "R11"
    severity: Severity = Severity.ERROR

    def __call__(self, report: ReportContent, ctx: ValidationContext) -> Sequence[Issue]:
        issues: list[Issue] = []
        stage = report.stage
        # strip() only shortens: a narrative within the limit as it stands needs no copy.
        if stage is ReportStage.INITIAL and len(report.narrative) > INITIAL_NARRATIVE_MAX_CHARS:
            length = len(report.narrative.strip())
            if length > INITIAL_NARRATIVE_MAX_CHARS:
                issues.append(
                    Issue(
                        self.rule,
                        Severity.WARNING,
                        "narrative",
                        f"初报文字说明共 {length} 字，超过 {INITIAL_NARRATIVE_MAX_CHARS} 字",
                        f"the initial narrative has {length} characters, more than "
                        f"{INITIAL_NARRATIVE_MAX_CHARS}",
                    )
                )
        photos = len(report.photos)
        if report.emergency_response and photos < EMERGENCY_MIN_PHOTOS:
            issues.append(
                Issue(
                    self.rule,
                    Severity.ERROR,
                    "photos",
                    f"应急响应期间至少需要 {EMERGENCY_MIN_PHOTOS} 张照片（现有 {photos} 张）",
                    f"an active emergency response needs at least {EMERGENCY_MIN_PHOTOS} photos "
                    f"({photos} attached)",
                )
            )
        if stage is ReportStage.VERIFIED:
            for status, figure, zh_word, en_word in (
                ("death", "deaths", "死亡", "dead"),
                ("missing", "missing", "失踪", "missing"),
            ):
                expected = int(report.figure(figure))
                listed = sum(1 for e in report.ledger if e.status == status)
                if listed != expected:
                    issues.append(
                        Issue(
                            self.rule,
                            Severity.ERROR,
                            "ledger",
                            f"名单中{zh_word}人员应有 {expected} 人（现有 {listed} 人）",
                            f"the name ledger needs {expected} {en_word} rows ({listed} given)",
                        )
                    )
                    break
        return issues


#: The household ledger's damage kinds with their Chinese and English words.
_DAMAGE_WORDS: dict[str, tuple[str, str]] = {
    "collapsed": ("倒塌", "collapsed"),
    "severe": ("严重损坏", "severely damaged"),
    "minor": ("一般损坏", "generally damaged"),
}


@dataclass(frozen=True)
class HouseholdLedger:
    """Rule 11: by the verified stage, the household ledger (户数台账) matches the house figures.

    For each damage kind, the ledger has ``house_<kind>_hh`` rows whose rooms add up to
    ``house_<kind>_rooms``.  One issue (on ``households``) lists every kind that differs.
    """

    rule: str = "R11"
    severity: Severity = Severity.ERROR

    def __call__(self, report: ReportContent, ctx: ValidationContext) -> Sequence[Issue]:
        if report.stage is not ReportStage.VERIFIED:
            return ()
        zh_parts: list[str] = []
        en_parts: list[str] = []
        for kind in HOUSE_DAMAGE_KINDS:
            zh_word, en_word = _DAMAGE_WORDS[kind]
            rows = [h for h in report.households if h.damage == kind]
            households = report.figure(f"house_{kind}_hh")
            rooms = report.figure(f"house_{kind}_rooms")
            listed_rooms = sum(h.rooms for h in rows)
            if Decimal(len(rows)) != households:
                zh_parts.append(f"{zh_word}房屋应有 {_fmt(households)} 户（现有 {len(rows)} 户）")
                en_parts.append(f"{_fmt(households)} {en_word} households ({len(rows)} listed)")
            elif Decimal(listed_rooms) != rooms:
                zh_parts.append(
                    f"{zh_word}房屋间数合计应为 {_fmt(rooms)} 间（现为 {listed_rooms} 间）"
                )
                en_parts.append(f"{_fmt(rooms)} {en_word} rooms in all ({listed_rooms} listed)")
        if not zh_parts:
            return ()
        return (
            Issue(
                self.rule,
                self.severity,
                "households",
                "户数台账与房屋数据不符：" + "；".join(zh_parts),
                "the household ledger does not match the house figures: it needs "
                + "; ".join(en_parts),
            ),
        )


# --- structure: what every report needs -----------------------------------------------------


@dataclass(frozen=True)
class RequiredParts:
    """Every report has a narrative and a village inside the filer's jurisdiction."""

    rule: str = "R0"
    severity: Severity = Severity.ERROR

    def __call__(self, report: ReportContent, ctx: ValidationContext) -> Sequence[Issue]:
        issues: list[Issue] = []
        narrative = report.narrative
        # "Only whitespace" without stripping (a copy of the narrative): the same test as
        # ``not narrative.strip()``, since strip() removes exactly the isspace() characters.
        if not narrative or narrative.isspace():
            issues.append(
                Issue(
                    self.rule,
                    self.severity,
                    "narrative",
                    "请填写灾情文字说明",
                    "the situation narrative is required",
                )
            )
        if ctx.divisions is not None:
            division = ctx.divisions.get(report.village_code)
            if division is None or division.level is not DivisionLevel.VILLAGE:
                issues.append(
                    Issue(
                        self.rule,
                        self.severity,
                        "village_code",
                        f"未知的村（社区）代码：{report.village_code}",
                        f"unknown village code: {report.village_code}",
                    )
                )
        if ctx.allowed_villages is not None and report.village_code not in ctx.allowed_villages:
            issues.append(
                Issue(
                    self.rule,
                    self.severity,
                    "village_code",
                    "该村（社区）不在您的辖区内",
                    "this village is outside your jurisdiction",
                )
            )
        return issues


#: 实时 ≤ 累计 (docs/domain.md §3, §9): people still relocated or still needing aid now are
#: never more than the event's cumulative figure (checked with the "of which" rules, R3).
CURRENT_WITHIN_CUMULATIVE: tuple[tuple[str, str], ...] = (
    ("relocated_current", "relocated"),
    ("urgent_aid_current", "urgent_aid"),
)


def _house_pairs() -> Iterator[HouseholdsWithinRooms]:
    for cls in ("collapsed", "severe", "minor"):
        yield HouseholdsWithinRooms("R4", f"house_{cls}_hh", f"house_{cls}_rooms")


#: Every check, in the order of docs/domain.md §4.
RULES: tuple[Check, ...] = (
    RequiredParts(),
    FigureFormat(),
    NotGreater("R2", "crop_failed_ha", "crop_damaged_ha"),
    NotGreater("R2", "crop_damaged_ha", "crop_affected_ha"),
    NotGreater("R3", "injured_severe", "injured"),
    NotGreater("R3", "drought_water_aid", "drought_aid"),
    *(NotGreater("R3", part, "direct_loss") for part in LOSS_PARTS),
    *(NotGreater("R3", now, total) for now, total in CURRENT_WITHIN_CUMULATIVE),
    *_house_pairs(),
    TotalOfParts("R5", "relocated", ("relocated_central", "relocated_dispersed"), Severity.ERROR),
    AtLeastSum("R6", "affected_pop", ("relocated",)),
    AtLeastSum("R6", "affected_pop", ("urgent_aid",)),
    AtLeastSum("R6", "affected_pop", ("deaths", "missing")),
    TotalOfParts("R7", "direct_loss", LOSS_PARTS, Severity.WARNING, only_when_parts_given=True),
    DamageWithoutAffected(),
    CumulativeNotLower(),
    TimeOrder(),
    NarrativeAndEvidence(),
    HouseholdLedger(),
    ContentSize(),
)


def validate(report: ReportContent, ctx: ValidationContext | None = None) -> list[Issue]:
    """Run every rule on ``report``; return the issues, errors first, de-duplicated by key."""
    ctx = ctx or ValidationContext()
    seen: dict[str, Issue] = {}
    for check in RULES:
        for issue in check(report, ctx):
            key = issue.key
            if key in seen:  # several R6 checks share affected_pop: keep the first message
                continue
            seen[key] = issue
    issues = list(seen.values())
    issues.sort(key=lambda i: i.severity is not Severity.ERROR)
    return issues


#: The checks that can give a warning, in the order of ``RULES``.  Every other check gives
#: errors only, under keys no warning has (R0-R5, R10 and R11's ``households``), so it can
#: neither add a warning nor, seen first, make a warning's key an error: ``warning_count``
#: leaves them out.  Of rule 11's issues only the narrative's is a warning.
_WARNING_CHECKS: tuple[Check, ...] = tuple(
    c for c in RULES if c.severity is Severity.WARNING or isinstance(c, NarrativeAndEvidence)
)


def warning_count(report: ReportContent, ctx: ValidationContext) -> int:
    """Return how many warnings ``validate`` gives ``report``, size check aside (it errs only).

    Counts the distinct warning keys, as ``validate`` keeps one issue per key.  Runs only the
    checks that can warn (``_WARNING_CHECKS``): a pulled page counts every initial report's
    warnings, and nearly every report has none.
    """
    keys: set[str] = set()
    for check in _WARNING_CHECKS:
        for issue in check(report, ctx):
            if issue.severity is Severity.WARNING:
                keys.add(issue.key)
    return len(keys)


def blocking_issues(issues: Sequence[Issue], notes: Mapping[str, str]) -> list[Issue]:
    """Return what blocks submission: every error, and every warning without a note."""
    return [i for i in issues if i.severity is Severity.ERROR or not notes.get(i.key, "").strip()]


# --- rule 12: township totals ---------------------------------------------------------------


@dataclass(frozen=True)
class Adjustment:
    """An explicit township adjustment of one figure, with its reason (rule 12)."""

    field: str
    delta: Decimal
    reason: str


@dataclass(frozen=True)
class TownshipTotals:
    """The township's figures: the sum of approved village reports plus adjustments."""

    village_sum: Figures
    adjustments: tuple[Adjustment, ...] = field(default=())

    @property
    def figures(self) -> Figures:
        total = dict(self.village_sum)
        for adj in self.adjustments:
            total[adj.field] = total.get(adj.field, ZERO) + adj.delta
        return total


def sum_figures(reports: Iterable[Mapping[str, Decimal]]) -> Figures:
    """Add up the figures of several reports, field by field."""
    total: Figures = {}
    for figures in reports:
        for name, value in figures.items():
            total[name] = total.get(name, ZERO) + value
    return total


def check_township_figures(
    township: Mapping[str, Decimal],
    approved_villages: Iterable[Mapping[str, Decimal]],
    adjustments: Iterable[Adjustment] = (),
) -> list[Issue]:
    """Rule 12: each township figure equals the village sum plus its reasoned adjustments."""
    adjustments = list(adjustments)
    issues = [
        Issue("R12", Severity.ERROR, a.field, "调整数必须说明原因", "an adjustment needs a reason")
        for a in adjustments
        if not a.reason.strip()
    ]
    expected = TownshipTotals(sum_figures(approved_villages), tuple(adjustments)).figures
    for ind in INDICATORS:
        want, got = expected.get(ind.field, ZERO), township.get(ind.field, ZERO)
        if want != got:
            issues.append(
                Issue(
                    "R12",
                    Severity.ERROR,
                    ind.field,
                    f"{_zh(ind)}（{_fmt(got)}）应等于已审核村级报告之和加调整数（{_fmt(want)}）",
                    f"{_en(ind)} ({_fmt(got)}) should equal the approved village reports plus "
                    f"adjustments ({_fmt(want)})",
                )
            )
    return issues

"""A unit report on the national form (快报表): header, unit rows, narrative, sign-off, ledgers.

The model is the same at every level: a township's form has a row per village, a county's a
row per township, a city's a row per county.  ``build_form`` makes it from plain parts;
``township_form`` from the township report the app fetched (``core/township/report.py``) and
the village reports this device keeps (their narratives and name ledgers).  The writers
(``core/township/export.py`` for .xlsx and CSV, ``ui/township/print_form.py`` for PDF) read
only this model.

Header values that change with each revision of the national system (表号, 制定机关, 批准机关,
批准文号, 有效期至) come from ``resources/forms/quick_report_form.json``
(``sync.contract.forms``).  The data cut-off (数据截止时间) is the latest ``data_cutoff_at`` of
the rows the report adds up, never the time of the export.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from informant_app.core.review.types import TownshipReport
from informant_app.core.store.duty_views import post_now
from informant_app.core.store.errors import StoreError
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_status import current_account
from sync.contract import DISASTER_TYPE_BY_KEY, INDICATOR_BY_FIELD, ReportStage
from sync.contract.china_time import CHINA_TZ
from sync.contract.forms import FormLevelSettings, FormSettings, form_settings
from sync.contract.report import ReportContent, parse_figure, parse_figures
from sync.contract.wire.unit_reports import UnitReport

log = logging.getLogger(__name__)

#: China Standard Time, in which the form's times are printed.
CHINA = CHINA_TZ
ZERO = Decimal(0)
#: The indicators the composed narrative's opening sentence names when they are not zero.
NARRATIVE_FIELDS = (
    "affected_pop",
    "deaths",
    "missing",
    "relocated",
    "urgent_aid",
    "house_collapsed_rooms",
    "house_severe_rooms",
    "house_minor_rooms",
    "crop_affected_ha",
    "crop_failed_ha",
    "direct_loss",
)
#: House classes of the household ledger: (class, households field, rooms field, label).
HOUSE_CLASSES = (
    ("collapsed", "house_collapsed_hh", "house_collapsed_rooms", "倒塌"),
    ("severe", "house_severe_hh", "house_severe_rooms", "严重损坏"),
    ("minor", "house_minor_hh", "house_minor_rooms", "一般损坏"),
)
LEVEL_BELOW = {"township": "village", "county": "township", "city": "county"}


@dataclass(frozen=True)
class FormRow:
    """One unit below the reporting unit: its figures as they count in the report.

    Attributes:
        code: the unit's division code.
        name: the unit's name.
        figures: indicator → value (its latest approved cumulative figures).
        data_cutoff_at: the cut-off of those figures.
        filed_by: who filed them (display name).
        filed_role: ``A`` or ``B`` (of the filer's post), when known.
        narrative: the unit's own narrative, when known.
    """

    code: str
    name: str
    figures: Mapping[str, Decimal]
    data_cutoff_at: datetime | None = None
    filed_by: str = ""
    filed_role: str | None = None
    narrative: str = ""


@dataclass(frozen=True)
class FormAdjustment:
    """An explicit adjustment of the reporting unit, with its reason (rule 12)."""

    field: str
    delta: Decimal
    reason: str
    made_by: str
    role: str | None = None


@dataclass(frozen=True)
class SignOff:
    """The footer: 单位负责人, 统计负责人, 填表人 (with A/B), 联系电话, 报出日期.

    The two heads sign by hand: left blank unless given.
    """

    filer: str
    filer_role: str | None
    phone: str
    reported_on: date
    unit_head: str = ""
    statistics_head: str = ""

    def filer_text(self, settings: FormSettings, lang: str = "zh") -> str:
        """Return the filer with their role, "王五（A角）"."""
        if not self.filer:
            return ""
        if self.filer_role in ("A", "B"):
            return f"{self.filer}（{settings.label(self.filer_role + '角', lang)}）"
        return self.filer


@dataclass(frozen=True)
class PersonEntry:
    """A row of the name ledger of the dead and missing (死亡失踪人员名单)."""

    unit_code: str
    unit_name: str
    name: str
    status: str  # "death" or "missing"
    note: str = ""

    @property
    def status_zh(self) -> str:
        """Return 死亡 or 失踪."""
        return "死亡" if self.status == "death" else "失踪"


@dataclass(frozen=True)
class HouseholdEntry:
    """A row of the household ledger (户数台账): a household, or a unit's count of a class.

    Attributes:
        unit_code: the village (or unit) the houses are in.
        unit_name: its name.
        house_class: ``collapsed``, ``severe`` or ``minor``.
        households: how many households (1 for a named household).
        rooms: how many rooms (间).
        head: the head of household (户主) when the report names one, else "".
        note: a remark.
    """

    unit_code: str
    unit_name: str
    house_class: str
    households: Decimal
    rooms: Decimal
    head: str = ""
    note: str = ""

    @property
    def class_zh(self) -> str:
        """Return the class's Chinese name (倒塌, 严重损坏, 一般损坏)."""
        return next((zh for key, _h, _r, zh in HOUSE_CLASSES if key == self.house_class), "")


@dataclass(frozen=True)
class NationalForm:
    """A unit report on the national form, ready to be written.

    Attributes:
        settings: the form settings (header values and label texts).
        level: ``township``, ``county`` or ``city``.
        unit_code: the reporting unit (填报单位)'s code.
        unit_name: its name.
        event_name: the disaster event.
        stage: the report's stage.
        disaster_type: 灾害种类 as printed (type, and subtype when known).
        occurred_at: 发生时间, the event's occurrence.
        data_cutoff_at: 数据截止时间, the latest cut-off of the rows (``None`` without rows).
        rows: one per unit below.
        unit_sum: the rows added up.
        adjustments: the reporting unit's adjustments.
        total: the report's figures (rows plus adjustments).
        narrative: 灾情文字说明.
        sign_off: the footer.
        people: the name ledger (verified reports).
        households: the household ledger (verified reports).
        from_cache: the report is the offline copy.
    """

    settings: FormSettings
    level: str
    unit_code: str
    unit_name: str
    event_name: str
    stage: ReportStage
    disaster_type: str
    occurred_at: datetime | None
    data_cutoff_at: datetime | None
    rows: tuple[FormRow, ...]
    unit_sum: Mapping[str, Decimal]
    adjustments: tuple[FormAdjustment, ...]
    total: Mapping[str, Decimal]
    narrative: str
    sign_off: SignOff
    people: tuple[PersonEntry, ...] = ()
    households: tuple[HouseholdEntry, ...] = ()
    from_cache: bool = False

    @property
    def form(self) -> FormLevelSettings:
        """The settings of this level's form."""
        return self.settings.form(self.level)

    @property
    def has_ledgers(self) -> bool:
        """Whether the ledger sheets belong to this report (a verified one)."""
        return self.stage is ReportStage.VERIFIED

    def title(self, lang: str = "zh") -> str:
        """Return the form's title."""
        return self.form.title.get(lang)

    def label(self, key: str, lang: str = "zh") -> str:
        """Return a label text of the settings."""
        return self.settings.label(key, lang)

    def fixed_header(self, lang: str = "zh") -> list[tuple[str, str]]:
        """Return the revision's header: 表号, 制定机关, 批准机关, 批准文号, 有效期至."""
        return [(self.label(k, lang), v) for k, v in self.form.header.items()]

    def report_header(self, lang: str = "zh") -> list[tuple[str, str]]:
        """Return the report's header: 填报单位, 灾害过程 … 发生时间, 数据截止时间."""
        return [
            (self.label("填报单位", lang), self.unit_name),
            (self.label("灾害过程", lang), self.event_name),
            (self.label("报告阶段", lang), self.stage.label(lang)),
            (self.label("灾害种类", lang), self.disaster_type),
            (self.label("发生时间", lang), time_text(self.occurred_at, self.settings, lang)),
            (self.label("数据截止时间", lang), self.cutoff_text(lang)),
        ]

    def cutoff_text(self, lang: str = "zh") -> str:
        """Return the data cut-off as printed ("—" when no row has one)."""
        text = time_text(self.data_cutoff_at, self.settings, lang)
        if self.from_cache:
            text += f"（{self.label('离线副本', lang)}）"
        return text

    def footer(self, lang: str = "zh") -> list[tuple[str, str]]:
        """Return the sign-off line: 单位负责人, 统计负责人, 填表人, 联系电话, 报出日期."""
        s = self.sign_off
        return [
            (self.label("单位负责人", lang), s.unit_head),
            (self.label("统计负责人", lang), s.statistics_head),
            (self.label("填表人", lang), s.filer_text(self.settings, lang)),
            (self.label("联系电话", lang), s.phone),
            (self.label("报出日期", lang), date_text(s.reported_on, lang)),
        ]

    def table_rows(self) -> list[tuple[str, Mapping[str, Decimal], str]]:
        """Return the labelled figure rows: units, adjustments (if any), the total.

        The third item is the row's kind: ``unit``, ``adjustment`` or ``total``.
        """
        rows: list[tuple[str, Mapping[str, Decimal], str]] = [
            (r.name or r.code, r.figures, "unit") for r in self.rows
        ]
        if self.adjustments:
            label = self.form.adjustments_label.zh
            rows.append((label, adjustment_sums(self.adjustments), "adjustment"))
        rows.append((self.label("合计"), self.total, "total"))
        return rows

    def adjustment_notes(self) -> list[str]:
        """Return one line per adjustment: indicator, delta, reason and who made it (role)."""
        notes = []
        for adj in self.adjustments:
            indicator = INDICATOR_BY_FIELD.get(adj.field)
            label = indicator_header(adj.field) if indicator else adj.field
            who = adj.made_by + (f"，{adj.role}角" if adj.role in ("A", "B") else "")
            notes.append(
                f"{label}：{figure_text(adj.field, adj.delta, signed=True)}，原因：{adj.reason}"
                f"（{who}）"
            )
        return notes


def indicator_header(field_name: str) -> str:
    """Return an indicator's column head: its Chinese label with its unit ("受灾人口（人）")."""
    indicator = INDICATOR_BY_FIELD[field_name]
    unit = f"（{indicator.unit.zh}）"
    return indicator.zh if indicator.zh.endswith(unit) else indicator.zh + unit


def figure_text(field_name: str, value: Decimal, signed: bool = False) -> str:
    """Return a figure as text with its indicator's decimals ("+12", "3.50")."""
    indicator = INDICATOR_BY_FIELD.get(field_name)
    decimals = indicator.decimals if indicator else 0
    text = f"{value:.{decimals}f}"
    return f"+{text}" if signed and value > 0 else text


def time_text(value: datetime | None, settings: FormSettings, lang: str = "zh") -> str:
    """Return a time in Beijing time ("2026-07-03 24:00" is shown as the next day's 00:00)."""
    if value is None:
        return "—"
    local = value.astimezone(CHINA)
    return f"{local:%Y-%m-%d %H:%M}（{settings.label('北京时间', lang)}）"


def date_text(value: date, lang: str = "zh") -> str:
    """Return a date as printed on the form ("2026年07月03日")."""
    return f"{value:%Y年%m月%d日}" if lang.startswith("zh") else value.isoformat()


def adjustment_sums(adjustments: Iterable[FormAdjustment]) -> dict[str, Decimal]:
    """Return the adjustments added up per indicator."""
    sums: dict[str, Decimal] = {}
    for adj in adjustments:
        sums[adj.field] = sums.get(adj.field, ZERO) + adj.delta
    return sums


def disaster_text(disaster_type: str | None, subtype: str | None, lang: str = "zh") -> str:
    """Return 灾害种类 as printed: "洪涝（山洪）", or the key when the type is unknown."""
    if not disaster_type:
        return "—"
    known = DISASTER_TYPE_BY_KEY.get(disaster_type)
    if known is None:
        return disaster_type
    text = known.label(lang)
    sub = known.subtype(subtype) if subtype else None
    return f"{text}（{sub.label(lang)}）" if sub else text


def compose_narrative(
    unit_name: str,
    rows: Sequence[FormRow],
    total: Mapping[str, Decimal],
    cutoff: datetime | None,
    settings: FormSettings,
    rows_heading: str = "单位",
) -> str:
    """Return a narrative made from the rows: a sentence of the totals, then each unit's own.

    Used when the reporting unit wrote none of its own.
    """
    parts = []
    for name in NARRATIVE_FIELDS:
        value = total.get(name, ZERO)
        if value:
            indicator = INDICATOR_BY_FIELD[name]
            parts.append(f"{indicator.zh}{figure_text(name, value)}{indicator.unit.zh}")
    when = f"截至{time_text(cutoff, settings)}，" if cutoff else ""
    lead = f"{when}{unit_name}共{len(rows)}个{rows_heading}报告灾情"
    lead += "：" + "，".join(parts) + "。" if parts else "。"
    lines = [lead]
    for row in rows:
        own = " ".join(row.narrative.split())
        if own:
            lines.append(f"{row.name or row.code}：{own}")
    return "\n".join(lines)


def build_form(
    *,
    level: str,
    unit_code: str,
    unit_name: str,
    event_name: str,
    stage: ReportStage,
    disaster_type: str,
    occurred_at: datetime | None,
    rows: Sequence[FormRow],
    adjustments: Sequence[FormAdjustment],
    total: Mapping[str, Decimal],
    sign_off: SignOff,
    narrative: str = "",
    people: Sequence[PersonEntry] = (),
    households: Sequence[HouseholdEntry] = (),
    from_cache: bool = False,
    settings: FormSettings | None = None,
) -> NationalForm:
    """Return a unit report on the national form, from plain parts (any level).

    The data cut-off is the latest ``data_cutoff_at`` of ``rows``; the narrative, when empty,
    is composed from the rows (``compose_narrative``).  Ledgers are kept only for a verified
    report.
    """
    conf = settings or form_settings()
    conf.form(level)  # an unknown level fails here, not in a writer
    cutoffs = [r.data_cutoff_at for r in rows if r.data_cutoff_at is not None]
    cutoff = max(cutoffs) if cutoffs else None
    unit_sum: dict[str, Decimal] = {}
    for row in rows:
        for name, value in row.figures.items():
            unit_sum[name] = unit_sum.get(name, ZERO) + value
    verified = stage is ReportStage.VERIFIED
    return NationalForm(
        settings=conf,
        level=level,
        unit_code=unit_code,
        unit_name=unit_name,
        event_name=event_name,
        stage=stage,
        disaster_type=disaster_type,
        occurred_at=occurred_at,
        data_cutoff_at=cutoff,
        rows=tuple(rows),
        unit_sum=unit_sum,
        adjustments=tuple(adjustments),
        total=dict(total),
        narrative=narrative.strip()
        or compose_narrative(
            unit_name, rows, total, cutoff, conf, conf.form(level).rows_heading.zh
        ),
        sign_off=sign_off,
        people=tuple(people) if verified else (),
        households=tuple(households) if verified else (),
        from_cache=from_cache,
    )


# --- ledgers from village reports ------------------------------------------------------------


def people_of(code: str, name: str, content: ReportContent) -> list[PersonEntry]:
    """Return the name ledger rows of one village report."""
    return [PersonEntry(code, name, e.name, e.status, e.note) for e in content.ledger]


def households_of(
    code: str, name: str, content: ReportContent | None, figures: Mapping[str, Decimal]
) -> list[HouseholdEntry]:
    """Return the household ledger rows of one village.

    A report that names its households (the ``households`` ledger of its content, which a
    verified report with houses carries) gives one row per household, with its head, damage
    kind, rooms and note; otherwise the village's counts per house class (户 and 间) from its
    figures make the rows.
    """
    if content is not None and content.households:
        order = {key: n for n, (key, _h, _r, _zh) in enumerate(HOUSE_CLASSES)}
        named = sorted(content.households, key=lambda h: order.get(h.damage, len(order)))
        return [
            HouseholdEntry(code, name, h.damage, Decimal(1), Decimal(h.rooms), h.head, h.note)
            for h in named
        ]
    rows = []
    for house_class, hh_field, rooms_field, _zh in HOUSE_CLASSES:
        hh = figures.get(hh_field, ZERO)
        rooms = figures.get(rooms_field, ZERO)
        if hh or rooms:
            rows.append(HouseholdEntry(code, name, house_class, hh, rooms))
    return rows


# --- the township report ---------------------------------------------------------------------


def _content(store: ReportStore, version_uuid: str) -> ReportContent | None:
    try:
        return store.version_content(version_uuid)
    except (KeyError, StoreError, ValueError):
        log.info("version %s is not kept on this device: no narrative or ledger", version_uuid)
        return None


def _event(store: ReportStore, event_uuid: str) -> Any:
    return next((e for e in store.events() if e.event_uuid == event_uuid), None)


def _sign_off(store: ReportStore, report: TownshipReport, now: datetime) -> SignOff:
    """Return the footer: the submitter when the report was submitted, else the signed-in user."""
    submission = report.raw.get("submission") if isinstance(report.raw, dict) else None
    account = current_account_of(store)
    username = account[0] if account else ""
    filer = account[1] if account else ""
    role = account[2] if account else None
    reported_on = now.astimezone(CHINA).date()
    if isinstance(submission, Mapping) and report.submitted:
        username = str(submission.get("submitted_by") or username)
        filer = str(submission.get("submitted_by_name") or username or filer)
        role = submission.get("post_role") or role
        if report.submitted_at is not None:
            reported_on = report.submitted_at.astimezone(CHINA).date()
    phone = ""
    try:
        duty = post_now(store, report.township_code)
        holder = next((h for h in duty.holders if h.username == username), None)
        phone = (holder.phone if holder else None) or ""
    except (StoreError, KeyError, ValueError):
        log.info("no roster of %s on this device", report.township_code)
    if not phone:
        profile = store.profile()
        phone = profile.phone if profile is not None else ""
    return SignOff(filer, role if role in ("A", "B") else None, phone, reported_on)


def current_account_of(store: ReportStore) -> tuple[str, str, str | None] | None:
    """Return the signed-in account's user name, name and A/B role at its own unit."""
    account = current_account(store)
    if account is None:
        return None
    role = next(
        (p.post_role for p in account.posts if p.division_code == account.jurisdiction_code),
        account.posts[0].post_role if account.posts else None,
    )
    return account.username, account.display_name or account.username, role


def township_form(
    store: ReportStore,
    report: TownshipReport,
    now: datetime | None = None,
    settings: FormSettings | None = None,
) -> NationalForm:
    """Return the township report on the national form.

    The event (type, occurrence) comes from the events this device knows; each village row's
    narrative and name ledger from the village version kept here (a version not kept gives an
    empty narrative and no ledger rows); the footer's filer is the submitter when the report
    was submitted with this total, else the signed-in reviewer, with their A/B role.
    """
    moment = now or store.now()
    event = _event(store, report.event_uuid)
    rows: list[FormRow] = []
    people: list[PersonEntry] = []
    households: list[HouseholdEntry] = []
    contents: dict[str, ReportContent] = {}
    for v in report.villages:
        content = _content(store, v.version_uuid)
        if content is not None:
            contents[v.village_code] = content
        name = v.village_name or v.village_code
        rows.append(
            FormRow(
                code=v.village_code,
                name=name,
                figures=v.figures,
                data_cutoff_at=v.data_cutoff_at
                or (content.data_cutoff_at if content is not None else None),
                filed_by=v.filed_by,
                filed_role=v.filed_role,
                narrative=content.narrative if content is not None else "",
            )
        )
        if content is not None:
            people.extend(people_of(v.village_code, name, content))
        households.extend(households_of(v.village_code, name, content, v.figures))
    first = next(iter(contents.values()), None)
    disaster = event.disaster_type if event is not None else (first.disaster_type if first else "")
    subtype = event.disaster_subtype if event is not None else None
    if subtype is None and first is not None:
        subtype = first.disaster_subtype
    occurred = event.occurred_at if event is not None else None
    if occurred is None and contents:
        occurred = min(c.occurred_at for c in contents.values())
    own = report.raw.get("narrative") if isinstance(report.raw, dict) else None
    adjustments = [
        FormAdjustment(a.field, a.delta, a.reason, a.made_by, a.role) for a in report.adjustments
    ]
    return build_form(
        level="township",
        unit_code=report.township_code,
        unit_name=report.township_name or report.township_code,
        event_name=report.event_name,
        stage=report.stage,
        disaster_type=disaster_text(disaster, subtype),
        occurred_at=occurred,
        rows=rows,
        adjustments=adjustments,
        total=report.total,
        sign_off=_sign_off(store, report, moment),
        narrative=own if isinstance(own, str) else "",
        people=people,
        households=households,
        from_cache=report.from_cache,
        settings=settings,
    )


def plain_form(
    report: TownshipReport, now: datetime, settings: FormSettings | None = None
) -> NationalForm:
    """Return the township report on the national form without a store (headless use).

    No narrative of the villages, no ledger names and no filer beyond the submission's.
    """
    submission = report.raw.get("submission") if isinstance(report.raw, dict) else None
    filer, role = "", None
    if isinstance(submission, Mapping):
        filer = str(submission.get("submitted_by_name") or submission.get("submitted_by") or "")
        role = submission.get("post_role")
    reported = (report.submitted_at or now).astimezone(CHINA).date()
    rows = [
        FormRow(
            v.village_code,
            v.village_name or v.village_code,
            v.figures,
            v.data_cutoff_at,
            v.filed_by,
            v.filed_role,
        )
        for v in report.villages
    ]
    return build_form(
        level="township",
        unit_code=report.township_code,
        unit_name=report.township_name or report.township_code,
        event_name=report.event_name,
        stage=report.stage,
        disaster_type="—",
        occurred_at=None,
        rows=rows,
        adjustments=[
            FormAdjustment(a.field, a.delta, a.reason, a.made_by, a.role)
            for a in report.adjustments
        ],
        total=report.total,
        sign_off=SignOff(filer, role if role in ("A", "B") else None, "", reported),
        households=[
            h
            for v in report.villages
            for h in households_of(v.village_code, v.village_name, None, v.figures)
        ],
        from_cache=report.from_cache,
        settings=settings,
    )


__all__ = [
    "CHINA",
    "FormAdjustment",
    "FormRow",
    "HouseholdEntry",
    "NationalForm",
    "PersonEntry",
    "SignOff",
    "build_form",
    "compose_narrative",
    "disaster_text",
    "households_of",
    "indicator_header",
    "people_of",
    "plain_form",
    "township_form",
    "unit_form",
    "unit_form_of",
]


# --- the county and city reports (``GET /units/{code}/reports/{event}/{stage}``) --------------


def _wire_figures(raw: Mapping[str, Any]) -> dict[str, Decimal]:
    return dict(parse_figures(dict(raw)))


def unit_form(
    report: UnitReport,
    now: datetime,
    *,
    disaster_type: str = "—",
    occurred_at: datetime | None = None,
    filer: SignOff | None = None,
    settings: FormSettings | None = None,
) -> NationalForm:
    """Return a county or city report (the server's ``UnitReport``) on the national form.

    Rows are the passed reports of the units below (townships for a county, counties for a
    city).  The footer's filer is the submitter when the report was submitted with this total,
    else ``filer`` (the signed-in admin, with their A/B role).  The wire carries no names of
    the dead and missing, so the name ledger is empty; the household ledger counts each unit's
    houses from its figures.
    """
    rows = [
        FormRow(
            code=r.unit_code,
            name=r.unit_name or r.unit_code,
            figures=_wire_figures(r.figures),
            data_cutoff_at=r.data_cutoff_at,
            filed_by=r.submitted_by_name or r.submitted_by,
            filed_role=r.post_role,
        )
        for r in report.rows
    ]
    total = _wire_figures(report.total)
    sub = report.submission
    if sub is not None and _wire_figures(sub.figures) == total:
        role = sub.post_role if sub.post_role in ("A", "B") else None
        sign_off = SignOff(
            sub.submitted_by_name or sub.submitted_by,
            role,
            filer.phone if filer is not None else "",
            sub.server_received_at.astimezone(CHINA).date(),
        )
    else:
        sign_off = filer or SignOff("", None, "", now.astimezone(CHINA).date())
    return build_form(
        level=report.level,
        unit_code=report.unit_code,
        unit_name=report.unit_name or report.unit_code,
        event_name=report.event_name,
        stage=ReportStage(report.stage),
        disaster_type=disaster_type,
        occurred_at=occurred_at,
        rows=rows,
        adjustments=[
            FormAdjustment(
                a.field,
                parse_figure(a.field, a.delta),
                a.reason,
                a.made_by_name or a.made_by,
                a.post_role,
            )
            for a in report.adjustments
        ],
        total=total,
        sign_off=sign_off,
        households=[h for r in rows for h in households_of(r.code, r.name, None, r.figures)],
        settings=settings,
    )


def unit_form_of(
    store: ReportStore,
    report: UnitReport,
    now: datetime | None = None,
    settings: FormSettings | None = None,
) -> NationalForm:
    """Return a county or city report on the national form, with what this device knows.

    The event's type and occurrence come from the events kept here; the filer (when the
    report was not submitted with this total) is the signed-in admin with their A/B role.
    """
    moment = now or store.now()
    event = _event(store, report.event_uuid)
    account = current_account_of(store)
    profile = store.profile()
    filer = SignOff(
        account[1] if account else "",
        account[2] if account and account[2] in ("A", "B") else None,
        profile.phone if profile is not None else "",
        moment.astimezone(CHINA).date(),
    )
    return unit_form(
        report,
        moment,
        disaster_type=disaster_text(event.disaster_type, event.disaster_subtype)
        if event is not None
        else "—",
        occurred_at=event.occurred_at if event is not None else None,
        filer=filer,
        settings=settings,
    )

"""The header values of the national quick-report form (快报表), read from a settings file.

A statistical return carries a header (表号, 制定机关, 批准机关, 批准文号, 有效期至) whose values
change with each revision of the national system, so they are data, not code:
``resources/forms/quick_report_form.json`` (see the README beside it for where the values come
from and which are examples).  ``load_form_settings`` reads it (or another file of the same
shape) into plain values; ``form_settings`` caches the bundled file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sync.contract.bilingual import BilingualError, pick
from sync.contract.resources import resource_path

__all__ = [
    "FORM_HEADER_KEYS",
    "FORM_LEVELS",
    "FormLevelSettings",
    "FormSettings",
    "FormSettingsError",
    "LedgerSettings",
    "Text",
    "form_settings",
    "load_form_settings",
    "parse_form_settings",
]

#: The levels a unit report is filed at: its rows are the units one level below.
FORM_LEVELS = ("township", "county", "city")
#: The header keys each level's form carries, in the order they are printed.
FORM_HEADER_KEYS = ("表号", "制定机关", "批准机关", "批准文号", "有效期至")


class FormSettingsError(BilingualError, ValueError):
    """The form settings file is missing, not JSON, or lacks a value."""


@dataclass(frozen=True)
class Text:
    """A text in Chinese and English."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        """Return the text in ``lang`` (Chinese for ``zh…``, else English)."""
        return pick(lang, self.zh, self.en or self.zh)


@dataclass(frozen=True)
class FormLevelSettings:
    """The form of one level (township, county, city).

    Attributes:
        level: ``township``, ``county`` or ``city``.
        title: the form's title (自然灾害损失情况统计快报表).
        rows_heading: the head of the unit column (村（社区）for a township's form).
        unit_kind: what the reporting unit is (乡（镇、街道）for a township).
        header: 表号, 制定机关, 批准机关, 批准文号, 有效期至 → value.
        adjustments_label: the label of the row of the unit's own adjustments (乡镇调整数).
    """

    level: str
    title: Text
    rows_heading: Text
    unit_kind: Text
    header: dict[str, str]
    adjustments_label: Text = Text("调整数", "Adjustments")


@dataclass(frozen=True)
class LedgerSettings:
    """A ledger sheet's title, sheet name and form number."""

    title: Text
    sheet: str
    form_no: str


@dataclass(frozen=True)
class FormSettings:
    """Every level's form, the ledgers and the label texts of one revision.

    Attributes:
        revision: the revision of the national system the values follow ("2020").
        system: the system's name.
        examples: header keys whose values are examples (not confirmed locally).
        forms: level → its form.
        deaths: the name ledger of the dead and missing.
        households: the household ledger of collapsed and damaged houses.
        labels: label key (表号, 填表人 …) → its text.
    """

    revision: str
    system: Text
    examples: tuple[str, ...]
    forms: dict[str, FormLevelSettings]
    deaths: LedgerSettings
    households: LedgerSettings
    labels: dict[str, Text] = field(default_factory=dict)

    def form(self, level: str) -> FormLevelSettings:
        """Return the form of ``level`` (``FormSettingsError`` for an unknown level)."""
        try:
            return self.forms[level]
        except KeyError:
            raise FormSettingsError(
                f"报表设置中没有“{level}”级的表式", f"the form settings have no {level!r} form"
            ) from None

    def label(self, key: str, lang: str = "zh") -> str:
        """Return the label ``key`` in ``lang`` (the key itself when the file has none)."""
        text = self.labels.get(key)
        return text.get(lang) if text else key


def _bad(what: str) -> FormSettingsError:
    return FormSettingsError(f"报表设置文件缺少或错写了 {what}", f"the form settings lack {what}")


def _text(raw: object, what: str) -> Text:
    if isinstance(raw, str):
        return Text(raw, raw)
    if isinstance(raw, dict) and isinstance(raw.get("zh"), str):
        return Text(raw["zh"], str(raw.get("en") or raw["zh"]))
    raise _bad(what)


def _level(level: str, raw: object) -> FormLevelSettings:
    if not isinstance(raw, dict):
        raise _bad(f"forms.{level}")
    header: dict[str, str] = {}
    for key in FORM_HEADER_KEYS:
        value = raw.get(key)
        if not isinstance(value, str):
            raise _bad(f"forms.{level}.{key}")
        header[key] = value
    return FormLevelSettings(
        level=level,
        title=_text(raw.get("title"), f"forms.{level}.title"),
        rows_heading=_text(raw.get("rows_heading"), f"forms.{level}.rows_heading"),
        unit_kind=_text(raw.get("unit_kind"), f"forms.{level}.unit_kind"),
        header=header,
        adjustments_label=_text(
            raw.get("adjustments_label") or {"zh": "调整数", "en": "Adjustments"},
            f"forms.{level}.adjustments_label",
        ),
    )


def _ledger(raw: Any, key: str) -> LedgerSettings:
    item = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(item, dict) or not isinstance(item.get("sheet"), str):
        raise _bad(f"ledgers.{key}")
    return LedgerSettings(
        title=_text(item.get("title"), f"ledgers.{key}.title"),
        sheet=item["sheet"],
        form_no=str(item.get("表号") or ""),
    )


def parse_form_settings(data: object) -> FormSettings:
    """Return the settings of a parsed JSON object (``FormSettingsError`` when malformed)."""
    if not isinstance(data, dict):
        raise _bad("its top-level object")
    forms_raw = data.get("forms")
    if not isinstance(forms_raw, dict):
        raise _bad("forms")
    forms = {level: _level(level, forms_raw.get(level)) for level in FORM_LEVELS}
    labels_raw = data.get("labels") or {}
    if not isinstance(labels_raw, dict):
        raise _bad("labels")
    examples = data.get("examples") or []
    return FormSettings(
        revision=str(data.get("revision") or ""),
        system=_text(data.get("system") or "", "system"),
        examples=tuple(str(e) for e in examples) if isinstance(examples, list) else (),
        forms=forms,
        deaths=_ledger(data.get("ledgers"), "deaths"),
        households=_ledger(data.get("ledgers"), "households"),
        labels={str(k): _text(v, f"labels.{k}") for k, v in labels_raw.items()},
    )


def load_form_settings(path: Path | None = None) -> FormSettings:
    """Read the form settings from ``path`` (default: the bundled file)."""
    target = path or resource_path("forms", "quick_report_form.json")
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FormSettingsError(
            f"无法读取报表设置文件 {target}：{exc.strerror or exc}",
            f"cannot read the form settings {target}: {exc.strerror or exc}",
        ) from exc
    except json.JSONDecodeError as exc:
        raise FormSettingsError(
            f"报表设置文件 {target} 不是有效的 JSON（第 {exc.lineno} 行）",
            f"the form settings {target} are not valid JSON (line {exc.lineno})",
        ) from exc
    return parse_form_settings(data)


@cache
def form_settings() -> FormSettings:
    """Return the bundled form settings (read once)."""
    return load_form_settings()

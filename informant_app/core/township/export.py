"""A unit report on the national form (快报表) as an .xlsx workbook (XlsxWriter) or a CSV file.

The workbook's sheet 快报表 follows the national return: the title, the form's header (表号,
制定机关, 批准机关, 批准文号, 有效期至 from ``resources/forms/quick_report_form.json``; 填报单位,
灾害过程, 报告阶段, 灾害种类, 发生时间 and 数据截止时间 = the data cut-off of the rows), then the
table — the unit column (村（社区）for a township) and every indicator of the contract in the
national order, headed by its Chinese label and unit ("受灾人口（人）"); one row per unit below,
a row of the reporting unit's adjustments when there are any, and the 合计 row (rule 12) —
then the adjustments' reasons, the narrative (灾情文字说明) and the sign-off footer (单位负责人,
统计负责人, 填表人 with A/B, 联系电话, 报出日期).  A verified report adds the sheets
死亡失踪人员名单 and 户数台账.  The CSV is the table alone, UTF-8 with a BOM so that Excel reads it.

``export_form`` writes a ``NationalForm`` (``core/township/national_form.py``); ``export``
writes a ``TownshipReport`` without a store (no village narratives or name ledgers).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from informant_app.core.review.types import TownshipReport
from informant_app.core.township.national_form import (
    NationalForm,
    figure_text,
    plain_form,
)
from informant_app.core.township.national_form import indicator_header as _field_header
from sync.contract import INDICATORS, Indicator
from sync.contract.forms import form_settings

SHEET_TITLE = "快报表"
ZERO = Decimal(0)
#: The row of the table header (0-based): below the title and the header block.
HEADER_ROW = 8
#: Columns (0-based) the report header's and the revision's header blocks start at.
LEFT_SPAN = 8
RIGHT_START = 28


def indicator_header(indicator: Indicator) -> str:
    """Return the column header of an indicator: its Chinese label with its unit."""
    return _field_header(indicator.field)


def headers(form: NationalForm | None = None) -> list[str]:
    """Return the table's column headers (the unit column from the form's level)."""
    level = form.form if form is not None else form_settings().form("township")
    return [level.rows_heading.zh, *(indicator_header(i) for i in INDICATORS)]


def _number(indicator: Indicator, value: Decimal | None) -> int | float:
    value = value if value is not None else ZERO
    return int(value) if indicator.decimals == 0 else float(value)


def write_csv(form: NationalForm, path: Path) -> None:
    """Write the table as CSV (UTF-8 with BOM): header, units, adjustments, total."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers(form))
        for label, figures, _kind in form.table_rows():
            writer.writerow(
                [label, *(figure_text(i.field, figures.get(i.field, ZERO)) for i in INDICATORS)]
            )


def _formats(book: Any) -> dict[str, Any]:
    border = {"border": 1, "valign": "vcenter"}
    total = {"bold": True, "bg_color": "#FFF2CC"}
    return {
        "title": book.add_format({"bold": True, "font_size": 16, "align": "center"}),
        "line": book.add_format({"font_size": 11}),
        "right": book.add_format({"font_size": 10}),
        "bold": book.add_format({"bold": True}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top", "border": 1}),
        "header": book.add_format(
            {**border, "bold": True, "text_wrap": True, "align": "center", "bg_color": "#DDEBF7"}
        ),
        "label": book.add_format({**border}),
        "text": book.add_format({**border, "text_wrap": True}),
        "total_label": book.add_format({**border, **total}),
        "adj_label": book.add_format({**border, "italic": True}),
        "0": book.add_format({**border, "num_format": "0"}),
        "2": book.add_format({**border, "num_format": "0.00"}),
        "total0": book.add_format({**border, **total, "num_format": "0"}),
        "total2": book.add_format({**border, **total, "num_format": "0.00"}),
        "adj0": book.add_format({**border, "italic": True, "num_format": "+0;-0;0"}),
        "adj2": book.add_format({**border, "italic": True, "num_format": "+0.00;-0.00;0.00"}),
    }


def _width(text: str) -> float:
    """Return a column width for a wrapped header (CJK characters count double)."""
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return float(min(max(units / 2 + 2, 10), 18))


def _line_count(text: str, width_chars: int) -> int:
    """Return how many printed lines ``text`` takes in a cell ``width_chars`` wide."""
    lines = 0
    for para in text.splitlines() or [""]:
        units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in para)
        lines += max(1, -(-units // max(width_chars, 1)))
    return lines


def _header_block(sheet: Any, form: NationalForm, fmt: Mapping[str, Any], last_col: int) -> None:
    sheet.merge_range(0, 0, 0, last_col, form.title(), fmt["title"])
    for offset, (label, value) in enumerate(form.report_header(), start=1):
        sheet.merge_range(offset, 0, offset, LEFT_SPAN, f"{label}：{value}", fmt["line"])
    right = min(RIGHT_START, max(last_col - 6, LEFT_SPAN + 1))
    for offset, (label, value) in enumerate(form.fixed_header(), start=1):
        sheet.merge_range(offset, right, offset, last_col, f"{label}：{value}", fmt["right"])


def _table(sheet: Any, form: NationalForm, fmt: Mapping[str, Any]) -> int:
    """Write the table below the header block; return its last row."""
    columns = headers(form)
    sheet.set_row(HEADER_ROW, 48)
    for col, text in enumerate(columns):
        sheet.write(HEADER_ROW, col, text, fmt["header"])
        sheet.set_column(col, col, 16 if col == 0 else _width(text))
    row = HEADER_ROW
    for label, figures, kind in form.table_rows():
        row += 1
        prefix = {"total": "total", "adjustment": "adj"}.get(kind, "")
        sheet.write(row, 0, label, fmt[f"{prefix}_label" if prefix else "label"])
        for col, indicator in enumerate(INDICATORS, start=1):
            key = prefix + str(indicator.decimals)
            sheet.write_number(row, col, _number(indicator, figures.get(indicator.field)), fmt[key])
    return row


def _block(
    sheet: Any,
    row: int,
    heading: str,
    lines: list[str],
    fmt: Mapping[str, Any],
    last_col: int,
    boxed: bool = False,
) -> int:
    """Write a heading and its lines below ``row``; return the last row written."""
    row += 2
    sheet.write(row, 0, heading, fmt["bold"])
    if boxed:
        row += 1
        text = "\n".join(lines)
        sheet.merge_range(row, 0, row, last_col, text, fmt["wrap"])
        sheet.set_row(row, 15 * _line_count(text, 150) + 6)
        return row
    for line in lines:
        row += 1
        sheet.write(row, 0, line, fmt["line"])
    return row


def _footer(sheet: Any, row: int, form: NationalForm, fmt: Mapping[str, Any]) -> int:
    row += 2
    for index, (label, value) in enumerate(form.footer()):
        col = index * 6
        sheet.merge_range(row, col, row, col + 5, f"{label}：{value or '　' * 6}", fmt["line"])
    return row


def _people_sheet(book: Any, form: NationalForm, fmt: Mapping[str, Any]) -> None:
    ledger = form.settings.deaths
    sheet = book.add_worksheet(ledger.sheet)
    heads = ["序号", form.form.rows_heading.zh, "姓名", "类别（死亡/失踪）", "备注"]
    _ledger_head(sheet, form, ledger.title.zh, ledger.form_no, heads, fmt, [6, 16, 12, 14, 40])
    row = HEADER_ROW
    for n, person in enumerate(form.people, start=1):
        row += 1
        values = [n, person.unit_name, person.name, person.status_zh, person.note]
        for col, value in enumerate(values):
            sheet.write(row, col, value, fmt["label"])
    _ledger_total(
        sheet, row, f"合计：死亡 {_count(form, 'death')} 人，失踪 {_count(form, 'missing')} 人", fmt
    )
    _footer(sheet, row + 1, form, fmt)


def _count(form: NationalForm, status: str) -> int:
    return sum(1 for p in form.people if p.status == status)


def _households_sheet(book: Any, form: NationalForm, fmt: Mapping[str, Any]) -> None:
    ledger = form.settings.households
    sheet = book.add_worksheet(ledger.sheet)
    heads = [
        "序号",
        form.form.rows_heading.zh,
        "户主姓名",
        "损坏程度",
        "户数（户）",
        "间数（间）",
        "备注",
    ]
    widths = [6, 16, 12, 12, 10, 10, 30]
    _ledger_head(sheet, form, ledger.title.zh, ledger.form_no, heads, fmt, widths)
    row = HEADER_ROW
    hh_total, rooms_total = ZERO, ZERO
    for n, entry in enumerate(form.households, start=1):
        row += 1
        values: list[Any] = [n, entry.unit_name, entry.head, entry.class_zh]
        for col, value in enumerate(values):
            sheet.write(row, col, value, fmt["label"])
        sheet.write_number(row, 4, int(entry.households), fmt["0"])
        sheet.write_number(row, 5, int(entry.rooms), fmt["0"])
        sheet.write(row, 6, entry.note, fmt["label"])
        hh_total += entry.households
        rooms_total += entry.rooms
    _ledger_total(sheet, row, f"合计：{hh_total:.0f} 户，{rooms_total:.0f} 间", fmt)
    _footer(sheet, row + 1, form, fmt)


def _ledger_head(
    sheet: Any,
    form: NationalForm,
    title: str,
    form_no: str,
    heads: list[str],
    fmt: Mapping[str, Any],
    widths: list[int],
) -> None:
    last = len(heads) - 1
    sheet.merge_range(0, 0, 0, last, title, fmt["title"])
    lines = [f"{form.label('表号')}：{form_no}"] if form_no else []
    lines += [f"{label}：{value}" for label, value in form.report_header()]
    for offset, line in enumerate(lines, start=1):
        sheet.merge_range(offset, 0, offset, last, line, fmt["line"])
    for col, (text, width) in enumerate(zip(heads, widths, strict=True)):
        sheet.write(HEADER_ROW, col, text, fmt["header"])
        sheet.set_column(col, col, width)
    sheet.freeze_panes(HEADER_ROW + 1, 0)


def _ledger_total(sheet: Any, row: int, text: str, fmt: Mapping[str, Any]) -> None:
    sheet.write(row + 1, 0, text, fmt["bold"])


def write_xlsx(form: NationalForm, path: Path) -> None:
    """Write the workbook: sheet 快报表, and the two ledger sheets for a verified report."""
    book = xlsxwriter.Workbook(str(path))
    try:
        fmt = _formats(book)
        sheet = book.add_worksheet(SHEET_TITLE)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        last_col = len(INDICATORS)
        _header_block(sheet, form, fmt, last_col)
        row = _table(sheet, form, fmt)
        notes = form.adjustment_notes()
        if notes:
            row = _block(sheet, row, f"{form.label('调整说明')}：", notes, fmt, last_col)
        row = _block(
            sheet, row, f"{form.label('灾情文字说明')}：", [form.narrative], fmt, last_col, True
        )
        _footer(sheet, row, form, fmt)
        sheet.freeze_panes(HEADER_ROW + 1, 1)
        sheet.repeat_rows(HEADER_ROW)
        if form.has_ledgers:
            _people_sheet(book, form, fmt)
            _households_sheet(book, form, fmt)
    finally:
        book.close()


def export_form(form: NationalForm, path: str | Path, fmt: str) -> None:
    """Write ``form`` as ``xlsx`` or ``csv`` to ``path`` (``ValueError`` for another format)."""
    target = Path(path)
    kind = fmt.lower().lstrip(".")
    if kind == "xlsx":
        write_xlsx(form, target)
    elif kind == "csv":
        write_csv(form, target)
    else:
        raise ValueError(f"unknown export format {fmt!r} (xlsx or csv)")


def export(report: TownshipReport, path: str | Path, fmt: str, now: datetime | None = None) -> None:
    """Write ``report`` as ``xlsx`` or ``csv`` without a store (``ValueError`` for another)."""
    export_form(plain_form(report, now or datetime.now(UTC)), path, fmt)

"""The township quick report (快报表) as an .xlsx workbook (XlsxWriter) or a CSV file.

Columns: 村（社区）, then every indicator of the contract in the national order, headed by its
Chinese label and unit ("受灾人口（人）").  One row per village (its approved figures), a row of
the township's adjustments when there are any, and the 合计 row: the township total, the
village sum plus the adjustments (rule 12).  The workbook adds a title block (township, event,
stage, data time), the adjustments' reasons below the table, number formats by indicator,
column widths and frozen panes.  The CSV is UTF-8 with a BOM so that Excel reads it.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from datetime import timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from informant_app.core.review.types import TownshipReport
from sync.contract import INDICATORS, Indicator

#: China Standard Time, in which the data time is shown.
CHINA = timezone(timedelta(hours=8), "CST")
SHEET_TITLE = "快报表"
VILLAGE_HEADER = "村（社区）"
ADJUSTMENT_LABEL = "乡镇调整数"
TOTAL_LABEL = "合计"
ZERO = Decimal(0)
#: The row of the table header (0-based): below the title block.
HEADER_ROW = 6


def indicator_header(indicator: Indicator) -> str:
    """Return the column header of an indicator: its Chinese label with its unit."""
    unit = f"（{indicator.unit.zh}）"
    return indicator.zh if indicator.zh.endswith(unit) else indicator.zh + unit


def headers() -> list[str]:
    """Return the table's column headers."""
    return [VILLAGE_HEADER, *(indicator_header(i) for i in INDICATORS)]


def adjustment_sums(report: TownshipReport) -> dict[str, Decimal]:
    """Return the adjustments added up per indicator."""
    sums: dict[str, Decimal] = {}
    for adj in report.adjustments:
        sums[adj.field] = sums.get(adj.field, ZERO) + adj.delta
    return sums


def table_rows(report: TownshipReport) -> list[tuple[str, Mapping[str, Decimal]]]:
    """Return the labelled figure rows: villages, adjustments (if any), the total."""
    rows: list[tuple[str, Mapping[str, Decimal]]] = [
        (v.village_name or v.village_code, v.figures) for v in report.villages
    ]
    if report.adjustments:
        rows.append((ADJUSTMENT_LABEL, adjustment_sums(report)))
    rows.append((TOTAL_LABEL, report.total))
    return rows


def title_lines(report: TownshipReport) -> list[str]:
    """Return the lines above the table: township, event, stage and data time."""
    when = (report.server_time or report.fetched_at).astimezone(CHINA)
    source = "（离线副本）" if report.from_cache else ""
    return [
        f"乡镇（街道）：{report.township_name}（{report.township_code}）",
        f"灾害过程：{report.event_name}",
        f"报告阶段：{report.stage.label('zh')}",
        f"数据时间：{when:%Y-%m-%d %H:%M}（北京时间）{source}",
    ]


def adjustment_notes(report: TownshipReport) -> list[str]:
    """Return one line per adjustment: indicator, delta, reason and who made it."""
    by_field = {i.field: i for i in INDICATORS}
    notes = []
    for adj in report.adjustments:
        indicator = by_field.get(adj.field)
        label = indicator_header(indicator) if indicator else adj.field
        notes.append(
            f"{label}：{_text(adj.field, adj.delta, signed=True)}，原因：{adj.reason}"
            f"（{adj.made_by}）"
        )
    return notes


def _text(field_name: str, value: Decimal, signed: bool = False) -> str:
    decimals = next((i.decimals for i in INDICATORS if i.field == field_name), 0)
    text = f"{value:.{decimals}f}"
    return f"+{text}" if signed and value > 0 else text


def _number(indicator: Indicator, value: Decimal | None) -> int | float:
    value = value if value is not None else ZERO
    return int(value) if indicator.decimals == 0 else float(value)


def write_csv(report: TownshipReport, path: Path) -> None:
    """Write the table as CSV (UTF-8 with BOM): header, villages, adjustments, total."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers())
        for label, figures in table_rows(report):
            writer.writerow(
                [label, *(_text(i.field, figures.get(i.field, ZERO)) for i in INDICATORS)]
            )


def _formats(book: Any) -> dict[str, Any]:
    border = {"border": 1, "valign": "vcenter"}
    return {
        "title": book.add_format({"bold": True, "font_size": 16}),
        "line": book.add_format({"font_size": 11}),
        "header": book.add_format(
            {**border, "bold": True, "text_wrap": True, "align": "center", "bg_color": "#DDEBF7"}
        ),
        "label": book.add_format({**border}),
        "total_label": book.add_format({**border, "bold": True, "bg_color": "#FFF2CC"}),
        "0": book.add_format({**border, "num_format": "0"}),
        "2": book.add_format({**border, "num_format": "0.00"}),
        "total0": book.add_format(
            {**border, "num_format": "0", "bold": True, "bg_color": "#FFF2CC"}
        ),
        "total2": book.add_format(
            {**border, "num_format": "0.00", "bold": True, "bg_color": "#FFF2CC"}
        ),
    }


def _width(text: str) -> float:
    """Return a column width for a wrapped header (CJK characters count double)."""
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return float(min(max(units / 2 + 2, 10), 18))


def write_xlsx(report: TownshipReport, path: Path) -> None:
    """Write the workbook: title block, the table with its total row, adjustment notes."""
    book = xlsxwriter.Workbook(str(path))
    try:
        fmt = _formats(book)
        sheet = book.add_worksheet(SHEET_TITLE)
        sheet.write(0, 0, f"{report.township_name}灾情快报表", fmt["title"])
        for offset, line in enumerate(title_lines(report), start=1):
            sheet.write(offset, 0, line, fmt["line"])
        columns = headers()
        sheet.set_row(HEADER_ROW, 48)
        for col, text in enumerate(columns):
            sheet.write(HEADER_ROW, col, text, fmt["header"])
            sheet.set_column(col, col, 16 if col == 0 else _width(text))
        row = HEADER_ROW
        for label, figures in table_rows(report):
            row += 1
            total = label == TOTAL_LABEL
            sheet.write(row, 0, label, fmt["total_label" if total else "label"])
            for col, indicator in enumerate(INDICATORS, start=1):
                key = ("total" if total else "") + str(indicator.decimals)
                sheet.write_number(
                    row, col, _number(indicator, figures.get(indicator.field)), fmt[key]
                )
        notes = adjustment_notes(report)
        if notes:
            row += 2
            sheet.write(row, 0, "调整说明：", fmt["line"])
            for note in notes:
                row += 1
                sheet.write(row, 0, note, fmt["line"])
        sheet.freeze_panes(HEADER_ROW + 1, 1)
    finally:
        book.close()


def export(report: TownshipReport, path: str | Path, fmt: str) -> None:
    """Write ``report`` as ``xlsx`` or ``csv`` to ``path`` (``ValueError`` for another format)."""
    target = Path(path)
    kind = fmt.lower().lstrip(".")
    if kind == "xlsx":
        write_xlsx(report, target)
    elif kind == "csv":
        write_csv(report, target)
    else:
        raise ValueError(f"unknown export format {fmt!r} (xlsx or csv)")

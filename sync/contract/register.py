"""The informant register (花名册) as a sheet: reading it, and writing the row-by-row report.

The city emergency bureau keeps its informants in a sheet, one person a row, header in row 1.
``read_register`` reads it from ``.csv`` (UTF-8 with or without BOM, else GB18030) or
``.xlsx`` (the first worksheet) and returns the sheet as it was (``headers``, ``rows``: the
cells as text) and each row as a ``RegisterEntry`` (``row``: the sheet's row number) with its
values normalised:

- text stripped; phone numbers as digits only (a leading ``+86``/``86`` dropped);
- the level as a key (``市级`` → ``city``, ``县级`` → ``county``, ``乡镇级`` → ``township``,
  ``村级`` → ``village``; English words too);
- A/B from ``A角``, ``B角``, ``A``, ``B``;
- dates as ISO (``2023/5/1``, ``2023年5月1日``, ``20230501``, a date cell of Excel …);
- gender as ``男``/``女`` (``M``/``F``, ``male``/``female`` too).

A value that cannot be normalised is kept as written, so the server can refuse the row and
say why.  Rows with no text at all are skipped (the row numbers still count them).

``write_report`` writes the sheet back with two more columns, 结果 (新建/更新/不变/拒绝) and
原因, refused rows highlighted: ``.xlsx`` (XlsxWriter), or ``.csv`` when the path says so.

Qt-free and server-free: the app's administration page and ``city-server register import``
both use it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sync.contract.wire.register import RegisterEntry, RegisterImportResult, RegisterRowResult

__all__ = [
    "COLUMNS",
    "OUTCOME_WORDS",
    "RegisterSheet",
    "RegisterSheetError",
    "normal_date",
    "normal_gender",
    "normal_level",
    "normal_phone",
    "normal_post_role",
    "read_register",
    "write_report",
]

#: Each field of ``RegisterEntry`` and the headers that name it (Chinese first, then English).
#: ``unit_title`` is the one column 工作单位及职务 that some sheets have instead of two.
COLUMNS: dict[str, tuple[str, ...]] = {
    "register_id": ("登记号", "登记编号", "编号", "register id", "register_id", "id"),
    "name": ("姓名", "name"),
    "phone": ("手机号", "手机号码", "手机", "联系电话", "phone", "mobile"),
    "backup_phone": ("备用电话", "备用手机", "备用联系电话", "backup phone", "backup_phone"),
    "gender": ("性别", "gender", "sex"),
    "unit_title": ("工作单位及职务", "单位及职务", "unit and title"),
    "unit": ("工作单位", "单位", "unit"),
    "title": ("职务", "title"),
    "level": ("层级", "级别", "岗位层级", "level"),
    "post_code": ("岗位区划代码", "区划代码", "岗位代码", "post code", "post_code"),
    "post_role": ("AB角", "A/B角", "AB 角", "A or B", "A/B", "post role", "post_role"),
    "appointed_on": ("任职日期", "任职时间", "appointment date", "appointed on", "appointed_on"),
    "training": ("培训情况", "培训", "training"),
}
#: The columns without which a sheet is not a register.
REQUIRED = ("name", "phone", "level", "post_code", "post_role")
_REQUIRED_NAMES = {
    "name": ("姓名", "name"),
    "phone": ("手机号", "phone"),
    "level": ("层级", "level"),
    "post_code": ("岗位区划代码", "post code"),
    "post_role": ("AB角", "A or B"),
}

#: How the report names each outcome.
OUTCOME_WORDS: dict[str, str] = {
    "create": "新建",
    "update": "更新",
    "unchanged": "不变",
    "refused": "拒绝",
}
RESULT_HEADER, REASON_HEADER = "结果", "原因"

_LEVELS: dict[str, str] = {
    **dict.fromkeys(("市级", "市", "地级", "地市级", "city"), "city"),
    **dict.fromkeys(("县级", "县", "区", "县区级", "县（区）级", "县(区)级", "county"), "county"),
    **dict.fromkeys(
        (
            "乡镇级",
            "乡镇",
            "乡级",
            "镇级",
            "乡",
            "镇",
            "街道",
            "乡（镇）级",
            "乡(镇)级",
            "township",
        ),
        "township",
    ),
    **dict.fromkeys(
        ("村级", "村", "社区", "村（社区）级", "村(社区)级", "村（社区）", "村(社区)", "village"),
        "village",
    ),
}
_GENDERS = {
    **dict.fromkeys(("男", "m", "male"), "男"),
    **dict.fromkeys(("女", "f", "female"), "女"),
}
_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT_DATE_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_UNIT_TITLE_SPLIT = re.compile(r"\s*[/／|｜,，、]\s*|\s+")
#: Excel's day 0 (serial dates count from here, with its 1900 leap-year quirk).
_EXCEL_EPOCH = date(1899, 12, 30)


class RegisterSheetError(ValueError):
    """A file that cannot be read as a register, in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class RegisterSheet:
    """A register as read: the header, each non-blank row's cells, and each row's entry.

    ``rows[i]`` and ``entries[i]`` are the same row; ``entries[i].row`` is its row number in
    the sheet (the header is row 1).
    """

    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    entries: list[RegisterEntry] = field(default_factory=list)


# --- normalising one value ------------------------------------------------------------------


def _header_key(text: str) -> str:
    return re.sub(r"[\s_\-/（）()：:]", "", text).casefold()


_HEADER_FIELDS: dict[str, str] = {
    _header_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases
}


def normal_phone(text: str) -> str:
    """Return the digits of a phone number (``+86``/``86`` before a mobile number dropped)."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 13 and digits.startswith("86") and digits[2] == "1":
        digits = digits[2:]
    return digits


def normal_level(text: str) -> str:
    """Return the level key of ``市级``/``县级``/``乡镇级``/``村级`` (or English); else as is."""
    word = text.strip()
    return _LEVELS.get(word, _LEVELS.get(word.casefold(), word))


def normal_post_role(text: str) -> str:
    """Return ``A`` or ``B`` from ``A角``, ``B角``, ``A``, ``B`` (any case, full width too)."""
    word = text.strip().upper().replace("Ａ", "A").replace("Ｂ", "B").replace(" ", "")
    word = word.removesuffix("角")
    return word if word in ("A", "B") else text.strip()


def normal_gender(text: str) -> str:
    """Return ``男`` or ``女`` (``M``/``F``, ``male``/``female`` too); else as written."""
    word = text.strip()
    return _GENDERS.get(word.casefold(), word)


def normal_date(value: object) -> str:
    """Return a date as ISO ``YYYY-MM-DD``; a value that is not a date is returned as text.

    Takes ``date``/``datetime`` (Excel date cells), Excel serial numbers, and text such as
    ``2023-05-01``, ``2023/5/1``, ``2023.5.1``, ``2023年5月1日`` or ``20230501``.
    """
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel's serial dates: 1900-01-01 … 9999-12-31
            return (_EXCEL_EPOCH + timedelta(days=int(value))).isoformat()
        return _cell_text(value)
    text = str(value or "").strip()
    found = _DATE_RE.fullmatch(text) or _COMPACT_DATE_RE.fullmatch(text)
    if found is None:
        # "2023-05-01 00:00:00" as some programs write a date cell to CSV
        head = text.split(" ", 1)[0].split("T", 1)[0]
        found = _DATE_RE.fullmatch(head) if head != text else None
    if found is None:
        return text
    try:
        return date(int(found[1]), int(found[2]), int(found[3])).isoformat()
    except ValueError:
        return text


def _split_unit_title(text: str) -> tuple[str, str]:
    """Split 工作单位及职务 at its last separator: ``瓦房乡人民政府 应急办主任``."""
    text = text.strip()
    parts = [p for p in _UNIT_TITLE_SPLIT.split(text) if p]
    if len(parts) < 2:
        return text, ""
    last = parts[-1]
    unit = text[: text.rfind(last)].rstrip(" /／|｜,，、\t")
    return unit, last


def _cell_text(value: Any) -> str:
    """Return a cell as text: whole numbers without ``.0``, dates as ISO, ``None`` empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


# --- reading --------------------------------------------------------------------------------


def _fields_of(headers: Sequence[str]) -> dict[str, int]:
    """Return the column index of each field the header names (the first column wins)."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = _HEADER_FIELDS.get(_header_key(header))
        if name is not None and name not in found:
            found[name] = index
    missing = [n for n in REQUIRED if n not in found]
    if missing:
        zh = "、".join(_REQUIRED_NAMES[n][0] for n in missing)
        en = ", ".join(_REQUIRED_NAMES[n][1] for n in missing)
        raise RegisterSheetError(
            f"花名册缺少以下列：{zh}（表头须在第 1 行）",
            f"the register lacks these columns: {en} (the header must be row 1)",
        )
    return found


def _entry(row_number: int, raw: Sequence[Any], fields: dict[str, int]) -> RegisterEntry:
    def cell(name: str) -> Any:
        index = fields.get(name)
        return raw[index] if index is not None and index < len(raw) else None

    def text(name: str) -> str:
        return _cell_text(cell(name))

    unit, title = text("unit"), text("title")
    if "unit_title" in fields and not (unit or title):
        unit, title = _split_unit_title(text("unit_title"))
    appointed = cell("appointed_on")
    return RegisterEntry(
        row=row_number,
        register_id=text("register_id"),
        name=re.sub(r"\s+", " ", text("name")),
        phone=normal_phone(text("phone")),
        backup_phone=normal_phone(text("backup_phone")),
        gender=normal_gender(text("gender")),
        unit=unit,
        title=title,
        level=normal_level(text("level")),
        post_code=re.sub(r"\s", "", text("post_code")),
        post_role=normal_post_role(text("post_role")),
        appointed_on="" if appointed in (None, "") else normal_date(appointed),
        training=text("training"),
    )


def _sheet(table: Iterable[Sequence[Any]]) -> RegisterSheet:
    rows = iter(table)
    header = next(rows, None)
    if header is None:
        raise RegisterSheetError("花名册是空的", "the register is empty")
    headers = [_cell_text(h) for h in header]
    while headers and not headers[-1]:
        headers.pop()
    fields = _fields_of(headers)
    sheet = RegisterSheet(headers=headers)
    for number, raw in enumerate(rows, start=2):
        cells = [_cell_text(v) for v in raw]
        if not any(cells):
            continue
        width = max(len(headers), len(cells))
        sheet.rows.append((cells + [""] * width)[:width])
        sheet.entries.append(_entry(number, list(raw), fields))
    return sheet


def _decode_csv(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise RegisterSheetError(
            "无法识别文件编码（请另存为 UTF-8 或 GB18030 的 CSV，或 .xlsx）",
            "unknown text encoding (save the sheet as UTF-8 or GB18030 CSV, or as .xlsx)",
        ) from None


def _read_xlsx(path: Path) -> RegisterSheet:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        raise RegisterSheetError(
            f"无法读取 Excel 文件：{path.name}", f"cannot read the Excel file {path.name}: {exc}"
        ) from exc
    try:
        sheet = book.worksheets[0]
        return _sheet(sheet.iter_rows(values_only=True))
    finally:
        book.close()


def read_register(path: Path) -> RegisterSheet:
    """Read the register at ``path`` (``.csv`` or ``.xlsx``), normalising each row.

    Raises:
        RegisterSheetError: an unknown file type, an unreadable file or encoding, or a header
            without the columns 姓名, 手机号, 层级, 岗位区划代码 and AB角.
    """
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix != ".csv":
        raise RegisterSheetError(
            f"只能导入 .xlsx 或 .csv 文件：{path.name}",
            f"only .xlsx or .csv files can be imported: {path.name}",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RegisterSheetError(
            f"无法读取文件：{path.name}", f"cannot read {path.name}: {exc}"
        ) from exc
    return _sheet(csv.reader(io.StringIO(_decode_csv(data), newline="")))


# --- the report -----------------------------------------------------------------------------


def _report_rows(
    sheet: RegisterSheet, result: RegisterImportResult
) -> list[tuple[list[str], RegisterRowResult | None]]:
    by_row = {r.row: r for r in result.rows}
    return [(cells, by_row.get(e.row)) for cells, e in zip(sheet.rows, sheet.entries, strict=True)]


def _outcome_cells(judged: RegisterRowResult | None) -> list[str]:
    if judged is None:
        return ["", ""]
    return [OUTCOME_WORDS.get(judged.outcome, judged.outcome), judged.reason_zh]


def write_report(sheet: RegisterSheet, result: RegisterImportResult, path: Path) -> None:
    """Write the sheet with the columns 结果 and 原因 (refused rows highlighted).

    ``.csv`` paths get a UTF-8 CSV with BOM (Excel opens it in Chinese); any other path an
    ``.xlsx`` workbook.
    """
    headers = [*sheet.headers, RESULT_HEADER, REASON_HEADER]
    width = len(headers)
    rows = [
        ((cells + [""] * width)[: width - 2] + _outcome_cells(judged), judged)
        for cells, judged in _report_rows(sheet, result)
    ]
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(headers)
            writer.writerows(cells for cells, _ in rows)
        return
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    try:
        page = book.add_worksheet("导入结果")
        bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        refused = book.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        page.freeze_panes(1, 0)
        for col, header in enumerate(headers):
            page.write_string(0, col, header, bold)
        for number, (cells, judged) in enumerate(rows, start=1):
            style = refused if judged is not None and judged.outcome == "refused" else None
            for col, value in enumerate(cells):
                page.write_string(number, col, value, style)
        for col, header in enumerate(headers):
            longest = max([len(header)] + [len(cells[col]) for cells, _ in rows])
            page.set_column(col, col, min(60, max(8, longest * 2)))
        page.autofilter(0, 0, len(rows), width - 1)
        summary = book.add_worksheet("汇总")
        summary.write_string(0, 0, "项目", bold)
        summary.write_string(0, 1, "行数", bold)
        counts = [
            ("新建 created", result.created),
            ("更新 updated", result.updated),
            ("不变 unchanged", result.unchanged),
            ("拒绝 refused", result.refused),
        ]
        for number, (label, count) in enumerate(counts, start=1):
            summary.write_string(number, 0, label)
            summary.write_number(number, 1, count)
        summary.write_string(
            len(counts) + 1, 0, "试导入 dry run" if result.dry_run else "导入 import"
        )
        summary.write_string(
            len(counts) + 2, 0, "已写入 applied" if result.applied else "未写入 nothing applied"
        )
        summary.set_column(0, 0, 24)
    finally:
        book.close()

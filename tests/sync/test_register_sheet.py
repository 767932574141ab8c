"""Reading the informant register (花名册) from .csv and .xlsx, and writing its report.

Real files: CSV in UTF-8 with and without BOM and in GB18030, a workbook written by
XlsxWriter with number and date cells, read back by openpyxl.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
import xlsxwriter
from openpyxl import load_workbook

from sync.contract.register import (
    RegisterSheetError,
    normal_date,
    normal_level,
    normal_phone,
    normal_post_role,
    read_register,
    write_report,
)
from sync.contract.wire.register import RegisterEntry, RegisterImportResult, RegisterRowResult

HEADER = [
    "登记号",
    "姓名",
    "性别",
    "手机号",
    "备用电话",
    "工作单位及职务",
    "层级",
    "岗位区划代码",
    "AB角",
    "任职日期",
    "培训情况",
    "备注",
]
ROWS = [
    [
        " BS-1 ",
        " 李 芳 ",
        "女",
        "+86 138-0875-3001",
        "0875-2212345",
        "瓦房乡人民政府 应急办主任",
        "乡镇级",
        "530502208000",
        "A角",
        "2023/5/1",
        "已培训",
        "x",
    ],
    ["", "", "", "", "", "", "", "", "", "", "", ""],  # a blank row: skipped, still counted
    [
        "BS-2",
        "张明",
        "M",
        "13808753002",
        "",
        "瓦房社区村民委员会/文书",
        "村",
        "530502208201",
        "b",
        "2021年3月9日",
        "",
        "",
    ],
    ["BS-3", "王五", "男", "12345", "", "", "区县", "5305", "C", "不详", "", ""],
]


def write_csv(path: Path, encoding: str, rows: list[list[str]] = ROWS) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def check_rows(entries: list[RegisterEntry]) -> None:
    first, second, third = entries
    assert first == RegisterEntry(
        row=2,
        register_id="BS-1",
        name="李 芳",
        phone="13808753001",
        backup_phone="08752212345",
        gender="女",
        unit="瓦房乡人民政府",
        title="应急办主任",
        level="township",
        post_code="530502208000",
        post_role="A",
        appointed_on="2023-05-01",
        training="已培训",
    )
    assert (second.row, second.gender, second.unit, second.title) == (
        4,
        "男",
        "瓦房社区村民委员会",
        "文书",
    )
    assert (second.level, second.post_role, second.appointed_on) == ("village", "B", "2021-03-09")
    # What cannot be normalised is kept as written, for the server to refuse with a reason.
    assert (third.row, third.phone, third.level, third.post_role, third.appointed_on) == (
        5,
        "12345",
        "区县",
        "C",
        "不详",
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_csv_register_in_each_encoding(tmp_path: Path, encoding: str) -> None:
    sheet = read_register(write_csv(tmp_path / "花名册.csv", encoding))
    assert sheet.headers == HEADER
    assert len(sheet.rows) == len(sheet.entries) == 3
    assert sheet.rows[0][1] == "李 芳" and sheet.rows[0][-1] == "x"
    check_rows(sheet.entries)


def test_an_xlsx_register_with_number_and_date_cells(tmp_path: Path) -> None:
    path = tmp_path / "花名册.xlsx"
    book = xlsxwriter.Workbook(str(path))
    page = book.add_worksheet("花名册")
    dated = book.add_format({"num_format": "yyyy-mm-dd"})
    page.write_row(0, 0, HEADER)
    for r, row in enumerate(ROWS, start=1):
        for c, value in enumerate(row):
            if value:
                page.write_string(r, c, value)
    page.write_number(1, 3, 13808753001)  # a phone typed as a number
    page.write_number(1, 7, 530502208000)  # a code typed as a number
    page.write_datetime(1, 9, datetime(2023, 5, 1), dated)
    book.close()
    sheet = read_register(path)
    assert sheet.headers == HEADER
    assert [e.row for e in sheet.entries] == [2, 4, 5]
    check_rows(sheet.entries)
    assert sheet.rows[0][3] == "13808753001" and sheet.rows[0][9] == "2023-05-01"


def test_english_headers_and_separate_unit_and_title(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(
        "Register ID,Name,Phone,Backup phone,Gender,Unit,Title,Level,Post code,A or B,"
        "Appointment date,Training\n"
        "R1,Li Fang,13808753001,,female,Town hall,Officer,county,530502000000,B,20230501,yes\n",
        encoding="utf-8",
    )
    (one,) = read_register(path).entries
    assert (one.register_id, one.gender, one.unit, one.title, one.level, one.post_role) == (
        "R1",
        "女",
        "Town hall",
        "Officer",
        "county",
        "B",
    )
    assert one.appointed_on == "2023-05-01" and one.training == "yes"


def test_a_sheet_without_the_register_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("姓名,手机号\n李芳,13808753001\n", encoding="utf-8")
    with pytest.raises(RegisterSheetError) as raised:
        read_register(path)
    assert "层级" in raised.value.zh and "level" in raised.value.en
    with pytest.raises(RegisterSheetError):
        read_register(tmp_path / "other.txt")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(RegisterSheetError):
        read_register(empty)


def test_values_are_normalised() -> None:
    assert normal_phone("+86 138 0875 3001") == "13808753001"
    assert normal_phone("8613808753001") == "13808753001"
    assert [normal_level(w) for w in ("市级", "县级", "乡镇级", "村级", "City", "村（社区）")] == [
        "city",
        "county",
        "township",
        "village",
        "city",
        "village",
    ]
    assert [normal_post_role(w) for w in ("A角", "B角", "a", " B ", "Ａ角", "AB")] == [
        "A",
        "B",
        "A",
        "B",
        "A",
        "AB",
    ]
    assert normal_date("2023.5.1") == "2023-05-01"
    assert normal_date("2023-05-01 00:00:00") == "2023-05-01"
    assert normal_date(date(2020, 2, 29)) == "2020-02-29"
    assert normal_date(45047) == "2023-05-01"  # an Excel serial date
    assert normal_date("2023-02-30") == "2023-02-30"  # not a date: kept as written


def result_of(rows: list[tuple[int, str, str]]) -> RegisterImportResult:
    judged = [
        RegisterRowResult(row=r, outcome=o, username=None, reason_zh=z, reason_en="")
        for r, o, z in rows
    ]
    return RegisterImportResult(
        dry_run=True,
        applied=False,
        created=1,
        updated=0,
        unchanged=0,
        refused=2,
        rows=judged,
    )


def test_the_report_is_the_sheet_with_result_and_reason(tmp_path: Path) -> None:
    sheet = read_register(write_csv(tmp_path / "花名册.csv", "utf-8"))
    result = result_of(
        [(2, "create", "新建账号 u13808753001"), (4, "refused", "缺少姓名"), (5, "refused", "未知")]
    )
    xlsx = tmp_path / "报告.xlsx"
    write_report(sheet, result, xlsx)
    book = load_workbook(xlsx)
    page = book.worksheets[0]
    values = [[c.value for c in row] for row in page.iter_rows()]
    assert values[0] == [*HEADER, "结果", "原因"]
    assert [v[-2:] for v in values[1:]] == [
        ["新建", "新建账号 u13808753001"],
        ["拒绝", "缺少姓名"],
        ["拒绝", "未知"],
    ]
    assert values[1][3] == "+86 138-0875-3001"  # the sheet as written, as text
    fills = [page.cell(row=r, column=1).fill.fgColor.rgb for r in (2, 3, 4)]
    assert fills[0] != fills[1] == fills[2]  # refused rows highlighted
    assert "FFC7CE" in str(fills[1])
    book.close()

    out = tmp_path / "报告.csv"
    write_report(sheet, result, out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    again = read_register(out)
    assert again.headers == [*HEADER, "结果", "原因"]
    assert [r[-2] for r in again.rows] == ["新建", "拒绝", "拒绝"]
    assert [e.name for e in again.entries] == [e.name for e in sheet.entries]

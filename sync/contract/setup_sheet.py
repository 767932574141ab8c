"""The printable set-up code sheet (设置码发放表) as an .xlsx workbook (XlsxWriter, no Qt).

One worksheet per township, for the township to hand the codes out: a title row with the
township and the server's address, then one line per account: 姓名, 岗位, AB角, 用户名, 设置码,
有效期至 (China time).  Accounts above the township level (county admins) go on a sheet of
their own, "县级及以上".  The server (``city-server setup-codes --xlsx``) and the app write the
same sheet from the same answer (``sync.contract.wire.admin.SetupSheet``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import xlsxwriter

from sync.contract.china_time import CHINA_TZ
from sync.contract.wire.admin import SetupSheet, SetupSheetEntry

#: China Standard Time, in which the expiry is shown.
CHINA = CHINA_TZ  # the one definition: sync/contract/china_time.py
HEADERS = ("姓名", "岗位", "AB角", "用户名", "设置码", "有效期至")
WIDTHS = (14, 22, 6, 18, 18, 18)
#: The sheet of the accounts that belong to no township.
ABOVE_TOWNSHIP = "县级及以上"
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def china_time(value: datetime) -> str:
    """Return ``value`` as ``YYYY-MM-DD HH:MM`` in China time."""
    return value.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def sheet_name(name: str, taken: set[str]) -> str:
    """Return a worksheet name Excel accepts (≤ 31 characters, unique) and remember it."""
    base = _SHEET_BAD.sub("_", name).strip("'") or "Sheet"
    candidate = base[:31]
    n = 2
    while candidate.lower() in taken:
        suffix = f"({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(candidate.lower())
    return candidate


def by_township(
    entries: Iterable[SetupSheetEntry],
) -> list[tuple[str | None, str, list[SetupSheetEntry]]]:
    """Return the entries grouped by township (code, name, entries), townships in code order."""
    groups: dict[str | None, tuple[str, list[SetupSheetEntry]]] = {}
    for entry in entries:
        key = entry.township_code
        name = entry.township_name or (entry.township_code or ABOVE_TOWNSHIP)
        groups.setdefault(key, (name, []))[1].append(entry)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
    return [(code, name, items) for code, (name, items) in ordered]


def row_values(entry: SetupSheetEntry, expires_at: datetime) -> list[str]:
    """Return one line of the sheet: name, post, A/B, username, code, expiry."""
    return [
        entry.display_name,
        entry.post_name,
        entry.post_role or "",
        entry.username,
        entry.code,
        china_time(expires_at),
    ]


def write_setup_sheet(sheet: SetupSheet, path: Path | str) -> int:
    """Write ``sheet`` as an .xlsx workbook at ``path``; return the number of worksheets."""
    workbook = xlsxwriter.Workbook(str(path))
    try:
        title = workbook.add_format({"bold": True, "font_size": 14})
        note = workbook.add_format({"font_size": 10})
        header = workbook.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7"})
        cell = workbook.add_format({"border": 1})
        code = workbook.add_format({"border": 1, "font_name": "Consolas", "bold": True})
        taken: set[str] = set()
        groups = by_township(sheet.entries) or [(None, ABOVE_TOWNSHIP, [])]
        for township_code, township_name, entries in groups:
            ws = workbook.add_worksheet(sheet_name(township_name, taken))
            place = f"{township_name}（{township_code}）" if township_code else township_name
            ws.write(0, 0, f"{place} 灾情直报设置码发放表 / set-up codes", title)
            ws.write(
                1,
                0,
                f"服务器 server: {sheet.server_url or ''}    "
                f"发放时间 issued: {china_time(sheet.issued_at)}（北京时间）    "
                "每个设置码只能使用一次 / each code works once",
                note,
            )
            for col, (text, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
                ws.write(3, col, text, header)
                ws.set_column(col, col, width)
            for row, entry in enumerate(entries, start=4):
                for col, value in enumerate(row_values(entry, sheet.expires_at)):
                    ws.write_string(row, col, value, code if col == 4 else cell)
            ws.freeze_panes(4, 0)
            ws.set_landscape()
            ws.fit_to_pages(1, 0)
            ws.repeat_rows(3)
        return len(groups)
    finally:
        workbook.close()

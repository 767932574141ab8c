"""The contact list (通讯录) as an .xlsx workbook (XlsxWriter, no Qt).

One worksheet per township (``per="township"``) or per county (``per="county"``), from the
answer of ``GET /api/v1/admin/contacts`` (``sync.contract.wire.admin.Contacts``): 县（区）,
乡镇（街道）, 岗位, 区划代码, AB角, 姓名, 性别, 手机, 备用电话, 单位, 职务.  Posts above the
grouping level (a county's own post in a per-township list, the city's) go on a sheet of their
own, "市县级".  The server and the app write the same file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import xlsxwriter

from sync.contract.setup_sheet import sheet_name
from sync.contract.wire.admin import Contact, Contacts

HEADERS = (
    "县（区）",
    "乡镇（街道）",
    "岗位",
    "区划代码",
    "AB角",
    "姓名",
    "性别",
    "手机",
    "备用电话",
    "单位",
    "职务",
)
WIDTHS = (12, 16, 20, 15, 6, 12, 6, 14, 14, 24, 14)
#: The sheet of posts above the grouping level.
ABOVE = "市县级"


def contact_values(contact: Contact) -> list[str]:
    """Return one line of the list."""
    return [
        contact.county,
        contact.township,
        contact.post_name,
        contact.post_code,
        contact.post_role,
        contact.name,
        contact.gender or "",
        contact.phone or "",
        contact.backup_phone or "",
        contact.unit or "",
        contact.title or "",
    ]


def grouped(
    contacts: Iterable[Contact], per: Literal["county", "township"]
) -> list[tuple[str, list[Contact]]]:
    """Return the contacts by sheet name, in the order they come (county, township, post)."""
    groups: dict[str, list[Contact]] = {}
    for contact in contacts:
        key = contact.county if per == "county" else contact.township
        groups.setdefault(key or ABOVE, []).append(contact)
    return list(groups.items())


def write_contacts_sheet(
    contacts: Contacts, path: Path | str, per: Literal["county", "township"] = "township"
) -> int:
    """Write the contact list at ``path``, one sheet per ``per``; return the sheet count."""
    workbook = xlsxwriter.Workbook(str(path))
    try:
        title = workbook.add_format({"bold": True, "font_size": 14})
        header = workbook.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7"})
        cell = workbook.add_format({"border": 1})
        taken: set[str] = set()
        groups = grouped(contacts.contacts, per) or [(ABOVE, [])]
        for name, items in groups:
            ws = workbook.add_worksheet(sheet_name(name, taken))
            ws.write(0, 0, f"{name} 灾情信息员通讯录 / contact list", title)
            for col, (text, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
                ws.write(2, col, text, header)
                ws.set_column(col, col, width)
            for row, contact in enumerate(items, start=3):
                for col, value in enumerate(contact_values(contact)):
                    ws.write_string(row, col, value, cell)
            ws.freeze_panes(3, 0)
            ws.set_landscape()
            ws.fit_to_pages(1, 0)
        return len(groups)
    finally:
        workbook.close()

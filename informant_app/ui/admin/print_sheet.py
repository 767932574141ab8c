"""The set-up code sheet as a PDF, one page per township, through Qt's own printing.

``QPdfWriter`` paints a ``QTextDocument`` built from an HTML table: no PDF library beyond Qt.
Each township starts on a page of its own (a township prints its page and hands the codes
out), with its name, when the codes expire, and a line per person: name, post, A/B, user name
and code.  Painting a PDF is allowed off the GUI thread, so the page writes it on the task
manager's ``files`` lane.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from informant_app.ui.admin.labels import post_role_text, role_label, time_text
from sync.contract.wire.admin import SetupSheet, SetupSheetEntry

#: Dots per inch of the PDF (text is vector; this sets the layout's units).
RESOLUTION = 300
#: The page margins in millimetres.
MARGIN_MM = 15.0


def township_groups(sheet: SetupSheet) -> list[tuple[str, list[SetupSheetEntry]]]:
    """Return the sheet's entries by township, each group sorted by post then A before B.

    Entries without a township (county and city accounts) form one group of their own,
    named by the sheet's division.
    """

    def township(entry: SetupSheetEntry) -> tuple[str, str]:
        return (entry.township_code or "", entry.township_name or "")

    ordered = sorted(
        sheet.entries,
        key=lambda e: (
            e.township_code or "",
            e.post_code or "",
            e.post_role or "Z",
            e.display_name,
            e.username,
        ),
    )
    groups: list[tuple[str, list[SetupSheetEntry]]] = []
    for (_code, name), entries in groupby(ordered, key=township):
        groups.append((name or sheet.under, list(entries)))
    return groups


def sheet_html(sheet: SetupSheet, groups: Iterable[tuple[str, list[SetupSheetEntry]]]) -> str:
    """Return the sheet as HTML: one section per township, each after a page break."""
    title = QCoreApplication.translate("Admin", "Set-up codes")
    expires = QCoreApplication.translate("Admin", "The codes work once, until {time}.").format(
        time=time_text(sheet.expires_at)
    )
    server = (
        QCoreApplication.translate("Admin", "Server: {url}").format(url=sheet.server_url)
        if sheet.server_url
        else ""
    )
    how = QCoreApplication.translate(
        "Admin",
        "On the new computer, the app's set-up page takes the code under \"I have a set-up "
        'code" with the server and the user name.',
    )
    heads = [
        QCoreApplication.translate("Admin", "Name"),
        QCoreApplication.translate("Admin", "Post"),
        QCoreApplication.translate("Admin", "A/B"),
        QCoreApplication.translate("Admin", "Role"),
        QCoreApplication.translate("Admin", "User name"),
        QCoreApplication.translate("Admin", "Set-up code"),
        QCoreApplication.translate("Admin", "Signature"),
    ]
    parts: list[str] = []
    for number, (township, entries) in enumerate(groups):
        style = ' style="page-break-before: always"' if number else ""
        parts.append(f"<h2{style}>{html.escape(township)} · {html.escape(title)}</h2>")
        parts.append(f"<p>{html.escape(expires)} {html.escape(server)}</p>")
        parts.append(f"<p>{html.escape(how)}</p>")
        parts.append(
            '<table border="1" cellspacing="0" cellpadding="4" width="100%">'
            "<thead><tr>"
            + "".join(f"<th>{html.escape(h)}</th>" for h in heads)
            + "</tr></thead><tbody>"
        )
        for e in entries:
            cells = [
                html.escape(e.display_name or e.username),
                html.escape(e.post_name),
                html.escape(post_role_text(e.post_role)),
                html.escape(role_label(e.role)),
                html.escape(e.username),
                f'<span style="font-family: monospace; font-size: 12pt">'
                f"<b>{html.escape(e.code)}</b></span>",
                "&nbsp;",
            ]
            # A code or a user name broken over two lines is misread: they never wrap.
            parts.append(
                "<tr>"
                + "".join(f'<td style="white-space: nowrap">{c}</td>' for c in cells[:6])
                + f'<td width="15%">{cells[6]}</td></tr>'
            )
        parts.append("</tbody></table>")
    return "\n".join(parts)


def write_setup_pdf(sheet: SetupSheet, path: Path) -> int:
    """Write the sheet to ``path`` as a PDF (A4 landscape, each township from a new page).

    Returns the number of pages.

    Raises:
        OSError: the file cannot be written.
    """
    groups = township_groups(sheet)
    with path.open("wb"):  # a folder missing or not writable fails here, with its reason
        pass
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setTitle(QCoreApplication.translate("Admin", "Set-up codes"))
    writer.setCreator("informant-app")
    layout = QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Landscape,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
        QPageLayout.Unit.Millimeter,
    )
    writer.setPageLayout(layout)
    document = QTextDocument()
    layout_of = document.documentLayout()
    layout_of.setPaintDevice(writer)  # lay out at the PDF's resolution: printed 1:1
    font = QFont()
    font.setPointSizeF(11.0)
    document.setDefaultFont(font)
    document.setHtml(sheet_html(sheet, groups))
    paint = writer.pageLayout().paintRectPixels(RESOLUTION)
    document.setPageSize(QSizeF(paint.width(), paint.height()))
    pages = document.pageCount()
    document.print_(writer)
    del writer  # ends the painting: the file is complete
    if not path.exists():
        raise OSError(f"the PDF was not written: {path}")
    return pages

"""A unit report on the national form as a PDF (QPdfWriter and QTextDocument, A4 landscape).

The document is built as HTML from the Qt-free ``NationalForm``
(``core/township/national_form.py``): the title and the form's header (表号, 制定机关, 批准机关,
批准文号, 有效期至; 填报单位, 灾害种类, 发生时间, 数据截止时间 …), the table of units in three
parts (the 37 indicators do not fit one page's width; the unit column and the total row repeat in
each part, and a part's head repeats on a new page), the adjustments with their reasons, the
narrative and the sign-off footer.  A verified report adds the name ledger and the household
ledger, each on a new page.  Every page carries the form's title and "第 n 页 共 N 页".

Painting on a ``QPdfWriter`` needs no window, so ``write_pdf`` runs on the task manager's
``files`` lane like the other exports.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from informant_app.core.township.national_form import (
    NationalForm,
    figure_text,
    indicator_header,
)
from sync.contract import INDICATORS

ZERO = Decimal(0)

#: The resolution the PDF is laid out at (dots per inch).
RESOLUTION = 300
#: Page margins in millimetres (left, top, right, bottom).
MARGINS_MM = (12.0, 12.0, 12.0, 14.0)
#: The table's parts: indicator ranges in the national order (people; houses and crops;
#: infrastructure and losses).
PARTS = ((0, 14), (14, 24), (24, len(INDICATORS)))
#: Font families for Chinese text, tried in order (the platform's default follows).
FONT_FAMILIES = ("Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Noto Serif CJK SC")
STYLE = """
body { font-size: 9pt; }
h1 { font-size: 15pt; font-weight: bold; text-align: center; margin: 0; }
h2 { font-size: 10.5pt; font-weight: bold; margin-top: 8px; margin-bottom: 3px; }
table.grid { border-collapse: collapse; }
table.grid td, table.grid th { border: 1px solid #444; padding: 2px; }
table.grid th { background-color: #dde7f3; font-size: 7.5pt; font-weight: bold; }
table.grid td { font-size: 8pt; }
td.num { text-align: right; }
tr.total td { background-color: #fff2cc; font-weight: bold; }
tr.adj td { font-style: italic; }
td.head { font-size: 9pt; padding: 1px 4px; }
td.fixed { font-size: 8.5pt; padding: 1px 4px; }
p.narrative { font-size: 9pt; margin: 0; }
td.sign { font-size: 9.5pt; padding: 2px 10px 2px 0; }
"""


def _e(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


def _header_html(form: NationalForm, lang: str) -> str:
    left = "".join(
        f"<tr><td class='head'><b>{_e(label)}：</b>{_e(value)}</td></tr>"
        for label, value in form.report_header(lang)
    )
    right = "".join(
        f"<tr><td class='fixed'>{_e(label)}：{_e(value)}</td></tr>"
        for label, value in form.fixed_header(lang)
    )
    return (
        f"<h1>{_e(form.title(lang))}</h1>"
        "<table width='100%' cellspacing='0' cellpadding='0'><tr>"
        f"<td width='65%' valign='top'><table cellspacing='0'>{left}</table></td>"
        f"<td width='35%' valign='top' align='right'><table cellspacing='0'>{right}</table></td>"
        "</tr></table>"
    )


def _part_html(form: NationalForm, start: int, end: int, lang: str) -> str:
    indicators = INDICATORS[start:end]
    heads = "".join(f"<th>{_e(indicator_header(i.field))}</th>" for i in indicators)
    rows = []
    for label, figures, kind in form.table_rows():
        signed = kind == "adjustment"
        cells = "".join(
            f"<td class='num'>{figure_text(i.field, figures.get(i.field, ZERO), signed)}</td>"
            for i in indicators
        )
        css = {"total": " class='total'", "adjustment": " class='adj'"}.get(kind, "")
        rows.append(f"<tr{css}><td>{_e(label)}</td>{cells}</tr>")
    return (
        "<table class='grid' width='100%' cellspacing='0' cellpadding='2'>"
        f"<thead><tr><th width='9%'>{_e(form.form.rows_heading.get(lang))}</th>{heads}</tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _footer_html(form: NationalForm, lang: str) -> str:
    cells = "".join(
        f"<td class='sign'><b>{_e(label)}：</b>{_e(value) if value else '&nbsp;' * 16}</td>"
        for label, value in form.footer(lang)
    )
    return f"<table width='100%' cellspacing='0' style='margin-top: 10px'><tr>{cells}</tr></table>"


def _ledger_html(
    form: NationalForm,
    title: str,
    form_no: str,
    heads: Sequence[tuple[str, int]],
    rows: list[list[str]],
    total: str,
) -> str:
    head = "".join(f"<th width='{w}%'>{_e(h)}</th>" for h, w in heads)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    if not rows:
        body = f"<tr><td colspan='{len(heads)}'>（无）</td></tr>"
    header = "".join(
        f"<tr><td class='head'><b>{_e(label)}：</b>{_e(value)}</td></tr>"
        for label, value in form.report_header()
    )
    number = f"<p align='right'>{_e(form.label('表号'))}：{_e(form_no)}</p>" if form_no else ""
    return (
        f"<h1 style='page-break-before: always'>{_e(title)}</h1>{number}"
        f"<table cellspacing='0'>{header}</table><br/>"
        "<table class='grid' width='100%' cellspacing='0' cellpadding='3'>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        f"<p><b>{_e(total)}</b></p>{_footer_html(form, 'zh')}"
    )


def _ledgers_html(form: NationalForm) -> str:
    unit = form.form.rows_heading.zh
    people = [
        [str(n), p.unit_name, p.name, p.status_zh, p.note]
        for n, p in enumerate(form.people, start=1)
    ]
    households = [
        [
            str(n),
            h.unit_name,
            h.head,
            h.class_zh,
            f"{h.households:.0f}",
            f"{h.rooms:.0f}",
            h.note,
        ]
        for n, h in enumerate(form.households, start=1)
    ]
    return _ledger_html(
        form,
        form.settings.deaths.title.zh,
        form.settings.deaths.form_no,
        [("序号", 6), (unit, 20), ("姓名", 16), ("类别（死亡/失踪）", 14), ("备注", 44)],
        people,
        f"合计：死亡 {sum(p.status == 'death' for p in form.people)} 人，"
        f"失踪 {sum(p.status == 'missing' for p in form.people)} 人",
    ) + _ledger_html(
        form,
        form.settings.households.title.zh,
        form.settings.households.form_no,
        [
            ("序号", 6),
            (unit, 20),
            ("户主姓名", 14),
            ("损坏程度", 12),
            ("户数（户）", 10),
            ("间数（间）", 10),
            ("备注", 28),
        ],
        households,
        f"合计：{sum(h.households for h in form.households):.0f} 户，"
        f"{sum(h.rooms for h in form.households):.0f} 间",
    )


def form_html(form: NationalForm, lang: str = "zh") -> str:
    """Return the whole form as the HTML a ``QTextDocument`` lays out."""
    parts = []
    for number, (start, end) in enumerate(PARTS):
        if number:
            parts.append(f"<h2>{_e('续表' if lang.startswith('zh') else 'continued')}</h2>")
        else:
            parts.append("<br/>")
        parts.append(_part_html(form, start, end, lang))
    notes = form.adjustment_notes()
    adjustments = (
        f"<h2>{_e(form.label('调整说明', lang))}</h2>"
        + "".join(f"<p style='margin: 0'>{_e(n)}</p>" for n in notes)
        if notes
        else ""
    )
    narrative = (
        f"<h2>{_e(form.label('灾情文字说明', lang))}</h2>"
        f"<p class='narrative'>{_e(form.narrative)}</p>"
    )
    ledgers = _ledgers_html(form) if form.has_ledgers else ""
    return (
        f"<html><head><meta charset='utf-8'/></head><body>{_header_html(form, lang)}"
        f"{''.join(parts)}{adjustments}{narrative}{_footer_html(form, lang)}{ledgers}"
        "</body></html>"
    )


def form_document(form: NationalForm, lang: str = "zh") -> QTextDocument:
    """Return the form as a ``QTextDocument`` (not yet paginated)."""
    doc = QTextDocument()
    font = QFont()
    font.setFamilies(list(FONT_FAMILIES))
    font.setPointSizeF(9)
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(STYLE)
    doc.setDocumentMargin(0)
    doc.setHtml(form_html(form, lang))
    return doc


def page_layout() -> QPageLayout:
    """Return the page: A4 landscape with the form's margins."""
    left, top, right, bottom = MARGINS_MM
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Landscape,
        QMarginsF(left, top, right, bottom),
        QPageLayout.Unit.Millimeter,
    )


def write_pdf(form: NationalForm, path: str | Path, lang: str = "zh") -> int:
    """Write the form as a PDF (A4 landscape) to ``path``; return the number of pages."""
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(page_layout())
    writer.setTitle(f"{form.unit_name} {form.event_name} {form.title(lang)}")
    writer.setCreator("informant-app")
    doc = form_document(form, lang)
    doc.documentLayout().setPaintDevice(writer)
    doc.setDefaultStyleSheet(STYLE)
    doc.setHtml(form_html(form, lang))  # laid out again for the writer's resolution
    paint = writer.pageLayout().paintRectPixels(RESOLUTION)
    footer_height = RESOLUTION * 0.22  # about 5.6 mm for the page line
    body = QSizeF(paint.width(), paint.height() - footer_height)
    doc.setPageSize(body)
    pages = doc.pageCount()
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write {path}")
    try:
        footer_font = QFont(doc.defaultFont())
        footer_font.setPointSizeF(8)
        for page in range(pages):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, -page * body.height())
            doc.drawContents(painter, QRectF(0, page * body.height(), body.width(), body.height()))
            painter.restore()
            painter.setFont(footer_font)
            line = QRectF(0, body.height(), body.width(), footer_height)
            painter.drawText(
                line,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
                f"{form.unit_name} · {form.event_name} · {form.stage.label(lang)}",
            )
            page_text = (
                f"第 {page + 1} 页  共 {pages} 页"
                if lang.startswith("zh")
                else f"page {page + 1} of {pages}"
            )
            painter.drawText(
                line, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom), page_text
            )
    finally:
        painter.end()
    return pages

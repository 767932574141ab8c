"""What people typed is shown as text, never rendered as HTML: labels, boxes and tooltips.

A narrative, event name, return reason, reviewer comment or name holding ``<b>``, ``<img>``,
``<a href>`` or SQL goes through the store byte for byte and into every place the app shows
it.  ``assert_literal`` sweeps a widget tree: every label or message box showing the hostile
text must be in ``Qt.PlainText`` (or the text must not look like markup to Qt), and every
tooltip must either not look like markup or carry the text escaped.  A regression (a label
left on auto-detect, a tooltip with raw text) fails here.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from informant_app.core.reports.exporting import export_document
from informant_app.core.review.types import HistoryEntry
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState
from informant_app.core.sync.types import Conflict, ConflictSide
from informant_app.ui.common.plain_text import might_be_markup, plain_tooltip
from informant_app.ui.reports.form import ReportForm
from informant_app.ui.reports.history_dialog import HistoryDialog
from informant_app.ui.reports.issue_view import IssueBox
from informant_app.ui.reports.table_model import Column
from informant_app.ui.review.return_dialog import ReturnDialog
from informant_app.ui.sync.conflict_dialog import ConflictDialog
from informant_app.ui.window.main_window import MainWindow
from sync.contract import Issue, Severity
from tests.informant_app.ui.helpers import PROFILE, submitted_report, valid_content

MARKUP = "<b>粗体</b><img src=x onerror=alert(1)><a href='http://evil.example/'>点我</a>"
SQL = "'); DROP TABLE report_versions;--"
NARRATIVE = f"{MARKUP} {SQL}"
EVENT_NAME = f"<i>斜体</i>{SQL}"
REASON = f"<font color=red>退回</font><script>alert(1)</script>{SQL}"

Seed = Callable[[Callable[[ReportStore], Any]], Any]


def label_is_literal(widget: QLabel | QMessageBox) -> bool:
    return widget.textFormat() == Qt.TextFormat.PlainText or not might_be_markup(widget.text())


def tooltip_is_literal(tip: str, hostile: str) -> bool:
    return hostile not in tip or not might_be_markup(tip)


def assert_literal(root: QWidget, *hostile: str) -> int:
    """Fail when a widget under ``root`` would render ``hostile`` text; return the checks."""
    checked = 0
    widgets: list[QWidget] = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if isinstance(widget, (QLabel, QMessageBox)) and any(h in widget.text() for h in hostile):
            assert label_is_literal(widget), (
                type(widget).__name__,
                widget.objectName(),
                widget.text(),
            )
            checked += 1
        for h in hostile:
            assert tooltip_is_literal(widget.toolTip(), h), (widget.objectName(), widget.toolTip())
    return checked


def assert_model_literal(model: QAbstractItemModel, *hostile: str) -> int:
    checked = 0
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            tip = model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str) and any(
                html.escape(h, quote=False) in tip or h in tip for h in hostile
            ):
                assert all(tooltip_is_literal(tip, h) for h in hostile), tip
                checked += 1
    return checked


def test_hostile_text_is_stored_byte_for_byte_and_listed_as_text(
    qtbot: QtBot, seed: Seed, profiled: object, make_window: Callable[..., MainWindow]
) -> None:
    version = seed(
        lambda store: submitted_report(store, narrative=NARRATIVE, event_name=EVENT_NAME)
    )
    seed(lambda store: store.set_state(version, ReportState.ERROR, REASON))
    stored = seed(lambda store: store.version_content(version))
    assert (stored.narrative, stored.event_name) == (NARRATIVE, EVENT_NAME)
    window = make_window("en")
    qtbot.waitUntil(lambda: not window.model.loading and window.model.rowCount() == 1)
    model = window.model
    assert model.index(0, Column.EVENT).data() == EVENT_NAME  # display: the text itself
    event_tip = model.index(0, Column.EVENT).data(Qt.ItemDataRole.ToolTipRole)
    assert html.escape(EVENT_NAME, quote=False) in event_tip and might_be_markup(event_tip)
    state_tip = model.index(0, Column.STATE).data(Qt.ItemDataRole.ToolTipRole)
    assert html.escape(REASON, quote=False) in state_tip
    assert assert_model_literal(model, EVENT_NAME, REASON) == 2
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: REASON in window.detail.text())
    assert window.detail.textFormat() == Qt.TextFormat.PlainText
    assert html.escape(REASON, quote=False) in window.detail.toolTip()
    assert assert_literal(window, REASON, EVENT_NAME, NARRATIVE) >= 1


def test_a_draft_with_hostile_text_opens_in_the_form_as_typed(
    qtbot: QtBot, seed: Seed, profiled: object, make_window: Callable[..., MainWindow]
) -> None:
    def draft(store: ReportStore) -> str:
        made = store.new_draft()
        store.save_draft(
            made.version_uuid,
            valid_content(made.content, narrative=NARRATIVE, event_name=EVENT_NAME),
        )
        return made.version_uuid

    version = seed(draft)
    window = make_window("en")
    qtbot.waitUntil(lambda: not window.model.loading and window.model.rowCount() == 1)
    with qtbot.waitSignal(window.form_opened) as opened:
        window.table.selectRow(0)
        window.open_selected()
    form = opened.args[0]
    assert isinstance(form, ReportForm) and form.version_uuid == version
    assert form.narrative.text() == NARRATIVE
    assert form.header.event_name.text() == EVENT_NAME
    assert_literal(form, NARRATIVE, EVENT_NAME)


def test_error_messages_quoting_hostile_text_are_plain(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.errors.shown):
        window.errors.show_message(f"{MARKUP}\n{SQL}")
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and boxes[-1].textFormat() == Qt.TextFormat.PlainText
    assert boxes[-1].text() == f"{MARKUP}\n{SQL}"
    assert_literal(window, MARKUP)


def test_an_import_refusal_naming_a_hostile_id_is_plain(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    with ReportStore.open(tmp_path / "elsewhere") as other:
        other.save_profile(PROFILE)
        submitted_report(other)
        document = export_document(other)
    document["reports"][0]["report_uuid"] = "<b>粗体</b>"  # ids are free text; the refusal
    document["reports"][0]["figures"]["affected_pop"] = -5  # names the record by its id
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with qtbot.waitSignal(window.errors.shown) as shown:
        window.importer.import_path(path)
    assert "<b>粗体</b>" in shown.args[0] and "negative" in shown.args[0]
    assert assert_literal(window, "<b>粗体</b>") >= 1
    assert window.model.rowCount() == 0


def test_history_return_issue_and_conflict_views_show_text(qtbot: QtBot) -> None:
    when = datetime(2024, 6, 2, 8, 30, tzinfo=UTC)
    history = HistoryDialog(
        f"瓦房社区 · {EVENT_NAME}",
        [
            HistoryEntry(
                "returned",
                1,
                MARKUP,
                "A",
                when,
                when,
                detail=REASON,
                field_comments={"narrative": MARKUP},
            ),
            HistoryEntry("received", 1, "<b>张明</b>", "A", when, when),
        ],
        "en",
    )
    qtbot.addWidget(history)
    assert assert_literal(history, EVENT_NAME, REASON, MARKUP) >= 1
    items = [history.table.item(r, c) for r in range(2) for c in range(7)]
    texts = [item.text() for item in items if item is not None]
    assert any(REASON in t for t in texts) and "<b>张明</b>" in texts
    details = history.table.item(0, 6)
    assert details is not None
    tip = details.toolTip()
    assert html.escape(REASON, quote=False) in tip

    returning = ReturnDialog("en", f"退回：{EVENT_NAME}")
    qtbot.addWidget(returning)
    assert assert_literal(returning, EVENT_NAME) == 1

    parent = QWidget()
    qtbot.addWidget(parent)
    box = IssueBox("en", parent)
    box.set_review_comment(REASON)
    box.set_issues([Issue("R6", Severity.WARNING, "narrative", MARKUP, MARKUP)], {})
    assert box.review_comment() == REASON
    assert assert_literal(box, REASON, MARKUP) == 2

    base = valid_content(
        {
            "report_uuid": "r1",
            "event_uuid": "e1",
            "stage": "initial",
            "occurred_at": "2024-06-01T10:00:00Z",
            "data_cutoff_at": "2024-06-01T12:00:00Z",
            "narrative": NARRATIVE,
            "event_name": EVENT_NAME,
        }
    )
    theirs = {**base, "narrative": REASON}
    conflict = Conflict(
        "r1",
        ConflictSide("v1", 2, "<b>wafang_b</b>", when, base),
        ConflictSide("v2", 2, MARKUP, when, theirs),
        ("narrative",),
    )
    dialog = ConflictDialog(conflict, "en")
    qtbot.addWidget(dialog)
    assert assert_literal(dialog, NARRATIVE, REASON, EVENT_NAME) >= 2
    headings = [w.text() for w in dialog.findChildren(QLabel) if "version 2" in w.text()]
    assert headings and all("&lt;b&gt;" in h or "&lt;" in h for h in headings)
    assert not any("<b>wafang_b</b>" in h for h in headings)


@pytest.mark.parametrize(
    "text, markup",
    [
        ("plain words", False),
        ("<b>x</b>", True),
        ("a <img src=x>", True),
        ("1 < 2 and 3 > 2", False),
    ],
)
def test_plain_tooltip_escapes_only_what_qt_would_render(text: str, markup: bool) -> None:
    tip = plain_tooltip(text)
    assert (tip == text) is (not markup)
    if markup:
        assert html.escape(text, quote=False) in tip

"""The review dialogs and tables on their own, with made-up values (no server)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from informant_app.core.review.service import (
    TownshipAdjustment,
    TownshipReport,
    TownshipVillageRow,
)
from informant_app.ui.reports.issue_view import IssueBox
from informant_app.ui.review.return_dialog import ReturnDialog
from informant_app.ui.review.rows import review_rows
from informant_app.ui.township.report_model import LineKind, TownshipReportModel
from sync.contract import Issue, ReportContent, ReportStage, Severity
from tests.support.places import SHUIGOU, WAFANG

LEFT = Qt.MouseButton.LeftButton
NOW = datetime(2024, 6, 2, 8, 30, tzinfo=UTC)


def content(**changes: object) -> ReportContent:
    data: dict[str, object] = {
        "report_uuid": "r1",
        "event_uuid": "e1",
        "event_name": "洪涝",
        "stage": "initial",
        "disaster_type": "flood",
        "village_code": WAFANG,
        "occurred_at": "2024-06-01T10:00:00Z",
        "data_cutoff_at": "2024-06-01T12:00:00Z",
        "figures": {"affected_pop": 120, "crop_failed_ha": 9},
    }
    data.update(changes)
    return ReportContent.from_dict(data)


def test_the_return_dialog_needs_a_reason_and_keeps_several_comments(qtbot: QtBot) -> None:
    dialog = ReturnDialog("en", "瓦房社区 · 洪涝 · Initial v1", "crop_failed_ha")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.field.currentData() == "crop_failed_ha"
    assert not dialog.return_button.isEnabled() and dialog.reason_error.isVisible()
    assert not dialog.add_button.isEnabled()

    QTest.keyClicks(dialog.comment, "Measure again")
    QTest.mouseClick(dialog.add_button, LEFT)
    dialog.field.setCurrentIndex(dialog.field.findData("narrative"))
    QTest.keyClicks(dialog.comment, "Say where the bank broke")
    QTest.keyClick(dialog.comment, Qt.Key.Key_Return)
    assert dialog.table.rowCount() == 2
    dialog.table.selectRow(1)
    QTest.mouseClick(dialog.remove_button, LEFT)
    assert dialog.field_comments() == {"crop_failed_ha": "Measure again"}

    dialog.accept()
    assert dialog.isVisible() and dialog.result() == 0  # no reason: still open
    QTest.keyClicks(dialog.reason, "Figures do not match")
    dialog.field.setCurrentIndex(dialog.field.findData("deaths"))
    QTest.keyClicks(dialog.comment, "Give the names")  # typed but not added: still counts
    with qtbot.waitSignal(dialog.accepted):
        QTest.mouseClick(dialog.return_button, LEFT)
    assert dialog.reason_text() == "Figures do not match"
    assert dialog.field_comments() == {
        "crop_failed_ha": "Measure again",
        "deaths": "Give the names",
    }


def test_the_comparison_marks_what_changed_since_the_previous_report() -> None:
    now = content(stage="continuing", figures={"affected_pop": 150, "crop_failed_ha": 9})
    rows = review_rows(now, content(), ("stage", "affected_pop"), "en")
    by_key = {row.key: row for row in rows}
    assert (by_key["affected_pop"].current, by_key["affected_pop"].previous) == ("150", "120")
    assert by_key["affected_pop"].changed and by_key["stage"].changed
    assert not by_key["crop_failed_ha"].changed
    assert by_key["deaths"].current == "—" and not by_key["deaths"].given
    assert [row.key for row in rows if row.is_figure][:3] == ["affected_pop", "deaths", "missing"]
    first = review_rows(content(), None, (), "en")
    assert all(row.previous == "" for row in first)


def test_the_township_table_lists_villages_adjustments_and_the_total(qtbot: QtBot) -> None:
    villages = [
        TownshipVillageRow(
            WAFANG,
            "瓦房社区",
            "v1",
            "瓦房社区信息员A",
            "A",
            {"affected_pop": Decimal(120), "direct_loss": Decimal("12.50")},
        ),
        TownshipVillageRow(
            SHUIGOU, "水沟洼村", "v2", "水沟洼村信息员B", "B", {"affected_pop": Decimal(80)}
        ),
    ]
    report = TownshipReport(
        "530502208000",
        "瓦房彝族苗族乡",
        "e1",
        "洪涝",
        ReportStage.INITIAL,
        villages,
        {"affected_pop": Decimal(200), "direct_loss": Decimal("12.50")},
        [TownshipAdjustment("affected_pop", Decimal(-3), "counted twice", "瓦房乡应急办")],
        {"affected_pop": Decimal(197), "direct_loss": Decimal("12.50")},
        [],
        NOW,
        False,
    )
    model = TownshipReportModel("en")
    model.set_report(report)
    kinds = [line.kind for line in model.lines()]
    assert kinds == [
        LineKind.VILLAGE,
        LineKind.VILLAGE,
        LineKind.SUBTOTAL,
        LineKind.ADJUSTMENT,
        LineKind.TOTAL,
    ]
    assert [i.field for i in model.indicators()] == ["affected_pop", "direct_loss"]
    assert model.data(model.index(1, 1)) == "水沟洼村信息员B (B post)"
    assert model.data(model.index(3, 2)) == "-3"
    assert model.data(model.index(4, 2)) == "197"
    assert model.data(model.index(4, 3)) == "12.50"
    model.set_hide_empty(False)
    assert model.columnCount() == 2 + 37


def test_a_field_comment_shows_beside_the_field_and_keeps_it_visible(qtbot: QtBot) -> None:
    box = IssueBox("en")
    qtbot.addWidget(box)
    box.set_review_comment("Measure again")
    assert not box.isHidden()
    assert box.review_comment() == "Measure again"
    assert "Measure again" in box.comment.text()
    box.set_issues([], {})
    assert not box.isHidden()  # the comment keeps it shown
    box.set_review_comment("")
    assert box.isHidden()


def test_a_message_never_moves_the_widget_below_even_for_a_moment(qtbot: QtBot) -> None:
    # showing a child lays its parents out at once: the empty line must go first
    page = QWidget()
    layout = QVBoxLayout(page)
    box = IssueBox("en", page, reserve=True)
    below = QLineEdit(page)
    layout.addWidget(box)
    layout.addWidget(below)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    y = below.y()
    warning = Issue("R6", Severity.WARNING, "affected_pop", "少于", "below")
    error = Issue("R2", Severity.ERROR, "affected_pop", "超过", "exceeds")
    for issues in ([warning], [error], [], [error]):
        box.set_issues(issues, {})
        assert below.y() == y  # before any event-loop turn: what a paint could show
        QApplication.processEvents()
        assert below.y() == y


def test_the_comparison_shows_the_ledgers_of_a_verified_report() -> None:
    households = [
        {"head": "李四", "damage": "collapsed", "rooms": 3},
        {"head": "王五", "damage": "minor", "rooms": 2},
    ]
    now = content(
        stage="verified",
        event_stable=True,
        ledger=[{"name": "张三", "status": "death"}],
        households=households,
    )
    rows = {row.key: row for row in review_rows(now, content(), ("households",), "en")}
    assert rows["households"].current == (
        "李四 (collapsed, 3 rooms)、王五 (generally damaged, 2 rooms)"
    )
    assert rows["households"].changed and rows["households"].previous == "—"
    assert rows["ledger"].current == "张三" and not rows["ledger"].is_figure
    # a report without ledgers has no ledger lines
    assert {"ledger", "households"}.isdisjoint(
        row.key for row in review_rows(content(), None, (), "en")
    )

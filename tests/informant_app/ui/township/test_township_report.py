"""The township report in the reviewer's window: villages add up, adjust, export, submit; and
the villages that have not reported, with who is on duty.

A real city server; the villages file and the reviewer approves through the core, the
township report is read and worked in the app.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from informant_app.core.review.service import DecisionKind, TownshipReport
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.types import Account
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.township.report_model import LineKind
from informant_app.ui.township.report_view import TownshipReportView
from informant_app.ui.window.main_window import MainWindow
from sync.contract import ReportStage
from tests.informant_app.ui.helpers import OTHER_VILLAGE
from tests.informant_app.ui.review_story import Device
from tests.support.city_server import CityServer

Seed = Callable[[Callable[[ReportStore], Any]], Any]
LEFT = Qt.MouseButton.LeftButton
SHUIGOU_FIGURES = {
    "affected_pop": 80,
    "crop_affected_ha": 12.5,
    "crop_damaged_ha": 4,
    "crop_failed_ha": 1,
    "direct_loss": 3.25,
}


def shows(
    view: TownshipReportView,
    event_uuid: str,
    check: Callable[[TownshipReport], bool] = lambda _r: True,
) -> bool:
    report = view.report
    return report is not None and report.event_uuid == event_uuid and check(report)


def test_the_township_total_is_the_sum_of_the_approved_villages(
    qtbot: QtBot,
    tmp_path: Path,
    city_server: CityServer,
    sign_in_as: Callable[..., Account],
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    wafang = Device(tmp_path / "wafang-a", city_server, "wafang_a").sign_in()
    shuigou = Device(tmp_path / "shuigou-a", city_server, "shuigou_a").sign_in()
    reviewer = Device(tmp_path / "reviewer-laptop", city_server, "wafang_reviewer").sign_in()
    _report, first = wafang.file()
    event_uuid, event_name = wafang.event_of(first)
    _report, second = shuigou.file(
        SHUIGOU_FIGURES, village_code=OTHER_VILLAGE, event_uuid=event_uuid, event_name=event_name
    )
    reviewer.decide(first, DecisionKind.APPROVE)
    reviewer.decide(second, DecisionKind.APPROVE)
    # a second event that only 瓦房社区 reported: 水沟洼村 is missing there
    _report, lone = wafang.file()
    lone_event, _name = wafang.event_of(lone)

    sign_in_as("wafang_reviewer")
    window = make_window("en", sync=make_controller())
    qtbot.waitUntil(lambda: window.review is not None, timeout=10_000)
    assert window.review is not None
    view = window.review.township
    window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(
        lambda: (
            view.event_combo.findData(event_uuid) >= 0
            and view.event_combo.findData(lone_event) >= 0
        ),
        timeout=30_000,
    )

    # pick the event and stage: the report comes from the server (off the GUI thread)
    with qtbot.waitSignal(
        view.report_shown, timeout=20_000, check_params_cb=lambda r: r.event_uuid == event_uuid
    ):
        view.choose(event_uuid, ReportStage.INITIAL)
    report = view.report
    assert report is not None and not report.from_cache
    assert {v.village_name for v in report.villages} == {"瓦房社区", "水沟洼村"}
    lines = view.model.lines()
    villages = [line for line in lines if line.kind is LineKind.VILLAGE]
    total = next(line for line in lines if line.kind is LineKind.TOTAL)
    for field in total.figures:
        assert total.figures[field] == sum(
            (v.figures.get(field, Decimal(0)) for v in villages), Decimal(0)
        ), field
    assert total.figures["affected_pop"] == 200
    assert total.figures["direct_loss"] == Decimal("15.75")
    assert "Rule 12" in view.check.text()
    assert "Fetched from the server" in view.source.text()
    columns = [
        str(view.model.headerData(c, Qt.Orientation.Horizontal))
        for c in range(view.model.columnCount())
    ]
    assert columns[2].startswith("People affected")  # the national order, with units
    assert "(persons)" in columns[2]

    # an adjustment with its reason: the total moves, the villages do not
    QTest.mouseClick(view.adjust_button, LEFT)
    dialog = view.adjustment_dialog
    dialog.field.setCurrentIndex(dialog.field.findData("affected_pop"))
    QTest.keyClicks(dialog.delta, "5")
    assert not dialog.ok_button.isEnabled()  # no reason yet
    QTest.keyClicks(dialog.reason, "Passers-by stranded on the township road")
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(view.report_shown, timeout=20_000):
        QTest.mouseClick(dialog.ok_button, LEFT)
    assert view.report is not None
    assert view.report.total["affected_pop"] == 205
    adjustment = next(line for line in view.model.lines() if line.kind is LineKind.ADJUSTMENT)
    assert "Passers-by stranded" in adjustment.note

    # exports: Excel through the save dialog, CSV to a given file
    target = tmp_path / "exports" / "wafang"
    target.parent.mkdir()
    view.choose_save_path = lambda *_args: str(target)
    with qtbot.waitSignal(view.exported, timeout=20_000) as written:
        QTest.mouseClick(view.xlsx_button, LEFT)
    xlsx = Path(written.args[0])
    assert xlsx == target.with_suffix(".xlsx")
    assert xlsx.exists() and xlsx.stat().st_size > 0
    assert str(xlsx) in view.result.text()
    with qtbot.waitSignal(view.exported, timeout=20_000):
        view.export("csv", str(tmp_path / "exports" / "wafang.csv"))
    assert (tmp_path / "exports" / "wafang.csv").stat().st_size > 0
    assert view.pdf_button.isEnabled()  # the national form, printed through Qt
    with qtbot.waitSignal(view.exported, timeout=20_000):
        view.export("pdf", str(tmp_path / "exports" / "wafang.pdf"))
    assert (tmp_path / "exports" / "wafang.pdf").read_bytes().startswith(b"%PDF")

    # submit upward, after a confirmation
    QTest.mouseClick(view.submit_button, LEFT)
    box = view.submit_box
    with qtbot.waitSignal(view.report_shown, timeout=20_000):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert view.report is not None and view.report.submitted
    assert not view.submit_button.isEnabled()
    assert "Submitted upward" in view.source.text()

    # completeness: in the event only 瓦房社区 reported, 水沟洼村's on-duty informant is named
    panel = view.completeness
    with qtbot.waitSignal(panel.loaded, timeout=20_000):
        view.choose(lone_event, ReportStage.INITIAL)
    assert "水沟洼村" in panel.missing_names()
    assert "瓦房社区" not in panel.missing_names()
    shuigou_line = next(v for v in panel.villages if v.village_name == "水沟洼村")
    assert shuigou_line.on_duty_name == "水沟洼村信息员A"
    assert shuigou_line.on_duty_phone == "13808752021"
    items = [panel.table.item(0, c) for c in range(panel.table.columnCount())]
    texts = [item.text() if item is not None else "" for item in items]
    assert texts[:3] == ["水沟洼村", "Not reported", "水沟洼村信息员A"]
    assert "villages have not reported" in panel.summary.text()

    # today's zero report (24-hour rule): 瓦房社区 reported today
    with qtbot.waitSignal(panel.loaded, timeout=20_000):
        panel.scope.setCurrentIndex(panel.scope.findData("today"))
    assert panel.villages and "瓦房社区" not in panel.missing_names()

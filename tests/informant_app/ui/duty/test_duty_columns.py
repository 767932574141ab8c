"""The roster and handover tables at 1366×768: no column squeezed, none taking half the width."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QTableView
from pytestqt.qtbot import QtBot

from informant_app.ui.common.errors import ErrorPresenter
from informant_app.ui.duty.roster_model import RosterColumn
from informant_app.ui.duty.roster_page import RosterPage
from informant_app.ui.tasks.manager import TaskManager
from tests.informant_app.ui import duty_values as dv


def widths(table: QTableView) -> list[int]:
    return [table.columnWidth(c) for c in range(table.model().columnCount())]


def assert_not_squeezed(table: QTableView) -> None:
    header = table.horizontalHeader()
    for column, width in enumerate(widths(table)):
        assert width >= header.sectionSizeHint(column), (column, width)


def test_the_roster_and_handover_columns_share_the_width(qtbot: QtBot, worker: TaskManager) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(1366, 768)
    page = RosterPage(worker, "en", ErrorPresenter(window, "en", None), window)
    window.setCentralWidget(page)
    window.show()
    qtbot.waitExposed(window)
    posts = dv.posts()
    posts[1] = replace(posts[1], absence=replace(dv.LEAVE, reason="家中老人住院需要陪护" * 3))
    page.show_posts(posts, dv.NOW)
    table = page.table
    room = table.viewport().width()
    shown = widths(table)
    assert_not_squeezed(table)
    assert shown[RosterColumn.ABSENCE] < room * 0.4  # was half the width
    assert sum(shown) <= room + 1  # no horizontal scrolling
    # a long reason is cut, the tooltip holds it whole
    tip = page.model.data(page.model.index(1, RosterColumn.ABSENCE), Qt.ItemDataRole.ToolTipRole)
    assert "家中老人住院需要陪护" * 3 in str(tip)
    assert page.model.headerData(
        RosterColumn.ABSENCE, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )

    panel = page.handovers
    long_why = replace(dv.handover(True), handover_uuid="h2", reason="村委会换届" * 8)
    panel.show_handovers([dv.handover(False), long_why])
    handover_widths = widths(panel.table)
    assert_not_squeezed(panel.table)
    assert sum(handover_widths) <= panel.table.viewport().width() + 1
    # the room left over is shared: the last column does not take it all
    assert handover_widths[-1] < panel.table.viewport().width() * 0.35
    why = panel.table.item(1, 3)
    assert why is not None and why.toolTip().endswith("村委会换届" * 8)

    window.resize(1000, 700)  # a smaller window shares less room, still no squeeze
    qtbot.waitUntil(lambda: table.viewport().width() < room)
    assert_not_squeezed(table)

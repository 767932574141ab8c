"""The township's event headline counts what its village rows say (issue 17, item 6).

A village past half its time but not yet at its deadline is "escalated", not "late": the
headline used to read "3 个村中 3 个逾时" while every row said "已过半时限未报".
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QTreeWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from informant_app.ui.common.duty_labels import window_status_label
from informant_app.ui.common.errors import ErrorPresenter
from informant_app.ui.duty.events_panel import EventColumn, EventsPanel
from informant_app.ui.tasks.manager import TaskManager
from sync.contract.duty import WindowStatus
from tests.informant_app.ui import duty_values as dv


def top(panel: EventsPanel) -> QTreeWidgetItem:
    item = panel.tree.topLevelItem(0)
    assert item is not None
    return item


def headline(panel: EventsPanel) -> str:
    return top(panel).text(EventColumn.STATUS)


def test_the_headline_uses_the_rows_words(qtbot: QtBot, worker: TaskManager) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    panel = EventsPanel(worker, "en", ErrorPresenter(parent, "en", None), parent)
    event = dv.open_event()
    escalated = tuple(
        replace(v, status=WindowStatus.ESCALATED) if v.status.late else v for v in event.villages
    )
    panel.show_events([replace(event, villages=escalated)], dv.NOW)
    text = headline(panel)
    children = [top(panel).child(i) for i in range(4)]
    rows = [child.text(EventColumn.STATUS) for child in children if child is not None]
    assert window_status_label(WindowStatus.ESCALATED) in text
    assert f"{window_status_label(WindowStatus.ESCALATED)} 2" in text
    assert window_status_label(WindowStatus.OVERDUE) not in text
    assert " late" not in text and "overdue" not in text.lower()
    assert sum(window_status_label(WindowStatus.ESCALATED) in r for r in rows) == 2
    assert "0 overdue, 2 past half the time" in panel.summary.text()

    panel.show_events([event], dv.NOW)  # one overdue, one escalated: each counted as itself
    text = headline(panel)
    assert f"{window_status_label(WindowStatus.OVERDUE)} 1" in text
    assert f"{window_status_label(WindowStatus.ESCALATED)} 1" in text
    assert "1 overdue, 1 past half the time" in panel.summary.text()

    quiet = tuple(replace(v, status=WindowStatus.WAITING) for v in event.villages)
    panel.show_events([replace(event, villages=quiet)], dv.NOW)
    assert headline(panel) == "4 village(s), none late"

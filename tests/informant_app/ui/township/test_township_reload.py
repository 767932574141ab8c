"""The township report and its "who has not reported" list follow the change notices.

乡镇报表 said "已通过 0 份" after an approval, and the list of villages that had not reported
still named A on duty after A was marked off duty, until 获取/刷新 was pressed: the view
refetched only on a ``township`` notice and only when it had shown a report, and the list
never on a roster change.  Now a review, township or duty notice refetches both (at once when
shown, else when shown again).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from informant_app.ui.common.errors import ErrorPresenter
from informant_app.ui.tasks.manager import Changes, TaskManager
from informant_app.ui.township.report_view import TownshipReportView


def test_the_township_panels_reload_on_the_change_notices(
    qtbot: QtBot, tmp_path: Path, worker: TaskManager
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    view = TownshipReportView(worker, "zh_CN", ErrorPresenter(owner, "zh_CN", None), tmp_path)
    qtbot.addWidget(view)
    fetched: list[str] = []
    listed: list[str] = []
    view.fetch = lambda: fetched.append(view.event_combo.currentData())  # type: ignore[method-assign]
    view.completeness.refresh = lambda: listed.append("list")  # type: ignore[method-assign]
    view.event_combo.blockSignals(True)
    view.event_combo.addItem("2024年7月15日瓦房社区暴雨洪涝灾害过程", "event-1")
    view.event_combo.setCurrentIndex(0)
    view.event_combo.blockSignals(False)
    assert view.report is None  # nothing fetched yet (or the fetch failed)
    view.show()
    qtbot.waitExposed(view)

    # an approval recorded in the queue, and the round that delivered it
    worker.notify(Changes(review=True))
    assert fetched == ["event-1"] and listed == ["list"]
    worker.notify(Changes(township=True))
    assert len(fetched) == 2 and len(listed) == 2

    # A marked off duty on the roster page: who is on duty changed
    worker.notify(Changes(duty=True))
    assert len(fetched) == 3 and len(listed) == 3

    # hidden (another tab shown): nothing now, everything as soon as it is shown again
    view.hide()
    worker.notify(Changes(review=True))
    assert len(fetched) == 3 and len(listed) == 3
    view.show()
    qtbot.waitUntil(lambda: len(fetched) == 4 and len(listed) == 4)

    # a change of the view's own (an adjustment it recorded) and a report change do not
    worker.notify(Changes(township=True, source=view))
    worker.notify(Changes(reports=True))
    assert len(fetched) == 4

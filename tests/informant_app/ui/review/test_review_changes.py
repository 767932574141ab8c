"""Change notices between the reviewer's tabs: an approval in the queue shows in the township
report without anyone pressing "Fetch".

The township report counts the approved village reports only.  Before the task manager's
change notice, a sync round that delivered an approval refetched the township report only
when its tab was the one shown, so after approving in the queue the other tab kept the old
figures until fetched by hand.  A real city server; the villages file through the core.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from informant_app.core.review.service import DecisionKind, ReviewStatus
from informant_app.core.sync.types import Account
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.township.report_view import TownshipReportView
from informant_app.ui.window.main_window import MainWindow
from sync.contract import ReportStage
from tests.informant_app.ui.helpers import OTHER_VILLAGE
from tests.informant_app.ui.review_story import Device
from tests.support.city_server import CityServer

LEFT = Qt.MouseButton.LeftButton
SHUIGOU_FIGURES = {
    "affected_pop": 80,
    "crop_affected_ha": 12.5,
    "crop_damaged_ha": 4,
    "crop_failed_ha": 1,
    "direct_loss": 3.25,
}


def village_names(view: TownshipReportView) -> set[str]:
    report = view.report
    return set() if report is None else {v.village_name for v in report.villages}


def test_an_approval_in_the_queue_shows_in_the_township_tab_without_a_fetch(
    qtbot: QtBot,
    tmp_path: Path,
    city_server: CityServer,
    sign_in_as: Callable[..., Account],
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    wafang = Device(tmp_path / "wafang-a", city_server, "wafang_a").sign_in()
    shuigou = Device(tmp_path / "shuigou-a", city_server, "shuigou_a").sign_in()
    other = Device(tmp_path / "reviewer-phone", city_server, "wafang_reviewer").sign_in()
    _report, first = wafang.file()
    event_uuid, event_name = wafang.event_of(first)
    second_report, _second = shuigou.file(
        SHUIGOU_FIGURES, village_code=OTHER_VILLAGE, event_uuid=event_uuid, event_name=event_name
    )
    other.decide(first, DecisionKind.APPROVE)  # 瓦房社区 counts; 水沟洼村 waits in the queue

    sign_in_as("wafang_reviewer")
    window = make_window("en", sync=make_controller())
    qtbot.waitUntil(lambda: window.review is not None, timeout=10_000)
    assert window.review is not None
    queue, township = window.review.queue, window.review.township

    # the township tab shows the event: only the approved 瓦房社区 adds up
    window.tabs.setCurrentWidget(township)
    qtbot.waitUntil(lambda: township.event_combo.findData(event_uuid) >= 0, timeout=30_000)
    with qtbot.waitSignal(
        township.report_shown, timeout=20_000, check_params_cb=lambda r: r.event_uuid == event_uuid
    ):
        township.choose(event_uuid, ReportStage.INITIAL)
    assert village_names(township) == {"瓦房社区"}

    # the reviewer goes to the queue tab and approves 水沟洼村's report
    window.tabs.setCurrentWidget(queue)
    assert not township.isVisible()

    def pending_there() -> bool:
        line = queue.model.row_of(second_report)
        return line is not None and queue.model.row_at(line).status is ReviewStatus.PENDING

    qtbot.waitUntil(pending_there, timeout=30_000)
    assert queue.select_report(second_report)
    with qtbot.waitSignal(queue.dialog_opened) as opened:
        QTest.mouseClick(queue.approve_button, LEFT)
    box = opened.args[0]
    with qtbot.waitSignal(queue.decided, timeout=10_000):
        box.button(box.StandardButton.Yes).click()

    def approval_sent() -> bool:
        line = queue.model.row_of(second_report)
        if line is None:
            return False
        item = queue.model.row_at(line)
        return item.status is ReviewStatus.APPROVED and not item.decision_queued

    qtbot.waitUntil(approval_sent, timeout=30_000)

    # back on the township tab: the new figures arrive by themselves (nobody presses Fetch)
    window.tabs.setCurrentWidget(township)
    qtbot.waitUntil(lambda: village_names(township) == {"瓦房社区", "水沟洼村"}, timeout=20_000)
    assert township.report is not None and township.report.total["affected_pop"] == 200

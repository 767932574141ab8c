"""A township reviewer's window shows no informant chrome; its township report is current.

The reviewer's window showed the counts of drafts and reports to send and the "Retry sending"
and "Resolve conflict…" buttons, none of which a reviewer-only account can use.  An approval
shows in 乡镇报表 without pressing 获取.  Screenshots at 1366×768 in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from informant_app.core.review.service import DecisionKind
from informant_app.core.sync.types import Account
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.window.main_window import MainWindow
from sync.contract import ReportStage
from tests.informant_app.ui.review_story import Device
from tests.support.city_server import CityServer


def test_the_reviewer_window_hides_what_only_an_informant_uses(
    qtbot: QtBot,
    chinese: None,
    tmp_path: Path,
    city_server: CityServer,
    sign_in_as: Callable[..., Account],
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    village = Device(tmp_path / "wafang-a", city_server, "wafang_a").sign_in()
    _report, version = village.file(event_name="2024年7月15日瓦房社区暴雨洪涝灾害过程")
    event_uuid, _name = village.event_of(version)
    sign_in_as("wafang_reviewer")
    window = make_window("zh_CN", sync=make_controller())
    qtbot.waitUntil(lambda: window.review is not None, timeout=10_000)
    review = window.review
    assert review is not None and window.sync_actions is not None
    actions = window.sync_actions

    def informant_chrome() -> list[str]:
        shown = []
        if window.counts_label.isVisible():
            shown.append("counts")
        if actions.status_bar.queue.isVisible():
            shown.append("to send")
        for action in (actions.act_retry, actions.act_resolve, window.act_new):
            if action.isVisible():
                shown.append(action.text())
        return shown

    assert informant_chrome() == []
    window.tabs.setCurrentWidget(window.reports_page)  # not on the report list either
    assert informant_chrome() == []
    assert window.act_open.isVisible()  # the list's own action stays

    # the township report: an approval made elsewhere shows after the round, unasked
    township = review.township
    window.tabs.setCurrentWidget(township)
    qtbot.waitUntil(lambda: township.event_combo.findData(event_uuid) >= 0, timeout=30_000)
    with qtbot.waitSignal(township.report_shown, timeout=20_000):
        township.choose(event_uuid, ReportStage.INITIAL)
    assert township.report is not None and not township.report.villages
    Device(tmp_path / "reviewer-phone", city_server, "wafang_reviewer").sign_in().decide(
        version, DecisionKind.APPROVE
    )
    actions.controller.sync_now()
    qtbot.waitUntil(
        lambda: township.report is not None and len(township.report.villages) == 1,
        timeout=30_000,
    )
    window.grab().save("/tmp/shots/C_township_after_approval.png")
    assert informant_chrome() == []

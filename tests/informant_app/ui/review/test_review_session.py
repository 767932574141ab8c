"""A session of decisions in the review queue, at 1366×768 in Chinese.

- After an approval the queue re-sorted (decided reports go last), so the next click at the
  same place selected another report: the lines now stay where they are, the decided one
  marked, until a refresh by hand; the selection moves on to the next report to decide.
- A return showed only a red "已退回": the line now says why.
- Columns were cut ("2024年7…", "B 代 A（党西村信息员A…") while the two time columns were
  wide: the columns now get their content's width, least important giving way first.

Real widgets on the reviewer's real store; village A files on the session's city server.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import delete, update

from informant_app.core.review.service import DecisionKind, ReviewStatus
from informant_app.core.store.models import VersionReviewRow
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.types import Account
from informant_app.ui.common.errors import ErrorPresenter
from informant_app.ui.review.queue_model import ReviewColumn
from informant_app.ui.review.queue_page import ReviewQueuePage
from informant_app.ui.tasks.manager import Changes, TaskManager
from tests.informant_app.ui.review_story import Device, synced
from tests.support.city_server import CityServer

Seed = Callable[[Callable[[ReportStore], Any]], Any]
LEFT = Qt.MouseButton.LeftButton
EVENT_NAME = "2024年7月15日瓦房社区暴雨洪涝灾害过程"
REASON = "绝收面积与现场核查不符，请按实测面积重新填写"


def order(page: ReviewQueuePage) -> list[str]:
    return [item.report_uuid for item in page.model.items()]


def click_line(page: ReviewQueuePage, line: int) -> None:
    """Click the village cell of ``line`` as a person would."""
    table = page.table
    rect = table.visualRect(page.model.index(line, ReviewColumn.VILLAGE))
    QTest.mouseClick(table.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, rect.center())


def approve_selected(qtbot: QtBot, page: ReviewQueuePage) -> None:
    with qtbot.waitSignal(page.dialog_opened) as opened:
        QTest.mouseClick(page.approve_button, LEFT)
    box = opened.args[0]
    assert isinstance(box, QMessageBox)
    with qtbot.waitSignal(page.decided, timeout=10_000):
        QTest.mouseClick(box.button(QMessageBox.StandardButton.Yes), LEFT)


def test_decided_lines_stay_in_place_say_why_and_fit_the_screen(
    qtbot: QtBot,
    chinese: None,
    tmp_path: Path,
    data_dir: Path,
    seed: Seed,
    city_server: CityServer,
    sign_in_as: Callable[..., Account],
    worker: TaskManager,
) -> None:
    village = Device(tmp_path / "wafang-a", city_server, "wafang_a").sign_in()
    filed = [village.file(event_name=f"{EVENT_NAME}{n}")[0] for n in range(3)]
    sign_in_as("wafang_reviewer")

    def pull_and_mark(store: ReportStore) -> None:
        synced(store)
        with store.write_session() as s, s.begin():
            # the session's server also holds other tests' reports of 瓦房社区: the lines
            # below are this test's three
            s.execute(delete(VersionReviewRow).where(VersionReviewRow.report_uuid.not_in(filed)))
            # the first came from B acting for A
            s.execute(
                update(VersionReviewRow)
                .where(VersionReviewRow.report_uuid == filed[0])
                .values(filing_role="B_acting", acting_for_name="党西村信息员A")
            )

    seed(pull_and_mark)

    window = QWidget()
    qtbot.addWidget(window)
    page = ReviewQueuePage(worker, "zh_CN", ErrorPresenter(window, "zh_CN", None), parent=window)
    window.resize(1366, 700)
    page.resize(1366, 700)
    window.show()
    qtbot.waitUntil(lambda: set(filed) <= set(order(page)), timeout=10_000)
    before = order(page)

    # the columns that say what a report is get their whole text; the times give way
    def fitted() -> bool:
        table = page.table
        return all(
            table.columnWidth(c) >= table.sizeHintForColumn(c)
            for c in (ReviewColumn.EVENT, ReviewColumn.FILED_AS, ReviewColumn.VILLAGE)
        )

    qtbot.waitUntil(fitted, timeout=5_000)
    table, model = page.table, page.model
    widths = sum(table.columnWidth(c) for c in ReviewColumn)
    assert widths <= table.viewport().width()
    line = model.row_of(filed[0])
    assert line is not None
    filed_as = model.index(line, ReviewColumn.FILED_AS)
    assert model.data(filed_as) == "B 代 A（党西村信息员A）报送"
    assert "B 代 A（党西村信息员A）报送" in model.data(filed_as, Qt.ItemDataRole.ToolTipRole)
    received = model.index(line, ReviewColumn.RECEIVED)
    assert model.data(received, Qt.ItemDataRole.ToolTipRole) == model.data(received)
    page.grab().save("/tmp/shots/C_queue_fitted.png")

    # approve the first line: it stays there, marked, and the second is selected
    click_line(page, 0)
    first = page.selected_item()
    assert first is not None and first.report_uuid == before[0]
    approve_selected(qtbot, page)
    qtbot.waitUntil(lambda: page.model.row_at(0).decision_queued, timeout=10_000)
    assert order(page) == before
    assert "待发送" in str(model.data(model.index(0, ReviewColumn.STATUS)))
    selected = page.selected_item()
    assert selected is not None and selected.report_uuid == before[1]

    # return the second with a reason; the decisions go out and a round brings the news
    page.record(selected, DecisionKind.RETURN, REASON)
    qtbot.waitUntil(lambda: page.model.row_at(1).decision_queued, timeout=10_000)
    seed(synced)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        worker.notify(Changes(review=True))
    qtbot.waitUntil(lambda: page.model.row_at(1).status is ReviewStatus.RETURNED, timeout=10_000)
    assert order(page) == before  # decided lines still in place
    assert page.model.row_at(0).status is ReviewStatus.APPROVED
    status = model.index(1, ReviewColumn.STATUS)
    text = str(model.data(status))
    assert text.startswith("已退回") and text.endswith(REASON)  # "已退回：…" once translated
    assert REASON in model.data(status, Qt.ItemDataRole.ToolTipRole)
    selected = page.selected_item()
    assert selected is not None and selected.report_uuid == before[2]
    page.grab().save("/tmp/shots/C_queue_decided.png")

    # the next click at the place of the third line lands on the third report
    click_line(page, 2)
    clicked = page.selected_item()
    assert clicked is not None and clicked.report_uuid == before[2]

    # a refresh by hand puts the queue back in review order: still to decide first
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        page.refresh(reorder=True)
    assert order(page)[0] == before[2]

"""The A/B duty widgets on their own, fed with made-up values (no server, no store)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from informant_app.core.duty.types import AbsenceKind, FilingRole
from informant_app.core.review.service import HistoryEntry
from informant_app.ui.common.duty_labels import (
    UNCOVERED_COLOR,
    filed_as_text,
    filed_as_tooltip,
    open_items_text,
)
from informant_app.ui.common.labels import local_time_text
from informant_app.ui.duty.absence_dialog import AbsenceDialog, AbsentPost
from informant_app.ui.duty.assign_dialog import AssignDialog
from informant_app.ui.duty.banner import DutyBanner
from informant_app.ui.duty.open_event_dialog import OpenEventDialog
from informant_app.ui.duty.post_history_dialog import PostHistoryDialog
from informant_app.ui.duty.roster_model import RosterColumn, RosterModel
from informant_app.ui.reports.history_dialog import HistoryDialog
from tests.informant_app.ui import duty_values as dv
from tests.informant_app.ui.helpers import OTHER_VILLAGE, VILLAGE

LEFT = Qt.MouseButton.LeftButton


def cell(
    model: RosterModel, row: int, column: RosterColumn, role: int = Qt.ItemDataRole.DisplayRole
) -> object:
    return model.data(model.index(row, column), role)


def test_the_roster_shows_the_holders_with_phones_and_who_is_on_duty(qtbot: QtBot) -> None:
    model = RosterModel()
    model.set_posts(dv.posts(), dv.NOW)
    assert model.rowCount() == 3
    assert cell(model, 0, RosterColumn.POST) == "瓦房社区"
    assert cell(model, 0, RosterColumn.A) == "张三 · 13800000001"
    assert cell(model, 0, RosterColumn.B) == "李四 · 13900000002"
    assert cell(model, 0, RosterColumn.ON_DUTY) == "张三 (A)"
    assert cell(model, 0, RosterColumn.ABSENCE) == ""
    # A on leave: B is on duty for A, and the absence says until when and why
    assert cell(model, 1, RosterColumn.B) == "赵六"  # no phone known
    assert cell(model, 1, RosterColumn.ON_DUTY) == "赵六 (B, acting for A 王五)"
    assert cell(model, 1, RosterColumn.ABSENCE) == (
        f"On leave until {local_time_text(dv.UNTIL)}: 家中有事"
    )
    # nobody: said in words and in red
    assert cell(model, 2, RosterColumn.A) == "—"
    assert cell(model, 2, RosterColumn.ON_DUTY) == "Nobody on duty"
    color = cell(model, 2, RosterColumn.ON_DUTY, Qt.ItemDataRole.ForegroundRole)
    assert isinstance(color, QColor) and color.name() == QColor(UNCOVERED_COLOR).name()
    assert "not change it" in str(cell(model, 2, RosterColumn.POST, Qt.ItemDataRole.ToolTipRole))
    upcoming = dv.posts()[0]
    later = dv.LEAVE.__class__(
        **{
            **dv.LEAVE.__dict__,
            "starts_at": dv.NOW + timedelta(days=1),
            "ends_at": dv.NOW + timedelta(days=2),
        }
    )
    model.set_posts([upcoming.__class__(**{**upcoming.__dict__, "upcoming": (later,)})], dv.NOW)
    assert str(cell(model, 0, RosterColumn.ABSENCE)).startswith(
        f"On leave from {local_time_text(later.starts_at)} until"
    )


def test_the_assign_dialog_needs_a_reason_and_confirms_a_replacement(qtbot: QtBot) -> None:
    post = dv.posts()[0]
    dialog = AssignDialog(post, "A")
    qtbot.addWidget(dialog)
    dialog.show()
    assert "张三" in dialog.now_label.text()
    assert dialog.replace_box.isVisible()
    assert not dialog.ok_button.isEnabled()
    dialog.set_candidates(dv.candidates())
    assert dialog.table.rowCount() == 3
    assert not dialog.select("wafang_a")  # holds A already
    assert not dialog.select("wafang_b")  # is B: cannot be both
    assert dialog.select("wafang_c")
    assert not dialog.ok_button.isEnabled()
    assert dialog.problem.text() == "A reason is required."
    dialog.reason.setPlainText("张三调任乡里工作")  # keyClicks types Latin-1 only
    assert not dialog.ok_button.isEnabled()  # the role is held: "replace" must be ticked
    assert "tick “replace”" in dialog.problem.text()
    dialog.replace_box.setChecked(True)
    assert dialog.ok_button.isEnabled()

    QTest.mouseClick(dialog.ok_button, LEFT)
    box = dialog.confirm_box
    assert box is not None and box.isVisible()
    assert "Replace 张三 as A of 瓦房社区 with 孙七" in box.text()
    QTest.mouseClick(box.button(QMessageBox.StandardButton.No), LEFT)
    assert dialog.isVisible() and dialog.result() == 0  # not confirmed: still open

    QTest.mouseClick(dialog.ok_button, LEFT)
    box = dialog.confirm_box
    assert box is not None
    with qtbot.waitSignal(dialog.accepted):
        QTest.mouseClick(box.button(QMessageBox.StandardButton.Yes), LEFT)
    assert (dialog.username(), dialog.reason_text(), dialog.replace()) == (
        "wafang_c",
        "张三调任乡里工作",
        True,
    )


def test_assigning_a_free_role_needs_no_replacement(qtbot: QtBot) -> None:
    post = dv.posts()[2]
    dialog = AssignDialog(post, "B")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.replace_box.isVisible()
    dialog.set_candidates(dv.candidates())
    dialog.filter.setText("孙")
    assert [dialog.table.isRowHidden(r) for r in range(3)] == [True, True, False]
    assert dialog.select("wafang_c")
    QTest.keyClicks(dialog.reason, "new B")
    with qtbot.waitSignal(dialog.accepted):
        QTest.mouseClick(dialog.ok_button, LEFT)
    assert dialog.confirm_box is None and not dialog.replace()
    failed = AssignDialog(post, "A")
    qtbot.addWidget(failed)
    failed.set_failed("离线：需要连接服务器")
    assert failed.status.text() == "离线：需要连接服务器"


def test_the_absence_dialog_refuses_to_before_from_and_needs_a_reason(qtbot: QtBot) -> None:
    dialog = AbsenceDialog([AbsentPost(VILLAGE, "瓦房社区", "张三")], now=dv.NOW)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "张三, A of 瓦房社区" in dialog.intro.text()
    assert not dialog.post.isVisible()  # one post: nothing to choose
    # sensible defaults: from now, to a day later
    assert dialog.starts_at() == dv.NOW
    assert dialog.ends_at() == dv.NOW + timedelta(days=1)
    assert dialog.problem.text() == "A reason is required."
    dialog.reason.setPlainText("县里开会")
    assert dialog.ok_button.isEnabled()

    dialog.ends.setDateTime(
        QDateTime.fromSecsSinceEpoch(int((dv.NOW - timedelta(hours=1)).timestamp()))
    )
    assert not dialog.ok_button.isEnabled()
    assert dialog.problem.text() == "“To” must be after “from”."
    dialog.accept()
    assert dialog.isVisible() and dialog.result() == 0
    dialog.ends.setDateTime(dialog.starts.dateTime())  # equal is not after
    assert not dialog.ok_button.isEnabled()
    dialog.ends.setDateTime(
        QDateTime.fromSecsSinceEpoch(int((dv.NOW + timedelta(days=91)).timestamp()))
    )
    assert dialog.problem.text() == "An absence lasts at most 90 days."

    dialog.ends.setDateTime(
        QDateTime.fromSecsSinceEpoch(int((dv.NOW + timedelta(hours=8)).timestamp()))
    )
    dialog.kind.setCurrentIndex(dialog.kind.findData(AbsenceKind.AWAY.value))
    with qtbot.waitSignal(dialog.accepted):
        QTest.mouseClick(dialog.ok_button, LEFT)
    assert dialog.absence_kind() is AbsenceKind.AWAY
    assert dialog.ends_at() == dv.NOW + timedelta(hours=8)
    assert (dialog.post_code(), dialog.reason_text()) == (VILLAGE, "县里开会")


def test_the_banner_tells_b_whom_they_act_for_why_and_until_when(qtbot: QtBot) -> None:
    banner = DutyBanner("en")
    qtbot.addWidget(banner)
    banner.show_duty([dv.a_on_duty(), dv.b_acting()], [])
    assert banner.isVisible()
    texts = banner.texts()
    assert texts[0] == (
        f"Acting for A (王五) at 水沟洼村: on leave (家中有事), until {local_time_text(dv.UNTIL)}."
    )
    assert banner.labels[0].objectName() == "duty_acting"
    assert texts[1] == "You are A of 瓦房社区: on duty."

    banner.show_duty([], [])
    assert not banner.isVisible()


def test_alerts_come_first_and_say_to_file_now(qtbot: QtBot) -> None:
    banner = DutyBanner("en")
    qtbot.addWidget(banner)
    alert = dv.overdue_alert()
    banner.show_duty([dv.b_acting()], [alert])
    assert banner.labels[0].objectName() == "duty_alert"
    assert banner.texts()[0] == "⚠ 水沟洼村's initial report is overdue: B, file it now."
    chinese = DutyBanner("zh_CN")
    qtbot.addWidget(chinese)
    chinese.show_duty([], [alert])
    assert "请 B 立即报送" in chinese.texts()[0]


def test_the_filed_as_texts() -> None:
    assert filed_as_text(FilingRole.A, None) == "A"
    assert filed_as_text(FilingRole.B_ACTING, "张三") == "B acting for A (张三)"
    assert filed_as_text("B_while_A_on_duty", "张三") == "B while A (张三) was on duty"
    assert filed_as_text(None, "张三") == ""
    assert filed_as_text("something else", None) == ""
    assert filed_as_tooltip(FilingRole.B_WHILE_A_ON_DUTY).startswith(
        "filed by B while A was on duty\n"
    )


def test_the_history_says_in_which_capacity_b_filed(qtbot: QtBot) -> None:
    entries = [
        HistoryEntry(
            "received",
            1,
            "李四",
            "B",
            dv.NOW,
            dv.NOW,
            filing_role=FilingRole.B_ACTING,
            acting_for_name="张三",
        ),
        HistoryEntry("received", 2, "张三", "A", dv.NOW, dv.NOW, filing_role=FilingRole.A),
    ]
    dialog = HistoryDialog("瓦房社区 · 暴雨", entries, "en")
    qtbot.addWidget(dialog)
    assert dialog.texts(3) == ["B post · B acting for A (张三)", "A post"]


def test_the_post_history_lists_assignments_absences_and_handovers(qtbot: QtBot) -> None:
    from informant_app.core.duty.types import AssignmentRecord, PostHistory

    ended = dv.NOW - timedelta(days=1)
    history = PostHistory(
        OTHER_VILLAGE,
        (
            AssignmentRecord(
                7, "A", "old_a", "钱九", dv.NOW - timedelta(days=400), ended, "首任", "调走"
            ),
            AssignmentRecord(3, "A", "shuigou_a", "王五", ended, None, "接任"),
        ),
        (dv.LEAVE,),
        (dv.handover(signed=True),),
    )
    dialog = PostHistoryDialog("水沟洼村: A 王五 · B 赵六", history)
    qtbot.addWidget(dialog)
    assert dialog.texts(dialog.assignments, 1) == ["钱九", "王五"]
    assert dialog.texts(dialog.assignments, 3) == [local_time_text(ended), "now"]
    assert dialog.texts(dialog.assignments, 5) == ["调走", ""]
    assert dialog.texts(dialog.absences, 1) == ["on leave"]
    assert dialog.texts(dialog.handovers, 2) == ["王五 → 赵六"]
    assert dialog.texts(dialog.handovers, 4) == [
        "2 unsent · 1 returned awaiting revision · 1 open event(s)"
    ]
    assert dialog.texts(dialog.handovers, 5)[0].startswith("Signed off by 瓦房乡审核员")


def test_open_items_are_summarised() -> None:
    assert open_items_text({}) == "nothing open"
    assert open_items_text({"unsent_reports": None, "open_events": [{}]}) == "1 open event(s)"


def test_the_open_event_dialog_defaults_to_every_village(qtbot: QtBot) -> None:
    villages = [(VILLAGE, "瓦房社区"), (OTHER_VILLAGE, "水沟洼村")]
    dialog = OpenEventDialog("zh_CN", villages, now=dv.NOW)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.disaster.itemText(0) == "洪涝"  # the contract's label in the UI language
    assert dialog.checked_codes() == [VILLAGE, OTHER_VILLAGE]
    assert not dialog.ok_button.isEnabled()  # no name yet
    dialog.name.setText("12月1日暴雨")
    assert dialog.ok_button.isEnabled()
    assert dialog.village_codes() == ()  # every village: the server takes all with a post
    QTest.mouseClick(dialog.none_button, LEFT)
    assert not dialog.ok_button.isEnabled()
    item = dialog.villages.item(1)
    assert item is not None
    item.setCheckState(Qt.CheckState.Checked)
    assert dialog.village_codes() == (OTHER_VILLAGE,)
    dialog.disaster.setCurrentIndex(dialog.disaster.findData("geological"))
    with qtbot.waitSignal(dialog.accepted):
        QTest.mouseClick(dialog.ok_button, LEFT)
    assert (dialog.event_name(), dialog.disaster_type(), dialog.occurred_at()) == (
        "12月1日暴雨",
        "geological",
        dv.NOW,
    )


def test_the_banner_and_the_filed_as_texts_in_chinese(qtbot: QtBot, chinese: None) -> None:
    banner = DutyBanner("zh_CN")
    qtbot.addWidget(banner)
    banner.show_duty([dv.b_acting(), dv.a_on_duty()], [])
    assert banner.texts() == [
        f"在水沟洼村代 A（王五）值班：请假（家中有事），至 {local_time_text(dv.UNTIL)}。",
        "您是瓦房社区的 A，在岗。",
    ]
    assert filed_as_text(FilingRole.B_ACTING, "张三") == "B 代 A（张三）报送"
    assert filed_as_text(FilingRole.B_WHILE_A_ON_DUTY, "张三") == "B 报送（A 张三 在岗）"

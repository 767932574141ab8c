"""Made-up A/B duty values for the UI tests: posts, absences, my duty, alerts, events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from informant_app.core.duty.types import (
    AbsenceInfo,
    AbsenceKind,
    AlertKind,
    Candidate,
    DutyAlert,
    HandoverInfo,
    MyDuty,
    OpenEvent,
    PostDuty,
    PostHolder,
    VillageDeadline,
    WindowStatus,
)
from sync.contract.duty import Window, WindowState
from tests.informant_app.ui.helpers import OTHER_VILLAGE, VILLAGE

NOW = datetime(2024, 12, 1, 2, 0, tzinfo=UTC)
UNTIL = datetime(2024, 12, 1, 10, 0, tzinfo=UTC)
THIRD_VILLAGE = "530502208203"  # 梅兰山村

ZHANG = PostHolder(1, "A", "wafang_a", "张三", NOW - timedelta(days=300), "13800000001")
LI = PostHolder(2, "B", "wafang_b", "李四", NOW - timedelta(days=200), "13900000002")
WANG = PostHolder(3, "A", "shuigou_a", "王五", NOW - timedelta(days=100), "13700000003")
ZHAO = PostHolder(4, "B", "shuigou_b", "赵六", NOW - timedelta(days=100), None)

LEAVE = AbsenceInfo(
    "abs-1",
    OTHER_VILLAGE,
    "shuigou_a",
    "王五",
    NOW - timedelta(hours=2),
    UNTIL,
    AbsenceKind.LEAVE,
    "家中有事",
    created_by_name="瓦房乡审核员",
)


def posts() -> list[PostDuty]:
    """瓦房社区: A on duty; 水沟洼村: A on leave, B acting; a third village with nobody."""
    return [
        PostDuty(
            VILLAGE, "瓦房社区", "village", (ZHANG, LI), "wafang_a", "张三", "A", manageable=True
        ),
        PostDuty(
            OTHER_VILLAGE,
            "水沟洼村",
            "village",
            (WANG, ZHAO),
            "shuigou_b",
            "赵六",
            "B",
            acting_for_name="王五",
            absence=LEAVE,
            manageable=True,
        ),
        PostDuty(THIRD_VILLAGE, "梅兰山村", "village", (), None, None, None, manageable=False),
    ]


def candidates() -> list[Candidate]:
    return [
        Candidate(
            "wafang_a", "张三", "village_informant", VILLAGE, "13800000001", ((VILLAGE, "A"),)
        ),
        Candidate(
            "wafang_b", "李四", "village_informant", VILLAGE, "13900000002", ((VILLAGE, "B"),)
        ),
        Candidate("wafang_c", "孙七", "village_informant", VILLAGE, "13600000004"),
    ]


def b_acting() -> MyDuty:
    """I am B of 水沟洼村 and stand in for A (王五), who is on leave."""
    return MyDuty(
        OTHER_VILLAGE,
        "水沟洼村",
        "B",
        True,
        acting_for_name="王五",
        absence=LEAVE,
        partner_name="王五",
    )


def a_on_duty() -> MyDuty:
    return MyDuty(VILLAGE, "瓦房社区", "A", True, partner_name="李四")


def overdue_alert() -> DutyAlert:
    return DutyAlert(
        AlertKind.OVERDUE,
        OTHER_VILLAGE,
        "水沟洼村",
        "水沟洼村的初报已超时未报：请 B 立即报送。",
        "水沟洼村's initial report is overdue: B, file it now.",
        event_uuid="ev-1",
        event_name="12月1日暴雨",
        stage="initial",
        due_at=NOW - timedelta(minutes=5),
    )


def _state(
    status: WindowStatus, stage: str = "initial", filed: datetime | None = None
) -> WindowState:
    start = NOW - timedelta(hours=1)
    window = Window(stage, start, start + timedelta(minutes=30), start + timedelta(hours=1))
    return WindowState(window, status, filed)


def open_event() -> OpenEvent:
    villages = (
        VillageDeadline(
            VILLAGE,
            "瓦房社区",
            WindowStatus.FILED,
            (_state(WindowStatus.FILED, filed=NOW - timedelta(minutes=40)),),
            "张三",
        ),
        VillageDeadline(
            OTHER_VILLAGE, "水沟洼村", WindowStatus.OVERDUE, (_state(WindowStatus.OVERDUE),), "赵六"
        ),
        VillageDeadline(
            THIRD_VILLAGE,
            "梅兰山村",
            WindowStatus.ESCALATED,
            (_state(WindowStatus.ESCALATED),),
            None,
        ),
        VillageDeadline(
            "530502208204", "党东村", WindowStatus.WAITING, (_state(WindowStatus.WAITING),), "周八"
        ),
    )
    return OpenEvent(
        "ev-1", "12月1日暴雨", "530502208000", "flood", NOW - timedelta(hours=1), villages
    )


def handover(signed: bool = False) -> HandoverInfo:
    return HandoverInfo(
        "ho-1",
        OTHER_VILLAGE,
        "水沟洼村",
        "absence",
        "王五",
        "赵六",
        "家中有事",
        NOW - timedelta(hours=2),
        {
            "unsent_reports": [{"report_uuid": "r1"}, {"report_uuid": "r2"}],
            "returned_reports": [
                {
                    "report_uuid": "r3",
                    "version_uuid": "v3",
                    "event_name": "11月暴雨",
                    "stage": "initial",
                }
            ],
            "open_events": [{"event_uuid": "ev-1", "event_name": "12月1日暴雨"}],
        },
        signed_off_name="瓦房乡审核员" if signed else None,
        signed_off_at=NOW if signed else None,
    )

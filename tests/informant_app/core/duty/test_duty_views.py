"""Who is on duty and in which role one would file, offline, at a given moment.

瓦房社区: A is zhang (张三), B is li (李四).  Leave from T0+1h to T0+5h unless said otherwise.
"""

from __future__ import annotations

from datetime import timedelta

from informant_app.core.account.online import save_cache
from informant_app.core.duty.service import (
    AbsenceKind,
    AlertKind,
    FilingRole,
    duty_alerts,
    filing_role_for,
    my_duty,
    roster_posts,
)
from informant_app.core.store.duty_views import ROSTER_KEY
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_state import sync_state
from tests.informant_app.core.duty_helpers import (
    OTHER_VILLAGE,
    T0,
    TOWNSHIP,
    VILLAGE,
    a_and_b,
    absence,
    at,
    roster,
    sign_in,
)
from tests.informant_app.core.review.test_review_store import play

LEAVE = absence("ab-1", starts=at(60), ends=at(300), reason="探亲")


def test_b_files_while_a_is_on_duty_and_acts_during_the_leave(store: ReportStore) -> None:
    sign_in(store, "li")
    play(store, *a_and_b(), LEAVE)
    assert filing_role_for(store, VILLAGE, at(30)) is FilingRole.B_WHILE_A_ON_DUTY
    [before] = my_duty(store, at(30))
    assert (before.my_role, before.on_duty, before.partner_name) == ("B", False, "张三")
    assert before.acting_for_name is None and before.absence is None

    assert filing_role_for(store, VILLAGE, at(120)) is FilingRole.B_ACTING
    [during] = my_duty(store, at(120))
    assert (during.on_duty, during.acting_for_name) == (True, "张三")
    assert during.absence is not None
    assert (during.absence.reason, during.absence.kind, during.absence.ends_at) == (
        "探亲",
        AbsenceKind.LEAVE,
        at(300),
    )

    assert filing_role_for(store, VILLAGE, at(300)) is FilingRole.B_WHILE_A_ON_DUTY  # back
    assert filing_role_for(store, OTHER_VILLAGE, at(120)) is None  # no post there


def test_a_leave_ended_early_gives_the_post_back(store: ReportStore) -> None:
    sign_in(store, "li")
    play(store, *a_and_b(), LEAVE, absence("ab-1", starts=at(60), ends=at(300), ended=at(150)))
    assert filing_role_for(store, VILLAGE, at(120)) is FilingRole.B_ACTING  # before the return
    assert filing_role_for(store, VILLAGE, at(160)) is FilingRole.B_WHILE_A_ON_DUTY
    [mine] = my_duty(store, at(160))
    assert not mine.on_duty and mine.absence is None


def test_a_away_is_off_duty_but_still_files_as_a(store: ReportStore) -> None:
    sign_in(store, "zhang", posts=((VILLAGE, "A"),))
    play(store, *a_and_b(), LEAVE)
    [mine] = my_duty(store, at(120))
    assert (mine.my_role, mine.on_duty, mine.partner_name) == ("A", False, "李四")
    assert mine.absence is not None and mine.absence.absence_uuid == "ab-1"
    assert filing_role_for(store, VILLAGE, at(120)) is FilingRole.A
    [back] = my_duty(store, at(400))
    assert back.on_duty and back.absence is None


def test_with_no_b_nobody_is_on_duty_while_a_is_away(store: ReportStore) -> None:
    sign_in(store, "zhang", posts=((VILLAGE, "A"),))
    play(store, roster(1, "zhang", "A", "张三"), LEAVE)
    [post] = roster_posts(store, at(120))
    assert post.on_duty_username is None and post.absence is not None
    [alert] = duty_alerts(store, at(120))
    assert (alert.kind, alert.post_code) == (AlertKind.UNCOVERED, VILLAGE)
    assert "没有 B" in alert.zh and "请联系乡镇指定 B" in alert.zh
    assert "nobody is on duty" in alert.en
    assert duty_alerts(store, at(30)) == []  # before the leave A is on duty


def test_an_ended_assignment_no_longer_counts(store: ReportStore) -> None:
    sign_in(store, "li")
    play(store, roster(1, "zhang", "A", "张三", until=at(60)), roster(2, "li", "B", "李四"))
    assert filing_role_for(store, VILLAGE, at(30)) is FilingRole.B_WHILE_A_ON_DUTY
    assert filing_role_for(store, VILLAGE, at(90)) is FilingRole.B_ACTING  # no A: B alone
    [mine] = my_duty(store, at(90))
    assert mine.on_duty and mine.acting_for_name is None and mine.partner_name is None


def test_not_signed_in_there_is_no_duty(store: ReportStore) -> None:
    assert my_duty(store, T0) == []
    assert filing_role_for(store, VILLAGE, T0) is None
    assert roster_posts(store, T0) == []
    assert duty_alerts(store, T0) == []


def test_the_reviewer_sees_the_village_posts_and_the_ones_without_holders(
    store: ReportStore,
) -> None:
    sign_in(store, "reviewer", role="township_reviewer", posts=((TOWNSHIP, "A"),))
    play(store, *a_and_b(), LEAVE, roster(9, "reviewer", "A", "瓦房乡应急办", post=TOWNSHIP))
    save_cache(
        store,
        ROSTER_KEY,
        "duty_roster",
        {
            "under": None,
            "posts": [
                {
                    "division_code": VILLAGE,
                    "division_name": "瓦房社区",
                    "level": "village",
                    "holders": [],
                    "absences": [],
                    "manageable": True,
                },
                {
                    "division_code": OTHER_VILLAGE,
                    "division_name": "水沟洼村",
                    "level": "village",
                    "holders": [],
                    "absences": [],
                    "manageable": False,
                },
                {
                    "division_code": TOWNSHIP,
                    "division_name": "瓦房彝族苗族乡",
                    "level": "township",
                    "holders": [],
                    "absences": [],
                    "manageable": False,
                },
            ],
        },
    )
    posts = {p.post_code: p for p in roster_posts(store, at(120))}
    assert sorted(posts) == [VILLAGE, OTHER_VILLAGE]  # village posts only
    wafang, shuigou = posts[VILLAGE], posts[OTHER_VILLAGE]
    assert [h.username for h in wafang.holders] == ["zhang", "li"]
    assert (wafang.on_duty_username, wafang.on_duty_role, wafang.acting_for_name) == (
        "li",
        "B",
        "张三",
    )
    assert wafang.absence is not None and wafang.manageable
    assert shuigou.holders == () and shuigou.on_duty_username is None
    assert not shuigou.manageable
    upcoming = next(p for p in roster_posts(store, at(30)) if p.post_code == VILLAGE)
    assert [a.absence_uuid for a in upcoming.upcoming] == ["ab-1"] and upcoming.absence is None


def test_clock_skew_moves_the_moment_judged(store: ReportStore) -> None:
    sign_in(store, "li")
    play(store, *a_and_b(), LEAVE)
    with store.write_session() as s, s.begin():
        sync_state(s).clock_skew_seconds = timedelta(hours=2).total_seconds()  # device ahead
    # Device 03:00 after T0 is server 01:00 after T0: still within the leave.
    assert filing_role_for(store, VILLAGE, at(180)) is FilingRole.B_ACTING
    assert filing_role_for(store, VILLAGE, at(400)) is FilingRole.B_ACTING  # server 04:40
    assert filing_role_for(store, VILLAGE, at(430)) is FilingRole.B_WHILE_A_ON_DUTY

"""The online duty actions refuse on the device what needs no server to refuse, in both
languages, and say plainly when there is no server (the round trips are in
``tests/integration/test_duty_flow.py``, against the real city server)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from informant_app.core.duty.service import (
    AbsenceKind,
    FilingRole,
    ReviewOfflineError,
    ReviewRefusedError,
    describe_filing,
    mark_absent,
    open_event,
    refresh_duty,
    refresh_roster,
)
from informant_app.core.store.report_store import ReportStore
from tests.informant_app.core.duty_helpers import OTHER_VILLAGE, T0, TOWNSHIP, VILLAGE, sign_in


def test_without_sign_in_the_server_cannot_be_asked(store: ReportStore) -> None:
    for action in (refresh_roster, refresh_duty):
        with pytest.raises(ReviewOfflineError) as err:
            action(store)
        assert "登录" in err.value.zh and "sign" in err.value.en


def test_signed_in_without_a_token_says_so(store: ReportStore) -> None:
    sign_in(store, "li")
    with pytest.raises(ReviewOfflineError) as err:
        refresh_roster(store)
    assert "凭证" in err.value.zh and "token" in err.value.en


@pytest.mark.parametrize(
    ("starts", "ends", "reason", "code"),
    [
        (T0, T0 + timedelta(days=1), "  ", "reason_required"),
        (T0, T0, "探亲", "bad_period"),
        (T0, T0 - timedelta(hours=1), "探亲", "bad_period"),
        (T0, T0 + timedelta(days=91), "探亲", "bad_period"),
        (T0.replace(tzinfo=None), T0 + timedelta(days=1), "探亲", "bad_time"),
    ],
)
def test_a_bad_absence_is_refused_before_any_request(
    store: ReportStore, starts: object, ends: object, reason: str, code: str
) -> None:
    sign_in(store, "zhang", posts=((VILLAGE, "A"),))
    with pytest.raises(ReviewRefusedError) as err:
        mark_absent(store, VILLAGE, starts, ends, AbsenceKind.LEAVE, reason)  # type: ignore[arg-type]
    assert err.value.code == code and err.value.zh and err.value.en


def test_only_a_township_reviewer_opens_events_of_their_villages(store: ReportStore) -> None:
    sign_in(store, "li")
    with pytest.raises(ReviewRefusedError) as err:
        open_event(store, "山洪", "flood", T0)
    assert err.value.code == "not_reviewer"
    sign_in(store, "reviewer", role="township_reviewer", posts=((TOWNSHIP, "A"),))
    for name, kind, villages, code in (
        ("", "flood", (), "validation_failed"),
        ("山洪", "meteor", (), "validation_failed"),
        ("山洪", "flood", (VILLAGE, "530502106201"), "not_in_township"),
    ):
        with pytest.raises(ReviewRefusedError) as err:
            open_event(store, name, kind, T0, villages)
        assert err.value.code == code
    with pytest.raises(ReviewOfflineError):  # valid: it needs the server now
        open_event(store, "山洪", "flood", T0, (VILLAGE, OTHER_VILLAGE))


def test_a_filing_reads_plainly() -> None:
    assert describe_filing(FilingRole.B_ACTING, "张三", AbsenceKind.LEAVE) == (
        "B 代 A 报送（张三 请假）",
        "filed by B acting for A (张三, on leave)",
    )
    assert describe_filing(FilingRole.B_WHILE_A_ON_DUTY, "张三") == (
        "B 报送（A 张三 在岗）",
        "filed by B while A (张三) was on duty",
    )
    assert describe_filing(FilingRole.A, "张三") == ("A 报送", "filed by A")
    assert describe_filing(None) == ("", "")

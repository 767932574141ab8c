"""Submitting records the filing role this device judges: B filing while A is on duty is
allowed and flagged before anything is sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from informant_app.core.duty.service import FilingRole, filing_role_for
from informant_app.core.review.service import report_history
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportFilter, ReportState
from informant_app.core.sync.engine import version_info
from tests.informant_app.core.conftest import PROFILE, fill
from tests.informant_app.core.duty_helpers import VILLAGE, a_and_b, absence, sign_in
from tests.informant_app.core.review.test_review_store import play


def submit(store: ReportStore) -> tuple[str, str]:
    draft = store.new_draft(village_code=VILLAGE)
    store.save_draft(draft.version_uuid, fill(draft.content))
    result = store.submit(draft.version_uuid)
    assert result.ok, result.issues
    return draft.report_uuid, draft.version_uuid


def test_b_filing_while_a_is_on_duty_is_allowed_and_flagged(store: ReportStore) -> None:
    sign_in(store, "li")
    play(store, *a_and_b())
    assert filing_role_for(store, VILLAGE) is FilingRole.B_WHILE_A_ON_DUTY  # the UI's check
    report, version = submit(store)
    [row] = store.report_rows(ReportFilter(), 0, 10)
    assert row.state is ReportState.QUEUED
    assert (row.filing_role, row.acting_for_name) == (FilingRole.B_WHILE_A_ON_DUTY, "张三")
    info = version_info(store, version)
    assert info.filing_role_here is FilingRole.B_WHILE_A_ON_DUTY
    assert info.filing_role is FilingRole.B_WHILE_A_ON_DUTY  # the server has not said yet
    [entry] = report_history(store, report, fetch=False)
    assert (entry.event, entry.filing_role) == ("submitted", FilingRole.B_WHILE_A_ON_DUTY)


def test_b_filing_during_a_leave_acts_for_a(store: ReportStore) -> None:
    sign_in(store, "li")
    now = datetime.now(UTC)
    play(
        store,
        *a_and_b(),
        absence("ab-1", starts=now - timedelta(hours=1), ends=now + timedelta(days=1)),
    )
    submit(store)
    [row] = store.report_rows(ReportFilter(), 0, 10)
    assert (row.filing_role, row.acting_for_name) == (FilingRole.B_ACTING, "张三")


def test_a_files_as_a(store: ReportStore) -> None:
    sign_in(store, "zhang", posts=((VILLAGE, "A"),))
    play(store, *a_and_b())
    submit(store)
    [row] = store.report_rows(ReportFilter(), 0, 10)
    assert (row.filing_role, row.acting_for_name) == (FilingRole.A, None)


def test_without_sign_in_no_role_is_judged(store: ReportStore) -> None:
    store.save_profile(PROFILE)
    submit(store)
    [row] = store.report_rows(ReportFilter(), 0, 10)
    assert row.filing_role is None

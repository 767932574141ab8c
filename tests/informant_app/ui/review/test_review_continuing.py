"""The reviewer compares a continuing report with the village's earlier report of the event.

The review dialog compared a 续报 against "(no previous report)" although the 初报 of the same
event and village had been approved.  A real city server; the village files through the core.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from informant_app.core.review.service import DecisionKind, ReviewDetail, review_detail
from informant_app.core.store.report_store import ReportStore
from informant_app.ui.review.detail_dialog import ReviewDetailDialog
from informant_app.ui.review.rows import ReviewRow, review_rows
from tests.informant_app.ui.review_story import FIRST_FIGURES, Device, synced
from tests.support.city_server import CityServer

CONTINUING_FIGURES = {**FIRST_FIGURES, "affected_pop": 150}


def test_a_continuing_report_is_compared_with_the_approved_initial_report(
    qtbot: QtBot, tmp_path: Path, city_server: CityServer
) -> None:
    """Against the approved 初报; after a return, still against the approved figures."""
    village = Device(tmp_path / "wafang-a", city_server, "wafang_a").sign_in()
    reviewer = Device(tmp_path / "reviewer", city_server, "wafang_reviewer").sign_in()
    _report, initial = village.file()
    reviewer.decide(initial, DecisionKind.APPROVE)
    event_uuid, _name = village.event_of(initial)
    first = file_continuing(village, event_uuid, initial, CONTINUING_FIGURES)
    detail = reviewer_detail(reviewer, first)
    assert detail.previous_version_uuid == initial
    dialog = ReviewDetailDialog(detail, "en")
    qtbot.addWidget(dialog)
    header = dialog.table.horizontalHeaderItem(2)
    assert header is not None and header.text() == "Previous report"
    line = next(r for r in dialog.rows if r.key == "affected_pop")
    assert (line.previous, line.current, line.changed) == ("120", "150", True)

    # the township returns that continuing report; the next one is compared with the figures
    # the township approved (the initial report), not with the returned ones
    reviewer.decide(first, DecisionKind.RETURN, "受灾人口与乡镇核查不符")
    second = file_continuing(village, event_uuid, initial, {**FIRST_FIGURES, "affected_pop": 160})
    detail = reviewer_detail(reviewer, second)
    assert detail.previous_version_uuid == initial
    line = next(r for r in review_rows_of(detail) if r.key == "affected_pop")
    assert (line.previous, line.current) == ("120", "160")


def file_continuing(village: Device, event_uuid: str, initial: str, figures: dict[str, Any]) -> str:
    """File a continuing report of the initial report's event and village; return its version."""
    with ReportStore.open(village.folder) as store:
        synced(store)  # the village learns of the decisions
        village_code = store.version_content(initial).village_code
        draft = store.new_continuing(event_uuid, village_code)
        content = dict(draft.content)
        content["figures"] = dict(figures)
        content["narrative"] = "续报：受灾人口有变化。"
        store.save_draft(draft.version_uuid, content)
        result = store.submit(draft.version_uuid)
        assert result.ok, result.issues
        synced(store)
    return draft.version_uuid


def reviewer_detail(reviewer: Device, version_uuid: str) -> ReviewDetail:
    with ReportStore.open(reviewer.folder) as store:
        synced(store)
        return review_detail(store, version_uuid)


def review_rows_of(detail: ReviewDetail) -> list[ReviewRow]:
    return review_rows(detail.content, detail.previous, detail.changed_fields, "en")

"""Shared values of the UI tests: the informant's profile and valid report content."""

from __future__ import annotations

from typing import Any

from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportFilter, ReportState
from tests.support.accounts import informant_profile
from tests.support.places import SHUIGOU, WAFANG, WAFANG_TOWNSHIP

VILLAGE = WAFANG  # 瓦房社区
OTHER_VILLAGE = SHUIGOU  # 水沟洼村
PROFILE = informant_profile(post_code=WAFANG_TOWNSHIP)


def valid_content(content: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """Return draft content made into a small valid flood report, with ``changes``."""
    data = dict(content)
    data.update(
        disaster_type="flood",
        village_code=VILLAGE,
        narrative="Heavy rain flooded the fields by the river.",
        figures={
            "affected_pop": 120,
            "crop_affected_ha": 30,
            "crop_damaged_ha": 10,
            "crop_failed_ha": 5,
        },
    )
    data.update(changes)
    return data


def submitted_report(store: ReportStore, **changes: Any) -> str:
    """File a valid report; return its version uuid."""
    draft = store.new_draft()
    store.save_draft(draft.version_uuid, valid_content(draft.content, **changes))
    result = store.submit(draft.version_uuid)
    assert result.ok, result.issues
    return draft.version_uuid


def state_of(store: ReportStore, version_uuid: str) -> ReportState:
    """Return the state of a version shown on the list."""
    return next(
        r.state
        for r in store.report_rows(ReportFilter(), 0, 1000)
        if r.version_uuid == version_uuid
    )


def report_of(store: ReportStore, version_uuid: str) -> str:
    """Return the report uuid of a version."""
    return next(
        r.report_uuid
        for r in store.report_rows(ReportFilter(), 0, 1000)
        if r.version_uuid == version_uuid
    )

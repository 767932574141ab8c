"""The village's side of review, as worker jobs: a version with the township's decision on it.

These run on the task manager's ``db`` lane; the main window shows their results (the
returned reason and field comments on the form).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from informant_app.core.review.service import (
    Decision,
    DecisionKind,
    latest_decision,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import Draft


@dataclass(frozen=True)
class VersionToShow:
    """A submitted version's content and the township's latest decision on that version."""

    version_uuid: str
    content: dict[str, Any]
    decision: Decision | None


def load_version(store: ReportStore, version_uuid: str, report_uuid: str) -> VersionToShow:
    """Return a submitted version with the decision that judged it (runs on the worker)."""
    content = store.version_content(version_uuid).to_dict()
    decision = latest_decision(store, report_uuid)
    if decision is not None and decision.version_uuid != version_uuid:
        decision = None
    return VersionToShow(version_uuid, content, decision)


def decision_for_draft(store: ReportStore, draft: Draft) -> Decision | None:
    """Return the return decision a revision answers: the one on the version it revises."""
    if draft.parent_version_uuid is None:
        return None
    decision = latest_decision(store, draft.report_uuid)
    if (
        decision is None
        or decision.kind is not DecisionKind.RETURN
        or decision.version_uuid != draft.parent_version_uuid
    ):
        return None
    return decision

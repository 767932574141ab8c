"""The change feed devices pull by cursor (``GET /changes``).

Each change is a struct tagged by ``kind``.  A change of a kind this app does not know, or one
that does not fit its type, reaches the core as an ``UnreadChange`` (the core skips it with a
log line), so a newer server's feed never stops an older app.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from sync.contract.wire.base import Time, Wire
from sync.contract.wire.duty import (
    AbsenceFields,
    AbsenceKind,
    Assignment,
    HandoverFields,
    HandoverKind,
    Opening,
)
from sync.contract.wire.review import FilingRole, Review
from sync.contract.wire.unit_reports import UnitDecision

__all__ = [
    "AbsenceChange",
    "Change",
    "Changes",
    "DecisionChange",
    "EventOpeningChange",
    "HandoverChange",
    "ReportVersionChange",
    "RosterChange",
    "TownshipReportChange",
    "UnitDecisionChange",
    "UnreadChange",
    "change_kind",
]


class ReportVersionChange(Wire, frozen=True, kw_only=True, tag_field="kind", tag="report_version"):
    """A report version was stored (accepted or as a conflict)."""

    changed_at: Time
    version_uuid: str
    report_uuid: str
    parent_version_uuid: str | None
    version_no: int
    status: Literal["accepted", "conflict"]
    village_code: str
    content_hash: str
    content: dict[str, Any]
    submitted_by: str
    server_received_at: Time
    current_version_uuid: str | None = None
    submitted_by_name: str = ""
    post_role: str | None = None
    filing_role: FilingRole | None = None
    acting_for_name: str | None = None
    #: Set when the server corrected the filing time the device claimed (``content`` keeps
    #: the claim): why, and the filing time the server keeps (docs/security.md).
    time_flag: Literal["skew_corrected", "future", "too_old"] | None = None
    filed_at: Time | None = None


class RosterChange(Assignment, frozen=True, kw_only=True, tag_field="kind", tag="roster"):
    """An assignment began or ended."""

    changed_at: Time


class AbsenceChange(AbsenceFields, frozen=True, kw_only=True, tag_field="kind", tag="absence"):
    """An absence was marked, ended early, or cut (its own kind is ``absence_kind``)."""

    absence_kind: AbsenceKind
    changed_at: Time


class HandoverChange(HandoverFields, frozen=True, kw_only=True, tag_field="kind", tag="handover"):
    """A post was handed over, or the handover signed off (its kind is ``handover_kind``)."""

    handover_kind: HandoverKind
    changed_at: Time


class EventOpeningChange(Opening, frozen=True, kw_only=True, tag_field="kind", tag="event_opening"):
    """A township opened an event for villages (or added villages, or closed it)."""

    changed_at: Time


class DecisionChange(Review, frozen=True, kw_only=True, tag_field="kind", tag="decision"):
    """A township reviewer decided on a version (apply it only when ``applied``)."""

    changed_at: Time


class TownshipReportChange(
    Wire, frozen=True, kw_only=True, tag_field="kind", tag="township_report"
):
    """A township report was submitted upward."""

    changed_at: Time
    submission_uuid: str
    township_code: str
    township_name: str
    event_uuid: str
    event_name: str
    stage: str
    figures: dict[str, int | float | str]
    villages: list[dict[str, Any]]
    adjustments: list[dict[str, Any]]
    submitted_by: str
    submitted_by_name: str
    post_role: str | None
    device_id: str
    server_received_at: Time


class UnitDecisionChange(
    UnitDecision, frozen=True, kw_only=True, tag_field="kind", tag="unit_decision"
):
    """A county passed or returned a township report, or the city a county report."""

    changed_at: Time


Change = (
    ReportVersionChange
    | RosterChange
    | DecisionChange
    | TownshipReportChange
    | AbsenceChange
    | HandoverChange
    | EventOpeningChange
    | UnitDecisionChange
)


class UnreadChange(Wire, frozen=True, kw_only=True):
    """A change the app cannot read: an unknown kind, or a known kind that does not fit."""

    kind: object
    raw: dict[str, Any]
    problem: str


class Changes(Wire, frozen=True, kw_only=True):
    """``GET /changes``: a page of changes; keep ``cursor`` and pull again while ``has_more``."""

    changes: list[Change]
    cursor: str
    has_more: bool


class ChangesPage(Wire, frozen=True, kw_only=True):
    """A page as the client hands it on: every change typed, or an ``UnreadChange``.

    ``texts``: each report version's content as the canonical JSON text the server sent,
    checked against its ``content_hash``, by ``version_uuid`` (kept as received).
    """

    changes: list[Change | UnreadChange]
    cursor: str
    has_more: bool
    texts: dict[str, str] = msgspec.field(default_factory=dict)


def change_kind(change: Change | UnreadChange) -> object:
    """Return the ``kind`` of a change as it was on the wire."""
    if isinstance(change, UnreadChange):
        return change.kind
    return type(change).__struct_config__.tag

"""Township review on the reviewer's device: the queue, decisions, history and the township report.

Decisions are local first: ``decide`` stores the decision and its outbox entry in one
transaction and the sync engine pushes it like a report.  The township report and the
completeness panel are the server's computation, fetched online and cached for offline reading.

This module is the interface the UI codes against: the values (``review_types``) and one
function per use, each implemented in a small module of its own (``store.review_queue``,
``review_decide``, ``review_history``, ``township``, ``township_export``).  Every function
works on the store from the worker thread; the online ones (township report, adjustments,
submission, completeness; the history when the server answers quickly) make requests.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from informant_app.core.review import decide as review_decide
from informant_app.core.review import history as review_history
from informant_app.core.review.types import (
    Decision,
    DecisionKind,
    DecisionRefusedError,
    DecisionSyncState,
    HistoryEntry,
    ReviewDetail,
    ReviewFilter,
    ReviewItem,
    ReviewOfflineError,
    ReviewRefusedError,
    ReviewStatus,
    ReviewUnavailableError,
    TownshipAdjustment,
    TownshipReport,
    TownshipTotalMismatchError,
    TownshipVillageRow,
    VillageCompleteness,
)
from informant_app.core.store import review_queue as _queue
from informant_app.core.store.report_store import ReportStore
from informant_app.core.township import report as township
from sync.contract import ReportStage

__all__ = [
    "Decision",
    "DecisionKind",
    "DecisionRefusedError",
    "DecisionSyncState",
    "HistoryEntry",
    "ReviewDetail",
    "ReviewFilter",
    "ReviewItem",
    "ReviewOfflineError",
    "ReviewRefusedError",
    "ReviewStatus",
    "ReviewUnavailableError",
    "TownshipAdjustment",
    "TownshipReport",
    "TownshipTotalMismatchError",
    "TownshipVillageRow",
    "VillageCompleteness",
    "add_adjustment",
    "count_review_queue",
    "decide",
    "export_township_report",
    "fetch_completeness",
    "fetch_township_report",
    "latest_decision",
    "report_history",
    "review_deadline",
    "review_detail",
    "review_queue",
    "set_review_deadline",
    "submit_township_report",
]


def review_queue(
    store: ReportStore, filt: ReviewFilter, offset: int, limit: int
) -> list[ReviewItem]:
    """Return a page of the queue: overdue first, then oldest waiting first, then the rest.

    The rest (returned and approved) come newest first.  Overdue: pending longer than
    ``review_deadline`` on the server's clock (as estimated at the last sync).
    """
    return _queue.queue_page(store, filt, offset, limit)


def count_review_queue(store: ReportStore, filt: ReviewFilter) -> int:
    """Return how many reports the queue shows under ``filt``."""
    return _queue.queue_count(store, filt)


def review_detail(store: ReportStore, version_uuid: str) -> ReviewDetail:
    """Return the detail view of a version (KeyError if unknown).

    ``issues`` come from ``sync.contract.validate`` (rule 9 against the previous report of
    the same event and village); ``notes`` holds the informant's note of each warning.
    ``history`` is the report's history as kept here (no request: the server's copy from the
    last time it was asked, see ``report_history``), with each version's sign-in path and
    filing-time correction.
    """
    detail = _queue.detail(store, version_uuid)
    return replace(detail, history=review_history.kept_history(store, detail.item.report_uuid))


def review_deadline(store: ReportStore) -> timedelta:
    """Return how long a report may wait for review before it is overdue (default 1 hour)."""
    return _queue.review_deadline(store)


def set_review_deadline(store: ReportStore, deadline: timedelta) -> None:
    """Set the review deadline of this device (``ValueError`` unless positive)."""
    _queue.set_review_deadline(store, deadline)


def decide(
    store: ReportStore,
    version_uuid: str,
    kind: DecisionKind,
    reason: str = "",
    field_comments: dict[str, str] | None = None,
) -> Decision:
    """Record a decision and queue it for the server, in one transaction (works offline).

    A return needs a non-blank reason (``BilingualError`` otherwise).

    Raises:
        KeyError: no version of that id came from the server.
        DecisionRefusedError: not a township reviewer's device, the village is outside the
            township, a blank return reason, a comment on an unknown field, the version is
            approved (frozen) or known to be superseded.
    """
    return review_decide.record_decision(store, version_uuid, kind, reason, field_comments)


def latest_decision(store: ReportStore, report_uuid: str) -> Decision | None:
    """Return the latest decision on the report's versions (the village sees why it came back).

    Decisions the server applied, and decisions made on this device (whatever became of
    them), in the order this device learnt of them.
    """
    return review_decide.latest(store, report_uuid)


def report_history(
    store: ReportStore, report_uuid: str, *, fetch: bool = True
) -> list[HistoryEntry]:
    """Return every state change of the report, in server order where known.

    With ``fetch`` the server's history is asked first (a few seconds at most, skipped when
    the last sync round found no server) and kept for offline reading.
    """
    return review_history.history(store, report_uuid, fetch)


def fetch_township_report(
    store: ReportStore, event_uuid: str, stage: ReportStage, *, township_code: str | None = None
) -> TownshipReport:
    """Fetch the township report from the server and cache it; offline, the cached copy.

    Offline, return the cached copy (``from_cache=True``) or raise ``ReviewUnavailableError``.
    ``township_code`` defaults to the signed-in reviewer's township.
    """
    return township.fetch_report(store, event_uuid, stage, township_code)


def add_adjustment(
    store: ReportStore, event_uuid: str, stage: ReportStage, field: str, delta: Decimal, reason: str
) -> TownshipReport:
    """Record a township adjustment on the server (online; reason required).

    Returns the new report.

    Raises:
        ReviewOfflineError: the server cannot be reached.
        ReviewRefusedError: no reason, an unknown indicator, a bad delta, or not a reviewer.
    """
    return township.add_adjustment(store, event_uuid, stage, field, delta, reason)


def submit_township_report(store: ReportStore, report: TownshipReport) -> TownshipReport:
    """Submit the township report upward with the total the reviewer saw (online).

    The server refuses a total that no longer adds up (``BilingualError`` with its message).
    Submitting the same ``report`` again is idempotent (its ``submission_uuid``).

    Raises:
        TownshipTotalMismatchError: the server's 409 ``township_total_mismatch``, with the
            server's total and the rule-12 issues.
        ReviewOfflineError: the server cannot be reached.
        ReviewRefusedError: any other refusal.
    """
    return township.submit_report(store, report)


def fetch_completeness(
    store: ReportStore, event_uuid: str | None = None, day: str | date | None = None
) -> list[VillageCompleteness]:
    """Return every village of the township and whether it reported (online, cached).

    ``day`` is a China-time date (``YYYY-MM-DD``); without an event and a day, today.
    """
    return township.fetch_completeness(store, event_uuid, day)


def export_township_report(
    report: TownshipReport, path: str, fmt: str, store: ReportStore | None = None
) -> None:
    """Write the township quick report (快报表) on the national form as ``xlsx`` or ``csv``.

    The form's header, one row per village, the total row, the narrative and the sign-off
    footer (see ``township_export``); with ``store``, the villages' narratives and name
    ledgers kept on this device and the signed-in filer (``national_form.township_form``).
    """
    # imported here: the writers (xlsxwriter) are not needed until a report is exported
    from informant_app.core.township import export as _export
    from informant_app.core.township import national_form as _national_form

    if store is None:
        _export.export(report, path, fmt)
    else:
        _export.export_form(_national_form.township_form(store, report), path, fmt)

"""The reviewer's queue as a lazily filled table model: pages come from the worker.

Filtering and ordering (overdue first) happen in the core (``count_review_queue`` /
``review_queue``); the model holds only the pages the view has asked for.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont
from typing_extensions import override

from informant_app.core.review import (
    ReviewFilter,
    ReviewItem,
    ReviewStatus,
    count_review_queue,
    review_queue,
)
from informant_app.core.store import ReportStore
from informant_app.ui.labels import figure_text, local_time_text, stage_label, village_name
from informant_app.ui.review_labels import (
    OVERDUE_COLOR,
    QUEUED_COLOR,
    REVIEW_COLORS,
    decision_label,
    overdue_label,
    person_label,
    queued_label,
    review_icon,
    review_status_label,
)
from informant_app.ui.worker import DbWorker

#: Rows asked for at a time.
PAGE_SIZE = 200

Index = QModelIndex | QPersistentModelIndex


class ReviewColumn(IntEnum):
    """The queue's columns, in display order."""

    STATUS = 0
    VILLAGE = 1
    EVENT = 2
    STAGE = 3
    FILED_BY = 4
    SUBMITTED = 5
    RECEIVED = 6
    AFFECTED = 7
    DIRECT_LOSS = 8
    WARNINGS = 9


_NUMERIC = {ReviewColumn.AFFECTED, ReviewColumn.DIRECT_LOSS, ReviewColumn.WARNINGS}


def status_text(item: ReviewItem) -> str:
    """Return the status cell: the review status, with "overdue" when late.

    A decision made here and not yet sent shows instead, marked: "Returned · To send".
    """
    if item.decision_queued:
        decided = (decision_label(item.queued_kind) if item.queued_kind is not None
                   else review_status_label(item.status))
        return f"{decided} · {queued_label()}"
    if item.overdue and item.status is ReviewStatus.PENDING:
        return f"{review_status_label(item.status)} · {overdue_label()}"
    return review_status_label(item.status)


class ReviewQueueModel(QAbstractTableModel):
    """The township's village reports waiting for review (and those decided), page by page.

    Signals:
        loaded(): rows arrived (a first page, a further page or a refresh).
    """

    loaded = Signal()

    def __init__(self, worker: DbWorker, lang: str, page_size: int = PAGE_SIZE,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._lang = lang
        self._page_size = page_size
        self._filter = ReviewFilter()
        self._rows: list[ReviewItem] = []
        self._total = 0
        self._generation = 0  # bumped on every reload; stale pages are dropped
        self._fetching = False

    # --- loading -------------------------------------------------------------------------

    @property
    def review_filter(self) -> ReviewFilter:
        """The filter in force."""
        return self._filter

    @property
    def total(self) -> int:
        """How many reports match the filter (loaded or not)."""
        return self._total

    @property
    def loading(self) -> bool:
        """Whether a request is on its way."""
        return self._fetching

    def set_filter(self, filt: ReviewFilter) -> None:
        """Show the queue under ``filt``: empty the table and load its first page."""
        self._filter = filt
        self.beginResetModel()
        self._rows = []
        self._total = 0
        self.endResetModel()
        self._reload(self._page_size)

    def refresh(self) -> None:
        """Reload the rows shown so far (after a decision or a sync round)."""
        self._reload(max(len(self._rows), self._page_size))

    def _reload(self, limit: int) -> None:
        self._generation += 1
        generation, filt = self._generation, self._filter
        self._fetching = True

        def load(store: ReportStore) -> tuple[int, list[ReviewItem]]:
            return count_review_queue(store, filt), review_queue(store, filt, 0, limit)

        self._worker.run(load, on_done=lambda result: self._replace(generation, *result),
                         on_error=lambda exc: self._failed(generation, exc), owner=self)

    def _replace(self, generation: int, total: int, rows: list[ReviewItem]) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        self.beginResetModel()
        self._rows = list(rows)
        self._total = max(total, len(self._rows))
        self.endResetModel()
        self.loaded.emit()

    def _append(self, generation: int, rows: list[ReviewItem]) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        known = {r.version_uuid for r in self._rows}
        fresh = [r for r in rows if r.version_uuid not in known]
        if not fresh:
            self._total = len(self._rows)  # the queue shrank under us: stop asking
        else:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._rows.extend(fresh)
            self.endInsertRows()
        self.loaded.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._fetching = False
        self._worker.failed.emit(exc)

    @override
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._fetching and len(self._rows) < self._total

    @override
    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        generation, filt, offset = self._generation, self._filter, len(self._rows)
        limit = self._page_size
        self._worker.run(lambda store: review_queue(store, filt, offset, limit),
                         on_done=lambda rows: self._append(generation, rows),
                         on_error=lambda exc: self._failed(generation, exc), owner=self)

    # --- the table -------------------------------------------------------------------------

    def row_at(self, row: int) -> ReviewItem:
        """Return the queue item shown on ``row``."""
        return self._rows[row]

    def items(self) -> list[ReviewItem]:
        """Return the items loaded so far, in display order."""
        return list(self._rows)

    def row_of(self, report_uuid: str) -> int | None:
        """Return the line showing ``report_uuid``, or ``None`` when not loaded."""
        return next((i for i, r in enumerate(self._rows) if r.report_uuid == report_uuid), None)

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ReviewColumn)

    @override
    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self._headers()[ReviewColumn(section)]

    def _headers(self) -> dict[ReviewColumn, str]:
        return {
            ReviewColumn.STATUS: self.tr("Status"),
            ReviewColumn.VILLAGE: self.tr("Village"),
            ReviewColumn.EVENT: self.tr("Event"),
            ReviewColumn.STAGE: self.tr("Stage"),
            ReviewColumn.FILED_BY: self.tr("Filed by"),
            ReviewColumn.SUBMITTED: self.tr("Submitted (device)"),
            ReviewColumn.RECEIVED: self.tr("Received (server)"),
            ReviewColumn.AFFECTED: self.tr("Affected"),
            ReviewColumn.DIRECT_LOSS: self.tr("Direct loss (10k CNY)"),
            ReviewColumn.WARNINGS: self.tr("Warnings"),
        }

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        item, column = self._rows[index.row()], ReviewColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if column is ReviewColumn.STATUS:
            return self._status_data(item, role)
        if (role == Qt.ItemDataRole.ForegroundRole and column is ReviewColumn.WARNINGS
                and item.warnings):
            return QColor(OVERDUE_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole and column is ReviewColumn.EVENT:
            return item.event_name
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _status_data(self, item: ReviewItem, role: int) -> Any:
        if role == Qt.ItemDataRole.DecorationRole:
            return review_icon(item.status)
        if role == Qt.ItemDataRole.ForegroundRole:
            if item.overdue and item.status is ReviewStatus.PENDING:
                return QColor(OVERDUE_COLOR)
            if item.decision_queued:
                return QColor(QUEUED_COLOR)
            return QColor(REVIEW_COLORS[item.status])
        if role == Qt.ItemDataRole.FontRole and (item.overdue or item.decision_queued):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if item.decision_queued:
                return self.tr("Your decision waits to be sent; it goes out with the next sync.")
            if item.overdue and item.status is ReviewStatus.PENDING:
                return self.tr("Waiting longer than the review deadline.")
        return None

    def _display(self, item: ReviewItem, column: ReviewColumn) -> str:
        match column:
            case ReviewColumn.STATUS:
                return status_text(item)
            case ReviewColumn.VILLAGE:
                return village_name(item.village_code)
            case ReviewColumn.EVENT:
                return item.event_name
            case ReviewColumn.STAGE:
                stage = stage_label(item.stage, self._lang)
                return f"{stage} v{item.version_no}" if item.version_no > 1 else stage
            case ReviewColumn.FILED_BY:
                return person_label(item.filed_by, item.filed_role)
            case ReviewColumn.SUBMITTED:
                return local_time_text(item.submitted_at)
            case ReviewColumn.RECEIVED:
                return local_time_text(item.received_at)
            case ReviewColumn.AFFECTED:
                return figure_text(item.affected_pop)
            case ReviewColumn.DIRECT_LOSS:
                return figure_text(item.direct_loss, 2)
            case ReviewColumn.WARNINGS:
                return str(item.warnings) if item.warnings else ""

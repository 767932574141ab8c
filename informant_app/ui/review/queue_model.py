"""The reviewer's queue as a lazily filled table model: pages come from the worker.

Filtering and ordering (overdue first) happen in the core (``count_review_queue`` /
``review_queue``); the model holds only the pages the view has asked for.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor, QFont
from typing_extensions import override

from informant_app.core.duty.types import FilingRole
from informant_app.core.review.service import (
    DecisionKind,
    ReviewFilter,
    ReviewItem,
    ReviewStatus,
    count_review_queue,
    review_queue,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.ui.common.duty_labels import (
    FLAGGED_COLOR,
    filed_as_text,
    filed_as_tooltip,
    filing_role,
)
from informant_app.ui.common.labels import figure_text, local_time_text, stage_label, village_name
from informant_app.ui.common.paged_table_model import PAGE_SIZE, Index, Page, PagedTableModel
from informant_app.ui.common.plain_text import plain_tooltip
from informant_app.ui.common.review_labels import (
    OVERDUE_COLOR,
    QUEUED_COLOR,
    REVIEW_COLORS,
    corrected_time_tooltip,
    decision_label,
    overdue_label,
    person_label,
    queue_time_words,
    queued_label,
    review_icon,
    review_status_label,
)
from informant_app.ui.tasks.manager import TaskManager


class ReviewColumn(IntEnum):
    """The queue's columns, in display order."""

    STATUS = 0
    VILLAGE = 1
    EVENT = 2
    STAGE = 3
    FILED_BY = 4
    FILED_AS = 5
    SUBMITTED = 6
    RECEIVED = 7
    AFFECTED = 8
    DIRECT_LOSS = 9
    WARNINGS = 10


_NUMERIC = {ReviewColumn.AFFECTED, ReviewColumn.DIRECT_LOSS, ReviewColumn.WARNINGS}


def status_text(item: ReviewItem) -> str:
    """Return the status cell: the review status, with "overdue" when late.

    A decision made here and not yet sent shows instead, marked: "Returned · To send".  A
    return carries its reason: "Returned: the crop figures do not match".
    """
    if item.decision_queued:
        decided = (
            decision_label(item.queued_kind)
            if item.queued_kind is not None
            else review_status_label(item.status)
        )
        text = f"{decided} · {queued_label()}"
        return with_reason(text, item) if item.queued_kind is DecisionKind.RETURN else text
    if item.overdue and item.status is ReviewStatus.PENDING:
        return f"{review_status_label(item.status)} · {overdue_label()}"
    if item.status is ReviewStatus.RETURNED:
        return with_reason(review_status_label(item.status), item)
    return review_status_label(item.status)


def with_reason(text: str, item: ReviewItem) -> str:
    """Return ``text`` followed by the return reason of ``item`` on one line (if known)."""
    reason = " ".join(item.return_reason.split())
    if not reason:
        return text
    return QCoreApplication.translate("Review", "{status}: {reason}").format(
        status=text, reason=reason
    )


class ReviewQueueModel(PagedTableModel[ReviewItem, ReviewFilter]):
    """The township's village reports waiting for review (and those decided), page by page.

    Signals:
        loaded(): rows arrived (a first page, a further page or a refresh).
    """

    def __init__(
        self,
        worker: TaskManager,
        lang: str,
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(worker, lang, ReviewFilter(), page_size, parent)
        self._held: dict[str, int] | None = None

    @property
    def review_filter(self) -> ReviewFilter:
        """The filter in force."""
        return self._filter

    # --- a stable order while the reviewer decides -----------------------------------------

    @property
    def order_held(self) -> bool:
        """Whether reloads keep the lines where they are (see ``hold_order``)."""
        return self._held is not None

    def hold_order(self) -> None:
        """Keep every line where it is across reloads until ``release_order`` (or a filter).

        While the reviewer decides, a decided report stays on its line, marked, so the next
        click at the same place lands on the report that was there; reports that arrive
        meanwhile go below.
        """
        if self._held is None:
            self._held = {r.report_uuid: line for line, r in enumerate(self._rows)}

    def release_order(self) -> None:
        """Let the next reload put the lines in review order again."""
        self._held = None

    @override
    def set_filter(self, filt: ReviewFilter) -> None:
        self.release_order()
        super().set_filter(filt)

    @override
    def _replace(self, total: int, page: Page[ReviewItem]) -> None:
        held = self._held
        if held is not None:
            rows = page.rows
            order = sorted(
                range(len(rows)),
                key=lambda i: (
                    (0, held[rows[i].report_uuid], i) if rows[i].report_uuid in held else (1, 0, i)
                ),
            )
            page = Page([rows[i] for i in order], page.extra)
            self._held = {r.report_uuid: line for line, r in enumerate(page.rows)}
        super()._replace(total, page)

    @override
    def _count(self, store: ReportStore, filt: ReviewFilter) -> int:
        return count_review_queue(store, filt)

    @override
    def _page(
        self, store: ReportStore, filt: ReviewFilter, offset: int, limit: int
    ) -> Page[ReviewItem]:
        return Page(review_queue(store, filt, offset, limit))

    @override
    def _row_key(self, row: ReviewItem) -> str:
        return row.version_uuid

    # --- the table -------------------------------------------------------------------------

    def items(self) -> list[ReviewItem]:
        """Return the items loaded so far, in display order."""
        return list(self._rows)

    def row_of(self, report_uuid: str) -> int | None:
        """Return the line showing ``report_uuid``, or ``None`` when not loaded."""
        return next((i for i, r in enumerate(self._rows) if r.report_uuid == report_uuid), None)

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ReviewColumn)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
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
            ReviewColumn.FILED_AS: self.tr("Filed as"),
            # the device's filing time, or the server's when it corrected the device's clock
            ReviewColumn.SUBMITTED: self.tr("Submitted"),
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
        if column is ReviewColumn.FILED_AS:
            return self._filed_as_data(item, role)
        if column is ReviewColumn.SUBMITTED and item.time_flag:
            return self._corrected_time_data(item, role)
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column is ReviewColumn.WARNINGS
            and item.warnings
        ):
            return QColor(OVERDUE_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole:
            # the whole text of a cell the column may elide
            return plain_tooltip(self._display(item, column)) or None
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
            lines = [status_text(item)]
            if item.decision_queued:
                lines.append(
                    self.tr("Your decision waits to be sent; it goes out with the next sync.")
                )
            elif item.overdue and item.status is ReviewStatus.PENDING:
                lines.append(self.tr("Waiting longer than the review deadline."))
            return plain_tooltip("\n".join(lines))
        return None

    def _filed_as_data(self, item: ReviewItem, role: int) -> Any:
        filed_as = item.filing_role
        flagged = filing_role(filed_as) is FilingRole.B_WHILE_A_ON_DUTY
        if role == Qt.ItemDataRole.ToolTipRole:
            shown = filed_as_text(filed_as, item.acting_for_name)
            why = filed_as_tooltip(filed_as)
            return plain_tooltip("\n".join(t for t in (shown, why) if t)) or None
        if role == Qt.ItemDataRole.ForegroundRole and flagged:
            return QColor(FLAGGED_COLOR)
        if role == Qt.ItemDataRole.FontRole and flagged:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _corrected_time_data(self, item: ReviewItem, role: int) -> Any:
        """A filing time the server corrected: marked, with why and the device's claim."""
        if role == Qt.ItemDataRole.ToolTipRole:
            why = queue_time_words(item, self._lang)
            claim = corrected_time_tooltip(item.claimed_at, item.submitted_at)
            return plain_tooltip("\n".join(t for t in (why, claim) if t))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(FLAGGED_COLOR)
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
            case ReviewColumn.FILED_AS:
                return filed_as_text(item.filing_role, item.acting_for_name)
            case ReviewColumn.SUBMITTED:
                if item.time_flag:
                    text = self.tr("{time} (corrected)")
                    return text.format(time=local_time_text(item.submitted_at))
                return local_time_text(item.submitted_at)
            case ReviewColumn.RECEIVED:
                return local_time_text(item.received_at)
            case ReviewColumn.AFFECTED:
                return figure_text(item.affected_pop)
            case ReviewColumn.DIRECT_LOSS:
                return figure_text(item.direct_loss, 2)
            case ReviewColumn.WARNINGS:
                return str(item.warnings) if item.warnings else ""

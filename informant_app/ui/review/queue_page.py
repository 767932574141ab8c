"""The reviewer's queue page: filters, the queue, and the decisions taken from it.

Decisions are recorded locally by ``decide`` on the task manager's ``db`` lane (they work
offline), then a sync round is asked for; the row shows "to send" until the round has delivered
them.  The decision announces ``Changes(review=True)``; the queue reloads on that notice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from informant_app.core.review.history import request_history, save_history
from informant_app.core.review.service import (
    Decision,
    DecisionKind,
    HistoryEntry,
    ReviewDetail,
    ReviewItem,
    ReviewStatus,
    decide,
    review_detail,
)
from informant_app.core.store.types import EventSummary
from informant_app.ui.common.errors import ErrorPresenter
from informant_app.ui.common.labels import stage_label, time_column_width, village_name
from informant_app.ui.common.plain_text import plain
from informant_app.ui.common.review_labels import decision_label
from informant_app.ui.reports.history_dialog import HistoryDialog
from informant_app.ui.review.detail_dialog import ReviewDetailDialog
from informant_app.ui.review.filter_bar import ReviewFilterBar
from informant_app.ui.review.queue_model import ReviewColumn, ReviewQueueModel, status_text
from informant_app.ui.review.return_dialog import ReturnDialog
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.tasks.manager import Changes, TaskManager
from sync.contract import Division

log = logging.getLogger(__name__)


#: The columns that give way when the queue is wider than the table, least important first.
GIVE_WAY: tuple[ReviewColumn, ...] = (
    ReviewColumn.SUBMITTED,
    ReviewColumn.FILED_BY,
    ReviewColumn.DIRECT_LOSS,
    ReviewColumn.AFFECTED,
    ReviewColumn.RECEIVED,
    ReviewColumn.WARNINGS,
    ReviewColumn.EVENT,
    ReviewColumn.STAGE,
    ReviewColumn.STATUS,
    ReviewColumn.FILED_AS,
    ReviewColumn.VILLAGE,
)
#: How wide a column grows for its longest text, in CJK characters (a return's reason is
#: elided there and shown whole as the tooltip).
MAXIMUM_CHARS: dict[ReviewColumn, int] = {ReviewColumn.STATUS: 16}
#: How narrow each column may become, in CJK characters.
MINIMUM_CHARS: dict[ReviewColumn, int] = {
    ReviewColumn.STATUS: 7,
    ReviewColumn.VILLAGE: 4,
    ReviewColumn.EVENT: 9,
    ReviewColumn.STAGE: 3,
    ReviewColumn.FILED_BY: 4,
    ReviewColumn.FILED_AS: 8,
    ReviewColumn.SUBMITTED: 7,
    ReviewColumn.RECEIVED: 6,
    ReviewColumn.AFFECTED: 3,
    ReviewColumn.DIRECT_LOSS: 3,
    ReviewColumn.WARNINGS: 2,
}


def item_title(item: ReviewItem, lang: str) -> str:
    """Return "village · event · stage vN" for a queue item."""
    return (
        f"{village_name(item.village_code)} · {item.event_name} · "
        f"{stage_label(item.stage, lang)} v{item.version_no}"
    )


class ReviewQueuePage(QWidget):
    """The queue with its filters and the Open, Approve, Return and History buttons.

    Signals:
        decided(object): a decision was recorded here (queued for the server); carries the
            ``Decision``.
        dialog_opened(object): a detail, return or history dialog (or the approve question)
            was opened; carries it.
        message(str): a sentence for the status bar.
    """

    decided = Signal(object)
    dialog_opened = Signal(object)
    message = Signal(str)

    def __init__(
        self,
        worker: TaskManager,
        lang: str,
        errors: ErrorPresenter,
        sync: SyncController | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Build the page and load the queue.

        Args:
            worker: the task manager (queue, details and decisions on its ``db`` lane, the
                history, which may ask the server, on ``network``); the queue reloads when it
                announces review changes.
            lang: the UI language.
            errors: shows failures.
            sync: asked for a round after each decision; its rounds refresh the queue.
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("review_queue_page")
        self._worker = worker
        self._lang = lang
        self._errors = errors
        self._sync = sync
        self._kept: str | None = None
        self.detail_dialog: ReviewDetailDialog | None = None
        self.model = ReviewQueueModel(worker, lang, parent=self)
        self.filters = ReviewFilterBar(lang, self)
        self.table = QTableView(self)
        self._build_table()
        self.open_button = QPushButton(self.tr("&Open…"), self)
        self.approve_button = QPushButton(self.tr("&Approve"), self)
        self.approve_button.setObjectName("queue_approve")
        self.return_button = QPushButton(self.tr("Re&turn…"), self)
        self.return_button.setObjectName("queue_return")
        self.history_button = QPushButton(self.tr("&History…"), self)
        self.history_button.setToolTip(self.tr("Every state change of the report (Ctrl+H)"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.filters, 1)
        for button in (
            self.open_button,
            self.history_button,
            self.return_button,
            self.approve_button,
        ):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        self.summary = plain(QLabel(self))
        self.summary.setObjectName("queue_summary")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)

        self.open_button.clicked.connect(self.open_selected)
        self.approve_button.clicked.connect(lambda: self._with_selected(self.ask_approve))
        self.return_button.clicked.connect(lambda: self._with_selected(self.ask_return))
        self.history_button.clicked.connect(self.show_history)
        self.filters.filter_changed.connect(self.model.set_filter)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_selection)
        self.model.loaded.connect(self._update)
        self.model.loaded.connect(self.fit_columns)
        self.model.set_filter(self.filters.current_filter())
        worker.changed.connect(self._on_changed)

    def _build_table(self) -> None:
        table = self.table
        table.setObjectName("review_table")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        # an elided cell keeps both ends ("B 代 A（…）报送", "2024年…16:07"); tooltips hold it all
        table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        # before any row arrives: the header's own widths, times as wide as a local time
        for column in ReviewColumn:
            table.setColumnWidth(column, header.sectionSizeHint(column))
        for column in (ReviewColumn.SUBMITTED, ReviewColumn.RECEIVED):
            table.setColumnWidth(column, time_column_width(table, 125))
        table.viewport().installEventFilter(self)
        table.doubleClicked.connect(self._open_index)
        table.activated.connect(self._open_index)
        table.selectionModel().selectionChanged.connect(self._update)

    # --- data ------------------------------------------------------------------------------

    def set_events(self, events: Sequence[EventSummary]) -> None:
        """Offer ``events`` in the event filter."""
        self.filters.set_events(events)

    def set_villages(self, villages: Sequence[Division]) -> None:
        """Offer the township's ``villages`` in the village filter."""
        self.filters.set_villages(villages)

    def refresh(self, reorder: bool = False) -> None:
        """Reload the queue; lines decided this session stay in place unless ``reorder``."""
        if reorder:
            self.model.release_order()
        self.model.refresh()

    # --- column widths ---------------------------------------------------------------------

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Fit the columns again when the table's width changes."""
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self.fit_columns()
        return super().eventFilter(watched, event)

    def fit_columns(self) -> None:
        """Give each column the width of its content, taking from the least important first.

        When everything does not fit the table's width, the columns give way in the order of
        ``GIVE_WAY`` down to their share of ``MINIMUM_CHARS``; their cells are elided in the
        middle and show their whole text as a tooltip.  Room to spare goes to the event.
        """
        table = self.table
        available = table.viewport().width()
        if available <= 0:
            return
        header = table.horizontalHeader()
        char = table.fontMetrics().horizontalAdvance("国")
        wanted = {
            c: min(
                max(header.sectionSizeHint(c), table.sizeHintForColumn(c)) + 8,
                MAXIMUM_CHARS.get(c, 1000) * char,
            )
            for c in ReviewColumn
        }
        widths = dict(wanted)
        excess = sum(widths.values()) - available
        for column in GIVE_WAY:
            if excess <= 0:
                break
            # never narrower than the header's own words
            floor = min(
                wanted[column], max(MINIMUM_CHARS[column] * char, header.sectionSizeHint(column))
            )
            cut = min(excess, widths[column] - floor)
            widths[column] -= cut
            excess -= cut
        if excess < 0:
            widths[ReviewColumn.EVENT] -= excess
        for column, width in widths.items():
            if table.columnWidth(column) != width:
                table.setColumnWidth(column, width)

    def _on_changed(self, changes: Changes) -> None:
        if changes.review:
            self.refresh()

    def selected_item(self) -> ReviewItem | None:
        """Return the queue item of the selected line."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_report(self, report_uuid: str) -> bool:
        """Select the line of ``report_uuid``; return whether it is loaded."""
        line = self.model.row_of(report_uuid)
        if line is None:
            return False
        self.table.selectRow(line)
        return True

    def _remember_selection(self) -> None:
        item = self.selected_item()
        self._kept = item.report_uuid if item is not None else None

    def _restore_selection(self) -> None:
        if self._kept is not None:
            self.select_report(self._kept)
        self._update()

    def _update(self) -> None:
        item = self.selected_item()
        frozen = item is None or item.status is ReviewStatus.APPROVED or item.decision_queued
        self.open_button.setEnabled(item is not None)
        self.history_button.setEnabled(item is not None)
        self.approve_button.setEnabled(not frozen)
        self.return_button.setEnabled(not frozen)
        items = self.model.items()
        waiting = sum(1 for i in items if i.status is ReviewStatus.PENDING)
        overdue = sum(1 for i in items if i.overdue and i.status is ReviewStatus.PENDING)
        to_send = sum(1 for i in items if i.decision_queued)
        text = self.tr(
            "{total} report(s) · {waiting} waiting · {overdue} overdue · "
            "{to_send} decision(s) to send"
        ).format(total=self.model.total, waiting=waiting, overdue=overdue, to_send=to_send)
        if item is not None:
            text = f"{item_title(item, self._lang)}: {status_text(item)}\n{text}"
        self.summary.setText(text)

    def _with_selected(self, action: Callable[[ReviewItem], None]) -> None:
        item = self.selected_item()
        if item is not None:
            action(item)

    # --- the detail view -------------------------------------------------------------------

    def open_selected(self) -> None:
        """Open the detail view of the selected version."""
        item = self.selected_item()
        if item is not None:
            self.open_detail(item.version_uuid)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_detail(self.model.row_at(index.row()).version_uuid)

    def open_detail(self, version_uuid: str) -> None:
        """Load the detail of ``version_uuid`` on the worker and show it."""
        self._worker.run(
            lambda store: review_detail(store, version_uuid),
            on_done=self._show_detail,
            on_error=self._errors.show_error,
            owner=self,
        )

    def _show_detail(self, detail: ReviewDetail) -> None:
        if self.detail_dialog is not None:
            self.detail_dialog.close()
        dialog = ReviewDetailDialog(detail, self._lang, self)
        dialog.approve_requested.connect(lambda d: self.ask_approve(d.item))
        dialog.return_requested.connect(self._ask_return_from_detail)
        dialog.history_requested.connect(lambda d: self.show_history_of(d.item))
        dialog.finished.connect(lambda _result: self._detail_closed(dialog))
        self.detail_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)
        # The server's history says how the filing device signed in and whether the filing
        # time was corrected: ask for it quietly (offline, the kept copy is already shown).
        report_uuid = detail.item.report_uuid
        self._worker.fetch_then_save(
            lambda store: request_history(store, report_uuid),
            save_history,
            on_done=dialog.set_history,
            on_error=lambda _exc: None,
            owner=dialog,
        )

    def _detail_closed(self, dialog: ReviewDetailDialog) -> None:
        if self.detail_dialog is dialog:
            self.detail_dialog = None
        dialog.deleteLater()

    def _ask_return_from_detail(self, detail: ReviewDetail) -> None:
        changed = detail.changed_fields[0] if detail.changed_fields else None
        self.ask_return(detail.item, initial_field=changed)

    # --- decisions -------------------------------------------------------------------------

    def _dialog_parent(self) -> QWidget:
        return self.detail_dialog if self.detail_dialog is not None else self

    def ask_approve(self, item: ReviewItem) -> None:
        """Ask before approving ``item``'s version (approved figures are frozen)."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Approve"),
            self.tr(
                "Approve {title}? Approved figures are frozen and count in the township's report."
            ).format(title=item_title(item, self._lang)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self._dialog_parent(),
        )
        box.setObjectName("approve_box")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        yes = box.button(QMessageBox.StandardButton.Yes)
        yes.setText(self.tr("Approve"))
        yes.clicked.connect(lambda: self.record(item, DecisionKind.APPROVE))
        box.finished.connect(box.deleteLater)
        self.approve_box = box
        box.open()
        self.dialog_opened.emit(box)

    def ask_return(self, item: ReviewItem, initial_field: str | None = None) -> None:
        """Ask why ``item``'s version goes back to the village, then record the return."""
        dialog = ReturnDialog(
            self._lang, item_title(item, self._lang), initial_field, self._dialog_parent()
        )
        dialog.accepted.connect(
            lambda: self.record(
                item, DecisionKind.RETURN, dialog.reason_text(), dialog.field_comments()
            )
        )
        dialog.finished.connect(dialog.deleteLater)
        self.return_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

    def record(
        self,
        item: ReviewItem,
        kind: DecisionKind,
        reason: str = "",
        comments: dict[str, str] | None = None,
    ) -> None:
        """Record a decision on the worker (offline too) and ask for a sync round."""
        version = item.version_uuid
        field_comments = dict(comments or {})
        self.model.hold_order()  # the decided line stays where it is, marked
        self._worker.run(
            lambda store: decide(store, version, kind, reason, field_comments),
            on_done=self._recorded,
            on_error=self._errors.show_error,
            owner=self,
            changes=Changes(review=True),
        )

    def _recorded(self, decision: Decision) -> None:
        dialog = self.detail_dialog
        if dialog is not None and dialog.detail.item.version_uuid == decision.version_uuid:
            dialog.set_decision(decision)
        self.message.emit(
            self.tr("{decision}: the decision waits to be sent.").format(
                decision=decision_label(decision.kind)
            )
        )
        self._select_next_undecided(decision.version_uuid)
        self.decided.emit(decision)  # the queue reloads on the change notice
        if self._sync is not None:
            self._sync.on_submitted(decision.version_uuid)

    def _select_next_undecided(self, decided_version: str) -> None:
        """Move the selection from a line just decided to the next line still to decide."""
        items = self.model.items()
        at = next((i for i, r in enumerate(items) if r.version_uuid == decided_version), None)
        selected = self.selected_item()
        if at is None or selected is None or selected.version_uuid != decided_version:
            return
        for line in [*range(at + 1, len(items)), *range(at - 1, -1, -1)]:
            other = items[line]
            if other.status is ReviewStatus.PENDING and not other.decision_queued:
                self.table.selectRow(line)
                return

    # --- history ---------------------------------------------------------------------------

    def show_history(self) -> None:
        """Show the history of the selected report."""
        item = self.selected_item()
        if item is not None:
            self.show_history_of(item)

    def show_history_of(self, item: ReviewItem) -> None:
        """Ask the server for the history (``network``), keep and merge it (``db``); show it."""
        report_uuid, title = item.report_uuid, item_title(item, self._lang)
        self._worker.fetch_then_save(
            lambda store: request_history(store, report_uuid),
            save_history,
            on_done=lambda entries: self._show_history(title, entries),
            on_error=self._errors.show_error,
            owner=self,
        )

    def _show_history(self, title: str, entries: list[HistoryEntry]) -> None:
        dialog = HistoryDialog(title, entries, self._lang, self._dialog_parent())
        dialog.finished.connect(dialog.deleteLater)
        self.history_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

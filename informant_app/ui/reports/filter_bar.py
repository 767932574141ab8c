"""The filters above the report list: event, stage, state and the township's review."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from informant_app.core.review.service import ReviewStatus
from informant_app.core.store.types import EventSummary, ReportFilter, ReportState
from informant_app.ui.common.labels import state_icon, state_label
from informant_app.ui.common.review_labels import review_icon
from sync.contract import ReportStage


class ReportFilterBar(QWidget):
    """Four combos; "All …" means no filter.

    Signals:
        filter_changed(object): the filter changed; carries the new ``ReportFilter``.
    """

    filter_changed = Signal(object)

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.event_combo = QComboBox(self)
        self.event_combo.setObjectName("filter_event")
        self.event_combo.setMinimumContentsLength(24)
        self.event_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.event_combo.addItem(self.tr("All events"), None)
        self.stage = QComboBox(self)
        self.stage.setObjectName("filter_stage")
        self.stage.addItem(self.tr("All stages"), None)
        for stage in ReportStage:
            self.stage.addItem(stage.label(lang), stage.value)
        self.state = QComboBox(self)
        self.state.setObjectName("filter_state")
        self.state.addItem(self.tr("All states"), None)
        for state in ReportState:
            self.state.addItem(state_icon(state), state_label(state), state.value)
        self.review = QComboBox(self)
        self.review.setObjectName("filter_review")
        self.review.addItem(self.tr("All review statuses"), None)
        for status, text in (
            (ReviewStatus.PENDING, self.tr("Pending review")),
            (ReviewStatus.RETURNED, self.tr("Returned")),
            (ReviewStatus.APPROVED, self.tr("Approved")),
        ):
            self.review.addItem(review_icon(status), text, status.value)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for text, combo in (
            (self.tr("Event"), self.event_combo),
            (self.tr("Stage"), self.stage),
            (self.tr("State"), self.state),
            (self.tr("Review"), self.review),
        ):
            label = QLabel(text, self)
            label.setBuddy(combo)
            layout.addWidget(label)
            layout.addWidget(combo)
        layout.addStretch(1)
        for combo in (self.event_combo, self.stage, self.state, self.review):
            combo.currentIndexChanged.connect(self._emit)

    def set_events(self, events: Sequence[EventSummary]) -> None:
        """Offer ``events`` in the event filter, keeping the current choice when it remains."""
        current = self.event_combo.currentData()
        self.event_combo.blockSignals(True)
        try:
            while self.event_combo.count() > 1:
                self.event_combo.removeItem(1)
            for event in events:
                self.event_combo.addItem(event.name or event.event_uuid[:8], event.event_uuid)
            index = self.event_combo.findData(current) if current else 0
        finally:
            self.event_combo.blockSignals(False)
        if index < 0:
            self.event_combo.setCurrentIndex(0)  # the chosen event is gone: show all
        else:
            self.event_combo.blockSignals(True)
            self.event_combo.setCurrentIndex(index)
            self.event_combo.blockSignals(False)

    def current_filter(self) -> ReportFilter:
        """Return the filter the combos describe."""
        stage, state = self.stage.currentData(), self.state.currentData()
        return ReportFilter(
            event_uuid=self.event_combo.currentData(),
            stage=ReportStage(stage) if stage else None,
            state=ReportState(state) if state else None,
            review_status=self.review.currentData() or None,
        )

    def _emit(self) -> None:
        self.filter_changed.emit(self.current_filter())

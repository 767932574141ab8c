"""The filters above the reviewer's queue: event, stage, village and review status."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from informant_app.core.review.service import ReviewFilter, ReviewStatus
from informant_app.core.store.types import EventSummary
from informant_app.ui.common.review_labels import review_icon, review_status_label
from sync.contract import Division, ReportStage


class ReviewFilterBar(QWidget):
    """Four combos; "All …" means no filter.

    Signals:
        filter_changed(object): the filter changed; carries the new ``ReviewFilter``.
    """

    filter_changed = Signal(object)

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.event_combo = QComboBox(self)
        self.event_combo.setObjectName("review_filter_event")
        self.event_combo.setMinimumContentsLength(20)
        self.event_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.event_combo.addItem(self.tr("All events"), None)
        self.stage = QComboBox(self)
        self.stage.setObjectName("review_filter_stage")
        self.stage.addItem(self.tr("All stages"), None)
        for stage in ReportStage:
            self.stage.addItem(stage.label(lang), stage.value)
        self.village = QComboBox(self)
        self.village.setObjectName("review_filter_village")
        self.village.addItem(self.tr("All villages"), None)
        self.status = QComboBox(self)
        self.status.setObjectName("review_filter_status")
        self.status.addItem(self.tr("All statuses"), None)
        for status in ReviewStatus:
            self.status.addItem(review_icon(status), review_status_label(status), status.value)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for text, combo in (
            (self.tr("Event"), self.event_combo),
            (self.tr("Stage"), self.stage),
            (self.tr("Village"), self.village),
            (self.tr("Status"), self.status),
        ):
            label = QLabel(text, self)
            label.setBuddy(combo)
            layout.addWidget(label)
            layout.addWidget(combo)
        layout.addStretch(1)
        for combo in (self.event_combo, self.stage, self.village, self.status):
            combo.currentIndexChanged.connect(self._emit)

    def set_events(self, events: Sequence[EventSummary]) -> None:
        """Offer ``events``, keeping the current choice when it remains."""
        _refill(self.event_combo, [(e.name or e.event_uuid[:8], e.event_uuid) for e in events])

    def set_villages(self, villages: Sequence[Division]) -> None:
        """Offer the township's ``villages``, keeping the current choice when it remains."""
        _refill(self.village, [(d.short_name, d.code) for d in villages])

    def current_filter(self) -> ReviewFilter:
        """Return the filter the combos describe."""
        stage, status = self.stage.currentData(), self.status.currentData()
        return ReviewFilter(
            event_uuid=self.event_combo.currentData(),
            stage=ReportStage(stage) if stage else None,
            village_code=self.village.currentData(),
            status=ReviewStatus(status) if status else None,
        )

    def _emit(self) -> None:
        self.filter_changed.emit(self.current_filter())


def _refill(combo: QComboBox, entries: Sequence[tuple[str, str]]) -> None:
    """Replace the combo's entries after its first ("All …"), keeping the choice if it stays.

    No ``currentIndexChanged`` is emitted unless the chosen entry disappeared.
    """
    current = combo.currentData()
    combo.blockSignals(True)
    try:
        while combo.count() > 1:
            combo.removeItem(1)
        for text, data in entries:
            combo.addItem(text, data)
        index = combo.findData(current) if current else 0
        combo.setCurrentIndex(max(index, 0))
    finally:
        combo.blockSignals(False)
    if index < 0:
        combo.currentIndexChanged.emit(0)

"""Which villages have not reported, for the chosen event or for today, and who is on duty.

Today's view follows the 24-hour zero-report rule: every village reports every day while the
event is not stable, even when nothing changed.  The list comes from the server
(``request_completeness``) on the task manager's ``network`` lane, never on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from informant_app.core.review.service import VillageCompleteness
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState
from informant_app.core.township.report import (
    CompletenessAnswer,
    request_completeness,
    save_completeness,
)
from informant_app.ui.common.errors import user_message
from informant_app.ui.common.labels import ERROR_COLOR, STATE_COLORS, local_time_text
from informant_app.ui.common.plain_text import plain
from informant_app.ui.common.review_labels import role_label
from informant_app.ui.tasks.manager import TaskKey, TaskManager

_EVENT, _TODAY = "event", "today"


class CompletenessPanel(QWidget):
    """A table of the township's villages, those that have not reported first.

    Signals:
        loaded(): a list arrived (or its request failed).
    """

    loaded = Signal()
    COLUMNS = 5

    def __init__(self, tasks: TaskManager, lang: str, parent: QWidget | None = None) -> None:
        """Build the panel.

        Args:
            tasks: the task manager (the server on its ``network`` lane).
            lang: the UI language.
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("completeness_panel")
        self._tasks = tasks
        self._lang = lang
        self._event_uuid: str | None = None
        self._key = TaskKey("completeness")
        self.villages: list[VillageCompleteness] = []
        title = QLabel(self.tr("<b>Who has not reported</b>"), self)
        self.scope = QComboBox(self)
        self.scope.setObjectName("completeness_scope")
        self.scope.addItem(self.tr("For the chosen event"), _EVENT)
        self.scope.addItem(self.tr("For today (24-hour zero report)"), _TODAY)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setAutoDefault(False)
        self.summary = plain(QLabel(self))
        self.summary.setObjectName("completeness_summary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setObjectName("completeness_table")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Village"),
                self.tr("Reported"),
                self.tr("On duty"),
                self.tr("Role"),
                self.tr("Phone"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((140, 80, 160, 60)):
            self.table.setColumnWidth(column, width)
        line = QHBoxLayout()
        line.addWidget(title)
        line.addWidget(self.scope)
        line.addStretch(1)
        line.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(line)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.scope.currentIndexChanged.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)

    def set_event(self, event_uuid: str | None) -> None:
        """Follow the chosen event (and reload when the panel shows the event's view)."""
        self._event_uuid = event_uuid
        if self.scope.currentData() == _EVENT:
            self.refresh()

    def refresh(self) -> None:
        """Ask the server which villages have reported (on the ``network`` lane)."""
        by_day = self.scope.currentData() == _TODAY
        event_uuid = None if by_day else self._event_uuid
        if not by_day and event_uuid is None:
            self._show([], self.tr("Choose an event above."))
            return
        self.summary.setText(self.tr("Asking the server…"))
        self.summary.setStyleSheet("")

        def load(store: ReportStore) -> CompletenessAnswer:
            # without an event the core takes today, in China time (the reporting day)
            return request_completeness(store, event_uuid=event_uuid)

        self._tasks.fetch_then_save(
            load,
            save_completeness,
            on_done=self._arrived,
            on_error=self._failed,
            key=self._key,
            owner=self,
        )

    def _arrived(self, found: Sequence[VillageCompleteness]) -> None:
        missing = [v for v in found if not v.reported]
        cached = next((v for v in found if v.from_cache), None)
        if not found:
            text = self.tr("The server knows no villages of this township.")
        elif missing:
            text = self.tr("{missing} of {total} villages have not reported.").format(
                missing=len(missing), total=len(found)
            )
        else:
            text = self.tr("All {total} villages have reported.").format(total=len(found))
        if cached is not None:
            text += " " + self.tr("Offline: the copy fetched at {time}.").format(
                time=local_time_text(cached.fetched_at)
            )
        # not reported first; among them those with someone on duty to phone
        self._show(
            sorted(found, key=lambda v: (v.reported, v.on_duty_name is None, v.village_code)), text
        )
        self.summary.setStyleSheet(f"color: {ERROR_COLOR};" if missing else "")

    def _failed(self, exc: BaseException) -> None:
        self._show([], user_message(exc, self._lang) or str(exc))
        self.summary.setStyleSheet(f"color: {ERROR_COLOR};")

    def _show(self, villages: list[VillageCompleteness], summary: str) -> None:
        self.villages = villages
        self.summary.setText(summary)
        self.table.setRowCount(len(villages))
        for row, village in enumerate(villages):
            reported = self.tr("Reported") if village.reported else self.tr("Not reported")
            cells = [
                village.village_name,
                reported,
                village.on_duty_name or "—",
                role_label(village.on_duty_role),
                village.on_duty_phone or "",
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1:
                    color = STATE_COLORS[ReportState.RECEIVED] if village.reported else ERROR_COLOR
                    item.setForeground(QColor(color))
                self.table.setItem(row, column, item)
        self.loaded.emit()

    def missing_names(self) -> list[str]:
        """Return the names of the villages shown as not reported (for tests)."""
        return [v.village_name for v in self.villages if not v.reported]

"""The township reviewer's open events: each village's deadline, late villages first.

The deadlines are worked out from the local store on the ``db`` lane (``open_events``)
every minute and after each sync round, so they stay right offline; opening, adding villages
and closing need the server and run on the ``network`` lane.  A state shows as text with a
symbol and a colour, never by colour alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from informant_app.core.duty import online as duty_online
from informant_app.core.duty import service as duty
from informant_app.core.duty.types import OpenEvent, VillageDeadline
from informant_app.core.store.report_store import ReportStore
from informant_app.ui.common.duty_labels import (
    WINDOW_COLORS,
    WINDOW_URGENCY,
    deadline_text,
    shown_window,
    window_status_label,
    window_status_text,
)
from informant_app.ui.common.errors import ErrorPresenter
from informant_app.ui.common.labels import ERROR_COLOR, disaster_label, local_time_text
from informant_app.ui.duty.open_event_dialog import OpenEventDialog
from informant_app.ui.tasks.manager import Changes, TaskKey, TaskManager
from sync.contract.duty import WindowStatus

#: How often the deadlines are worked out again.
REFRESH_MS = 60_000


class EventColumn:
    """The tree's columns."""

    NAME = 0
    STATUS = 1
    DEADLINE = 2
    ON_DUTY = 3
    COUNT = 4


def ordered_villages(event: OpenEvent) -> list[VillageDeadline]:
    """Return an event's villages, the most urgent first, then by name."""
    return sorted(event.villages, key=lambda v: (WINDOW_URGENCY[v.status], v.village_name))


def late_counts(villages: Sequence[VillageDeadline]) -> Counter[WindowStatus]:
    """Return how many villages stand in each late state (escalated, overdue)."""
    return Counter(v.status for v in villages if v.status.late)


def worst_late(counts: Counter[WindowStatus]) -> WindowStatus:
    """Return the worse late state present: overdue before escalated."""
    return WindowStatus.OVERDUE if counts[WindowStatus.OVERDUE] else WindowStatus.ESCALATED


def ordered_events(events: Sequence[OpenEvent]) -> list[OpenEvent]:
    """Return events with late villages first, then the newest opening first."""
    newest = sorted(events, key=lambda e: e.opened_at, reverse=True)
    return sorted(
        newest,
        key=lambda e: min(
            (WINDOW_URGENCY[v.status] for v in e.villages), default=len(WINDOW_URGENCY)
        ),
    )


class EventsPanel(QWidget):
    """Open events with each village's deadline state; open, add villages, close.

    Signals:
        events_shown(): a list was shown.
        dialog_opened(object): a dialog or a question was opened; carries it.
        message(str): a sentence for the status bar.
    """

    events_shown = Signal()
    dialog_opened = Signal(object)
    message = Signal(str)

    def __init__(
        self,
        worker: TaskManager,
        lang: str,
        errors: ErrorPresenter,
        parent: QWidget | None = None,
    ) -> None:
        """Build the panel; call ``start`` to load it and start its timer.

        Args:
            worker: the task manager (the deadlines on its ``db`` lane, opening and closing
                on ``network``).
            lang: the UI language.
            errors: shows failures.
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("events_panel")
        self._worker = worker
        self._lang = lang
        self._errors = errors
        self._key = TaskKey("open events")
        self._villages: list[tuple[str, str]] = []
        self.events: list[OpenEvent] = []
        self.now = datetime.now(UTC)
        self.summary = QLabel(self)
        self.summary.setObjectName("events_summary")
        self.summary.setWordWrap(True)
        self.open_button = QPushButton(self.tr("&Open event for villages…"), self)
        self.open_button.setObjectName("open_event")
        self.add_button = QPushButton(self.tr("&Add villages…"), self)
        self.add_button.setObjectName("add_event_villages")
        self.close_button = QPushButton(self.tr("&Close event…"), self)
        self.close_button.setObjectName("close_event")
        self.close_button.setToolTip(self.tr("No more continuing reports are due"))
        self.refresh_button = QPushButton(self.tr("R&efresh"), self)
        self.refresh_button.setToolTip(
            self.tr("Work the deadlines out again (also every minute and after each sync)")
        )
        for button in (self.open_button, self.add_button, self.close_button, self.refresh_button):
            button.setAutoDefault(False)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("events_tree")
        self.tree.setColumnCount(EventColumn.COUNT)
        self.tree.setHeaderLabels(
            [self.tr("Event / village"), self.tr("Status"), self.tr("Deadline"), self.tr("On duty")]
        )
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((300, 260, 300)):
            self.tree.setColumnWidth(column, width)
        line = QHBoxLayout()
        line.addWidget(self.summary, 1)
        for button in (self.open_button, self.add_button, self.close_button, self.refresh_button):
            line.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(line)
        layout.addWidget(self.tree, 1)
        self.open_button.clicked.connect(lambda: self.ask_open(None))
        self.add_button.clicked.connect(lambda: self.ask_open(self.selected_event()))
        self.close_button.clicked.connect(self.ask_close)
        self.refresh_button.clicked.connect(self.refresh)
        self.tree.itemSelectionChanged.connect(self._update)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self._update()

    def start(self) -> None:
        """Load the events and refresh them every minute."""
        self.refresh()
        self.timer.start()

    def set_villages(self, villages: Sequence[tuple[str, str]]) -> None:
        """Offer ``(code, name)`` villages when opening an event."""
        self._villages = list(villages)

    # --- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Work the deadlines out on the ``db`` lane."""

        def load(store: ReportStore) -> tuple[list[OpenEvent], datetime]:
            now = datetime.now(UTC)
            return duty.open_events(store), now

        self._worker.run(
            load,
            on_done=lambda result: self.show_events(*result),
            on_error=self._errors.show_error,
            owner=self,
            key=self._key,
        )

    def show_events(self, events: Sequence[OpenEvent], now: datetime | None = None) -> None:
        """Show ``events`` (pure view: tests feed it directly)."""
        kept = self.selected_event()
        self.now = now or datetime.now(UTC)
        self.events = ordered_events([e for e in events if e.closed_at is None])
        self.tree.clear()
        bold = QFont()
        bold.setBold(True)
        for event in self.events:
            counts = late_counts(event.villages)
            top = QTreeWidgetItem(self.tree)
            top.setText(
                EventColumn.NAME,
                f"{event.event_name} · {disaster_label(event.disaster_type, self._lang)}",
            )
            top.setData(EventColumn.NAME, Qt.ItemDataRole.UserRole, event.event_uuid)
            top.setFont(EventColumn.NAME, bold)
            top.setText(EventColumn.STATUS, self._headline(len(event.villages), counts))
            if counts:  # the worst state's colour, as its rows show it
                worst = (
                    WindowStatus.OVERDUE if counts[WindowStatus.OVERDUE] else WindowStatus.ESCALATED
                )
                top.setForeground(EventColumn.STATUS, QColor(WINDOW_COLORS[worst]))
                top.setFont(EventColumn.STATUS, bold)
            top.setText(
                EventColumn.DEADLINE,
                self.tr("Opened {time}").format(time=local_time_text(event.opened_at)),
            )
            for village in ordered_villages(event):
                self._village_item(top, village, bold)
            top.setExpanded(True)
        if kept is not None:
            self.select_event(kept.event_uuid)
        self._show_summary()
        self._update()
        self.events_shown.emit()

    def _village_item(
        self, parent: QTreeWidgetItem, village: VillageDeadline, bold: QFont
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent)
        item.setText(EventColumn.NAME, village.village_name or village.village_code)
        item.setData(EventColumn.NAME, Qt.ItemDataRole.UserRole, village.village_code)
        item.setText(EventColumn.STATUS, window_status_text(village.status))
        item.setForeground(EventColumn.STATUS, QColor(WINDOW_COLORS[village.status]))
        if village.status.late:
            item.setFont(EventColumn.STATUS, bold)
            item.setFont(EventColumn.NAME, bold)
        item.setText(EventColumn.DEADLINE, deadline_text(shown_window(village)))
        item.setText(EventColumn.ON_DUTY, village.on_duty_name or self.tr("Nobody on duty"))
        if village.on_duty_name is None:
            item.setForeground(EventColumn.ON_DUTY, QColor(ERROR_COLOR))
        item.setToolTip(
            EventColumn.DEADLINE,
            "\n".join(
                f"{window_status_text(w.status)} — {deadline_text(w)}" for w in village.windows
            ),
        )
        return item

    def _headline(self, villages: int, counts: Counter[WindowStatus]) -> str:
        """Return an event's line: its villages and each late state in the rows' words.

        "3 个村：已过半时限未报 3" — never "late" for a village whose deadline has not passed.
        """
        if not counts:
            return self.tr("{n} village(s), none late").format(n=villages)
        parts = self.tr("; ").join(
            f"{window_status_label(status)} {counts[status]}"
            for status in (WindowStatus.OVERDUE, WindowStatus.ESCALATED)
            if counts[status]
        )
        return self.tr("{n} village(s): {parts}").format(n=villages, parts=parts)

    def _show_summary(self) -> None:
        counts: Counter[WindowStatus] = Counter()
        for event in self.events:
            counts.update(late_counts(event.villages))
        if not self.events:
            self.summary.setText(
                self.tr(
                    "No open event. Open one when a disaster strikes, "
                    "so every village knows its deadline."
                )
            )
            self.summary.setStyleSheet("")
            return
        text = self.tr(
            "{n} open event(s); village deadlines: {overdue} overdue, {escalated} past half "
            "the time. Worked out at {time}."
        ).format(
            n=len(self.events),
            overdue=counts[WindowStatus.OVERDUE],
            escalated=counts[WindowStatus.ESCALATED],
            time=local_time_text(self.now),
        )
        self.summary.setText(text)
        style = f"color: {WINDOW_COLORS[worst_late(counts)]}; font-weight: bold;"
        self.summary.setStyleSheet(style if counts else "")

    # --- selection -------------------------------------------------------------------------

    def selected_event(self) -> OpenEvent | None:
        """Return the event of the selected line (or of the selected village's line)."""
        items = self.tree.selectedItems()
        if not items:
            return None
        item = items[0]
        top = item.parent() or item
        uuid = top.data(EventColumn.NAME, Qt.ItemDataRole.UserRole)
        return next((e for e in self.events if e.event_uuid == uuid), None)

    def select_event(self, event_uuid: str) -> bool:
        """Select the line of ``event_uuid``."""
        for row in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(row)
            if (
                item is not None
                and item.data(EventColumn.NAME, Qt.ItemDataRole.UserRole) == event_uuid
            ):
                self.tree.setCurrentItem(item)
                return True
        return False

    def village_lines(self, event_uuid: str) -> list[tuple[str, str]]:
        """Return ``(village, status text)`` of an event's lines, top to bottom (for tests)."""
        for row in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(row)
            if top is None or top.data(EventColumn.NAME, Qt.ItemDataRole.UserRole) != event_uuid:
                continue
            children = (top.child(i) for i in range(top.childCount()))
            return [
                (c.text(EventColumn.NAME), c.text(EventColumn.STATUS))
                for c in children
                if c is not None
            ]
        return []

    def _update(self) -> None:
        event = self.selected_event()
        self.add_button.setEnabled(event is not None)
        self.close_button.setEnabled(event is not None)

    # --- opening and closing ---------------------------------------------------------------

    def ask_open(self, existing: OpenEvent | None) -> None:
        """Open the dialog for a new event (or to add villages to ``existing``)."""
        dialog = OpenEventDialog(self._lang, self._villages, existing, parent=self)
        dialog.accepted.connect(lambda: self._open(dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.open_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

    def _open(self, dialog: OpenEventDialog) -> None:
        name, disaster = dialog.event_name(), dialog.disaster_type()
        occurred, codes = dialog.occurred_at(), dialog.village_codes()
        existing = dialog.existing
        event_uuid = existing.event_uuid if existing is not None else None
        if existing is not None:
            occurred = existing.opened_at  # kept by the server; sent for completeness
        self._worker.fetch_then_save(
            lambda store: duty_online.fetch_open_event(
                store, name, disaster, occurred, codes, event_uuid=event_uuid
            ),
            duty_online.save_open_event,
            on_done=lambda _event: self._changed(
                self.tr("The event “{name}” is open for the villages.").format(name=name)
            ),
            on_error=self._errors.show_error,
            owner=self,
            changes=Changes(duty=True),
        )

    def ask_close(self) -> None:
        """Ask before closing the selected event."""
        event = self.selected_event()
        if event is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Close the event"),
            self.tr("Close “{name}”? The villages owe no more continuing reports for it.").format(
                name=event.event_name
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("close_event_box")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        uuid, name = event.event_uuid, event.event_name
        box.button(QMessageBox.StandardButton.Yes).clicked.connect(
            lambda: self._worker.fetch_then_save(
                lambda store: duty_online.fetch_close_event(store, uuid),
                duty_online.save_close_event,
                on_done=lambda _r: self._changed(
                    self.tr("The event “{name}” is closed.").format(name=name)
                ),
                on_error=self._errors.show_error,
                owner=self,
                changes=Changes(duty=True),
            )
        )
        box.finished.connect(box.deleteLater)
        self.close_box = box
        box.open()
        self.dialog_opened.emit(box)

    def _changed(self, text: str) -> None:
        self.message.emit(text)
        self.refresh()

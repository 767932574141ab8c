"""The head of the report form: stage, event, disaster type, village, times, place, flags.

The open events of the area (as last synced, ``store.events_cache``) join the event chooser:
a new report defaults to the open event of its area (``area_default``) and a line says so;
choosing "New event" while an open event of the same type, county and close time exists
offers that one (``similar_open``): join it, or open a new one anyway.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from informant_app.core.store.events_cache import (
    OpenEvent,
    area_default,
    area_events,
    similar_open,
)
from informant_app.core.store.types import EventSummary
from informant_app.ui.common.china_time import china_datetime_edit
from informant_app.ui.common.form_values import (
    coordinate_to_text,
    coordinate_validator,
    iso_from_qdatetime,
    qdatetime_from_iso,
    text_to_coordinate,
)
from informant_app.ui.common.labels import disaster_label, local_time_text
from informant_app.ui.reports.issue_view import IssueBox
from sync.contract import DISASTER_TYPE_BY_KEY, DISASTER_TYPES, Division, ReportStage

_NEW_EVENT = ""


def datetime_edit(parent: QWidget) -> QDateTimeEdit:
    """Return a date and time input in China time ("北京时间"), with a calendar popup."""
    return china_datetime_edit(parent)


class FormHeader(QWidget):
    """Inputs for what the report is about; each with an ``IssueBox`` for its field.

    Signals:
        changed(): the informant changed a value.
        stage_changed(str): the stage changed; carries the stage key.
        note_edited(str, str): a warning's note was edited (issue key, text).
    """

    changed = Signal()
    stage_changed = Signal(str)
    note_edited = Signal(str, str)

    def __init__(
        self,
        lang: str,
        villages: Sequence[Division],
        events: Sequence[EventSummary],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._lang = lang
        self._events = {e.event_uuid: e for e in events}
        self._own_event_uuid = str(uuid.uuid4())  # used when "new event" is chosen
        self._loading = False
        self.issue_boxes: dict[str, IssueBox] = {}
        self._area: list[OpenEvent] = []  # the open events of the area, as last synced
        self._declined: set[str] = set()  # open events the informant chose not to join
        self.similar_box: QMessageBox | None = None  # "join the open event?"
        self.similar_event: OpenEvent | None = None  # the event that box offers
        self._build(villages, events)

    # --- building --------------------------------------------------------------------------

    def _build(self, villages: Sequence[Division], events: Sequence[EventSummary]) -> None:
        self.stage = QComboBox(self)
        for stage in ReportStage:
            self.stage.addItem(stage.label(self._lang), stage.value)
        self.village = QComboBox(self)
        self.village.setPlaceholderText(self.tr("Choose the village"))
        for division in villages:
            self.village.addItem(division.short_name, division.code)
        self.area_line = QLabel(self)
        self.area_line.setObjectName("area_event_line")
        self.area_line.setWordWrap(True)
        self.area_line.hide()
        self.event_combo = QComboBox(self)
        self.event_combo.addItem(self.tr("New event"), _NEW_EVENT)
        for event in events:
            self._add_event_item(event)
        self.event_name = QLineEdit(self)
        self.event_name.setMaxLength(200)
        self.event_name.setPlaceholderText(self.tr("Empty: named by date, county and type"))
        self.disaster_type = QComboBox(self)
        self.disaster_type.setPlaceholderText(self.tr("Choose the disaster type"))
        for disaster in DISASTER_TYPES:
            self.disaster_type.addItem(disaster.label(self._lang), disaster.key)
        self.subtype = QComboBox(self)
        self.occurred_at = self._datetime_edit()
        self.data_cutoff_at = self._datetime_edit()
        self.latitude = self._coordinate_edit(self.tr("e.g. 25.1120"))
        self.longitude = self._coordinate_edit(self.tr("e.g. 99.1610"))
        self.emergency_response = QCheckBox(self.tr("E&mergency response is active"), self)
        self.event_stable = QCheckBox(self.tr("The disaster situation is sta&ble"), self)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.area_line, 0, 0, 1, 5)
        rows: list[tuple[tuple[str, str, QWidget], tuple[str, str, QWidget]]] = [
            (
                ("stage", self.tr("&Stage"), self.stage),
                ("village_code", self.tr("&Village"), self.village),
            ),
            (
                ("event_uuid", self.tr("Disaster &event"), self.event_combo),
                ("event_name", self.tr("Event n&ame"), self.event_name),
            ),
            (
                ("disaster_type", self.tr("Disaster &type"), self.disaster_type),
                ("disaster_subtype", self.tr("S&ubtype"), self.subtype),
            ),
            (
                ("occurred_at", self.tr("&Occurred at"), self.occurred_at),
                ("data_cutoff_at", self.tr("Data &cut-off"), self.data_cutoff_at),
            ),
            (
                ("latitude", self.tr("&Latitude"), self.latitude),
                ("longitude", self.tr("Lon&gitude"), self.longitude),
            ),
            (
                ("emergency_response", "", self.emergency_response),
                ("event_stable", "", self.event_stable),
            ),
        ]
        for row, pair in enumerate(rows):
            for column, (field, text, widget) in enumerate(pair):
                widget.setObjectName(field)  # the content key: tests and the tab order
                base = column * 3
                if text:
                    label = QLabel(text, self)
                    label.setBuddy(widget)
                    grid.addWidget(label, row * 2 + 1, base)
                grid.addWidget(widget, row * 2 + 1, base + 1)
                box = IssueBox(self._lang, self, reserve=True)
                box.set_anchor(widget)
                box.note_edited.connect(self.note_edited)
                grid.addWidget(box, row * 2 + 2, base, 1, 2)
                self.issue_boxes[field] = box
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(4, 1)
        grid.setColumnMinimumWidth(2, 24)

        self.stage.currentIndexChanged.connect(self._on_stage)
        self.village.currentIndexChanged.connect(self._on_changed)
        self.event_combo.currentIndexChanged.connect(self._on_event)
        self.event_name.textEdited.connect(self._on_changed)
        self.disaster_type.currentIndexChanged.connect(self._on_type)
        self.subtype.currentIndexChanged.connect(self._on_changed)
        self.occurred_at.editingFinished.connect(self._offer_similar)
        for edit in (self.occurred_at, self.data_cutoff_at):
            edit.dateTimeChanged.connect(self._on_changed)
        for line in (self.latitude, self.longitude):
            line.textEdited.connect(self._on_changed)
        for flag in (self.emergency_response, self.event_stable):
            flag.toggled.connect(self._on_changed)

    def _add_event_item(self, event: EventSummary) -> None:
        text = (
            f"{event.name} · {disaster_label(event.disaster_type, self._lang)} · "
            f"{local_time_text(event.occurred_at)}"
        )
        self.event_combo.addItem(text, event.event_uuid)

    def _datetime_edit(self) -> QDateTimeEdit:
        return datetime_edit(self)

    def _coordinate_edit(self, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setValidator(coordinate_validator())
        edit.setPlaceholderText(placeholder)
        return edit

    def focus_chain(self) -> list[QWidget]:
        """Return the inputs in field order (for the tab order)."""
        return [
            self.stage,
            self.village,
            self.event_combo,
            self.event_name,
            self.disaster_type,
            self.subtype,
            self.occurred_at,
            self.data_cutoff_at,
            self.latitude,
            self.longitude,
            self.emergency_response,
            self.event_stable,
        ]

    # --- values ----------------------------------------------------------------------------

    def load(self, content: Mapping[str, Any]) -> None:
        """Show the header values of ``content`` without reporting them as changes."""
        self._loading = True
        try:
            self._select(self.stage, content.get("stage") or ReportStage.INITIAL.value)
            self._select(self.village, content.get("village_code"))
            event_uuid = content.get("event_uuid") or ""
            if event_uuid in self._events:
                self._select(self.event_combo, event_uuid)
            else:
                if event_uuid:
                    self._own_event_uuid = str(event_uuid)
                self._select(self.event_combo, _NEW_EVENT)
            self.event_name.setText(str(content.get("event_name") or ""))
            self._select(self.disaster_type, content.get("disaster_type"))
            self._fill_subtypes()
            self._select(self.subtype, content.get("disaster_subtype") or "")
            self.occurred_at.setDateTime(qdatetime_from_iso(content.get("occurred_at")))
            self.data_cutoff_at.setDateTime(qdatetime_from_iso(content.get("data_cutoff_at")))
            self.latitude.setText(coordinate_to_text(content.get("latitude")))
            self.longitude.setText(coordinate_to_text(content.get("longitude")))
            self.emergency_response.setChecked(bool(content.get("emergency_response")))
            self.event_stable.setChecked(bool(content.get("event_stable")))
            self._update_event_widgets()
        finally:
            self._loading = False

    def values(self) -> dict[str, Any]:
        """Return the header part of the draft content."""
        event_uuid = self.event_combo.currentData() or self._own_event_uuid
        return {
            "stage": self.stage.currentData(),
            "village_code": self.village.currentData() or "",
            "event_uuid": event_uuid,
            "event_name": self.event_name.text().strip(),
            "disaster_type": self.disaster_type.currentData(),
            "disaster_subtype": self.subtype.currentData() or None,
            "occurred_at": iso_from_qdatetime(self.occurred_at.dateTime()),
            "data_cutoff_at": iso_from_qdatetime(self.data_cutoff_at.dateTime()),
            "latitude": text_to_coordinate(self.latitude.text()),
            "longitude": text_to_coordinate(self.longitude.text()),
            "emergency_response": self.emergency_response.isChecked(),
            "event_stable": self.event_stable.isChecked(),
        }

    def current_stage(self) -> ReportStage:
        """Return the chosen stage."""
        return ReportStage(self.stage.currentData())

    def set_read_only(self, read_only: bool) -> None:
        """Lock every input (a submitted version)."""
        for widget in self.focus_chain():
            if isinstance(widget, QLineEdit | QDateTimeEdit):
                widget.setReadOnly(read_only)
            else:
                widget.setEnabled(not read_only)
        for box in self.issue_boxes.values():
            box.set_read_only(read_only)
        if not read_only:
            self._update_event_widgets()

    # --- the open events of the area -------------------------------------------------------

    def set_area_events(self, events: Sequence[OpenEvent], *, new_report: bool) -> None:
        """Offer the open events of the village's area (as last synced) in the chooser.

        Args:
            events: the cached open events (``store.events_cache.open_events``).
            new_report: the draft has chosen no event yet: join the area's default open
                event (``area_default``) and say so on the line above the inputs.
        """
        self._area = list(events)
        village = str(self.village.currentData() or "")
        for event in area_events(self._area, village):
            self._add_area_event(event)
        current = self.event_combo.currentData()
        if current == _NEW_EVENT and self._own_event_uuid in self._events:
            self._select_quietly(self._own_event_uuid)  # a draft that joined one before
        if not new_report or self.read_only_now():
            return
        default = area_default(self._area, village)
        if default is None:
            return
        self.area_line.setText(
            self.tr(
                "An event is already open in your area: {name}. A new report joins it by default."
            ).format(name=default.name)
        )
        self.area_line.show()
        self._select_event(default.event_uuid)

    def read_only_now(self) -> bool:
        """Whether the inputs are locked (a submitted version)."""
        return not self.stage.isEnabled()

    def _add_area_event(self, event: OpenEvent) -> None:
        if event.event_uuid in self._events:
            return
        summary = EventSummary(
            event_uuid=event.event_uuid,
            name=event.name,
            disaster_type=event.disaster_type,
            disaster_subtype=None,
            occurred_at=event.occurred_at or event.opened_at,
            report_count=0,
        )
        self._events[event.event_uuid] = summary
        self._add_event_item(summary)

    def _select_quietly(self, event_uuid: str) -> None:
        self._loading = True
        try:
            self._select(self.event_combo, event_uuid)
            self._update_event_widgets()
        finally:
            self._loading = False

    def _select_event(self, event_uuid: str) -> None:
        """Choose the event as the informant would (its name, type and time fill in)."""
        self.event_combo.blockSignals(True)
        try:
            self._select(self.event_combo, event_uuid)
        finally:
            self.event_combo.blockSignals(False)
        self._on_event()

    def _offer_similar(self) -> None:
        """Offer the open event a new event of this type, county and time would repeat."""
        if self._loading or self.similar_box is not None or self.read_only_now():
            return
        disaster_type = self.disaster_type.currentData()
        if self.event_combo.currentData() != _NEW_EVENT or not disaster_type:
            return
        occurred = datetime.fromtimestamp(self.occurred_at.dateTime().toSecsSinceEpoch(), UTC)
        found = similar_open(
            self._area,
            str(self.village.currentData() or ""),
            str(disaster_type),
            occurred,
            exclude=sorted(self._declined),
        )
        if not found:
            return
        event = found[0]
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Same disaster event?"),
            self.tr(
                "“{name}” ({type}, occurred {time}) is open in your county. Reports of the same "
                "disaster type, county and close time belong to one event."
            ).format(
                name=event.name,
                type=disaster_label(event.disaster_type, self._lang),
                time=local_time_text(event.occurred_at),
            ),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("similar_event_box")
        join = box.addButton(self.tr("&Join the open event"), QMessageBox.ButtonRole.AcceptRole)
        new = box.addButton(self.tr("Open a &new event anyway"), QMessageBox.ButtonRole.RejectRole)
        join.setObjectName("join_event")
        new.setObjectName("new_event_anyway")
        box.setDefaultButton(join)
        join.clicked.connect(lambda: self._join(event))
        new.clicked.connect(lambda: self._declined.add(event.event_uuid))
        box.rejected.connect(lambda: self._declined.add(event.event_uuid))
        box.finished.connect(lambda _result: self._forget_box(box))
        self.similar_box = box
        self.similar_event = event
        box.open()

    def similar_buttons(self) -> tuple[QPushButton, QPushButton] | None:
        """Return the open offer's "join" and "new anyway" buttons (tests, accessibility)."""
        box = self.similar_box
        if box is None:
            return None
        join = box.findChild(QPushButton, "join_event")
        new = box.findChild(QPushButton, "new_event_anyway")
        assert join is not None and new is not None
        return join, new

    def _join(self, event: OpenEvent) -> None:
        self._add_area_event(event)
        self._select_event(event.event_uuid)

    def _forget_box(self, box: QMessageBox) -> None:
        if self.similar_box is box:
            self.similar_box = None
            self.similar_event = None
        box.deleteLater()

    # --- reactions ---------------------------------------------------------------------------

    @staticmethod
    def _select(combo: QComboBox, data: object) -> None:
        combo.setCurrentIndex(combo.findData(data) if data is not None else -1)

    def _fill_subtypes(self) -> None:
        current = self.subtype.currentData()
        self.subtype.blockSignals(True)
        try:
            self.subtype.clear()
            disaster = DISASTER_TYPE_BY_KEY.get(self.disaster_type.currentData() or "")
            self.subtype.addItem(self.tr("(none)"), "")
            for sub in disaster.subtypes if disaster else ():
                self.subtype.addItem(sub.label(self._lang), sub.key)
            index = self.subtype.findData(current)
            self.subtype.setCurrentIndex(max(index, 0))
            self.subtype.setEnabled(self.subtype.count() > 1 and self.disaster_type.isEnabled())
        finally:
            self.subtype.blockSignals(False)

    def _update_event_widgets(self) -> None:
        """A new event takes a name and a type; an existing event fixes both."""
        new_event = self.event_combo.currentData() == _NEW_EVENT
        self.event_name.setEnabled(new_event)
        self.disaster_type.setEnabled(new_event)
        self.subtype.setEnabled(new_event and self.subtype.count() > 1)

    def _on_changed(self) -> None:
        if not self._loading:
            self.changed.emit()

    def _on_stage(self) -> None:
        if not self._loading:
            self.stage_changed.emit(self.stage.currentData())
            self.changed.emit()

    def _on_type(self) -> None:
        self._fill_subtypes()
        self._on_changed()
        self._offer_similar()

    def _on_event(self) -> None:
        if self._loading:
            return
        summary = self._events.get(self.event_combo.currentData() or "")
        if summary is not None:
            self._loading = True
            try:
                self.event_name.setText(summary.name)
                self._select(self.disaster_type, summary.disaster_type)
                self._fill_subtypes()
                self._select(self.subtype, summary.disaster_subtype or "")
                self.occurred_at.setDateTime(qdatetime_from_iso(summary.occurred_at))
            finally:
                self._loading = False
        else:
            self.event_name.clear()
        self._update_event_widgets()
        self.changed.emit()
        if summary is None:
            self._offer_similar()

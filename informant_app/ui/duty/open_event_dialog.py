"""Opening a disaster event for the township's villages: each then owes its reports on time.

Name, disaster type (the contract's list) and when it happened, and the villages (all ticked
at first).  Opened again for an event already open, the dialog only adds villages.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from informant_app.core.duty.types import OpenEvent
from informant_app.ui.common.china_time import china_datetime_edit, utc_from_qdatetime
from informant_app.ui.common.labels import ERROR_COLOR
from informant_app.ui.common.plain_text import plain
from sync.contract import DISASTER_TYPES

#: The longest event name accepted.
MAX_NAME = 100


class OpenEventDialog(QDialog):
    """Asks for an event and its villages; ``accepted`` only with a name and a village."""

    def __init__(
        self,
        lang: str,
        villages: Sequence[tuple[str, str]],
        existing: OpenEvent | None = None,
        now: datetime | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Build the dialog.

        Args:
            lang: the UI language (disaster type names).
            villages: ``(village_code, name)`` of the township's villages.
            existing: an open event to add villages to (its name and type are kept).
            now: the default time of the event (default: now).
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("open_event_dialog")
        self.existing = existing
        self._opened = {v.village_code for v in existing.villages} if existing else set()
        self.setWindowTitle(
            self.tr("Add villages to the event")
            if existing
            else self.tr("Open an event for villages")
        )
        intro = QLabel(
            self.tr(
                "Each village ticked owes an initial report on time counted from the time of "
                "occurrence (at least 10 minutes after the opening), then a continuing report "
                "every day until the event is closed."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.name = QLineEdit(self)
        self.name.setObjectName("event_name")
        self.name.setMaxLength(MAX_NAME)
        self.name.setPlaceholderText(self.tr("e.g. 6月1日瓦房乡暴雨"))
        self.disaster = QComboBox(self)
        self.disaster.setObjectName("event_disaster_type")
        for disaster in DISASTER_TYPES:
            self.disaster.addItem(disaster.label(lang), disaster.key)
        moment = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
        self.occurred = china_datetime_edit(self, moment)
        self.occurred.setObjectName("event_occurred_at")
        if existing is not None:
            self.name.setText(existing.event_name)
            self.disaster.setCurrentIndex(max(self.disaster.findData(existing.disaster_type), 0))
            for widget in (self.name, self.disaster, self.occurred):
                widget.setEnabled(False)

        self.villages = QListWidget(self)
        self.villages.setObjectName("event_villages")
        for code, name in villages:
            item = QListWidgetItem(name, self.villages)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            if code in self._opened:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(self.tr("Already opened for this village."))
        self.all_button = QPushButton(self.tr("A&ll"), self)
        self.none_button = QPushButton(self.tr("N&one"), self)
        for button in (self.all_button, self.none_button):
            button.setAutoDefault(False)
        self.problem = plain(QLabel(self))
        self.problem.setObjectName("open_event_problem")
        self.problem.setStyleSheet(f"color: {ERROR_COLOR};")

        form = QFormLayout()
        for text, widget in (
            (self.tr("&Name"), self.name),
            (self.tr("Disaster &type"), self.disaster),
            (self.tr("&Occurred at"), self.occurred),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        villages_label = QLabel(self.tr("&Villages"), self)
        villages_label.setBuddy(self.villages)
        pick = QHBoxLayout()
        pick.addWidget(villages_label)
        pick.addStretch(1)
        pick.addWidget(self.all_button)
        pick.addWidget(self.none_button)

        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(
            self.tr("&Add villages") if existing else self.tr("O&pen event"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.ok_button.setObjectName("confirm_open_event")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(pick)
        layout.addWidget(self.villages, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        self.name.textChanged.connect(self._update)
        self.villages.itemChanged.connect(self._update)
        self.all_button.clicked.connect(lambda: self._check_all(Qt.CheckState.Checked))
        self.none_button.clicked.connect(lambda: self._check_all(Qt.CheckState.Unchecked))
        self.resize(480, 520)
        self._update()

    def _items(self) -> list[QListWidgetItem]:
        return [
            item
            for item in (self.villages.item(r) for r in range(self.villages.count()))
            if item is not None
        ]

    def _check_all(self, state: Qt.CheckState) -> None:
        for item in self._items():
            if item.flags() & Qt.ItemFlag.ItemIsEnabled:
                item.setCheckState(state)

    # --- the answers -----------------------------------------------------------------------

    def event_name(self) -> str:
        """Return the event's name (stripped)."""
        return self.name.text().strip()

    def disaster_type(self) -> str:
        """Return the disaster type's key."""
        return str(self.disaster.currentData())

    def occurred_at(self) -> datetime:
        """Return when the disaster happened, in UTC."""
        return utc_from_qdatetime(self.occurred.dateTime())

    def checked_codes(self) -> list[str]:
        """Return the codes of the villages ticked (and not opened already)."""
        return [
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in self._items()
            if item.checkState() is Qt.CheckState.Checked
            and str(item.data(Qt.ItemDataRole.UserRole)) not in self._opened
        ]

    def village_codes(self) -> tuple[str, ...]:
        """Return the villages to open for; empty when every one is ticked.

        Empty means every village of the township that has a post, to the server.
        """
        codes = self.checked_codes()
        if self.existing is None and len(codes) == len(self._items()):
            return ()
        return tuple(codes)

    def problem_text(self) -> str:
        """Return what keeps the dialog from being accepted ("" when nothing)."""
        if not self.event_name():
            return self.tr("The event needs a name.")
        if not self.checked_codes():
            return self.tr("Tick at least one village.")
        return ""

    def _update(self) -> None:
        problem = self.problem_text()
        self.problem.setText(problem)
        self.ok_button.setEnabled(not problem)

    @override
    def accept(self) -> None:
        """Close with the event, unless its name or its villages are missing."""
        if self.problem_text():
            self._update()
            return
        super().accept()

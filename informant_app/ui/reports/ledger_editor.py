"""The ledgers a verified report needs.

The name ledger of the dead and missing (死亡失踪人员名单) and the household ledger of
collapsed and damaged houses (户数台账).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from informant_app.ui.reports.issue_view import IssueBox
from sync.contract.report import HOUSE_DAMAGE_KINDS, MAX_HOUSEHOLD_ROOMS

_NAME, _STATUS = 0, 1
#: Editing starts by typing, F2 or a click; not by merely arriving on a cell, so Tab can enter
#: the table and leave it again.
EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.SelectedClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.AnyKeyPressed
)


class LedgerEditor(QWidget):
    """A table of names, each marked dead or missing, with rows added and removed by buttons.

    Signals:
        changed(): a row was added, removed or edited.
    """

    changed = Signal()

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("ledger")
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Death or missing")])
        self.table.horizontalHeader().setSectionResizeMode(_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        # Tab leaves the table (the arrow keys move between its cells): no keyboard trap
        self.table.setTabKeyNavigation(False)
        self.table.setMinimumHeight(110)
        self.table.setMaximumHeight(200)
        self.add_button = QPushButton(self.tr("Add person"), self)
        self.add_button.setObjectName("add_person")
        self.remove_button = QPushButton(self.tr("Remove person"), self)
        self.remove_button.setObjectName("remove_person")
        self.issues = IssueBox(lang, self)
        self.issues.set_anchor(self.remove_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.issues)
        self._loading = False
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button.clicked.connect(self._remove_clicked)
        self.table.itemChanged.connect(self._on_changed)

    def set_entries(self, entries: Sequence[dict[str, Any]]) -> None:
        """Show the ledger rows of the content."""
        self._loading = True
        try:
            self.table.setRowCount(0)
            for entry in entries:
                self.add_row(str(entry.get("name", "")), str(entry.get("status", "death")))
        finally:
            self._loading = False

    def entries(self) -> list[dict[str, str]]:
        """Return the rows with a name, in their JSON form."""
        rows = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, _NAME)
            name = item.text().strip() if item else ""
            combo = self.table.cellWidget(row, _STATUS)
            status = combo.currentData() if isinstance(combo, QComboBox) else "death"
            if name:
                rows.append({"name": name, "status": status, "note": ""})
        return rows

    def add_row(self, name: str = "", status: str = "death") -> None:
        """Append a row."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, _NAME, QTableWidgetItem(name))
        combo = QComboBox(self.table)
        combo.addItem(self.tr("Death"), "death")
        combo.addItem(self.tr("Missing"), "missing")
        combo.setCurrentIndex(max(combo.findData(status), 0))
        combo.setObjectName("ledger_status")
        combo.setAccessibleName(self.tr("Death or missing"))
        combo.currentIndexChanged.connect(self._on_changed)
        self.table.setCellWidget(row, _STATUS, combo)
        # Tab order: the table (names), each row's death-or-missing choice, then the buttons
        previous = self.table.cellWidget(row - 1, _STATUS) if row > 0 else None
        QWidget.setTabOrder(previous or self.table, combo)

    def set_read_only(self, read_only: bool) -> None:
        """Forbid editing (a submitted version)."""
        triggers = QTableWidget.EditTrigger.NoEditTriggers if read_only else EDIT_TRIGGERS
        self.table.setEditTriggers(triggers)
        for row in range(self.table.rowCount()):
            widget = self.table.cellWidget(row, _STATUS)
            if widget is not None:
                widget.setEnabled(not read_only)
        self.add_button.setVisible(not read_only)
        self.remove_button.setVisible(not read_only)
        self.issues.set_read_only(read_only)

    def _add_clicked(self) -> None:
        self.add_row()
        row = self.table.rowCount() - 1
        self.table.setCurrentCell(row, _NAME)
        item = self.table.item(row, _NAME)
        if item is not None:
            self.table.editItem(item)

    def _remove_clicked(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self.changed.emit()

    def _on_changed(self) -> None:
        if not self._loading:
            self.changed.emit()


_HEAD, _DAMAGE, _ROOMS, _NOTE = 0, 1, 2, 3


class HouseholdEditor(QWidget):
    """The household ledger (户数台账): one row per household whose house fell or was damaged.

    Each row has the head of household, the damage (collapsed, severely or generally damaged:
    the house classes of the figures), the rooms and a note.  Rows are added and removed by
    buttons; Tab enters the table and leaves it, the arrow keys move between its cells, typing
    edits a cell, and the damage and rooms inputs of each row follow in the Tab order.

    Signals:
        changed(): a row was added, removed or edited.
    """

    changed = Signal()

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("households")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Head of household"), self.tr("Damage"), self.tr("Rooms"), self.tr("Note")]
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(_HEAD, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(_NOTE, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setTabKeyNavigation(False)  # no keyboard trap (see LedgerEditor)
        self.table.setMinimumHeight(110)
        self.table.setMaximumHeight(240)
        self.add_button = QPushButton(self.tr("Add household"), self)
        self.add_button.setObjectName("add_household")
        self.remove_button = QPushButton(self.tr("Remove household"), self)
        self.remove_button.setObjectName("remove_household")
        self.issues = IssueBox(lang, self)
        self.issues.set_anchor(self.remove_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.issues)
        self._loading = False
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button.clicked.connect(self._remove_clicked)
        self.table.itemChanged.connect(self._on_changed)

    def damage_label(self, damage: str) -> str:
        """Return the translated name of a damage kind."""
        labels = {
            "collapsed": self.tr("Collapsed"),
            "severe": self.tr("Severely damaged"),
            "minor": self.tr("Generally damaged"),
        }
        return labels.get(damage, damage)

    def set_entries(self, entries: Sequence[dict[str, Any]]) -> None:
        """Show the household rows of the content."""
        self._loading = True
        try:
            self.table.setRowCount(0)
            for entry in entries:
                rooms = entry.get("rooms")
                self.add_row(
                    str(entry.get("head", "")),
                    str(entry.get("damage", "collapsed")),
                    rooms if isinstance(rooms, int) and not isinstance(rooms, bool) else 1,
                    str(entry.get("note") or ""),
                )
        finally:
            self._loading = False

    def entries(self) -> list[dict[str, Any]]:
        """Return the rows with a head of household, in their JSON form."""
        rows: list[dict[str, Any]] = []
        for row in range(self.table.rowCount()):
            head_item = self.table.item(row, _HEAD)
            head = head_item.text().strip() if head_item else ""
            note_item = self.table.item(row, _NOTE)
            note = note_item.text().strip() if note_item else ""
            combo = self.table.cellWidget(row, _DAMAGE)
            damage = combo.currentData() if isinstance(combo, QComboBox) else "collapsed"
            spin = self.table.cellWidget(row, _ROOMS)
            rooms = spin.value() if isinstance(spin, QSpinBox) else 1
            if head:
                rows.append({"head": head, "damage": damage, "rooms": rooms, "note": note})
        return rows

    def add_row(
        self, head: str = "", damage: str = "collapsed", rooms: int = 1, note: str = ""
    ) -> None:
        """Append a row."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, _HEAD, QTableWidgetItem(head))
        self.table.setItem(row, _NOTE, QTableWidgetItem(note))
        combo = QComboBox(self.table)
        for kind in HOUSE_DAMAGE_KINDS:
            combo.addItem(self.damage_label(kind), kind)
        combo.setCurrentIndex(max(combo.findData(damage), 0))
        combo.setObjectName("household_damage")
        combo.setAccessibleName(self.tr("Damage"))
        combo.currentIndexChanged.connect(self._on_changed)
        spin = QSpinBox(self.table)
        spin.setRange(1, MAX_HOUSEHOLD_ROOMS)
        spin.setValue(min(max(rooms, 1), MAX_HOUSEHOLD_ROOMS))
        spin.setObjectName("household_rooms")
        spin.setAccessibleName(self.tr("Rooms"))
        spin.valueChanged.connect(self._on_changed)
        self.table.setCellWidget(row, _DAMAGE, combo)
        self.table.setCellWidget(row, _ROOMS, spin)
        # Tab order: the table, then each row's damage and rooms, then the buttons
        previous = self.table.cellWidget(row - 1, _ROOMS) if row > 0 else None
        QWidget.setTabOrder(previous or self.table, combo)
        QWidget.setTabOrder(combo, spin)

    def set_read_only(self, read_only: bool) -> None:
        """Forbid editing (a submitted version)."""
        triggers = QTableWidget.EditTrigger.NoEditTriggers if read_only else EDIT_TRIGGERS
        self.table.setEditTriggers(triggers)
        for row in range(self.table.rowCount()):
            for column in (_DAMAGE, _ROOMS):
                widget = self.table.cellWidget(row, column)
                if widget is not None:
                    widget.setEnabled(not read_only)
        self.add_button.setVisible(not read_only)
        self.remove_button.setVisible(not read_only)
        self.issues.set_read_only(read_only)

    def _add_clicked(self) -> None:
        self.add_row()
        row = self.table.rowCount() - 1
        self.table.setCurrentCell(row, _HEAD)
        item = self.table.item(row, _HEAD)
        if item is not None:
            self.table.editItem(item)

    def _remove_clicked(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self.changed.emit()

    def _on_changed(self) -> None:
        if not self._loading:
            self.changed.emit()

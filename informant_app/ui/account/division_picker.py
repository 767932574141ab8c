"""Pick the villages an informant reports for: county → township → tick the villages."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from sync.contract import DivisionLevel, DivisionTable

_CODE_ROLE = Qt.ItemDataRole.UserRole


class DivisionPicker(QWidget):
    """County and township choosers over a checkable list of the township's villages.

    Ticks are kept while the informant browses other townships.

    Signals:
        selection_changed(): the set of ticked villages changed.
    """

    selection_changed = Signal()

    def __init__(self, divisions: DivisionTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._divisions = divisions
        self._chosen: list[str] = []
        self.county = QComboBox(self)
        self.county.setObjectName("county")
        self.township = QComboBox(self)
        self.township.setObjectName("township")
        self.villages = QListWidget(self)
        self.villages.setObjectName("villages")
        self.villages.setMinimumHeight(160)
        self.chosen_label = QLabel(self)
        self.chosen_label.setWordWrap(True)
        for county in divisions.of_level(DivisionLevel.COUNTY):
            self.county.addItem(county.name, county.code)
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow(self.tr("County"), self.county)
        layout.addRow(self.tr("Township"), self.township)
        layout.addRow(self.tr("Villages"), self.villages)
        layout.addRow("", self.chosen_label)
        self.county.currentIndexChanged.connect(self._fill_townships)
        self.township.currentIndexChanged.connect(self._fill_villages)
        self.villages.itemChanged.connect(self._on_item)
        self._fill_townships()
        first = next(iter(divisions.of_level(DivisionLevel.VILLAGE)), None)
        if first is not None and first.parent_code:
            self.choose_township(first.parent_code)

    def chosen(self) -> list[str]:
        """Return the codes of the ticked villages, in the order they were ticked."""
        return list(self._chosen)

    def set_chosen(self, codes: Iterable[str]) -> None:
        """Tick ``codes`` and show the township of the first."""
        self._chosen = [c for c in codes if c in self._divisions]
        if self._chosen:
            chain = {d.level: d.code for d in self._divisions.ancestors(self._chosen[0])}
            self._select(self.county, chain.get(DivisionLevel.COUNTY))
            self._select(self.township, chain.get(DivisionLevel.TOWNSHIP))
        self._fill_villages()

    def choose_township(self, code: str) -> None:
        """Show the villages of the township ``code`` (selecting its county first)."""
        chain = {d.level: d.code for d in self._divisions.ancestors(code)}
        self._select(self.county, chain.get(DivisionLevel.COUNTY))
        self._select(self.township, code)

    @staticmethod
    def _select(combo: QComboBox, code: str | None) -> None:
        index = combo.findData(code)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _fill_townships(self) -> None:
        self.township.blockSignals(True)
        try:
            self.township.clear()
            for township in self._divisions.children(self.county.currentData() or ""):
                if township.level is DivisionLevel.TOWNSHIP:
                    self.township.addItem(township.name, township.code)
        finally:
            self.township.blockSignals(False)
        self._fill_villages()

    def _fill_villages(self) -> None:
        self.villages.blockSignals(True)
        try:
            self.villages.clear()
            for village in self._divisions.children(self.township.currentData() or ""):
                item = QListWidgetItem(village.name, self.villages)
                item.setData(_CODE_ROLE, village.code)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                checked = village.code in self._chosen
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            if self.villages.count() == 0:
                item = QListWidgetItem(
                    self.tr("No villages of this township are listed"), self.villages
                )
                item.setFlags(Qt.ItemFlag.NoItemFlags)
        finally:
            self.villages.blockSignals(False)
        self._update_label()

    def _on_item(self, item: QListWidgetItem) -> None:
        code = item.data(_CODE_ROLE)
        if not code:
            return
        if item.checkState() == Qt.CheckState.Checked and code not in self._chosen:
            self._chosen.append(code)
        elif item.checkState() != Qt.CheckState.Checked and code in self._chosen:
            self._chosen.remove(code)
        self._update_label()
        self.selection_changed.emit()

    def _update_label(self) -> None:
        names = [
            self._divisions.full_name(c, from_level=DivisionLevel.TOWNSHIP) for c in self._chosen
        ]
        self.chosen_label.setText(
            self.tr("Chosen: {names}").format(names="、".join(names))
            if names
            else self.tr("No village chosen yet")
        )

"""The township report as a table: a row per village, the adjustments, and the total.

Columns: the unit (village, adjustment or total), a note (who filed it, or the adjustment's
reason), then the indicators in national order with their units.  Empty indicators can be
hidden (``set_hide_empty``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont
from typing_extensions import override

from informant_app.core.review.service import TownshipReport
from informant_app.ui.common.field_rows import indicator_label
from informant_app.ui.common.labels import number_text
from informant_app.ui.common.review_labels import person_label
from sync.contract import INDICATORS, Indicator

Index = QModelIndex | QPersistentModelIndex

#: Columns before the indicators.
LEADING_COLUMNS = 2
#: Backgrounds of the sum lines.
SUBTOTAL_BACKGROUND = "#f1f3f4"
TOTAL_BACKGROUND = "#e3f2fd"
ADJUSTMENT_COLOR = "#8e24aa"


class LineKind(Enum):
    """What a line of the township report is."""

    VILLAGE = "village"
    SUBTOTAL = "subtotal"
    ADJUSTMENT = "adjustment"
    TOTAL = "total"


@dataclass(frozen=True)
class ReportLine:
    """One line: its kind, the unit's name, a note and its figures."""

    kind: LineKind
    name: str
    note: str
    figures: dict[str, Decimal]


class TownshipReportModel(QAbstractTableModel):
    """Shows one ``TownshipReport`` (or nothing)."""

    def __init__(self, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self._report: TownshipReport | None = None
        self._lines: list[ReportLine] = []
        self._indicators: list[Indicator] = list(INDICATORS)
        self._hide_empty = True

    @property
    def report(self) -> TownshipReport | None:
        """The report shown."""
        return self._report

    def lines(self) -> list[ReportLine]:
        """Return the lines shown, top to bottom."""
        return list(self._lines)

    def indicators(self) -> list[Indicator]:
        """Return the indicators shown as columns, in national order."""
        return list(self._indicators)

    def set_report(self, report: TownshipReport | None) -> None:
        """Show ``report`` (``None`` empties the table)."""
        self.beginResetModel()
        self._report = report
        self._lines = self._build_lines(report) if report is not None else []
        self._indicators = self._visible_indicators()
        self.endResetModel()

    def set_hide_empty(self, hide: bool) -> None:
        """Hide the indicators that are empty or zero on every line."""
        self.beginResetModel()
        self._hide_empty = hide
        self._indicators = self._visible_indicators()
        self.endResetModel()

    def _build_lines(self, report: TownshipReport) -> list[ReportLine]:
        lines = [
            ReportLine(
                LineKind.VILLAGE,
                v.village_name,
                person_label(v.filed_by, v.filed_role),
                dict(v.figures),
            )
            for v in report.villages
        ]
        if report.adjustments:
            lines.append(
                ReportLine(
                    LineKind.SUBTOTAL, self.tr("Sum of the villages"), "", dict(report.village_sum)
                )
            )
            for adjustment in report.adjustments:
                lines.append(
                    ReportLine(
                        LineKind.ADJUSTMENT,
                        self.tr("Adjustment"),
                        self.tr("{reason} ({who})").format(
                            reason=adjustment.reason, who=adjustment.made_by
                        ),
                        {adjustment.field: adjustment.delta},
                    )
                )
        lines.append(ReportLine(LineKind.TOTAL, self.tr("Total"), "", dict(report.total)))
        return lines

    def _visible_indicators(self) -> list[Indicator]:
        if not self._hide_empty or not self._lines:
            return list(INDICATORS)
        return [i for i in INDICATORS if any(line.figures.get(i.field) for line in self._lines)]

    # --- the table -------------------------------------------------------------------------

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else LEADING_COLUMNS + len(self._indicators)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return self.tr("Unit")
            if section == 1:
                return self.tr("Filed by / reason")
            indicator = self._indicators[section - LEADING_COLUMNS]
            return indicator_label(indicator, self._lang).replace("（", "\n（").replace(" (", "\n(")
        if role == Qt.ItemDataRole.ToolTipRole and section >= LEADING_COLUMNS:
            return indicator_label(self._indicators[section - LEADING_COLUMNS], self._lang)
        return None

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._lines):
            return None
        line, column = self._lines[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return line.name
            if column == 1:
                return line.note
            indicator = self._indicators[column - LEADING_COLUMNS]
            value = line.figures.get(indicator.field)
            if value is None:
                return ""
            return number_text(value, indicator.decimals, signed=line.kind is LineKind.ADJUSTMENT)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= LEADING_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and line.kind is LineKind.TOTAL:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            if line.kind is LineKind.TOTAL:
                return QBrush(QColor(TOTAL_BACKGROUND))
            if line.kind is LineKind.SUBTOTAL:
                return QBrush(QColor(SUBTOTAL_BACKGROUND))
        if role == Qt.ItemDataRole.ForegroundRole and line.kind is LineKind.ADJUSTMENT:
            return QColor(ADJUSTMENT_COLOR)
        return None

"""The dashboard's tables: the units below, the reports waiting, the year summary.

The units below come with their deadline standing and figures; the reports waiting are those
of units below that wait for the unit's decision; the year summary has a line per unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor, QFont
from typing_extensions import override

from informant_app.core.dashboard.board import Board, Standing, UnitLine
from informant_app.ui.common.labels import ERROR_COLOR, WARNING_COLOR, local_time_text, stage_label
from informant_app.ui.common.paged_table_model import Index
from informant_app.ui.dashboard.charts import number_text
from sync.contract.indicators import INDICATOR_BY_FIELD
from sync.contract.wire.summary import SummaryRow, YearSummary
from sync.contract.wire.unit_reports import UnitRow

#: The figures the unit table shows beside the one chosen for the chart.
HEADLINE = ("affected_pop", "deaths", "missing", "direct_loss")
#: The figures the year summary shows, as ``SummaryRow`` attributes.
SUMMARY_FIELDS = (
    "events",
    "townships_affected",
    "affected_pop",
    "deaths",
    "missing",
    "crop_affected_ha",
    "crop_failed_ha",
    "house_collapsed_hh",
    "house_collapsed_rooms",
    "house_damaged_hh",
    "house_damaged_rooms",
    "direct_loss",
)
_BOLD = QFont()
_BOLD.setBold(True)


def standing_label(standing: Standing) -> str:
    """Return a standing's words."""
    return {
        Standing.FILED: QCoreApplication.translate("Dashboard", "Filed"),
        Standing.FILED_LATE: QCoreApplication.translate("Dashboard", "Filed late"),
        Standing.NOT_DUE: QCoreApplication.translate("Dashboard", "Not due"),
        Standing.ESCALATED: QCoreApplication.translate("Dashboard", "Escalated"),
        Standing.OVERDUE: QCoreApplication.translate("Dashboard", "Overdue"),
        Standing.NONE: QCoreApplication.translate("Dashboard", "No deadline"),
    }[standing]


def standing_color(standing: Standing) -> str | None:
    """Return the colour a standing is written in (``None``: the normal one)."""
    return {
        Standing.OVERDUE: ERROR_COLOR,
        Standing.ESCALATED: WARNING_COLOR,
        Standing.FILED_LATE: WARNING_COLOR,
    }.get(standing)


def figure_label(field_name: str, lang: str) -> str:
    """Return an indicator's name with its unit (``受灾人口（人）``)."""
    found = INDICATOR_BY_FIELD.get(field_name)
    if found is None:
        return field_name
    unit = found.unit_label(lang)
    return f"{found.label(lang)}（{unit}）" if lang == "zh" else f"{found.label(lang)} ({unit})"


class UnitLinesModel(QAbstractTableModel):
    """One line per unit below (name, standing, report, cut-off, figures) and a total line."""

    def __init__(self, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self._board: Board | None = None
        self._fields: list[str] = list(HEADLINE)

    def set_board(self, board: Board | None, chosen: str = "") -> None:
        """Show ``board``; ``chosen`` (the charted figure) is added to the figure columns."""
        self.beginResetModel()
        self._board = board
        self._fields = list(HEADLINE)
        if chosen and chosen not in self._fields:
            self._fields.insert(0, chosen)
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    def lines(self) -> list[UnitLine]:
        """Return the unit lines (without the total)."""
        return list(self._board.lines) if self._board is not None else []

    def _count(self) -> int:
        return len(self._board.lines) + 1 if self._board is not None else 0

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count()

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4 + len(self._fields)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        fixed = [self.tr("Unit"), self.tr("Deadline"), self.tr("Report"), self.tr("Data cut-off")]
        if section < len(fixed):
            return fixed[section]
        return figure_label(self._fields[section - len(fixed)], self._lang)

    def cell_text(self, row: int, column: int) -> str:
        """Return the text of one cell (the last row is the total)."""
        board = self._board
        if board is None:
            return ""
        if row == len(board.lines):
            if column == 0:
                return self.tr("Total: {name}").format(name=board.unit_name)
            if column < 4:
                return ""
            return number_text(board.total.get(self._fields[column - 4], Decimal(0)))
        line = board.lines[row]
        match column:
            case 0:
                return line.name
            case 1:
                return standing_label(line.standing)
            case 2:
                return self._report_text(line)
            case 3:
                return local_time_text(line.cutoff)
        if not line.counted:
            return ""
        return number_text(line.figures.get(self._fields[column - 4], Decimal(0)))

    def _report_text(self, line: UnitLine) -> str:
        counted = self.tr("Approved") if self._board_level() == "township" else self.tr("Passed")
        if line.waiting is not None:
            waiting = self.tr("waiting for your decision")
            return f"{counted}; {waiting}" if line.counted else waiting[:1].upper() + waiting[1:]
        return counted if line.counted else self.tr("None")

    def _board_level(self) -> str:
        return self._board.level if self._board is not None else ""

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._board is None or index.row() >= self._count():
            return None
        is_total = index.row() == len(self._board.lines)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and is_total:
            return _BOLD
        if role == Qt.ItemDataRole.ForegroundRole and not is_total and index.column() == 1:
            color = standing_color(self._board.lines[index.row()].standing)
            return QColor(color) if color else None
        if role == Qt.ItemDataRole.ToolTipRole and not is_total and index.column() == 0:
            return self._board.lines[index.row()].code
        return None


class WaitingModel(QAbstractTableModel):
    """The reports of units below waiting for the unit's decision."""

    def __init__(self, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self._rows: list[UnitRow] = []

    def set_rows(self, rows: Sequence[UnitRow]) -> None:
        """Show ``rows``."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> UnitRow | None:
        """Return the waiting report on line ``row``."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rows(self) -> list[UnitRow]:
        """Return the waiting reports."""
        return list(self._rows)

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5 + len(HEADLINE)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        fixed = [
            self.tr("Unit"),
            self.tr("Stage"),
            self.tr("Submitted by"),
            self.tr("Received"),
            self.tr("Data cut-off"),
        ]
        if section < len(fixed):
            return fixed[section]
        return figure_label(HEADLINE[section - len(fixed)], self._lang)

    def cell_text(self, row: UnitRow, column: int) -> str:
        """Return the text of one cell."""
        match column:
            case 0:
                return row.unit_name
            case 1:
                return stage_label(row.stage, self._lang)
            case 2:
                role = f" ({row.post_role})" if row.post_role else ""
                return f"{row.submitted_by_name or row.submitted_by}{role}"
            case 3:
                return local_time_text(row.server_received_at)
            case 4:
                return local_time_text(row.data_cutoff_at)
        value = row.figures.get(HEADLINE[column - 5], 0)
        return number_text(Decimal(str(value)))

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class SummaryModel(QAbstractTableModel):
    """The year's summary: one line per unit below and the total (bold) at the end."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._summary: YearSummary | None = None

    def set_summary(self, summary: YearSummary | None) -> None:
        """Show ``summary`` (``None``: empty)."""
        self.beginResetModel()
        self._summary = summary
        self.endResetModel()

    def rows(self) -> list[SummaryRow]:
        """Return the unit rows (without the total)."""
        return list(self._summary.rows) if self._summary is not None else []

    def _lines(self) -> list[SummaryRow]:
        if self._summary is None:
            return []
        return [*self._summary.rows, self._summary.total]

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines())

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1 + len(SUMMARY_FIELDS)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return [
            self.tr("Unit"),
            self.tr("Events"),
            self.tr("Townships affected"),
            self.tr("People affected (person-times)"),
            self.tr("Deaths"),
            self.tr("Missing"),
            self.tr("Crops affected (ha)"),
            self.tr("Crops failed (ha)"),
            self.tr("Houses collapsed (households)"),
            self.tr("Houses collapsed (rooms)"),
            self.tr("Houses damaged (households)"),
            self.tr("Houses damaged (rooms)"),
            self.tr("Direct loss (10k CNY)"),
        ][section]

    def cell_text(self, row: SummaryRow, column: int, is_total: bool) -> str:
        """Return the text of one cell."""
        if column == 0:
            return self.tr("Total: {name}").format(name=row.name) if is_total else row.name
        value = getattr(row, SUMMARY_FIELDS[column - 1])
        return number_text(Decimal(str(value)).quantize(Decimal("0.01")).normalize())

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        lines = self._lines()
        if not index.isValid() or index.row() >= len(lines):
            return None
        is_total = index.row() == len(lines) - 1
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(lines[index.row()], index.column(), is_total)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and is_total:
            return _BOLD
        return None

"""The roster's completeness: a table (posts, with A, with B, vacant, not synced) and its bars.

One row per division below the one picked (a county's townships, a township's villages…) and
a total line.  The bar chart draws each row's posts as one bar: held by an A, held by a B
alone, vacant; the not synced count is written beside it.  It is painted with ``QPainter``, so
nothing beyond Qt is needed.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget
from typing_extensions import override

from informant_app.ui.admin.labels import level_label
from informant_app.ui.common.labels import ERROR_COLOR, WARNING_COLOR
from informant_app.ui.common.paged_table_model import Index
from sync.contract.wire.admin import CompletenessRow, RosterCompleteness

#: The colours of the chart: posts with an A, with a B only, vacant.
WITH_A_COLOR = "#2e7d32"
B_ONLY_COLOR = "#f9a825"
VACANT_COLOR = ERROR_COLOR


class CompletenessColumn(IntEnum):
    """The columns of the completeness table."""

    NAME = 0
    LEVEL = 1
    POSTS = 2
    WITH_A = 3
    WITH_B = 4
    VACANT = 5
    STALE = 6


class CompletenessModel(QAbstractTableModel):
    """One line per division and a total line (bold) at the end."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[CompletenessRow] = []
        self._total: CompletenessRow | None = None
        self.stale_days = 30
        self.under = ""

    def set_completeness(self, answer: RosterCompleteness | None) -> None:
        """Show ``answer`` (``None``: empty)."""
        self.beginResetModel()
        self._rows = list(answer.rows) if answer is not None else []
        self._total = answer.total if answer is not None else None
        if answer is not None:
            self.stale_days = answer.stale_days
            self.under = answer.under
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(CompletenessColumn) - 1)

    def rows(self) -> list[CompletenessRow]:
        """Return the division rows (without the total)."""
        return list(self._rows)

    @property
    def total(self) -> CompletenessRow | None:
        """The total line (``None``: nothing shown)."""
        return self._total

    def _lines(self) -> list[CompletenessRow]:
        return [*self._rows, self._total] if self._total is not None else []

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines())

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(CompletenessColumn)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            CompletenessColumn.NAME: self.tr("Division"),
            CompletenessColumn.LEVEL: self.tr("Level"),
            CompletenessColumn.POSTS: self.tr("Posts"),
            CompletenessColumn.WITH_A: self.tr("With A"),
            CompletenessColumn.WITH_B: self.tr("With B"),
            CompletenessColumn.VACANT: self.tr("Vacant"),
            CompletenessColumn.STALE: self.tr("Not synced for {n} days").format(n=self.stale_days),
        }[CompletenessColumn(section)]

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        lines = self._lines()
        if not index.isValid() or index.row() >= len(lines):
            return None
        row, column = lines[index.row()], CompletenessColumn(index.column())
        is_total = index.row() == len(lines) - 1
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(row, column, is_total)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= CompletenessColumn.POSTS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and is_total:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if column is CompletenessColumn.VACANT and row.vacant:
                return QColor(ERROR_COLOR)
            if column is CompletenessColumn.STALE and row.stale:
                return QColor(WARNING_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole and column is CompletenessColumn.NAME:
            return row.code
        return None

    def cell_text(self, row: CompletenessRow, column: CompletenessColumn, is_total: bool) -> str:
        """Return the text of one cell."""
        match column:
            case CompletenessColumn.NAME:
                return self.tr("Total: {name}").format(name=row.name) if is_total else row.name
            case CompletenessColumn.LEVEL:
                return level_label(row.level)
            case CompletenessColumn.POSTS:
                return str(row.posts)
            case CompletenessColumn.WITH_A:
                return str(row.with_a)
            case CompletenessColumn.WITH_B:
                return str(row.with_b)
            case CompletenessColumn.VACANT:
                return str(row.vacant)
            case CompletenessColumn.STALE:
                return str(row.stale)


class CompletenessChart(QWidget):
    """Horizontal bars, one per division: posts with an A, with a B only, vacant."""

    BAR = 16
    GAP = 6

    def __init__(self, model: CompletenessModel, parent: QWidget | None = None) -> None:
        """Draw the rows of ``model`` (redrawn when it is reset)."""
        super().__init__(parent)
        self.setObjectName("completeness_chart")
        self._model = model
        model.modelReset.connect(self._changed)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setAccessibleName(self.tr("Completeness chart"))

    def _changed(self) -> None:
        self.updateGeometry()
        self.update()

    def bars(self) -> list[CompletenessRow]:
        """Return the rows drawn: the divisions one level below the one picked, on one scale.

        A city shows its counties, a county its townships; the division picked, and levels
        further down, would dwarf them or be dwarfed.  A township alone shows itself.
        """
        below = [r for r in self._model.rows() if r.code != self._model.under]
        levels = {r.level for r in below}
        top = next((level for level in ("county", "township", "village") if level in levels), None)
        return [r for r in below if r.level == top] or self._model.rows()

    @override
    def sizeHint(self) -> QSize:
        rows = len(self.bars())
        legend = self.fontMetrics().height() + self.GAP * 2
        return QSize(400, legend + rows * (self.BAR + self.GAP) + self.GAP)

    @override
    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        rows = self.bars()
        metrics = self.fontMetrics()
        text_color = self.palette().text().color()
        legend = [
            (WITH_A_COLOR, self.tr("With A")),
            (B_ONLY_COLOR, self.tr("B only")),
            (VACANT_COLOR, self.tr("Vacant")),
        ]
        x = self.GAP
        height = metrics.height()
        for color, text in legend:
            painter.fillRect(QRectF(x, self.GAP, height, height), QColor(color))
            x += height + 4
            painter.setPen(text_color)
            painter.drawText(
                QRectF(x, self.GAP, metrics.horizontalAdvance(text) + 2, height),
                Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            x += metrics.horizontalAdvance(text) + 16
        if not rows:
            return
        name_width = min(220, max(metrics.horizontalAdvance(r.name) for r in rows) + 12)
        stale_width = metrics.horizontalAdvance(self.tr("{n} not synced").format(n=9999)) + 12
        most = max((r.posts for r in rows), default=0) or 1
        span = max(20.0, self.width() - name_width - stale_width - 3 * self.GAP)
        y = float(self.GAP * 2 + height)
        for row in rows:
            painter.setPen(text_color)
            painter.drawText(
                QRectF(self.GAP, y, name_width - 6, self.BAR),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                metrics.elidedText(row.name, Qt.TextElideMode.ElideRight, name_width - 6),
            )
            left = float(self.GAP + name_width)
            b_only = max(0, row.posts - row.with_a - row.vacant)
            for count, color in (
                (row.with_a, WITH_A_COLOR),
                (b_only, B_ONLY_COLOR),
                (row.vacant, VACANT_COLOR),
            ):
                width = span * count / most
                if width > 0:
                    painter.fillRect(QRectF(left, y, width, self.BAR), QColor(color))
                    left += width
            if row.stale:
                painter.setPen(QColor(WARNING_COLOR))
                painter.drawText(
                    QRectF(left + 6, y, stale_width, self.BAR),
                    Qt.AlignmentFlag.AlignVCenter,
                    self.tr("{n} not synced").format(n=row.stale),
                )
            y += self.BAR + self.GAP

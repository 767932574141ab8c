"""Sizing the duty tables' columns: fitted to their contents, the room left over shared.

Each column fits its contents (within reason), and the room left over is shared by weight
instead of all going to the last column: at 1366×768 a roster of short names left the last
column ("A off duty") half the width and squeezed the others to their text.  A long reason
or note is cut with "…" and its cell's tooltip holds the whole text.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QTableView

#: The widest a column grows when fitted to its contents (before the shared room).
MAX_FITTED_WIDTH = 320
#: Room added to a fitted column so its text does not touch the grid.
PADDING = 12


class ColumnSpreader(QObject):
    """Fits a table's columns to their contents and shares the room left over by weight.

    Call ``fit`` after the rows change; the table's resizes share the room again.
    """

    def __init__(
        self, table: QTableView, weights: Sequence[int], max_width: int = MAX_FITTED_WIDTH
    ) -> None:
        """Follow ``table``; ``weights``: each column's share of the room left over."""
        super().__init__(table)
        self._table = table
        self._weights = list(weights)
        self._max_width = max_width
        self.natural: list[int] = []
        table.horizontalHeader().setStretchLastSection(False)
        table.viewport().installEventFilter(self)

    def fit(self) -> None:
        """Measure each column's contents (at most ``max_width``), then share the room."""
        table = self._table
        self.natural = []
        for column in range(len(self._weights)):
            table.resizeColumnToContents(column)
            self.natural.append(min(table.columnWidth(column) + PADDING, self._max_width))
        self.spread()

    def spread(self) -> None:
        """Give each column its fitted width and its share of the room left over."""
        if not self.natural:
            return
        available = self._table.viewport().width()
        extra = max(0, available - sum(self.natural))
        total = sum(self._weights) or 1
        given = 0
        last = len(self.natural) - 1
        for column, width in enumerate(self.natural):
            share = extra * self._weights[column] // total if column < last else extra - given
            given += share
            self._table.setColumnWidth(column, width + share)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Share the room again when the table is resized."""
        if event.type() == QEvent.Type.Resize:
            self.spread()
        return False

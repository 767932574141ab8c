"""Fitting a table's columns to their contents, within reason (long names, long reasons)."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

#: The widest a column grows when fitted to its contents.
MAX_COLUMN_WIDTH = 320


def fit_columns(table: QTableView, max_width: int = MAX_COLUMN_WIDTH) -> None:
    """Fit every column but the last to its contents (at most ``max_width``); the last stretches.

    ``resizeColumnsToContents`` would size the last column too and lose its stretch, so the
    columns are fitted one by one and the stretch is applied again.
    """
    model = table.model()
    columns = model.columnCount() if model is not None else 0
    for column in range(columns - 1):
        table.resizeColumnToContents(column)
        if table.columnWidth(column) > max_width:
            table.setColumnWidth(column, max_width)
    header = table.horizontalHeader()
    if header.stretchLastSection():
        header.setStretchLastSection(False)
        header.setStretchLastSection(True)

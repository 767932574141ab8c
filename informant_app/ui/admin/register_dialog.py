"""花名册导入: the row-by-row judgement of the register, its report, and the import.

After a dry run (nothing changed on the server) the dialog lists every row of the sheet,
refused rows first with the reason in the UI's language, and offers to save the report (the
same sheet with a reason column, ``.xlsx``) and to import.  The import applies every row in one
transaction, or none when any row is refused: with refused rows the button stays off and says
why.  After the import the dialog shows what was done.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from informant_app.ui.admin.labels import outcome_label
from informant_app.ui.common import file_dialogs
from informant_app.ui.common.labels import ERROR_COLOR
from informant_app.ui.common.paged_table_model import Index
from informant_app.ui.common.plain_text import plain, plain_tooltip
from informant_app.ui.common.table_fit import fit_columns
from sync.contract.wire.register import RegisterEntry, RegisterImportResult, RegisterRowResult

#: The order rows are listed in: refused first, then new accounts, updates, unchanged.
OUTCOME_ORDER = {"refused": 0, "create": 1, "update": 2, "unchanged": 3}


class RegisterColumn(IntEnum):
    """The columns of the register's judgement."""

    ROW = 0
    OUTCOME = 1
    NAME = 2
    PHONE = 3
    POST = 4
    POST_ROLE = 5
    USERNAME = 6
    REASON = 7


class RegisterRowsModel(QAbstractTableModel):
    """Each row of the sheet with what happens (or would) to it."""

    def __init__(self, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self._rows: list[RegisterRowResult] = []
        self._entries: dict[int, RegisterEntry] = {}

    def set_result(self, result: RegisterImportResult, entries: Sequence[RegisterEntry]) -> None:
        """Show ``result``'s rows, refused first, each beside its entry of the sheet."""
        self.beginResetModel()
        self._entries = {e.row: e for e in entries}
        self._rows = sorted(result.rows, key=lambda r: (OUTCOME_ORDER.get(r.outcome, 9), r.row))
        self.endResetModel()

    def row_at(self, row: int) -> RegisterRowResult:
        """Return the judgement on line ``row``."""
        return self._rows[row]

    def reason(self, result: RegisterRowResult) -> str:
        """Return the row's reason in the UI's language."""
        return result.reason_en if self._lang == "en" else result.reason_zh

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(RegisterColumn)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            RegisterColumn.ROW: self.tr("Row"),
            RegisterColumn.OUTCOME: self.tr("Result"),
            RegisterColumn.NAME: self.tr("Name"),
            RegisterColumn.PHONE: self.tr("Phone"),
            RegisterColumn.POST: self.tr("Post code"),
            RegisterColumn.POST_ROLE: self.tr("A/B"),
            RegisterColumn.USERNAME: self.tr("User name"),
            RegisterColumn.REASON: self.tr("Reason"),
        }[RegisterColumn(section)]

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        result, column = self._rows[index.row()], RegisterColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(result, column)
        if role == Qt.ItemDataRole.ForegroundRole and result.outcome == "refused":
            return QColor(ERROR_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole and column is RegisterColumn.REASON:
            return plain_tooltip(self.reason(result)) or None
        return None

    def cell_text(self, result: RegisterRowResult, column: RegisterColumn) -> str:
        """Return the text of one cell."""
        entry = self._entries.get(result.row)
        match column:
            case RegisterColumn.ROW:
                return str(result.row)
            case RegisterColumn.OUTCOME:
                return outcome_label(result.outcome)
            case RegisterColumn.NAME:
                return entry.name if entry else ""
            case RegisterColumn.PHONE:
                return entry.phone if entry else ""
            case RegisterColumn.POST:
                return entry.post_code if entry else ""
            case RegisterColumn.POST_ROLE:
                return entry.post_role if entry else ""
            case RegisterColumn.USERNAME:
                return result.username or ""
            case RegisterColumn.REASON:
                return self.reason(result)


class RegisterDialog(QDialog):
    """The judgement of the register with "Save report…" and "Import".

    Signals:
        save_requested(object): save the report at this ``Path``.
        import_requested(): import the rows (the real import).
    """

    save_requested = Signal(object)
    import_requested = Signal()

    def __init__(
        self,
        source: Path,
        entries: Sequence[RegisterEntry],
        result: RegisterImportResult,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        """Build the dialog for the dry run ``result`` of the sheet at ``source``."""
        super().__init__(parent)
        self.setObjectName("register_dialog")
        self.setWindowTitle(self.tr("Register import: {file}").format(file=source.name))
        self.source = source
        self.entries = list(entries)
        self.judged = result
        self.summary = plain(QLabel(self))
        self.summary.setObjectName("register_summary")
        self.summary.setWordWrap(True)
        self.model = RegisterRowsModel(lang, self)
        self.table = QTableView(self)
        self.table.setObjectName("register_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.status = plain(QLabel(self))
        self.status.setObjectName("register_status")
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("&Save report…"), self)
        self.save_button.setObjectName("register_save_report")
        self.save_button.setToolTip(
            self.tr("The same sheet with a column saying what happens to each row (.xlsx)")
        )
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.choose_report_file)
        self.import_button = QPushButton(self.tr("&Import"), self)
        self.import_button.setObjectName("register_import")
        self.import_button.setAutoDefault(False)
        self.import_button.clicked.connect(self.import_requested)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(1000, 600)
        self.show_result(result)

    def show_result(self, result: RegisterImportResult) -> None:
        """Show a dry run's or an import's result."""
        self.judged = result
        self.model.set_result(result, self.entries)
        fit_columns(self.table)
        counts = {
            "rows": len(result.rows),
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "refused": result.refused,
        }
        if result.applied:
            text = self.tr(
                "Imported {rows} row(s): {created} new account(s), {updated} updated, "
                "{unchanged} unchanged."
            ).format(**counts)
        elif result.dry_run:
            text = self.tr(
                "Dry run of {rows} row(s), nothing changed yet: {created} new account(s), "
                "{updated} to update, {unchanged} unchanged, {refused} refused."
            ).format(**counts)
        else:
            text = self.tr("Nothing was imported: {refused} row(s) refused.").format(**counts)
        self.summary.setText(text)
        can_import = result.dry_run and not result.applied and result.refused == 0
        can_import = can_import and (result.created + result.updated) > 0
        self.import_button.setEnabled(can_import)
        if result.applied:
            self.import_button.setToolTip(self.tr("The register has been imported."))
        elif result.refused:
            self.import_button.setToolTip(
                self.tr(
                    "The import takes every row or none: correct the refused rows in the sheet "
                    "and choose it again."
                )
            )
            self._say(
                self.tr(
                    "{refused} row(s) refused (listed first). Nothing can be imported until they "
                    "are corrected; save the report to see the reasons beside each row."
                ).format(refused=result.refused),
                error=True,
            )
        elif not can_import:
            self.import_button.setToolTip(self.tr("Nothing to change: the register is imported."))
        else:
            self.import_button.setToolTip(
                self.tr("Create and update the accounts and posts, all in one go")
            )
            self.import_button.setDefault(True)

    def choose_report_file(self) -> None:
        """Ask where to save the report, then ask the page to save it."""
        name = file_dialogs.save_file_name(
            self,
            self.tr("Save the register report"),
            str(self.source.with_name(self.tr("{stem} report.xlsx").format(stem=self.source.stem))),
            self.tr("Excel workbook (*.xlsx)"),
            purpose="register report",
        )
        if name:
            self.save_requested.emit(Path(name))

    def set_busy(self, text: str) -> None:
        """Say that something is under way (the buttons wait)."""
        self.import_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self._say(text, error=False)

    def set_done(self, text: str, *, error: bool = False) -> None:
        """Say how the last step ended; the buttons are usable again."""
        self.save_button.setEnabled(True)
        self.show_result(self.judged)
        self._say(text, error=error)

    def _say(self, text: str, *, error: bool) -> None:
        self.status.setStyleSheet(f"color: {ERROR_COLOR};" if error else "")
        self.status.setText(text)

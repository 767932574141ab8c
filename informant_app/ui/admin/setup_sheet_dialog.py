"""批量设置码: the codes just issued for a township or county, to save as .xlsx and PDF.

The codes are shown here once and kept nowhere on this computer unless saved.  "Save Excel…"
writes the sheet as a workbook, "Save PDF…" as a printable PDF with one page per township
(``print_sheet``); both are written on the task manager's ``files`` lane.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QFont
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

from informant_app.core.admin.files import write_setup_sheet_xlsx
from informant_app.ui.admin.labels import post_role_text, role_label, time_text
from informant_app.ui.admin.print_sheet import township_groups, write_setup_pdf
from informant_app.ui.common import file_dialogs
from informant_app.ui.common.errors import user_message
from informant_app.ui.common.labels import ERROR_COLOR
from informant_app.ui.common.paged_table_model import Index
from informant_app.ui.common.plain_text import plain
from informant_app.ui.common.table_fit import fit_columns
from informant_app.ui.tasks.manager import TaskManager
from sync.contract.china_time import china_date
from sync.contract.wire.admin import SetupSheet, SetupSheetEntry


class SheetColumn(IntEnum):
    """The columns of the sheet shown."""

    TOWNSHIP = 0
    POST = 1
    POST_ROLE = 2
    NAME = 3
    ROLE = 4
    USERNAME = 5
    CODE = 6


class SetupSheetModel(QAbstractTableModel):
    """The lines of a set-up code sheet, by township."""

    def __init__(self, sheet: SetupSheet, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[SetupSheetEntry] = [
            e for _name, group in township_groups(sheet) for e in group
        ]

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(SheetColumn)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            SheetColumn.TOWNSHIP: self.tr("Township"),
            SheetColumn.POST: self.tr("Post"),
            SheetColumn.POST_ROLE: self.tr("A/B"),
            SheetColumn.NAME: self.tr("Name"),
            SheetColumn.ROLE: self.tr("Role"),
            SheetColumn.USERNAME: self.tr("User name"),
            SheetColumn.CODE: self.tr("Set-up code"),
        }[SheetColumn(section)]

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._entries):
            return None
        entry, column = self._entries[index.row()], SheetColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            match column:
                case SheetColumn.TOWNSHIP:
                    return entry.township_name
                case SheetColumn.POST:
                    return entry.post_name
                case SheetColumn.POST_ROLE:
                    return post_role_text(entry.post_role)
                case SheetColumn.NAME:
                    return entry.display_name or entry.username
                case SheetColumn.ROLE:
                    return role_label(entry.role)
                case SheetColumn.USERNAME:
                    return entry.username
                case SheetColumn.CODE:
                    return entry.code
        if role == Qt.ItemDataRole.FontRole and column is SheetColumn.CODE:
            return QFont("monospace")
        return None


class SetupSheetDialog(QDialog):
    """The sheet just issued, with "Save Excel…" and "Save PDF…"."""

    def __init__(
        self,
        sheet: SetupSheet,
        place_name: str,
        worker: TaskManager | None = None,
        parent: QWidget | None = None,
        lang: str = "zh_CN",
    ) -> None:
        """Build the dialog.

        Args:
            sheet: the codes the server issued.
            place_name: the name of the division they were issued for (file names, title).
            worker: writes the files off the GUI thread (``None``: here; tests).
            parent: the Qt parent.
            lang: the UI language (for the errors of a file not written).
        """
        super().__init__(parent)
        self._lang = lang
        self.setObjectName("setup_sheet_dialog")
        self.sheet = sheet
        self.place_name = place_name
        self._worker = worker
        self.setWindowTitle(self.tr("Set-up codes for {place}").format(place=place_name))
        townships = len(township_groups(sheet))
        intro = plain(
            QLabel(
                self.tr(
                    "{n} set-up code(s) issued for {place} ({townships} township page(s)), for "
                    "everyone without a signed-in device. They work once, until {time}; older "
                    "unused codes of these people no longer work. Save the sheet now: the codes "
                    "are not shown again."
                ).format(
                    n=len(sheet.entries),
                    place=place_name,
                    townships=townships,
                    time=time_text(sheet.expires_at),
                ),
                self,
            )
        )
        intro.setWordWrap(True)
        self.table = QTableView(self)
        self.table.setObjectName("setup_sheet_table")
        self.table.setModel(SetupSheetModel(sheet, self))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        fit_columns(self.table)
        self.status = plain(QLabel(self))
        self.status.setObjectName("setup_sheet_status")
        self.status.setWordWrap(True)
        self.xlsx_button = QPushButton(self.tr("Save &Excel…"), self)
        self.xlsx_button.setObjectName("setup_sheet_xlsx")
        self.xlsx_button.clicked.connect(lambda: self.choose_file("xlsx"))
        self.pdf_button = QPushButton(self.tr("Save &PDF…"), self)
        self.pdf_button.setObjectName("setup_sheet_pdf")
        self.pdf_button.clicked.connect(lambda: self.choose_file("pdf"))
        enabled = bool(sheet.entries)
        self.xlsx_button.setEnabled(enabled)
        self.pdf_button.setEnabled(enabled)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.xlsx_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(900, 560)
        if not enabled:
            self._say(self.tr("Everyone here has a signed-in device: no code was issued."), False)

    def file_stem(self) -> str:
        """Return the file name without its suffix: "设置码 瓦房彝族苗族乡 2024-08-01"."""
        day = china_date(self.sheet.issued_at).isoformat()
        stem = self.tr("Set-up codes {place} {day}").format(place=self.place_name, day=day)
        return "".join(c for c in stem if c not in '\\/:*?"<>|')

    def choose_file(self, fmt: str) -> None:
        """Ask where to save the sheet as ``xlsx`` or ``pdf``, then save it."""
        if fmt == "xlsx":
            caption, kinds = self.tr("Save the sheet as Excel"), self.tr("Excel workbook (*.xlsx)")
        else:
            caption, kinds = self.tr("Save the sheet as PDF"), self.tr("PDF file (*.pdf)")
        name = file_dialogs.save_file_name(
            self, caption, f"{self.file_stem()}.{fmt}", kinds, purpose="setup sheet"
        )
        if name:
            self.save_to(Path(name), fmt)

    def save_to(self, path: Path, fmt: str) -> None:
        """Write the sheet at ``path`` as ``xlsx`` or ``pdf`` (on the ``files`` lane)."""
        sheet = self.sheet
        write: Callable[[], object]
        if fmt == "pdf":
            write = lambda: write_setup_pdf(sheet, path)  # noqa: E731
        else:
            write = lambda: write_setup_sheet_xlsx(sheet, path)  # noqa: E731
        if self._worker is None:
            try:
                write()
            except Exception as exc:  # shown in the dialog, as on the files lane
                self._not_saved(path, exc)
                return
            self._saved(path)
            return
        self._say(self.tr("Saving {path}…").format(path=path), False)
        self._worker.files(
            write,
            on_done=lambda _r: self._saved(path),
            on_error=lambda exc: self._not_saved(path, exc),
            owner=self,
        )

    def _saved(self, path: Path) -> None:
        self._say(self.tr("Saved to {path}.").format(path=path), False)

    def _not_saved(self, path: Path, exc: BaseException) -> None:
        reason = user_message(exc, self._lang)
        if reason is None:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        self._say(self.tr("Not saved to {path}: {reason}").format(path=path, reason=reason), True)

    def _say(self, text: str, error: bool) -> None:
        self.status.setStyleSheet(f"color: {ERROR_COLOR};" if error else "")
        self.status.setText(text)

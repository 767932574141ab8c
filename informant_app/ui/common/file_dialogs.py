"""The app's save and open dialogs: in the user's documents folder, in the UI's language.

Every file dialog of the app goes through here, never through ``QFileDialog``'s static
functions, which open in the program's working directory:

- a dialog starts in the folder last chosen for the same purpose (while the app runs), else in
  the folder of a suggested full path, else in the user's documents folder, else at home;
- a suggested file name is kept; the caller's filters (translated, 「Excel 工作簿 (*.xlsx)」) are
  offered, and a name typed without a suffix gets the chosen filter's;
- Windows and macOS show their own dialog (it speaks the system's language); elsewhere Qt's
  dialog is shown, in Chinese through Qt's catalogue and ``qt_extra_zh_CN`` (app.py), with
  sizes and dates in the UI's language and the documents folder among its places.

Tests build a dialog with ``build_dialog(..., native=False)`` and ``show()`` it; they make the
app's dialogs answer by replacing ``save_file_name``, ``open_file_name`` or ``open_file_names``
in this module (the call sites look them up here).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Literal

from PySide6.QtCore import (
    QIdentityProxyModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
    QUrl,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFileSystemModel,
    QHeaderView,
    QListView,
    QTreeView,
    QWidget,
)

Mode = Literal["save", "open", "open_many"]

#: The folder last chosen per purpose while the app runs.
_last_folder: dict[str, Path] = {}

_SINGLE_SUFFIX = re.compile(r"\(\*\.(\w+)\)\s*$")

#: Where the system's own dialog is used: it speaks the system's language (Chinese there).
NATIVE_PLATFORMS = ("win32", "darwin")

#: Qt's dialog's columns that follow the system's locale (the UI's is used instead).
SIZE_COLUMN, DATE_COLUMN = 1, 3
#: The size of Qt's own dialog (pixels; smaller on a smaller screen).
QT_DIALOG_SIZE = (880, 540)
#: The widest the places beside the file list get (pixels).
SIDEBAR_MAX = 240


class LocalizedFileModel(QIdentityProxyModel):
    """Qt's dialog's file list with sizes and dates in the UI's language.

    ``QFileSystemModel`` writes them in the system's locale: on a computer set to English
    "3 bytes" and "6 12 2026 23:21" in the Chinese window; here "3 字节", "2026/12/6 23:21".
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        source = self.sourceModel()
        if (
            role == Qt.ItemDataRole.DisplayRole
            and index.column() in (SIZE_COLUMN, DATE_COLUMN)
            and isinstance(source, QFileSystemModel)
        ):
            inner = self.mapToSource(index)
            info = source.fileInfo(inner)
            locale = QLocale()
            if index.column() == DATE_COLUMN:
                return locale.toString(info.lastModified(), QLocale.FormatType.ShortFormat)
            if not info.isFile():
                return ""
            size = locale.formattedDataSize(
                info.size(), 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat
            )
            return size.replace("kB", "KB")  # as Windows Explorer writes it
        return super().data(index, role)


def _qt_dialog_in_ui_language(dialog: QFileDialog) -> None:
    """Give Qt's own dialog the UI's sizes and dates, readable columns and the documents."""
    dialog.setProxyModel(LocalizedFileModel(dialog))
    # Qt's default (about 600×400) hides the date column behind a scroll bar
    screen = (dialog.parentWidget() or dialog).screen().availableGeometry()
    dialog.resize(min(QT_DIALOG_SIZE[0], screen.width()), min(QT_DIALOG_SIZE[1], screen.height()))
    view = dialog.findChild(QTreeView, "treeView")
    if view is not None:
        header = view.header()
        for column in (SIZE_COLUMN, DATE_COLUMN, DATE_COLUMN - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    places = dialog.sidebarUrls()
    documents = QUrl.fromLocalFile(str(documents_folder()))
    if documents not in places:
        places.append(documents)
        dialog.setSidebarUrls(places)
    sidebar = dialog.findChild(QListView, "sidebar")
    if sidebar is not None:  # wide enough for the places' names
        metrics, model = sidebar.fontMetrics(), sidebar.model()
        names = [str(model.index(row, 0).data() or "") for row in range(model.rowCount())]
        widest = max((metrics.horizontalAdvance(name) for name in names), default=0)
        sidebar.setMinimumWidth(min(widest + sidebar.iconSize().width() + 40, SIDEBAR_MAX))


def documents_folder() -> Path:
    """Return the user's documents folder, or the home folder when there is none."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def start_folder(purpose: str, suggested: str = "") -> Path:
    """Return the folder a dialog for ``purpose`` opens in (see the module's notes)."""
    last = _last_folder.get(purpose)
    if last is not None and last.is_dir():
        return last
    if suggested and Path(suggested).is_absolute() and Path(suggested).parent.is_dir():
        return Path(suggested).parent
    return documents_folder()


def remember(purpose: str, chosen: str) -> None:
    """Remember the folder of ``chosen`` as where the next dialog for ``purpose`` opens."""
    if chosen:
        _last_folder[purpose] = Path(chosen).parent


def forget_folders() -> None:
    """Forget the folders chosen (tests)."""
    _last_folder.clear()


def filter_suffix(name_filter: str) -> str:
    """Return the one suffix a filter stands for (``xlsx`` for "… (*.xlsx)"), else ""."""
    match = _SINGLE_SUFFIX.search(name_filter)
    return match.group(1) if match else ""


def build_dialog(
    parent: QWidget | None,
    caption: str,
    name_filter: str,
    *,
    mode: Mode,
    purpose: str,
    suggested: str = "",
    native: bool | None = None,
) -> QFileDialog:
    """Return a file dialog set up as the module's notes say, not yet shown.

    Args:
        parent: the window the dialog belongs to.
        caption: the dialog's title (translated).
        name_filter: Qt's filter text, ";;" between filters (translated).
        mode: "save" one file, "open" one existing file or "open_many" existing files.
        purpose: what the file is for ("contacts", "photos" …): the folder is remembered per
            purpose.
        suggested: for a save, the file name (or full path) to suggest.
        native: whether the system's own dialog is used; by default on Windows and macOS only
            (elsewhere it may speak another language than the window: GTK's follows the
            system's).
    """
    if native is None:
        native = sys.platform in NATIVE_PLATFORMS
    folder = start_folder(purpose, suggested)
    dialog = QFileDialog(parent, caption, str(folder), name_filter)
    dialog.setObjectName(f"file_dialog_{purpose.replace(' ', '_')}")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, not native)
    if not native:
        _qt_dialog_in_ui_language(dialog)
    if mode == "save":
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        if suggested:
            dialog.selectFile(str(folder / Path(suggested).name))
        dialog.setDefaultSuffix(filter_suffix(dialog.selectedNameFilter()))
        dialog.filterSelected.connect(lambda chosen: dialog.setDefaultSuffix(filter_suffix(chosen)))
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(
            QFileDialog.FileMode.ExistingFiles
            if mode == "open_many"
            else QFileDialog.FileMode.ExistingFile
        )
    return dialog


def _ask(dialog: QFileDialog, purpose: str) -> list[str]:
    """Show ``dialog`` and wait; return the files chosen ([] when cancelled)."""
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return []
        files = dialog.selectedFiles()
    finally:
        dialog.deleteLater()
    if files:
        remember(purpose, files[0])
    return files


def save_file_name(
    parent: QWidget | None, caption: str, suggested: str, name_filter: str, *, purpose: str
) -> str:
    """Ask where to save a file; return its path, or "" when cancelled."""
    dialog = build_dialog(
        parent, caption, name_filter, mode="save", purpose=purpose, suggested=suggested
    )
    files = _ask(dialog, purpose)
    return files[0] if files else ""


def open_file_name(parent: QWidget | None, caption: str, name_filter: str, *, purpose: str) -> str:
    """Ask for one existing file; return its path, or "" when cancelled."""
    files = _ask(build_dialog(parent, caption, name_filter, mode="open", purpose=purpose), purpose)
    return files[0] if files else ""


def open_file_names(
    parent: QWidget | None, caption: str, name_filter: str, *, purpose: str
) -> list[str]:
    """Ask for existing files; return their paths ([] when cancelled)."""
    return _ask(
        build_dialog(parent, caption, name_filter, mode="open_many", purpose=purpose), purpose
    )

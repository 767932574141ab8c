"""The file dialogs (issue 17 item 8): all in Chinese, starting in the user's documents folder.

Qt's own dialog is what Linux shows (no native one here): every label, button, list, header
and cell it shows must be Chinese but for file names, paths and patterns; it opens in the
documents folder (HOME points at a temporary folder here), never in the working directory; it
keeps the suggested name, adds the filter's suffix and remembers the folder chosen per purpose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListView,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from informant_app.ui.common import file_dialogs

REPO = Path(__file__).resolve().parents[4]
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
#: ASCII the Chinese dialog may show: product names and size units.
ALLOWED_WORDS = {"Excel", "KB", "MB", "GB"}
SHEET_FILTER = "Excel 工作簿 (*.xlsx);;所有文件 (*)"


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A home with a documents folder holding a folder and files; the cwd elsewhere."""
    home = tmp_path / "home"
    folder = home / "Documents"
    (folder / "sub").mkdir(parents=True)
    (folder / "old.xlsx").write_bytes(b"x" * 3000)
    (folder / "notes.txt").write_bytes(b"x" * 30)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))  # no user-dirs.dirs there
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    file_dialogs.forget_folders()
    yield folder
    file_dialogs.forget_folders()


def shown_texts(dialog: QFileDialog) -> list[str]:
    """Every text the dialog shows: labels, buttons, lists, headers and the files' cells."""
    texts: list[str] = []
    for label in dialog.findChildren(QLabel):
        if label.isVisible():
            texts.append(label.text())
    for button in dialog.findChildren(QAbstractButton):
        if button.isVisible():
            texts += [button.text(), button.toolTip()]
    for combo in dialog.findChildren(QComboBox):
        if combo.isVisible():
            texts += [combo.itemText(i) for i in range(combo.count())]
    for view in [*dialog.findChildren(QTreeView), *dialog.findChildren(QListView)]:
        if not view.isVisible():
            continue
        model, root = view.model(), view.rootIndex()
        texts += [
            str(model.headerData(c, Qt.Orientation.Horizontal) or "")
            for c in range(model.columnCount(root))
        ]
        for row in range(model.rowCount(root)):
            for column in range(model.columnCount(root)):
                texts.append(str(model.index(row, column, root).data() or ""))
    return texts


def english_words(texts: list[str], file_names: set[str]) -> list[str]:
    words = []
    for text in texts:
        if text in file_names or "/" in text or "\\" in text:
            continue
        text = re.sub(r"\*?\.\w+", "", text)  # patterns and suffixes: (*.xlsx), .xlsx
        words += [w for w in ENGLISH_WORD.findall(text) if w not in ALLOWED_WORDS]
    return words


def listed(dialog: QFileDialog) -> QTreeView:
    view = dialog.findChild(QTreeView, "treeView")
    assert view is not None
    return view


def rows(view: QTreeView) -> dict[str, list[str]]:
    model, root = view.model(), view.rootIndex()
    return {
        str(model.index(r, 0, root).data()): [
            str(model.index(r, c, root).data() or "") for c in range(model.columnCount(root))
        ]
        for r in range(model.rowCount(root))
    }


def test_the_save_dialog_is_chinese_and_opens_in_the_documents_folder(
    qtbot: QtBot, chinese: None, documents: Path
) -> None:
    dialog = file_dialogs.build_dialog(
        None,
        "导出乡镇报表",
        SHEET_FILTER,
        mode="save",
        purpose="test township report",
        suggested="党西村 乡镇报表.xlsx",
        native=False,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    view = listed(dialog)
    qtbot.waitUntil(lambda: {"sub", "old.xlsx"} <= set(rows(view)))
    header = view.header()  # every column in sight, none behind a scroll bar
    qtbot.waitUntil(lambda: header.sectionSize(3) > 0)
    assert header.sectionViewportPosition(3) + header.sectionSize(3) <= view.viewport().width()

    assert Path(dialog.directory().absolutePath()) == documents
    assert Path.cwd() != documents
    name_box = dialog.findChild(QLineEdit, "fileNameEdit")
    assert name_box is not None and name_box.text() == "党西村 乡镇报表.xlsx"
    labels = {label.text() for label in dialog.findChildren(QLabel) if label.isVisible()}
    assert {"查找范围(&L)：", "文件类型(&T)：", "文件名称(&N)："} <= labels
    assert rows(view)["sub"][2] == "文件夹"
    assert rows(view)["old.xlsx"][1] == "2.9 KB"
    assert re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2} \d{2}:\d{2}", rows(view)["old.xlsx"][3])

    file_names = {"sub", "old.xlsx", "home", documents.name, *documents.parts}
    assert english_words(shown_texts(dialog), file_names) == []


@pytest.mark.parametrize("mode", ["open", "open_many"])
def test_the_open_dialogs_are_chinese_too(
    qtbot: QtBot, chinese: None, documents: Path, mode: file_dialogs.Mode
) -> None:
    dialog = file_dialogs.build_dialog(
        None, "添加照片", "图片 (*.jpg *.png);;所有文件 (*)", mode=mode, purpose="t", native=False
    )
    qtbot.addWidget(dialog)
    dialog.selectNameFilter("所有文件 (*)")
    dialog.show()
    view = listed(dialog)
    qtbot.waitUntil(lambda: {"sub", "old.xlsx", "notes.txt"} <= set(rows(view)))
    assert Path(dialog.directory().absolutePath()) == documents
    # a text file's kind comes from the system's MIME database, not from Qt: left out
    texts = [t for t in shown_texts(dialog) if t != rows(view)["notes.txt"][2]]
    file_names = {"sub", "old.xlsx", "notes.txt", "home", documents.name, *documents.parts}
    assert english_words(texts, file_names) == []
    assert rows(view)["notes.txt"][1] == "30 字节"


def answer_in_dialog(typed: str) -> None:
    """When the modal dialog shows, type ``typed`` into its name box and press Enter."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        box = dialog.findChild(QLineEdit, "fileNameEdit") if dialog is not None else None
        if not isinstance(dialog, QFileDialog) or box is None or not box.isVisible():
            QTimer.singleShot(20, act)  # not shown yet
            return
        box.selectAll()
        QTest.keyClicks(box, typed)
        QTest.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, act)


def test_a_save_adds_the_suffix_and_the_next_one_starts_where_the_last_went(
    qtbot: QtBot, chinese: None, documents: Path
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    answer_in_dialog("sub/contacts")  # QTest types ASCII only
    chosen = file_dialogs.save_file_name(
        parent, "保存联系人名单", "联系人.xlsx", SHEET_FILTER, purpose="test contacts"
    )
    assert Path(chosen) == documents / "sub" / "contacts.xlsx"

    answer_in_dialog("second")
    again = file_dialogs.save_file_name(
        parent, "保存联系人名单", "联系人.xlsx", SHEET_FILTER, purpose="test contacts"
    )
    assert Path(again) == documents / "sub" / "second.xlsx"
    # another purpose still starts in the documents folder
    assert file_dialogs.start_folder("test photos") == documents


def test_home_stands_in_when_there_is_no_documents_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: QApplication
) -> None:
    home = tmp_path / "bare-home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    file_dialogs.forget_folders()
    assert file_dialogs.documents_folder() == home
    assert file_dialogs.start_folder("x", str(tmp_path / "next to.xlsx")) == tmp_path


def test_no_screen_calls_qts_static_file_dialogs() -> None:
    """They open in the working directory: every dialog goes through file_dialogs."""
    static = re.compile(r"QFileDialog\.get(Save|Open|Existing)\w*\(")
    offenders = [
        path.relative_to(REPO).as_posix()
        for path in (REPO / "informant_app").rglob("*.py")
        if static.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_qt_extra_fills_the_gaps_of_qts_catalogue(chinese: None) -> None:
    translate = QApplication.translate
    assert translate("QFileDialog", "&Look in:") == "查找范围(&L)："
    assert translate("QFileDialog", "Files of &type:") == "文件类型(&T)："
    assert translate("QAbstractFileIconProvider", "Folder", "All other platforms") == "文件夹"
    assert translate("QAbstractFileIconProvider", "Drive") == "驱动器"
    assert translate("QAbstractFileIconProvider", "File Folder", "Match Windows Explorer") == (
        "文件夹"
    )

"""Disk trouble as the informant sees it: the window shows a plain message and keeps the work.

The data folder is on a real small disk (``tests/informant_app/core/disk_helpers``): it fills
up while a report is typed, and the app starts on a read-only folder.  Each time a message box
says so in the user's language, the form says "Not saved", the database stays intact and the
queue is kept; once space is freed the typed text is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from informant_app.core.store.report_store import ReportStore
from informant_app.ui.reports.form import ReportForm
from informant_app.ui.window.main_window import MainWindow
from tests.informant_app.core.disk_helpers import (
    SmallDisk,
    drafts_of,
    integrity,
    queue_of,
    small_disk,
)
from tests.informant_app.ui.helpers import PROFILE, submitted_report

BIG = "河水漫过堤坝，农田被淹。" * 400


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    with small_disk(tmp_path / "disk", size_kib=8192) as mounted:
        yield mounted


@pytest.fixture
def data_dir(disk: SmallDisk) -> Path:
    """The data folder on the small disk (overrides the conftest's)."""
    return disk.data_dir


def shown_box(window: MainWindow) -> QMessageBox:
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes, "no message box is shown"
    return boxes[-1]


def open_new_report(qtbot: QtBot, window: MainWindow) -> ReportForm:
    with qtbot.waitSignal(window.form_opened) as opened:
        QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = opened.args[0]
    assert isinstance(form, ReportForm)
    return form


def test_typing_on_a_full_disk_says_so_and_saves_once_space_is_freed(
    qtbot: QtBot,
    disk: SmallDisk,
    seed: Callable[[Callable[[ReportStore], Any]], Any],
    profiled: object,
    make_window: Callable[..., MainWindow],
) -> None:
    seed(submitted_report)
    window = make_window("en")
    qtbot.waitUntil(lambda: window.profile is not None and not window.model.loading)
    form = open_new_report(qtbot, window)
    qtbot.waitUntil(lambda: "Saved" in form.save_state.text() or form.save_state.text() == "")
    qtbot.waitUntil(lambda: form.is_saved() and not window.model.loading)
    before_queue = queue_of(disk.data_dir)
    disk.fill(leave_kib=0)
    messages: list[str] = []
    window.errors.shown.connect(messages.append)
    for n in range(40):
        form.narrative.set_text(f"{BIG}{n}")
        form.save_now(check=False)
        qtbot.waitUntil(lambda: form._saves_pending == 0, timeout=10_000)
        if messages:
            break
    assert messages, "a full disk never refused the autosave"
    assert "The disk is full" in messages[0]
    assert "disk is full" in shown_box(window).text()
    assert form.save_state.text() == "Not saved"
    assert integrity(disk.data_dir) == "ok"
    assert queue_of(disk.data_dir) == before_queue
    typed = form.narrative.text()
    disk.free()
    form.save_now(check=False)
    qtbot.waitUntil(lambda: form.save_state.text().startswith("Saved"), timeout=10_000)
    assert drafts_of(disk.data_dir)  # the typed text reached the store
    assert any(typed in content for content in drafts_of(disk.data_dir).values())


def test_app_started_on_a_read_only_folder_says_so(
    qtbot: QtBot,
    disk: SmallDisk,
    chinese: None,
    seed: Callable[[Callable[[ReportStore], Any]], Any],
    profiled: object,
    request: pytest.FixtureRequest,
) -> None:
    seed(submitted_report)
    before_queue, before_drafts = queue_of(disk.data_dir), drafts_of(disk.data_dir)
    disk.read_only()
    make_window: Callable[..., MainWindow] = request.getfixturevalue("make_window")
    messages: list[str] = []
    window = make_window("zh_CN", start=False)
    window.errors.shown.connect(messages.append)
    window.start()
    qtbot.waitUntil(lambda: window.profile is not None or bool(messages), timeout=10_000)
    if not messages:  # it opened for reading: the first write meets the read-only folder
        assert window.profile == PROFILE
        QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: bool(messages), timeout=10_000)
    assert "只读" in messages[0]
    assert "只读" in shown_box(window).text()
    assert window.open_forms() == []
    assert integrity(disk.data_dir) == "ok"
    assert queue_of(disk.data_dir) == before_queue
    assert drafts_of(disk.data_dir) == before_drafts


def test_logging_on_a_read_only_folder_goes_to_the_temporary_folder(disk: SmallDisk) -> None:
    """The log file is opened before any window: a read-only folder must not end the app."""
    import logging

    from informant_app.app import setup_logging

    if not disk.real:
        pytest.skip("needs a real read-only mount (root); the simulation covers SQLite only")
    logs = disk.data_dir / "logs"
    disk.read_only()
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        log_file = setup_logging(logs)
        logging.getLogger("informant_app.test").warning("still logging")
        for handler in root.handlers:
            handler.flush()
        assert log_file.parent != logs and "still logging" in log_file.read_text("utf-8")
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()

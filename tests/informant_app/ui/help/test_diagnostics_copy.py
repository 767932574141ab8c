"""Help → Copy diagnostic information, and the crash dialog's copy: the fields, never the token."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import PySide6
import pytest
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from informant_app import __version__
from informant_app.core.store import migrate
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import Profile
from informant_app.core.sync.types import Account
from informant_app.ui.common.crash import CrashDialog
from informant_app.ui.window.main_window import MainWindow
from tests.informant_app.ui.helpers import submitted_report
from tests.support.accounts import sign_in_offline as support_sign_in_offline

TOKEN = "tok-0a9b8c7d-the-device-token-nobody-may-see"
Seed = Callable[[Callable[[ReportStore], Any]], Any]


def sign_in_offline(store: ReportStore) -> Account:
    """Keep an account and the known ``TOKEN`` as signing in would (no server needed)."""
    return support_sign_in_offline(store, TOKEN, "https://city.example")


@pytest.fixture
def signed_in(profiled: Profile, seed: Seed) -> Account:
    def prepare(store: ReportStore) -> Account:
        store.new_draft()
        submitted_report(store)
        return sign_in_offline(store)

    account: Account = seed(prepare)
    return account


def test_the_help_menu_copies_the_diagnostics_without_the_token(
    qtbot: QtBot, signed_in: Account, make_window: Callable[..., MainWindow], data_dir: Path
) -> None:
    window = make_window("en")
    qtbot.waitUntil(lambda: window.profile is not None)
    menu = window.help.menu
    assert menu.title() == "&Help"
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "&User guide",
        "&Copy diagnostic information",
        "&About…",
    ]

    with qtbot.waitSignal(window.help.copier.copied) as copied:
        window.help.act_copy_diagnostics.trigger()
    text = copied.args[0]
    assert QGuiApplication.clipboard().text() == text
    for line in (
        f"App version: {__version__}",
        f"Qt: {qVersion()}",
        f"PySide6: {PySide6.__version__}",
        "Python: ",
        "Operating system: ",
        f"Data folder: {data_dir}",
        "Log file: ",
        f"Database file: {data_dir / 'informant.db'}",
        f"Database revision: {migrate.head_revision()}",
        "Reports draft: 1",
        "Reports queued: 1",
        "Review decisions queued: 0",
        "Photos still to upload: 0",
        "Server: https://city.example",
        "User name: wafang_a",
        "Role: village_informant",
        "Last successful sync: never",
        "Last error: none",
        "Clock skew: not measured yet",
        "Language: en",
    ):
        assert line in text, line
    assert TOKEN not in text
    assert "copied to the clipboard" in window.statusBar().currentMessage()


def test_the_crash_dialog_names_the_log_and_copies_without_waiting_for_the_worker(
    qtbot: QtBot, signed_in: Account, data_dir: Path, tmp_path: Path
) -> None:
    log_file = tmp_path / "logs" / "informant-app.log"
    dialog = CrashDialog(RuntimeError("bug in the list"), log_file, data_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    assert str(log_file) in dialog.message.text()
    assert dialog.copy_button.text() == "&Copy diagnostic information"

    QTest.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)

    text = QGuiApplication.clipboard().text()
    assert text == dialog.copied_text
    assert "Error: RuntimeError: bug in the list" in text
    assert f"Log file: {log_file}" in text
    assert "Reports queued: 1" in text and "User name: wafang_a" in text
    assert TOKEN not in text
    assert dialog.status.text() == "Copied to the clipboard."
    assert dialog.isVisible()  # copying does not close it


def test_the_crash_dialog_copies_versions_and_paths_when_the_store_cannot_be_read(
    qtbot: QtBot, tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "informant.db").write_bytes(b"not a database" * 200)
    dialog = CrashDialog(ValueError("x" * 2000), tmp_path / "app.log", broken)
    qtbot.addWidget(dialog)
    text = dialog.copy_diagnostics()
    assert f"App version: {__version__}" in text
    assert "Help → Copy diagnostic information" in text
    assert "Error: ValueError: " + "x" * 100 in text and "x" * 600 not in text
    assert "Help → Copy diagnostic information" in dialog.status.text()

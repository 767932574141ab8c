"""Fixtures of the dashboard's tests: offscreen Qt, a store, the task manager.

The page talks to a real city server (``tests/support`` ``CityServer``) through the task
manager's lanes; these fixtures open the store and the manager the way the app does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if "XDG_RUNTIME_DIR" not in os.environ:  # keeps QStandardPaths from warning
    _runtime = Path(tempfile.gettempdir()) / f"informant-ui-tests-{os.getuid()}"
    _runtime.mkdir(mode=0o700, exist_ok=True)
    os.environ["XDG_RUNTIME_DIR"] = str(_runtime)
# No desktop keyring in tests: the device token goes to the user-only file fallback.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from informant_app.app import install_translators, open_store
from informant_app.ui.tasks.manager import TaskManager

TRANSLATIONS = Path(__file__).resolve().parents[3] / "resources" / "translations"


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """Build the .qm files from the .ts files when missing or stale (as ``make`` does)."""
    for ts in TRANSLATIONS.glob("*.ts"):
        qm = ts.with_suffix(".qm")
        if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            lrelease = Path(sys.executable).with_name("pyside6-lrelease")
            subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(qm)], check=True)


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    """Install the Chinese translators for one test."""
    installed = install_translators(qapp, "zh_CN")
    yield
    for translator in installed:
        QCoreApplication.removeTranslator(translator)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def worker(qtbot: QtBot, data_dir: Path) -> Iterator[TaskManager]:
    """The real task manager with its store open."""
    tasks = TaskManager(lambda: open_store(data_dir))
    opened: list[object] = []
    tasks.open(on_done=opened.append)
    qtbot.waitUntil(lambda: bool(opened))
    yield tasks
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=30_000)
    tasks.stop()

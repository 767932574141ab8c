"""Fixtures of the UI tests: offscreen Qt, a real store in a temporary folder, the worker,
the main window, a real city server with the sync controller, and helpers that wait for the
worker instead of sleeping."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

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
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import Profile
from informant_app.core.sync.engine import sign_in
from informant_app.core.sync.types import Account
from informant_app.ui.common.ui_settings import UiSettings
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.tasks.manager import TaskManager
from informant_app.ui.window.main_window import MainWindow
from tests.informant_app.ui.helpers import PROFILE
from tests.support.city_server import CityServer

T = TypeVar("T")

REPO = Path(__file__).resolve().parents[3]
TRANSLATIONS = REPO / "resources" / "translations"


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
def seed(data_dir: Path) -> Callable[[Callable[[ReportStore], T]], T]:
    """Run ``fn(store)`` on a store opened here and closed after (before the app opens it)."""

    def run(fn: Callable[[ReportStore], T]) -> T:
        store = ReportStore.open(data_dir)
        try:
            return fn(store)
        finally:
            store.close()

    return run


@pytest.fixture
def profiled(seed: Callable[[Callable[[ReportStore], Any]], Any]) -> Profile:
    """Save the informant's profile in the data folder."""
    seed(lambda store: store.save_profile(PROFILE))
    return PROFILE


@pytest.fixture
def worker(qtbot: QtBot, data_dir: Path) -> Iterator[TaskManager]:
    """The real database worker with its store open."""
    db = TaskManager(lambda: open_store(data_dir))
    opened: list[object] = []
    db.open(on_done=opened.append)
    qtbot.waitUntil(lambda: bool(opened))
    yield db
    db.stop()


@pytest.fixture
def call(qtbot: QtBot, worker: TaskManager) -> Callable[[Callable[[ReportStore], T]], T]:
    """Run ``fn(store)`` on the worker and wait for its answer (queued behind earlier jobs)."""

    def run(fn: Callable[[ReportStore], T]) -> T:
        answers: list[Any] = []
        worker.run(
            fn,
            on_done=lambda result: answers.append(("ok", result)),
            on_error=lambda exc: answers.append(("error", exc)),
        )
        qtbot.waitUntil(lambda: bool(answers), timeout=10_000)
        kind, value = answers[0]
        if kind == "error":
            raise value
        return value  # type: ignore[no-any-return]

    return run


@pytest.fixture
def ui_settings(tmp_path: Path) -> UiSettings:
    return UiSettings(tmp_path / "ui-settings.ini")


@pytest.fixture
def make_window(
    qtbot: QtBot, worker: TaskManager, data_dir: Path, ui_settings: UiSettings
) -> Iterator[Callable[..., MainWindow]]:
    """Open main windows on the worker; they are closed (drafts flushed) before it stops."""
    windows: list[MainWindow] = []

    def make(
        lang: str = "en", start: bool = True, sync: SyncController | None = None
    ) -> MainWindow:
        window = MainWindow(worker, lang, data_dir, ui_settings, sync=sync)
        window.resize(1366, 768)
        window.show()
        if start:
            window.start()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
    qtbot.waitUntil(lambda: worker.pending == 0)
    for window in windows:
        window.deleteLater()


@pytest.fixture
def window(make_window: Callable[..., MainWindow], profiled: Profile, qtbot: QtBot) -> MainWindow:
    """The main window in English for an informant with a profile, its list loaded."""
    main = make_window("en")
    qtbot.waitUntil(lambda: main.profile is not None and not main.model.loading)
    return main


# --- sync: a real city server, sign-in, the controller --------------------------------------


@pytest.fixture(scope="session")
def city_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CityServer]:
    """One city server with the Baoshan sample for the whole session."""
    with CityServer(tmp_path_factory.mktemp("city-server")) as server:
        yield server


@pytest.fixture
def own_city_server(tmp_path: Path) -> Iterator[CityServer]:
    """A city server of this test's own (to stop and start), with the sample; not started yet."""
    server = CityServer(tmp_path / "own-city-server")
    server.init()
    yield server
    server.stop()


@pytest.fixture
def sign_in_as(
    seed: Callable[[Callable[[ReportStore], Account]], Account], city_server: CityServer
) -> Callable[..., Account]:
    """Sign the data folder in (before the app opens it), on the session server by default."""

    def run(username: str, server: CityServer | None = None) -> Account:
        city = server or city_server
        return seed(lambda store: sign_in(store, city.url, username, city.password(username)))

    return run


@pytest.fixture
def make_controller(
    qtbot: QtBot, worker: TaskManager, data_dir: Path
) -> Iterator[Callable[..., SyncController]]:
    """Sync controllers on the data folder (its store already migrated by the worker)."""
    made: list[SyncController] = []

    def make(start: bool = True, **options: Any) -> SyncController:
        options.setdefault("watch_network", False)
        controller = SyncController(lambda: ReportStore.open(data_dir), **options)
        made.append(controller)
        if start:
            controller.start()
        return controller

    yield make
    for controller in made:
        controller.stop()

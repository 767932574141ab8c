"""The GUI entry point: QApplication, translators, locale, fonts, logging, excepthook, tasks, sync.

The task manager (its db, network and files lanes) and the sync controller run on threads of
their own.
``run_gui`` is what ``informant-app`` runs when no sub-command is given.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import tempfile
from io import TextIOWrapper
from pathlib import Path

import platformdirs
from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from informant_app import __version__
from informant_app.core import paths
from informant_app.core.divisions import current_divisions
from informant_app.core.private_files import private_dir, private_file
from informant_app.core.store.report_store import ReportStore
from informant_app.ui.common.crash import install_excepthook
from informant_app.ui.common.errors import user_message
from informant_app.ui.common.fonts import apply_cjk_fallback, show_font_notice
from informant_app.ui.common.ui_settings import (
    DEFAULT_LANGUAGE,
    SETTINGS_FILE,
    UiSettings,
    normalize_language,
)
from informant_app.ui.sync.controller import CALM_INTERVAL, SyncController
from informant_app.ui.tasks.manager import TaskManager
from informant_app.ui.window.main_window import MainWindow
from sync.contract.resources import resource_path

log = logging.getLogger(__name__)

APP_NAME = paths.APP_NAME
LOG_FILE_NAME = "informant-app.log"
#: Seconds between sync rounds at most, backoff included (the demo sets it; else unset).
SYNC_INTERVAL_ENV = "INFORMANT_SYNC_INTERVAL"
#: Benchmarks only (bench/local_store.py): a file to write when the list's first page is shown.
BENCH_READY_ENV = "INFORMANT_BENCH_READY"


def settings_path(explicit_data_dir: Path | None) -> Path:
    """Return the UI settings file: in the data folder when one was given, else per user.

    A data folder given on the command line or in ``INFORMANT_DATA_DIR`` keeps everything in
    it (portable use, tests); otherwise the platform's config folder is used.
    """
    if explicit_data_dir is not None:
        return explicit_data_dir / SETTINGS_FILE
    if os.environ.get(paths.DATA_DIR_ENV, "").strip():
        return paths.data_dir() / SETTINGS_FILE
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / SETTINGS_FILE


def resolve_language(cli_lang: str | None, settings: UiSettings) -> str:
    """Return the UI language: ``--lang`` > the saved setting > Chinese."""
    return normalize_language(cli_lang) or settings.language or DEFAULT_LANGUAGE


def install_translators(app: QApplication, lang: str) -> list[QTranslator]:
    """Install Qt's own and the app's translators for ``lang``; return them (to remove later).

    The language's locale (en_US for English) becomes the default, so figures, dates and
    times are shown its way.  English is the source language: no translator is installed.
    """
    installed: list[QTranslator] = []
    # figures, dates and times follow the language (labels.py), not the system's locale
    QLocale.setDefault(QLocale("en_US" if lang == "en" else lang))
    if lang == "en":
        return installed
    # The later a translator is installed, the earlier it is asked: qt_extra fills the gaps of
    # Qt's catalogue (the file dialog's "&Look in:", "Folder" …; resources/translations).
    candidates = [
        (f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        (f"qt_extra_{lang}", str(resource_path("translations"))),
        (f"informant_{lang}", str(resource_path("translations"))),
    ]
    for name, folder in candidates:
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            log.warning("no translation %s in %s", name, folder)
    return installed


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file (the first and each one after a rollover) is 0600."""

    def _open(self) -> TextIOWrapper:
        private_file(Path(self.baseFilename))
        return super()._open()


def _log_handler(folder: Path) -> tuple[logging.Handler, Path | None]:
    """Return a rotating file handler in ``folder``, or in the temporary folder.

    A read-only or full disk must not stop the app before its window can say so: the log
    then goes to the system's temporary folder, and to stderr when that fails too.  The
    folder is made 0700 and the log files 0600 (``private_files``).
    """
    for place in (folder, Path(tempfile.gettempdir()) / "informant-app-logs"):
        try:
            private_dir(place)
            log_file = place / LOG_FILE_NAME
            return PrivateRotatingFileHandler(
                log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
            ), log_file
        except OSError:
            continue
    return logging.StreamHandler(), None


def setup_logging(folder: Path) -> Path:
    """Log to a rotating file in ``folder`` (created); return the file's path.

    When ``folder`` cannot be written, the log goes elsewhere (``_log_handler``) and the
    returned path says where.
    """
    handler, log_file = _log_handler(folder)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    if log_file != folder / LOG_FILE_NAME:
        log.warning(
            "the log folder %s cannot be written; logging to %s", folder, log_file or "stderr"
        )
    return log_file or folder / LOG_FILE_NAME


def sync_interval() -> float | None:
    """Return the longest wait between sync rounds from ``INFORMANT_SYNC_INTERVAL``, if set."""
    value = os.environ.get(SYNC_INTERVAL_ENV, "").strip()
    try:
        seconds = float(value) if value else None
    except ValueError:
        log.warning("%s=%r is not a number of seconds; ignored", SYNC_INTERVAL_ENV, value)
        return None
    return seconds if seconds is not None and seconds > 0 else None


def open_store(data_dir: Path) -> ReportStore:
    """Open the store (runs on the ``db`` lane); it loads the division table last synced.

    Before the first sync the bundled table stands in: it is loaded here, off the GUI thread.
    """
    store = ReportStore.open(data_dir)
    current_divisions()
    return store


def bench_ready_hook(app: QApplication, window: MainWindow) -> None:
    """With ``INFORMANT_BENCH_READY=FILE``: once the list shows its first page, quit.

    Writes one line to FILE: the wall-clock time (``time.time()``), the peak resident memory
    in KiB (``ru_maxrss``, Linux's VmHWM) and the list's row count, then quits the app.
    Unset (always, outside benchmarks): nothing.
    """
    target = os.environ.get(BENCH_READY_ENV, "").strip()
    if not target:
        return

    def ready() -> None:
        window.model.loaded.disconnect(ready)
        QTimer.singleShot(0, write)  # after the rows' own paint events

    def write() -> None:
        import resource
        import time

        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        Path(target).write_text(
            f"{time.time():.6f} {peak_kib} {window.model.total}\n", encoding="utf-8"
        )
        app.quit()

    window.model.loaded.connect(ready)


def run_gui(data_dir: Path | None, lang: str | None) -> int:
    """Run the desktop app until its window closes; return the exit code.

    Args:
        data_dir: the data folder from ``--data-dir``; ``None`` resolves it from
            ``INFORMANT_DATA_DIR`` or the platform's user data folder.
        lang: the language from ``--lang`` ("zh_CN" or "en"); ``None`` uses the saved
            setting, else Chinese.
    """
    folder = paths.data_dir(data_dir)
    log_file = setup_logging(paths.log_dir(data_dir))
    log.info("informant-app %s starting; data folder %s", __version__, folder)
    install_excepthook(log_file, folder)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    icon = resource_path("icons", "informant.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    settings = UiSettings(settings_path(data_dir))
    language = resolve_language(lang, settings)
    translators = install_translators(app, language)
    cjk_font = apply_cjk_fallback(app)  # before the first widget takes the app font

    worker = TaskManager(lambda: open_store(folder))
    # The sync thread opens its own store once the db lane has migrated the database.
    interval = sync_interval()
    sync = SyncController(
        lambda: ReportStore.open(folder),
        max_delay=interval,
        calm_interval=interval or CALM_INTERVAL,
    )
    window = MainWindow(worker, language, folder, settings, log_file, sync=sync)

    def store_failed(exc: BaseException) -> None:
        text = user_message(exc, language) or str(exc)
        log.error("cannot open the store in %s: %s", folder, exc)
        QMessageBox.critical(window, window.windowTitle(), text)
        window.close()

    def start_sync() -> None:
        window.model.loaded.disconnect(start_sync)
        worker.idle.disconnect(start_sync)
        sync.start()

    def store_opened(_store: ReportStore) -> None:
        # Sync starts once the list shows its first page (or, without one, once the start's
        # jobs are answered: a sign-in or profile is asked for, or loading failed): the sync
        # thread's store and first round would otherwise hold that page up.
        window.model.loaded.connect(start_sync)
        worker.idle.connect(start_sync)
        window.start()

    bench_ready_hook(app, window)
    worker.open(on_done=store_opened, on_error=store_failed)
    window.show()
    if cjk_font is None:
        show_font_notice(window.statusBar())
    try:
        code = app.exec()
    finally:
        sync.stop()
        worker.stop()
        for translator in translators:
            app.removeTranslator(translator)
        log.info("informant-app stopped")
    return code

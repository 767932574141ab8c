"""The windows fit a 1366×768 laptop (and 1280×720, a 1080p screen at 150 %) in both languages.

The offscreen screen of the tests is smaller than a laptop's, so the windows' own size hints
are compared with the laptop's available area (the screen less a 40-pixel taskbar).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QSize
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from informant_app.app import install_translators
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import Profile
from informant_app.core.sync.types import Account
from informant_app.ui.account.settings_dialog import SettingsDialog
from informant_app.ui.common.crash import CrashDialog
from informant_app.ui.common.ui_settings import UiSettings
from informant_app.ui.help.about_dialog import AboutDialog
from informant_app.ui.reports.form import ReportForm
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.window.main_window import MainWindow
from tests.informant_app.ui.reports.test_report_flow import open_new_report
from tests.informant_app.ui.review_story import synced

Seed = Callable[[Callable[[ReportStore], Any]], Any]
TASKBAR = 40
LAPTOP = QSize(1366, 768 - TASKBAR)
HD_AT_150 = QSize(1280, 720 - TASKBAR)


@pytest.fixture(params=["en", "zh_CN"])
def lang(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    locale = QLocale()
    installed = install_translators(qapp, request.param)
    yield request.param
    for translator in installed:
        QCoreApplication.removeTranslator(translator)
    QLocale.setDefault(locale)


def within(size: QSize) -> bool:
    return all(
        size.width() <= area.width() and size.height() <= area.height()
        for area in (LAPTOP, HD_AT_150)
    )


def fits(widget: QWidget) -> None:
    hint = widget.minimumSizeHint()
    assert within(hint), f"{widget.objectName()} needs at least {hint.width()}×{hint.height()}"


def test_the_informant_window_and_the_report_form_fit(
    qtbot: QtBot, lang: str, profiled: Profile, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window(lang)
    qtbot.waitUntil(lambda: window.profile is not None and not window.model.loading)
    fits(window)
    form = open_new_report(qtbot, window)
    form.header.stage.setCurrentIndex(form.header.stage.count() - 1)  # ledger shown too
    fits(form)
    assert within(form.sizeHint())


def test_the_form_opens_within_the_screen(qtbot: QtBot, window: MainWindow) -> None:
    form: ReportForm = open_new_report(qtbot, window)
    available = form.screen().availableGeometry()
    assert form.width() <= available.width() and form.height() <= available.height()


def test_the_reviewer_window_fits_with_every_tab(
    qtbot: QtBot,
    lang: str,
    sign_in_as: Callable[..., Account],
    seed: Seed,
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    sign_in_as("wafang_reviewer")
    seed(synced)
    window = make_window(lang, sync=make_controller(start=False))
    qtbot.waitUntil(
        lambda: window.roles.duty is not None and window.review is not None, timeout=15_000
    )
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        fits(window)


def test_the_dialogs_fit(qtbot: QtBot, lang: str, tmp_path: Path, ui_settings: UiSettings) -> None:
    log_file = tmp_path / "a-rather-long-folder-name" / "logs" / "informant-app.log"
    dialogs: list[QWidget] = [
        SettingsDialog(ui_settings, lang, tmp_path / "data", log_file),
        AboutDialog(None, None, tmp_path / "data", log_file),
        CrashDialog(RuntimeError("boom"), log_file, None),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        fits(dialog)
        assert within(dialog.sizeHint()), dialog.objectName()

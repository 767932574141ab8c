"""The task manager's db lane: jobs in order, answers on the GUI thread, errors in plain words."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from informant_app.core.store.report_store import ReportStore, StoreError
from informant_app.ui.common.errors import ErrorPresenter
from informant_app.ui.tasks.manager import TaskManager


def test_jobs_run_in_order_off_the_gui_thread(qtbot: QtBot, worker: TaskManager) -> None:
    gui = threading.get_ident()
    seen: list[tuple[int, int, int]] = []

    def job(n: int) -> Callable[[ReportStore], tuple[int, int]]:
        return lambda _store: (n, threading.get_ident())

    for n in range(20):
        worker.run(job(n), on_done=lambda result: seen.append((*result, threading.get_ident())))
    qtbot.waitUntil(lambda: len(seen) == 20)
    assert [n for n, _, _ in seen] == list(range(20))
    assert {job_thread for _, job_thread, _ in seen} != {gui}
    assert {answer_thread for _, _, answer_thread in seen} == {gui}


def test_a_deleted_owner_gets_no_answer(qtbot: QtBot, worker: TaskManager) -> None:
    owner = QWidget()
    answers: list[object] = []
    owner_gone = threading.Event()

    def job(store: ReportStore) -> object:
        # The answer must not be on its way before the owner is gone, or the test races.
        assert owner_gone.wait(10)
        return store.profile()

    worker.run(job, on_done=answers.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(owner))
    owner_gone.set()
    qtbot.waitUntil(lambda: worker.pending == 0)
    assert answers == []


def test_errors_reach_failed_and_are_shown_in_the_users_language(
    qtbot: QtBot, worker: TaskManager, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    presenter = ErrorPresenter(window, "zh_CN", tmp_path / "app.log")
    worker.failed.connect(presenter.show_error)

    def disk_full(_store: ReportStore) -> None:
        raise StoreError("磁盘空间已满", "The disk is full")

    with qtbot.waitSignal(presenter.shown) as shown:
        worker.run(disk_full)
    assert shown.args == ["磁盘空间已满"]

    def bug(_store: ReportStore) -> None:
        raise ZeroDivisionError("boom")

    with caplog.at_level(logging.ERROR), qtbot.waitSignal(presenter.shown) as shown:
        worker.run(bug)
    assert "boom" in shown.args[0] and str(tmp_path / "app.log") in shown.args[0]
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in caplog.records)
    for box in window.findChildren(QWidget):
        box.close()


def test_the_store_opens_on_the_worker_thread(qtbot: QtBot, data_dir: Path) -> None:
    threads: list[int] = []

    def opener() -> ReportStore:
        threads.append(threading.get_ident())
        return ReportStore.open(data_dir)

    db = TaskManager(opener)
    ready: list[Any] = []
    db.open(on_done=ready.append)
    qtbot.waitUntil(lambda: bool(ready))
    db.stop()
    assert threads and threads[0] != threading.get_ident()


def test_an_unopenable_store_is_reported(qtbot: QtBot, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    failures: list[BaseException] = []
    db = TaskManager(lambda: ReportStore.open(blocker / "data"))
    db.open(on_error=failures.append)
    qtbot.waitUntil(lambda: bool(failures))
    db.stop()
    assert isinstance(failures[0], OSError | StoreError)

"""The task manager: typed answers on the GUI thread, errors, the latest answer only, lanes that
do not wait for each other, one writer in order (the network lane cannot write; its answers are
kept by ``fetch_then_save`` on the db lane), and the change notice.

No test sleeps: a job that must stay busy waits on a ``threading.Event`` the test sets, and the
test waits on the answers themselves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import Profile
from informant_app.ui.tasks.manager import Changes, Lane, TaskKey, TaskManager
from tests.informant_app.ui.helpers import PROFILE

#: The longest a blocked job may wait for the test to release it (a failed test ends anyway).
RELEASE_S = 20.0


def blocker() -> tuple[threading.Event, threading.Event]:
    """Return (started, release): a job sets ``started`` and waits for ``release``."""
    return threading.Event(), threading.Event()


def test_a_typed_result_arrives_on_the_gui_thread(qtbot: QtBot, worker: TaskManager) -> None:
    gui = threading.get_ident()
    answers: list[tuple[Profile | None, int, int]] = []

    def read(store: ReportStore) -> tuple[Profile | None, int]:
        return store.profile(), threading.get_ident()

    worker.run(read, on_done=lambda result: answers.append((*result, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(answers))
    profile, job_thread, answer_thread = answers[0]
    assert profile is None
    assert job_thread != gui and answer_thread == gui


def test_an_error_reaches_its_callback_or_failed(qtbot: QtBot, worker: TaskManager) -> None:
    errors: list[BaseException] = []

    def broken(_store: ReportStore) -> int:
        raise ValueError("no such report")

    worker.run(
        broken, on_done=lambda _n: errors.append(AssertionError("answered")), on_error=errors.append
    )
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValueError)

    with qtbot.waitSignal(worker.failed) as failed:
        worker.network(broken)
    assert isinstance(failed.args[0], ValueError)
    with qtbot.waitSignal(worker.failed) as failed:
        worker.files(lambda: 1 // 0)
    assert isinstance(failed.args[0], ZeroDivisionError)


def test_a_newer_job_with_the_same_key_drops_the_older_answer(
    qtbot: QtBot, worker: TaskManager
) -> None:
    key = TaskKey("list")
    started, release = blocker()
    answers: list[str] = []
    errors: list[BaseException] = []

    def slow(_store: ReportStore) -> str:
        started.set()
        release.wait(RELEASE_S)
        return "old"

    def slow_error(_store: ReportStore) -> str:
        raise RuntimeError("old error")

    worker.run(slow, on_done=answers.append, on_error=errors.append, key=key)
    worker.run(slow_error, on_done=answers.append, on_error=errors.append, key=key)
    assert started.wait(RELEASE_S)
    worker.run(lambda _store: "new", on_done=answers.append, on_error=errors.append, key=key)
    # another key is not concerned
    worker.run(lambda _store: "other", on_done=answers.append, key=TaskKey("other"))
    release.set()
    qtbot.waitUntil(lambda: worker.pending == 0)
    assert answers == ["new", "other"]
    assert errors == []


def test_a_follower_is_dropped_by_a_newer_job_but_drops_nothing(
    qtbot: QtBot, worker: TaskManager
) -> None:
    key = TaskKey("pages")
    answers: list[str] = []
    worker.run(lambda _s: "reload", on_done=answers.append, key=key)
    worker.run(lambda _s: "page 2", on_done=answers.append, key=key, replaces=False)
    qtbot.waitUntil(lambda: worker.pending == 0)
    assert answers == ["reload", "page 2"]  # the next page keeps the reload

    answers.clear()
    worker.run(lambda _s: "page 3", on_done=answers.append, key=key, replaces=False)
    worker.run(lambda _s: "reload again", on_done=answers.append, key=key)
    qtbot.waitUntil(lambda: worker.pending == 0)
    assert answers == ["reload again"]  # a page of the old list is dropped


def test_a_blocked_files_job_does_not_hold_up_the_db_lane(
    qtbot: QtBot, worker: TaskManager
) -> None:
    started, release = blocker()
    exported: list[str] = []
    saved: list[str] = []

    def long_export() -> str:
        started.set()
        release.wait(RELEASE_S)
        return "exported"

    worker.files(long_export, on_done=exported.append)
    assert started.wait(RELEASE_S)
    worker.run(lambda store: store.profile(), on_done=lambda _p: saved.append("autosave"))
    worker.network(lambda _store: "online", on_done=saved.append)
    qtbot.waitUntil(lambda: len(saved) == 2)
    assert exported == [] and worker.pending_on(Lane.FILES) == 1
    release.set()
    qtbot.waitUntil(lambda: exported == ["exported"])


def test_the_db_lane_runs_one_job_at_a_time_in_order(qtbot: QtBot, worker: TaskManager) -> None:
    started, release = blocker()
    ran: list[tuple[int, int]] = []
    second_started = threading.Event()

    def first(_store: ReportStore) -> None:
        started.set()
        release.wait(RELEASE_S)
        ran.append((0, threading.get_ident()))

    def second(_store: ReportStore) -> None:
        second_started.set()
        ran.append((1, threading.get_ident()))

    worker.run(first)
    worker.run(second)

    def record(n: int) -> Callable[[ReportStore], None]:
        return lambda _store: ran.append((n, threading.get_ident()))

    for n in range(2, 20):
        worker.run(record(n))
    assert started.wait(RELEASE_S)
    assert not second_started.is_set()  # the first still runs: the second waits for it
    release.set()
    qtbot.waitUntil(lambda: worker.pending == 0)
    assert [n for n, _ in ran] == list(range(20))
    assert len({thread for _, thread in ran}) == 1


def test_the_network_lane_has_a_store_of_its_own(qtbot: QtBot, worker: TaskManager) -> None:
    stores: list[tuple[int, Path]] = []
    worker.run(lambda store: stores.append((id(store), store.data_dir)))
    worker.network(lambda store: stores.append((id(store), store.data_dir)))
    qtbot.waitUntil(lambda: worker.pending == 0)
    (db_store, db_dir), (net_store, net_dir) = stores
    assert db_store != net_store and db_dir == net_dir


def test_the_network_lane_refuses_to_write(qtbot: QtBot, worker: TaskManager) -> None:
    errors: list[BaseException] = []
    worker.network(
        lambda store: store.save_profile(PROFILE),
        on_done=lambda _none: errors.append(AssertionError("written")),
        on_error=errors.append,
    )
    qtbot.waitUntil(lambda: bool(errors))
    assert "readonly" in str(errors[0]).replace("read-only", "readonly").replace(" ", "")
    profiles: list[Profile | None] = []
    worker.run(lambda store: store.profile(), on_done=profiles.append)
    qtbot.waitUntil(lambda: bool(profiles))
    assert profiles == [None]


def test_fetch_then_save_keeps_the_answer_on_the_db_lane(qtbot: QtBot, worker: TaskManager) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    threads: dict[str, int] = {}
    answers: list[tuple[str, Profile | None]] = []
    notices: list[Changes] = []
    worker.changed.connect(notices.append)
    worker.run(lambda _store: threads.setdefault("db", threading.get_ident()))

    def fetch(store: ReportStore) -> str:
        threads["fetch"] = threading.get_ident()
        assert store.profile() is None  # the network lane may read
        return PROFILE.post_code

    def save(store: ReportStore, name: str) -> tuple[str, Profile | None]:
        threads["save"] = threading.get_ident()
        store.save_profile(PROFILE)
        return name, store.profile()

    with qtbot.waitSignal(worker.changed) as changed:
        worker.fetch_then_save(
            fetch, save, on_done=answers.append, owner=owner, changes=Changes(profile=True)
        )
    assert answers == [(PROFILE.post_code, PROFILE)]
    assert changed.args[0] == Changes(profile=True) and changed.args[0].source is owner
    assert threads["save"] == threads["db"] != threads["fetch"]
    qtbot.waitUntil(lambda: worker.pending == 0)

    # a failed fetch saves nothing, says why and announces no change
    saved: list[str] = []
    errors: list[BaseException] = []

    def offline(_store: ReportStore) -> str:
        raise ConnectionError("no server")

    worker.fetch_then_save(
        offline,
        lambda _store, answer: saved.append(answer),
        on_error=errors.append,
        changes=Changes(duty=True),
    )
    qtbot.waitUntil(lambda: worker.pending == 0)
    assert saved == [] and isinstance(errors[0], ConnectionError)
    assert notices == [Changes(profile=True)]


def test_a_stale_fetch_then_save_is_kept_but_not_answered(
    qtbot: QtBot, worker: TaskManager
) -> None:
    key = TaskKey("report")
    started, release = blocker()
    saved: list[str] = []
    answers: list[str] = []

    def slow(_store: ReportStore) -> str:
        started.set()
        release.wait(RELEASE_S)
        return "old"

    def keep(_store: ReportStore, answer: str) -> str:
        saved.append(answer)
        return answer

    worker.fetch_then_save(slow, keep, on_done=answers.append, key=key)
    assert started.wait(RELEASE_S)
    worker.fetch_then_save(lambda _store: "new", keep, on_done=answers.append, key=key)
    release.set()
    qtbot.waitUntil(lambda: worker.pending == 0)
    assert saved == ["old", "new"]
    assert answers == ["new"]


def test_a_change_is_announced_after_success_only(qtbot: QtBot, worker: TaskManager) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    notices: list[Changes] = []
    worker.changed.connect(notices.append)
    answered: list[str] = []

    with qtbot.waitSignal(worker.changed) as changed:
        worker.run(
            lambda _store: "decided",
            on_done=answered.append,
            owner=owner,
            changes=Changes(review=True),
        )
    notice = changed.args[0]
    assert notice == Changes(review=True) and notice.source is owner
    assert answered == ["decided"]  # the callback ran before the notice

    def refused(_store: ReportStore) -> None:
        raise ValueError("refused")

    with qtbot.waitSignal(worker.failed):
        worker.run(refused, changes=Changes(reports=True))
    assert notices == [Changes(review=True)]  # nothing changed: no notice

    with qtbot.waitSignal(worker.changed) as changed:
        worker.notify(Changes(township=True))
    assert changed.args[0].township and changed.args[0].source is None
    assert not Changes() and (Changes(duty=True) | Changes(profile=True)) == Changes(
        duty=True, profile=True
    )


def test_jobs_queued_after_stop_are_ignored(
    qtbot: QtBot, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tasks = TaskManager(lambda: ReportStore.open(data_dir))
    opened: list[ReportStore] = []
    tasks.open(on_done=opened.append)
    qtbot.waitUntil(lambda: bool(opened))
    tasks.files(lambda: "written")
    tasks.stop()
    tasks.run(lambda store: store.profile())
    assert "after the task manager stopped" in caplog.text

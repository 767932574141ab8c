"""Issue 18: the reviewer's detail shows how a version came, as the server records it.

A township reviewer issued a set-up code for the village informant, signed a device in with
it and filed from there with a clock 3 years fast.  The server records the sign-in path and
corrects the filing time; the detail said nothing of either.  Now it marks the set-up-code
device and who issued the code (a warning: a manager other than the filer), and the corrected
filing time with the device's claim in the tooltip.  A password sign-in adds nothing.

Real city server (a subprocess), the reviewer's real store; the impostor drives the HTTP
client directly so its clock can be 3 years fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from informant_app.core.review.history import request_history, save_history
from informant_app.core.review.service import HistoryEntry, ReviewDetail, review_detail
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.types import Account
from informant_app.ui.common.labels import WARNING_COLOR, local_time_text
from informant_app.ui.common.review_labels import signin_text
from informant_app.ui.review.detail_dialog import ReviewDetailDialog
from informant_app.ui.review.queue_model import ReviewColumn
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.window.main_window import MainWindow
from sync.client.api import SyncClient
from sync.contract.wire.base import wire_text
from tests.informant_app.ui.review.test_review_queue import cell, reviewer_window, shown, tip_of
from tests.informant_app.ui.review_story import Device, synced
from tests.server.factories import WAFANG, content, item, new_id
from tests.support.city_server import CityServer

Seed = Callable[[Callable[[ReportStore], Any]], Any]
YEARS_3 = timedelta(days=3 * 365)


def take_over_and_file(server: CityServer) -> tuple[str, str, datetime]:
    """As wafang_reviewer: set up a device as wafang_a (signing its own PC out), file from it
    3 years fast.

    Returns (report uuid, version uuid, the claimed filing time).
    """
    own = SyncClient(server.url, device_id=f"dev-wafang-a-{new_id()}")
    own.login("wafang_a", server.password("wafang_a"))  # the informant's own PC, signed in
    reviewer = SyncClient(server.url, device_id=f"dev-reviewer-{new_id()}")
    reviewer.login("wafang_reviewer", server.password("wafang_reviewer"))
    code = reviewer.issue_setup_code("wafang_a").code
    impostor = SyncClient(
        server.url,
        device_id=f"dev-impostor-{new_id()}",
        clock=lambda: datetime.now(UTC) + YEARS_3,
    )
    impostor.provision(code, "冒用的电脑")
    claimed = datetime.now(UTC).replace(microsecond=0) + YEARS_3 - timedelta(minutes=10)
    body = content(WAFANG, submitted_at=wire_text(claimed))
    version = item(body)
    result = impostor.push_batch([version], datetime.now(UTC) + YEARS_3)
    assert result.results[0].status == "accepted", result
    return str(body["report_uuid"]), str(version["version_uuid"]), claimed


def fetched_detail(store: ReportStore, report_uuid: str, version_uuid: str) -> ReviewDetail:
    """Pull, ask the server for the history and keep it; return the detail."""
    synced(store)
    save_history(store, request_history(store, report_uuid))
    return review_detail(store, version_uuid)


def marks(dialog: ReviewDetailDialog) -> dict[str, QLabel]:
    return {label.objectName(): label for label in dialog.mark_labels}


def test_a_takeover_and_a_fast_clock_are_marked_in_the_detail(
    qtbot: QtBot,
    seed: Seed,
    city_server: CityServer,
    sign_in_as: Callable[..., Account],
) -> None:
    report_uuid, version_uuid, claimed = take_over_and_file(city_server)
    sign_in_as("wafang_reviewer")

    # before the server was asked (offline): the kept history is empty, but the change feed
    # said the filing time was corrected, so that is marked already; the sign-in path is not
    def pulled(store: ReportStore) -> ReviewDetail:
        synced(store)
        return review_detail(store, version_uuid)

    first: ReviewDetail = seed(pulled)
    assert first.item.time_flag == "skew_corrected" and first.item.claimed_at == claimed
    assert first.item.submitted_at is not None and first.item.submitted_at < claimed - YEARS_3 / 2
    dialog = ReviewDetailDialog(first, "en")
    qtbot.addWidget(dialog)
    assert set(marks(dialog)) == {"time_mark"}
    assert marks(dialog)["time_mark"].text() == (
        "⚠ Filing time corrected to the server's clock (the device clock was about 3 years fast)"
    )
    assert dialog.submitted_caption is not None
    assert dialog.submitted_caption.text() == "Submitted (corrected by the server)"  # type: ignore[attr-defined]
    assert str(claimed.year) not in dialog.submitted_value.text()
    assert local_time_text(claimed) in dialog.submitted_value.toolTip()

    # the server's history arrives (the queue page hands it over): both marks show
    detail: ReviewDetail = seed(lambda s: fetched_detail(s, report_uuid, version_uuid))
    dialog.set_history(detail.history)
    shown = marks(dialog)
    assert set(shown) == {"signin_mark", "time_mark"}
    signin = shown["signin_mark"]
    assert signin.text().startswith("⚠ From a device set up with a code issued by ")
    assert WARNING_COLOR in signin.styleSheet()
    time = shown["time_mark"]
    assert time.text() == (
        "⚠ Filing time corrected to the server's clock (the device clock was about 3 years fast)"
    )
    assert local_time_text(claimed) in time.toolTip()
    # the Submitted line shows the time the server keeps, not 3 years ahead
    assert dialog.submitted_caption is not None
    assert dialog.submitted_caption.text() == "Submitted (corrected by the server)"  # type: ignore[attr-defined]
    assert str(claimed.year) not in dialog.submitted_value.text()
    assert local_time_text(claimed) in dialog.submitted_value.toolTip()

    # a detail opened afterwards reads the kept copy: marked at once
    again = ReviewDetailDialog(detail, "en")
    qtbot.addWidget(again)
    assert set(marks(again)) == {"signin_mark", "time_mark"}


def test_a_password_sign_in_adds_nothing(
    qtbot: QtBot,
    tmp_path: Path,
    seed: Seed,
    city_server: CityServer,
    sign_in_as: Callable[..., Account],
) -> None:
    village = Device(tmp_path / "wafang-a", city_server, "wafang_a").sign_in()
    report_uuid, version_uuid = village.file()
    sign_in_as("wafang_reviewer")
    detail: ReviewDetail = seed(lambda s: fetched_detail(s, report_uuid, version_uuid))
    assert any(e.from_server and e.signin == "password" for e in detail.version_history())
    dialog = ReviewDetailDialog(detail, "en")
    qtbot.addWidget(dialog)
    assert dialog.mark_labels == [] and dialog.marks.isHidden()
    assert dialog.submitted_value.toolTip() == ""


def test_a_code_the_filer_issued_or_the_operators_is_named_not_warned(qtbot: QtBot) -> None:
    own = HistoryEntry(
        "received",
        1,
        "瓦房乡应急办",
        None,
        None,
        None,
        username="wafang_reviewer",
        signin="setup_code",
        provisioned_by="wafang_reviewer",
        provisioned_by_name="瓦房乡应急办",
    )
    operator = HistoryEntry(
        "received", 1, "瓦房社区信息员", None, None, None, username="wafang_a", signin="setup_code"
    )
    manager = HistoryEntry(
        "received",
        1,
        "瓦房社区信息员",
        None,
        None,
        None,
        username="wafang_a",
        signin="setup_code",
        provisioned_by="wafang_reviewer",
        replaced_devices=True,
    )
    # A manager's code for an account's first device is the ordinary way in: named, not marked.
    first = replace(manager, replaced_devices=False)
    assert not own.taken_over and not operator.taken_over and manager.taken_over
    assert not first.taken_over
    assert signin_text(operator) == "From a device set up with a code issued at the server"
    assert signin_text(manager) == "From a device set up with a code issued by wafang_reviewer"
    assert signin_text(replace(manager, signin="password")) == ""


def test_the_queue_asks_the_server_for_the_marks_when_a_detail_opens(
    qtbot: QtBot,
    seed: Seed,
    city_server: CityServer,
    sign_in_as: Callable[..., Account],
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    report_uuid, _version_uuid, _claimed = take_over_and_file(city_server)
    sign_in_as("wafang_reviewer")
    seed(synced)
    _window, review = reviewer_window(qtbot, make_window, make_controller(start=False))
    page = review.queue
    qtbot.waitUntil(lambda: shown(page, report_uuid) is not None, timeout=10_000)
    # the queue line shows the filing time the server keeps, marked, with the claim in its tip
    submitted = cell(page, report_uuid, ReviewColumn.SUBMITTED)
    assert submitted.endswith(" (corrected)"), submitted
    assert str(_claimed.year) not in submitted
    tip = tip_of(page, report_uuid, ReviewColumn.SUBMITTED)
    assert "about 3 years fast" in tip and local_time_text(_claimed) in tip, tip
    assert page.select_report(report_uuid)
    with qtbot.waitSignal(page.dialog_opened, timeout=10_000) as opened:
        page.open_selected()
    dialog = opened.args[0]
    assert isinstance(dialog, ReviewDetailDialog)
    # Nothing was kept before: the marks come with the server's history, unasked.
    qtbot.waitUntil(lambda: "signin_mark" in marks(dialog), timeout=15_000)
    assert marks(dialog)["signin_mark"].text().startswith("⚠ ")
    assert "time_mark" in marks(dialog)
    dialog.close()

"""The security log tab (安全日志) and the revoke and disable buttons, on a real city server.

The county admin of 隆阳区 signs out the devices of an informant and disables the account from
the accounts tab; the security log tab (loaded the first time it is opened, off the GUI thread)
then shows both lines, named in words, with who did it; the kind filter narrows it.  The model
asks for older pages when the view reaches its end.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx2
import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from informant_app.ui.admin.accounts_model import AccountColumn
from informant_app.ui.admin.revoke_dialog import RevokeDialog
from informant_app.ui.admin.security_log_model import (
    KINDS,
    SecurityColumn,
    SecurityLogModel,
    kind_label,
)
from informant_app.ui.tasks.manager import TaskManager
from sync.contract.wire.admin import SecurityEvent, SecurityLog
from sync.server.services.security_log import KINDS as SERVER_KINDS
from tests.informant_app.admin.test_admin_page import WAIT, open_page, signed_in
from tests.support.city_server import CityServer
from tests.support.places import WAFANG_TOWNSHIP


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CityServer]:
    """One city server with the Baoshan sample for this module."""
    with CityServer(tmp_path_factory.mktemp("security-city")) as server:
        yield server


def test_revoke_and_disable_from_the_page_show_in_the_security_log(
    qtbot: QtBot, worker: TaskManager, data_dir: Path, city: CityServer
) -> None:
    login = {
        "username": "shuigou_b",
        "password": city.password("shuigou_b"),
        "device_id": "shuigou-b-phone",
        "device_name": "手机",
    }
    assert httpx2.post(f"{city.url}/api/v1/auth/login", json=login).status_code == 200
    account = signed_in(data_dir, city, "longyang_admin")
    page = open_page(qtbot, worker, account, "en")
    with qtbot.waitSignal(page.accounts_shown, timeout=WAIT):
        assert page.pick(WAFANG_TOWNSHIP)
    assert page.security.rowCount() == 0  # not asked for before its tab is opened

    # sign out every device of the account, through the dialog
    assert page.select_account("shuigou_b") and page.revoke_button.isEnabled()
    with qtbot.waitSignal(page.dialog_opened, timeout=WAIT) as opened:
        page.revoke_button.click()
    dialog = opened.args[0]
    assert isinstance(dialog, RevokeDialog)
    with qtbot.waitSignal(page.accounts_shown, timeout=WAIT):
        dialog.accept()
    selected = page.model.account_at(page.model.row_of("shuigou_b") or 0)
    assert not any(d.signed_in for d in selected.devices)

    # then disable it
    assert page.select_account("shuigou_b")
    with qtbot.waitSignal(page.dialog_opened, timeout=WAIT) as asked:
        page.disable_button.click()
    with qtbot.waitSignal(page.changed, timeout=WAIT):
        asked.args[0].button(QMessageBox.StandardButton.Yes).click()
    assert page.cell("shuigou_b", AccountColumn.STATUS) == "Disabled"
    qtbot.waitUntil(lambda: page.busy_jobs == 0, timeout=WAIT)

    # the security log tab: loaded when first opened
    with qtbot.waitSignal(page.security_log_shown, timeout=WAIT):
        page.tabs.setCurrentWidget(page.security_tab)
    model = page.security
    rows = [
        tuple(model.cell_text(model.event_at(r), c) for c in SecurityColumn)
        for r in range(model.rowCount())
    ]
    mine = [(r[1], r[2], r[3], r[5]) for r in rows if r[2] == "shuigou_b"]
    assert mine[:2] == [
        ("Account disabled", "shuigou_b", "longyang_admin", "—"),
        ("Device signed out", "shuigou_b", "longyang_admin", "—"),
    ]
    assert all(r[2] != "baoshan_city" for r in rows)  # a city account: not the county's

    # the kind filter
    with qtbot.waitSignal(page.security_log_shown, timeout=WAIT):
        page.security_kind.setCurrentIndex(page.security_kind.findData("device.revoke"))
    kinds = {model.event_at(r).kind for r in range(model.rowCount())}
    assert kinds == {"device.revoke"}
    qtbot.waitUntil(lambda: page.busy_jobs == 0, timeout=WAIT)


def _event(n: int) -> SecurityEvent:
    return SecurityEvent(
        id=n,
        at=datetime(2026, 7, 1, 2, n % 60, tzinfo=UTC),
        kind="signin.failed",
        username="wafang_a",
        actor="",
        client="10.0.0.1",
        device_id="",
        detail={},
    )


def test_the_model_asks_for_older_pages_once_at_a_time(qtbot: QtBot) -> None:
    model = SecurityLogModel()
    asked: list[int] = []
    model.more_wanted.connect(asked.append)
    model.set_page(SecurityLog(events=[_event(n) for n in (9, 8, 7)], next_before=7))
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()  # a page is on its way: not asked twice
    assert asked == [7] and not model.canFetchMore()
    model.add_page(SecurityLog(events=[_event(n) for n in (7, 6, 5)], next_before=None))
    assert [model.event_at(r).id for r in range(model.rowCount())] == [9, 8, 7, 6, 5]
    assert not model.canFetchMore() and not model.has_more
    assert model.cell_text(model.event_at(0), SecurityColumn.KIND) == "Sign-in failed"
    assert model.cell_text(model.event_at(0), SecurityColumn.ACTOR) == "—"


def test_every_kind_of_the_server_has_words() -> None:
    assert KINDS == SERVER_KINDS
    assert all(kind_label(k) != k for k in KINDS)


def test_the_details_are_in_words(chinese: None) -> None:
    """The server's detail keys and reasons read as words, not as its identifiers."""
    from informant_app.ui.admin.labels import detail_text

    failed = detail_text({"reason": "wrong_password", "known_device": False})
    assert failed == "原因：密码错误；已知设备：否", failed
    replaced = detail_text(
        {"issued_by": "wafang_reviewer", "new_device_name": "冒用的电脑", "devices": ["a", "b"]}
    )
    assert "wafang_reviewer" in replaced and "冒用的电脑" in replaced
    assert "issued_by" not in replaced and "new_device_name" not in replaced

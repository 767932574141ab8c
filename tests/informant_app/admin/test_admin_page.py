"""The administration page against a real city server, through the real task manager.

The county admin of 隆阳区 (``longyang_admin`` of the Baoshan sample) opens the page, lists the
accounts of the county and of 瓦房彝族苗族乡, issues a set-up code sheet for the township (saved
as Excel and as a PDF with a page per township), disables an informant and enables them again,
creates an account, and reads the admin log, which names who did each of these.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.engine import sign_in
from informant_app.core.sync.types import Account
from informant_app.ui.admin.account_dialog import AccountDialog
from informant_app.ui.admin.accounts_model import AccountColumn
from informant_app.ui.admin.admin_page import AdminPage
from informant_app.ui.admin.setup_sheet_dialog import SetupSheetDialog
from informant_app.ui.common.errors import ErrorPresenter
from informant_app.ui.tasks.manager import TaskManager
from sync.contract import default_divisions
from tests.support.city_server import CityServer
from tests.support.places import DANGXI, LONGYANG, WAFANG_TOWNSHIP

WAIT = 30_000


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CityServer]:
    """One city server with the Baoshan sample for this module."""
    with CityServer(tmp_path_factory.mktemp("admin-city")) as server:
        yield server


def signed_in(data_dir: Path, city: CityServer, username: str) -> Account:
    store = ReportStore.open(data_dir)
    try:
        return sign_in(store, city.url, username, city.password(username))
    finally:
        store.close()


def open_page(qtbot: QtBot, worker: TaskManager, account: Account, lang: str) -> AdminPage:
    host = QWidget()
    qtbot.addWidget(host)
    errors = ErrorPresenter(host, lang, None)
    page = AdminPage(worker, lang, errors, account, default_divisions(), host)
    page.resize(1366, 700)
    host.show()
    page.show()
    with qtbot.waitSignal(page.accounts_shown, timeout=WAIT):
        page.start()
    qtbot.waitUntil(lambda: page.busy_jobs == 0, timeout=WAIT)
    return page


def pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", path.read_bytes()))


def test_a_county_admin_administers_its_accounts(
    qtbot: QtBot, worker: TaskManager, data_dir: Path, city: CityServer, tmp_path: Path
) -> None:
    account = signed_in(data_dir, city, "longyang_admin")
    page = open_page(qtbot, worker, account, "en")

    # the county and its townships are offered, nothing outside it
    assert page.under() == LONGYANG
    offered = [page.place.itemData(i) for i in range(page.place.count())]
    assert WAFANG_TOWNSHIP in offered and all(c.startswith("530502") for c in offered)
    usernames = {a.username for a in page.model.accounts()}
    assert {"wafang_reviewer", "wafang_a", "wafang_b", "dangxi_b"} <= usernames
    assert "baoshan_city" not in usernames and "longyang_admin" not in usernames
    assert page.cell("wafang_a", AccountColumn.POST) == "A"
    assert page.cell("wafang_a", AccountColumn.STATUS) == "Active"
    assert page.completeness.total is not None and page.completeness.total.posts > 0

    # the township picked: its accounts only
    with qtbot.waitSignal(page.accounts_shown, timeout=WAIT):
        assert page.pick(WAFANG_TOWNSHIP)
    assert {a.username for a in page.model.accounts()} >= {"wafang_a", "dangxi_a"}
    assert all(a.jurisdiction_code.startswith("530502208") for a in page.model.accounts())

    # a set-up code sheet for the township: everyone without a device
    with qtbot.waitSignal(page.dialog_opened, timeout=WAIT) as asked:
        page.ask_setup_sheet()
    box = asked.args[0]
    assert isinstance(box, QMessageBox)
    with qtbot.waitSignal(page.dialog_opened, timeout=WAIT) as shown:
        box.button(QMessageBox.StandardButton.Yes).click()
    dialog = shown.args[0]
    assert isinstance(dialog, SetupSheetDialog)
    entries = dialog.sheet.entries
    assert {e.username for e in entries} >= {"wafang_a", "wafang_b", "dangxi_a"}
    assert all(re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", e.code) for e in entries)
    pdf, xlsx = tmp_path / "codes.pdf", tmp_path / "codes.xlsx"
    dialog.save_to(pdf, "pdf")
    qtbot.waitUntil(lambda: f"Saved to {pdf}" in dialog.status.text(), timeout=WAIT)
    dialog.save_to(xlsx, "xlsx")
    qtbot.waitUntil(lambda: f"Saved to {xlsx}" in dialog.status.text(), timeout=WAIT)
    townships = {e.township_code for e in entries}
    assert pdf_pages(pdf) == len(townships) and xlsx.stat().st_size > 0
    dialog.close()

    # disable an informant, then enable them again
    assert page.select_account("wafang_b")
    with qtbot.waitSignal(page.dialog_opened, timeout=WAIT) as asked:
        page.disable_button.click()
    box = asked.args[0]
    with qtbot.waitSignal(page.changed, timeout=WAIT):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert page.cell("wafang_b", AccountColumn.STATUS) == "Disabled"
    assert page.enable_button.isEnabled() and not page.disable_button.isEnabled()
    with qtbot.waitSignal(page.changed, timeout=WAIT):
        page.enable_button.click()
    assert page.cell("wafang_b", AccountColumn.STATUS) == "Active"

    # a new informant for 党西村, with a set-up code shown at once
    with qtbot.waitSignal(page.dialog_opened, timeout=WAIT) as opened:
        page.new_button.click()
    new = opened.args[0]
    assert isinstance(new, AccountDialog)
    new.role.setCurrentIndex(new.role.findData("village_informant"))
    new.place.setCurrentIndex(new.place.findData(DANGXI))
    new.username.setText("dangxi_c")
    new.display_name.setText("党西村新信息员")
    new.phone.setText("13808752039")
    with qtbot.waitSignal(page.dialog_opened, timeout=WAIT) as code_shown:
        new.try_accept()
    assert code_shown.args[0].code.username == "dangxi_c"
    code_shown.args[0].close()
    assert page.model.row_of("dangxi_c") is not None

    # the admin log names who did what
    qtbot.waitUntil(lambda: page.busy_jobs == 0, timeout=WAIT)
    with qtbot.waitSignal(page.log_shown, timeout=WAIT):
        page.load_log()
    items = [page.log.item_at(i) for i in range(page.log.rowCount())]
    done = {(i.action, i.target) for i in items if i.actor == "longyang_admin"}
    assert any(action.startswith("account.disable") for action, t in done if t == "wafang_b")
    assert any(action.startswith("account.enable") for action, t in done if t == "wafang_b")
    assert any(t == "dangxi_c" for _action, t in done)


def test_a_township_reviewer_sees_its_township_only(
    qtbot: QtBot, worker: TaskManager, data_dir: Path, city: CityServer
) -> None:
    account = signed_in(data_dir, city, "wafang_reviewer")
    page = open_page(qtbot, worker, account, "en")
    assert page.place.count() == 1 and page.under() == WAFANG_TOWNSHIP
    assert {a.role for a in page.model.accounts()} == {"village_informant"}
    assert page.completeness.total is not None

"""The administration page's pieces with real wire objects: models, dialogs, the PDF sheet.

No server here: the answers are built as the client would decode them; the page's flow against
a real city server is in ``test_admin_page.py``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import msgspec
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from informant_app.core.admin.online import check_new_account
from informant_app.core.admin.types import admin_places, places_for_role
from informant_app.core.review.types import ReviewRefusedError
from informant_app.ui.admin.account_dialog import AccountDialog
from informant_app.ui.admin.accounts_model import AccountColumn, AccountsModel
from informant_app.ui.admin.completeness import CompletenessChart, CompletenessModel
from informant_app.ui.admin.log_model import AdminLogModel, LogColumn
from informant_app.ui.admin.print_sheet import township_groups, write_setup_pdf
from informant_app.ui.admin.register_dialog import RegisterColumn, RegisterDialog
from informant_app.ui.admin.revoke_dialog import RevokeDialog
from informant_app.ui.admin.setup_sheet_dialog import SetupSheetDialog
from sync.contract import default_divisions
from sync.contract.wire.admin import (
    AccountCreateRequest,
    AccountDevice,
    AdminAccount,
    AdminActionItem,
    CompletenessRow,
    RosterCompleteness,
    SetupSheet,
    SetupSheetEntry,
)
from sync.contract.wire.duty import AccountPost
from sync.contract.wire.register import RegisterEntry, RegisterImportResult, RegisterRowResult
from tests.support.places import (
    BANQIAO,
    BANQIAO_TOWNSHIP,
    LONGYANG,
    WAFANG,
    WAFANG_TOWNSHIP,
)

NOW = datetime(2024, 8, 1, 6, 0, tzinfo=UTC)


def account(username: str, **fields: object) -> AdminAccount:
    values: dict[str, object] = {
        "username": username,
        "display_name": f"{username} 名",
        "role": "village_informant",
        "jurisdiction_code": WAFANG,
        "jurisdiction_name": "瓦房社区",
        "phone": "13800000000",
        "disabled": False,
        "posts": [AccountPost(post_code=WAFANG, post_role="A")],
        "devices": [],
        "last_sync_at": None,
    }
    values.update(fields)
    return AdminAccount(**values)  # type: ignore[arg-type]


def sheet(*townships: tuple[str, str, int]) -> SetupSheet:
    entries = [
        SetupSheetEntry(
            username=f"u{code[-6:]}_{i}",
            display_name=f"信息员{i}",
            role="village_informant",
            post_code=code[:9] + f"2{i:02d}",
            post_name=f"第{i}村",
            post_role="A" if i % 2 else "B",
            township_code=code,
            township_name=name,
            code="K7QM-3XHP-W9TD",
        )
        for code, name, count in townships
        for i in range(count)
    ]
    return SetupSheet(
        under=LONGYANG,
        server_url="http://192.168.1.10:8765",
        issued_at=NOW,
        expires_at=NOW + timedelta(days=7),
        entries=entries,
    )


# --- the Qt-free rules ----------------------------------------------------------------------


def test_the_places_offered_follow_the_jurisdiction() -> None:
    divisions = default_divisions()
    township = admin_places("township_reviewer", WAFANG_TOWNSHIP, divisions)
    assert [p.code for p in township] == [WAFANG_TOWNSHIP]
    county = admin_places("county_admin", LONGYANG, divisions)
    assert county[0].code == LONGYANG and county[0].depth == 0
    codes = [p.code for p in county]
    assert WAFANG_TOWNSHIP in codes and BANQIAO_TOWNSHIP in codes
    assert all(p.level == "township" and p.depth == 1 for p in county[1:])
    assert not any(c.startswith("530581") for c in codes)  # 腾冲市 is another county
    villages = dict(places_for_role("village_informant", WAFANG_TOWNSHIP, divisions))
    assert villages[WAFANG] == "瓦房社区" and BANQIAO not in villages
    townships = dict(places_for_role("township_reviewer", LONGYANG, divisions))
    assert townships[WAFANG_TOWNSHIP] == "瓦房彝族苗族乡"


def test_a_new_account_is_checked_before_it_is_sent() -> None:
    good = AccountCreateRequest(
        username="wafang_c",
        display_name="张三",
        role="village_informant",
        jurisdiction_code=WAFANG,
        phone="13800001111",
    )
    check_new_account("township_reviewer", WAFANG_TOWNSHIP, good)
    bad = {
        "username": "a b",
        "display_name": " ",
        "role": "county_admin",
        "jurisdiction_code": BANQIAO,
        "phone": "call me",
    }
    reasons = []
    for field, value in bad.items():
        request = msgspec.structs.replace(good, **{field: value})
        with pytest.raises(ReviewRefusedError) as refused:
            check_new_account("township_reviewer", WAFANG_TOWNSHIP, request)
        reasons.append(refused.value.message("zh_CN"))
    assert reasons[2] == "您不能创建这种角色的账号"
    assert reasons[3] == "所选地点不在您的管辖范围内"
    # a village informant placed at a township: the level does not match
    with pytest.raises(ReviewRefusedError, match="level"):
        check_new_account(
            "county_admin",
            LONGYANG,
            AccountCreateRequest(
                username="x_1",
                display_name="李四",
                role="village_informant",
                jurisdiction_code=WAFANG_TOWNSHIP,
            ),
        )


# --- models ---------------------------------------------------------------------------------


def test_the_accounts_model_shows_posts_devices_and_status(qtbot: QtBot) -> None:
    model = AccountsModel(lambda code: default_divisions().get(code).short_name)  # type: ignore[union-attr]
    devices = [
        AccountDevice(
            device_id="d1",
            device_name="村委会电脑",
            created_at=NOW,
            last_seen_at=NOW,
            signed_in=True,
        ),
        AccountDevice(
            device_id="d2",
            device_name="旧电脑",
            created_at=NOW - timedelta(days=90),
            last_seen_at=None,
            signed_in=False,
        ),
    ]
    reviewer = account(
        "wafang_reviewer",
        role="township_reviewer",
        jurisdiction_code=WAFANG_TOWNSHIP,
        jurisdiction_name="瓦房彝族苗族乡",
        posts=[AccountPost(post_code=WAFANG, post_role="B")],
        devices=devices,
        last_sync_at=NOW,
    )
    model.set_accounts([account("wafang_a"), reviewer])
    assert model.rowCount() == 2
    assert model.cell_text(model.account_at(0), AccountColumn.POST) == "A"
    assert model.cell_text(reviewer, AccountColumn.POST) == "瓦房社区 B"
    assert model.cell_text(reviewer, AccountColumn.DEVICES) == "2, 1 signed in"
    assert model.cell_text(model.account_at(0), AccountColumn.DEVICES) == "none"
    assert model.cell_text(model.account_at(0), AccountColumn.LAST_SYNC) == "never"
    assert model.cell_text(reviewer, AccountColumn.ROLE) == "Township reviewer"
    tip = model.data(model.index(1, AccountColumn.DEVICES), Qt.ItemDataRole.ToolTipRole)
    assert "村委会电脑" in tip and "旧电脑" in tip and "(signed out)" in tip
    model.replace_account(account("wafang_a", disabled=True))
    assert model.cell_text(model.account_at(0), AccountColumn.STATUS) == "Disabled"
    model.replace_account(account("wafang_new"))
    assert model.rowCount() == 3 and model.row_of("wafang_new") == 2


def test_the_completeness_table_and_chart(qtbot: QtBot) -> None:
    rows = [
        CompletenessRow(
            code=WAFANG_TOWNSHIP,
            name="瓦房彝族苗族乡",
            level="township",
            posts=19,
            with_a=3,
            with_b=2,
            vacant=16,
            stale=4,
        ),
        CompletenessRow(
            code=BANQIAO_TOWNSHIP,
            name="板桥镇",
            level="township",
            posts=20,
            with_a=0,
            with_b=0,
            vacant=20,
            stale=0,
        ),
    ]
    total = CompletenessRow(
        code=LONGYANG,
        name="隆阳区",
        level="county",
        posts=39,
        with_a=3,
        with_b=2,
        vacant=36,
        stale=4,
    )
    model = CompletenessModel()
    model.set_completeness(
        RosterCompleteness(under=LONGYANG, stale_days=14, rows=rows, total=total)
    )
    assert model.rowCount() == 3
    assert model.headerData(6, Qt.Orientation.Horizontal) == "Not synced for 14 days"
    assert model.data(model.index(2, 0)) == "Total: 隆阳区"
    assert model.data(model.index(0, 5)) == "16"
    assert model.data(model.index(2, 0), Qt.ItemDataRole.FontRole).bold()
    chart = CompletenessChart(model)
    qtbot.addWidget(chart)
    chart.resize(500, chart.sizeHint().height())
    chart.show()
    image = chart.grab().toImage()
    assert chart.sizeHint().height() > 2 * chart.BAR
    colours = {image.pixelColor(x, y).name() for x in range(0, 500, 3) for y in range(0, 60, 2)}
    assert "#2e7d32" in colours  # the bars are painted
    # one scale for one level: a city draws its counties, not the townships beside them
    city_rows = [*rows, total]
    model.set_completeness(
        RosterCompleteness(under="530500000000", stale_days=14, rows=city_rows, total=total)
    )
    assert [r.code for r in chart.bars()] == [LONGYANG]


def test_the_admin_log_is_newest_first() -> None:
    model = AdminLogModel()
    model.set_actions(
        [
            AdminActionItem(
                at=NOW,
                actor="longyang_admin",
                action="account.disable",
                target="wafang_b",
                detail={},
            ),
            AdminActionItem(
                at=NOW + timedelta(minutes=1),
                actor="longyang_admin",
                action="register.import",
                target=LONGYANG,
                detail={"dry_run": False, "created": 3, "refused": 0, "role": "county_admin"},
            ),
            AdminActionItem(
                at=NOW - timedelta(minutes=1),
                actor="cli",
                action="setup_code.sheet",
                target="530502101000",
                detail={"count": 31},
            ),
        ]
    )
    assert model.data(model.index(0, LogColumn.ACTION)) == "Register imported"
    assert model.data(model.index(0, LogColumn.TARGET)) == "隆阳区"  # a code shows its name
    # words for the server's keys; counts of zero left out
    assert model.data(model.index(0, LogColumn.DETAIL)) == (
        "Dry run: no; New: 3; Role: County administrator"
    )
    assert model.data(model.index(1, LogColumn.ACTION)) == "Account disabled"
    assert model.data(model.index(1, LogColumn.TARGET)) == "wafang_b"
    assert model.data(model.index(2, LogColumn.ACTOR)) == "Operator (command line)"
    assert model.data(model.index(2, LogColumn.ACTION)) == "Set-up code sheet issued"
    assert model.data(model.index(2, LogColumn.DETAIL)) == "Codes: 31"


# --- dialogs --------------------------------------------------------------------------------


def test_the_new_account_dialog_offers_the_roles_and_places_in_reach(qtbot: QtBot) -> None:
    dialog = AccountDialog(
        "county_admin",
        LONGYANG,
        ("township_reviewer", "village_informant"),
        WAFANG_TOWNSHIP,
        default_divisions(),
        "zh_CN",
    )
    qtbot.addWidget(dialog)
    assert [dialog.role.itemData(i) for i in range(dialog.role.count())] == [
        "township_reviewer",
        "village_informant",
    ]
    assert dialog.place.itemData(0) == WAFANG_TOWNSHIP and dialog.place.count() == 1
    dialog.role.setCurrentIndex(1)
    places = [dialog.place.itemData(i) for i in range(dialog.place.count())]
    assert WAFANG in places and all(p.startswith("530502208") for p in places)
    dialog.place.setCurrentIndex(places.index(WAFANG))
    dialog.username.setText("wa fang")
    dialog.display_name.setText("王五")
    dialog.show()
    dialog.try_accept()
    assert dialog.isVisible() and "用户名" in dialog.error.text()
    dialog.username.setText("wafang_c")
    with qtbot.waitSignal(dialog.accepted):
        dialog.try_accept()
    request = dialog.request()
    assert (request.username, request.role, request.jurisdiction_code) == (
        "wafang_c",
        "village_informant",
        WAFANG,
    )


def test_the_revoke_dialog_offers_all_or_one_device(qtbot: QtBot) -> None:
    devices = [
        AccountDevice(
            device_id="d1", device_name="电脑", created_at=NOW, last_seen_at=NOW, signed_in=True
        )
    ]
    dialog = RevokeDialog(account("wafang_a", devices=devices))
    qtbot.addWidget(dialog)
    assert dialog.device_id() is None  # all devices by default
    dialog.device.setCurrentIndex(1)
    assert dialog.device_id() == "d1"


def test_the_register_dialog_lists_refused_rows_first(qtbot: QtBot, tmp_path: Path) -> None:
    entries = [
        RegisterEntry(row=2, name="张三", phone="13800000001", post_code=WAFANG, post_role="A"),
        RegisterEntry(row=3, name="", phone="13800000002", post_code=WAFANG, post_role="B"),
    ]
    result = RegisterImportResult(
        dry_run=True,
        applied=False,
        created=1,
        updated=0,
        unchanged=0,
        refused=1,
        rows=[
            RegisterRowResult(row=2, outcome="create", username="u1", reason_zh="", reason_en=""),
            RegisterRowResult(
                row=3,
                outcome="refused",
                username=None,
                reason_zh="缺少姓名",
                reason_en="the name is missing",
            ),
        ],
    )
    dialog = RegisterDialog(tmp_path / "花名册.xlsx", entries, result, "zh_CN")
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.data(model.index(0, RegisterColumn.ROW)) == "3"
    assert model.data(model.index(0, RegisterColumn.REASON)) == "缺少姓名"
    assert model.data(model.index(1, RegisterColumn.NAME)) == "张三"
    assert not dialog.import_button.isEnabled()  # every row or none
    clean = RegisterImportResult(
        dry_run=True,
        applied=False,
        created=1,
        updated=0,
        unchanged=0,
        refused=0,
        rows=[result.rows[0]],
    )
    dialog.show_result(clean)
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.import_requested):
        dialog.import_button.click()


# --- the printable sheet --------------------------------------------------------------------


def pdf_pages(path: Path) -> int:
    """Count the page objects of a PDF Qt wrote (uncompressed object dictionaries)."""
    return len(re.findall(rb"/Type\s*/Page\b", path.read_bytes()))


def test_the_pdf_sheet_has_one_page_per_township(qtbot: QtBot, tmp_path: Path) -> None:
    issued = sheet(("530502208000", "瓦房彝族苗族乡", 5), ("530502101000", "板桥镇", 3))
    assert [name for name, _ in township_groups(issued)] == ["板桥镇", "瓦房彝族苗族乡"]
    path = tmp_path / "codes.pdf"
    assert write_setup_pdf(issued, path) == 2
    assert pdf_pages(path) == 2
    three = tmp_path / "three.pdf"
    write_setup_pdf(
        sheet(
            ("530502208000", "瓦房", 1), ("530502101000", "板桥", 1), ("530502106000", "潞江", 1)
        ),
        three,
    )
    assert pdf_pages(three) == 3


def test_the_sheet_dialog_saves_excel_and_pdf(qtbot: QtBot, tmp_path: Path) -> None:
    import openpyxl

    issued = sheet(("530502208000", "瓦房彝族苗族乡", 2), ("530502101000", "板桥镇", 2))
    dialog = SetupSheetDialog(issued, "隆阳区", None, None, "zh_CN")
    qtbot.addWidget(dialog)
    assert dialog.table.model().rowCount() == 4
    dialog.save_to(tmp_path / "codes.xlsx", "xlsx")
    dialog.save_to(tmp_path / "codes.pdf", "pdf")
    assert "codes.pdf" in dialog.status.text()
    book = openpyxl.load_workbook(tmp_path / "codes.xlsx")
    assert len(book.sheetnames) == 2
    assert pdf_pages(tmp_path / "codes.pdf") == 2
    dialog.save_to(tmp_path / "missing" / "codes.pdf", "pdf")
    assert "Not saved" in dialog.status.text() or "未保存" in dialog.status.text()

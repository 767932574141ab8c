"""An informant whose account was set up elsewhere with a manager's code is told at once.

Issue 18: a township reviewer issued a set-up code for a village informant and signed a
device in as them; the informant's own PC was not told.  Now redeeming the code signs the
other devices out, and the informant's window says when, on which device and whose code.
"""

from __future__ import annotations

from collections.abc import Callable

import requests
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from informant_app.core.sync.types import Account
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.window.main_window import MainWindow
from tests.support.city_server import CityServer


def _set_up_elsewhere(city: CityServer, username: str, manager: str) -> None:
    """The manager issues a code for ``username`` and redeems it on another device."""
    api = f"{city.url}/api/v1"
    with requests.Session() as http:
        signed = http.post(
            f"{api}/auth/login",
            timeout=30,
            json={
                "username": manager,
                "password": city.password(manager),
                "device_id": "manager-pc",
                "device_name": "乡镇办公室",
            },
        )
        assert signed.status_code == 200, signed.text
        bearer = {"Authorization": f"Bearer {signed.json()['token']}"}
        issued = http.post(
            f"{api}/provisioning", json={"username": username}, headers=bearer, timeout=30
        )
        assert issued.status_code == 200, issued.text
        assert issued.json()["devices_signed_out"] == 1
        used = http.post(
            f"{api}/auth/provision",
            timeout=30,
            json={
                "code": issued.json()["code"],
                "device_id": "impostor-pc",
                "device_name": "冒用的电脑",
            },
        )
        assert used.status_code == 200, used.text


def _notices() -> list[QMessageBox]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.isVisible() and "冒用的电脑" in w.text()
    ]


def test_the_informant_is_told_when_a_code_signs_their_account_in_elsewhere(
    qtbot: QtBot,
    chinese: None,
    own_city_server: CityServer,
    sign_in_as: Callable[..., Account],
    make_controller: Callable[..., SyncController],
    make_window: Callable[..., MainWindow],
) -> None:
    city = own_city_server
    city.start()
    sign_in_as("wafang_a", city)
    controller = make_controller()
    window = make_window("zh_CN", sync=controller)
    qtbot.waitUntil(lambda: controller.last_summary is not None, timeout=15_000)
    assert not _notices()

    _set_up_elsewhere(city, "wafang_a", "wafang_reviewer")
    controller.sync_now()
    qtbot.waitUntil(lambda: bool(_notices()), timeout=15_000)
    [box] = _notices()
    assert box.text().startswith("您的账号已于")
    assert "如非本人操作，请立即联系上级" in box.text()
    assert box.windowTitle() == "本机已退出登录"
    assert "尚未发送的报告仍保存在本机" in box.informativeText()
    # A second refused round does not stack a second notice, nor reopen a closed one.
    controller.sync_now()
    qtbot.wait(1500)
    assert len(_notices()) == 1
    box.close()
    controller.sync_now()
    qtbot.wait(1500)
    assert not _notices()
    window.close()

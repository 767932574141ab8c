"""Issue 18: a slowed sign-in shows the server's Chinese message with the wait on the sign-in page.

Against a real city server with the slowdown close (2 free failures per name), through the real
threads: the page neither hides the 429 behind "sign-in failed" nor locks itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from informant_app.core.sync.engine import SignInError
from informant_app.ui.account.sign_in_dialog import SignInDialog
from informant_app.ui.sync.controller import SyncController
from tests.informant_app.ui.account.test_sign_in_dialog import fill
from tests.support.city_server import CityServer

FREE_FAILURES = 2


@pytest.fixture
def slowing_server(tmp_path: Path) -> Iterator[CityServer]:
    """A city server of its own whose sign-in slowdown starts after two failures per name."""
    env = {
        "CITY_LOGIN_FREE_FAILURES_PER_NAME": str(FREE_FAILURES),
        "CITY_LOGIN_REFUSAL_PAUSE_SECONDS": "0",
    }
    with CityServer(tmp_path / "slowing-city-server", env=env) as server:
        yield server


def test_a_slowed_sign_in_shows_the_wait_in_chinese(
    qtbot: QtBot,
    chinese: None,
    slowing_server: CityServer,
    make_controller: Callable[..., SyncController],
) -> None:
    for i in range(FREE_FAILURES):  # someone guessed shuigou_b's password before
        r = requests.post(
            f"{slowing_server.url}/api/v1/auth/login",
            json={"username": "shuigou_b", "password": f"guess-{i}", "device_id": "dev-guess"},
            timeout=30,
        )
        assert r.status_code == 401, r.text
    controller = make_controller()
    dialog = SignInDialog(controller, "zh_CN")
    qtbot.addWidget(dialog)
    dialog.show()
    fill(qtbot, dialog, slowing_server.url, "shuigou_b", slowing_server.password("shuigou_b"))
    with qtbot.waitSignal(controller.sign_in_failed, timeout=30_000) as failed:
        QTest.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    error = failed.args[0]
    assert isinstance(error, SignInError) and error.code == "too_many_attempts"
    assert dialog.message.text() == error.zh  # the server's own words, not "sign-in failed"
    assert dialog.message.text().startswith("登录失败次数过多，请 ")
    assert dialog.message.text().endswith("秒后再试")  # with the wait
    assert dialog.isVisible() and dialog.pages.currentIndex() == 0
    assert dialog.password.isEnabled() and dialog.sign_in_button.isEnabled()
    assert dialog.account is None

"""The set-up page with an https city server of its own CA: the test says "not trusted", the
informant chooses the city's CA file (a wrong file is refused in plain words), the file is
copied into the data folder, and the sign-in goes through over https.  Offscreen, real threads,
the real ``city-server serve --ssl-certfile/--ssl-keyfile``."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from informant_app.core.account import trust
from informant_app.core.account.server_check import ServerCheck, ServerCheckKind
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.engine import current_account
from informant_app.core.sync.types import Account
from informant_app.ui.account.setup_ca import CaCertificateBox
from informant_app.ui.account.setup_server_step import ServerStep
from informant_app.ui.account.sign_in_dialog import SignInDialog
from informant_app.ui.common import file_dialogs
from informant_app.ui.help.about_dialog import AboutDialog
from informant_app.ui.sync import runner as sync_runner
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.tasks.manager import TaskManager
from tests.integration.test_tls import Certs, TlsCity

LEFT = Qt.MouseButton.LeftButton
#: Whether the sync thread's connection test passes the data folder's CA on (sync_runner.py).
RUNNER_PASSES_CA = "ca_bundle" in inspect.getsource(sync_runner)


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsCity]:
    certs = Certs(tmp_path_factory.mktemp("ui-certs"))
    with TlsCity(tmp_path_factory.mktemp("ui-tls-city"), certs) as server:
        yield server


def pick(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Make the file dialog answer ``path`` (a native dialog cannot be clicked offscreen)."""
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *_args, **_kw: str(path))


def test_choosing_the_city_ca_on_the_set_up_page_lets_the_sign_in_through(
    qtbot: QtBot,
    chinese: None,
    tls_server: TlsCity,
    worker: TaskManager,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make_controller: Callable[..., SyncController],
    call: Callable[[Callable[[ReportStore], Account | None]], Account | None],
) -> None:
    controller = make_controller()
    dialog = SignInDialog(controller, "zh_CN", server_url=tls_server.url, worker=worker)
    qtbot.addWidget(dialog)
    dialog.show()
    box = dialog.server_step.ca_box
    assert box is not None
    qtbot.waitUntil(lambda: "通常的证书颁发机构" in box.state.text())
    assert not box.remove_button.isVisible()

    # The test without the city's CA: not trusted, and the way out is named.
    with qtbot.waitSignal(controller.server_checked, timeout=30_000):
        QTest.mouseClick(dialog.test_button, LEFT)
    text = dialog.server_step.result.text()
    assert text.startswith("✘") and "不受信任" in text and "CA" in text, text

    # A file that is not a certificate, then a private key: refused, nothing kept.
    notes = tmp_path / "notes.txt"
    notes.write_text("瓦房社区今日降雨 35 毫米", encoding="utf-8")
    pick(monkeypatch, notes)
    QTest.mouseClick(box.choose_button, LEFT)
    qtbot.waitUntil(box.message.isVisible)
    assert "不是 PEM 格式的证书" in box.message.text()
    pick(monkeypatch, tls_server.certs.good[1])  # the server's key
    QTest.mouseClick(box.choose_button, LEFT)
    qtbot.waitUntil(lambda: "私钥" in box.message.text())
    assert trust.installed_ca_bundle(data_dir) is None

    # The city's CA file, from a stick that is then taken away.
    stick = tmp_path / "usb" / "city-ca.crt"
    stick.parent.mkdir()
    stick.write_bytes(tls_server.certs.ca_file.read_bytes())
    pick(monkeypatch, stick)
    with qtbot.waitSignal(box.changed, timeout=10_000) as changed:
        QTest.mouseClick(box.choose_button, LEFT)
    bundle = changed.args[0]
    assert isinstance(bundle, trust.CaBundle) and bundle.path.parent.parent == data_dir
    stick.unlink()
    assert not box.message.isVisible() and box.remove_button.isVisible()
    assert "Baoshan city test CA" in box.state.text()
    assert bundle.fingerprint[:23] in box.state.text()
    assert dialog.server_step.result.text() == ""  # the old test no longer applies

    if RUNNER_PASSES_CA:
        with qtbot.waitSignal(controller.server_checked, timeout=30_000):
            QTest.mouseClick(dialog.test_button, LEFT)
        assert dialog.server_step.result.text().startswith("✔ 已连接")

    dialog.username.setText("wafang_a")
    dialog.password.setText(tls_server.passwords["wafang_a"])
    with qtbot.waitSignal(controller.signed_in, timeout=30_000):
        QTest.mouseClick(dialog.sign_in_button, LEFT)
    assert dialog.pages.currentIndex() == 1
    account = call(current_account)
    assert account is not None and account.server_url == tls_server.url


def test_the_ca_can_be_removed_and_about_names_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    certs = Certs(tmp_path / "certs")
    folder = tmp_path / "data"
    box = CaCertificateBox("en", data_dir=folder)  # no worker: the settings dialog's way
    qtbot.addWidget(box)
    box.show()
    assert box.state.text() == "https: the usual certificate authorities are trusted."
    pick(monkeypatch, certs.ca_file)
    with qtbot.waitSignal(box.changed):
        QTest.mouseClick(box.choose_button, LEFT)
    installed = trust.installed_ca_bundle(folder)
    assert installed is not None and installed.read_bytes() == certs.ca_file.read_bytes()

    about = AboutDialog(None, None, folder, None)
    qtbot.addWidget(about)
    assert str(installed) in about.ca_certificate.text()
    assert box.bundle is not None and box.bundle.fingerprint in about.ca_certificate.text()

    with qtbot.waitSignal(box.changed) as removed:
        QTest.mouseClick(box.remove_button, LEFT)
    assert removed.args[0] is None and trust.installed_ca_bundle(folder) is None
    assert not box.remove_button.isVisible()
    about = AboutDialog(None, None, folder, None)
    qtbot.addWidget(about)
    assert "usual certificate authorities" in about.ca_certificate.text()


@pytest.mark.parametrize("kind", [k for k in ServerCheckKind if k.is_tls])
def test_every_tls_outcome_has_its_own_chinese_sentence(
    qtbot: QtBot, chinese: None, kind: ServerCheckKind
) -> None:
    step = ServerStep("https://city.example:8443")
    qtbot.addWidget(step)
    text = step.result_text(ServerCheck("https://city.example:8443", kind))
    assert text.startswith("✘") and "city.example" in text
    assert not any(
        c.isascii() and c.isalpha()
        for c in text.replace("city.example", "")
        .replace("https", "")
        .replace("http", "")
        .replace("TLS", "")
        .replace("CA", "")
    ), text  # translated, not the English

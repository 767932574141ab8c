"""The demo's launcher: the sample accounts, each opening the app in its own process and folder.

``make demo`` shows this window.  It runs the city server, signs each account's folder in once
(headless ``informant-app login``) and opens the app there, so a report filed in a village
window can be watched reaching the server and the township.  Closing it stops the server and
the windows it opened.  What each informant is (A or B of which village, or no post yet)
follows the roster: it is read again from the demo server's database every few seconds.
"""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QProcess, QProcessEnvironment, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from informant_app.demo.server import DemoServer
from informant_app.demo.setup import (
    DemoAccount,
    account_dir,
    app_command,
    child_environment,
    choose_port,
    current_posts,
    file_samples_command,
    login_command,
    mark_logged_in,
    needs_login,
    sample_reports_file,
    with_post,
)
from informant_app.ui.common.labels import ERROR_COLOR, village_name
from sync.contract.resources import resource_path

log = logging.getLogger(__name__)

#: How long quitting waits for each child process.
QUIT_WAIT_MS = 5_000
#: How often the accounts' posts are read again from the demo server's database.
ROSTER_POLL_MS = 5_000


def _environment() -> QProcessEnvironment:
    env = QProcessEnvironment()
    for key, value in child_environment().items():
        env.insert(key, value)
    return env


class DemoLauncher(QWidget):
    """Lists the sample accounts with a button each that opens the app signed in as it.

    Signals:
        app_started(str): an app window's process started; carries the user name.
    """

    app_started = Signal(str)

    def __init__(
        self,
        demo_dir: Path,
        accounts: list[DemoAccount],
        lang: str | None,
        server: DemoServer | None,
        parent: QWidget | None = None,
    ) -> None:
        """Build the launcher.

        Args:
            demo_dir: the demo folder (app folders are made in it).
            accounts: the accounts to list, in order.
            lang: the language passed to the app windows (``None``: their default).
            server: the demo server (``None`` shows the list only: tests, screenshots).
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("demo_launcher")
        self.setWindowTitle(self.tr("Disaster reporting — demo"))
        self._demo_dir = demo_dir
        self._lang = lang
        self._server = server
        self.accounts = list(accounts)
        self.open_buttons: dict[str, QPushButton] = {}
        self.what_labels: dict[str, QLabel] = {}
        self._apps: dict[str, QProcess] = {}
        self._logins: dict[str, QProcess] = {}

        story = QLabel(
            self.tr(
                "<b>See a report travel from the village to the township.</b><ol>"
                "<li>Open informant A of the village and file a report: it goes to the city "
                "server by itself.</li>"
                "<li>Open the township reviewer: the report arrives there.</li>"
                "<li>Cut the network below, file another report in the village: it waits in the "
                "queue. Restore the network: it goes out with no further step.</li>"
                "<li>Revise the same report in the windows of A and B while the network is cut: "
                "after it is restored, both see the conflict and resolve it.</li>"
                "<li>In the reviewer's window, open the report and return it with a reason and a "
                "comment on a field: A's window shows it returned, with the reason and the "
                "comment beside the field. A revises and submits again.</li>"
                "<li>The reviewer approves the new version; on the Township report tab the "
                "total equals the sum of the approved villages; export it to Excel.</li>"
                "<li>A/B duty: in the reviewer's Roster and duty tab, assign dangxi_b as B of "
                "党西村, then mark its A off duty. The 党西村 B window shows that B acts for A; "
                "a report B files there reaches the queue marked as filed by B acting for A.</li>"
                "<li>Open an event for the villages (Events and deadlines tab): villages that have "
                "not filed are flagged after 2 minutes, and overdue after 4 (60 in "
                "production).</li>"
                "</ol>"
            ),
            self,
        )
        story.setWordWrap(True)
        story.setObjectName("demo_story")

        self.server_state = QLabel(self)
        self.server_state.setObjectName("server_state")
        self.server_button = QPushButton(self)
        self.server_button.setObjectName("server_button")
        self.server_button.clicked.connect(self.toggle_server)
        server_line = QHBoxLayout()
        server_line.addWidget(self.server_state, 1)
        server_line.addWidget(self.server_button)

        accounts_box = QGroupBox(self.tr("Sample accounts"), self)
        grid = QGridLayout(accounts_box)
        grid.setColumnStretch(1, 1)
        for line, account in enumerate(self.accounts):
            self._add_account(grid, line, account, accounts_box)

        self.message = QLabel(self)
        self.message.setObjectName("launcher_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        folder = QLabel(self.tr("Demo folder: {path}").format(path=demo_dir), self)
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        folder.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(story)
        layout.addLayout(server_line)
        layout.addWidget(accounts_box)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(folder)
        if server is not None:
            server.ready.connect(self.refresh_posts)
            server.ready.connect(self._show_server)
            server.stopped.connect(self._show_server)
            server.failed.connect(self._server_failed)
        self._show_server()
        self.roster_timer = QTimer(self)
        self.roster_timer.setInterval(ROSTER_POLL_MS)
        self.roster_timer.timeout.connect(self.refresh_posts)
        self.roster_timer.start()
        self.refresh_posts()
        self.resize(900, 620)

    # --- building ---------------------------------------------------------------------------

    def describe(self, account: DemoAccount) -> str:
        """Return what the account is, e.g. "Informant A of 瓦房社区"."""
        if account.role == "village_informant" and not account.post_role:
            return self.tr("Informant of {village}, no post yet").format(
                village=village_name(account.post or account.jurisdiction)
            )
        if account.role == "village_informant":
            return self.tr("Informant {role} of {village}").format(
                role=account.post_role or "",
                village=village_name(account.post or account.jurisdiction),
            )
        if account.role == "township_reviewer":
            return self.tr("Township reviewer of {township}").format(
                township=village_name(account.jurisdiction)
            )
        if account.role == "county_admin":
            return self.tr("County admin of {county}").format(
                county=village_name(account.jurisdiction)
            )
        if account.role == "city_admin":
            return self.tr("City admin of {city}").format(city=village_name(account.jurisdiction))
        return account.role

    def _add_account(
        self, grid: QGridLayout, line: int, account: DemoAccount, box: QWidget
    ) -> None:
        name = QLabel(f"<b>{account.display_name}</b>", box)
        what = QLabel(self.describe(account), box)
        what.setObjectName(f"what:{account.username}")
        self.what_labels[account.username] = what
        login = QLabel(
            self.tr("user {user} · password {password}").format(
                user=account.username, password=account.password
            ),
            box,
        )
        login.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        login.setStyleSheet("color: #616161;")
        button = QPushButton(self.tr("Open window"), box)
        button.setObjectName(f"open:{account.username}")
        button.clicked.connect(lambda: self.open_account(account))
        self.open_buttons[account.username] = button
        grid.addWidget(name, line, 0)
        grid.addWidget(what, line, 1)
        grid.addWidget(login, line, 2)
        grid.addWidget(button, line, 3)

    def refresh_posts(self) -> None:
        """Show each informant's post as the roster holds it now (A, B, or no post yet)."""
        posts = current_posts(self._demo_dir)
        if posts is None:
            return  # no database yet, or busy: keep what is shown
        self.accounts = [with_post(a, posts) for a in self.accounts]
        for account in self.accounts:
            label = self.what_labels.get(account.username)
            if label is not None:
                label.setText(self.describe(account))

    # --- the server -------------------------------------------------------------------------

    def _show_server(self) -> None:
        server = self._server
        if server is None:
            self.server_state.setText(self.tr("City server: not started"))
            self.server_button.setText(self.tr("Restore the network (start the server)"))
            self.server_button.setEnabled(False)
            return
        if server.is_ready:
            text = self.tr("City server running at {url}").format(url=server.url)
            button = self.tr("Cut the network (stop the server)")
        elif server.running:
            text = self.tr("City server starting at {url} …").format(url=server.url)
            button = self.tr("Cut the network (stop the server)")
        else:
            text = self.tr(
                "City server stopped: the app windows work offline and keep their reports queued."
            )
            button = self.tr("Restore the network (start the server)")
        self.server_state.setText(text)
        self.server_button.setText(button)
        self.server_button.setEnabled(True)

    def toggle_server(self) -> None:
        """Stop the server when it runs, start it when it does not."""
        server = self._server
        if server is None:
            return
        if server.running:
            server.stop()
        else:
            server.start()
        self._show_server()

    def _server_failed(self, output: str) -> None:
        self._show_error(self.tr("The city server did not start:") + "\n" + output.strip())

    # --- the app windows --------------------------------------------------------------------

    def open_account(self, account: DemoAccount) -> None:
        """Open the app for ``account`` in its own folder, signing that folder in first."""
        account = next((a for a in self.accounts if a.username == account.username), account)
        username = account.username
        running = self._apps.get(username)
        if running is not None or username in self._logins:
            self._show_info(
                self.tr("The window of {name} is already open.").format(name=account.display_name)
            )
            return
        folder = account_dir(self._demo_dir, account)
        server = self._server
        if server is None:
            return
        if not needs_login(folder, server.url):
            self._start_app(account)
            return
        if not server.is_ready:
            self._show_error(
                self.tr("Signing in needs the city server: restore the network first.")
            )
            return
        self._show_info(self.tr("Signing in as {name} …").format(name=account.display_name))
        process = QProcess(self)
        process.setProcessEnvironment(_environment())
        process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        process.finished.connect(lambda code, _status: self._logged_in(account, process, code))
        self._logins[username] = process
        command = login_command(folder, server.url, account)
        process.start(command[0], command[1:])
        process.write((account.password + "\n").encode())
        process.closeWriteChannel()

    def _logged_in(self, account: DemoAccount, process: QProcess, code: int) -> None:
        self._logins.pop(account.username, None)
        output = bytes(process.readAll().data()).decode(errors="replace").strip()
        process.deleteLater()
        if code != 0 or self._server is None:
            self._show_error(
                self.tr("Signing in as {name} failed:").format(name=account.display_name)
                + "\n"
                + output
            )
            return
        folder = account_dir(self._demo_dir, account)
        mark_logged_in(folder, self._server.url)
        samples = sample_reports_file(folder, account)
        if samples is None:
            self._start_app(account)
            return
        filing = QProcess(self)
        filing.setProcessEnvironment(_environment())
        filing.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        filing.finished.connect(lambda code, _status: self._samples_filed(account, filing, code))
        self._logins[account.username] = filing
        command = file_samples_command(folder, samples)
        filing.start(command[0], command[1:])

    def _samples_filed(self, account: DemoAccount, process: QProcess, code: int) -> None:
        self._logins.pop(account.username, None)
        output = bytes(process.readAll().data()).decode(errors="replace").strip()
        process.deleteLater()
        self._start_app(account)  # the story works without the examples, too
        if code != 0:
            self._show_error(self.tr("Filing the example reports failed:") + "\n" + output)

    def _start_app(self, account: DemoAccount) -> None:
        process = QProcess(self)
        process.setProcessEnvironment(_environment())
        process.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedChannels)
        process.finished.connect(lambda _code, _status: self._app_closed(account, process))
        self._apps[account.username] = process
        command = app_command(account_dir(self._demo_dir, account), self._lang)
        process.start(command[0], command[1:])
        self._show_info(self.tr("Opened the window of {name}.").format(name=account.display_name))
        self.app_started.emit(account.username)

    def _app_closed(self, account: DemoAccount, process: QProcess) -> None:
        if self._apps.get(account.username) is process:
            del self._apps[account.username]
        process.deleteLater()

    def _show_info(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    def _show_error(self, text: str) -> None:
        self.message.setStyleSheet(f"color: {ERROR_COLOR};")
        self.message.setText(text)

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        for process in [*self._logins.values(), *self._apps.values()]:
            process.terminate()
            if not process.waitForFinished(QUIT_WAIT_MS):
                process.kill()
                process.waitForFinished(QUIT_WAIT_MS)
        if self._server is not None:
            self._server.stop(QUIT_WAIT_MS)
        super().closeEvent(event)


def run_launcher(demo_dir: Path, accounts: list[DemoAccount], lang: str | None) -> int:
    """Show the launcher with the demo server running until it closes; return the exit code."""
    from informant_app.app import install_translators
    from informant_app.ui.common.ui_settings import DEFAULT_LANGUAGE, normalize_language

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    icon = resource_path("icons", "informant.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    translators = install_translators(app, normalize_language(lang) or DEFAULT_LANGUAGE)
    server = DemoServer(demo_dir, choose_port(demo_dir))
    launcher = DemoLauncher(demo_dir, accounts, lang, server)
    server.start()
    launcher.show()
    # Ctrl+C or a kill closes the launcher properly (stopping the server and the windows);
    # the timer lets Python see the signal while Qt's loop runs.
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_args: launcher.close())
    wake = QTimer(launcher)
    wake.timeout.connect(lambda: None)
    wake.start(250)
    try:
        return app.exec()
    finally:
        server.stop(QUIT_WAIT_MS)
        for translator in translators:
            app.removeTranslator(translator)

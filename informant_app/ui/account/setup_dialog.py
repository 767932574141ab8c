"""The set-up page: connect this computer to the city server once; the app works offline after.

Step 1 is the server's address with "Test connection"; step 2 signs in, either with the user
name and password the township gave, or with a set-up code (a text or file holding the
server's address and a code that works once).  Every request (the test, the sign-in) runs on
the sync thread through the ``SyncController``; the dialog only waits for its answer.  After
success it says who is signed in and where the device's sign-in key is kept.  "Work offline
without an account" leads to the local profile instead.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from informant_app.core.account.setup_text import SetupText
from informant_app.core.sync.types import Account, TokenStorage
from informant_app.ui.account.setup_ca import CaCertificateBox
from informant_app.ui.account.setup_code_panel import SetupCodePanel
from informant_app.ui.account.setup_server_step import ServerStep
from informant_app.ui.common.labels import ERROR_COLOR, village_name
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.tasks.manager import TaskManager, is_user_error

#: The tabs of step 2.
PASSWORD_TAB, CODE_TAB = 0, 1


class SetupDialog(QDialog):
    """Sets this computer up: the server's address, then a sign-in by password or set-up code.

    Accepted after a successful sign-in (``account`` is then set) and the informant's OK.

    Signals:
        signed_in(object): the sign-in succeeded; carries the ``Account``.
        offline_chosen(): the informant chose to work without an account (a local profile).
    """

    signed_in = Signal(object)
    offline_chosen = Signal()

    def __init__(
        self,
        controller: SyncController,
        lang: str,
        server_url: str = "",
        username: str = "",
        parent: QWidget | None = None,
        worker: TaskManager | None = None,
    ) -> None:
        """Build the dialog.

        Args:
            controller: tests the connection and signs in on the sync thread.
            lang: the UI language, for the server's messages.
            server_url: the address to offer (the last one used).
            username: the user name to offer.
            parent: the Qt parent.
            worker: reads a set-up file off the GUI thread (``None``: read directly).
        """
        super().__init__(parent)
        self.setObjectName("setup_dialog")
        self.setWindowTitle(self.tr("Set up this computer"))
        self._controller = controller
        self._lang = lang
        self._busy = False
        self.account: Account | None = None
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._form_page(server_url, username, worker))
        self.pages.addWidget(self._done_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        for edit in (self.server, self.username, self.password):
            if not edit.text():
                edit.setFocus()
                break
        controller.signed_in.connect(self._on_signed_in)
        controller.sign_in_failed.connect(self._on_failed)
        controller.server_checked.connect(self.server_step.show_result)
        self.resize(640, 580)

    # --- pages ------------------------------------------------------------------------------

    def _form_page(self, server_url: str, username: str, worker: TaskManager | None) -> QWidget:
        page = QWidget(self)
        heading = QLabel(self.tr("Connect this computer to the city server"), page)
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        heading.setFont(font)
        intro = QLabel(
            self.tr(
                "Your township gives you the server's address and an account, or a set-up code. "
                "The network is needed only for this step: afterwards the app works offline and "
                "sends your reports by itself whenever a connection appears."
            ),
            page,
        )
        intro.setWordWrap(True)
        # The city's CA certificate is kept in the data folder: offered when the worker is.
        ca_box = CaCertificateBox(self._lang, worker, parent=page) if worker is not None else None
        self.server_step = ServerStep(server_url, page, ca_box)
        self.server_step.check_requested.connect(self._controller.check_server)
        self.server = self.server_step.server
        self.test_button = self.server_step.test_button
        self.method_tabs = QTabWidget(page)
        self.method_tabs.setObjectName("sign_in_method")
        self.method_tabs.addTab(self._password_tab(username), self.tr("User name and &password"))
        self.code_panel = SetupCodePanel(self._lang, worker, page)
        self.code_panel.parsed.connect(self._on_setup_text)
        self.method_tabs.addTab(self.code_panel, self.tr("I have a set-up &code"))
        self.method_tabs.currentChanged.connect(self._on_method)
        step2 = QGroupBox(self.tr("Step 2: sign in"), page)
        step2_layout = QVBoxLayout(step2)
        step2_layout.addWidget(self.method_tabs)
        self.message = QLabel(page)
        self.message.setObjectName("sign_in_message")
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(page)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.server_step)
        layout.addWidget(step2, 1)
        layout.addWidget(self.message)
        layout.addWidget(self._buttons(page))
        return page

    def _password_tab(self, username: str) -> QWidget:
        tab = QWidget(self)
        self.username = QLineEdit(username, tab)
        self.username.setObjectName("username")
        self.password = QLineEdit(tab)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        keeping = QLabel(
            self.tr(
                "Your password is not kept. This computer keeps a sign-in key instead: in the "
                "system keyring, or where there is none, in a file only your user account can "
                "read. You will see which after signing in."
            ),
            tab,
        )
        keeping.setWordWrap(True)
        keeping.setObjectName("token_note")
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        layout = QVBoxLayout(tab)
        layout.addLayout(form)
        layout.addWidget(keeping)
        layout.addStretch(1)
        return tab

    def _buttons(self, page: QWidget) -> QDialogButtonBox:
        self.sign_in_button = QPushButton(self.tr("Sign in"), page)
        self.sign_in_button.setObjectName("sign_in_button")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self.submit)
        self.offline_button = QPushButton(self.tr("Work offline without an account…"), page)
        self.offline_button.setObjectName("work_offline")
        self.offline_button.setToolTip(
            self.tr(
                "Fill in a local profile instead. Reports stay on this computer until you "
                "sign in (File menu)."
            )
        )
        self.offline_button.clicked.connect(self._choose_offline)
        buttons = QDialogButtonBox(page)
        buttons.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.offline_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        return buttons

    def _done_page(self) -> QWidget:
        page = QWidget(self)
        self.done_text = QLabel(page)
        self.done_text.setObjectName("signed_in_text")
        self.done_text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, page)
        buttons.accepted.connect(self.accept)
        self.done_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(page)
        layout.addWidget(self.done_text)
        layout.addStretch(1)
        layout.addWidget(buttons)
        return page

    # --- the two ways in --------------------------------------------------------------------

    @property
    def using_code(self) -> bool:
        """Whether step 2 signs in with a set-up code (else with the password)."""
        return self.method_tabs.currentIndex() == CODE_TAB

    def use_code(self, text: str | None = None) -> None:
        """Switch step 2 to the set-up code (with ``text`` pasted in, when given)."""
        self.method_tabs.setCurrentIndex(CODE_TAB)
        if text is not None:
            self.code_panel.set_text(text)

    def _on_method(self, index: int) -> None:
        self.sign_in_button.setText(
            self.tr("Sign in with the code") if index == CODE_TAB else self.tr("Sign in")
        )
        self.message.hide()
        (self.code_panel.text if index == CODE_TAB else self.username).setFocus()

    def _on_setup_text(self, setup: SetupText) -> None:
        if setup.server_url is not None:
            self.server_step.set_url(setup.server_url)

    # --- signing in -------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether a sign-in request is on its way."""
        return self._busy

    def problems(self) -> list[str]:
        """Return what is missing before a sign-in can be tried, in the user's language.

        A set-up text that is not one is said by the code panel itself, under the text.
        """
        found = []
        if self.server_step.url() is None:
            found.append(self.tr("Enter the server address, starting with http:// or https://."))
        if self.using_code:
            if self.code_panel.setup is None and self.code_panel.error is None:
                found.append(self.tr("Paste the set-up text, or open the set-up file."))
            return found
        if not self.username.text().strip():
            found.append(self.tr("Enter your user name."))
        if not self.password.text():
            found.append(self.tr("Enter your password."))
        return found

    def submit(self) -> None:
        """Check the fields and send the sign-in request (password or set-up code)."""
        if self._busy:
            return
        problems = self.problems()
        if problems:
            self._show_message("\n".join(problems), error=True)
            return
        if self.using_code and self.code_panel.error is not None:
            self.message.hide()  # the panel says what is wrong with the text, right under it
            self.code_panel.text.setFocus()
            self.code_panel.text.selectAll()
            return
        url = self.server_step.url()
        assert url is not None
        self.server.setText(url)
        self._set_busy(True)
        self._show_message(self.tr("Signing in…"), error=False)
        setup = self.code_panel.setup
        if self.using_code and setup is not None:
            self._controller.sign_in_with_code(url, setup.code)
        else:
            self._controller.sign_in(url, self.username.text().strip(), self.password.text())

    def _on_signed_in(self, account: Account) -> None:
        if not self._busy:
            return
        self._set_busy(False)
        self.password.clear()
        self.code_panel.text.clear()  # the code is used: nothing to keep on screen
        self.account = account
        self.done_text.setText(self.signed_in_text(account))
        self.pages.setCurrentIndex(1)
        self.done_button.setFocus()
        self.signed_in.emit(account)

    def _on_failed(self, exc: BaseException) -> None:
        if not self._busy:
            return
        self._set_busy(False)
        if is_user_error(exc):
            text = str(exc.message(self._lang))  # type: ignore[attr-defined]
        else:
            text = self.tr("Signing in failed unexpectedly: {error}").format(error=exc)
        self._show_message(text, error=True)
        if self.using_code:
            self.code_panel.text.setFocus()
        else:
            self.password.setFocus()
            self.password.selectAll()

    def signed_in_text(self, account: Account) -> str:
        """Return the confirmation: who is signed in and where the sign-in key is kept."""
        who = self.tr("You are signed in as {name} ({user}).").format(
            name=account.display_name or account.username, user=account.username
        )
        posts = [
            self.tr("{village}, post {role}").format(
                village=post.division_name or village_name(post.division_code), role=post.post_role
            )
            for post in account.posts
        ]
        if posts:
            gap = "" if self._lang.startswith("zh") else " "  # between sentences
            who += gap + self.tr("Posts: {posts}.").format(posts="; ".join(posts))
        if account.token_storage is TokenStorage.KEYRING:
            kept = self.tr("The sign-in key is kept in the system keyring.")
        else:
            kept = self.tr(
                "No system keyring was found, so the sign-in key is kept in a file "
                "that only your user account can read."
            )
        offline = self.tr(
            "From now on the app works offline; reports go to the server by "
            "themselves whenever it can be reached."
        )
        return "\n\n".join([who, kept, offline])

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (
            self.server,
            self.test_button,
            self.method_tabs,
            self.sign_in_button,
            self.offline_button,
            self.server_step.ca_box,
        ):
            if widget is not None:
                widget.setEnabled(not busy)

    def _show_message(self, text: str, *, error: bool) -> None:
        self.message.setStyleSheet(f"color: {ERROR_COLOR};" if error else "")
        self.message.setText(text)
        self.message.show()

    def _choose_offline(self) -> None:
        self.offline_chosen.emit()
        self.reject()

    @override
    def reject(self) -> None:
        if self.account is not None:  # Esc on the confirmation page still means OK
            super().accept()
            return
        super().reject()

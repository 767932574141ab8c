"""Sign in once (online) with the account the township gave; the app works offline after.

The request runs on the sync thread through ``SyncController.sign_in``; the dialog only waits
for its answer.  After success it says who is signed in and where the device's sign-in key
is kept.  "Work offline without an account" leads to the local profile instead.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from informant_app.core.sync_types import Account, TokenStorage
from informant_app.ui.labels import ERROR_COLOR, village_name
from informant_app.ui.sync_controller import SyncController
from informant_app.ui.worker import is_user_error


class SignInDialog(QDialog):
    """Asks for the server address, user name and password and signs in.

    Accepted after a successful sign-in (``account`` is then set) and the informant's OK.

    Signals:
        signed_in(object): the sign-in succeeded; carries the ``Account``.
        offline_chosen(): the informant chose to work without an account (a local profile).
    """

    signed_in = Signal(object)
    offline_chosen = Signal()

    def __init__(self, controller: SyncController, lang: str, server_url: str = "",
                 username: str = "", parent: QWidget | None = None) -> None:
        """Build the dialog.

        Args:
            controller: signs in on the sync thread.
            lang: the UI language, for the server's messages.
            server_url: the address to offer (the last one used).
            username: the user name to offer.
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("sign_in_dialog")
        self.setWindowTitle(self.tr("Sign in"))
        self._controller = controller
        self._lang = lang
        self._busy = False
        self.account: Account | None = None
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._form_page(server_url, username))
        self.pages.addWidget(self._done_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        for edit in (self.server, self.username, self.password):
            if not edit.text():
                edit.setFocus()
                break
        controller.signed_in.connect(self._on_signed_in)
        controller.sign_in_failed.connect(self._on_failed)
        self.resize(520, 380)

    # --- pages ------------------------------------------------------------------------------

    def _form_page(self, server_url: str, username: str) -> QWidget:
        page = QWidget(self)
        intro = QLabel(self.tr(
            "Sign in once, with the account your township gave you. This needs the network "
            "once; after that the app works offline and sends your reports by itself "
            "whenever a connection appears."), page)
        intro.setWordWrap(True)
        self.server = QLineEdit(server_url, page)
        self.server.setObjectName("server_url")
        self.server.setPlaceholderText(self.tr("e.g. https://zaiqing.example.gov.cn"))
        self.username = QLineEdit(username, page)
        self.username.setObjectName("username")
        self.password = QLineEdit(page)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        keeping = QLabel(self.tr(
            "Your password is not kept. This computer keeps a sign-in key instead: in the "
            "system keyring, or where there is none, in a file only your user account can "
            "read. You will see which after signing in."), page)
        keeping.setWordWrap(True)
        keeping.setObjectName("token_note")
        self.message = QLabel(page)
        self.message.setObjectName("sign_in_message")
        self.message.setWordWrap(True)
        self.message.hide()
        self.sign_in_button = QPushButton(self.tr("Sign in"), page)
        self.sign_in_button.setObjectName("sign_in_button")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self.submit)
        self.offline_button = QPushButton(self.tr("Work offline without an account…"), page)
        self.offline_button.setObjectName("work_offline")
        self.offline_button.setToolTip(self.tr(
            "Fill in a local profile instead. Reports stay on this computer until you "
            "sign in (File menu)."))
        self.offline_button.clicked.connect(self._choose_offline)
        buttons = QDialogButtonBox(page)
        buttons.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.offline_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self._form_buttons = buttons
        form = QFormLayout()
        form.addRow(self.tr("Server address"), self.server)
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(keeping)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        return page

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

    # --- signing in -------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether a sign-in request is on its way."""
        return self._busy

    def problems(self) -> list[str]:
        """Return what is missing before a sign-in can be tried, in the user's language."""
        found = []
        url = self.server.text().strip()
        if not url.startswith(("http://", "https://")) or len(url) < len("http://x"):
            found.append(self.tr("Enter the server address, starting with http:// or https://."))
        if not self.username.text().strip():
            found.append(self.tr("Enter your user name."))
        if not self.password.text():
            found.append(self.tr("Enter your password."))
        return found

    def submit(self) -> None:
        """Check the fields and send the sign-in request."""
        if self._busy:
            return
        problems = self.problems()
        if problems:
            self._show_message("\n".join(problems), error=True)
            return
        self._set_busy(True)
        self._show_message(self.tr("Signing in…"), error=False)
        self._controller.sign_in(self.server.text().strip().rstrip("/"),
                                 self.username.text().strip(), self.password.text())

    def _on_signed_in(self, account: Account) -> None:
        if not self._busy:
            return
        self._set_busy(False)
        self.password.clear()
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
        self.password.setFocus()
        self.password.selectAll()

    def signed_in_text(self, account: Account) -> str:
        """Return the confirmation: who is signed in and where the sign-in key is kept."""
        who = self.tr("You are signed in as {name} ({user}).").format(
            name=account.display_name or account.username, user=account.username)
        posts = [self.tr("{village}, post {role}").format(
            village=post.division_name or village_name(post.division_code), role=post.post_role)
            for post in account.posts]
        if posts:
            who += " " + self.tr("Posts: {posts}.").format(posts="; ".join(posts))
        if account.token_storage is TokenStorage.KEYRING:
            kept = self.tr("The sign-in key is kept in the system keyring.")
        else:
            kept = self.tr("No system keyring was found, so the sign-in key is kept in a file "
                           "that only your user account can read.")
        offline = self.tr("From now on the app works offline; reports go to the server by "
                          "themselves whenever it can be reached.")
        return "\n\n".join([who, kept, offline])

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.server, self.username, self.password, self.sign_in_button,
                       self.offline_button):
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

"""Step 1 of the set-up page: the server's address, "Test connection", and the city's CA.

The test itself runs on the sync thread (``SyncController.check_server``); this box only asks
for it and says what came back, in words a township office can act on.  For an https server
with the city's own certificates, the CA certificate file is chosen here too
(``setup_ca.CaCertificateBox``).

The line that says what the test found keeps its height (``RESULT_LINES`` lines) while empty:
its message appearing or going away never moves step 2, so a click aimed at the user name
or the password lands there.  The same line warns (in orange) while the address is plain
``http://`` to another computer: passwords and reports travel unencrypted
(``plain_http.is_plain_http_remote``); it does not block.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from informant_app.core.account.plain_http import is_plain_http_remote
from informant_app.core.account.server_check import (
    ServerCheck,
    ServerCheckKind,
    normalize_server_url,
)
from informant_app.ui.account.setup_ca import CaCertificateBox
from informant_app.ui.common.labels import ERROR_COLOR, WARNING_COLOR
from informant_app.ui.common.plain_text import plain_tooltip
from sync.contract import PROTOCOL_VERSION

#: The colour of a connection that works.
OK_COLOR = "#2e7d32"
#: Lines of text the test's result line keeps room for (the longest sentence needs three).
RESULT_LINES = 3


class ServerStep(QGroupBox):
    """The server address with its connection test.

    Signals:
        check_requested(str): test the connection to this (normalized) address.
    """

    check_requested = Signal(str)

    def __init__(
        self, server_url: str, parent: QWidget | None = None, ca_box: CaCertificateBox | None = None
    ) -> None:
        """Build the box with ``server_url`` filled in (and ``ca_box`` under it, if given)."""
        super().__init__(self.tr("Step 1: the server's address"), parent)
        self.setObjectName("server_step")
        self._pending: str | None = None
        self.server = QLineEdit(server_url, self)
        self.server.setObjectName("server_url")
        self.server.setPlaceholderText(self.tr("e.g. http://192.168.1.10:8765"))
        self.server.setClearButtonEnabled(True)
        self.test_button = QPushButton(self.tr("&Test connection"), self)
        self.test_button.setObjectName("test_connection")
        self.test_button.setAutoDefault(False)
        self.test_button.setToolTip(self.tr("Ask the server whether it is there (Alt+T)"))
        self.test_button.clicked.connect(self.request_check)
        self.result = QLabel(self)
        self.result.setObjectName("connection_result")
        self.result.setWordWrap(True)
        self.result.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        spacing = self.result.fontMetrics().lineSpacing()
        self.result.setFixedHeight(RESULT_LINES * spacing + 4)  # kept while empty
        self.server.textEdited.connect(lambda _text: self._forget())
        row = QHBoxLayout()
        row.addWidget(self.server, 1)
        row.addWidget(self.test_button)
        self.ca_box = ca_box
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        if ca_box is not None:
            ca_box.setParent(self)
            ca_box.changed.connect(lambda _bundle: self._forget())
            layout.addWidget(ca_box)
        layout.addWidget(self.result)
        self._forget()  # a saved plain-http address is warned about at once

    @property
    def checking(self) -> bool:
        """Whether a connection test is on its way."""
        return self._pending is not None

    def url(self) -> str | None:
        """Return the address as typed, normalized (``http://`` added), or ``None``."""
        return normalize_server_url(self.server.text())

    def set_url(self, url: str) -> None:
        """Put ``url`` in the field (from a set-up text); an earlier test no longer applies."""
        if self.server.text().strip().rstrip("/") != url:
            self.server.setText(url)
            self._forget()

    def request_check(self) -> None:
        """Test the connection to the address in the field (a bad address is said at once)."""
        url = self.url()
        if url is None:
            self._say(self._bad_address(), ok=False)
            return
        self.server.setText(url)
        self._pending = url
        self.test_button.setEnabled(False)
        self._say(self.tr("Testing the connection to {url}…").format(url=url), ok=None)
        self.check_requested.emit(url)

    def show_result(self, result: ServerCheck) -> None:
        """Say what the test of ``result.url`` found (a stale answer is ignored)."""
        if result.url != self._pending:
            return
        self._pending = None
        self.test_button.setEnabled(True)
        works = result.reachable and result.compatible
        if works and is_plain_http_remote(result.url):
            self._say(self.unencrypted_text(result), ok=None, color=WARNING_COLOR)
        else:
            self._say(self.result_text(result), ok=works)
        if result.kind is ServerCheckKind.TLS_UNTRUSTED and self.ca_box is not None:
            self.ca_box.choose_button.setFocus()  # what the message asks for

    def result_text(self, result: ServerCheck) -> str:
        """Return the sentence for a connection test's outcome."""
        host = urlsplit(result.url).netloc or result.url
        kind = result.kind
        if kind is ServerCheckKind.REACHABLE and not result.compatible:
            return self.tr(
                "✘ The city server answers, but it speaks another protocol version ({server}; "
                "this app: {app}). Ask the township for the matching version of the app."
            ).format(server=result.protocol_version, app=PROTOCOL_VERSION)
        texts = {
            ServerCheckKind.REACHABLE: self.tr(
                "✔ Connected: this is the city server (version {version}). Go on to step 2."
            ),
            ServerCheckKind.BAD_ADDRESS: self._bad_address(),
            ServerCheckKind.UNKNOWN_HOST: self.tr(
                "✘ The name {host} is not known on this network. Check the spelling, or use "
                "the server's number address, e.g. http://192.168.1.10:8765."
            ),
            ServerCheckKind.REFUSED: self.tr(
                "✘ The computer {host} refused the connection: the server program is not "
                "running there, or the port number (after the colon) is wrong."
            ),
            ServerCheckKind.TIMEOUT: self.tr(
                "✘ No answer from {host} in time: the network may be down, or a firewall is "
                "in the way. Check the cable or Wi-Fi and try again."
            ),
            ServerCheckKind.NOT_OUR_SERVER: self.tr(
                "✘ Something answered at {host}, but it is not the city server. It may be a "
                "network sign-in page (open a web browser and sign in to the network first), "
                "or the address is wrong."
            ),
            ServerCheckKind.SERVER_ERROR: self.tr(
                "✘ The city server answers but has a problem of its own (its database may be "
                "down). Tell the township, and try again later."
            ),
            ServerCheckKind.UNREACHABLE: self.tr(
                "✘ The server {host} cannot be reached. Check the network and the address."
            ),
            ServerCheckKind.TLS_UNTRUSTED: self.tr(
                "✘ The certificate of {host} is not trusted (an unknown certificate authority, "
                "or self-signed). If the city uses its own certificates, choose the city's CA "
                "certificate file (button above) and test again."
            ),
            ServerCheckKind.TLS_HOSTNAME: self.tr(
                "✘ The certificate of the server is not for the name {host}. Check the "
                "address: use the name or number the certificate was made for."
            ),
            ServerCheckKind.TLS_EXPIRED: self.tr(
                "✘ The certificate of {host} has expired, or this computer's date and time "
                "are wrong. Check the clock of this PC first; if it is right, tell the city "
                "to renew the certificate."
            ),
            ServerCheckKind.TLS_NOT_YET_VALID: self.tr(
                "✘ The certificate of {host} is not valid yet: this computer's date and time "
                "are probably wrong. Check the clock of this PC and test again."
            ),
            ServerCheckKind.TLS_NOT_HTTPS: self.tr(
                "✘ The server {host} does not use an encrypted connection (https). Write the "
                "address with http:// instead, or check it with the township."
            ),
            ServerCheckKind.HTTPS_NEEDED: self.tr(
                "✘ The server {host} only accepts encrypted connections. Write the address "
                "with https:// instead of http://."
            ),
            ServerCheckKind.TLS_FAILED: self.tr(
                "✘ No encrypted connection could be made with {host} (the TLS handshake "
                "failed). Check the address, or tell the city."
            ),
        }
        return texts[kind].format(host=host, version=result.server_version or "?")

    def plain_http_warning(self) -> str:
        """Return the warning for an address that is plain http:// to another computer."""
        return self.tr(
            "⚠ This address is not encrypted (http://): passwords and reports can be read on "
            "the way by anyone on the network. Ask the township or county for the https:// "
            "address."
        )

    def unencrypted_text(self, result: ServerCheck) -> str:
        """Return the sentence for a working server reached over plain http://."""
        return self.tr(
            "⚠ Connected to the city server (version {version}), but not encrypted (http://): "
            "passwords and reports can be read on the way. Ask the township or county for "
            "the https:// address, or go on to step 2."
        ).format(version=result.server_version or "?")

    def _bad_address(self) -> str:
        return self.tr(
            "✘ This is not a server address. Write it like "
            "http://192.168.1.10:8765 (ask your township for it)."
        )

    def _forget(self) -> None:
        self._pending = None
        self.test_button.setEnabled(True)
        url = self.url()  # not an address (yet): nothing to warn about
        if url is not None and is_plain_http_remote(url):
            self._say(self.plain_http_warning(), ok=None, color=WARNING_COLOR)
        else:
            self.result.clear()  # the line keeps its room: nothing below moves
            self.result.setStyleSheet("")
            self.result.setToolTip("")

    def _say(self, text: str, *, ok: bool | None, color: str | None = None) -> None:
        if color is None and ok is not None:
            color = {True: OK_COLOR, False: ERROR_COLOR}[ok]
        self.result.setStyleSheet(f"color: {color};" if color else "")
        self.result.setText(text)
        self.result.setToolTip(plain_tooltip(text))

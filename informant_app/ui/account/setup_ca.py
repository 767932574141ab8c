"""The city's CA certificate for https, on the set-up page (and wherever else it is offered).

A city with certificates of its own gives its informants a CA certificate file.  This box
shows which one the app trusts (or that it trusts the usual authorities), lets the informant
choose the file and remove it again.  The file is checked and copied into the data folder on
the task manager's ``db`` lane (``trust.install_ca_bundle``), so the GUI thread never waits on a USB
stick, and a stick taken away later breaks nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from informant_app.core.account import trust
from informant_app.core.store.report_store import ReportStore
from informant_app.ui.common import file_dialogs
from informant_app.ui.common.labels import ERROR_COLOR
from informant_app.ui.tasks.manager import TaskManager, is_user_error

T = TypeVar("T")


class CaCertificateBox(QWidget):
    """Which CA certificate the app trusts for https; choose or remove it.

    Signals:
        changed(object): the trusted CA changed; carries the ``trust.CaBundle`` or ``None``.
    """

    changed = Signal(object)

    def __init__(
        self,
        lang: str,
        worker: TaskManager | None = None,
        data_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Build the box and read which CA is installed.

        Args:
            lang: the UI language, for the messages of a file that is not a certificate.
            worker: checks and copies the file off the GUI thread (the usual way).
            data_dir: the data folder, used directly when there is no worker (a small file).
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("ca_box")
        self._lang = lang
        self._worker = worker
        self._data_dir = data_dir
        self.bundle: trust.CaBundle | None = None
        self.state = QLabel(self)
        self.state.setObjectName("ca_state")
        self.state.setWordWrap(True)
        self.choose_button = QPushButton(self.tr("City's CA certificate…"), self)
        self.choose_button.setObjectName("choose_ca")
        self.choose_button.setAutoDefault(False)
        self.choose_button.setToolTip(
            self.tr(
                "Only for an https address whose certificate the city made itself: choose the "
                "CA certificate file (.pem, .crt) the city gave you"
            )
        )
        self.choose_button.clicked.connect(self.choose)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setObjectName("remove_ca")
        self.remove_button.setAutoDefault(False)
        self.remove_button.setToolTip(self.tr("Trust the usual certificate authorities again"))
        self.remove_button.clicked.connect(self.remove)
        self.message = QLabel(self)
        self.message.setObjectName("ca_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOR};")
        self.message.hide()
        row = QHBoxLayout()  # the sentence on a line of its own: it wraps, the buttons do not
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.choose_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self._show(None)
        self._run(trust.ca_bundle_info, self._show)

    # --- what is trusted -------------------------------------------------------------------

    def state_text(self, bundle: trust.CaBundle | None) -> str:
        """Return the sentence that says which certificates are trusted for https."""
        if bundle is None:
            return self.tr("https: the usual certificate authorities are trusted.")
        first = bundle.certificates[0]
        return self.tr(
            "https: the city's CA certificate is trusted ({name}; SHA-256 {fingerprint}…)."
        ).format(name=first.subject or bundle.path.name, fingerprint=first.sha256[:23])

    def _show(self, bundle: trust.CaBundle | None) -> None:
        self.bundle = bundle
        self.state.setText(self.state_text(bundle))
        self.state.setToolTip(
            "" if bundle is None else f"{bundle.path}\nSHA-256 {bundle.fingerprint}"
        )
        self.remove_button.setVisible(bundle is not None)

    # --- choosing and removing --------------------------------------------------------------

    def choose(self) -> None:
        """Ask for the CA certificate file, then install it."""
        path = file_dialogs.open_file_name(
            self,
            self.tr("The city's CA certificate"),
            self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"),
            purpose="ca certificate",
        )
        if path:
            self.install(Path(path))

    def install(self, source: Path) -> None:
        """Check ``source`` and copy it into the data folder as the CA to trust."""
        self.message.hide()
        self._set_busy(True)
        self._run(lambda data_dir: trust.install_ca_bundle(data_dir, source), self._changed)

    def remove(self) -> None:
        """Forget the city's CA certificate."""
        self.message.hide()
        self._set_busy(True)
        self._run(trust.remove_ca_bundle, lambda _was: self._changed(None))

    def _changed(self, bundle: trust.CaBundle | None) -> None:
        self._set_busy(False)
        self._show(bundle)
        self.changed.emit(bundle)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if is_user_error(exc):
            text = str(exc.message(self._lang))  # type: ignore[attr-defined]
        else:
            text = self.tr("The certificate could not be kept: {error}").format(error=exc)
        self.message.setText(text)
        self.message.show()

    def _set_busy(self, busy: bool) -> None:
        self.choose_button.setEnabled(not busy)
        self.remove_button.setEnabled(not busy)

    def _run(self, fn: Callable[[Path], T], done: Callable[[T], Any]) -> None:
        """Run ``fn(data_dir)`` on the worker (or here without one); answer on this thread."""
        if self._worker is not None:

            def job(store: ReportStore) -> T:
                return fn(store.data_dir)

            self._worker.run(job, on_done=done, on_error=self._failed, owner=self)
            return
        if self._data_dir is None:
            return
        try:
            result = fn(self._data_dir)
        except Exception as exc:  # said in the box, as from the worker
            self._failed(exc)
            return
        done(result)

"""The demo's city server as a child process, watched by polling ``GET /health``.

Used by the demo launcher only; the desktop app itself never starts a server.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, QProcess, QProcessEnvironment, QTimer, QUrl, Signal
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest

from informant_app.demo.setup import child_environment, city_server_command, server_url

log = logging.getLogger(__name__)

#: How often readiness is checked, and for how long at most.
POLL_MS = 250
START_TIMEOUT_MS = 60_000


class DemoServer(QObject):
    """Starts and stops ``city-server serve`` on the demo database.

    Signals:
        ready(): the server answers ``/health``.
        stopped(): the server process ended (stopped or crashed).
        failed(str): the server did not come up; carries its last output.
    """

    ready = Signal()
    stopped = Signal()
    failed = Signal(str)

    def __init__(self, demo_dir: Path, port: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._demo_dir = demo_dir
        self.port = port
        self.url = server_url(port)
        self._is_ready = False
        self._stopping = False
        self._waited_ms = 0
        self._output = ""
        self._process: QProcess | None = None
        self._network = QNetworkAccessManager(self)
        self._poll = QTimer(self)
        self._poll.setSingleShot(True)
        self._poll.timeout.connect(self._check_health)

    @property
    def is_ready(self) -> bool:
        """Whether the server answered its health check and still runs."""
        return self._is_ready

    @property
    def running(self) -> bool:
        """Whether the server process runs (ready or starting)."""
        return self._process is not None

    def start(self) -> None:
        """Start the server process and poll until it answers."""
        if self._process is not None:
            return
        process = QProcess(self)
        command = city_server_command(
            self._demo_dir, "serve", "--host", "127.0.0.1", "--port", str(self.port)
        )
        env = QProcessEnvironment()
        for key, value in child_environment().items():
            env.insert(key, value)
        process.setProcessEnvironment(env)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        process.readyReadStandardOutput.connect(self._read_output)
        process.finished.connect(self._on_finished)
        self._process = process
        self._output = ""
        self._waited_ms = 0
        self._stopping = False
        log.info("starting the demo server: %s", " ".join(command))
        process.start(command[0], command[1:])
        self._poll.start(POLL_MS)

    def stop(self, wait_ms: int = 0) -> None:
        """Stop the server; with ``wait_ms`` wait that long for it to end (on quitting)."""
        process = self._process
        if process is None:
            return
        self._poll.stop()
        self._stopping = True
        process.terminate()
        if wait_ms and not process.waitForFinished(wait_ms):
            process.kill()
            process.waitForFinished(wait_ms)

    def _read_output(self) -> None:
        if self._process is not None:
            text = bytes(self._process.readAllStandardOutput().data()).decode(errors="replace")
            self._output = (self._output + text)[-4000:]
            log.debug("demo server: %s", text.rstrip())

    def _check_health(self) -> None:
        if self._process is None:
            return
        reply = self._network.get(QNetworkRequest(QUrl(self.url + "/health")))
        reply.finished.connect(lambda: self._on_health(reply))

    def _on_health(self, reply: QNetworkReply) -> None:
        reply.deleteLater()
        if self._process is None or self._is_ready:
            return
        body: QByteArray = reply.readAll()
        try:
            ok = (
                reply.error() is QNetworkReply.NetworkError.NoError
                and json.loads(bytes(body.data())).get("status") == "ok"
            )
        except ValueError:
            ok = False
        if ok:
            log.info("demo server ready at %s", self.url)
            self._is_ready = True
            self.ready.emit()
            return
        self._waited_ms += POLL_MS
        if self._waited_ms >= START_TIMEOUT_MS:
            self.failed.emit(self._output)
            self.stop()
            return
        self._poll.start(POLL_MS)

    def _on_finished(self, _code: int, _status: QProcess.ExitStatus) -> None:
        process, self._process = self._process, None
        was_ready, self._is_ready = self._is_ready, False
        self._poll.stop()
        if process is not None:
            process.deleteLater()
        if not was_ready and not self._stopping and self._waited_ms < START_TIMEOUT_MS:
            self.failed.emit(self._output)
        self.stopped.emit()

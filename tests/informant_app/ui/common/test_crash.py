"""The safety net: an uncaught exception is logged and the user told where the log is."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import pytest

from informant_app.ui.common import crash


def test_an_uncaught_exception_is_logged_and_shown(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture, qapp: object
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    shown: list[tuple[BaseException, Path]] = []
    monkeypatch.setattr(
        crash, "_show_crash_dialog", lambda exc, log, _data: shown.append((exc, log))
    )
    log_file = tmp_path / "app.log"
    crash.install_excepthook(log_file)

    error = RuntimeError("bug")
    with caplog.at_level(logging.CRITICAL):
        sys.excepthook(RuntimeError, error, None)
    assert shown == [(error, log_file)]
    assert any(r.levelno == logging.CRITICAL and r.exc_info for r in caplog.records)

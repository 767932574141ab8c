"""The UI settings file and the app's log files are 0600 (a looser one is tightened)."""

from __future__ import annotations

import logging
import logging.handlers
import os
import stat
from pathlib import Path

import pytest

from informant_app.app import LOG_FILE_NAME, _log_handler
from informant_app.ui.common.ui_settings import UiSettings

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_settings_file_is_this_users_only(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "config" / "ui-settings.ini"
        settings = UiSettings(path)
        settings.language = "en"
        assert mode(path) == 0o600 and mode(path.parent) == 0o700
        os.chmod(path, 0o644)
        UiSettings(path).language = "zh_CN"
        assert mode(path) == 0o600
        assert UiSettings(path).language == "zh_CN"
    finally:
        os.umask(old)


def test_the_log_and_its_rotations_are_this_users_only(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        folder = tmp_path / "logs"
        handler, log_file = _log_handler(folder)
        assert log_file == folder / LOG_FILE_NAME
        assert isinstance(handler, logging.handlers.RotatingFileHandler)
        try:
            handler.emit(logging.makeLogRecord({"msg": "hello"}))
            assert mode(log_file) == 0o600 and mode(folder) == 0o700
            handler.doRollover()
            handler.emit(logging.makeLogRecord({"msg": "again"}))
            assert mode(log_file) == 0o600
            assert mode(folder / f"{LOG_FILE_NAME}.1") == 0o600
        finally:
            handler.close()
        os.chmod(log_file, 0o644)
        handler, _ = _log_handler(folder)
        handler.close()
        assert mode(log_file) == 0o600
    finally:
        os.umask(old)

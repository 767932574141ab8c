"""Where the data and logs live: --data-dir > INFORMANT_DATA_DIR > platform folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from informant_app.core.paths import data_dir, database_path, log_dir, photos_dir


def test_data_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFORMANT_DATA_DIR", str(tmp_path / "env"))
    assert data_dir(tmp_path / "flag") == tmp_path / "flag"
    assert data_dir(str(tmp_path / "flag")) == tmp_path / "flag"
    assert data_dir(None) == tmp_path / "env"
    assert log_dir() == tmp_path / "env" / "logs"
    monkeypatch.delenv("INFORMANT_DATA_DIR")
    assert data_dir(None).name == "informant-app"
    assert "informant-app" in str(log_dir())
    assert log_dir(tmp_path) == tmp_path / "logs"


def test_files_inside_the_data_dir(tmp_path: Path) -> None:
    assert database_path(tmp_path) == tmp_path / "informant.db"
    assert photos_dir(tmp_path) == tmp_path / "photos"

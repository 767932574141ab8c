"""The headless command line, run as a person would: ``python -m informant_app …``."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from informant_app.__main__ import main
from informant_app.core.reports.sample import make_reports
from tests.support.app_cli import run_app

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "resources" / "sample" / "reports_example.json"


def cli(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_app(*args, env=env)


def status(data: Path) -> dict[str, int]:
    result = cli("--data-dir", data, "status", "--json")
    assert result.returncode == 0, result.stderr
    counts: dict[str, int] = json.loads(result.stdout)
    return counts


def write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def thousand(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return make_reports(1000, seed=2024)


@pytest.mark.slow
def test_import_thousand_reports_and_status(tmp_path: Path, thousand: dict[str, Any]) -> None:
    file = write(tmp_path / "reports.json", thousand)
    data = tmp_path / "data"
    result = cli("--data-dir", data, "import", file, "--submit")
    assert result.returncode == 0, result.stderr
    assert "1000" in result.stdout
    counts = status(data)
    assert counts["queued"] == 1000 and counts["total"] == 1000
    assert set(counts) == {
        *("draft", "queued", "sending", "received", "conflict", "error", "total"),
        *("photos_pending", "received_without_photos", "conflicts_open"),
    }
    # The same file again adds nothing.
    again = cli("--data-dir", data, "--lang", "en", "import", file, "--submit")
    assert again.returncode == 0 and "skipped 1000" in again.stdout
    assert status(data)["total"] == 1000


@pytest.mark.slow
def test_one_bad_record_refuses_the_file(tmp_path: Path, thousand: dict[str, Any]) -> None:
    document = json.loads(json.dumps(thousand))
    record = document["reports"][537]
    record["figures"]["crop_failed_ha"] = record["figures"]["crop_damaged_ha"] + 3
    file = write(tmp_path / "bad.json", document)
    data = tmp_path / "data"

    result = cli("--data-dir", data, "import", file, "--submit")
    assert result.returncode == 2
    assert "reports[537]" in result.stderr and "crop_failed_ha" in result.stderr
    assert record["report_uuid"] in result.stderr
    assert "导入被拒绝" in result.stderr and "绝收" in result.stderr  # Chinese by default
    assert status(data)["total"] == 0

    english = cli("--data-dir", data, "--lang", "en", "import", file, "--submit")
    assert english.returncode == 2
    assert "record reports[537]" in english.stderr and "cannot exceed" in english.stderr


def test_drafts_import_then_status(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = cli("--data-dir", data, "import", EXAMPLE)
    assert result.returncode == 0, result.stderr
    counts = status(data)
    assert counts["draft"] == 4 and counts["total"] == 4


@pytest.mark.slow
def test_export_round_trip(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert cli("--data-dir", first, "import", EXAMPLE, "--submit").returncode == 0
    exported = tmp_path / "export.json"
    result = cli("--data-dir", first, "export", "--format", "json", exported)
    assert result.returncode == 0, result.stderr
    assert cli("--data-dir", second, "import", exported, "--submit").returncode == 0
    again = tmp_path / "again.json"
    assert cli("--data-dir", second, "export", "--format", "json", again).returncode == 0
    assert json.loads(again.read_text(encoding="utf-8")) == json.loads(
        exported.read_text(encoding="utf-8")
    )
    assert status(second)["queued"] == 4

    table = tmp_path / "export.csv"
    assert cli("--data-dir", first, "export", "--format", "csv", table).returncode == 0
    lines = table.read_bytes().decode("utf-8-sig").splitlines()
    assert table.read_bytes().startswith(b"\xef\xbb\xbf")
    assert lines[0].startswith("report_uuid,version_no,state,stage,")
    assert len(lines) == 5 and "瓦房社区" in lines[1]


def test_data_dir_from_environment(tmp_path: Path) -> None:
    env = {"INFORMANT_DATA_DIR": str(tmp_path / "env-data")}
    assert cli("import", EXAMPLE, env=env).returncode == 0
    assert (tmp_path / "env-data" / "informant.db").exists()


def test_unreadable_file_and_newer_database(tmp_path: Path) -> None:
    missing = cli("--data-dir", tmp_path / "d", "import", tmp_path / "nope.json")
    assert missing.returncode == 2 and "无法读取" in missing.stderr

    newer = tmp_path / "newer"
    newer.mkdir()
    with sqlite3.connect(newer / "informant.db") as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES ('zz99')")
    conn.close()
    result = cli("--data-dir", newer, "status", "--json")
    assert result.returncode == 1 and "更新版本" in result.stderr
    result = cli("--data-dir", newer, "--lang", "en", "status")
    assert result.returncode == 1 and "newer version" in result.stderr


def test_headless_paths_never_import_qt(tmp_path: Path) -> None:
    code = f"""
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith(("PySide6.", "shiboken6")):
            raise ImportError("Qt is blocked in this test: " + name)
sys.meta_path.insert(0, Block())
import informant_app.commands.main, informant_app.core.store.report_store
import informant_app.core.reports.sample, informant_app.core.reports.importing
import informant_app.core.reports.exporting, informant_app.core.store.migrate
from informant_app.__main__ import main
assert main(["--data-dir", {str(tmp_path / "d")!r}, "import", {str(EXAMPLE)!r}]) == 0
assert main(["--data-dir", {str(tmp_path / "d")!r}, "status", "--json"]) == 0
assert not [m for m in sys.modules if m.startswith(("PySide6", "shiboken6"))]
print("qt-free")
"""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr
    assert "qt-free" in result.stdout


def test_no_command_opens_the_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Path | None, str | None]] = []
    fake = types.ModuleType("informant_app.app")

    def run_gui(data_dir: Path | None, lang: str | None) -> int:
        calls.append((data_dir, lang))
        return 0

    fake.run_gui = run_gui  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "informant_app.app", fake)
    assert main(["--data-dir", str(tmp_path)]) == 0
    assert main(["--lang", "en_US"]) == 0
    assert main(["--lang", "zh"]) == 0
    assert calls == [(tmp_path, None), (None, "en"), (None, "zh_CN")]


def test_bad_arguments_exit_2() -> None:
    result = cli("--lang", "fr", "status")
    assert result.returncode == 2
    result = cli("export", "--format", "xlsx", "out.xlsx")
    assert result.returncode == 2


def test_export_to_unwritable_place(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = cli("--data-dir", tmp_path / "d", "export", "--format", "json", blocker / "out.json")
    assert result.returncode == 2 and "无法写入" in result.stderr

"""The PyInstaller folder (``make bundle``): it runs frozen, and it carries no city server.

The module's fixture runs ``make bundle`` (which installs PyInstaller into .venv and rebuilds
only when a source is newer than the bundle), then the frozen ``--self-test`` runs, the bundle
tree and its PYZ archive are searched for the server stack and unused Qt modules, and the
window is started once offscreen with a temporary data folder.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from informant_app.commands.self_test import CHECKS
from informant_app.core.store.migrate import head_revision

pytestmark = pytest.mark.bundle

REPO = Path(__file__).resolve().parents[2]
NAME: str = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"]
BUNDLE = REPO / "dist" / NAME
EXE = BUNDLE / (NAME + (".exe" if sys.platform == "win32" else ""))
BUILD_TIMEOUT = 1200
#: Guards against a dependency dragging in a large stack (QtWebEngine, the server …).
MAX_BUNDLE_MIB = 200

#: Packages (import names) the desktop bundle must not carry.
FORBIDDEN_MODULES = (
    "sync.server",
    "informant_app.demo.setup",
    "fastapi",
    "starlette",
    "uvicorn",
    "pydantic",
    "pydantic_core",
    "pydantic_settings",
    "argon2",
    "psycopg",
    "psycopg_binary",
    "httpx",
    "httpx2",
    "httpcore",
    "httpcore2",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
)
#: Qt's Python modules the app may carry (QtSvg only as a library, for the SVG icon).
QT_ALLOWED = {"QtCore", "QtGui", "QtWidgets", "QtNetwork", "QtSvg", "QtDBus"}
QT_FORBIDDEN_LIBS = (
    "WebEngine",
    "Qml",
    "Quick",
    "Qt63D",
    "Multimedia",
    "Charts",
    "DataVisualization",
    "Pdf",
    "Sql",
    "Test",
    "Bluetooth",
    "Sensors",
    "SerialPort",
    "Positioning",
    "Designer",
)


def clean_env(**extra: str) -> dict[str, str]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith("INFORMANT_") and k != "PYTHONPATH"
    }
    environment.update(QT_QPA_PLATFORM="offscreen", **extra)
    return environment


@pytest.fixture(scope="module")
def bundle() -> Path:
    started = time.monotonic()
    result = subprocess.run(
        ["make", "bundle"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert EXE.is_file(), f"no {EXE} after make bundle"
    assert time.monotonic() - started < BUILD_TIMEOUT
    return BUNDLE


def bundle_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_frozen_self_test_passes(bundle: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(EXE), "--self-test"],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for check in CHECKS:  # frozen: the server check runs too, nothing is skipped
        assert f"[通过 PASS] {check.zh} / {check.en}: " in result.stdout, lines
    assert f": {head_revision()}" in result.stdout
    assert lines[-1] == "自检通过 / self-test passed"
    assert len(lines) == len(CHECKS) + 1


def test_no_server_or_test_tooling_in_the_folder(bundle: Path) -> None:
    files = bundle_files(bundle)
    assert not [f for f in files if "sync/server" in f]
    top = {f.split("/")[1] if f.startswith("_internal/") else f.split("/")[0] for f in files}
    names = {part.split("-")[0].split(".")[0].lower() for part in top}
    forbidden = {m.split(".")[0] for m in FORBIDDEN_MODULES if "." not in m}
    assert not names & forbidden, sorted(names & forbidden)
    assert any(f.endswith("resources/translations/informant_zh_CN.qm") for f in files)
    assert any(f.endswith("resources/translations/qt_extra_zh_CN.qm") for f in files)
    assert any(f.endswith("informant_app/core/store/migrations/env.py") for f in files)


def test_no_server_or_test_tooling_in_the_archive(bundle: Path) -> None:
    from PyInstaller.archive.readers import pkg_archive_contents

    modules = pkg_archive_contents(str(EXE), recursive=True)
    assert "informant_app.commands.main" in modules and "sync.contract" in modules
    found = sorted(
        m for m in modules if any(m == f or m.startswith(f + ".") for f in FORBIDDEN_MODULES)
    )
    assert not found


def test_only_the_qt_the_app_uses(bundle: Path) -> None:
    files = bundle_files(bundle)
    qt_modules = {
        Path(f).name.split(".")[0]
        for f in files
        if "PySide6/" in f and Path(f).name.startswith("Qt") and Path(f).suffix in {".so", ".pyd"}
    }
    assert {"QtCore", "QtGui", "QtWidgets"} <= qt_modules <= QT_ALLOWED, qt_modules
    qt_libs = [Path(f).name for f in files if "Qt6" in Path(f).name]
    assert not [lib for lib in qt_libs if any(bad in lib for bad in QT_FORBIDDEN_LIBS)]
    plugins = [f for f in files if "/plugins/" in f]
    for needed in ("platforms/*qoffscreen*", "iconengines/*qsvgicon*", "imageformats/*qsvg*"):
        assert list(bundle.rglob(needed)), needed
    if sys.platform.startswith("linux"):
        assert list(bundle.rglob("platforms/libqxcb*")), plugins
        assert list(bundle.rglob("platforms/libqwayland*")), plugins
    translations = sorted(Path(f).name for f in files if "/Qt/translations/" in f)
    assert "qtbase_zh_CN.qm" in translations and all("zh_CN" in t for t in translations)


def test_size_and_links(bundle: Path) -> None:
    entries = list(bundle.rglob("*"))
    broken = [p for p in entries if p.is_symlink() and not p.exists()]
    assert not broken  # a library left out must not leave its link behind
    size = sum(p.stat().st_size for p in entries if p.is_file() and not p.is_symlink())
    assert size < MAX_BUNDLE_MIB * 2**20, f"{size / 2**20:.0f} MiB"


@pytest.fixture
def window(bundle: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    data = tmp_path / "data"
    with (tmp_path / "out.txt").open("wb") as out:
        proc = subprocess.Popen(
            [str(EXE), "--data-dir", str(data)],
            cwd=tmp_path,
            env=clean_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield proc, data
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=30)


def test_frozen_window_opens(window: tuple[subprocess.Popen[bytes], Path], tmp_path: Path) -> None:
    proc, data = window
    database = data / "informant.db"
    log = data / "logs" / "informant-app.log"
    deadline = time.monotonic() + 60
    while not (database.exists() and log.exists() and "migrated" in log.read_text("utf-8")):
        assert proc.poll() is None, (tmp_path / "out.txt").read_text("utf-8", "replace")
        assert time.monotonic() < deadline, "the frozen app did not open its store in 60 s"
        time.sleep(0.2)
    time.sleep(5)  # still running a while after start-up: the window is up, nothing crashed
    output = (tmp_path / "out.txt").read_text("utf-8", "replace")
    assert proc.poll() is None, output
    assert "Traceback" not in output
    text = log.read_text("utf-8")
    assert f"{NAME} " in text and " starting; data folder " in text
    assert " ERROR " not in text and " CRITICAL " not in text and "Traceback" not in text
    conn = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            head_revision(),
        )
    finally:
        conn.close()

"""``run_gui`` starts the whole app: log file, settings, translators, store, main window."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from informant_app.core.store.report_store import ReportStore

SCRIPT = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from informant_app.app import run_gui

app = QApplication([])

def poll():
    for w in app.topLevelWidgets():
        if (w.objectName() == "main_window" and w.isVisible() and w.profile is not None
                and not w.model.loading and w.model.rowCount() == 1):
            print("TITLE", w.windowTitle())
            print("ACTION", w.act_new.text())
            print("STATE", w.model.index(0, 0).data(), flush=True)
            w.close()
            return
    QTimer.singleShot(20, poll)

QTimer.singleShot(0, poll)
sys.exit(run_gui(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else None))
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "title", "action", "state"),
    [
        (None, "灾情信息报送 — 张明（A角）", "新建报告(&N)", "草稿"),
        ("en", "Disaster information reporting — 张明 (post A)", "&New report", "Draft"),
    ],
)
def test_run_gui_starts_and_stops_cleanly(
    data_dir: Path,
    profiled: object,
    seed: Callable[[Callable[[ReportStore], Any]], Any],
    lang: str | None,
    title: str,
    action: str,
    state: str,
) -> None:
    seed(lambda store: store.new_draft())
    root = Path(__file__).resolve().parents[4]
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
    )
    env.pop("INFORMANT_DATA_DIR", None)
    args = [sys.executable, "-c", SCRIPT, str(data_dir), *([lang] if lang else [])]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines())
    assert lines == {"TITLE": title, "ACTION": action, "STATE": state}
    log = (data_dir / "logs" / "informant-app.log").read_text(encoding="utf-8")
    assert "starting" in log and "stopped" in log

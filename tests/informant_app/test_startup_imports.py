"""The start to the list's first page loads only what that page needs, and syncs after it.

Heavy modules (Alembic, the exporters, the report form, the pages of other roles) are imported
when they are first used: each one imported at start-up makes every start slower, whatever
the store's size.  The sync thread starts once the first page is shown: its store and first
round would otherwise compete with that page.  Checked in fresh interpreters (``sys.modules``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from informant_app.core.reports.sample import DEMO_PROFILE
from informant_app.core.store import migrate
from informant_app.core.store.report_store import ReportStore

ROOT = Path(__file__).resolve().parents[2]

#: Modules the informant's first page must not load (each is loaded when first used).
HEAVY = (
    "alembic",  # migrations: only for a database behind this app's schema
    "xlsxwriter",
    "informant_app.core.township.export",
    "informant_app.core.township.national_form",
    "informant_app.ui.reports.form",
    "informant_app.ui.reports.history_dialog",
    "informant_app.ui.account.profile_dialog",
    "informant_app.ui.account.settings_dialog",
    "informant_app.ui.window.review_workspace",
    "informant_app.ui.review.queue_page",
    "informant_app.ui.township.report_view",
    "informant_app.ui.dashboard.page",
    "informant_app.ui.admin.admin_page",
    "informant_app.ui.duty.roster_page",
)

IMPORTS = """
import json, sys
import informant_app.__main__
import informant_app.app
print(json.dumps(sorted(m for m in json.loads(sys.argv[1]) if m in sys.modules)))
"""

# Runs the app's start on a data folder; prints what happened first ("page": the list's first
# page, "sync": the sync controller started) and the heavy modules loaded at the first page.
START = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import informant_app.app as gui
from informant_app.ui.sync.controller import SyncController

heavy = json.loads(sys.argv[2])
happened, loaded_then = [], []
app = QApplication([])
start_sync = SyncController.start

def sync_started(controller):
    start_sync(controller)
    happened.append("sync")
    QTimer.singleShot(0, app.quit)

def watch(_app, window):
    def page():
        window.model.loaded.disconnect(page)
        happened.append("page")
        loaded_then.extend(m for m in heavy if m in sys.modules)
    window.model.loaded.connect(page)

SyncController.start = sync_started
gui.bench_ready_hook = watch
code = gui.run_gui(Path(sys.argv[1]), "en")
print(json.dumps({"happened": happened, "heavy": loaded_then}))
sys.exit(code)
"""


def _python(script: str, *args: str) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "INFORMANT_TOKEN_STORAGE": "file"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    env.pop("INFORMANT_DATA_DIR", None)
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.slow
def test_the_window_modules_leave_the_heavy_ones_out() -> None:
    assert json.loads(_python(IMPORTS, json.dumps(HEAVY))) == []


@pytest.mark.slow
def test_the_first_page_loads_no_heavy_module_and_sync_starts_after_it(tmp_path: Path) -> None:
    with ReportStore.open(tmp_path) as store:
        store.save_profile(DEMO_PROFILE)
        store.new_draft()
    outcome = json.loads(_python(START, str(tmp_path), json.dumps(HEAVY)))
    assert outcome == {"happened": ["page", "sync"], "heavy": []}


@pytest.mark.slow
def test_sync_starts_on_a_first_start_without_a_page(tmp_path: Path) -> None:
    """No profile, no account: the sign-in is asked for, and its sync thread is running."""
    outcome = json.loads(_python(START, str(tmp_path), json.dumps(HEAVY)))
    assert outcome["happened"] == ["sync"]


def test_head_revision_is_the_newest_migration() -> None:
    """An up-to-date database opens without Alembic only if this constant names the head."""
    assert migrate.head_revision() == migrate.HEAD_REVISION

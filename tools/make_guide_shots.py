"""Make the user guide's screenshots from the real app (``make guide-shots``).

Starts a real city server with the Baoshan sample and the example register in a temporary
folder, lets the sample's villages file the example reports
(``resources/sample/reports_example.json``) through the core, lets the township reviewer pass
some, return one with a reason, submit the township report upward and open today's event for
the villages, then opens the real main window of each role offscreen in Chinese (the app's own
translators) at 1366×768 and grabs the screens the guide's pages show into
``resources/guide/shots/`` (``SHOTS``: one PNG each, 256 colours to stay small; a PNG there
that ``SHOTS`` no longer names is removed).  About 20 seconds.  Run it again whenever the
screens change::

    python tools/make_guide_shots.py                 # writes resources/guide/shots/*.png
    python tools/make_guide_shots.py --out /tmp/x    # elsewhere
    python tools/make_guide_shots.py --keep          # keep the server and app folders

The guide's test (``tests/informant_app/ui/help/test_guide.py``) checks that ``SHOTS`` names
exactly the images the pages show.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QWidget

    from informant_app.ui.review.return_dialog import ReturnDialog
    from informant_app.ui.window.main_window import MainWindow

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

#: The screenshots, by file stem (``resources/guide/shots/<stem>.png``), and what each shows.
SHOTS: dict[str, str] = {
    "informant_list": "village A's report list: delivered, returned and approved reports",
    "informant_form": "a new initial report (初报) in the form",
    "informant_returned": "a report the township returned, opened: the reason above the form",
    "informant_off_duty": "Duty → Mark me off duty (登记本人离岗)",
    "reviewer_queue": "the township reviewer's review queue (审核)",
    "reviewer_return": "returning a report with a reason (退回)",
    "reviewer_township": "the township report (乡镇报表) of an event",
    "reviewer_events": "events and deadlines (灾害过程与时限): villages owing reports",
    "reviewer_roster": "roster and duty (岗位与值班): A and B of every village post",
    "admin_dashboard": "the county's dashboard (灾情总览)",
    "admin_accounts": "the city's administration page (账号管理): accounts",
}
#: Screen size of the shots (the app's target screen).
SIZE = (1366, 768)
#: A PNG larger than this (after quantising) is scaled down.
MAX_BYTES = 150_000
#: How long one step may wait for the app (seconds).
STEP_TIMEOUT = 60.0
#: The example reports the villages file.
EXAMPLE = ROOT / "resources" / "sample" / "reports_example.json"
REGISTER = ROOT / "resources" / "sample" / "baoshan_register_sample.csv"
#: The village whose A and B the informant's shots show, and the others that file too.
VILLAGE_A, VILLAGE_B = "wafang_a", "wafang_b"
OTHER_VILLAGES = ("shuigou_a", "dangxi_a")
REVIEWER, COUNTY, CITY = "wafang_reviewer", "longyang_admin", "baoshan_city"
RETURN_REASON = "受灾人口与现场核查不符，请核实后重报"
RETURN_COMMENT = "请按入户核查的人数填写"


def shots_dir() -> Path:
    """Return the guide's screenshot folder."""
    return ROOT / "resources" / "guide" / "shots"


def main(argv: list[str] | None = None) -> int:
    """Make the screenshots; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=shots_dir(), help="folder of the PNGs")
    parser.add_argument("--keep", action="store_true", help="keep the server and app folders")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="guide-shots-"))
    os.environ.setdefault("XDG_RUNTIME_DIR", str(work / "runtime"))
    (work / "runtime").mkdir(mode=0o700, exist_ok=True)
    try:
        made = Shooter(work, args.out).run()
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    for stale in args.out.glob("*.png"):
        if stale.stem not in SHOTS:
            stale.unlink()
    missing = sorted(set(SHOTS) - set(made))
    if missing:
        print(f"not made: {', '.join(missing)}", file=sys.stderr)
        return 1
    total = sum((args.out / f"{name}.png").stat().st_size for name in made)
    print(f"{len(made)} screenshots in {args.out} ({total // 1024} KB)")
    return 0


class Shooter:
    """Prepares the story on a real server and grabs the app's screens."""

    def __init__(self, work: Path, out: Path) -> None:
        from bench.server import CityServer

        self.work = work
        self.out = out
        self.server = CityServer(work / "server")
        self.made: list[str] = []

    # --- the story, through the core ---------------------------------------------------------

    def folder(self, username: str) -> Path:
        return self.work / "apps" / username

    def sign_in(self, username: str) -> Path:
        from informant_app.core.store.report_store import ReportStore
        from informant_app.core.sync.engine import sign_in

        folder = self.folder(username)
        with ReportStore.open(folder) as store:
            sign_in(store, self.server.url, username, self.server.password(username))
        return folder

    def sync(self, username: str) -> None:
        from informant_app.core.store.report_store import ReportStore
        from informant_app.core.sync.engine import SyncEngine

        with ReportStore.open(self.folder(username)) as store:
            summary = SyncEngine(store).run_round()
            if not summary.ok:
                raise RuntimeError(f"sync of {username} failed: {summary.problem}")

    def file_examples(self, username: str) -> None:
        """File (import and submit) the example reports of the user's village, and send them."""
        from informant_app.core.reports.importing import import_reports, read_document
        from informant_app.core.store.report_store import ReportStore

        village = str(self.server.accounts[username]["post"])
        document = read_document(EXAMPLE)
        document = {
            **document,
            "reports": [r for r in document["reports"] if r.get("village_code") == village],
        }
        with ReportStore.open(self.folder(username)) as store:
            import_reports(store, document, submit=True)
        self.sync(username)

    def review(self) -> None:
        """The reviewer passes the initial reports and returns village A's continuing report."""
        from informant_app.core.review.service import (
            DecisionKind,
            ReviewFilter,
            decide,
            review_queue,
        )
        from informant_app.core.store.report_store import ReportStore
        from informant_app.core.township.report import fetch_report, submit_report
        from sync.contract.stages import ReportStage

        self.sync(REVIEWER)
        with ReportStore.open(self.folder(REVIEWER)) as store:
            village = str(self.server.accounts[VILLAGE_A]["post"])
            for item in review_queue(store, ReviewFilter(), 0, 1000):
                if item.stage == "initial" and item.village_code != "530502208207":
                    decide(store, item.version_uuid, DecisionKind.APPROVE)
                elif item.stage == "continuing" and item.village_code == village:
                    decide(
                        store,
                        item.version_uuid,
                        DecisionKind.RETURN,
                        RETURN_REASON,
                        {"affected_pop": RETURN_COMMENT},
                    )
        self.sync(REVIEWER)
        with ReportStore.open(self.folder(REVIEWER)) as store:  # the township's total goes up
            report = fetch_report(store, flood_event(), ReportStage.INITIAL)
            submit_report(store, report)

    def open_event(self) -> None:
        """The township opens today's rainstorm for its villages: their deadlines start."""
        from datetime import UTC, datetime, timedelta

        from informant_app.core.duty.service import open_event
        from informant_app.core.store.report_store import ReportStore
        from sync.contract.china_time import CHINA_TZ

        occurred = datetime.now(UTC) - timedelta(minutes=10)
        local = occurred.astimezone(CHINA_TZ)
        name = f"{local.year}年{local.month}月{local.day}日隆阳区洪涝"
        with ReportStore.open(self.folder(REVIEWER)) as store:
            open_event(store, name, "flood", occurred)
        self.sync(REVIEWER)

    def prepare(self) -> None:
        self.server.init()
        self.server.cli("register", "import", str(REGISTER))
        self.server.start()
        for username in (VILLAGE_A, VILLAGE_B, *OTHER_VILLAGES, REVIEWER, COUNTY, CITY):
            self.sign_in(username)
        for username in (VILLAGE_A, *OTHER_VILLAGES):
            self.file_examples(username)
        self.review()
        self.open_event()
        self.sync(VILLAGE_A)

    # --- the app ---------------------------------------------------------------------------

    def run(self) -> list[str]:
        from PySide6.QtWidgets import QApplication

        from informant_app.app import install_translators
        from informant_app.ui.common.fonts import apply_cjk_fallback

        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        apply_cjk_fallback(app)
        install_translators(app, "zh_CN")
        self.out.mkdir(parents=True, exist_ok=True)
        try:
            self.prepare()
            with self.window(VILLAGE_A) as window:
                self.informant_shots(window)
            with self.window(REVIEWER) as window:
                self.reviewer_shots(window)
            with self.window(COUNTY) as window:
                self.dashboard_shot(window)
            with self.window(CITY) as window:
                self.admin_shot(window)
        finally:
            self.server.stop()
        return self.made

    @contextmanager
    def window(self, username: str) -> Iterator[MainWindow]:
        """Open the real main window of ``username`` (with its sync controller) at 1366×768."""
        from PySide6.QtWidgets import QApplication

        from informant_app.app import open_store
        from informant_app.core.store.report_store import ReportStore
        from informant_app.ui.common.ui_settings import UiSettings
        from informant_app.ui.sync.controller import SyncController
        from informant_app.ui.tasks.manager import TaskManager
        from informant_app.ui.window.main_window import MainWindow

        folder = self.folder(username)
        worker = TaskManager(lambda: open_store(folder))
        opened: list[object] = []
        worker.open(on_done=opened.append)
        wait(lambda: bool(opened))
        controller = SyncController(lambda: ReportStore.open(folder), watch_network=False)
        controller.start()
        settings = UiSettings(self.work / f"ui-{username}.ini")
        window = MainWindow(worker, "zh_CN", folder, settings, sync=controller)
        window.resize(*SIZE)
        window.show()
        window.start()
        actions = window.sync_actions
        assert actions is not None
        wait(lambda: window.profile is not None or actions.account is not None)
        wait(lambda: not window.model.loading)
        try:
            yield window
        finally:
            for widget in QApplication.topLevelWidgets():
                if widget is not window and widget.isVisible():
                    widget.close()
            window.close()
            wait(lambda: worker.pending == 0)
            controller.stop()
            worker.stop()
            window.deleteLater()
            settle(0.2)

    def grab(self, name: str, widget: QWidget) -> None:
        """Save ``widget`` as ``<name>.png`` (quantised to 256 colours)."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QImage

        if name not in SHOTS:
            raise KeyError(f"{name} is not in SHOTS")
        settle(0.3)
        # A palette of 256 colours (no dithering: flat UI colours stay flat) keeps a
        # 1366×768 screen at 20–40 KB; a shot still over MAX_BYTES is scaled down.
        flags = Qt.ImageConversionFlag
        image = widget.grab().toImage()
        while True:
            small = image.convertToFormat(
                QImage.Format.Format_Indexed8, flags.ThresholdDither | flags.AvoidDither
            )
            path = self.out / f"{name}.png"
            small.save(str(path), quality=0)  # the format from the suffix; 0: most compressed
            if path.stat().st_size <= MAX_BYTES or image.width() < 800:
                break
            image = image.scaledToWidth(
                image.width() * 3 // 4, Qt.TransformationMode.SmoothTransformation
            )
        self.made.append(name)
        print(f"{name}.png {path.stat().st_size // 1024} KB", file=sys.stderr)

    def informant_shots(self, window: MainWindow) -> None:
        model = window.model
        wait(
            lambda: any(
                model.row_at(i).review_status == "returned" for i in range(model.rowCount())
            )
        )
        duty = present(lambda: window.duty if window.duty and window.duty.active else None)
        settle(1.0)
        returned = next(
            row
            for row in (model.row_at(i) for i in range(model.rowCount()))
            if row.stage == "continuing" and row.review_status == "returned"
        )
        window.table.selectRow(present(lambda: model.row_of(returned.report_uuid)))
        self.grab("informant_list", window)

        forms: list[QWidget] = []
        window.form_opened.connect(forms.append)
        window.open_selected()
        wait(lambda: bool(forms))
        forms[-1].resize(*SIZE)
        self.grab("informant_returned", forms[-1])
        forms[-1].close()

        forms.clear()
        window.new_report()
        wait(lambda: bool(forms))
        forms[-1].resize(*SIZE)
        self.grab("informant_form", forms[-1])
        forms[-1].close()

        dialogs: list[QDialog] = []
        duty.dialog_opened.connect(dialogs.append)
        duty.ask_off_duty()
        wait(lambda: bool(dialogs))
        self.grab("informant_off_duty", dialogs[-1])
        dialogs[-1].reject()

    def reviewer_shots(self, window: MainWindow) -> None:
        from sync.contract.stages import ReportStage

        review = present(lambda: window.review)
        queue = review.queue
        wait(lambda: queue.model.rowCount() >= 3)
        window.tabs.setCurrentWidget(queue)
        pending = next(item for item in queue.model.items() if item.status == "pending")
        queue.select_report(pending.report_uuid)
        self.grab("reviewer_queue", window)

        dialogs: list[ReturnDialog] = []
        queue.dialog_opened.connect(dialogs.append)
        queue.ask_return(pending)
        wait(lambda: bool(dialogs))
        dialogs[-1].reason.setPlainText(RETURN_REASON)
        self.grab("reviewer_return", dialogs[-1])
        dialogs[-1].reject()

        township = review.township
        window.tabs.setCurrentWidget(township)
        reports: list[object] = []
        township.report_shown.connect(reports.append)
        township.choose(flood_event(), ReportStage.INITIAL)
        township.fetch()
        wait(lambda: bool(reports))
        self.grab("reviewer_township", window)

        duty = present(lambda: window.roles.duty)
        events = present(lambda: duty.events)
        window.tabs.setCurrentWidget(events)
        settle(2.0)
        self.grab("reviewer_events", window)
        window.tabs.setCurrentWidget(duty.roster)
        wait(lambda: duty.roster.model.rowCount() > 0)
        self.grab("reviewer_roster", window)

    def dashboard_shot(self, window: MainWindow) -> None:
        board = present(lambda: window.roles.dashboard)
        window.tabs.setCurrentWidget(board)
        wait(lambda: board.busy_jobs == 0)
        settle(1.0)
        board.choose_event(flood_event(), "initial")
        settle(2.0)
        wait(lambda: board.busy_jobs == 0)
        self.grab("admin_dashboard", window)

    def admin_shot(self, window: MainWindow) -> None:
        admin = present(lambda: window.roles.admin)
        window.tabs.setCurrentWidget(admin)
        settle(1.0)
        wait(lambda: admin.busy_jobs == 0)
        self.grab("admin_accounts", window)


def present(get: Callable[[], T | None], timeout: float = STEP_TIMEOUT) -> T:
    """Wait until ``get()`` returns something; return it."""
    wait(lambda: get() is not None, timeout)
    found = get()
    assert found is not None
    return found


def flood_event() -> str:
    """Return the event of the example reports' flood (the villages' initial reports)."""
    import json

    reports = json.loads(EXAMPLE.read_text(encoding="utf-8"))["reports"]
    return str(next(r["event_uuid"] for r in reports if r.get("disaster_type") == "flood"))


def settle(seconds: float) -> None:
    """Let the event loop run for ``seconds`` (layouts, repaints, queued answers)."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)


def wait(condition: Callable[[], object], timeout: float = STEP_TIMEOUT) -> None:
    """Run the event loop until ``condition()`` holds (``TimeoutError`` after ``timeout``)."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError(f"the app did not get there in {timeout:.0f} s")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)


if __name__ == "__main__":
    sys.exit(main())

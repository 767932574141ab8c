"""Drive the real app offscreen for the kill test.

Opens the main window on the data folder given as the first argument, starts a new report,
types figures and a narrative as a person would, waits until the autosave reached the store,
prints ``READY <version_uuid>`` and keeps running until it is killed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[4]))  # the repository root

#: What the driver types, by indicator.
FIGURES = {"affected_pop": "120", "deaths": "2", "crop_affected_ha": "30.5"}
NARRATIVE = "Water rose over the bridge at noon"


def main(data_dir: Path) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from informant_app.app import open_store
    from informant_app.ui.common.ui_settings import UiSettings
    from informant_app.ui.reports.form import ReportForm
    from informant_app.ui.tasks.manager import TaskManager
    from informant_app.ui.window.main_window import MainWindow

    app = QApplication([])
    worker = TaskManager(lambda: open_store(data_dir))
    window = MainWindow(worker, "en", data_dir, UiSettings(data_dir / "ui-settings.ini"))

    def edit(form: ReportForm) -> None:
        for name, text in FIGURES.items():
            QTest.keyClicks(form.sections.fields[name].edit, text)
        QTest.keyClicks(form.narrative.edit, NARRATIVE)
        poll = QTimer(form)
        poll.setInterval(20)

        def saved() -> None:
            if form.is_saved() and worker.pending == 0:
                poll.stop()
                print("READY", form.version_uuid, flush=True)

        poll.timeout.connect(saved)
        poll.start()

    window.form_opened.connect(edit)
    window.profile_ready.connect(window.new_report)
    worker.open(on_done=lambda _store: window.start())
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))

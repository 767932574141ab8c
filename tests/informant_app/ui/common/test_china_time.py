"""One time rule: screens, event names and exports show China time, whatever the PC's zone.

2026-12-06T17:26:00Z is 12月7日 01:26 in China.  The labels, the report form's time input,
the duty dialogs' inputs, the name of a new event and the township export all say so, and a
time typed into an input is China time.  A subprocess started in New York (and then switched
to UTC) gives the same answers: the PC's zone does not matter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, QLocale
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDateTimeEdit
from pytestqt.qtbot import QtBot

from informant_app.core.store.drafts import default_event_name
from informant_app.core.township.national_form import time_text
from informant_app.ui.common.form_values import iso_from_qdatetime, qdatetime_from_iso
from informant_app.ui.common.labels import clock_text, labelled_time_text, local_time_text
from informant_app.ui.duty.absence_dialog import AbsenceDialog, AbsentPost
from informant_app.ui.duty.open_event_dialog import OpenEventDialog
from informant_app.ui.reports.form_header import FormHeader
from sync.contract import ReportContent, default_divisions
from sync.contract.forms import form_settings
from tests.informant_app.core.conftest import VILLAGE
from tests.informant_app.core.review.test_review_store import content

REPO = Path(__file__).resolve().parents[4]
#: A moment whose date differs in China (Dec 7) from UTC (Dec 6) and New York (Dec 6).
MOMENT = datetime(2026, 12, 6, 17, 26, tzinfo=UTC)
MOMENT_ISO = "2026-12-06T17:26:00Z"

#: What every PC shows for MOMENT (Chinese locale), and what comes back from the inputs.
EXPECTED: dict[str, Any] = {
    "label": "2026年12月7日 01:26",
    "clock": "01:26:00",
    "form_shown": "2026年12月07日 01:26",
    "form_round_trip": MOMENT_ISO,
    # typing 09 over the hour: 09:26 China time is 01:26 UTC on Dec 7
    "form_typed": "2026-12-07T01:26:00Z",
    "event_name_date": "2026年12月7日",
    "export": "2026-12-07 01:26（北京时间）",
    "open_event_shown": "2026年12月07日 01:26",
    "open_event_utc": MOMENT.isoformat(),
    "absence_shown": "2026年12月07日 01:26",
    "absence_utc": MOMENT.isoformat(),
}


def _shown(edit: QDateTimeEdit) -> str:
    """Return the value of a time input without its "Beijing time" label."""
    return edit.text()[: len("2026年12月07日 01:26")]


def observe() -> dict[str, Any]:
    """Return what the screens, the event name and the export show for MOMENT (zh_CN)."""
    previous = QLocale()
    QLocale.setDefault(QLocale("zh_CN"))
    try:
        header = FormHeader("zh", [], [])
        header.load({"occurred_at": MOMENT_ISO, "data_cutoff_at": MOMENT_ISO})
        header.show()
        seen: dict[str, Any] = {
            "label": local_time_text(MOMENT),
            "clock": clock_text(MOMENT),
            "form_shown": _shown(header.occurred_at),
            "form_round_trip": header.values()["occurred_at"],
        }
        # a new draft's event is named from the form's time
        draft = {**content("r-1"), "event_name": "", "occurred_at": header.values()["occurred_at"]}
        name = default_event_name(ReportContent.from_dict(draft), default_divisions())
        seen["event_name_date"] = name[: len("2026年12月7日")]
        seen["export"] = time_text(MOMENT, form_settings())
        # the hour typed with the keyboard is China time
        header.occurred_at.setFocus()
        header.occurred_at.setSelectedSection(QDateTimeEdit.Section.HourSection)
        QTest.keyClicks(header.occurred_at, "09")
        seen["form_typed"] = header.values()["occurred_at"]
        header.close()

        opening = OpenEventDialog("zh", [(VILLAGE, "瓦房社区")], now=MOMENT)
        seen["open_event_shown"] = _shown(opening.occurred)
        seen["open_event_utc"] = opening.occurred_at().isoformat()
        absence = AbsenceDialog([AbsentPost(VILLAGE, "瓦房社区", "张三")], now=MOMENT)
        seen["absence_shown"] = _shown(absence.starts)
        seen["absence_utc"] = absence.starts_at().isoformat()
        for widget in (header, opening, absence):
            widget.deleteLater()
        return seen
    finally:
        QLocale.setDefault(previous)


def test_screens_names_and_exports_show_china_time(qtbot: QtBot, chinese: None) -> None:
    assert observe() == EXPECTED
    assert labelled_time_text(MOMENT).startswith(EXPECTED["label"])


def test_a_time_input_says_it_is_beijing_time(qtbot: QtBot, chinese: None) -> None:
    header = FormHeader("zh", [], [])
    qtbot.addWidget(header)
    header.load({"occurred_at": MOMENT_ISO, "data_cutoff_at": MOMENT_ISO})
    for edit in (header.occurred_at, header.data_cutoff_at):
        assert (
            edit.text()
            == f"2026年12月07日 01:26 {QApplication.translate('ChinaTime', 'Beijing time')}"
        )
        assert "UTC+8" in edit.toolTip()
    assert qdatetime_from_iso(MOMENT_ISO).offsetFromUtc() == 8 * 3600
    assert iso_from_qdatetime(QDateTime.fromSecsSinceEpoch(int(MOMENT.timestamp()))) == MOMENT_ISO


SUBPROCESS = """
import json, os, time
from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QApplication
app = QApplication([])
from tests.informant_app.ui.common.test_china_time import MOMENT, observe
def offset() -> int:  # the PC's own offset at MOMENT, as Qt sees it
    return QDateTime.fromSecsSinceEpoch(int(MOMENT.timestamp())).offsetFromUtc()
result = {"new_york": [offset(), observe()]}
os.environ["TZ"] = "UTC"
time.tzset()
result["utc"] = [offset(), observe()]
print(json.dumps(result, ensure_ascii=False))
"""


def test_a_pc_in_another_time_zone_shows_the_same_dates() -> None:
    """New York set before Qt starts, then UTC: the same China times on both."""
    env = {**os.environ, "TZ": "America/New_York", "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", SUBPROCESS],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["new_york"][0] == -5 * 3600  # the PC really was in New York
    assert result["utc"][0] == 0
    assert result["new_york"][1] == EXPECTED
    assert result["utc"][1] == EXPECTED

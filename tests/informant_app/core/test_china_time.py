"""One definition of China time (UTC+8), and no time shown from the PC's own clock or zone.

Event names, the township form, the zero-report day and the dashboard's days all count in the
one ``CHINA_TZ``; the app's and the contract's code never asks the PC for its local time
(``astimezone()`` without a zone, ``datetime.now()``, ``QDateTime.currentDateTime()``...), so a
PC in another zone shows the same dates (the UI side: tests/informant_app/ui/common/
test_china_time.py).
"""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from pathlib import Path

from informant_app.core.dashboard import board
from informant_app.core.reports import sample
from informant_app.core.store import drafts, duty_deadlines
from informant_app.core.township import national_form, report
from sync.contract import duty
from sync.contract.china_time import CHINA_TZ, china_date, china_time, china_today
from sync.contract.forms import form_settings

REPO = Path(__file__).resolve().parents[3]
#: 01:26 on Dec 7 in China, still Dec 6 in UTC.
MOMENT = datetime(2026, 12, 6, 17, 26, tzinfo=UTC)

#: Methods that give the PC's own zone or clock when called with no argument (or one, for
#: seconds since the epoch): a time shown from them differs by PC.
LOCAL_WHEN_BARE = {"astimezone": 0, "now": 0, "today": 0, "fromtimestamp": 1}
#: Qt and time-module calls that read the PC's zone or clock.
LOCAL_QT = {"toLocalTime", "currentDateTime", "currentDate", "localtime", "fromSecsSinceEpoch"}
#: Texts without which a file has none of those calls (to parse only the few that do).
PREFILTER = ("astimezone()", ".now()", ".today()", "fromtimestamp(")
#: The one place a QDateTime is made from seconds, in China time.
ALLOWED = {"informant_app/ui/common/china_time.py"}


def local_time_calls(tree: ast.AST) -> list[int]:
    """Return the lines of calls that read the PC's own time zone or clock.

    ``clock_text(datetime.now())`` is the one exception: ``clock_text`` converts the PC's
    clock to China time.
    """
    converted = {
        id(arg)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "clock_text"
        for arg in node.args
    }
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name, count = node.func.attr, len(node.args) + len(node.keywords)
        owner = node.func.value.id if isinstance(node.func.value, ast.Name) else ""
        bare = LOCAL_WHEN_BARE.get(name) == count and (
            name == "astimezone" or owner in ("datetime", "date")
        )
        if (bare and id(node) not in converted) or name in LOCAL_QT:
            lines.append(node.lineno)
    return lines


def test_china_time_is_utc_plus_8_whatever_the_date() -> None:
    assert china_time(MOMENT) == datetime(2026, 12, 7, 1, 26, tzinfo=CHINA_TZ)
    assert china_time(MOMENT.replace(tzinfo=None)) == china_time(MOMENT)  # naive is UTC
    assert china_date(MOMENT) == china_today(MOMENT) == date(2026, 12, 7)
    assert CHINA_TZ.utcoffset(None).total_seconds() == 8 * 3600


def test_there_is_one_definition_of_china_time() -> None:
    for zone in (
        duty.CHINA_TZ,
        vars(board)["CHINA_TZ"],
        drafts.CHINA_TIME,
        report.CHINA,
        national_form.CHINA,
        vars(duty_deadlines)["CHINA_TZ"],
    ):
        assert zone is CHINA_TZ
    assert "timedelta(hours=8)" not in Path(sample.__file__).read_text(encoding="utf-8")


def test_names_the_form_and_the_day_agree_on_the_china_date() -> None:
    assert national_form.time_text(MOMENT, form_settings()) == "2026-12-07 01:26（北京时间）"
    assert report.china_today(MOMENT) == "2026-12-07"
    assert board.day_end(date(2026, 12, 6)) == datetime(2026, 12, 6, 16, 0, tzinfo=UTC)


def test_no_code_shows_the_pcs_own_local_time() -> None:
    found = []
    for folder in ("informant_app", "sync"):
        for path in sorted((REPO / folder).rglob("*.py")):
            name = path.relative_to(REPO).as_posix()
            if name in ALLOWED:
                continue
            text = path.read_text(encoding="utf-8")
            if not any(word in text for word in (*PREFILTER, *LOCAL_QT)):
                continue
            lines = text.splitlines()
            found += [
                f"{name}:{n}: {lines[n - 1].strip()}" for n in local_time_calls(ast.parse(text))
            ]
    assert found == []


def test_the_scan_finds_local_time() -> None:
    bad = (
        "a = x.astimezone()\nb = datetime.now()\nc = QDateTime.currentDateTime()\n"
        "d = datetime.fromtimestamp(t)\ne = QDateTime.fromSecsSinceEpoch(t)\n"
        "f = t.toLocalTime()\ng = date.today()\n"
    )
    good = "a = x.astimezone(CHINA_TZ)\nb = datetime.now(UTC)\nc = clock_text(datetime.now())\n"
    assert local_time_calls(ast.parse(bad)) == [1, 2, 3, 4, 5, 6, 7]
    assert local_time_calls(ast.parse(good)) == []

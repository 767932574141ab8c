"""Date and time inputs in China time (the statistical system's), whatever the PC's zone.

Screens show every time in China Standard Time (``sync.contract.china_time``); an input says
so ("北京时间" after the value and in its tooltip), shows a stored UTC moment in China time
and gives back the same UTC moment.  Qt's fixed-offset zone (UTC+08:00) is used rather than
the IANA "Asia/Shanghai": China has no daylight saving, so the two agree on every moment the
system deals with, and the fixed offset needs no time zone database on the PC (a Windows PC
maps IANA names through its own tables) and is the same definition as ``CHINA_TZ``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QDateTime, QTimeZone
from PySide6.QtWidgets import QDateTimeEdit, QWidget

from informant_app.ui.common.labels import beijing_time_label, date_time_edit_pattern
from sync.contract.china_time import CHINA_OFFSET_SECONDS

#: China Standard Time as a Qt time zone (fixed offset UTC+08:00).
CHINA_QTZ = QTimeZone(CHINA_OFFSET_SECONDS)


def beijing_time_tip() -> str:
    """Return the tooltip of a time input: which time it is and that every PC shows it."""
    return QCoreApplication.translate(
        "ChinaTime",
        "Beijing time (UTC+8), the time of the statistical system: every computer shows "
        "the same date and time, whatever its own time zone.",
    )


def qdatetime_from_utc(moment: datetime) -> QDateTime:
    """Return a moment (naive: UTC) as a ``QDateTime`` in China time, to the second."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return QDateTime.fromSecsSinceEpoch(int(aware.timestamp()), CHINA_QTZ)


def utc_from_qdatetime(value: QDateTime) -> datetime:
    """Return the moment of a ``QDateTime`` (in any zone) as an aware UTC ``datetime``."""
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)


def china_datetime_edit(
    parent: QWidget | None = None, moment: datetime | None = None
) -> QDateTimeEdit:
    """Return a date and time input in China time, labelled so, with a calendar popup.

    The value is typed and shown in China time whatever the PC's zone; ``dateTime()`` is the
    moment (``utc_from_qdatetime`` gives it in UTC).  ``moment`` (naive: UTC) is the start value.
    """
    edit = QDateTimeEdit(parent)
    edit.setTimeZone(CHINA_QTZ)
    label = beijing_time_label().replace("'", "''")
    edit.setDisplayFormat(f"{date_time_edit_pattern()} '{label}'")
    edit.setCalendarPopup(True)
    edit.setToolTip(beijing_time_tip())
    if moment is not None:
        edit.setDateTime(qdatetime_from_utc(moment))
    return edit

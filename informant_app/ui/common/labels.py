"""Display texts shared by the list and the form: state names and markers, figures, times.

Contract data (stages, disaster types, indicators) is already bilingual and picked by
language here; only the app's own words go through Qt's translator.  Figures, dates and times
follow the default ``QLocale`` (``app.install_translators`` sets zh_CN or en_US): in Chinese
"2026年11月28日 16:07", in English "Nov 28, 2026 16:07", always on the 24-hour clock.  Times
are China time (UTC+8, the statistical system's) whatever the PC's time zone
(``sync.contract.china_time``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import cache

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, Qt, QTime
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QWidget

from informant_app.core.divisions import display_name
from informant_app.core.store.types import ReportState
from sync.contract import DISASTER_TYPE_BY_KEY, ReportStage
from sync.contract.china_time import CHINA_TZ, china_time

#: The marker colour of each state in the report list.
STATE_COLORS: dict[ReportState, str] = {
    ReportState.DRAFT: "#9e9e9e",
    ReportState.QUEUED: "#1e88e5",
    ReportState.SENDING: "#fb8c00",
    ReportState.RECEIVED: "#43a047",
    ReportState.CONFLICT: "#8e24aa",
    ReportState.ERROR: "#e53935",
}

#: Colours of issue messages.
ERROR_COLOR = "#c62828"
WARNING_COLOR = "#9a6700"
#: Colour of a stand-in text (an event not named yet).
PLACEHOLDER_COLOR = "#808080"


def state_label(state: ReportState) -> str:
    """Return the translated name of a report state."""
    labels = {
        ReportState.DRAFT: QCoreApplication.translate("ReportState", "Draft"),
        ReportState.QUEUED: QCoreApplication.translate("ReportState", "Queued"),
        ReportState.SENDING: QCoreApplication.translate("ReportState", "Sending"),
        ReportState.RECEIVED: QCoreApplication.translate("ReportState", "Delivered"),
        ReportState.CONFLICT: QCoreApplication.translate("ReportState", "Conflict"),
        ReportState.ERROR: QCoreApplication.translate("ReportState", "Error"),
    }
    return labels[state]


@cache
def state_icon(state: ReportState) -> QIcon:
    """Return a round coloured marker for ``state`` (GUI thread only)."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(STATE_COLORS[state]))
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


def stage_label(stage: ReportStage | str, lang: str) -> str:
    """Return a stage's name in ``lang``."""
    try:
        return ReportStage(stage).label(lang)
    except ValueError:
        return str(stage)


def disaster_label(key: str | None, lang: str) -> str:
    """Return a disaster type's name in ``lang`` ("" for none)."""
    if not key:
        return ""
    disaster = DISASTER_TYPE_BY_KEY.get(key)
    return disaster.label(lang) if disaster else key


def village_name(code: str | None) -> str:
    """Return a village's shown name from the device's division table, or its code when unknown.

    The table is the one last synced from the server (in memory; no disk on the GUI thread).
    """
    if not code:
        return ""
    return display_name(code)


#: Date and time patterns (``QLocale.toString``) by language: unambiguous, 24-hour.
DATE_TIME_PATTERNS: dict[QLocale.Language, str] = {
    QLocale.Language.Chinese: "yyyy年M月d日 HH:mm",
}
DEFAULT_DATE_TIME_PATTERN = "MMM d, yyyy HH:mm"
#: The pattern of a date and time input (fixed widths, so typing over a section works).
DATE_TIME_EDIT_PATTERNS: dict[QLocale.Language, str] = {
    QLocale.Language.Chinese: "yyyy年MM月dd日 HH:mm",
}
DEFAULT_DATE_TIME_EDIT_PATTERN = "yyyy-MM-dd HH:mm"


def number_text(
    value: Decimal | int | float | str, decimals: int = 0, *, signed: bool = False
) -> str:
    """Return a number with ``decimals`` decimals in the default locale's digits grouping.

    Formatted from the exact decimal value (a float would round a large loss wrongly), then
    given the locale's group separator and decimal point; a locale that omits the group
    separator (the C locale) gets none.
    """
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    locale = QLocale()
    omit = bool(locale.numberOptions() & QLocale.NumberOption.OmitGroupSeparator)
    text = f"{number:{'+' if signed else ''},.{decimals}f}"
    return text.translate(
        {
            ord(","): "" if omit else locale.groupSeparator(),
            ord("."): locale.decimalPoint(),
            ord("-"): locale.negativeSign(),
            ord("+"): locale.positiveSign(),
        }
    )


def figure_text(value: Decimal | None, decimals: int = 0) -> str:
    """Return a figure for display: "" when not given, else with its decimals, localized."""
    if value is None:
        return ""
    return number_text(value, decimals)


def date_time_pattern(locale: QLocale | None = None) -> str:
    """Return the pattern of a date and time shown in ``locale`` (the default locale)."""
    language = (locale or QLocale()).language()
    return DATE_TIME_PATTERNS.get(language, DEFAULT_DATE_TIME_PATTERN)


def date_time_edit_pattern(locale: QLocale | None = None) -> str:
    """Return the display format of a date and time input in ``locale`` (the default)."""
    language = (locale or QLocale()).language()
    return DATE_TIME_EDIT_PATTERNS.get(language, DEFAULT_DATE_TIME_EDIT_PATTERN)


def local_time_text(value: datetime | None) -> str:
    """Return a moment in China time, to the minute, in the default locale.

    "Local" is the statistical system's: China time whatever the PC's zone (naive: UTC).
    """
    if value is None:
        return ""
    local = china_time(value)
    shown = QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
    locale = QLocale()
    return locale.toString(shown, date_time_pattern(locale))


def beijing_time_label() -> str:
    """Return the name of the time every screen shows ("北京时间"), to label a time with."""
    return QCoreApplication.translate("ChinaTime", "Beijing time")


def labelled_time_text(value: datetime | None) -> str:
    """Return ``local_time_text`` labelled as China time ("2026年12月7日 01:26（北京时间）").

    For a deadline or a time a person acts on; "" for none.
    """
    if value is None:
        return ""
    return QCoreApplication.translate("ChinaTime", "{time} (Beijing time)").format(
        time=local_time_text(value)
    )


def time_column_width(widget: QWidget, minimum: int = 0) -> int:
    """Return the width of a table column of ``local_time_text`` in ``widget``'s font.

    The widest date of any month is measured (month names differ), with room for the cell's
    margins; never less than ``minimum``.
    """
    metrics = widget.fontMetrics()
    widest = max(
        metrics.horizontalAdvance(local_time_text(datetime(2026, month, 28, 12, 58, tzinfo=UTC)))
        for month in range(1, 13)
    )
    return max(minimum, widest + 2 * metrics.averageCharWidth() + 8)


def clock_text(value: datetime) -> str:
    """Return the China time of day of ``value`` to the second ("16:07:05").

    A naive ``value`` is the PC's own clock (``datetime.now()``) and is converted from it.
    """
    local = value.astimezone(CHINA_TZ)
    return QLocale().toString(QTime(local.hour, local.minute, local.second), "HH:mm:ss")

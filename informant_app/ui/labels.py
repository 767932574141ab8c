"""Display texts shared by the list and the form: state names and markers, figures, times.

Contract data (stages, disaster types, indicators) is already bilingual and picked by
language here; only the app's own words go through Qt's translator.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import cache

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from informant_app.core.types import ReportState
from sync.contract import DISASTER_TYPE_BY_KEY, ReportStage, default_divisions

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
    """Return a village's name from the division table, or its code when unknown."""
    if not code:
        return ""
    division = default_divisions().get(code)
    return division.name if division else code


def figure_text(value: Decimal | None, decimals: int = 0) -> str:
    """Return a figure for display: "" when not given, else with its decimals."""
    if value is None:
        return ""
    return f"{value:.{decimals}f}"


def local_time_text(value: datetime | None) -> str:
    """Return a UTC time as local time, to the minute."""
    if value is None:
        return ""
    return value.astimezone().strftime("%Y-%m-%d %H:%M")

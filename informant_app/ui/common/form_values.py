"""Conversions between the form's widgets and the draft's loose JSON content.

Figures are typed with a point as decimal separator whatever the locale; times are shown in
China time (``ui.common.china_time``) and stored as UTC ISO-8601 strings ending in ``Z``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDateTime, QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator

from informant_app.ui.common.china_time import qdatetime_from_utc, utc_from_qdatetime
from sync.contract import INDICATOR_BY_FIELD, format_time, parse_time
from sync.contract.report import figure_to_json

_INDEXED = re.compile(r"^(?P<name>[a-z_]+)\[\d+\]$")


def coordinate_validator() -> QRegularExpressionValidator:
    """Return a validator for an optional decimal latitude or longitude."""
    return QRegularExpressionValidator(QRegularExpression(r"^-?\d{0,3}(\.\d{0,7})?$"))


def figure_to_text(value: object) -> str:
    """Return the text of a stored figure (int, float or exact string) for its input."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return format(number.normalize(), "f") if number.is_finite() else str(value)


def text_to_figure(field: str, text: str) -> int | float | str | None:
    """Return the JSON value of a typed figure, ``None`` when empty or not yet a number."""
    cleaned = text.strip().rstrip(".")
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return figure_to_json(field, number) if field in INDICATOR_BY_FIELD else str(number)


def text_to_coordinate(text: str) -> float | None:
    """Return a typed coordinate, ``None`` when empty or unfinished ("-", ".")."""
    try:
        return float(text) if text.strip() not in ("", "-", ".", "-.") else None
    except ValueError:
        return None


def coordinate_to_text(value: object) -> str:
    """Return a stored coordinate as text."""
    return "" if value is None else f"{value}"


def qdatetime_from_iso(value: object, fallback: datetime | None = None) -> QDateTime:
    """Return a stored time (ISO text or datetime) as a ``QDateTime`` in China time.

    ``fallback`` (or now) stands in for a missing or unusable value; a naive datetime is UTC.
    """
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    else:
        try:
            moment = parse_time(value, "time")
        except ValueError:
            moment = fallback or datetime.now(UTC)
    return qdatetime_from_utc(moment)


def iso_from_qdatetime(value: QDateTime) -> str:
    """Return a ``QDateTime`` (in any zone) as a UTC ISO-8601 string ending in ``Z``."""
    return format_time(utc_from_qdatetime(value))


def issue_anchor(field: str) -> str:
    """Return the form field an issue stands beside.

    ``figures.deaths`` → ``deaths``, ``photos[2]`` → ``photos``.
    """
    name = field.removeprefix("figures.")
    match = _INDEXED.match(name)
    return match.group("name") if match else name

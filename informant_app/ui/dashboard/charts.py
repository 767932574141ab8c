"""The dashboard's charts, painted with ``QPainter`` (nothing beyond Qt's widgets module).

``BarChart``: one horizontal bar per unit for one figure, the value written at its end.
``StepChart``: a running total over time as a step line, one dot per report that added to it.
QtCharts would need PySide6-Addons, which the bundle leaves out (see ``build.spec``); these two
pictures need no more than a few rectangles and lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget
from typing_extensions import override

from informant_app.ui.common.labels import local_time_text

#: The bars' and the line's colour.
BAR_COLOR = "#1565c0"
#: The colour of bars of units with nothing counted (drawn as a thin mark).
EMPTY_COLOR = "#b0bec5"


def number_text(value: Decimal) -> str:
    """Return a figure as people write it (no trailing zeros, thousands apart)."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


class BarChart(QWidget):
    """Horizontal bars, one per unit, on one scale, with a title line above."""

    BAR = 16
    GAP = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty chart (``set_values`` fills it)."""
        super().__init__(parent)
        self._title = ""
        self._values: list[tuple[str, Decimal]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setAccessibleName(self.tr("Bar chart"))

    def set_values(self, title: str, values: Sequence[tuple[str, Decimal]]) -> None:
        """Show ``values`` (unit name, figure) under ``title``."""
        self._title = title
        self._values = list(values)
        self.setToolTip(title)
        self.updateGeometry()
        self.update()

    def values(self) -> list[tuple[str, Decimal]]:
        """Return the bars drawn (for tests)."""
        return list(self._values)

    @property
    def title(self) -> str:
        """The title line."""
        return self._title

    @override
    def sizeHint(self) -> QSize:
        head = self.fontMetrics().height() + self.GAP * 2
        return QSize(360, head + len(self._values) * (self.BAR + self.GAP) + self.GAP)

    @override
    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        metrics = self.fontMetrics()
        text = self.palette().text().color()
        height = metrics.height()
        painter.setPen(text)
        painter.drawText(
            QRectF(self.GAP, self.GAP, self.width() - 2 * self.GAP, height),
            Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(self._title, Qt.TextElideMode.ElideRight, self.width()),
        )
        if not self._values:
            return
        name_width = min(160, max(metrics.horizontalAdvance(n) for n, _ in self._values) + 12)
        most = max((v for _, v in self._values), default=Decimal(0))
        value_width = metrics.horizontalAdvance(number_text(most)) + 12
        span = max(20.0, self.width() - name_width - value_width - 3 * self.GAP)
        y = float(self.GAP * 2 + height)
        for name, value in self._values:
            painter.setPen(text)
            painter.drawText(
                QRectF(self.GAP, y, name_width - 6, self.BAR),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                metrics.elidedText(name, Qt.TextElideMode.ElideRight, name_width - 6),
            )
            left = float(self.GAP + name_width)
            width = span * float(value / most) if most > 0 else 0.0
            if width > 0:
                painter.fillRect(QRectF(left, y, width, self.BAR), QColor(BAR_COLOR))
            else:
                painter.fillRect(QRectF(left, y, 2, self.BAR), QColor(EMPTY_COLOR))
            painter.setPen(text)
            painter.drawText(
                QRectF(left + width + 6, y, value_width, self.BAR),
                Qt.AlignmentFlag.AlignVCenter,
                number_text(value),
            )
            y += self.BAR + self.GAP


class StepChart(QWidget):
    """A running total over time: a step line with a dot per report, axes with end labels."""

    MARGIN = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty chart (``set_steps`` fills it)."""
        super().__init__(parent)
        self._title = ""
        self._empty = ""
        self._steps: list[tuple[datetime, Decimal, str]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(self.tr("Cumulative chart"))

    def set_steps(
        self, title: str, steps: Sequence[tuple[datetime, Decimal, str]], empty: str = ""
    ) -> None:
        """Show ``steps`` (time, running total, what added to it) under ``title``."""
        self._title = title
        self._empty = empty
        self._steps = list(steps)
        tips = [f"{local_time_text(t)}  {name}  → {number_text(v)}" for t, v, name in steps]
        self.setToolTip("\n".join([title, *tips]))
        self.update()

    def steps(self) -> list[tuple[datetime, Decimal, str]]:
        """Return the steps drawn (for tests)."""
        return list(self._steps)

    @override
    def sizeHint(self) -> QSize:
        return QSize(360, 200)

    @override
    def minimumSizeHint(self) -> QSize:
        return QSize(200, 140)

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        metrics = self.fontMetrics()
        text = self.palette().text().color()
        height = metrics.height()
        m = self.MARGIN
        painter.setPen(text)
        painter.drawText(
            QRectF(m, m, self.width() - 2 * m, height),
            Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(self._title, Qt.TextElideMode.ElideRight, self.width() - 2 * m),
        )
        if not self._steps:
            painter.drawText(
                QRectF(m, m + height, self.width() - 2 * m, self.height() - 2 * m - height),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self._empty,
            )
            return
        top_value = max(v for _, v, _n in self._steps)
        label_width = metrics.horizontalAdvance(number_text(top_value)) + 8
        plot = QRectF(
            m + label_width,
            m * 2 + height,
            max(20.0, self.width() - 3 * m - label_width),
            max(20.0, self.height() - 4 * m - 2 * height),
        )
        painter.setPen(QPen(QColor(text), 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())
        painter.drawText(
            QRectF(m, plot.top() - height / 2, label_width - 4, height),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            number_text(top_value),
        )
        painter.drawText(
            QRectF(m, plot.bottom() - height / 2, label_width - 4, height),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            "0",
        )
        first, last = self._steps[0][0], self._steps[-1][0]
        seconds = (last - first).total_seconds()
        for when, align in (
            (first, Qt.AlignmentFlag.AlignLeft),
            (last, Qt.AlignmentFlag.AlignRight),
        ):
            painter.drawText(
                QRectF(plot.left(), plot.bottom() + 2, plot.width(), height),
                align | Qt.AlignmentFlag.AlignTop,
                local_time_text(when),
            )

        def point(when: datetime, value: Decimal) -> QPointF:
            share = (when - first).total_seconds() / seconds if seconds > 0 else 1.0
            x = plot.left() + plot.width() * (0.05 + 0.9 * share)
            y = plot.bottom() - (plot.height() * float(value / top_value) if top_value else 0)
            return QPointF(x, y)

        path = QPainterPath(QPointF(plot.left(), plot.bottom()))
        dots: list[QPointF] = []
        for when, value, _name in self._steps:
            p = point(when, value)
            path.lineTo(QPointF(p.x(), path.currentPosition().y()))
            path.lineTo(p)
            dots.append(p)
        path.lineTo(QPointF(plot.right(), path.currentPosition().y()))
        painter.setPen(QPen(QColor(BAR_COLOR), 2))
        painter.drawPath(path)
        painter.setBrush(QColor(BAR_COLOR))
        for dot in dots:
            painter.drawEllipse(dot, 3, 3)

"""The figure sections of the report form, generated from the contract's indicator table.

Every indicator of ``indicators_by_section()`` gets its label (★ and bold for the core set),
an input that accepts empty or a number with the indicator's decimals, its unit, and an
``IssueBox`` beneath it.  Nothing here names a single indicator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from informant_app.ui.common.form_values import figure_to_text, figure_validator, text_to_figure
from informant_app.ui.reports.issue_view import IssueBox
from sync.contract import INDICATORS, SECTION_LABELS, Indicator, indicators_by_section

#: Fields placed side by side in each section.
COLUMNS = 2
#: Width of a figure input, in pixels (12 digits and 2 decimals fit).
INPUT_WIDTH = 150


@dataclass
class FigureField:
    """The widgets of one indicator."""

    indicator: Indicator
    label: QLabel
    edit: QLineEdit
    unit: QLabel
    issues: IssueBox


class FigureSections(QWidget):
    """One group box per section, core fields first, each field with its unit and issues.

    Signals:
        changed(): the informant edited a figure.
        note_edited(str, str): a warning's note was edited (issue key, text).
    """

    changed = Signal()
    note_edited = Signal(str, str)

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self.fields: dict[str, FigureField] = {}
        metrics = self.fontMetrics()
        self._unit_width = max(metrics.horizontalAdvance(i.unit_label(lang)) for i in INDICATORS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for section, indicators in indicators_by_section():
            zh, en = SECTION_LABELS[section]
            box = QGroupBox(zh if lang.startswith("zh") else en, self)
            box.setObjectName(f"section_{section.value}")
            self._fill_section(box, indicators)
            layout.addWidget(box)

    def _fill_section(self, box: QGroupBox, indicators: list[Indicator]) -> None:
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        for position, indicator in enumerate(indicators):
            row, column = divmod(position, COLUMNS)
            field = self._make_field(box, indicator)
            base = column * 4  # label, input, unit, gap
            grid.addWidget(field.label, row * 2, base)
            grid.addWidget(field.edit, row * 2, base + 1)
            grid.addWidget(field.unit, row * 2, base + 2)
            grid.addWidget(field.issues, row * 2 + 1, base, 1, 3)
            self.fields[indicator.field] = field
        for column in range(COLUMNS):
            grid.setColumnStretch(column * 4, 1)
            if column + 1 < COLUMNS:
                grid.setColumnMinimumWidth(column * 4 + 3, 32)

    def _make_field(self, box: QGroupBox, indicator: Indicator) -> FigureField:
        text = indicator.label(self._lang)
        label = QLabel(f"★ {text}" if indicator.core else text, box)
        label.setWordWrap(True)
        if indicator.core:
            font = label.font()
            font.setBold(True)
            label.setFont(font)
            label.setToolTip(self.tr("Core figure every village informant enters"))
        edit = QLineEdit(box)
        edit.setObjectName(f"figure_{indicator.field}")
        edit.setValidator(figure_validator(indicator.decimals))
        edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        edit.setFixedWidth(INPUT_WIDTH)
        edit.textEdited.connect(self.changed)
        label.setBuddy(edit)
        edit.setAccessibleName(f"{text} ({indicator.unit_label(self._lang)})")
        unit = QLabel(indicator.unit_label(self._lang), box)
        unit.setMinimumWidth(self._unit_width)  # same in every section: inputs line up
        issues = IssueBox(self._lang, box)
        issues.set_anchor(edit)
        issues.note_edited.connect(self.note_edited)
        return FigureField(indicator, label, edit, unit, issues)

    def set_figures(self, figures: Mapping[str, Any]) -> None:
        """Fill the inputs from the content's ``figures`` (missing → empty)."""
        for name, field in self.fields.items():
            field.edit.setText(figure_to_text(figures.get(name)))

    def figures(self) -> dict[str, Any]:
        """Return the typed figures in their JSON form; empty inputs are left out."""
        values: dict[str, Any] = {}
        for name, field in self.fields.items():
            value = text_to_figure(name, field.edit.text())
            if value is not None:
                values[name] = value
        return values

    def set_read_only(self, read_only: bool) -> None:
        """Make every input read-only (a submitted version)."""
        for field in self.fields.values():
            field.edit.setReadOnly(read_only)
            field.issues.set_read_only(read_only)

    def focus_chain(self) -> list[QWidget]:
        """Return the inputs in field order (for the tab order)."""
        return [f.edit for f in self.fields.values()]

"""The figure sections of the report form, generated from the contract's indicator table.

Every indicator of ``indicators_by_section()`` gets its label (★ and bold for the core set),
an input that takes every keystroke as typed and refuses, at the field, what the indicator
does not allow (``figure_input.judge``: never a silent rewrite), its unit, and an ``IssueBox``
beneath it that keeps its line, so messages never move the fields below.  A line at the top
explains ★ and offers "Fill blank ★ with 0" (Ctrl+0).  Each section's title has a digit
mnemonic (Alt+1 …) that jumps to its first figure.  Nothing here names a single indicator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from informant_app.ui.common.labels import ERROR_COLOR
from informant_app.ui.common.plain_text import plain, plain_tooltip
from informant_app.ui.reports.figure_input import Judgement, judge, stored_text
from informant_app.ui.reports.issue_view import IssueBox
from sync.contract import (
    INDICATORS,
    SECTION_LABELS,
    Indicator,
    Issue,
    Severity,
    indicators_by_section,
)

#: Rule name of a figure the input refuses (the app's own check, before the shared rules).
REFUSED_RULE = "F1"
#: Rule name of a blank ★ figure at the submit of an initial report.
BLANK_CORE_RULE = "F2"
#: The red frame of a refused input (a fixed width, so the input keeps its size).
_REFUSED_STYLE = f"QLineEdit {{ border: 2px solid {ERROR_COLOR}; border-radius: 3px; }}"

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
        refusals_changed(): the set of refused inputs (or their messages) changed.
        note_edited(str, str): a warning's note was edited (issue key, text).
    """

    changed = Signal()
    refusals_changed = Signal()
    note_edited = Signal(str, str)

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self.fields: dict[str, FigureField] = {}
        self._judged: dict[str, Judgement] = {}
        self._shown: dict[str, str] = {}  # the refusal each input shows now
        metrics = self.fontMetrics()
        self._unit_width = max(metrics.horizontalAdvance(i.unit_label(lang)) for i in INDICATORS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.legend = plain(QLabel(self))
        self.legend.setObjectName("core_legend")
        self.legend.setWordWrap(True)
        self.legend.setText(
            self.tr(
                "★ must be filled in: the core figures and the situation narrative. "
                "Enter 0 for a figure that is none."
            )
        )
        self.fill_button = QPushButton(self.tr("Fill blank ★ with &0"), self)
        self.fill_button.setObjectName("fill_blank_core")
        self.fill_button.setToolTip(self.tr("Enter 0 in every blank ★ figure (Ctrl+0)"))
        self.fill_button.setAutoDefault(False)
        self.fill_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop
        self.fill_button.clicked.connect(self.fill_blank_core)
        top = QHBoxLayout()
        top.addWidget(self.legend, 1)
        top.addWidget(self.fill_button)
        layout.addLayout(top)
        for number, (section, indicators) in enumerate(indicators_by_section(), start=1):
            zh, en = SECTION_LABELS[section]
            title = zh if lang.startswith("zh") else en
            box = QGroupBox(f"{title} (&{number})" if number < 10 else title, self)
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
        edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        edit.setFixedWidth(INPUT_WIDTH)
        edit.setFixedHeight(edit.sizeHint().height())  # the red frame never resizes it
        edit.setMaxLength(40)
        edit.textEdited.connect(lambda _text, name=indicator.field: self._on_edited(name))
        edit.installEventFilter(self)
        label.setBuddy(edit)
        edit.setAccessibleName(f"{text} ({indicator.unit_label(self._lang)})")
        unit = QLabel(indicator.unit_label(self._lang), box)
        unit.setMinimumWidth(self._unit_width)  # same in every section: inputs line up
        issues = IssueBox(self._lang, box, reserve=True)
        issues.set_anchor(edit)
        issues.note_edited.connect(self.note_edited)
        return FigureField(indicator, label, edit, unit, issues)

    # --- judging what was typed ------------------------------------------------------------

    def _on_edited(self, name: str) -> None:
        self._judge(name, finished=False)
        self.changed.emit()

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and isinstance(watched, QLineEdit):
            name = watched.objectName().removeprefix("figure_")
            if name in self.fields:
                self._judge(name, finished=True)
        return super().eventFilter(watched, event)

    def _judge(self, name: str, *, finished: bool) -> None:
        field = self.fields[name]
        verdict = judge(field.indicator, field.edit.text(), self._lang)
        self._judged[name] = verdict
        shown = self._shown.get(name, "")
        if verdict.unfinished and not finished:
            wanted = shown if shown == verdict.message else ""  # "12." while typing: wait
        else:
            wanted = verdict.message
        if wanted == shown:
            return
        if wanted:
            self._shown[name] = wanted
        else:
            self._shown.pop(name, None)
        field.edit.setStyleSheet(_REFUSED_STYLE if wanted else "")
        field.edit.setToolTip(plain_tooltip(wanted))
        self.refusals_changed.emit()

    def show_all_refusals(self) -> None:
        """Show every refusal now, unfinished numbers included (a submit attempt)."""
        for name in self.fields:
            self._judge(name, finished=True)

    def refusals(self) -> dict[str, str]:
        """Return the message of every refused input, by field, in form order.

        An unfinished number ("12.") counts too: it is refused at submit even while its
        message waits for the informant to leave the field.
        """
        return {
            name: verdict.message
            for name in self.fields
            if (verdict := self._judged.get(name)) is not None and verdict.refused
        }

    def refusal_issues(self) -> list[Issue]:
        """Return the shown refusals as blocking issues beside their fields."""
        return [
            Issue(REFUSED_RULE, Severity.ERROR, f"figures.{name}", message, message)
            for name, message in self._shown.items()
        ]

    def blank_core(self) -> list[str]:
        """Return the ★ figures left blank, in form order."""
        return [
            name
            for name, field in self.fields.items()
            if field.indicator.core and not field.edit.text().strip()
        ]

    def fill_blank_core(self) -> int:
        """Enter 0 in every blank ★ figure (only those); return how many were filled."""
        if self.fields and next(iter(self.fields.values())).edit.isReadOnly():
            return 0
        blank = self.blank_core()
        for name in blank:
            self.fields[name].edit.setText("0")
            self._judge(name, finished=True)
        if blank:
            self.changed.emit()
        return len(blank)

    # --- values ------------------------------------------------------------------------------

    def set_figures(self, figures: Mapping[str, Any]) -> None:
        """Fill the inputs from the content's ``figures`` (missing → empty).

        A refused text stored by an earlier autosave comes back as typed, refused again.
        """
        for name, field in self.fields.items():
            field.edit.setText(stored_text(figures.get(name)))
            self._judge(name, finished=True)

    def figures(self) -> dict[str, Any]:
        """Return the figures in their JSON form; empty inputs are left out.

        A refused text is kept as typed (a string): see ``figure_input``.
        """
        values: dict[str, Any] = {}
        for name, field in self.fields.items():
            verdict = self._judged.get(name) or judge(
                field.indicator, field.edit.text(), self._lang
            )
            if verdict.value is not None:
                values[name] = verdict.value
        return values

    def label_of(self, name: str) -> str:
        """Return the label of a figure (without ★)."""
        return self.fields[name].indicator.label(self._lang)

    def set_read_only(self, read_only: bool) -> None:
        """Make every input read-only (a submitted version)."""
        for field in self.fields.values():
            field.edit.setReadOnly(read_only)
            field.issues.set_read_only(read_only)
        self.fill_button.setVisible(not read_only)

    def focus_chain(self) -> list[QWidget]:
        """Return the inputs in field order (for the tab order)."""
        return [f.edit for f in self.fields.values()]

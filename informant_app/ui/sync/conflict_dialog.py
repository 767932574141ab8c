"""Two versions of one report side by side, to choose per differing field which value is right.

Resolving files a new version made of those choices (``resolve_conflict``).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from informant_app.core.sync.types import Conflict, ConflictSide
from informant_app.ui.common.field_rows import ConflictRow, conflict_rows
from informant_app.ui.common.labels import local_time_text

#: Background of a line where the versions differ.
DIFFERS_COLOR = "#fff4ce"

_STYLE = f"""
*[differs="true"] {{ background-color: {DIFFERS_COLOR}; }}
QLabel[role="field"] {{ color: #424242; }}
"""


class ConflictDialog(QDialog):
    """Shows both versions of a report and asks which value wins where they differ.

    Accepted with "Resolve"; ``choices()`` then maps each differing field to the winning
    version's uuid.
    """

    def __init__(self, conflict: Conflict, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_dialog")
        self.setWindowTitle(self.tr("Resolve a conflict"))
        self.setStyleSheet(_STYLE)
        self.conflict = conflict
        self._lang = lang
        self.rows = conflict_rows(conflict, lang)
        self._groups: dict[str, QButtonGroup] = {}
        self.radios: dict[str, tuple[QRadioButton, QRadioButton]] = {}
        self._line_widgets: dict[str, list[QWidget]] = {}

        intro = QLabel(
            self.tr(
                "This report was revised on two devices before either saw the other's change. "
                "Both versions reached the server. Where they differ (highlighted), choose the "
                "right value; resolving files a new version made of your choices."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.only_differences = QCheckBox(self.tr("Show only the differences"), self)
        self.only_differences.setObjectName("only_differences")
        self.only_differences.toggled.connect(self._filter_lines)
        self.summary = QLabel(
            self.tr("{n} field(s) differ.").format(n=sum(row.differs for row in self.rows)), self
        )
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.only_differences)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.StyledPanel)
        scroll.setWidget(self._grid())

        self.keep_mine = QPushButton(self.tr("Keep all of mine"), self)
        self.keep_mine.clicked.connect(lambda: self.choose_all(conflict.ours.version_uuid))
        self.take_theirs = QPushButton(self.tr("Take all of theirs"), self)
        self.take_theirs.clicked.connect(lambda: self.choose_all(conflict.theirs.version_uuid))
        buttons = QDialogButtonBox(self)
        self.resolve_button = buttons.addButton(
            self.tr("Resolve"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.resolve_button.setObjectName("resolve_button")
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.keep_mine, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.take_theirs, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(980, 680)

    # --- building ---------------------------------------------------------------------------

    def _side_title(self, title: str, side: ConflictSide) -> QLabel:
        when = local_time_text(side.submitted_at) if side.submitted_at else "—"
        text = self.tr("<b>{title}</b><br>version {no} · {who} · submitted {when}").format(
            title=html.escape(title),
            no=side.version_no,
            who=html.escape(side.filed_by or "—"),
            when=when,
        )
        label = QLabel(text, self)
        label.setWordWrap(True)
        return label

    def _grid(self) -> QWidget:
        body = QWidget(self)
        grid = QGridLayout(body)
        grid.setHorizontalSpacing(0)
        grid.setVerticalSpacing(0)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setColumnMinimumWidth(0, 220)
        grid.addWidget(QLabel(self.tr("<b>Field</b>"), body), 0, 0)
        grid.addWidget(
            self._side_title(self.tr("Your version (this computer)"), self.conflict.ours), 0, 1
        )
        grid.addWidget(self._side_title(self.tr("The other version"), self.conflict.theirs), 0, 2)
        for line, row in enumerate(self.rows, start=1):
            self._add_line(grid, line, row, body)
        grid.setRowStretch(len(self.rows) + 1, 1)
        return body

    def _add_line(self, grid: QGridLayout, line: int, row: ConflictRow, body: QWidget) -> None:
        name = QLabel(row.label, body)
        name.setProperty("role", "field")
        widgets: list[QWidget] = [name]
        if row.differs:
            ours = QRadioButton(row.ours, body)
            theirs = QRadioButton(row.theirs, body)
            ours.setObjectName(f"ours:{row.key}")
            theirs.setObjectName(f"theirs:{row.key}")
            group = QButtonGroup(self)
            group.addButton(ours)
            group.addButton(theirs)
            ours.setChecked(True)
            self._groups[row.key] = group
            self.radios[row.key] = (ours, theirs)
            widgets += [ours, theirs]
        else:
            widgets += [QLabel(row.ours, body), QLabel(row.theirs, body)]
        for column, widget in enumerate(widgets):
            widget.setProperty("differs", row.differs)
            widget.setContentsMargins(6, 3, 6, 3)
            if isinstance(widget, QLabel):
                widget.setWordWrap(True)
                widget.setTextFormat(Qt.TextFormat.PlainText)
            grid.addWidget(widget, line, column)
        self._line_widgets[row.key] = widgets

    # --- choices ----------------------------------------------------------------------------

    def differing_keys(self) -> list[str]:
        """Return the fields that need a choice, in display order."""
        return list(self.radios)

    def choose(self, key: str, version_uuid: str) -> None:
        """Make ``version_uuid``'s value of ``key`` the winner."""
        ours, theirs = self.radios[key]
        (ours if version_uuid == self.conflict.ours.version_uuid else theirs).setChecked(True)

    def choose_all(self, version_uuid: str) -> None:
        """Take every differing value from ``version_uuid``."""
        for key in self.radios:
            self.choose(key, version_uuid)

    def choices(self) -> dict[str, str]:
        """Return ``field -> winning version_uuid`` for every differing field."""
        ours_uuid = self.conflict.ours.version_uuid
        theirs_uuid = self.conflict.theirs.version_uuid
        return {
            key: ours_uuid if ours.isChecked() else theirs_uuid
            for key, (ours, _theirs) in self.radios.items()
        }

    def shown_keys(self) -> list[str]:
        """Return the keys of the lines shown (all, or only the differences)."""
        return [row.key for row in self.rows if not self._line_widgets[row.key][0].isHidden()]

    def _filter_lines(self, only_differences: bool) -> None:
        for row in self.rows:
            for widget in self._line_widgets[row.key]:
                widget.setVisible(row.differs or not only_differences)

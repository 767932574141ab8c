"""A township adjustment (rule 12): an indicator, a signed change and a required reason."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from informant_app.ui.common.field_rows import indicator_label
from informant_app.ui.common.labels import ERROR_COLOR
from informant_app.ui.common.plain_text import plain
from sync.contract import INDICATOR_BY_FIELD, INDICATORS


def delta_validator(decimals: int) -> QRegularExpressionValidator:
    """Accept empty or a signed number with at most ``decimals`` places."""
    pattern = r"^[-+]?\d{0,12}$" if decimals == 0 else rf"^[-+]?\d{{0,12}}(\.\d{{0,{decimals}}})?$"
    return QRegularExpressionValidator(QRegularExpression(pattern))


class AdjustmentDialog(QDialog):
    """Asks for one adjustment; "OK" stays disabled until the change and the reason are given."""

    def __init__(self, lang: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adjustment_dialog")
        self.setWindowTitle(self.tr("Add a township adjustment"))
        intro = QLabel(
            self.tr(
                "{title}\nThe township total is the sum of the approved village reports. A "
                "difference the villages do not explain is an adjustment with its reason."
            ).format(title=title),
            self,
        )
        intro.setWordWrap(True)
        self.field = QComboBox(self)
        self.field.setObjectName("adjustment_field")
        self.field.setMaxVisibleItems(20)
        for indicator in INDICATORS:
            self.field.addItem(indicator_label(indicator, lang), indicator.field)
        self.delta = QLineEdit(self)
        self.delta.setObjectName("adjustment_delta")
        self.delta.setPlaceholderText(self.tr("e.g. 12 or -3"))
        self.reason = QLineEdit(self)
        self.reason.setObjectName("adjustment_reason")
        self.reason.setMaxLength(500)
        self.reason.setPlaceholderText(self.tr("Why the township figure differs (required)"))
        self.problem = plain(QLabel(self))
        self.problem.setStyleSheet(f"color: {ERROR_COLOR};")
        form = QFormLayout()
        form.addRow(self.tr("&Indicator"), self.field)
        form.addRow(self.tr("&Change (+/−)"), self.delta)
        form.addRow(self.tr("&Reason"), self.reason)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Add adjustment"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.field.currentIndexChanged.connect(self._on_field)
        self.delta.textChanged.connect(self._update)
        self.reason.textChanged.connect(self._update)
        self._on_field()
        self.resize(560, 260)

    def field_name(self) -> str:
        """Return the chosen indicator's name."""
        return str(self.field.currentData())

    def delta_value(self) -> Decimal | None:
        """Return the typed change, ``None`` when empty, unfinished or zero."""
        text = self.delta.text().strip().rstrip(".")
        try:
            value = Decimal(text) if text not in ("", "-", "+") else None
        except InvalidOperation:
            return None
        return value if value else None

    def reason_text(self) -> str:
        """Return the reason (stripped)."""
        return self.reason.text().strip()

    def _on_field(self) -> None:
        indicator = INDICATOR_BY_FIELD[self.field_name()]
        self.delta.setValidator(delta_validator(indicator.decimals))
        self._update()

    def _update(self) -> None:
        problems = []
        if self.delta_value() is None:
            problems.append(self.tr("Type a change other than zero."))
        if not self.reason_text():
            problems.append(self.tr("A reason is required."))
        self.problem.setText(" ".join(problems))
        self.ok_button.setEnabled(not problems)

    @override
    def accept(self) -> None:
        if self.delta_value() is None or not self.reason_text():
            return
        super().accept()

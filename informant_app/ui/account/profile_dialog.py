"""The informant's profile: who they are, their A/B role and the villages they report for."""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from informant_app.core.store.types import PostRole, Profile
from informant_app.ui.account.division_picker import DivisionPicker
from informant_app.ui.common.labels import ERROR_COLOR
from informant_app.ui.common.plain_text import plain
from sync.contract import DivisionLevel, DivisionTable

_PHONE = re.compile(r"^\+?[\d\s-]{7,20}$")


class ProfileDialog(QDialog):
    """Asks for the informant's name, phone, role and villages; validates before accepting."""

    def __init__(
        self,
        divisions: DivisionTable,
        profile: Profile | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("profile_dialog")
        self._divisions = divisions
        self.setWindowTitle(self.tr("Informant profile"))
        intro = QLabel(
            self.tr(
                "Tell us who reports from this computer. Reports are filed for the villages you "
                "choose here."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.name = QLineEdit(self)
        self.name.setObjectName("informant_name")
        self.name.setMaxLength(50)
        self.phone = QLineEdit(self)
        self.phone.setObjectName("phone")
        self.phone.setMaxLength(20)
        self.phone.setPlaceholderText(self.tr("e.g. 13800000000"))
        self.role_a = QRadioButton(self.tr("A (primary: files the reports)"), self)
        self.role_b = QRadioButton(self.tr("B (backup: takes over when A is away)"), self)
        self.role_a.setChecked(True)
        self._roles = QButtonGroup(self)
        self._roles.addButton(self.role_a)
        self._roles.addButton(self.role_b)
        roles = QHBoxLayout()
        roles.addWidget(self.role_a)
        roles.addWidget(self.role_b)
        roles.addStretch(1)
        self.picker = DivisionPicker(divisions, self)
        self.errors = plain(QLabel(self))
        self.errors.setObjectName("profile_errors")
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet(f"color: {ERROR_COLOR};")
        self.errors.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Phone"), self.phone)
        form.addRow(self.tr("Role on the post"), roles)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.picker, 1)
        layout.addWidget(self.errors)
        layout.addWidget(self.buttons)
        self.resize(560, 560)
        if profile is not None:
            self.name.setText(profile.informant_name)
            self.phone.setText(profile.phone)
            (self.role_a if profile.role is PostRole.A else self.role_b).setChecked(True)
            self.picker.set_chosen(profile.village_codes)

    def problems(self) -> list[str]:
        """Return what is missing or wrong, in the user's language."""
        found = []
        if not self.name.text().strip():
            found.append(self.tr("Please enter your name."))
        if not _PHONE.match(self.phone.text().strip()):
            found.append(
                self.tr("Please enter a phone number we can reach you on (at least 7 digits).")
            )
        if not self.picker.chosen():
            found.append(self.tr("Choose at least one village you report for."))
        return found

    def profile(self) -> Profile:
        """Return the profile as entered (call after ``problems`` is empty)."""
        villages = tuple(self.picker.chosen())
        return Profile(
            informant_name=self.name.text().strip(),
            phone=self.phone.text().strip(),
            role=PostRole.A if self.role_a.isChecked() else PostRole.B,
            post_code=self._post_code(villages),
            village_codes=villages,
        )

    def _post_code(self, villages: tuple[str, ...]) -> str:
        """One village is the post itself; several share the smallest division holding them."""
        if len(villages) == 1:
            return villages[0]
        for level in (DivisionLevel.TOWNSHIP, DivisionLevel.COUNTY, DivisionLevel.CITY):
            parents = {
                next((d.code for d in self._divisions.ancestors(v) if d.level is level), None)
                for v in villages
            }
            if len(parents) == 1 and None not in parents:
                return str(parents.pop())
        return villages[0]

    @override
    def accept(self) -> None:
        problems = self.problems()
        if problems:
            self.errors.setText("\n".join(problems))
            self.errors.show()
            return
        super().accept()

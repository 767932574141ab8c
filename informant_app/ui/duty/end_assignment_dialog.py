"""Ending an assignment: which holder of the post leaves it (A or B), and why.

When someone remains on the post, the server records a handover to them.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from informant_app.core.duty.types import PostDuty, PostHolder
from informant_app.ui.common.duty_labels import holder_text
from informant_app.ui.common.labels import ERROR_COLOR
from informant_app.ui.common.plain_text import plain

#: The longest reason accepted.
MAX_REASON = 500


class EndAssignmentDialog(QDialog):
    """Asks which holder leaves ``post`` and why; ``accepted`` only with a reason."""

    def __init__(self, post: PostDuty, parent: QWidget | None = None) -> None:
        """Build the dialog for the holders of ``post`` (at least one)."""
        super().__init__(parent)
        self.setObjectName("end_assignment_dialog")
        self.post = post
        place = post.post_name or post.post_code
        self.setWindowTitle(self.tr("End an assignment at {post}").format(post=place))
        heading = QLabel(self.tr("Who leaves the post {post}?").format(post=place), self)
        heading.setStyleSheet("font-weight: bold;")
        self.group = QButtonGroup(self)
        self.choices: list[tuple[QRadioButton, PostHolder]] = []
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        for holder in sorted(post.holders, key=lambda h: h.post_role):
            button = QRadioButton(
                self.tr("{role}: {holder}").format(
                    role=holder.post_role, holder=holder_text(holder)
                ),
                self,
            )
            self.group.addButton(button)
            self.choices.append((button, holder))
            layout.addWidget(button)
        if self.choices:
            self.choices[0][0].setChecked(True)
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("end_reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(80)
        self.reason.setPlaceholderText(
            self.tr("Why the assignment ends (kept in the post's history)")
        )
        reason_label = QLabel(self.tr("&Reason (required)"), self)
        reason_label.setBuddy(self.reason)
        self.note = plain(QLabel(self))
        self.note.setWordWrap(True)
        self.problem = QLabel(self.tr("A reason is required."), self)
        self.problem.setStyleSheet(f"color: {ERROR_COLOR};")
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(
            self.tr("&End assignment"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setObjectName("confirm_end")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.note)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._update)
        self.group.buttonToggled.connect(self._update)
        self.resize(480, 300)
        self._update()

    def holder(self) -> PostHolder | None:
        """Return the holder chosen."""
        return next((h for b, h in self.choices if b.isChecked()), None)

    def reason_text(self) -> str:
        """Return the reason as typed (stripped)."""
        return self.reason.toPlainText().strip()[:MAX_REASON]

    def _update(self) -> None:
        holder = self.holder()
        remaining = [h for _b, h in self.choices if h is not holder]
        if holder is not None and remaining:
            self.note.setText(
                self.tr("{name} takes over alone; a handover is recorded.").format(
                    name=remaining[0].display_name
                )
            )
        elif holder is not None:
            self.note.setText(self.tr("Nobody will hold the post afterwards."))
        blank = not self.reason_text()
        self.problem.setVisible(blank)
        self.ok_button.setEnabled(not blank and holder is not None)

    @override
    def accept(self) -> None:
        """Close with the choice, unless the reason is blank."""
        if not self.reason_text() or self.holder() is None:
            self._update()
            return
        super().accept()

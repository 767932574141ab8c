"""Marking a post's A off duty: why (leave, away, unreachable), from when to when, a reason.

B is on duty meanwhile.  "From" starts at now and "to" a day later; "to" must come after
"from", within 90 days (the server's limit), and a reason is required: the button stays
disabled, with the problem in red, until all three hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from informant_app.core.duty.types import AbsenceKind
from informant_app.ui.common.china_time import (
    china_datetime_edit,
    qdatetime_from_utc,
    utc_from_qdatetime,
)
from informant_app.ui.common.duty_labels import absence_kind_label
from informant_app.ui.common.labels import ERROR_COLOR
from informant_app.ui.common.plain_text import plain

#: The longest absence the server accepts.
MAX_ABSENCE = timedelta(days=90)
#: The longest reason accepted.
MAX_REASON = 500


@dataclass(frozen=True)
class AbsentPost:
    """A post whose A may be marked off duty: its code, its name and its A's name."""

    post_code: str
    post_name: str
    a_name: str


def _qdatetime(moment: datetime) -> QDateTime:
    return qdatetime_from_utc(moment)


def _utc(value: QDateTime) -> datetime:
    return utc_from_qdatetime(value)


class AbsenceDialog(QDialog):
    """Asks for A's absence; ``accepted`` only with a reason and "to" after "from"."""

    def __init__(
        self,
        posts: Sequence[AbsentPost],
        now: datetime | None = None,
        own: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """Build the dialog.

        Args:
            posts: the posts to choose from (one: no choice shown).
            now: the moment "from" starts at (default: now).
            own: the A marks themselves off duty (the texts say "you").
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("absence_dialog")
        self._own = own
        self.setWindowTitle(self.tr("Mark me off duty") if own else self.tr("Mark A off duty"))
        self._posts = list(posts)
        start = (now or datetime.now(UTC)).replace(second=0, microsecond=0)

        self.intro = plain(QLabel(self))
        self.intro.setWordWrap(True)
        self.intro.setStyleSheet("font-weight: bold;")
        self.post = QComboBox(self)
        self.post.setObjectName("absence_post")
        for post in self._posts:
            text = (
                post.post_name
                if own
                else self.tr("{post} (A: {name})").format(post=post.post_name, name=post.a_name)
            )
            self.post.addItem(text, post.post_code)
        self.kind = QComboBox(self)
        self.kind.setObjectName("absence_kind")
        for kind in AbsenceKind:
            self.kind.addItem(absence_kind_label(kind), kind.value)
        self.starts = self._datetime_edit(start)
        self.starts.setObjectName("absence_from")
        self.ends = self._datetime_edit(start + timedelta(days=1))
        self.ends.setObjectName("absence_to")
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("absence_reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(
            self.tr("Why A cannot be on duty; B and the township read this.")
        )
        self.reason.setMaximumHeight(90)
        self.problem = plain(QLabel(self))
        self.problem.setObjectName("absence_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {ERROR_COLOR};")

        form = QFormLayout()
        post_label = QLabel(self.tr("&Post"), self)
        post_label.setBuddy(self.post)
        form.addRow(post_label, self.post)
        post_label.setVisible(len(self._posts) > 1)
        self.post.setVisible(len(self._posts) > 1)
        for text, widget in (
            (self.tr("&Why"), self.kind),
            (self.tr("&From"), self.starts),
            (self.tr("&To"), self.ends),
            (self.tr("&Reason (required)"), self.reason),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)

        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(
            self.tr("&Mark off duty"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setObjectName("confirm_absence")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        self.post.currentIndexChanged.connect(self._show_intro)
        self.starts.dateTimeChanged.connect(self._update)
        self.ends.dateTimeChanged.connect(self._update)
        self.reason.textChanged.connect(self._update)
        self.resize(520, 360)
        self._show_intro()
        self.kind.setFocus()

    def _datetime_edit(self, moment: datetime) -> QDateTimeEdit:
        return china_datetime_edit(self, moment)

    def _show_intro(self) -> None:
        post = self.chosen_post()
        if post is not None and self._own:
            self.intro.setText(
                self.tr(
                    "You are off duty at {post} for this time; your B is on duty meanwhile."
                ).format(post=post.post_name)
            )
        elif post is not None:
            self.intro.setText(
                self.tr(
                    "{name}, A of {post}, is off duty for this time; B is on duty meanwhile."
                ).format(name=post.a_name, post=post.post_name)
            )
        self._update()

    # --- the answers -----------------------------------------------------------------------

    def chosen_post(self) -> AbsentPost | None:
        """Return the post chosen."""
        index = self.post.currentIndex()
        return self._posts[index] if 0 <= index < len(self._posts) else None

    def post_code(self) -> str:
        """Return the chosen post's code."""
        post = self.chosen_post()
        return post.post_code if post is not None else ""

    def absence_kind(self) -> AbsenceKind:
        """Return why A is off duty."""
        return AbsenceKind(self.kind.currentData())

    def starts_at(self) -> datetime:
        """Return "from" in UTC."""
        return _utc(self.starts.dateTime())

    def ends_at(self) -> datetime:
        """Return "to" in UTC."""
        return _utc(self.ends.dateTime())

    def reason_text(self) -> str:
        """Return the reason as typed (stripped)."""
        return self.reason.toPlainText().strip()[:MAX_REASON]

    def problem_text(self) -> str:
        """Return what keeps the dialog from being accepted ("" when nothing)."""
        if self.ends_at() <= self.starts_at():
            return self.tr("“To” must be after “from”.")
        if self.ends_at() - self.starts_at() > MAX_ABSENCE:
            return self.tr("An absence lasts at most 90 days.")
        if not self.reason_text():
            return self.tr("A reason is required.")
        return ""

    def _update(self) -> None:
        problem = self.problem_text()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.ok_button.setEnabled(not problem and self.chosen_post() is not None)

    @override
    def accept(self) -> None:
        """Close with the absence, unless something is missing or wrong."""
        self._update()
        if self.problem_text() or self.chosen_post() is None:
            return
        super().accept()

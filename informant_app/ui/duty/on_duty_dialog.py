"""Duty → Who is on duty: each of my posts, its A and B, who is on duty now, why, since when."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from informant_app.core.duty.types import OnDutyNow, PostDuty
from informant_app.ui.common.duty_labels import (
    NONE_TEXT,
    absence_why,
    china_time_text,
    holder_text,
)
from informant_app.ui.common.labels import local_time_text


class OnDutyDialog(QDialog):
    """Shows who is on duty at each of the informant's posts (from the local store)."""

    def __init__(self, entries: Sequence[OnDutyNow], parent: QWidget | None = None) -> None:
        """Build the dialog for ``entries`` (one box per post)."""
        super().__init__(parent)
        self.setObjectName("on_duty_dialog")
        self.setWindowTitle(self.tr("Who is on duty"))
        self.entries = list(entries)
        self.texts: list[str] = []  # the "on duty now" lines, for tests and screen readers
        layout = QVBoxLayout(self)
        if not self.entries:
            none = QLabel(self.tr("You hold no post: nobody's duty to show."), self)
            none.setObjectName("on_duty_none")
            layout.addWidget(none)
        for entry in self.entries:
            layout.addWidget(self._post_box(entry))
        note = QLabel(
            self.tr("As last synced with the server; times are China time."),
            self,
        )
        note.setStyleSheet("color: #616161;")
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _post_box(self, entry: OnDutyNow) -> QGroupBox:
        post = entry.post
        box = QGroupBox(post.post_name or post.post_code, self)
        form = QFormLayout(box)

        def row(label: str, text: str, name: str) -> QLabel:
            value = QLabel(text, box)
            value.setObjectName(name)
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, value)
            return value

        row(self.tr("A:"), holder_text(post.holder("A")), "on_duty_a")
        row(self.tr("B:"), holder_text(post.holder("B")), "on_duty_b")
        now = self.on_duty_text(post)
        self.texts.append(now)
        shown = row(self.tr("On duty now:"), now, "on_duty_now")
        if post.on_duty_username is None or post.on_duty_role == "B":
            shown.setStyleSheet("font-weight: bold;")
        row(
            self.tr("Since:"),
            china_time_text(entry.since) if entry.since is not None else NONE_TEXT,
            "on_duty_since",
        )
        return box

    def on_duty_text(self, post: PostDuty) -> str:
        """Return who is on duty and why: "李四 (B), acting for A 张三: on leave until …"."""
        name = post.on_duty_name or post.on_duty_username
        absence = post.absence
        if name is None:
            if absence is not None:
                return self.tr("Nobody: A ({a}) is {why} until {time} and there is no B.").format(
                    a=absence.display_name,
                    why=absence_why(absence),
                    time=local_time_text(absence.effective_end),
                )
            return self.tr("Nobody: the post has no holder.")
        if post.on_duty_role == "B":
            if absence is not None:
                return self.tr("{name} (B), acting for A ({a}): A is {why} until {time}.").format(
                    name=name,
                    a=post.acting_for_name or absence.display_name,
                    why=absence_why(absence),
                    time=local_time_text(absence.effective_end),
                )
            return self.tr("{name} (B): the post has no A.").format(name=name)
        return self.tr("{name} (A): A is on duty.").format(name=name)

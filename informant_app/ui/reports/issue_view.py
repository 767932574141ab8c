"""The messages of the rules beside one field, with a note input under each warning.

A township reviewer's comment on the field (a returned report) is shown in the same place.

A field's box keeps a fixed-height line for its message whether or not there is one
(``IssueBox(reserve=True)``): a message appearing or going away never moves the fields below,
so a click aimed at the next field lands there.  The line holds one message of up to two
lines (the whole text is also its tooltip); only a second issue on the same field, or a
reviewer's comment (shown when a returned report opens), makes the box taller.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from informant_app.core.review.service import ReviewStatus
from informant_app.ui.common.labels import ERROR_COLOR, WARNING_COLOR
from informant_app.ui.common.plain_text import plain, plain_tooltip
from informant_app.ui.common.review_labels import REVIEW_COLORS
from sync.contract import LIMITS, Issue, Severity


def row_height(widget: QWidget) -> int:
    """Return the height of one issue line: a note input, or two lines of message text."""
    probe = QLineEdit()  # no parent: never a focus candidate of the form, gone at once
    probe.setFont(widget.font())
    return max(probe.sizeHint().height(), 2 * widget.fontMetrics().lineSpacing() + 2)


class _IssueRow(QWidget):
    """One issue: its message and, for a warning, the one-line note that acknowledges it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.message = plain(QLabel(self))
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(self.tr("Note explaining this (needed to submit)"))
        self.note.setMaxLength(LIMITS.note_chars)  # the contract's limit of one note
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message, 3)
        layout.addWidget(self.note, 2)
        self.setFixedHeight(row_height(self))

    def show_issue(self, issue: Issue, lang: str, note: str, read_only: bool) -> None:
        self._show(issue, lang, note, read_only)
        self.message.setToolTip(plain_tooltip(self.message.text()))

    def _show(self, issue: Issue, lang: str, note: str, read_only: bool) -> None:
        is_error = issue.severity is Severity.ERROR
        color = ERROR_COLOR if is_error else WARNING_COLOR
        mark = "✖" if is_error else "⚠"
        self.message.setText(f"{mark} {issue.message(lang)}")
        self.message.setStyleSheet(f"color: {color};")
        self.note.setVisible(not is_error)
        self.note.setReadOnly(read_only)
        if self.note.text() != note and not self.note.hasFocus():
            self.note.setText(note)


class IssueBox(QWidget):
    """Shows the current issues of one field; an empty line while there are none (``reserve``).

    Rows are kept per issue key, so a note being typed keeps its focus when the issues are
    refreshed.

    Signals:
        note_edited(str, str): the informant edited the note of the warning with this key.
    """

    note_edited = Signal(str, str)

    def __init__(self, lang: str, parent: QWidget | None = None, *, reserve: bool = False) -> None:
        """Make the box; ``reserve`` keeps its message line even while empty (see above)."""
        super().__init__(parent)
        self._lang = lang
        self._reserve = reserve
        self._rows: dict[str, _IssueRow] = {}
        self._issues: list[Issue] = []
        self._read_only = False
        self._anchor: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 2)
        self._layout.setSpacing(2)
        self.comment = plain(QLabel(self))
        self.comment.setObjectName("review_comment")
        self.comment.setWordWrap(True)
        self.comment.setStyleSheet(
            f"color: {REVIEW_COLORS[ReviewStatus.RETURNED]}; font-weight: bold;"
        )
        self.comment.hide()
        self._layout.addWidget(self.comment)
        self._spacer = QWidget(self)  # the empty line kept while there is no issue
        self._spacer.setFixedHeight(row_height(self))
        self._layout.addWidget(self._spacer)
        self._spacer.setVisible(reserve)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setVisible(reserve)

    @property
    def issues(self) -> list[Issue]:
        """The issues shown."""
        return list(self._issues)

    def messages(self) -> list[str]:
        """The texts shown, one per issue."""
        return [self._rows[i.key].message.text() for i in self._issues]

    def review_comment(self) -> str:
        """The township reviewer's comment shown on this field ("" when none)."""
        return self.comment.property("comment") or ""

    def set_review_comment(self, text: str) -> None:
        """Show the reviewer's comment on this field above its issues ("" hides it)."""
        self.comment.setProperty("comment", text)
        self.comment.setText(self.tr("Township: {comment}").format(comment=text) if text else "")
        self.comment.setVisible(bool(text))
        self._update_visibility()

    def note_edit(self, key: str) -> QLineEdit | None:
        """Return the note input of the warning ``key``."""
        row = self._rows.get(key)
        return row.note if row is not None else None

    def set_anchor(self, widget: QWidget) -> None:
        """Put note inputs right after ``widget`` (the field's input) in the tab order."""
        self._anchor = widget

    def set_read_only(self, read_only: bool) -> None:
        """Forbid editing notes (a submitted version)."""
        self._read_only = read_only
        for row in self._rows.values():
            row.note.setReadOnly(read_only)

    def set_issues(self, issues: Sequence[Issue], notes: Mapping[str, str]) -> None:
        """Show ``issues`` (errors first) with the notes already written for warnings."""
        self._issues = list(issues)
        wanted = {i.key for i in issues}
        for key in [k for k in self._rows if k not in wanted]:
            gone = self._rows.pop(key)
            gone.hide()
            gone.deleteLater()
        # the empty line goes before a row shows: showing a child lays its parents out at once,
        # and a moment with both would move the fields below under the pointer
        self._update_visibility()
        for position, issue in enumerate(self._issues):
            found = self._rows.get(issue.key)
            if found is None:
                row = _IssueRow(self)
                row.note.textEdited.connect(
                    lambda text, key=issue.key: self.note_edited.emit(key, text)
                )
                self._rows[issue.key] = row
                self._place_in_tab_order(row)
            else:
                row = found
                self._layout.removeWidget(row)
            self._layout.insertWidget(position + 1, row)  # after the reviewer's comment
            row.show()  # at once: a layout shows a new child only on a later event-loop turn
            row.show_issue(issue, self._lang, notes.get(issue.key, ""), self._read_only)

    def _update_visibility(self) -> None:
        self._spacer.setVisible(self._reserve and not self._issues)
        self.setVisible(self._reserve or bool(self._issues) or bool(self.review_comment()))

    def _place_in_tab_order(self, row: _IssueRow) -> None:
        previous = self._anchor
        for other in self._rows.values():
            if other is row:
                break
            previous = other.note
        if previous is not None:
            QWidget.setTabOrder(previous, row.note)

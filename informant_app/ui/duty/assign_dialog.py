"""Assigning a post's A or B: pick an account from the server's candidates, give a reason.

The candidates arrive after the dialog opened (they come from the server on the ``network``
lane).  When someone holds the role already, "replace the current holder" must be ticked,
and accepting asks once more, naming who is replaced: their assignment ends at that instant
and a handover is recorded.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from informant_app.core.divisions import display_name
from informant_app.core.duty.types import Candidate, PostDuty
from informant_app.ui.common.duty_labels import holder_text
from informant_app.ui.common.labels import ERROR_COLOR
from informant_app.ui.common.plain_text import plain, plain_tooltip

#: The longest reason accepted.
MAX_REASON = 500


def _division_name(code: str) -> str:
    return display_name(code)


class AssignDialog(QDialog):
    """Asks whom to assign as ``post_role`` of ``post``, and why.

    ``accepted`` is emitted only with a candidate, a reason and, when the role is held, the
    replacement ticked and confirmed; read the answer with ``username``, ``reason_text`` and
    ``replace``.
    """

    COLUMNS = 5

    def __init__(self, post: PostDuty, post_role: str, parent: QWidget | None = None) -> None:
        """Build the dialog (its candidates come later, by ``set_candidates``).

        Args:
            post: the post.
            post_role: "A" or "B".
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("assign_dialog")
        self.post = post
        self.post_role = post_role
        self.current = post.holder(post_role)
        self.other = post.holder("B" if post_role == "A" else "A")
        self.candidates: list[Candidate] = []
        self.confirm_box: QMessageBox | None = None
        place = post.post_name or post.post_code
        self.setWindowTitle(self.tr("Assign {role} of {post}").format(role=post_role, post=place))
        heading = QLabel(
            self.tr("Assign {role} of {post}").format(role=post_role, post=place), self
        )
        heading.setStyleSheet("font-weight: bold;")
        if self.current is not None:
            now_text = self.tr("Now {role}: {holder}").format(
                role=post_role, holder=holder_text(self.current)
            )
        else:
            now_text = self.tr("Nobody is {role} of this post now.").format(role=post_role)
        self.now_label = plain(QLabel(now_text, self))
        self.now_label.setObjectName("assign_current")

        self.filter = QLineEdit(self)
        self.filter.setObjectName("candidate_filter")
        self.filter.setPlaceholderText(self.tr("Filter by name, user name or place"))
        self.filter.setClearButtonEnabled(True)
        self.status = plain(QLabel(self.tr("Asking the server who can be assigned…"), self))
        self.status.setObjectName("candidate_status")
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setObjectName("candidate_table")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Name"),
                self.tr("User name"),
                self.tr("Place"),
                self.tr("Phone"),
                self.tr("Posts held"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((110, 130, 130, 120)):
            self.table.setColumnWidth(column, width)
        candidates_label = QLabel(self.tr("&Whom"), self)
        candidates_label.setBuddy(self.table)

        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("assign_reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(80)
        self.reason.setPlaceholderText(
            self.tr("Why this person takes the post (kept in the post's history)")
        )
        reason_label = QLabel(self.tr("&Reason (required)"), self)
        reason_label.setBuddy(self.reason)
        self.replace_box = QCheckBox(self)
        self.replace_box.setObjectName("assign_replace")
        if self.current is not None:
            self.replace_box.setText(
                self.tr("Re&place the current holder, {name}").format(
                    name=self.current.display_name
                )
            )
        self.replace_box.setVisible(self.current is not None)
        self.problem = plain(QLabel(self))
        self.problem.setObjectName("assign_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {ERROR_COLOR};")

        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(
            self.tr("&Assign"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setObjectName("confirm_assign")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.now_label)
        layout.addWidget(candidates_label)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.replace_box)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        self.filter.textChanged.connect(self._apply_filter)
        self.table.itemSelectionChanged.connect(self._update)
        self.table.itemDoubleClicked.connect(lambda _item: self.reason.setFocus())
        self.reason.textChanged.connect(self._update)
        self.replace_box.toggled.connect(self._update)
        self.resize(720, 560)
        self._update()

    # --- candidates ------------------------------------------------------------------------

    def set_candidates(self, candidates: Sequence[Candidate]) -> None:
        """Show the accounts that may be assigned."""
        self.candidates = list(candidates)
        self.table.setRowCount(len(self.candidates))
        for row, candidate in enumerate(self.candidates):
            posts = ", ".join(f"{_division_name(code)} {role}" for code, role in candidate.posts)
            cells = [
                candidate.display_name or candidate.username,
                candidate.username,
                _division_name(candidate.jurisdiction_code),
                candidate.phone or "",
                posts,
            ]
            blocked = self.blocked_reason(candidate)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, candidate.username)
                if blocked:
                    item.setFlags(
                        item.flags() & ~Qt.ItemFlag.ItemIsSelectable & ~Qt.ItemFlag.ItemIsEnabled
                    )
                    item.setToolTip(plain_tooltip(blocked))
                self.table.setItem(row, column, item)
        if self.candidates:
            self.status.setText(
                self.tr("{n} account(s) can be assigned.").format(n=len(self.candidates))
            )
        else:
            self.status.setText(self.tr("The server knows no account that can take this post."))
        self.status.setStyleSheet("")
        self._apply_filter()

    def set_failed(self, message: str) -> None:
        """Say why the candidates could not be fetched."""
        self.status.setText(message)
        self.status.setStyleSheet(f"color: {ERROR_COLOR};")
        self._update()

    def blocked_reason(self, candidate: Candidate) -> str:
        """Return why ``candidate`` cannot be picked ("" when they can)."""
        if self.current is not None and candidate.username == self.current.username:
            return self.tr("Already {role} of this post.").format(role=self.post_role)
        if self.other is not None and candidate.username == self.other.username:
            return self.tr("{role} of this post: one person cannot be both A and B.").format(
                role=self.other.post_role
            )
        return ""

    def select(self, username: str) -> bool:
        """Select the candidate ``username``; return whether they can be picked."""
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == username:
                if not item.flags() & Qt.ItemFlag.ItemIsSelectable:
                    return False
                self.table.selectRow(row)
                return True
        return False

    def _apply_filter(self) -> None:
        words = self.filter.text().strip().lower()
        for row in range(self.table.rowCount()):
            texts = [
                (self.table.item(row, c) or QTableWidgetItem()).text().lower()
                for c in range(self.COLUMNS)
            ]
            self.table.setRowHidden(row, bool(words) and not any(words in t for t in texts))
        self._update()

    # --- the answers -----------------------------------------------------------------------

    def username(self) -> str | None:
        """Return the user name of the chosen candidate."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def chosen(self) -> Candidate | None:
        """Return the chosen candidate."""
        username = self.username()
        return next((c for c in self.candidates if c.username == username), None)

    def reason_text(self) -> str:
        """Return the reason as typed (stripped)."""
        return self.reason.toPlainText().strip()[:MAX_REASON]

    def replace(self) -> bool:
        """Whether the current holder is replaced."""
        return self.current is not None and self.replace_box.isChecked()

    def problem_text(self) -> str:
        """Return what keeps the dialog from being accepted ("" when nothing)."""
        if self.chosen() is None:
            return self.tr("Choose whom to assign.")
        if not self.reason_text():
            return self.tr("A reason is required.")
        if self.current is not None and not self.replace_box.isChecked():
            return self.tr("{name} is {role} now: tick “replace” to hand the role over.").format(
                name=self.current.display_name, role=self.post_role
            )
        return ""

    def _update(self) -> None:
        problem = self.problem_text()
        self.problem.setText(problem)
        self.ok_button.setEnabled(not problem)

    @override
    def accept(self) -> None:
        """Close with the assignment; a replacement is confirmed first."""
        self._update()
        if self.problem_text():
            return
        if not self.replace():
            super().accept()
            return
        self._confirm_replacement()

    def _confirm_replacement(self) -> None:
        chosen, current = self.chosen(), self.current
        assert chosen is not None and current is not None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Replace the holder"),
            self.tr(
                "Replace {old} as {role} of {post} with {new}? {old}'s assignment ends now and a "
                "handover to {new} is recorded."
            ).format(
                old=current.display_name,
                role=self.post_role,
                post=self.post.post_name or self.post.post_code,
                new=chosen.display_name or chosen.username,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("replace_box")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        yes = box.button(QMessageBox.StandardButton.Yes)
        yes.setText(self.tr("Replace {name}").format(name=current.display_name))
        yes.clicked.connect(lambda: QDialog.accept(self))
        box.finished.connect(box.deleteLater)
        self.confirm_box = box
        box.open()

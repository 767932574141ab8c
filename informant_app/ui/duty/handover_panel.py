"""Handovers of the posts in reach: who handed to whom, when, why, what was open, sign-off.

The list is read from the local store (it comes down with each sync round); signing off
needs the server and runs on the ``network`` lane.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from informant_app.core.duty import online as duty_online
from informant_app.core.duty import service as duty
from informant_app.core.duty.types import HandoverInfo
from informant_app.ui.common.duty_labels import (
    handover_kind_label,
    handover_people_text,
    open_items_detail,
    open_items_text,
    reason_text,
    signed_off_text,
)
from informant_app.ui.common.errors import ErrorPresenter
from informant_app.ui.common.labels import WARNING_COLOR, local_time_text
from informant_app.ui.common.plain_text import plain_tooltip
from informant_app.ui.duty.columns import ColumnSpreader
from informant_app.ui.tasks.manager import Changes, TaskKey, TaskManager

#: The longest sign-off note accepted.
MAX_NOTE = 500
#: Each column's share of the room left over (post, who → whom, when, why, open items,
#: sign-off): the texts that run long get most.
HANDOVER_WEIGHTS = (1, 1, 1, 3, 2, 2)


class SignOffDialog(QDialog):
    """Shows a handover and asks for an optional note before signing it off."""

    def __init__(self, handover: HandoverInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sign_off_dialog")
        self.setWindowTitle(self.tr("Sign the handover off"))
        self.handover = handover
        summary = QLabel(
            self.tr("{post}: {people}, {when}.\n{what}: {why}\nOpen then: {items}").format(
                post=handover.post_name or handover.post_code,
                people=handover_people_text(handover.from_name, handover.to_name),
                when=local_time_text(handover.created_at),
                what=handover_kind_label(handover.kind),
                why=handover.reason or "—",
                items=open_items_text(handover.open_items),
            ),
            self,
        )
        summary.setWordWrap(True)
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("sign_off_note")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(80)
        self.note.setPlaceholderText(self.tr("What you checked, what is still to do"))
        note_label = QLabel(self.tr("&Note (optional)"), self)
        note_label.setBuddy(self.note)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(
            self.tr("&Sign off"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setObjectName("confirm_sign_off")
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(note_label)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(480, 260)
        self.note.setFocus()

    def note_text(self) -> str:
        """Return the note (stripped; may be empty)."""
        return self.note.toPlainText().strip()[:MAX_NOTE]


class HandoverPanel(QWidget):
    """The handovers, those awaiting sign-off first, with "Sign off…".

    Signals:
        loaded(): a list arrived.
        signed_off(str): a handover was signed off; carries its uuid.
        message(str): a sentence for the status bar.
    """

    loaded = Signal()
    signed_off = Signal(str)
    message = Signal(str)
    COLUMNS = 6

    def __init__(
        self,
        worker: TaskManager,
        errors: ErrorPresenter,
        parent: QWidget | None = None,
    ) -> None:
        """Build the panel (call ``refresh`` to load it).

        Args:
            worker: the task manager (the list on its ``db`` lane, signing off on
                ``network``).
            errors: shows failures.
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("handover_panel")
        self._worker = worker
        self._errors = errors
        self._key = TaskKey("handovers")
        self.handovers: list[HandoverInfo] = []
        self.sign_off_dialog: SignOffDialog | None = None
        title = QLabel(self.tr("<b>Handovers</b>"), self)
        self.pending_only = QCheckBox(self.tr("Only those awaiting sign-off"), self)
        self.pending_only.setObjectName("handovers_pending_only")
        self.sign_off_button = QPushButton(self.tr("Si&gn off…"), self)
        self.sign_off_button.setObjectName("sign_off")
        self.sign_off_button.setAutoDefault(False)
        self.sign_off_button.setToolTip(
            self.tr("Confirm the handover was complete (the township's sign-off)")
        )
        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setObjectName("handover_table")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Post"),
                self.tr("Who → whom"),
                self.tr("When"),
                self.tr("Why"),
                self.tr("Open items"),
                self.tr("Sign-off"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.columns = ColumnSpreader(self.table, HANDOVER_WEIGHTS)
        line = QHBoxLayout()
        line.addWidget(title)
        line.addWidget(self.pending_only)
        line.addStretch(1)
        line.addWidget(self.sign_off_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(line)
        layout.addWidget(self.table, 1)
        self.pending_only.toggled.connect(self.refresh)
        self.sign_off_button.clicked.connect(self.ask_sign_off)
        self.table.itemSelectionChanged.connect(self._update)
        self.table.itemActivated.connect(lambda _item: self.ask_sign_off())
        self._update()

    # --- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the handovers from the local store (on the ``db`` lane)."""
        pending = self.pending_only.isChecked()
        self._worker.run(
            lambda store: duty.handovers(store, pending_only=pending),
            on_done=self.show_handovers,
            on_error=self._errors.show_error,
            owner=self,
            key=self._key,
        )

    def show_handovers(self, handovers: Sequence[HandoverInfo]) -> None:
        """Show ``handovers``: awaiting sign-off first, then the newest first."""
        kept = self.selected()
        ordered = sorted(handovers, key=lambda h: h.created_at, reverse=True)
        self.handovers = sorted(ordered, key=lambda h: h.signed_off)
        self.table.setRowCount(len(self.handovers))
        bold = QFont()
        bold.setBold(True)
        for row, handover in enumerate(self.handovers):
            why = handover_kind_label(handover.kind)
            if handover.reason:
                why = reason_text(why, handover.reason)
            cells = [
                handover.post_name or handover.post_code,
                handover_people_text(handover.from_name, handover.to_name),
                local_time_text(handover.created_at),
                why,
                open_items_text(handover.open_items),
                signed_off_text(
                    handover.signed_off_name, handover.signed_off_at, handover.sign_off_note
                ),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(plain_tooltip(text))
                if column == 4:
                    detail = open_items_detail(handover.open_items)
                    item.setToolTip(plain_tooltip(f"{text}\n{detail}" if detail else text))
                if column == 5 and not handover.signed_off:
                    item.setForeground(QColor(WARNING_COLOR))
                    item.setFont(bold)
                self.table.setItem(row, column, item)
        self.columns.fit()
        if kept is not None:
            self.select(kept.handover_uuid)
        self._update()
        self.loaded.emit()

    def selected(self) -> HandoverInfo | None:
        """Return the handover of the selected line."""
        rows = self.table.selectionModel().selectedRows()
        return self.handovers[rows[0].row()] if rows else None

    def select(self, handover_uuid: str) -> bool:
        """Select the line of ``handover_uuid``; return whether it is shown."""
        for row, handover in enumerate(self.handovers):
            if handover.handover_uuid == handover_uuid:
                self.table.selectRow(row)
                return True
        return False

    def texts(self, column: int) -> list[str]:
        """Return the texts of one column, top to bottom (for tests)."""
        items = (self.table.item(row, column) for row in range(self.table.rowCount()))
        return [item.text() if item is not None else "" for item in items]

    def _update(self) -> None:
        handover = self.selected()
        self.sign_off_button.setEnabled(handover is not None and not handover.signed_off)

    # --- signing off -----------------------------------------------------------------------

    def ask_sign_off(self) -> None:
        """Open the sign-off dialog for the selected handover."""
        handover = self.selected()
        if handover is None or handover.signed_off:
            return
        dialog = SignOffDialog(handover, self)
        dialog.accepted.connect(lambda: self.sign_off(handover, dialog.note_text()))
        dialog.finished.connect(dialog.deleteLater)
        self.sign_off_dialog = dialog
        dialog.open()

    def sign_off(self, handover: HandoverInfo, note: str) -> None:
        """Sign ``handover`` off on the server (``network`` lane), then reload."""
        uuid = handover.handover_uuid
        self.sign_off_button.setEnabled(False)
        self._worker.fetch_then_save(
            lambda store: duty_online.fetch_sign_off(store, uuid, note),
            duty_online.save_sign_off,
            on_done=lambda _r: self._signed(uuid),
            on_error=self._failed,
            owner=self,
            changes=Changes(duty=True),
        )

    def _signed(self, handover_uuid: str) -> None:
        self.message.emit(self.tr("The handover was signed off."))
        self.signed_off.emit(handover_uuid)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self._update()
        self._errors.show_error(exc)

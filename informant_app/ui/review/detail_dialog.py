"""The reviewer's detail view of one version: every field beside the previous report.

Changed fields are highlighted; the rule warnings are listed with the informant's notes.  The
dialog only asks; the ``ReviewWorkspace`` records decisions on the worker.

From the report's history (``ReviewDetail.history``; ``set_history`` with a fresher one) it
marks how this version came: from a device set up with a set-up code, and by whom (a warning
when a manager other than the filer issued it: a takeover shows), and a filing time the
server corrected (the device's claim in the tooltip).  Decisions on this version sent from a
set-up-code device are named the same way.  A password sign-in adds nothing.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from informant_app.core.review.history import VERSION_EVENTS
from informant_app.core.review.service import (
    Decision,
    DecisionKind,
    HistoryEntry,
    ReviewDetail,
    ReviewStatus,
)
from informant_app.ui.common.labels import (
    ERROR_COLOR,
    WARNING_COLOR,
    disaster_label,
    local_time_text,
    stage_label,
    village_name,
)
from informant_app.ui.common.plain_text import plain
from informant_app.ui.common.review_labels import (
    CHANGED_BACKGROUND,
    OVERDUE_COLOR,
    QUEUED_COLOR,
    REVIEW_COLORS,
    corrected_time_tooltip,
    decision_label,
    history_event_label,
    person_label,
    queue_time_words,
    signin_text,
    sync_state_label,
    time_flag_text,
    time_flag_tooltip,
)
from informant_app.ui.review.queue_model import status_text
from informant_app.ui.review.rows import ReviewRow, review_rows
from sync.contract import Severity

#: Events of a version's filing: their entry carries its sign-in path and time correction.
FILING_EVENTS = VERSION_EVENTS | {"submitted"}


def filing_entry(detail: ReviewDetail) -> HistoryEntry | None:
    """Return the history entry of the version's filing (the server's, when it has one)."""
    found = [e for e in detail.version_history() if e.event in FILING_EVENTS]
    return next((e for e in found if e.from_server), found[0] if found else None)


def detail_title(detail: ReviewDetail, lang: str) -> str:
    """Return "village · event · stage vN" for headings."""
    item = detail.item
    return (
        f"{village_name(item.village_code)} · {item.event_name} · "
        f"{stage_label(item.stage, lang)} v{item.version_no}"
    )


class ReviewDetailDialog(QDialog):
    """Shows a version for review with Approve, Return… and History….

    Signals:
        approve_requested(object): "Approve" was clicked; carries the ``ReviewDetail``.
        return_requested(object): "Return…" was clicked; carries the ``ReviewDetail``.
        history_requested(object): "History…" was clicked; carries the ``ReviewDetail``.
    """

    approve_requested = Signal(object)
    return_requested = Signal(object)
    history_requested = Signal(object)

    def __init__(self, detail: ReviewDetail, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review_detail")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.detail = detail
        self._lang = lang
        self.rows: list[ReviewRow] = review_rows(
            detail.content, detail.previous, detail.changed_fields, lang
        )
        self.setWindowTitle(self.tr("Review: {title}").format(title=detail_title(detail, lang)))

        self.status = plain(QLabel(self))
        self.status.setObjectName("review_status")
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self._info_box(), 3)
        top.addWidget(self.status, 2)

        self.only_given = QCheckBox(self.tr("Only fields with a value or a change"), self)
        self.only_given.toggled.connect(self._filter_rows)
        self.table = self._build_table()
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.only_given)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self._side_panel())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self.approve_button = QPushButton(self.tr("&Approve"), self)
        self.approve_button.setObjectName("approve")
        self.return_button = QPushButton(self.tr("&Return…"), self)
        self.return_button.setObjectName("return")
        self.history_button = QPushButton(self.tr("&History…"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        for button in (
            self.approve_button,
            self.return_button,
            self.history_button,
            self.close_button,
        ):
            button.setAutoDefault(False)
        self.approve_button.clicked.connect(lambda: self.approve_requested.emit(self.detail))
        self.return_button.clicked.connect(lambda: self.return_requested.emit(self.detail))
        self.history_button.clicked.connect(lambda: self.history_requested.emit(self.detail))
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        buttons.addWidget(self.return_button)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self._show_state(None)
        self._show_marks()
        self.resize(1200, 700)

    # --- building --------------------------------------------------------------------------

    def _info_box(self) -> QGroupBox:
        item, content = self.detail.item, self.detail.content
        box = QGroupBox(detail_title(self.detail, self._lang), self)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        pairs = [
            (self.tr("Filed by"), person_label(item.filed_by, item.filed_role)),
            (self.tr("Disaster type"), disaster_label(content.disaster_type, self._lang)),
            (self.tr("Submitted (device time)"), local_time_text(item.submitted_at)),
            (self.tr("Received (server time)"), local_time_text(item.received_at)),
        ]
        values: list[QLabel] = []
        for label, value in pairs:
            text = plain(QLabel(value, box))
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, text)
            values.append(text)
        self.submitted_value = values[2]
        self.submitted_caption = form.labelForField(self.submitted_value)
        self.marks = QWidget(box)
        self.marks.setObjectName("provenance_marks")
        self._marks_layout = QVBoxLayout(self.marks)
        self._marks_layout.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.marks)
        self.mark_labels: list[QLabel] = []
        return box

    # --- provenance --------------------------------------------------------------------------

    def set_history(self, entries: list[HistoryEntry]) -> None:
        """Show the marks of a fresher history of the report (the server's, once it answers)."""
        self.detail = replace(self.detail, history=list(entries))
        self._show_marks()

    def _add_mark(self, name: str, text: str, warn: bool, tooltip: str = "") -> None:
        label = plain(QLabel(("⚠ " if warn else "") + text, self.marks))
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if warn:
            label.setStyleSheet(f"color: {WARNING_COLOR}; font-weight: bold;")
        if tooltip:
            label.setToolTip(tooltip)
        self._marks_layout.addWidget(label)
        self.mark_labels.append(label)

    def _show_marks(self) -> None:
        """(Re)build the marks of the sign-in path and the filing time of this version."""
        for label in self.mark_labels:
            self._marks_layout.removeWidget(label)
            label.deleteLater()
        self.mark_labels = []
        item = self.detail.item
        filing = filing_entry(self.detail)
        caption = self.tr("Submitted (device time)")
        value, tooltip = local_time_text(item.submitted_at), ""
        if filing is not None and filing.by_setup_code:
            self._add_mark("signin_mark", signin_text(filing), filing.taken_over)
        if filing is not None and filing.time_flag:
            tooltip = time_flag_tooltip(filing)
            self._add_mark("time_mark", time_flag_text(filing, self._lang), True, tooltip)
            if filing.corrected_time is not None:
                caption = self.tr("Submitted (corrected by the server)")
                value = local_time_text(filing.corrected_time)
        elif item.time_flag:  # known from the change feed, also offline
            tooltip = corrected_time_tooltip(item.claimed_at, item.submitted_at)
            self._add_mark("time_mark", queue_time_words(item, self._lang), True, tooltip)
            caption = self.tr("Submitted (corrected by the server)")
        if isinstance(self.submitted_caption, QLabel):
            self.submitted_caption.setText(caption)
        self.submitted_value.setText(value)
        self.submitted_value.setToolTip(tooltip)
        for entry in self.detail.version_history():
            if entry.event in FILING_EVENTS or not entry.by_setup_code:
                continue
            text = self.tr("{event} by {who}: {signin}").format(
                event=history_event_label(entry.event),
                who=person_label(entry.who, entry.role),
                signin=signin_text(entry),
            )
            self._add_mark("decision_signin_mark", text, entry.taken_over)
        self.marks.setVisible(bool(self.mark_labels))

    def _build_table(self) -> QTableWidget:
        has_previous = self.detail.previous is not None
        table = QTableWidget(len(self.rows), 3, self)
        table.setObjectName("review_fields")
        table.setHorizontalHeaderLabels(
            [
                self.tr("Field"),
                self.tr("This version"),
                self.tr("Previous report") if has_previous else self.tr("(no previous report)"),
            ]
        )
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        changed = QBrush(QColor(CHANGED_BACKGROUND))
        bold = QFont(table.font())
        bold.setBold(True)
        for line, row in enumerate(self.rows):
            cells = [row.label, row.current, row.previous]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column > 0 and row.is_figure:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if row.changed:
                    item.setBackground(changed)
                    item.setFont(bold)
                    item.setToolTip(self.tr("Changed since the previous report"))
                table.setItem(line, column, item)
        return table

    def _side_panel(self) -> QWidget:
        panel = QWidget(self)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        warnings = QGroupBox(self.tr("Rule warnings and the informant's notes"), panel)
        inner = QVBoxLayout(warnings)
        self.warning_labels: list[QLabel] = []
        notes = {**self.detail.content.notes, **self.detail.notes}
        for issue in self.detail.issues:
            is_error = issue.severity is Severity.ERROR
            mark = "✖" if is_error else "⚠"
            note = notes.get(issue.key, "")
            text = f"{mark} {issue.message(self._lang)}"
            label = QLabel(warnings)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setText(
                text
                + (
                    "\n    " + self.tr("Note: {note}").format(note=note)
                    if note
                    else "\n    " + self.tr("(no note)")
                )
            )
            label.setStyleSheet(f"color: {ERROR_COLOR if is_error else WARNING_COLOR};")
            inner.addWidget(label)
            self.warning_labels.append(label)
        if not self.detail.issues:
            inner.addWidget(QLabel(self.tr("No rule warnings."), warnings))
        inner.addStretch(1)
        narrative_box = QGroupBox(self.tr("Situation narrative"), panel)
        narrative_layout = QVBoxLayout(narrative_box)
        self.narrative = QPlainTextEdit(self.detail.content.narrative, narrative_box)
        self.narrative.setReadOnly(True)
        narrative_layout.addWidget(self.narrative)
        layout.addWidget(warnings, 1)
        layout.addWidget(narrative_box, 1)
        return panel

    # --- state -----------------------------------------------------------------------------

    def changed_keys(self) -> list[str]:
        """Return the keys of the highlighted lines, in display order."""
        return [row.key for row in self.rows if row.changed]

    def _decision_line(self, decision: Decision) -> str:
        """Return an earlier decision on this version in one line, with the server's word."""
        line = self.tr("{decision} by {who} at {time} ({state})").format(
            decision=decision_label(decision.kind),
            who=person_label(decision.decided_by, decision.decided_role),
            time=local_time_text(decision.received_at or decision.decided_at),
            state=sync_state_label(decision.sync_state),
        )
        message = decision.message(self._lang)
        return f"{line}: {message}" if message else line

    def _filter_rows(self, only_given: bool) -> None:
        for line, row in enumerate(self.rows):
            self.table.setRowHidden(line, only_given and not (row.given or row.changed))

    def set_decision(self, decision: Decision) -> None:
        """Show a decision just recorded here (it waits to be sent) and lock the buttons."""
        self._show_state(decision)

    def _show_state(self, decision: Decision | None) -> None:
        item = self.detail.item
        if decision is not None:
            text = self.tr("{decision} here; waits to be sent with the next sync.").format(
                decision=decision_label(decision.kind)
            )
            if decision.kind is DecisionKind.RETURN:
                text += "\n" + self.tr("Reason: {reason}").format(reason=decision.reason)
            color = QUEUED_COLOR
            frozen = True
        else:
            text = status_text(item)
            color = (
                OVERDUE_COLOR
                if item.overdue and item.status is ReviewStatus.PENDING
                else QUEUED_COLOR
                if item.decision_queued
                else REVIEW_COLORS[item.status]
            )
            frozen = (
                item.status is ReviewStatus.APPROVED or item.decision_queued or not item.is_current
            )
            if not item.is_current:
                text += "\n" + self.tr(
                    "The village has sent a newer version since: review that one."
                )
            elif item.status is ReviewStatus.APPROVED:
                text += "\n" + self.tr(
                    "Approved figures are frozen: a change comes as a new report from the village."
                )
            elif item.decision_queued:
                text += "\n" + self.tr("Your decision waits to be sent.")
            text += "".join("\n" + self._decision_line(d) for d in self.detail.decisions)
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {color}; font-weight: bold;")
        self.approve_button.setEnabled(not frozen)
        self.return_button.setEnabled(not frozen)

"""The bureau's dashboard (灾情总览) of county and city administrators and township reviewers.

Above, the open events of the jurisdiction (pick one), the stage and the figure to draw.  Three
tabs below:

- **Event overview** (事件概况): how many units below stand filed, escalated, overdue or not
  due for the event now, or at the end of a past day picked (China time; 24:00); a table
  with a line per unit below (a county's townships, the city's counties, a township's
  villages): its deadline standing, the report that counts, its data cut-off and figures, and
  the total; beside it a bar per unit for the figure chosen, and the
  running total of that figure over the counted reports by data cut-off.
- **Reports waiting** (待审报表; county and city): the reports of units below that wait for
  the unit's decision, with 通过 and 退回 (a return needs a reason).
- **Year summary** (年度汇总): the year's figures per unit below and their total, with bars.

A county or city administrator also acts on the event's report from the overview: a reasoned
adjustment, "submit upward" (the county's report to the city; the city's is the final one),
and the export on the national form (Excel and PDF); and merges another open event of the same
type into the event chosen (合并灾害过程…), with a confirmation naming both.

Everything comes from the server on the task manager's ``network`` lane; nothing waits on the
GUI thread.  Exports are made on the ``db`` lane and written on the ``files`` lane.  Offline,
the page says so and keeps what it showed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal, TypeVar

from PySide6.QtCore import QDate, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from informant_app.core.dashboard import actions
from informant_app.core.dashboard import online as dashboard
from informant_app.core.dashboard.board import (
    BOARD_ROLES,
    Board,
    bar_values,
    cumulative_steps,
    standing_counts,
)
from informant_app.core.review.types import ReviewRefusedError
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.types import Account, Phase
from informant_app.core.township.national_form import NationalForm
from informant_app.ui.common.errors import ErrorPresenter, user_message
from informant_app.ui.common.labels import ERROR_COLOR, local_time_text, stage_label
from informant_app.ui.dashboard.charts import BarChart, StepChart
from informant_app.ui.dashboard.dialogs import MergeDialog, UnitAdjustmentDialog, event_text
from informant_app.ui.dashboard.models import (
    SUMMARY_FIELDS,
    SummaryModel,
    UnitLinesModel,
    WaitingModel,
    figure_label,
    standing_color,
    standing_label,
)
from informant_app.ui.tasks.manager import TaskKey, TaskManager
from informant_app.ui.tasks.progress import LongJob, write_via_temp
from informant_app.ui.township.report_view import SavePathChooser, ask_save_path, write_form
from sync.contract.duty import CHINA_TZ
from sync.contract.indicators import INDICATORS
from sync.contract.wire.events import Event, EventList, EventResult
from sync.contract.wire.summary import YearSummary
from sync.contract.wire.township import AdjustmentResult
from sync.contract.wire.unit_reports import (
    UnitDecisionResult,
    UnitReport,
    UnitRow,
    UnitSubmitResult,
)

T = TypeVar("T")

#: The figure drawn first.
DEFAULT_FIGURE = "affected_pop"
#: Export formats: key, file suffix.
FORMATS = {"xlsx": ".xlsx", "pdf": ".pdf"}


def china_today() -> date:
    """Return today's date in China time (the days of the deadlines)."""
    return datetime.now(CHINA_TZ).date()


def is_board_role(account: Account | None) -> bool:
    """Whether ``account`` sees the dashboard (a township reviewer, a county or city admin)."""
    return account is not None and account.role in BOARD_ROLES


class ReasonDialog(QDialog):
    """Asks why a report is returned; OK only with a reason."""

    def __init__(self, unit_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Return the report"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr(
                    "Why is the report of {unit} returned? It goes back with this reason."
                ).format(unit=unit_name)
            )
        )
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("return_reason")
        layout.addWidget(self.text)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.text.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.reason()))

    def reason(self) -> str:
        """Return the reason typed (stripped)."""
        return self.text.toPlainText().strip()


class DashboardPage(QWidget):
    """Open events, the event's board with its charts, reports waiting, the year summary.

    Signals:
        events_shown(): the open events arrived.
        board_shown(object): an event's board arrived; carries the ``Board``.
        summary_shown(): the year summary arrived.
        decided(object): a report below was passed or returned; carries the
            ``UnitDecisionResult``.
        adjusted(object): the unit's adjustment was recorded; carries the ``AdjustmentResult``.
        submitted(object): the unit's report was submitted upward; carries the
            ``UnitSubmitResult``.
        refused(str): the server (or the device) refused an action; carries the message.
        exported(str): an export was written; carries its path.
        merged(object): two events were merged; carries the ``EventResult``.
        dialog_opened(object): a dialog was opened; carries it.
    """

    events_shown = Signal()
    board_shown = Signal(object)
    summary_shown = Signal()
    decided = Signal(object)
    adjusted = Signal(object)
    submitted = Signal(object)
    refused = Signal(str)
    exported = Signal(str)
    merged = Signal(object)
    dialog_opened = Signal(object)

    def __init__(
        self,
        worker: TaskManager,
        lang: str,
        errors: ErrorPresenter,
        account: Account,
        parent: QWidget | None = None,
        export_dir: Path | None = None,
    ) -> None:
        """Build the page; call ``start`` to load it.

        Args:
            worker: the task manager (the server on its ``network`` lane, exports on
                ``files``).
            lang: the UI language.
            errors: shows failures of actions.
            account: the signed-in account (its role and jurisdiction).
            parent: the Qt parent.
            export_dir: the folder the save dialog suggests (default: the user's documents).
        """
        super().__init__(parent)
        self.setObjectName("dashboard_page")
        self._worker = worker
        self._lang = lang
        self._errors = errors
        self.account = account
        self.level = BOARD_ROLES.get(account.role, "")
        self.acts = self.level in actions.UNIT_LEVELS
        if export_dir is None:
            documents = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            )
            export_dir = Path(documents) if documents else Path.home()
        self._export_dir = export_dir
        self.choose_save_path: SavePathChooser = ask_save_path
        self._busy = 0
        self._busy_keys: set[TaskKey] = set()
        self._events_key = TaskKey("dashboard-events")
        self._board_key = TaskKey("dashboard-board")
        self._summary_key = TaskKey("dashboard-summary")
        self.events: list[Event] = []
        self.board: Board | None = None
        self.summary: YearSummary | None = None
        self.lines_model = UnitLinesModel(lang, self)
        self.waiting_model = WaitingModel(lang, self)
        self.summary_model = SummaryModel(self)
        self._build()

    # --- building --------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Event:")))
        self.event_combo = QComboBox(self)
        self.event_combo.setObjectName("dashboard_event")
        self.event_combo.setMinimumContentsLength(24)
        self.event_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        bar.addWidget(self.event_combo, 2)
        bar.addWidget(QLabel(self.tr("Stage:")))
        self.stage_combo = QComboBox(self)
        for stage in dashboard.STAGES:
            self.stage_combo.addItem(stage_label(stage, self._lang), stage)
        bar.addWidget(self.stage_combo)
        bar.addWidget(QLabel(self.tr("Figure:")))
        self.figure_combo = QComboBox(self)
        self.figure_combo.setObjectName("dashboard_figure")
        for indicator in sorted(INDICATORS, key=lambda i: not i.core):
            self.figure_combo.addItem(figure_label(indicator.field, self._lang), indicator.field)
        self.figure_combo.setCurrentIndex(self.figure_combo.findData(DEFAULT_FIGURE))
        bar.addWidget(self.figure_combo, 1)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        bar.addWidget(self.refresh_button)
        self.merge_button = QPushButton(self.tr("Merge events…"), self)
        self.merge_button.setObjectName("dashboard_merge")
        self.merge_button.setToolTip(
            self.tr("Merge another open event of the same type into the event chosen.")
        )
        self.merge_button.setVisible(self.acts)
        self.merge_button.setEnabled(False)
        bar.addWidget(self.merge_button)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(80)
        self.busy.setVisible(False)
        bar.addWidget(self.busy)
        layout.addLayout(bar)
        self.notice = QLabel(self)
        self.notice.setObjectName("dashboard_notice")
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_overview(), self.tr("Event overview"))
        self.review_page: QWidget | None = None
        if self.level in {"county", "city"}:
            self.review_page = self._build_review()
            self.tabs.addTab(self.review_page, self.tr("Reports waiting"))
        self.tabs.addTab(self._build_summary(), self.tr("Year summary"))
        layout.addWidget(self.tabs, 1)

        self.event_combo.currentIndexChanged.connect(lambda _i: self.load_board())
        self.stage_combo.currentIndexChanged.connect(lambda _i: self.load_board())
        self.figure_combo.currentIndexChanged.connect(lambda _i: self._draw())
        self.refresh_button.clicked.connect(self.refresh)
        self.merge_button.clicked.connect(self.ask_merge)

    def _table(self, model: object, name: str) -> QTableView:
        table = QTableView(self)
        table.setObjectName(name)
        table.setModel(model)  # type: ignore[arg-type]
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.setWordWrap(False)
        return table

    def _build_overview(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        day_row = QHBoxLayout()
        day_label = QLabel(self.tr("Standing on day:"), page)
        day_row.addWidget(day_label)
        self.day_edit = QDateEdit(page)
        self.day_edit.setObjectName("dashboard_day")
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        today = china_today()
        self.day_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        self.day_edit.setDate(QDate(today.year, today.month, today.day))
        tip = self.tr(
            "Today: each unit's deadline standing now, as the server reports it. A past day "
            "(China time): the standing at the end of that day (24:00), judged by the "
            "deadline rules from what the server shows now: the first filing of each deadline "
            "window, and the unit reports below of every stage (counted or waiting) received "
            "and cut off before that day's end. A report replaced since is not known, so a unit "
            "may show overdue on a past day it filed a report that was later replaced. A "
            "township's villages: whether each reported on the event that day. The figures "
            "are always those of the reports that count now."
        )
        self.day_edit.setToolTip(tip)
        day_label.setToolTip(tip)
        day_row.addWidget(self.day_edit)
        day_row.addStretch(1)
        layout.addLayout(day_row)
        self.day_edit.dateChanged.connect(lambda _d: self.load_board())
        self.counts = QLabel(page)
        self.counts.setObjectName("dashboard_counts")
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.counts)
        split = QSplitter(Qt.Orientation.Horizontal, page)
        self.lines_table = self._table(self.lines_model, "dashboard_units")
        split.addWidget(self.lines_table)
        charts = QWidget(split)
        charts_layout = QVBoxLayout(charts)
        charts_layout.setContentsMargins(0, 0, 0, 0)
        self.bar_chart = BarChart(charts)
        self.bar_chart.setObjectName("dashboard_bars")
        scroll = QScrollArea(charts)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.bar_chart)
        charts_layout.addWidget(scroll, 3)
        self.step_chart = StepChart(charts)
        self.step_chart.setObjectName("dashboard_steps")
        charts_layout.addWidget(self.step_chart, 2)
        split.addWidget(charts)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        if self.acts:
            layout.addLayout(self._build_actions(page))
        return page

    def _build_actions(self, page: QWidget) -> QHBoxLayout:
        """The unit's own report: adjust, submit upward, export (county and city)."""
        row = QHBoxLayout()
        self.adjust_button = QPushButton(self.tr("Add adjustment…"), page)
        self.adjust_button.setObjectName("dashboard_adjust")
        self.submit_button = QPushButton(
            self.tr("Submit the final report…")
            if self.level == "city"
            else self.tr("Submit upward…"),
            page,
        )
        self.submit_button.setObjectName("dashboard_submit")
        self.xlsx_button = QPushButton(self.tr("Export Excel…"), page)
        self.xlsx_button.setObjectName("dashboard_export_xlsx")
        self.pdf_button = QPushButton(self.tr("Export PDF…"), page)
        self.pdf_button.setObjectName("dashboard_export_pdf")
        for button in (self.adjust_button, self.submit_button):
            row.addWidget(button)
        row.addStretch(1)
        for button in (self.xlsx_button, self.pdf_button):
            row.addWidget(button)
        for button in (self.adjust_button, self.submit_button, self.xlsx_button, self.pdf_button):
            button.setEnabled(False)
        self.adjust_button.clicked.connect(self.ask_adjustment)
        self.submit_button.clicked.connect(self.ask_submit)
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        return row

    def _build_review(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.review_hint = QLabel(page)
        self.review_hint.setWordWrap(True)
        layout.addWidget(self.review_hint)
        self.waiting_table = self._table(self.waiting_model, "dashboard_waiting")
        layout.addWidget(self.waiting_table, 1)
        buttons = QHBoxLayout()
        self.pass_button = QPushButton(self.tr("Pass"), page)
        self.return_button = QPushButton(self.tr("Return…"), page)
        for button in (self.pass_button, self.return_button):
            button.setEnabled(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.waiting_table.selectionModel().selectionChanged.connect(self._on_waiting_selected)
        self.pass_button.clicked.connect(self.pass_selected)
        self.return_button.clicked.connect(self.ask_return)
        return page

    def _build_summary(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Year:")))
        self.year_spin = QSpinBox(page)
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(china_today().year)
        row.addWidget(self.year_spin)
        row.addWidget(QLabel(self.tr("Bars:")))
        self.summary_figure = QComboBox(page)
        headers = [
            self.summary_model.headerData(i + 1, Qt.Orientation.Horizontal)
            for i in range(len(SUMMARY_FIELDS))
        ]
        for name, header in zip(SUMMARY_FIELDS, headers, strict=True):
            self.summary_figure.addItem(str(header), name)
        self.summary_figure.setCurrentIndex(self.summary_figure.findData("affected_pop"))
        row.addWidget(self.summary_figure)
        row.addStretch(1)
        layout.addLayout(row)
        split = QSplitter(Qt.Orientation.Horizontal, page)
        self.summary_table = self._table(self.summary_model, "dashboard_summary")
        split.addWidget(self.summary_table)
        self.summary_chart = BarChart(split)
        self.summary_chart.setObjectName("dashboard_summary_bars")
        scroll = QScrollArea(split)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.summary_chart)
        split.addWidget(scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        self.year_spin.valueChanged.connect(lambda _v: self.load_summary())
        self.summary_figure.currentIndexChanged.connect(lambda _i: self._draw_summary())
        return page

    # --- running ---------------------------------------------------------------------------

    @property
    def busy_jobs(self) -> int:
        """How many requests of the page are under way (a replaced one counts no more)."""
        return self._busy + len(self._busy_keys)

    def _set_busy(self) -> None:
        self.busy.setVisible(self.busy_jobs > 0)

    def _ask(
        self,
        fn: Callable[[ReportStore], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
        key: TaskKey | None = None,
    ) -> None:
        """Run ``fn`` on the ``network`` lane with the busy bar showing.

        A keyed request replaces the one before it with the same key, whose callbacks never
        run: the page counts the keys under way, not the requests.
        """
        if key is None:
            self._busy += 1
        else:
            self._busy_keys.add(key)
        self._set_busy()

        def finish() -> None:
            if key is None:
                self._busy = max(0, self._busy - 1)
            else:
                self._busy_keys.discard(key)
            self._set_busy()

        def done(result: T) -> None:
            finish()
            on_done(result)

        def failed(exc: BaseException) -> None:
            finish()
            (on_error or self._errors.show_error)(exc)

        self._worker.network(fn, on_done=done, on_error=failed, owner=self, key=key)

    def _say(self, text: str, error: bool = False) -> None:
        self.notice.setText(text)
        self.notice.setStyleSheet(f"color: {ERROR_COLOR};" if error else "")

    def _failed(self, exc: BaseException) -> None:
        """A load failed: say why above, keep what was shown (a bug goes to the error box)."""
        text = user_message(exc, self._lang)
        if text is None:
            self._errors.show_error(exc)
            return
        self._say(text, error=True)

    def start(self) -> None:
        """Load the open events (then the first one's board) and the year summary."""
        self.load_events()
        self.load_summary()

    def refresh(self) -> None:
        """Ask the server again for everything shown."""
        self.start()

    def load_events(self) -> None:
        """Ask the server for the open events of the jurisdiction."""
        self._say(self.tr("Asking the server for the open events…"))
        self._ask(dashboard.open_events, self._show_events, self._failed, self._events_key)

    def _show_events(self, answer: EventList) -> None:
        chosen = self.event_combo.currentData()
        self.events = list(answer.events)
        self.event_combo.blockSignals(True)
        self.event_combo.clear()
        for event in self.events:
            when = local_time_text(event.occurred_at or event.opened_at)
            self.event_combo.addItem(f"{event.name}（{when}）", event.event_uuid)
        at = self.event_combo.findData(chosen) if chosen else -1
        self.event_combo.setCurrentIndex(at if at >= 0 else 0 if self.events else -1)
        self.event_combo.blockSignals(False)
        if not self.events:
            self._say(self.tr("No event is open in your jurisdiction."))
            self._show_board(None)
        self.merge_button.setEnabled(len(self.events) > 1)
        self.events_shown.emit()
        if self.events:
            self.load_board()

    def choose_event(self, event_uuid: str, stage: str | None = None) -> None:
        """Show the board of ``event_uuid`` (and ``stage``), as if picked above."""
        if stage is not None:
            self.stage_combo.blockSignals(True)
            self.stage_combo.setCurrentIndex(self.stage_combo.findData(stage))
            self.stage_combo.blockSignals(False)
        at = self.event_combo.findData(event_uuid)
        if at >= 0 and at != self.event_combo.currentIndex():
            self.event_combo.setCurrentIndex(at)  # loads the board
        else:
            self.load_board()

    def day(self) -> date | None:
        """Return the past day picked (China time), or ``None`` for today (the standing now)."""
        picked = self.day_edit.date()
        chosen = date(picked.year(), picked.month(), picked.day())
        return chosen if chosen < china_today() else None

    def choose_day(self, day: date) -> None:
        """Pick ``day`` (China time) for the standings, as if picked above; loads the board."""
        self.day_edit.setDate(QDate(day.year, day.month, day.day))

    def load_board(self) -> None:
        """Ask the server for the board of the event and stage picked."""
        event_uuid = self.event_combo.currentData()
        if not event_uuid:
            return
        stage = str(self.stage_combo.currentData())
        name = next((e.name for e in self.events if e.event_uuid == event_uuid), "")
        day = self.day()
        self._say(self.tr("Asking the server for the event's figures…"))
        self._ask(
            lambda store: dashboard.board(store, event_uuid, stage, name, day),
            self._show_board,
            self._failed,
            self._board_key,
        )

    def _show_board(self, board: Board | None) -> None:
        self.board = board
        self._draw()
        self._update_actions()
        if board is None:
            self.waiting_model.set_rows([])
            self._on_waiting_selected()
            return
        self.waiting_model.set_rows(board.waiting)
        self._on_waiting_selected()
        if self.review_page is not None:
            self.tabs.setTabText(
                self.tabs.indexOf(self.review_page),
                self.tr("Reports waiting ({n})").format(n=len(board.waiting)),
            )
            self.review_hint.setText(
                self.tr(
                    "Reports of the units below that wait for your decision. Passed figures "
                    "count in your total; a returned report goes back with your reason."
                )
                if board.waiting
                else self.tr("No report waits for your decision.")
            )
        self._say(self._board_text(board))
        self.lines_table.resizeColumnsToContents()
        if self.review_page is not None:
            self.waiting_table.resizeColumnsToContents()
        self.board_shown.emit(board)

    def _board_text(self, board: Board) -> str:
        counted = sum(1 for line in board.lines if line.counted)
        text = self.tr("{unit} · {event} · {stage}: {n} of {m} units counted.").format(
            unit=board.unit_name,
            event=board.event_name,
            stage=stage_label(board.stage, self._lang),
            n=counted,
            m=len(board.lines),
        )
        if board.adjustments:
            text += " " + self.tr("{n} adjustment(s) with reasons.").format(n=board.adjustments)
        missing = board.report.verified_missing if board.report is not None else []
        if board.stage == "verified" and missing:
            names = {line.code: line.name for line in board.lines}
            text += " " + self.tr("Not yet filed their verified report: {units}.").format(
                units="、".join(names.get(code, code) for code in missing)
            )
        if board.submitted:
            text += " " + self.tr("Your report upward: {status}.").format(
                status=self._submission_label(board.submitted)
            )
        return (
            text
            + " "
            + self.tr("Server time {time}.").format(time=local_time_text(board.server_time))
        )

    def _submission_label(self, status: str) -> str:
        return {
            "submitted": self.tr("submitted"),
            "passed": self.tr("passed"),
            "returned": self.tr("returned"),
            "final": self.tr("final"),
        }.get(status, status)

    def figure(self) -> str:
        """Return the figure chosen for the charts."""
        return str(self.figure_combo.currentData() or DEFAULT_FIGURE)

    def _draw(self) -> None:
        """Fill the unit table, the counts and the two charts from the board."""
        board, field_name = self.board, self.figure()
        self.lines_model.set_board(board, field_name)
        label = figure_label(field_name, self._lang)
        if board is None:
            self.counts.setText("")
            self.bar_chart.set_values("", [])
            self.step_chart.set_steps("", [])
            return
        parts = []
        for standing, n in standing_counts(board.lines).items():
            color = standing_color(standing) if n else None
            word = f"{standing_label(standing)} <b>{n}</b>"
            parts.append(f'<span style="color:{color}">{word}</span>' if color else word)
        if board.day is None:
            head = self.tr("Deadlines of the units below now:")
        else:
            head = self.tr("Standing of the units below at the end of {day} (24:00 China time):")
            head = head.format(day=board.day.isoformat())
        self.counts.setText(head + " " + " · ".join(parts))
        self.bar_chart.set_values(
            self.tr("{figure} by unit").format(figure=label), bar_values(board, field_name)
        )
        self.step_chart.set_steps(
            self.tr("{figure}: running total over the counted reports, by data cut-off").format(
                figure=label
            ),
            cumulative_steps(board, field_name),
            self.tr("No counted report yet."),
        )

    # --- reports waiting -------------------------------------------------------------------

    def selected_waiting(self) -> UnitRow | None:
        """Return the waiting report selected."""
        if self.review_page is None:
            return None
        rows = self.waiting_table.selectionModel().selectedRows()
        return self.waiting_model.row_at(rows[0].row()) if rows else None

    def _on_waiting_selected(self) -> None:
        if self.review_page is None:
            return
        chosen = self.selected_waiting() is not None
        self.pass_button.setEnabled(chosen)
        self.return_button.setEnabled(chosen)

    def pass_selected(self) -> None:
        """Pass the waiting report selected."""
        row = self.selected_waiting()
        if row is not None:
            self.decide(row, "pass")

    def ask_return(self) -> None:
        """Ask why, then return the waiting report selected."""
        row = self.selected_waiting()
        if row is None:
            return
        dialog = ReasonDialog(row.unit_name, self)
        dialog.setModal(True)

        def finished(result: int) -> None:
            if result == QDialog.DialogCode.Accepted and dialog.reason():
                self.decide(row, "return", dialog.reason())
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()
        self.dialog_opened.emit(dialog)

    def decide(self, row: UnitRow, decision: Literal["pass", "return"], reason: str = "") -> None:
        """Pass or return ``row`` on the server, then show the board again."""
        board = self.board
        if board is None:
            return
        event_uuid = board.event_uuid
        for button in (self.pass_button, self.return_button):
            button.setEnabled(False)

        def done(result: UnitDecisionResult) -> None:
            self.decided.emit(result)
            self.load_board()

        def failed(exc: BaseException) -> None:
            self._on_waiting_selected()
            self._errors.show_error(exc)

        self._ask(
            lambda store: dashboard.decide(
                store, event_uuid, row.stage, row.submission_uuid, decision, reason
            ),
            done,
            failed,
        )

    # --- year summary ----------------------------------------------------------------------

    def load_summary(self) -> None:
        """Ask the server for the year's summary."""
        year = self.year_spin.value()
        self._ask(
            lambda store: dashboard.year_summary(store, year),
            self._show_summary,
            self._failed,
            self._summary_key,
        )

    def _show_summary(self, summary: YearSummary) -> None:
        self.summary = summary
        self.summary_model.set_summary(summary)
        self.summary_table.resizeColumnsToContents()
        self._draw_summary()
        self.summary_shown.emit()

    def _draw_summary(self) -> None:
        summary = self.summary
        name = str(self.summary_figure.currentData())
        if summary is None:
            self.summary_chart.set_values("", [])
            return
        values = [(r.name, Decimal(str(getattr(r, name)))) for r in summary.rows]
        self.summary_chart.set_values(
            self.tr("{year}: {figure} by unit").format(
                year=summary.year, figure=self.summary_figure.currentText()
            ),
            values,
        )

    # --- the unit's own report: adjust, submit upward, export ------------------------------

    def current_event(self) -> Event | None:
        """Return the open event chosen above."""
        event_uuid = self.event_combo.currentData()
        return next((e for e in self.events if e.event_uuid == event_uuid), None)

    def _unit_report(self) -> UnitReport | None:
        """The county or city report shown, when this account acts on it."""
        board = self.board
        if not self.acts or board is None or board.report is None:
            return None
        return board.report if board.report.unit_code == self.account.jurisdiction_code else None

    def _update_actions(self) -> None:
        """Enable adjust, submit and export for the report shown."""
        if not self.acts:
            return
        report = self._unit_report()
        self.adjust_button.setEnabled(report is not None)
        self.xlsx_button.setEnabled(report is not None)
        self.pdf_button.setEnabled(report is not None)
        self.submit_button.setEnabled(report is not None and actions.can_submit(report))
        if report is None or self.submit_button.isEnabled():
            tip = ""
        elif not actions.needs_submission(report):
            tip = self.tr(
                "This total was submitted already; it can be submitted again once it changes."
            )
        else:
            tip = self.tr("Nothing to submit yet: pass the reports of the units below first.")
        self.submit_button.setToolTip(tip)

    def _report_title(self, report: UnitReport) -> str:
        return f"{report.unit_name} · {report.event_name} · {stage_label(report.stage, self._lang)}"

    def _refused(self, exc: BaseException) -> None:
        """An action failed: the error box, and the server's words above the board."""
        self._errors.show_error(exc)
        text = user_message(exc, self._lang)
        if text is not None:
            self._say(text, error=True)
            self.refused.emit(text)
        self._update_actions()
        if isinstance(exc, ReviewRefusedError) and exc.code == "unit_total_mismatch":
            self.load_board()  # the figures changed meanwhile: show the server's total

    def ask_adjustment(self) -> None:
        """Open the adjustment dialog; an accepted one is recorded on the server."""
        report = self._unit_report()
        if report is None:
            return
        dialog = UnitAdjustmentDialog(self._lang, self.level, self._report_title(report), self)
        dialog.accepted.connect(
            lambda: self.add_adjustment(
                report,
                dialog.field_name(),
                dialog.delta_value() or Decimal(0),
                dialog.reason_text(),
            )
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.dialog_opened.emit(dialog)

    def add_adjustment(self, report: UnitReport, field: str, delta: Decimal, reason: str) -> None:
        """Record an adjustment of ``report`` on the server, then show the board again."""
        event_uuid, stage = report.event_uuid, report.stage
        self.adjust_button.setEnabled(False)

        def done(result: AdjustmentResult) -> None:
            self.adjusted.emit(result)
            self._say(self.tr("Adjustment recorded."))
            self.load_board()

        self._ask(
            lambda store: actions.add_unit_adjustment(
                store, event_uuid, stage, field, delta, reason
            ),
            done,
            self._refused,
        )

    def ask_submit(self) -> None:
        """Ask before submitting the unit's report upward (the city's: the final report)."""
        report = self._unit_report()
        if report is None:
            return
        if self.level == "city":
            title = self.tr("Submit the final report")
            text = self.tr(
                "Submit the city report of {title} as the final report? It adds up the passed "
                "county reports and the city's adjustments."
            )
        else:
            title = self.tr("Submit upward")
            text = self.tr(
                "Submit the county report of {title} to the city? It adds up the passed "
                "township reports and the county's adjustments; the city reads it as the "
                "county's figures."
            )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            title,
            text.format(title=self._report_title(report)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("dashboard_submit_box")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        yes = box.button(QMessageBox.StandardButton.Yes)
        yes.setText(self.tr("Submit"))
        yes.clicked.connect(lambda: self.submit(report))
        box.finished.connect(box.deleteLater)
        box.open()
        self.dialog_opened.emit(box)

    def submit(self, report: UnitReport) -> None:
        """Submit ``report`` (its total as shown); the server may refuse, saying why."""
        self.submit_button.setEnabled(False)

        def done(result: UnitSubmitResult) -> None:
            self.submitted.emit(result)
            self._say(
                self.tr("The city report was submitted as the final report.")
                if self.level == "city"
                else self.tr("The county report was submitted to the city.")
            )
            self.load_board()

        self._ask(lambda store: actions.submit_upward(store, report), done, self._refused)

    def export(self, fmt: str, path: str | None = None) -> None:
        """Write the unit's report on the national form as ``xlsx`` or ``pdf``.

        Asks for the file unless ``path`` is given.  The form is made on the ``db`` lane (the
        filer and the event this device knows), then written on the ``files`` lane.
        """
        report = self._unit_report()
        if report is None:
            return
        suffix = FORMATS[fmt]
        if path is None:
            suggested = self._export_dir / _file_name(report, self._lang, suffix)
            name_filter = (
                self.tr("Excel workbook (*.xlsx)")
                if fmt == "xlsx"
                else self.tr("PDF document (*.pdf)")
            )
            title = (
                self.tr("Export the city report")
                if self.level == "city"
                else self.tr("Export the county report")
            )
            path = self.choose_save_path(self, title, str(suggested), name_filter)
            if not path:
                return
            if not path.lower().endswith(suffix):
                path += suffix
        target = path
        event = self.current_event()
        if event is not None and event.event_uuid != report.event_uuid:
            event = None

        job = LongJob(self.tr("Exporting the report"), self)
        job.step(Phase.PREPARE)

        def write(form: NationalForm) -> None:
            if job.cancelled():
                job.finish()
                return
            job.step(Phase.WRITE)
            self._worker.files(
                lambda: write_via_temp(
                    Path(target), lambda tmp: write_form(form, str(tmp), fmt), job.cancelled
                ),
                on_done=job.done(lambda _r: self._exported(target)),
                on_error=job.failed(self._errors.show_error),
                owner=self,
            )

        self._worker.run(
            lambda store: actions.unit_export_form(store, report, event),
            on_done=write,
            on_error=job.failed(self._errors.show_error),
            owner=self,
        )

    def _exported(self, path: str) -> None:
        self._export_dir = Path(path).parent
        self._say(self.tr("Exported to {path}").format(path=path))
        self.exported.emit(path)

    # --- merging events --------------------------------------------------------------------

    def ask_merge(self) -> None:
        """Offer the other open events of the chosen event's type to merge into it."""
        keep = self.current_event()
        if not self.acts or keep is None:
            return
        self.merge_button.setEnabled(False)

        def offer(answer: tuple[Event, list[actions.MergeChoice]]) -> None:
            self.merge_button.setEnabled(len(self.events) > 1)
            chosen, choices = answer
            dialog = MergeDialog(chosen, choices, self)
            dialog.accepted.connect(lambda: self._confirm_merge(chosen, dialog.chosen()))
            dialog.finished.connect(dialog.deleteLater)
            dialog.open()
            self.dialog_opened.emit(dialog)

        def failed(exc: BaseException) -> None:
            self.merge_button.setEnabled(len(self.events) > 1)
            self._refused(exc)

        event_uuid = keep.event_uuid
        self._ask(lambda store: actions.merge_choices(store, event_uuid), offer, failed)

    def _confirm_merge(self, keep: Event, merged: Event | None) -> None:
        """Ask once more, naming both events, before merging ``merged`` into ``keep``."""
        if merged is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Merge disaster events"),
            self.tr(
                "Merge “{merged}” into “{keep}”? The reports of “{merged}” then count in "
                "“{keep}” and it leaves the list of open events. A merge is not undone here."
            ).format(merged=event_text(merged), keep=event_text(keep)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("dashboard_merge_box")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        yes = box.button(QMessageBox.StandardButton.Yes)
        yes.setText(self.tr("Merge"))
        yes.clicked.connect(lambda: self.merge(keep.event_uuid, merged.event_uuid))
        box.finished.connect(box.deleteLater)
        box.open()
        self.dialog_opened.emit(box)

    def merge(self, keep_uuid: str, merged_uuid: str) -> None:
        """Merge the event ``merged_uuid`` into ``keep_uuid``, then list the open events again."""

        def done(result: EventResult) -> None:
            self.merged.emit(result)
            self._say(
                self.tr("The events were merged into {event}.").format(event=result.event.name)
            )
            self.load_events()

        self._ask(
            lambda store: actions.merge_events(store, keep_uuid, merged_uuid), done, self._refused
        )


def _file_name(report: UnitReport, lang: str, suffix: str) -> str:
    """Return a file name such as "隆阳区_2026年7月1日隆阳区洪涝_初报_快报表.xlsx"."""
    parts = [
        report.unit_name,
        report.event_name,
        stage_label(report.stage, lang),
        "快报表" if lang.startswith("zh") else "quick-report",
    ]
    name = "_".join(p for p in parts if p)
    safe = "".join(c if c.isalnum() or c in "-_·" else "_" for c in name)
    return f"{safe}{suffix}"

"""The township report: pick an event and a stage, see the villages add up, adjust, submit, export.

Fetching, adjusting and submitting need the server and run on the task manager's ``network``
lane; exporting writes a file and runs on its ``files`` lane (never holding up autosave).  A
copy fetched earlier is shown offline, with the time it was fetched.  Below, the completeness
panel lists the villages that have not reported.  When the manager announces that the township
figures changed (a sync round delivered decisions), the view fetches again: at once when it is
shown, else as soon as it is shown again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from informant_app.core.review.service import (
    ReviewUnavailableError,
    TownshipReport,
    TownshipTotalMismatchError,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import EventSummary
from informant_app.core.sync.types import Phase
from informant_app.core.township.export import export_form
from informant_app.core.township.national_form import NationalForm, township_form
from informant_app.core.township.report import (
    ReportAnswer,
    request_adjustment,
    request_report,
    request_submission,
    save_report,
)
from informant_app.ui.common import file_dialogs
from informant_app.ui.common.errors import ErrorPresenter, user_message
from informant_app.ui.common.labels import ERROR_COLOR, WARNING_COLOR, local_time_text, stage_label
from informant_app.ui.common.plain_text import plain
from informant_app.ui.tasks.manager import Changes, TaskKey, TaskManager
from informant_app.ui.tasks.progress import LongJob, write_via_temp
from informant_app.ui.township.adjustment_dialog import AdjustmentDialog
from informant_app.ui.township.completeness_panel import CompletenessPanel
from informant_app.ui.township.print_form import write_pdf
from informant_app.ui.township.report_model import TownshipReportModel
from sync.contract import ReportStage, Severity

#: Export formats: key, file suffix.
FORMATS = {"xlsx": ".xlsx", "csv": ".csv", "pdf": ".pdf"}
OK_COLOR = "#2e7d32"

#: Asks for a file to save to: (parent, title, suggested path, filter) → path or "".
SavePathChooser = Callable[[QWidget, str, str, str], str]


def ask_save_path(parent: QWidget, title: str, suggested: str, name_filter: str) -> str:
    """Ask for a file to write (file_dialogs: starts in the documents folder)."""
    return file_dialogs.save_file_name(
        parent, title, suggested, name_filter, purpose="township report"
    )


class TownshipReportView(QWidget):
    """The township report of one event and stage, with the completeness panel below.

    Signals:
        report_shown(object): a report arrived and is shown; carries the ``TownshipReport``.
        exported(str): an export was written; carries its path.
        message(str): a sentence for the status bar.
    """

    report_shown = Signal(object)
    exported = Signal(str)
    message = Signal(str)

    def __init__(
        self,
        worker: TaskManager,
        lang: str,
        errors: ErrorPresenter,
        export_dir: Path,
        parent: QWidget | None = None,
    ) -> None:
        """Build the view.

        Args:
            worker: the task manager (the server on its ``network`` lane, exports on
                ``files``); its change notices make the view fetch again.
            lang: the UI language.
            errors: shows failures.
            export_dir: the folder the save dialog suggests.
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("township_report_view")
        self._worker = worker
        self._lang = lang
        self._errors = errors
        self._export_dir = export_dir
        self._key = TaskKey("township report")
        self._stale = False
        self.choose_save_path: SavePathChooser = ask_save_path
        self.model = TownshipReportModel(lang, self)
        self._build()
        worker.changed.connect(self._on_changed)

    # --- building --------------------------------------------------------------------------

    def _build(self) -> None:
        self.event_combo = QComboBox(self)
        self.event_combo.setObjectName("township_event")
        self.event_combo.setMinimumContentsLength(48)  # a CJK name and a local date
        self.event_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.event_combo.setPlaceholderText(self.tr("Choose the event"))
        self.stage = QComboBox(self)
        self.stage.setObjectName("township_stage")
        for stage in ReportStage:
            self.stage.addItem(stage.label(self._lang), stage.value)
        self.fetch_button = QPushButton(self.tr("&Fetch"), self)
        self.fetch_button.setToolTip(self.tr("Fetch the township's figures from the server"))
        pick = QHBoxLayout()
        for text, combo in ((self.tr("Event"), self.event_combo), (self.tr("Stage"), self.stage)):
            label = QLabel(text, self)
            label.setBuddy(combo)
            pick.addWidget(label)
            pick.addWidget(combo)
        pick.addWidget(self.fetch_button)
        pick.addStretch(1)

        self.source = plain(QLabel(self))
        self.source.setObjectName("report_source")
        self.source.setWordWrap(True)
        self.check = QLabel(self)
        self.check.setObjectName("rule12_check")
        self.check.setWordWrap(True)
        self.check.setTextFormat(Qt.TextFormat.PlainText)

        self.table = QTableView(self)
        self.table.setObjectName("township_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.show_all = QCheckBox(self.tr("Show every indicator"), self)
        self.show_all.toggled.connect(lambda on: self.model.set_hide_empty(not on))

        self.adjust_button = QPushButton(self.tr("Add &adjustment…"), self)
        self.adjust_button.setObjectName("add_adjustment")
        self.submit_button = QPushButton(self.tr("&Submit upward…"), self)
        self.submit_button.setObjectName("submit_upward")
        self.xlsx_button = QPushButton(self.tr("Export &Excel…"), self)
        self.xlsx_button.setObjectName("export_xlsx")
        self.csv_button = QPushButton(self.tr("Export &CSV…"), self)
        self.csv_button.setObjectName("export_csv")
        self.pdf_button = QPushButton(self.tr("Export &PDF…"), self)
        self.pdf_button.setObjectName("export_pdf")
        self.pdf_button.setToolTip(
            self.tr("The report on the national form (A4 landscape), ready to print and sign")
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_all)
        buttons.addStretch(1)
        for button in (
            self.adjust_button,
            self.xlsx_button,
            self.pdf_button,
            self.csv_button,
            self.submit_button,
        ):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        self.result = plain(QLabel(self))
        self.result.setObjectName("township_message")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        upper = QWidget(self)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(pick)
        upper_layout.addWidget(self.source)
        upper_layout.addWidget(self.check)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addLayout(buttons)
        upper_layout.addWidget(self.result)
        self.completeness = CompletenessPanel(self._worker, self._lang, self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(upper)
        splitter.addWidget(self.completeness)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.fetch_button.clicked.connect(self.fetch)
        self.event_combo.currentIndexChanged.connect(self._on_choice)
        self.stage.currentIndexChanged.connect(self._on_choice)
        self.adjust_button.clicked.connect(self.ask_adjustment)
        self.submit_button.clicked.connect(self.ask_submit)
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self._show_report(None)

    # --- choosing and fetching -------------------------------------------------------------

    @property
    def report(self) -> TownshipReport | None:
        """The report shown."""
        return self.model.report

    def set_events(self, events: Sequence[EventSummary]) -> None:
        """Offer ``events``; keep the choice, or pick the newest when none was made."""
        current = self.event_combo.currentData()
        self.event_combo.blockSignals(True)
        try:
            self.event_combo.clear()
            for event in events:
                self.event_combo.addItem(
                    f"{event.name} · {local_time_text(event.occurred_at)}", event.event_uuid
                )
            index = self.event_combo.findData(current) if current else -1
        finally:
            self.event_combo.blockSignals(False)
        if index >= 0:
            self.event_combo.blockSignals(True)
            self.event_combo.setCurrentIndex(index)
            self.event_combo.blockSignals(False)
        elif events:
            self.event_combo.setCurrentIndex(0)  # fetches
        else:
            self.event_combo.setCurrentIndex(-1)

    def choose(self, event_uuid: str, stage: ReportStage) -> None:
        """Pick an event and stage (and fetch)."""
        self.event_combo.blockSignals(True)
        self.event_combo.setCurrentIndex(self.event_combo.findData(event_uuid))
        self.event_combo.blockSignals(False)
        self.stage.blockSignals(True)
        self.stage.setCurrentIndex(self.stage.findData(stage.value))
        self.stage.blockSignals(False)
        self._on_choice()

    def _on_choice(self) -> None:
        self.completeness.set_event(self.event_combo.currentData())
        self.fetch()

    def fetch(self) -> None:
        """Fetch the chosen event's and stage's report on the ``network`` lane."""
        event_uuid = self.event_combo.currentData()
        if not event_uuid:
            return
        stage = ReportStage(self.stage.currentData())
        self.source.setText(self.tr("Fetching the township report from the server…"))
        self.source.setStyleSheet("")

        def load(store: ReportStore) -> ReportAnswer:
            return request_report(store, event_uuid, stage)

        self._worker.fetch_then_save(
            load,
            save_report,
            on_done=self._show_report,
            on_error=self._fetch_failed,
            owner=self,
            key=self._key,
        )

    def _on_changed(self, changes: Changes) -> None:
        """Something the view shows changed: fetch again now if shown, else when shown.

        The figures follow the township's approvals and adjustments (``township``, and
        ``review``: a decision recorded here goes out with the next round); the completeness
        panel also follows the roster (``duty``: who is on duty for a village).
        """
        if changes.source is self or not (changes.township or changes.review or changes.duty):
            return
        self._stale = True
        if self.isVisible():
            self._fetch_stale()

    @override
    def showEvent(self, event: QShowEvent) -> None:
        """Fetch what went stale while another tab was shown."""
        super().showEvent(event)
        if self._stale:
            self._fetch_stale()

    def _fetch_stale(self) -> None:
        self._stale = False
        if self.event_combo.currentData():
            self.fetch()
        self.completeness.refresh()

    def _fetch_failed(self, exc: BaseException) -> None:
        self._show_report(None)
        if isinstance(exc, ReviewUnavailableError) or user_message(exc, self._lang):
            self.source.setText(user_message(exc, self._lang) or str(exc))
            self.source.setStyleSheet(f"color: {ERROR_COLOR};")
        else:
            self.source.setText("")
            self._errors.show_error(exc)

    # --- showing ---------------------------------------------------------------------------

    def _show_report(self, report: TownshipReport | None) -> None:
        self.model.set_report(report)
        live = report is not None and not report.from_cache
        for button in (self.xlsx_button, self.csv_button, self.pdf_button):
            button.setEnabled(report is not None)
        self.adjust_button.setEnabled(live)
        self.submit_button.setEnabled(live and report is not None and not report.submitted)
        if report is None:
            self.source.setText(
                self.tr("Choose an event and a stage to see the township's figures.")
            )
            self.source.setStyleSheet("")
            self.check.clear()
            return
        self.source.setText(self._source_text(report))
        warn = report.from_cache or report.county_decision == "return"
        self.source.setStyleSheet(f"color: {WARNING_COLOR};" if warn else "")
        self._show_check(report)
        self.table.resizeColumnsToContents()
        self.report_shown.emit(report)

    def _source_text(self, report: TownshipReport) -> str:
        head = self.tr("{township} · {event} · {stage}: {n} approved village report(s).").format(
            township=report.township_name,
            event=report.event_name,
            stage=stage_label(report.stage, self._lang),
            n=len(report.villages),
        )
        when = local_time_text(report.fetched_at)
        if report.from_cache:
            tail = self.tr(
                "Offline: this is the copy fetched at {time}; adjusting and "
                "submitting need the server."
            ).format(time=when)
        else:
            tail = self.tr("Fetched from the server at {time}.").format(time=when)
        if report.county_decision == "return":
            tail += " " + self.tr(
                "The county returned the report submitted upward: {reason} Correct it and "
                "submit again."
            ).format(reason=report.county_reason)
        elif report.county_decision == "pass":
            tail += " " + self.tr("The county passed the report submitted upward.")
        elif report.submitted:
            tail += " " + self.tr("Submitted upward with this total.")
        return f"{head} {tail}"

    def _show_check(self, report: TownshipReport) -> None:
        if not report.check_issues:
            self.check.setText(
                self.tr(
                    "✔ Rule 12: the total equals the sum of the approved "
                    "village reports plus the adjustments."
                )
            )
            self.check.setStyleSheet(f"color: {OK_COLOR};")
            return
        errors = any(i.severity is Severity.ERROR for i in report.check_issues)
        lines = [
            f"{'✖' if i.severity is Severity.ERROR else '⚠'} {i.message(self._lang)}"
            for i in report.check_issues
        ]
        self.check.setText("\n".join(lines))
        self.check.setStyleSheet(f"color: {ERROR_COLOR if errors else WARNING_COLOR};")

    def _title(self) -> str:
        report = self.report
        if report is None:
            return ""
        return (
            f"{report.township_name} · {report.event_name} · "
            f"{stage_label(report.stage, self._lang)}"
        )

    def _say(self, text: str, error: bool = False) -> None:
        self.result.setText(text)
        self.result.setStyleSheet(f"color: {ERROR_COLOR};" if error else "")
        self.message.emit(text)

    # --- adjusting and submitting ----------------------------------------------------------

    def ask_adjustment(self) -> None:
        """Open the adjustment dialog; an accepted one is recorded on the server."""
        if self.report is None:
            return
        dialog = AdjustmentDialog(self._lang, self._title(), self)
        dialog.accepted.connect(
            lambda: self.add_adjustment(
                dialog.field_name(), dialog.delta_value() or Decimal(0), dialog.reason_text()
            )
        )
        dialog.finished.connect(dialog.deleteLater)
        self.adjustment_dialog = dialog
        dialog.open()

    def add_adjustment(self, field: str, delta: Decimal, reason: str) -> None:
        """Record an adjustment (online) and show the new report."""
        report = self.report
        if report is None:
            return
        event_uuid, stage = report.event_uuid, report.stage
        self._worker.fetch_then_save(
            lambda store: request_adjustment(store, event_uuid, stage, field, delta, reason),
            save_report,
            on_done=self._adjusted,
            on_error=self._errors.show_error,
            owner=self,
            changes=Changes(township=True),
        )

    def _adjusted(self, report: TownshipReport) -> None:
        self._show_report(report)
        self._say(self.tr("Adjustment recorded."))

    def ask_submit(self) -> None:
        """Ask before submitting the report upward."""
        report = self.report
        if report is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Submit upward"),
            self.tr(
                "Submit the township report of {title} to the county? The county reads it as "
                "the township's figures."
            ).format(title=self._title()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("submit_box")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        yes = box.button(QMessageBox.StandardButton.Yes)
        yes.setText(self.tr("Submit"))
        yes.clicked.connect(self.submit)
        box.finished.connect(box.deleteLater)
        self.submit_box = box
        box.open()

    def submit(self) -> None:
        """Submit the report shown (online); the server refuses a total that no longer adds up."""
        report = self.report
        if report is None:
            return
        self.submit_button.setEnabled(False)
        self._worker.fetch_then_save(
            lambda store: request_submission(store, report),
            save_report,
            on_done=self._submitted,
            on_error=self._submit_failed,
            owner=self,
            changes=Changes(township=True),
        )

    def _submitted(self, report: TownshipReport) -> None:
        self._show_report(report)
        self._say(self.tr("The township report was submitted to the county."))

    def _submit_failed(self, exc: BaseException) -> None:
        self.submit_button.setEnabled(self.report is not None)
        self._errors.show_error(exc)
        if isinstance(exc, TownshipTotalMismatchError):
            self.fetch()  # the figures changed meanwhile: show the server's total

    # --- exporting -------------------------------------------------------------------------

    def export(self, fmt: str, path: str | None = None) -> None:
        """Write the report shown as ``xlsx``, ``pdf`` or ``csv``; ask for the file unless given.

        The national form is made on the ``db`` lane (it reads the villages' narratives and
        ledgers and the filer), then written on the ``files`` lane.
        """
        report = self.report
        if report is None:
            return
        suffix = FORMATS[fmt]
        if path is None:
            suggested = self._export_dir / _file_name(report, self._lang, suffix)
            name_filter = {
                "xlsx": self.tr("Excel workbook (*.xlsx)"),
                "pdf": self.tr("PDF document (*.pdf)"),
            }.get(fmt) or self.tr("CSV file (*.csv)")
            path = self.choose_save_path(
                self, self.tr("Export the township report"), str(suggested), name_filter
            )
            if not path:
                return
            if not path.lower().endswith(suffix):
                path += suffix
        target = path
        job = LongJob(self.tr("Exporting the township report"), self)
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
            lambda store: township_form(store, report),
            on_done=write,
            on_error=job.failed(self._errors.show_error),
            owner=self,
        )

    def _exported(self, path: str) -> None:
        self._export_dir = Path(path).parent
        self._say(self.tr("Exported to {path}").format(path=path))
        self.exported.emit(path)


def write_form(form: NationalForm, path: str, fmt: str) -> None:
    """Write ``form`` as ``pdf`` (Qt printing) or ``xlsx`` / ``csv`` (the core's writers)."""
    if fmt == "pdf":
        write_pdf(form, path)
    else:
        export_form(form, path, fmt)


def _file_name(report: TownshipReport, lang: str, suffix: str) -> str:
    """Return a file name such as "瓦房乡_暴雨_初报_快报表.xlsx" (unsafe characters dropped)."""
    parts = [
        report.township_name,
        report.event_name,
        stage_label(report.stage, lang),
        "快报表" if lang.startswith("zh") else "quick-report",
    ]
    name = "_".join(p for p in parts if p)
    safe = "".join(c if c.isalnum() or c in "-_·" else "_" for c in name)
    return f"{safe}{suffix}"

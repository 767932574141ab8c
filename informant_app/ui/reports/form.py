"""The report form: one window per report version, generated from the contract.

Every change is saved as the draft (debounced, then ``save_draft`` on the worker) and checked
against the shared rules (``check``); each issue is shown beside its field, warnings with a
note input.  Submitting freezes the version (a B filing while A is on duty is asked first);
a submitted version opens read-only.  A report the township returned shows the reason at the
top and each field comment beside its field.  The open events of the area (as last synced)
join the event chooser; a new report defaults to the area's open event (``FormHeader``).

Besides the shared rules the form has two checks of its own, shown in the same places: a
figure input refuses what its indicator does not allow (``figure_input``), at once; and a
submit of an initial report with blank ★ figures is refused, with one key to mend it
(Ctrl+0 fills only the blank ★ figures with 0).  A missing disaster type is not shown as a
problem until the informant has left that field or tried to submit.  After a refused submit
the banner counts what still blocks and follows each fix until nothing does.
"""

from __future__ import annotations

import copy
import itertools
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from informant_app.core.review.service import Decision, DecisionKind
from informant_app.core.store.events_cache import OpenEvent, open_events
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import EventSummary, SubmitResult
from informant_app.ui.common.field_rows import header_label
from informant_app.ui.common.form_values import issue_anchor
from informant_app.ui.common.labels import clock_text
from informant_app.ui.common.plain_text import plain
from informant_app.ui.common.review_labels import field_comment_text
from informant_app.ui.duty.filing_check import FilingCheck, check_filing, filing_question
from informant_app.ui.reports.figure_sections import BLANK_CORE_RULE, FigureSections
from informant_app.ui.reports.form_header import FormHeader
from informant_app.ui.reports.issue_view import IssueBox
from informant_app.ui.reports.ledger_editor import HouseholdEditor, LedgerEditor
from informant_app.ui.reports.narrative_editor import NarrativeEditor
from informant_app.ui.reports.photo_panel import PhotoPanel
from informant_app.ui.tasks.manager import TaskManager
from sync.contract import Division, Issue, ReportStage, Severity, blocking_issues

log = logging.getLogger(__name__)

#: Quiet time after the last keystroke before the draft is saved and checked.
AUTOSAVE_DELAY_MS = 300
#: Fields whose emptiness is not shown as a problem until left once or submitted.
_CHOICES = ("disaster_type", "village_code", "narrative")


class ReportForm(QWidget):
    """A window editing one draft, or showing one submitted version read-only.

    Signals:
        submitted(str): the version was submitted (frozen and queued); carries its uuid.
        closed(str): the window closed, its last autosave queued; carries the version uuid.
        revise_requested(str): "Revise report" was clicked on a returned version; carries the
            report uuid.
    """

    submitted = Signal(str)
    closed = Signal(str)
    revise_requested = Signal(str)

    def __init__(
        self,
        worker: TaskManager,
        lang: str,
        version_uuid: str,
        content: Mapping[str, Any],
        *,
        villages: Sequence[Division],
        events: Sequence[EventSummary],
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """Build the form and show ``content``.

        Args:
            worker: the task manager (saves and checks on its ``db`` lane).
            lang: the UI language ("zh_CN" or "en").
            version_uuid: the draft (or submitted version) shown.
            content: its content in the loose JSON form of ``ReportContent.to_dict``.
            villages: the villages the informant reports for.
            events: the known disaster events, for the event chooser.
            read_only: show a submitted version that can no longer change.
            parent: the main window.
        """
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("report_form")
        self._worker = worker
        self._lang = lang
        self.version_uuid = version_uuid
        self._content = copy.deepcopy(dict(content))
        self._notes: dict[str, str] = dict(self._content.get("notes") or {})
        self._read_only = read_only
        self._dirty = False
        self._saves_pending = 0
        self._submitting = False
        self._submitted = False
        self._issues: list[Issue] = []
        self._store_issues: list[Issue] = []  # the last check or submit of the store
        self._submit_tried = False  # a submit was refused: show everything, keep the banner
        self._touched: set[str] = set()  # header choices the informant has left
        self._was_refused: set[str] = set()  # figures refused at the last render
        self._stale: set[str] = set()  # figures whose store issues predate their fix
        self._edits = 0  # edits so far: a check answers for the edits made before it
        self._decision: Decision | None = None
        self.filing_box: QMessageBox | None = None  # "A is on duty: file as B?"
        self.area_events_loaded = read_only  # the open events of the area are in the chooser

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(AUTOSAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_now)

        self._build(villages, events)
        self._load(self._content)
        self._connect()
        self._set_tab_order()
        self.set_read_only(read_only)
        self._size_to_screen()
        self._render_issues()  # a refused text of the draft is shown at once
        if not read_only:
            self._check()
            self._load_area_events()

    # --- building --------------------------------------------------------------------------

    def _build(self, villages: Sequence[Division], events: Sequence[EventSummary]) -> None:
        self.setWindowTitle(self.tr("Disaster report"))
        self.banner = plain(QLabel(self))
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.summary = IssueBox(self._lang, self)

        self.header = FormHeader(self._lang, villages, events)
        self.sections = FigureSections(self._lang)
        self.narrative = NarrativeEditor(self._lang)
        self.photos = PhotoPanel(self._worker, self.version_uuid, self._lang)
        self.ledger = LedgerEditor(self._lang)
        self.households = HouseholdEditor(self._lang)

        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self._group(self.tr("Report"), self.header))
        column.addWidget(self.sections)
        # a group's mnemonic (Alt+letter) moves the focus to its first input
        column.addWidget(self._group("★ " + self.tr("Situation &narrative"), self.narrative))
        column.addWidget(self._group(self.tr("&Photos"), self.photos))
        self.ledger_group = self._group(
            self.tr("Name le&dger of the dead and missing"), self.ledger
        )
        column.addWidget(self.ledger_group)
        self.households_group = self._group(
            self.tr("&Household ledger of collapsed and damaged houses"), self.households
        )
        column.addWidget(self.households_group)
        column.addStretch(1)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(body)
        # not a stop of its own: it scrolls to whichever input has the focus
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.narrative.edit.setAccessibleName(self.tr("Situation narrative"))
        self.photos.list.setAccessibleName(self.tr("Photos"))
        self.ledger.table.setAccessibleName(self.tr("Name ledger of the dead and missing"))
        self.households.table.setAccessibleName(
            self.tr("Household ledger of collapsed and damaged houses")
        )

        self.save_state = QLabel(self)
        self.revise_button = QPushButton(self.tr("&Revise report"), self)
        self.revise_button.setObjectName("revise_report")
        self.revise_button.setToolTip(self.tr("Make a new version to correct and submit again"))
        self.revise_button.hide()
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("close_form")
        self.submit_button = QPushButton(self.tr("Submit"), self)
        self.submit_button.setObjectName("submit_report")
        self.submit_button.setToolTip(self.tr("Submit the report (Ctrl+Enter)"))
        for button in (self.revise_button, self.close_button, self.submit_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_state, 1)
        buttons.addWidget(self.revise_button)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.submit_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.summary)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(buttons)

    def _group(self, title: str, widget: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        inner = QVBoxLayout(box)
        inner.addWidget(widget)
        return box

    def _connect(self) -> None:
        self.header.changed.connect(self._on_changed)
        self.header.stage_changed.connect(self._on_stage)
        self.sections.changed.connect(self._on_changed)
        self.sections.refusals_changed.connect(self._render_issues)
        self.header.disaster_type.currentIndexChanged.connect(
            lambda _index: self._touch("disaster_type")
        )
        for choice in (self.header.disaster_type, self.header.village, self.narrative.edit):
            choice.installEventFilter(self)
        self.narrative.changed.connect(self._on_changed)
        self.ledger.changed.connect(self._on_changed)
        self.households.changed.connect(self._on_changed)
        self.photos.photos_changed.connect(lambda _count: self._check())
        for box in self._issue_boxes().values():
            box.note_edited.connect(self._on_note)
        self.summary.note_edited.connect(self._on_note)
        self.submit_button.clicked.connect(self.submit)
        self.revise_button.clicked.connect(self._request_revision)
        self.close_button.clicked.connect(self.close)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.submit)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)
        QShortcut(QKeySequence("Ctrl+0"), self, self.fill_blank_core)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and watched is self.header.disaster_type:
            self._touch("disaster_type")
        elif event.type() == QEvent.Type.FocusOut and watched is self.header.village:
            self._touch("village_code")
        elif event.type() == QEvent.Type.FocusOut and watched is self.narrative.edit:
            self._touch("narrative")
        return super().eventFilter(watched, event)

    def _touch(self, field: str) -> None:
        if field not in self._touched:
            self._touched.add(field)
            self._render_issues()

    def fill_blank_core(self) -> None:
        """Enter 0 in every blank ★ figure ("Fill blank ★ with 0", Ctrl+0)."""
        if self._read_only or self._submitted:
            return
        if self.sections.fill_blank_core():
            self._render_issues()

    def _set_tab_order(self) -> None:
        """Make Tab go in field order (Qt skips hidden and disabled inputs).

        Header, the figures section by section, narrative, photos, the two ledgers, notes,
        buttons.
        """
        chain: list[QWidget] = [
            *self.header.focus_chain(),
            *self.sections.focus_chain(),
            self.narrative.edit,
            self.photos.add_button,
            self.photos.remove_button,
            self.photos.list,
            self.ledger.table,
            self.ledger.add_button,
            self.ledger.remove_button,
            self.households.table,
            self.households.add_button,
            self.households.remove_button,
            self.revise_button,
            self.close_button,
            self.submit_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        # notes of the warnings that belong to no single field: after the ledgers, before
        # the buttons
        self.summary.set_anchor(self.households.remove_button)

    def _size_to_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry()
        self.resize(min(1180, available.width() - 40), min(820, available.height() - 60))

    def _load(self, content: Mapping[str, Any]) -> None:
        self.header.load(content)
        self.sections.set_figures(content.get("figures") or {})
        self.narrative.set_text(str(content.get("narrative") or ""))
        self.photos.set_photos(content.get("photos") or [])
        self.ledger.set_entries(content.get("ledger") or [])
        households = content.get("households")
        self.households.set_entries(households if isinstance(households, list) else [])
        self._apply_stage(self.header.current_stage())

    def _load_area_events(self) -> None:
        """Read the cached open events of the area; a new report joins the default one."""
        content = self._content
        new_report = (
            not content.get("disaster_type")
            and not str(content.get("event_name") or "").strip()
            and content.get("stage", ReportStage.INITIAL.value) == ReportStage.INITIAL.value
            and not content.get("submitted_at")
        )
        self.area_events_loaded = False
        self._worker.run(
            open_events,
            on_done=lambda events: self._show_area_events(events, bool(new_report)),
            owner=self,
        )

    def _show_area_events(self, events: Sequence[OpenEvent], new_report: bool) -> None:
        if not self._read_only and not self._submitted:
            self.header.set_area_events(events, new_report=new_report)
        self.area_events_loaded = True

    # --- access for the window and tests ---------------------------------------------------

    @property
    def read_only(self) -> bool:
        """Whether the form shows a submitted version."""
        return self._read_only

    @property
    def issues(self) -> list[Issue]:
        """The issues of the last check or submit attempt."""
        return list(self._issues)

    def is_saved(self) -> bool:
        """Whether every edit has reached the store (no timer running, no save pending)."""
        return (
            not self._dirty
            and not self._save_timer.isActive()
            and self._saves_pending == 0
            and not self.photos.busy
        )

    def issue_box(self, anchor: str) -> IssueBox:
        """Return the issue box beside ``anchor`` (a field name, "photos", "ledger" …)."""
        return self._issue_boxes().get(anchor, self.summary)

    def content(self) -> dict[str, Any]:
        """Return the content as it stands in the form."""
        content = copy.deepcopy(self._content)
        content.update(self.header.values())
        content["figures"] = self.sections.figures()
        content["narrative"] = self.narrative.text()
        content["notes"] = {k: v.strip() for k, v in self._notes.items() if v.strip()}
        content["ledger"] = self.ledger.entries()
        content["households"] = self.households.entries()
        content["submitted_at"] = None
        return content

    def set_read_only(self, read_only: bool) -> None:
        """Lock or unlock every input."""
        self._read_only = read_only
        self.header.set_read_only(read_only)
        self.sections.set_read_only(read_only)
        self.narrative.set_read_only(read_only)
        self.photos.set_read_only(read_only)
        self.ledger.set_read_only(read_only)
        self.households.set_read_only(read_only)
        self.summary.set_read_only(read_only)
        self.submit_button.setVisible(not read_only)
        if read_only:
            self._show_banner(
                self.tr(
                    "This version was submitted and can no longer be changed. To correct it, "
                    "choose Revise in the report list."
                ),
                "info",
            )

    # --- saving and checking ---------------------------------------------------------------

    def _on_changed(self) -> None:
        if self._read_only:
            return
        self._dirty = True
        self._edits += 1
        self.save_state.setText(self.tr("Editing…"))
        self._save_timer.start()

    def _on_note(self, key: str, text: str) -> None:
        self._notes[key] = text
        self._on_changed()

    def _on_stage(self, stage: str) -> None:
        self._apply_stage(ReportStage(stage))

    def _apply_stage(self, stage: ReportStage) -> None:
        self.narrative.set_limited(stage is ReportStage.INITIAL)
        self.ledger_group.setVisible(stage is ReportStage.VERIFIED or bool(self.ledger.entries()))
        self.households_group.setVisible(
            stage is ReportStage.VERIFIED or bool(self.households.entries())
        )

    def save_now(self, *, check: bool = True) -> None:
        """Queue the autosave at once (and a check after it)."""
        self._save_timer.stop()
        if self._read_only or self._submitted:
            return
        content = self.content()
        version_uuid = self.version_uuid
        self._dirty = False
        self._saves_pending += 1
        # save_draft keeps the stored photo list: photos change only through add_photo and
        # remove_photo, so an autosave queued before a photo arrived never detaches it.
        self._worker.run(
            lambda store: store.save_draft(version_uuid, content),
            on_done=self._on_saved,
            on_error=self._on_save_failed,
            owner=self,
        )
        if check:
            self._check()

    def _on_saved(self, _result: object) -> None:
        self._saves_pending -= 1
        if self._saves_pending == 0 and not self._dirty:
            self.save_state.setText(
                self.tr("Saved at {time}").format(time=clock_text(datetime.now()))
            )

    def _on_save_failed(self, exc: BaseException) -> None:
        self._saves_pending -= 1
        self._dirty = True
        self.save_state.setText(self.tr("Not saved"))
        self._worker.failed.emit(exc)

    def _check(self) -> None:
        version_uuid = self.version_uuid
        edits = self._edits
        self._worker.run(
            lambda store: store.check(version_uuid),
            on_done=lambda issues: self._show_issues(issues, edits),
            owner=self,
        )

    def _issue_boxes(self) -> dict[str, IssueBox]:
        """Every issue box in form order, by the field it stands beside."""
        boxes: dict[str, IssueBox] = dict(self.header.issue_boxes)
        boxes.update({name: f.issues for name, f in self.sections.fields.items()})
        boxes["narrative"] = self.narrative.issues
        boxes["photos"] = self.photos.issues
        boxes["ledger"] = self.ledger.issues
        boxes["households"] = self.households.issues
        return boxes

    def _focus_targets(self) -> dict[str, QWidget]:
        header = self.header
        targets: dict[str, QWidget] = {
            "stage": header.stage,
            "village_code": header.village,
            "event_uuid": header.event_combo,
            "event_name": header.event_name,
            "disaster_type": header.disaster_type,
            "disaster_subtype": header.subtype,
            "occurred_at": header.occurred_at,
            "data_cutoff_at": header.data_cutoff_at,
            "latitude": header.latitude,
            "longitude": header.longitude,
            "emergency_response": header.emergency_response,
            "event_stable": header.event_stable,
        }
        targets.update({name: f.edit for name, f in self.sections.fields.items()})
        targets.update(
            {
                "narrative": self.narrative.edit,
                "photos": self.photos.add_button,
                "ledger": self.ledger.table,
                "households": self.households.table,
            }
        )
        return targets

    def _show_issues(self, issues: Sequence[Issue], edits: int | None = None) -> None:
        """Show the store's issues; ``edits``: the edit count when the check was asked."""
        self._store_issues = list(issues)
        if edits is None or edits == self._edits:
            self._stale.clear()  # the check saw every edit
        self._render_issues()

    def _local_issues(self) -> list[Issue]:
        """The form's own issues: refused figure inputs; blank ★ figures after a submit."""
        issues = self.sections.refusal_issues()
        if self._submit_tried and self.header.current_stage() is ReportStage.INITIAL:
            text = self.tr("★ figure left blank: enter 0 if none (Ctrl+0 fills every blank ★)")
            refused = set(self.sections.refusals())
            issues += [
                Issue(BLANK_CORE_RULE, Severity.ERROR, f"figures.{name}", text, text)
                for name in self.sections.blank_core()
                if name not in refused
            ]
        return issues

    def _shown_store_issue(self, issue: Issue, refused: set[str]) -> Issue | None:
        """Return a store issue as the form shows it, or ``None`` to leave it out."""
        anchor = issue_anchor(issue.field)
        if anchor in refused:
            return None  # the input's own refusal says it better
        if issue.field not in _CHOICES or issue.rule != "R0" or not self._is_empty(anchor):
            return issue
        if not self._submit_tried and anchor not in self._touched:
            return None  # nothing entered yet is not a mistake yet
        if anchor == "disaster_type":
            text = self.tr("Choose the disaster type")
        elif anchor == "village_code":
            text = self.tr("Choose the village")
        else:
            return issue
        return Issue(issue.rule, issue.severity, issue.field, text, text)

    def _is_empty(self, field: str) -> bool:
        if field == "disaster_type":
            return not self.header.disaster_type.currentData()
        if field == "village_code":
            return not self.header.village.currentData()
        return not self.narrative.text().strip()

    def _render_issues(self) -> None:
        """Show the store's issues with the form's own beside their fields."""
        refused = {issue_anchor(i.field) for i in self.sections.refusal_issues()}
        self._stale |= self._was_refused - refused  # fixed: the store has not seen it yet
        self._was_refused = refused
        refused = refused | self._stale  # a new set: _was_refused stays as it is
        local = self._local_issues()
        shown = [
            found
            for issue in self._store_issues
            if (found := self._shown_store_issue(issue, refused)) is not None
        ]
        issues = sorted([*local, *shown], key=lambda i: i.severity is not Severity.ERROR)
        self._issues = issues
        boxes = self._issue_boxes()
        grouped: dict[str, list[Issue]] = {}
        for issue in issues:
            grouped.setdefault(issue_anchor(issue.field), []).append(issue)
        for anchor, box in boxes.items():
            box.set_issues(grouped.pop(anchor, []), self._notes)
        self.summary.set_issues([i for rest in grouped.values() for i in rest], self._notes)
        if (
            self._submit_tried
            and not self._submitted
            and self.banner.property("kind") in ("error", "fixed")
        ):
            self._show_refusal(blocking_issues(issues, self._notes), focus=False)

    def _field_label(self, anchor: str) -> str:
        if anchor in self.sections.fields:
            return self.sections.label_of(anchor)
        return header_label(anchor)

    def _show_refusal(self, blocking: Sequence[Issue], *, focus: bool) -> None:
        """Say what still blocks the submit (never "0 others"); focus the first one."""
        if not blocking:
            self._show_banner(
                self.tr("Everything marked is fixed: submit again (Ctrl+Enter)."), "fixed"
            )
            return
        blank = sum(1 for i in blocking if i.rule == BLANK_CORE_RULE)
        errors = sum(1 for i in blocking if i.severity is Severity.ERROR) - blank
        warnings = len(blocking) - errors - blank
        order = list(self._issue_boxes())
        anchors = [issue_anchor(i.field) for i in blocking]
        first = min(anchors, key=lambda a: order.index(a) if a in order else len(order))
        parts: list[str] = []
        if errors:
            parts.append(self.tr("{n} problem(s) marked in red").format(n=errors))
        if blank:
            parts.append(
                self.tr("{n} blank ★ figure(s) (Ctrl+0 fills them with 0)").format(n=blank)
            )
        if warnings:
            parts.append(self.tr("{n} warning(s) without a note").format(n=warnings))
        text = self.tr("Not submitted: {parts}. First: {field}.").format(
            parts=self.tr("; ").join(parts), field=self._field_label(first)
        )
        self._show_banner(text, "error")
        if focus:
            self._focus_first(blocking)

    # --- the township's decision -------------------------------------------------------------

    @property
    def decision(self) -> Decision | None:
        """The township's decision shown on this form, if any."""
        return self._decision

    def show_decision(self, decision: Decision) -> None:
        """Show why the township returned this report (or that it approved it).

        The reason goes in the banner; each field comment beside its field (comments on
        fields the form does not show go in the box at the top).
        """
        self._decision = decision
        comments = {issue_anchor(key): text for key, text in decision.field_comments.items()}
        boxes = self._issue_boxes()
        for anchor, box in boxes.items():
            box.set_review_comment(comments.get(anchor, ""))
        others = [
            field_comment_text(key, text, self._lang)
            for key, text in decision.field_comments.items()
            if issue_anchor(key) not in boxes
        ]
        self.summary.set_review_comment("\n".join(others))
        returned = decision.kind is DecisionKind.RETURN
        self.revise_button.setVisible(returned and self._read_only)
        if not returned:
            self._show_banner(
                self.tr("Approved by the township ({who}): these figures are frozen.").format(
                    who=decision.decided_by
                ),
                "info",
            )
            return
        if self._read_only:
            hint = self.tr("Choose “Revise report” to correct it and submit again.")
        else:
            hint = self.tr("Correct the fields marked “Township” and submit again.")
        self._show_banner(
            self.tr("Returned by the township ({who}): {reason}").format(
                who=decision.decided_by, reason=decision.reason
            )
            + "\n"
            + hint,
            "returned",
        )
        targets = self._focus_targets()
        first = next((targets[a] for a in boxes if a in comments and a in targets), None)
        if first is not None:
            self.scroll_area.ensureWidgetVisible(first, 40, 120)

    def _request_revision(self) -> None:
        report_uuid = str(self._content.get("report_uuid") or "")
        if report_uuid:
            self.revise_requested.emit(report_uuid)
            self.close()

    # --- submitting --------------------------------------------------------------------------

    def submit(self) -> None:
        """Save the form and submit it; a refusal shows its reasons beside the fields.

        A B filing while A is on duty is asked first (``filing_check``): "Yes" files, "No"
        returns to the form.
        """
        if self._read_only or self._submitting or self._submitted:
            return
        self._submitting = True
        self.submit_button.setEnabled(False)
        village = str(self.header.values().get("village_code") or "")
        self._worker.run(
            lambda store: check_filing(store, village),
            on_done=self._on_filing_checked,
            on_error=self._on_check_failed,
            owner=self,
        )

    def _on_filing_checked(self, check: FilingCheck) -> None:
        if not check.needs_confirmation:
            self._submit_now()
            return
        box = filing_question(self, check)
        box.finished.connect(lambda _result: self._forget_box(box))
        box.button(QMessageBox.StandardButton.Yes).clicked.connect(self._submit_now)
        box.rejected.connect(self._submit_declined)
        box.button(QMessageBox.StandardButton.No).clicked.connect(self._submit_declined)
        self.filing_box = box
        box.open()

    def _forget_box(self, box: QMessageBox) -> None:
        if self.filing_box is box:
            self.filing_box = None
        box.deleteLater()

    def _on_check_failed(self, exc: BaseException) -> None:
        """The duty check never blocks filing: log it and submit."""
        log.warning("the filing-role check failed; submitting anyway", exc_info=exc)
        self._submit_now()

    def _submit_declined(self) -> None:
        if self._submitting and not self._submitted:
            self._submitting = False
            self.submit_button.setEnabled(True)

    def _submit_now(self) -> None:
        """Save the form and submit it (after the filing-role check)."""
        if self._read_only or self._submitted:
            return
        self._submitting = True
        self.submit_button.setEnabled(False)
        self._save_timer.stop()
        self.sections.show_all_refusals()
        content = self.content()
        version_uuid = self.version_uuid
        self._dirty = False
        self._saves_pending += 1
        if self.sections.refusals() or (
            self.header.current_stage() is ReportStage.INITIAL and self.sections.blank_core()
        ):
            # the form's own checks refuse: save what was typed, check it, never submit

            def save_and_check(store: ReportStore) -> list[Issue]:
                store.save_draft(version_uuid, content)
                return store.check(version_uuid)

            self._worker.run(
                save_and_check,
                on_done=self._on_refused_here,
                on_error=self._on_submit_failed,
                owner=self,
            )
            return

        def save_and_submit(store: ReportStore) -> SubmitResult:
            store.save_draft(version_uuid, content)
            return store.submit(version_uuid)

        self._worker.run(
            save_and_submit,
            on_done=self._on_submit_result,
            on_error=self._on_submit_failed,
            owner=self,
        )

    def _on_submit_result(self, result: SubmitResult) -> None:
        self._saves_pending -= 1
        self._submitting = False
        if result.ok:
            self._submitted = True
            self.submitted.emit(self.version_uuid)
            self.close()
            return
        self.submit_button.setEnabled(True)
        self._refused(result.issues)

    def _on_refused_here(self, issues: list[Issue]) -> None:
        self._saves_pending -= 1
        self._submitting = False
        self.submit_button.setEnabled(True)
        self._refused(issues)

    def _refused(self, issues: Sequence[Issue]) -> None:
        self._submit_tried = True
        self._show_issues(issues)
        self._show_refusal(blocking_issues(self._issues, self._notes), focus=True)

    def _on_submit_failed(self, exc: BaseException) -> None:
        self._saves_pending -= 1
        self._submitting = False
        self.submit_button.setEnabled(True)
        self._worker.failed.emit(exc)

    def _focus_first(self, blocking: Sequence[Issue]) -> None:
        anchors = {issue_anchor(i.field) for i in blocking}
        targets = self._focus_targets()
        for anchor, box in self._issue_boxes().items():
            if anchor not in anchors:
                continue
            target: QWidget = targets[anchor]
            mine = [i for i in blocking if issue_anchor(i.field) == anchor]
            if all(i.severity.value == "warning" for i in mine):
                target = box.note_edit(mine[0].key) or target
            body = self.scroll_area.widget()
            layout = body.layout() if body is not None else None
            if layout is not None:
                layout.activate()  # the messages just set have their place
            # the message below the field first, then the field: both end up in view
            self.scroll_area.ensureWidgetVisible(box, 40, 40)
            self.scroll_area.ensureWidgetVisible(target, 40, 40)
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.scroll_area.ensureVisible(0, 0)

    def _show_banner(self, text: str, kind: str) -> None:
        colors = {
            "error": ("#fdecea", "#b71c1c"),
            "fixed": ("#e6f4ea", "#1e4620"),
            "info": ("#e8f0fe", "#174ea6"),
            "returned": ("#fbe9e7", "#bf360c"),
        }
        background, foreground = colors[kind]
        self.banner.setStyleSheet(
            f"background: {background}; color: {foreground}; padding: 6px; border-radius: 4px;"
        )
        self.banner.setText(text)
        self.banner.setProperty("kind", kind)
        self.banner.show()

    # --- closing -----------------------------------------------------------------------------

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        if (
            not self._read_only
            and not self._submitted
            and (self._dirty or self._save_timer.isActive())
        ):
            self.save_now(check=False)
        self.closed.emit(self.version_uuid)
        super().closeEvent(event)

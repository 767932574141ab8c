"""A village informant's own duty: the banner, and marking oneself off duty and back.

Who is on duty is worked out from the local store on the task manager's ``db`` lane (``my_duty``,
``duty_alerts``) every minute and after each sync round, so the banner stays right offline.
Marking oneself off duty or back needs the server and runs on its ``network`` lane.

An event the township opens for the village is told at once (not only at half time): the round
that brings it refreshes the banner, which gets a line for it, and a notice (status bar and a
small window with "File the initial report") is shown once per event and village on this
device (remembered in the store).  Duty → Who is on duty shows each post's A and B and who is
on duty now, why and since when.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget
from shiboken6 import isValid

from informant_app.core.duty import online as duty_online
from informant_app.core.duty import service as duty
from informant_app.core.duty.types import DutyAlert, MyDuty, NewEvent, OnDutyNow
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import Draft
from informant_app.core.sync.types import Account, RoundSummary
from informant_app.ui.common.errors import ErrorPresenter
from informant_app.ui.common.labels import local_time_text
from informant_app.ui.duty.absence_dialog import AbsenceDialog, AbsentPost
from informant_app.ui.duty.banner import DutyBanner
from informant_app.ui.duty.event_notice import NewEventNotice
from informant_app.ui.duty.on_duty_dialog import OnDutyDialog
from informant_app.ui.sync.controller import SyncController
from informant_app.ui.tasks.manager import Changes, TaskKey, TaskManager

#: How often the banner is worked out again.
REFRESH_MS = 60_000
#: The role that files village reports and gets the banner.
INFORMANT_ROLE = "village_informant"
#: The managers whose banner shows the server's alerts (late units, deaths and missing).
MANAGER_ROLES = frozenset({"township_reviewer", "county_admin", "city_admin"})


class InformantDuty(QObject):
    """Owns the duty banner and the "off duty" / "back on duty" actions of an informant.

    Signals:
        shown(): the banner was worked out again.
        dialog_opened(object): the absence dialog or a question was opened; carries it.
        message(str): a sentence for the status bar.
        notice_shown(object): a new event was told; carries the ``NewEventNotice``.
        draft_ready(object): a draft was started from a notice or the banner; carries the
            ``Draft`` for the window to open (``MainWindow._open_draft``).
    """

    shown = Signal()
    dialog_opened = Signal(object)
    message = Signal(str)
    notice_shown = Signal(object)
    draft_ready = Signal(object)

    def __init__(
        self,
        window: QWidget,
        worker: TaskManager,
        lang: str,
        errors: ErrorPresenter,
        sync: SyncController | None,
    ) -> None:
        """Build the banner (hidden) and the actions (hidden until an informant signs in).

        Args:
            window: the main window (the banner's and the dialogs' parent).
            worker: the task manager (the duty is read on its ``db`` lane; marking oneself
                off duty or back goes to the server on ``network``).
            lang: the UI language.
            errors: shows failures.
            sync: its rounds refresh the banner.
        """
        super().__init__(window)
        self._window = window
        self._worker = worker
        self._lang = lang
        self._errors = errors
        self._active = False
        self._informant = False
        self._key = TaskKey("informant duty")
        self.duties: list[MyDuty] = []
        self.news: list[NewEvent] = []
        self.notices: list[NewEventNotice] = []
        self.on_duty_dialog: OnDutyDialog | None = None
        self._told: set[str] = set()  # told in this session, before the store remembers it
        self.menu: QMenu | None = None  # the window's Duty menu, shown for an informant
        self.banner = DutyBanner(lang, window)
        self.banner.acknowledged.connect(self.acknowledge)
        self.banner.file_requested.connect(self.file_initial)
        self.act_off_duty = QAction(self.tr("Mark me &off duty…"), window)
        self.act_off_duty.setToolTip(
            self.tr("You are on leave, away or unreachable for a time; your B is on duty meanwhile")
        )
        self.act_off_duty.triggered.connect(self.ask_off_duty)
        self.act_back = QAction(self.tr("I am &back on duty"), window)
        self.act_back.triggered.connect(self.ask_back)
        self.act_refresh = QAction(self.tr("&Who is on duty"), window)
        self.act_refresh.setToolTip(
            self.tr("Show who is on duty at your posts now, why and since when")
        )
        self.act_refresh.triggered.connect(self.show_on_duty)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        if sync is not None:
            sync.round_finished.connect(self._after_round)
        self._update_actions()

    def actions(self) -> list[QAction]:
        """Return the actions of the Duty menu."""
        return [self.act_off_duty, self.act_back, self.act_refresh]

    @property
    def active(self) -> bool:
        """Whether an informant is signed in (the banner is kept up to date)."""
        return self._active

    def set_account(self, account: Account | None) -> None:
        """Follow the account signed in: an informant gets the banner and the actions.

        A township reviewer, county or city admin gets the banner with the server's alerts
        (late townships, counties and the city; deaths and missing persons) only.
        """
        role = account.role if account is not None else None
        self._informant = role == INFORMANT_ROLE
        self._active = self._informant or role in MANAGER_ROLES
        if self._active:
            self.refresh()
            self.timer.start()
        else:
            self.timer.stop()
            self.duties = []
            self.news = []
            self.banner.show_duty([], [])
        self._update_actions()

    # --- the banner ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Work out the duty and the alerts on the ``db`` lane."""
        if not self._active:
            return

        informant = self._informant

        def load(store: ReportStore) -> tuple[list[MyDuty], list[DutyAlert], list[NewEvent]]:
            if informant:
                return duty.my_duty(store), duty.duty_alerts(store), duty.new_events(store)
            alerts = duty.duty_alerts(store)
            return [], [a for a in alerts if a.level != "village" or a.acknowledgeable], []

        self._worker.run(
            load,
            on_done=lambda result: self._arrived(*result),
            on_error=self._errors.show_error,
            owner=self,
            key=self._key,
        )

    def _arrived(self, duties: list[MyDuty], alerts: list[DutyAlert], news: list[NewEvent]) -> None:
        if not self._active:
            return
        self.show(duties, alerts, news)
        self.tell(news)

    def show(
        self,
        duties: Sequence[MyDuty],
        alerts: Sequence[DutyAlert],
        news: Sequence[NewEvent] = (),
    ) -> None:
        """Show ``duties``, ``alerts`` and new events (pure view: tests feed it directly)."""
        self.duties = list(duties)
        self.news = list(news)
        self.banner.show_duty(duties, alerts, news)
        self._update_actions()
        self.shown.emit()

    # --- a newly opened event ----------------------------------------------------------------

    def tell(self, news: Sequence[NewEvent]) -> None:
        """Tell the events not yet told on this device: status bar and notice, then remember."""
        fresh = [n for n in news if not n.told and n.key not in self._told]
        if not fresh:
            return
        self._told |= {n.key for n in fresh}
        self.notices = [n for n in self.notices if isValid(n) and n.isVisible()]
        for entry in fresh:
            notice = NewEventNotice(entry, self._lang, self._window)
            notice.file_requested.connect(self.file_initial)
            notice.show_beside(self._window, len(self.notices))
            self.notices.append(notice)
            self.notice_shown.emit(notice)
        first = fresh[0]
        self.message.emit(
            self.tr("New event “{event}” for {village}: file the initial report by {time}.").format(
                event=first.event_name,
                village=first.village_name or first.village_code,
                time=local_time_text(first.due_at),
            )
        )
        keys = [n.key for n in fresh]
        self._worker.run(
            lambda store: duty.mark_told(store, keys),
            on_error=self._errors.show_error,
            owner=self,
        )

    def file_initial(self, event_uuid: str, village_code: str) -> None:
        """Start the village's initial report of the event; the window opens it."""
        self._worker.run(
            lambda store: duty.new_initial_report(store, event_uuid, village_code),
            on_done=self._draft_made,
            on_error=self._errors.show_error,
            owner=self,
            changes=Changes(reports=True),
        )

    def _draft_made(self, draft: Draft) -> None:
        self.draft_ready.emit(draft)

    # --- who is on duty ----------------------------------------------------------------------

    def show_on_duty(self) -> None:
        """Work the duty out again from the store and show who is on duty at my posts."""
        self.refresh()
        self._worker.run(
            duty.on_duty_now,
            on_done=self._open_on_duty,
            on_error=self._errors.show_error,
            owner=self,
        )

    def _open_on_duty(self, entries: list[OnDutyNow]) -> None:
        old = self.on_duty_dialog
        if old is not None:
            old.close()
        dialog = OnDutyDialog(entries, self._window)
        dialog.finished.connect(dialog.deleteLater)
        self.on_duty_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

    def _after_round(self, _summary: RoundSummary) -> None:
        # The round pulled the village's roster, absences, openings and filings: the device
        # judges its deadlines from them, with no further request per round.
        if self._informant:
            self.refresh()
        elif self._active:  # a manager: the server's alerts, as it judges them now
            from informant_app.ui.duty.workspace import refresh_duty_then  # a manager's pages

            refresh_duty_then(self._worker, _summary, self, self.refresh)

    def acknowledge(self, alert_id: str) -> None:
        """Remember on this device that the alert was seen, then show the banner again."""
        self._worker.run(
            lambda store: duty.acknowledge_alert(store, alert_id),
            on_done=lambda _r: self.refresh(),
            on_error=self._errors.show_error,
            owner=self,
        )

    def _update_actions(self) -> None:
        for action in self.actions():
            action.setVisible(self._informant)
        if self.menu is not None:
            self.menu.menuAction().setVisible(self._informant)
        self.act_off_duty.setEnabled(bool(self._own_posts(absent=False)))
        self.act_back.setEnabled(bool(self._own_posts(absent=True)))

    def _own_posts(self, absent: bool) -> list[MyDuty]:
        """Return the posts where I am A (off duty now when ``absent``, else on duty)."""
        return [d for d in self.duties if d.my_role == "A" and (d.absence is not None) == absent]

    # --- off duty and back -----------------------------------------------------------------

    def ask_off_duty(self) -> None:
        """Open the absence dialog for my A posts."""
        posts = [
            AbsentPost(d.post_code, d.post_name or d.post_code, "")
            for d in self._own_posts(absent=False)
        ]
        if not posts:
            return
        dialog = AbsenceDialog(posts, own=True, parent=self._window)
        dialog.accepted.connect(lambda: self._mark_absent(dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.absence_dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

    def _mark_absent(self, dialog: AbsenceDialog) -> None:
        code, starts, ends = dialog.post_code(), dialog.starts_at(), dialog.ends_at()
        kind, reason = dialog.absence_kind(), dialog.reason_text()
        self._worker.fetch_then_save(
            lambda store: duty_online.fetch_mark_absent(store, code, starts, ends, kind, reason),
            duty_online.save_mark_absent,
            on_done=lambda _a: self._changed(
                self.tr("You are off duty until {time}; your B is on duty.").format(
                    time=local_time_text(ends)
                )
            ),
            on_error=self._errors.show_error,
            owner=self,
            changes=Changes(duty=True),
        )

    def ask_back(self) -> None:
        """Ask before ending my absence."""
        away = self._own_posts(absent=True)
        if not away:
            return
        entry = away[0]
        absence = entry.absence
        assert absence is not None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Back on duty"),
            self.tr("End your absence at {post} now and take over from B?").format(
                post=entry.post_name or entry.post_code
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self._window,
        )
        box.setObjectName("back_on_duty_box")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        uuid = absence.absence_uuid
        box.button(QMessageBox.StandardButton.Yes).clicked.connect(
            lambda: self._worker.fetch_then_save(
                lambda store: duty_online.fetch_end_absence(store, uuid),
                duty_online.save_end_absence,
                on_done=lambda _r: self._changed(self.tr("You are on duty again.")),
                on_error=self._errors.show_error,
                owner=self,
                changes=Changes(duty=True),
            )
        )
        box.finished.connect(box.deleteLater)
        self.back_box = box
        box.open()
        self.dialog_opened.emit(box)

    def _changed(self, text: str) -> None:
        self.message.emit(text)
        self.refresh()

"""The informant's duty banner at the top of the main window: on duty or not, and alerts.

One line per post ("You are A of 瓦房村: on duty."); a B standing in for A gets a prominent
line naming A, why and until when; alerts (a village escalated or overdue on an open event,
a post nobody covers) come first, in red, and tell B to file now.  An event the township has
just opened for the village (its initial report not yet due at half time) has a line naming
it, its disaster type and when the initial report is due, with a button to file it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from informant_app.core.duty.types import DutyAlert, MyDuty, NewEvent, WindowStatus
from informant_app.ui.common.duty_labels import NONE_TEXT, absence_why, new_event_text
from informant_app.ui.common.labels import local_time_text

#: Background and text colours of the banner's kinds of line.
STYLES: dict[str, tuple[str, str]] = {
    "alert": ("#fdecea", "#b71c1c"),
    "acting": ("#fff4e5", "#8a4b00"),
    "news": ("#fff8e1", "#6d4c00"),
    "info": ("#e8f0fe", "#174ea6"),
}


def _style(kind: str) -> str:
    background, foreground = STYLES[kind]
    weight = "font-weight: bold;" if kind != "info" else ""
    return (
        f"QLabel {{ background: {background}; color: {foreground}; padding: 5px 8px; "
        f"border-radius: 4px; {weight} }}"
    )


class DutyBanner(QWidget):
    """Shows the signed-in informant's duty; hidden when there is nothing to say.

    A death/missing alert has a button to acknowledge it on this device.

    Signals:
        acknowledged(str): the alert with this id was acknowledged.
        file_requested(str, str): "file the initial report" of an event (uuid) and village.
    """

    acknowledged = Signal(str)
    file_requested = Signal(str, str)

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        """Build the (empty, hidden) banner."""
        super().__init__(parent)
        self.setObjectName("duty_banner")
        self._lang = lang
        self.labels: list[QLabel] = []
        self.rows: list[QWidget] = []
        self.ack_buttons: list[QPushButton] = []
        self.file_buttons: list[QPushButton] = []
        self.news: list[NewEvent] = []
        self.duties: list[MyDuty] = []
        self.alerts: list[DutyAlert] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(6, 4, 6, 0)
        self._layout.setSpacing(3)
        self.hide()

    def show_duty(
        self,
        duties: Sequence[MyDuty],
        alerts: Sequence[DutyAlert],
        news: Sequence[NewEvent] = (),
    ) -> None:
        """Show ``duties`` (one line per post) under ``alerts`` and newly opened events.

        An event's line shows while its initial report is waiting; from half time the alert
        says what is due instead.
        """
        self.duties, self.alerts = list(duties), list(alerts)
        self.news = [n for n in news if n.status is WindowStatus.WAITING]
        for row in self.rows:
            self._layout.removeWidget(row)
            row.deleteLater()
        self.labels, self.rows, self.ack_buttons, self.file_buttons = [], [], [], []
        for alert in self.alerts:
            label = self._add(self.alert_text(alert), "alert", "duty_alert")
            if alert.acknowledgeable:
                self._add_ack(label, alert.alert_id)
        for event in self.news:
            label = self._add(new_event_text(event, self._lang), "news", "duty_new_event")
            self._add_file(label, event)
        acting = [d for d in self.duties if d.my_role == "B" and d.on_duty and d.acting_for_name]
        for entry in acting:
            self._add(self.duty_text(entry), "acting", "duty_acting")
        others = [d for d in self.duties if d not in acting]
        if others:
            self._add("   ·   ".join(self.duty_text(d) for d in others), "info", "duty_info")
        self.setVisible(bool(self.labels))

    def _add(self, text: str, kind: str, name: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setStyleSheet(_style(kind))
        self._layout.addWidget(label)
        self.labels.append(label)
        self.rows.append(label)
        return label

    def _add_ack(self, label: QLabel, alert_id: str) -> None:
        """Put an "acknowledge" button beside ``label`` (one row)."""
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self._layout.removeWidget(label)
        self.rows.remove(label)
        label.setParent(row)
        line.addWidget(label, 1)
        button = QPushButton(self.tr("Acknowledge"), row)
        button.setObjectName("duty_alert_ack")
        button.setToolTip(self.tr("Seen: do not show this alert again on this computer"))
        button.clicked.connect(lambda: self.acknowledged.emit(alert_id))
        line.addWidget(button)
        self._layout.addWidget(row)
        self.rows.append(row)
        self.ack_buttons.append(button)

    def _add_file(self, label: QLabel, entry: NewEvent) -> None:
        """Put a "file the initial report" button beside ``label`` (one row)."""
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self._layout.removeWidget(label)
        self.rows.remove(label)
        label.setParent(row)
        line.addWidget(label, 1)
        button = QPushButton(self.tr("File the initial report"), row)
        button.setObjectName("duty_file_initial")
        button.setToolTip(self.tr("Open a new initial report of this event"))
        event_uuid, village = entry.event_uuid, entry.village_code
        button.clicked.connect(lambda: self.file_requested.emit(event_uuid, village))
        line.addWidget(button)
        self._layout.addWidget(row)
        self.rows.append(row)
        self.file_buttons.append(button)

    def texts(self) -> list[str]:
        """Return the lines shown, top to bottom (for tests)."""
        return [label.text() for label in self.labels]

    # --- the texts -------------------------------------------------------------------------

    def alert_text(self, alert: DutyAlert) -> str:
        """Return an alert with its mark: "⚠ … B, please file now."."""
        return f"⚠ {alert.message(self._lang)}"  # the core's words say what is due and when

    def duty_text(self, entry: MyDuty) -> str:
        """Return one post's line."""
        post = entry.post_name or entry.post_code
        partner = entry.partner_name or NONE_TEXT
        absence = entry.absence
        if entry.my_role == "B":
            if entry.on_duty and entry.acting_for_name:
                if absence is None:
                    return self.tr("Acting for A ({name}) at {post}: A is not on duty.").format(
                        name=entry.acting_for_name, post=post
                    )
                return self.tr("Acting for A ({name}) at {post}: {why}, until {time}.").format(
                    name=entry.acting_for_name,
                    post=post,
                    why=absence_why(absence),
                    time=local_time_text(absence.effective_end),
                )
            if entry.on_duty:
                return self.tr("You are B of {post} and on duty: the post has no A.").format(
                    post=post
                )
            return self.tr("You are B of {post}; A ({name}) is on duty.").format(
                post=post, name=partner
            )
        if entry.on_duty:
            return self.tr("You are A of {post}: on duty.").format(post=post)
        if absence is not None:
            if entry.partner_name:
                return self.tr(
                    "You are A of {post}: off duty ({why}) until {time}; B ({name}) is on duty."
                ).format(
                    post=post,
                    why=absence_why(absence),
                    time=local_time_text(absence.effective_end),
                    name=entry.partner_name,
                )
            return self.tr(
                "You are A of {post}: off duty ({why}) until {time}; the post has "
                "no B, nobody is on duty."
            ).format(
                post=post, why=absence_why(absence), time=local_time_text(absence.effective_end)
            )
        return self.tr("You are A of {post}: not on duty.").format(post=post)

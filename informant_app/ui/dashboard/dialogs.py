"""The dashboard's dialogs: a county or city adjustment, and the event to merge.

``UnitAdjustmentDialog`` is the township's adjustment dialog (an indicator, a signed change,
a required reason) with words for a county or city.  ``MergeDialog`` offers the other open
events of the chosen event's type; the page then asks for a confirmation naming both.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from informant_app.core.dashboard.actions import MergeChoice
from informant_app.ui.common.labels import local_time_text
from informant_app.ui.township.adjustment_dialog import AdjustmentDialog
from sync.contract.wire.events import Event


class UnitAdjustmentDialog(AdjustmentDialog):
    """A county's or the city's reasoned adjustment of its figures (rule 12)."""

    def __init__(self, lang: str, level: str, title: str, parent: QWidget | None = None) -> None:
        """Build the dialog.

        Args:
            lang: the UI language (the indicators' names).
            level: ``county`` or ``city``.
            title: the report adjusted ("隆阳区 · 2026年7月1日隆阳区洪涝 · 初报").
            parent: the Qt parent.
        """
        super().__init__(lang, title, parent)
        self.setObjectName("unit_adjustment_dialog")
        if level == "city":
            self.setWindowTitle(self.tr("Add a city adjustment"))
            intro = self.tr(
                "{title}\nThe city total is the sum of the passed county reports. A difference "
                "the counties do not explain is an adjustment with its reason."
            )
            self.reason.setPlaceholderText(self.tr("Why the city figure differs (required)"))
        else:
            self.setWindowTitle(self.tr("Add a county adjustment"))
            intro = self.tr(
                "{title}\nThe county total is the sum of the passed township reports. A "
                "difference the townships do not explain is an adjustment with its reason."
            )
            self.reason.setPlaceholderText(self.tr("Why the county figure differs (required)"))
        layout = self.layout()
        first = layout.itemAt(0) if layout is not None else None  # the township dialog's intro
        label = first.widget() if first is not None else None
        if isinstance(label, QLabel):
            label.setText(intro.format(title=title))


def event_text(event: Event) -> str:
    """Return an event as listed: its name and local occurrence time."""
    return f"{event.name}（{local_time_text(event.occurred_at or event.opened_at)}）"


class MergeDialog(QDialog):
    """Offers the open events that may merge into the event chosen; OK once one is picked."""

    def __init__(
        self, keep: Event, choices: Sequence[MergeChoice], parent: QWidget | None = None
    ) -> None:
        """Build the dialog.

        Args:
            keep: the event chosen on the dashboard (it stays).
            choices: the other open events of its type, the similar ones first.
            parent: the Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("merge_dialog")
        self.setWindowTitle(self.tr("Merge disaster events"))
        self.keep = keep
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Merge another event into {event}. Its reports keep their event and count in "
                "{event} from then on; it leaves the list of open events. Events of the same "
                "type only."
            ).format(event=event_text(keep)),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget(self)
        self.list.setObjectName("merge_choices")
        for choice in choices:
            text = event_text(choice.event)
            if choice.event.county_name:
                text += f" · {choice.event.county_name}"
            if choice.similar:
                text += " · " + self.tr("similar")
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, choice.event.event_uuid)
        layout.addWidget(self.list, 1)
        if not choices:
            layout.addWidget(
                QLabel(self.tr("No other open event of this type in your jurisdiction."), self)
            )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Merge…"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._events = {c.event.event_uuid: c.event for c in choices}
        self.list.currentRowChanged.connect(lambda _r: self._check())
        if choices:
            self.list.setCurrentRow(0)  # the most similar
        self._check()
        self.resize(560, 360)

    def _check(self) -> None:
        self.ok_button.setEnabled(self.chosen() is not None)

    def choose(self, event_uuid: str) -> None:
        """Pick the event ``event_uuid`` in the list."""
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == event_uuid:
                self.list.setCurrentRow(row)
                return

    def chosen(self) -> Event | None:
        """Return the event picked to merge into the kept one."""
        item = self.list.currentItem()
        if item is None:
            return None
        return self._events.get(str(item.data(Qt.ItemDataRole.UserRole)))

"""A small notice, bottom right of the main window: the township opened an event for the village.

It does not block the window nor take the keyboard from what the informant is typing; its
"File the initial report" button opens the form of that event.  Each event is told once per
device (``informant_duty`` remembers it in the store).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from informant_app.core.duty.types import NewEvent
from informant_app.ui.common.duty_labels import new_event_text
from informant_app.ui.common.labels import disaster_label

#: Room kept between the notice and the window's bottom right corner.
MARGIN = 16
#: The notice's width.
WIDTH = 420


class NewEventNotice(QDialog):
    """Tells that an event was opened for the village, with a button to file its initial report.

    Signals:
        file_requested(str, str): the informant chose to file; the event's uuid and the village.
    """

    file_requested = Signal(str, str)

    def __init__(self, entry: NewEvent, lang: str, parent: QWidget | None = None) -> None:
        """Build the notice (call ``show_beside`` to show it)."""
        super().__init__(parent)
        self.setObjectName("new_event_notice")
        self.setWindowTitle(self.tr("New disaster event"))
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.entry = entry
        heading = QLabel(
            self.tr("New event: {event} ({type})").format(
                event=entry.event_name, type=disaster_label(entry.disaster_type, lang)
            ),
            self,
        )
        heading.setObjectName("new_event_heading")
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setStyleSheet("font-weight: bold;")
        self.text = QLabel(new_event_text(entry, lang), self)
        self.text.setObjectName("new_event_text")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QDialogButtonBox(self)
        self.file_button = QPushButton(self.tr("&File the initial report"), self)
        self.file_button.setObjectName("notice_file_initial")
        self.file_button.setAutoDefault(False)
        self.later_button = QPushButton(self.tr("&Later"), self)
        self.later_button.setObjectName("notice_later")
        self.later_button.setAutoDefault(False)
        buttons.addButton(self.file_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.file_button.clicked.connect(self._file)
        self.later_button.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.setFixedWidth(WIDTH)

    def _file(self) -> None:
        self.file_requested.emit(self.entry.event_uuid, self.entry.village_code)
        self.close()

    def show_beside(self, window: QWidget | None, stack: int = 0) -> None:
        """Show the notice at the bottom right of ``window`` (``stack``: how many are above)."""
        self.adjustSize()
        if window is not None and window.isVisible():
            corner = window.mapToGlobal(QPoint(window.width(), window.height()))
            x = corner.x() - self.width() - MARGIN
            y = corner.y() - (self.height() + MARGIN) * (stack + 1)
            self.move(max(0, x), max(0, y))
        self.show()

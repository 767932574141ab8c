"""The line under the report list: where the selected report stands, in a sentence.

It carries what the list's columns cannot: the server's message for a refused version, what
to do about a conflict, and how many photos the server has received.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from informant_app.core.review.service import ReviewStatus
from informant_app.core.store.types import ReportRow, ReportState
from informant_app.core.sync.types import PhotoProgress
from informant_app.ui.common.labels import ERROR_COLOR, STATE_COLORS
from informant_app.ui.common.plain_text import plain_tooltip
from informant_app.ui.common.review_labels import (
    REVIEW_COLORS,
    row_review_reason,
    row_review_status,
)


class ReportDetailLine(QLabel):
    """A sentence about the selected report (empty without a selection)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("report_detail")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def show_row(
        self, row: ReportRow | None, progress: PhotoProgress | None, message: str | None = None
    ) -> None:
        """Describe ``row`` (``None`` clears the line).

        Args:
            row: the selected report.
            progress: how many of its photos the server holds.
            message: the server's message about it, in the UI language.
        """
        if row is None:
            self.clear()
            self.setToolTip("")
            return
        message = message or row.error_message
        review = row_review_status(row) if row.state is ReportState.RECEIVED else None
        if review is ReviewStatus.RETURNED:
            parts = [self.returned_sentence(row_review_reason(row))]
        elif review is ReviewStatus.APPROVED:
            parts = [
                self.tr(
                    "Approved by the township: these figures are frozen. A later "
                    "change comes as a new continuing report or a new version."
                )
            ]
        else:
            parts = [self.state_sentence(row, message)]
        if progress is not None and progress.total:
            parts.append(
                self.tr("{received} of {total} photos received.").format(
                    received=progress.received, total=progress.total
                )
            )
        text = "  ".join(parts)
        self.setText(text)
        self.setToolTip(plain_tooltip(message or row_review_reason(row)))
        color = (
            ERROR_COLOR
            if row.state is ReportState.ERROR
            else (STATE_COLORS[ReportState.CONFLICT] if row.state is ReportState.CONFLICT else "")
        )
        if review is ReviewStatus.RETURNED:
            color = REVIEW_COLORS[review]
        self.setStyleSheet(f"color: {color};" if color else "")

    def returned_sentence(self, reason: str) -> str:
        """Return what a returned report means for the informant, with the reason."""
        return self.tr(
            "Returned by the township: {reason}. Open it to see the comments, then "
            "choose Revise to correct it and submit again."
        ).format(reason=(reason or self.tr("no reason given")).rstrip("。."))

    def state_sentence(self, row: ReportRow, message: str | None = None) -> str:
        """Return what the report's state means for the informant."""
        match row.state:
            case ReportState.DRAFT:
                return self.tr("Draft: only on this computer until you submit it.")
            case ReportState.QUEUED:
                return self.tr(
                    "Waiting to be sent; it goes out by itself when the server can be reached."
                )
            case ReportState.SENDING:
                return self.tr("Being sent to the server.")
            case ReportState.RECEIVED:
                return self.tr("Received by the server.")
            case ReportState.CONFLICT:
                return self.tr(
                    "Revised on another device at the same time: open it to compare "
                    "the two versions and choose."
                )
            case ReportState.ERROR:
                return self.tr(
                    "The server refused this version: {message}. Revise it, or "
                    "retry if the problem is fixed."
                ).format(message=(message or self.tr("no reason given")).rstrip("。."))

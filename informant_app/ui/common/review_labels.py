"""Display texts of township review: status names and colours, who decided, field names.

Shared by the reviewer's queue and dialogs and by the village's list and form.  Contract data
(indicator labels and units) is picked by language; the app's own words go through Qt's
translator.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from informant_app.core.review.service import (
    DecisionKind,
    DecisionSyncState,
    HistoryEntry,
    ReviewItem,
    ReviewStatus,
)
from informant_app.core.store.types import ReportRow
from informant_app.ui.common.field_rows import HEADER_KEYS, header_label, indicator_label
from informant_app.ui.common.form_values import issue_anchor
from informant_app.ui.common.labels import local_time_text
from sync.contract import INDICATOR_BY_FIELD, INDICATORS
from sync.contract.filing_time import MAX_FILING_AGE, TimeFlag, clock_is_off, clock_words

#: The marker colour of each review status.
REVIEW_COLORS: dict[ReviewStatus, str] = {
    ReviewStatus.PENDING: "#1e88e5",
    ReviewStatus.RETURNED: "#d84315",
    ReviewStatus.APPROVED: "#2e7d32",
}
#: Colour of the "overdue" mark.
OVERDUE_COLOR = "#c62828"
#: Colour of the "waiting to be sent" mark of a decision made here.
QUEUED_COLOR = "#6a1b9a"
#: Background of a figure that changed since the previous report.
CHANGED_BACKGROUND = "#fff3c4"
#: Content keys a comment may name after the indicators.
TRAILING_COMMENT_KEYS: tuple[str, ...] = ("photos", "ledger", "households")


def review_status_label(status: ReviewStatus | str) -> str:
    """Return the translated name of a review status."""
    labels = {
        ReviewStatus.PENDING: QCoreApplication.translate("Review", "Pending review"),
        ReviewStatus.RETURNED: QCoreApplication.translate("Review", "Returned"),
        ReviewStatus.APPROVED: QCoreApplication.translate("Review", "Approved"),
    }
    try:
        return labels[ReviewStatus(status)]
    except ValueError:
        return str(status)


def overdue_label() -> str:
    """Return the mark of a report waiting longer than the review deadline."""
    return QCoreApplication.translate("Review", "Overdue")


def queued_label() -> str:
    """Return the mark of a decision made here that waits to be sent."""
    return QCoreApplication.translate("Review", "To send")


def decision_label(kind: DecisionKind | str) -> str:
    """Return the translated name of a decision."""
    try:
        labels = {
            DecisionKind.APPROVE: QCoreApplication.translate("Review", "Approved"),
            DecisionKind.RETURN: QCoreApplication.translate("Review", "Returned"),
        }
        return labels[DecisionKind(kind)]
    except ValueError:
        return str(kind)


def sync_state_label(state: DecisionSyncState | str) -> str:
    """Return where a decision stands on its way to the server, in words."""
    labels = {
        DecisionSyncState.QUEUED: QCoreApplication.translate("Review", "waiting to be sent"),
        DecisionSyncState.SENT: QCoreApplication.translate("Review", "applied by the server"),
        DecisionSyncState.CONFLICT: QCoreApplication.translate(
            "Review", "not applied: the version was superseded"
        ),
        DecisionSyncState.REJECTED: QCoreApplication.translate("Review", "refused by the server"),
    }
    try:
        return labels[DecisionSyncState(state)]
    except ValueError:
        return str(state)


def history_event_label(event: str) -> str:
    """Return the translated name of a report history event (the key itself when unknown)."""
    labels = {
        "submitted": QCoreApplication.translate("Review", "Submitted"),
        "received": QCoreApplication.translate("Review", "Received by the server"),
        "conflict": QCoreApplication.translate("Review", "Conflict"),
        "returned": QCoreApplication.translate("Review", "Returned"),
        "approved": QCoreApplication.translate("Review", "Approved"),
        "resubmitted": QCoreApplication.translate("Review", "Resubmitted"),
        "rejected": QCoreApplication.translate("Review", "Refused by the server"),
        "decision_queued": QCoreApplication.translate("Review", "Decision waiting to be sent"),
        "decision_conflict": QCoreApplication.translate(
            "Review", "Decision not applied (the version was superseded)"
        ),
        "decision_rejected": QCoreApplication.translate("Review", "Decision refused by the server"),
    }
    return labels.get(event, event)


def signin_text(entry: HistoryEntry) -> str:
    """Return how the device of a version or decision signed in; "" for a password.

    "From a device set up with a code issued by 瓦房乡应急办": the history names every
    set-up-code sign-in (``HistoryEntry.taken_over`` says when a manager's code calls for a
    warning).
    """
    if not entry.by_setup_code:
        return ""
    name = entry.provisioned_by_name or entry.provisioned_by
    if not name:
        return QCoreApplication.translate(
            "Review", "From a device set up with a code issued at the server"
        )
    text = QCoreApplication.translate("Review", "From a device set up with a code issued by {name}")
    return text.format(name=name)


def time_flag_text(entry: HistoryEntry, lang: str) -> str:
    """Return why the server corrected a version's filing time, in words; "" when it did not.

    With a device clock off: "Filing time corrected to the server's clock (the device clock
    was about 3 years fast)"; else why the receipt time was taken.
    """
    return time_flag_words(entry.time_flag, entry.clock_skew_seconds, lang)


def time_flag_words(flag: str | None, skew: float | None, lang: str) -> str:
    """Return why the server corrected a filing time (``flag``), "" when it did not.

    ``skew``: the device clock minus the server's, in seconds, when known.
    """
    if not flag:
        return ""
    if skew is not None and clock_is_off(skew):
        zh, en = clock_words(skew)
        amount = zh if lang.startswith("zh") else en
        if skew > 0:
            text = QCoreApplication.translate(
                "Review",
                "Filing time corrected to the server's clock (the device clock was about "
                "{amount} fast)",
            )
        else:
            text = QCoreApplication.translate(
                "Review",
                "Filing time corrected to the server's clock (the device clock was about "
                "{amount} slow)",
            )
        return text.format(amount=amount)
    if flag == TimeFlag.TOO_OLD:
        text = QCoreApplication.translate(
            "Review",
            "Filing time lay more than {days} days before the server received it: "
            "the receipt time is kept",
        )
        return text.format(days=MAX_FILING_AGE.days)
    return QCoreApplication.translate(
        "Review", "Filing time lay after the server received it: the receipt time is kept"
    )


def time_flag_tooltip(entry: HistoryEntry) -> str:
    """Return the device's claimed filing time and the one the server keeps, for a tooltip."""
    return corrected_time_tooltip(entry.device_time, entry.corrected_time)


def corrected_time_tooltip(claimed: datetime | None, kept: datetime | None) -> str:
    """Return "The device claimed it was filed at …; the server keeps …"."""
    text = QCoreApplication.translate(
        "Review", "The device claimed it was filed at {claimed}; the server keeps {kept}."
    )
    return text.format(claimed=local_time_text(claimed) or "—", kept=local_time_text(kept) or "—")


def queue_time_words(item: ReviewItem, lang: str) -> str:
    """Return why the server corrected a queue line's filing time, "" when it did not.

    A skew-corrected time is the claim moved by the device's skew, so the two give it back.
    """
    skew = None
    if item.time_flag == TimeFlag.SKEW_CORRECTED and item.claimed_at and item.submitted_at:
        skew = (item.claimed_at - item.submitted_at).total_seconds()
    return time_flag_words(item.time_flag, skew, lang)


def role_label(role: str | None) -> str:
    """Return an A/B post role for display ("A角"), "" when unknown."""
    if not role:
        return ""
    return QCoreApplication.translate("Review", "{role} post").format(role=role)


def person_label(name: str, role: str | None) -> str:
    """Return a person with their A/B role, e.g. "张明（A角）"."""
    if not role:
        return name
    text = QCoreApplication.translate("Review", "{name} ({role})")
    return text.format(name=name, role=role_label(role))


def field_label(key: str, lang: str) -> str:
    """Return the name of a commented field: an indicator (with its unit) or a header key."""
    name = issue_anchor(key)
    indicator = INDICATOR_BY_FIELD.get(name)
    if indicator is not None:
        return indicator_label(indicator, lang)
    return header_label(name)


def field_comment_text(key: str, comment: str, lang: str) -> str:
    """Return a field comment with the field's name, e.g. "农作物绝收面积（公顷）：请复核"."""
    text = QCoreApplication.translate("Review", "{field}: {comment}")
    return text.format(field=field_label(key, lang), comment=comment)


def comment_fields(lang: str) -> list[tuple[str, str]]:
    """Return ``(key, label)`` of every field a comment may name, in form order.

    Header keys are content keys; indicators are named by their field name.
    """
    header = [(key, header_label(key)) for key in HEADER_KEYS]
    figures = [(i.field, indicator_label(i, lang)) for i in INDICATORS]
    tail = [(key, header_label(key)) for key in TRAILING_COMMENT_KEYS]
    return [*header, *figures, *tail]


@cache
def review_icon(status: ReviewStatus) -> QIcon:
    """Return a square coloured marker for a review status (GUI thread only)."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(REVIEW_COLORS[status]))
    painter.drawRoundedRect(1, 1, 10, 10, 2, 2)
    painter.end()
    return QIcon(pixmap)


def row_review_status(row: ReportRow) -> ReviewStatus | None:
    """Return the review status of a report list row, if the server has one."""
    if row.review_status is None:
        return None
    try:
        return ReviewStatus(row.review_status)
    except ValueError:
        return None


def row_review_reason(row: ReportRow) -> str:
    """Return the reason of the decision last applied to a report list row, or ""."""
    return row.review_reason or ""

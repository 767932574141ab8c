"""Display texts of A/B duty: filing roles, absence kinds, deadline states, holders, open items.

The contract's enums carry Chinese and English labels; inside Qt the app's own words go through
the translator instead (context ``Duty``), so the .ts file holds them with the rest.  Times are
shown in local time by ``labels.local_time_text``; a state is never told by colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from informant_app.core.duty.types import (
    AbsenceInfo,
    AbsenceKind,
    FilingRole,
    NewEvent,
    PostHolder,
    VillageDeadline,
    WindowState,
    WindowStatus,
)
from informant_app.ui.common.labels import (
    ERROR_COLOR,
    WARNING_COLOR,
    disaster_label,
    local_time_text,
)

#: Colours of the deadline states (always shown with their text and a symbol).
WINDOW_COLORS: dict[WindowStatus, str] = {
    WindowStatus.FILED: "#2e7d32",
    WindowStatus.FILED_LATE: "#6d4c41",
    WindowStatus.WAITING: "#1565c0",
    WindowStatus.ESCALATED: WARNING_COLOR,
    WindowStatus.OVERDUE: ERROR_COLOR,
}
#: A symbol per state, so the list reads without colour.
WINDOW_SYMBOLS: dict[WindowStatus, str] = {
    WindowStatus.FILED: "✔",
    WindowStatus.FILED_LATE: "✔",
    WindowStatus.WAITING: "○",
    WindowStatus.ESCALATED: "⚠",
    WindowStatus.OVERDUE: "✖",
}
#: Most urgent first: the order of villages in the events list.
WINDOW_URGENCY: dict[WindowStatus, int] = {
    WindowStatus.OVERDUE: 0,
    WindowStatus.ESCALATED: 1,
    WindowStatus.WAITING: 2,
    WindowStatus.FILED_LATE: 3,
    WindowStatus.FILED: 4,
}
#: Colour of a filing by B while A was on duty (allowed, flagged for the reviewer).
FLAGGED_COLOR = WARNING_COLOR
#: Colour of "nobody on duty".
UNCOVERED_COLOR = ERROR_COLOR
#: The dash of an empty cell.
NONE_TEXT = "—"


def filing_role(value: FilingRole | str | None) -> FilingRole | None:
    """Return ``value`` as a ``FilingRole`` (``None`` when missing or unknown)."""
    if value is None or value == "":
        return None
    try:
        return FilingRole(value)
    except ValueError:
        return None


def filing_role_label(value: FilingRole | str | None) -> str:
    """Return a filing role in words ("" when unknown)."""
    role = filing_role(value)
    if role is None:
        return ""
    labels = {
        FilingRole.A: QCoreApplication.translate("Duty", "filed by A"),
        FilingRole.B_ACTING: QCoreApplication.translate("Duty", "filed by B acting for A"),
        FilingRole.B_WHILE_A_ON_DUTY: QCoreApplication.translate(
            "Duty", "filed by B while A was on duty"
        ),
    }
    return labels[role]


def filed_as_text(value: FilingRole | str | None, acting_for_name: str | None) -> str:
    """Return the "Filed as" cell: "A", "B acting for A (张三)", "B while A (张三) was on duty"."""
    role = filing_role(value)
    if role is None:
        return ""
    if role is FilingRole.A:
        return QCoreApplication.translate("Duty", "A")
    if role is FilingRole.B_ACTING:
        if acting_for_name:
            return QCoreApplication.translate("Duty", "B acting for A ({name})").format(
                name=acting_for_name
            )
        return QCoreApplication.translate("Duty", "B acting for A")
    if acting_for_name:
        return QCoreApplication.translate("Duty", "B while A ({name}) was on duty").format(
            name=acting_for_name
        )
    return QCoreApplication.translate("Duty", "B while A was on duty")


def filed_as_tooltip(value: FilingRole | str | None) -> str:
    """Return the filing role in words and why it matters to the reviewer ("" for none)."""
    role = filing_role(value)
    if role is FilingRole.B_WHILE_A_ON_DUTY:
        why = QCoreApplication.translate(
            "Duty", "The B filed although A was on duty: allowed, but check with the village."
        )
    elif role is FilingRole.B_ACTING:
        why = QCoreApplication.translate(
            "Duty", "A was off duty (or the post has no A); B filed in A's place."
        )
    else:
        return filing_role_label(role)
    return f"{filing_role_label(role)}\n{why}"


def absence_kind_label(kind: AbsenceKind | str) -> str:
    """Return why A is off duty, in words ("on leave", "away", "unreachable")."""
    labels = {
        AbsenceKind.LEAVE: QCoreApplication.translate("Duty", "on leave"),
        AbsenceKind.AWAY: QCoreApplication.translate("Duty", "away"),
        AbsenceKind.UNREACHABLE: QCoreApplication.translate("Duty", "unreachable"),
    }
    try:
        return labels[AbsenceKind(kind)]
    except ValueError:
        return str(kind)


def absence_why(absence: AbsenceInfo) -> str:
    """Return the kind with the reason: "on leave (family matter)"."""
    kind = absence_kind_label(absence.kind)
    if not absence.reason:
        return kind
    return QCoreApplication.translate("Duty", "{kind} ({reason})").format(
        kind=kind, reason=absence.reason
    )


def absence_text(absence: AbsenceInfo, now: datetime | None = None) -> str:
    """Return an absence for a table cell: "On leave until 2024-12-01 18:00: family matter".

    One not begun yet (``starts_at`` after ``now``) names its start too.
    """
    kind = absence_kind_label(absence.kind)
    end = local_time_text(absence.effective_end)
    if now is not None and absence.starts_at > now:
        text = QCoreApplication.translate("Duty", "{kind} from {start} until {end}").format(
            kind=kind, start=local_time_text(absence.starts_at), end=end
        )
    else:
        text = QCoreApplication.translate("Duty", "{kind} until {end}").format(kind=kind, end=end)
    if absence.reason:
        text = reason_text(text, absence.reason)
    return text[:1].upper() + text[1:]


def reason_text(what: str, reason: str) -> str:
    """Return "what: reason" with the colon of the UI language."""
    return QCoreApplication.translate("Duty", "{what}: {reason}").format(what=what, reason=reason)


def window_status_label(status: WindowStatus | str) -> str:
    """Return a deadline state in words."""
    labels = {
        WindowStatus.FILED: QCoreApplication.translate("Duty", "Filed"),
        WindowStatus.FILED_LATE: QCoreApplication.translate("Duty", "Filed late"),
        WindowStatus.WAITING: QCoreApplication.translate("Duty", "Waiting"),
        WindowStatus.ESCALATED: QCoreApplication.translate("Duty", "Escalated: half the time gone"),
        WindowStatus.OVERDUE: QCoreApplication.translate("Duty", "Overdue"),
    }
    try:
        return labels[WindowStatus(status)]
    except ValueError:
        return str(status)


def window_status_text(status: WindowStatus) -> str:
    """Return a deadline state with its symbol: "✖ Overdue"."""
    return f"{WINDOW_SYMBOLS[status]} {window_status_label(status)}"


def stage_deadline_label(stage: str) -> str:
    """Return which report a window asks for."""
    labels = {
        "initial": QCoreApplication.translate("Duty", "Initial report"),
        "continuing": QCoreApplication.translate("Duty", "Daily continuing report"),
    }
    return labels.get(stage, stage)


def shown_window(village: VillageDeadline) -> WindowState | None:
    """Return the window behind a village's status (the latest of those in that state)."""
    matching = [w for w in village.windows if w.status is village.status]
    if not matching:
        return village.windows[-1] if village.windows else None
    return max(matching, key=lambda w: w.window.due_at)


def deadline_text(state: WindowState | None) -> str:
    """Return "Initial report due 2024-06-01 11:00" (filed: when it was filed)."""
    if state is None:
        return ""
    stage = stage_deadline_label(state.window.stage)
    if state.filed_at is not None:
        return QCoreApplication.translate("Duty", "{stage} filed {time}").format(
            stage=stage, time=local_time_text(state.filed_at)
        )
    return QCoreApplication.translate("Duty", "{stage} due {time}").format(
        stage=stage, time=local_time_text(state.window.due_at)
    )


def holder_text(holder: PostHolder | None) -> str:
    """Return a holder with their phone: "张三 · 13800000000" (a dash for none)."""
    if holder is None:
        return NONE_TEXT
    name = holder.display_name or holder.username
    return f"{name} · {holder.phone}" if holder.phone else name


def _count(items: Any) -> int | None:
    return len(items) if isinstance(items, list | tuple) else None


def open_items_text(open_items: Mapping[str, Any]) -> str:
    """Return what was open at a handover: "2 unsent · 1 returned awaiting revision · …".

    ``unsent_reports`` is ``None`` when no device told; it is then left out.
    """
    parts = []
    unsent = _count(open_items.get("unsent_reports"))
    if unsent:
        parts.append(QCoreApplication.translate("Duty", "{n} unsent").format(n=unsent))
    returned = _count(open_items.get("returned_reports"))
    if returned:
        parts.append(
            QCoreApplication.translate("Duty", "{n} returned awaiting revision").format(n=returned)
        )
    events = _count(open_items.get("open_events"))
    if events:
        parts.append(QCoreApplication.translate("Duty", "{n} open event(s)").format(n=events))
    return " · ".join(parts) if parts else QCoreApplication.translate("Duty", "nothing open")


def open_items_detail(open_items: Mapping[str, Any]) -> str:
    """Return the open items one per line (the tooltip of the summary)."""
    lines = []
    for report in open_items.get("returned_reports") or []:
        if isinstance(report, Mapping):
            lines.append(
                QCoreApplication.translate("Duty", "Returned: {event}").format(
                    event=report.get("event_name") or ""
                )
            )
    for event in open_items.get("open_events") or []:
        if isinstance(event, Mapping):
            lines.append(
                QCoreApplication.translate("Duty", "Open event: {event}").format(
                    event=event.get("event_name") or ""
                )
            )
    return "\n".join(lines)


def handover_kind_label(kind: str) -> str:
    """Return why a handover happened: a change of holder, or A going off duty."""
    labels = {
        "assignment": QCoreApplication.translate("Duty", "Change of holder"),
        "absence": QCoreApplication.translate("Duty", "A off duty"),
    }
    return labels.get(kind, kind)


def handover_people_text(from_name: str, to_name: str) -> str:
    """Return "张三 → 李四"."""
    return f"{from_name or NONE_TEXT} → {to_name or NONE_TEXT}"


def signed_off_text(name: str | None, at: datetime | None, note: str = "") -> str:
    """Return "Signed off by 王五 at 2024-06-01 12:00: note", or "Awaiting sign-off"."""
    if at is None:
        return QCoreApplication.translate("Duty", "Awaiting sign-off")
    text = QCoreApplication.translate("Duty", "Signed off by {name} at {time}").format(
        name=name or NONE_TEXT, time=local_time_text(at)
    )
    return reason_text(text, note) if note else text


def china_time_text(at: datetime | None) -> str:
    """Return a moment labelled as China time: "2024-06-01 11:00 (China time)"."""
    return QCoreApplication.translate("Duty", "{time} (China time)").format(
        time=local_time_text(at)
    )


def new_event_text(entry: NewEvent, lang: str) -> str:
    """Return what an event newly opened for the village asks: the initial report, by when."""
    values = {
        "event": entry.event_name,
        "type": disaster_label(entry.disaster_type, lang),
        "village": entry.village_name or entry.village_code,
        "time": china_time_text(entry.due_at),
    }
    if entry.status is WindowStatus.OVERDUE:
        return QCoreApplication.translate(
            "Duty",
            "The township opened the event “{event}” ({type}) for {village}: the initial "
            "report was due by {time}. File it now.",
        ).format(**values)
    return QCoreApplication.translate(
        "Duty",
        "The township opened the event “{event}” ({type}) for {village}: file the initial "
        "report by {time}.",
    ).format(**values)

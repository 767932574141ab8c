"""The roster as a table model: each post's place, its A and B with phones, who is on duty.

The posts come whole (a township's villages, a county's townships: tens to a few hundred
rows), read on a worker and handed over by ``set_posts``; no paging is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor, QFont
from typing_extensions import override

from informant_app.core.duty.types import PostDuty
from informant_app.ui.common.duty_labels import (
    NONE_TEXT,
    UNCOVERED_COLOR,
    absence_text,
    holder_text,
)
from informant_app.ui.common.labels import WARNING_COLOR, local_time_text
from informant_app.ui.common.paged_table_model import Index
from informant_app.ui.common.plain_text import plain_tooltip


class RosterColumn(IntEnum):
    """The roster's columns, in display order."""

    POST = 0
    A = 1
    B = 2
    ON_DUTY = 3
    ABSENCE = 4


class RosterModel(QAbstractTableModel):
    """The posts shown on the roster page."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._posts: list[PostDuty] = []
        self._now = datetime.now(UTC)

    def set_posts(self, posts: Sequence[PostDuty], now: datetime | None = None) -> None:
        """Show ``posts`` (in the order given) as of ``now``."""
        self.beginResetModel()
        self._posts = list(posts)
        self._now = now or datetime.now(UTC)
        self.endResetModel()

    def posts(self) -> list[PostDuty]:
        """Return the posts shown."""
        return list(self._posts)

    def post_at(self, row: int) -> PostDuty:
        """Return the post of line ``row``."""
        return self._posts[row]

    def row_of(self, post_code: str) -> int | None:
        """Return the line of ``post_code``, or ``None``."""
        return next((i for i, p in enumerate(self._posts) if p.post_code == post_code), None)

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._posts)

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(RosterColumn)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.ToolTipRole and section == RosterColumn.ABSENCE:
            return self.tr("A's absence in force now, or the next one planned")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            RosterColumn.POST: self.tr("Post"),
            RosterColumn.A: self.tr("A (phone)"),
            RosterColumn.B: self.tr("B (phone)"),
            RosterColumn.ON_DUTY: self.tr("On duty now"),
            RosterColumn.ABSENCE: self.tr("A off duty"),
        }[RosterColumn(section)]

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._posts):
            return None
        post, column = self._posts[index.row()], RosterColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(post, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self._tooltip(post, column)) or None
        if column is RosterColumn.ON_DUTY:
            return self._on_duty_style(post, role)
        if (
            column is RosterColumn.ABSENCE
            and role == Qt.ItemDataRole.ForegroundRole
            and post.absence is not None
        ):
            return QColor(WARNING_COLOR)
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and not post.manageable
            and column is RosterColumn.POST
        ):
            return QColor("#757575")
        return None

    def cell_text(self, post: PostDuty, column: RosterColumn) -> str:
        """Return the text of one cell."""
        match column:
            case RosterColumn.POST:
                return post.post_name or post.post_code
            case RosterColumn.A:
                return holder_text(post.holder("A"))
            case RosterColumn.B:
                return holder_text(post.holder("B"))
            case RosterColumn.ON_DUTY:
                return self.on_duty_text(post)
            case RosterColumn.ABSENCE:
                return self.absence_cell(post)

    def on_duty_text(self, post: PostDuty) -> str:
        """Return who is on duty: "张三 (A)", "李四 (B, for A 张三)", or "Nobody"."""
        name = post.on_duty_name or post.on_duty_username
        if name is None:
            return self.tr("Nobody on duty")
        if post.on_duty_role == "B" and post.acting_for_name:
            return self.tr("{name} (B, acting for A {a})").format(name=name, a=post.acting_for_name)
        if post.on_duty_role:
            return self.tr("{name} ({role})").format(name=name, role=post.on_duty_role)
        return name

    def absence_cell(self, post: PostDuty) -> str:
        """Return A's absence in force, or the next one planned ("" for none)."""
        if post.absence is not None:
            return absence_text(post.absence, self._now)
        if post.upcoming:
            first = min(post.upcoming, key=lambda a: a.starts_at)
            return absence_text(first, self._now)
        return ""

    def _tooltip(self, post: PostDuty, column: RosterColumn) -> str | None:
        if column is RosterColumn.POST:
            tip = post.post_code
            if not post.manageable:
                tip += "\n" + self.tr("You may look at this post but not change it.")
            return tip
        if column in (RosterColumn.A, RosterColumn.B):
            holder = post.holder("A" if column is RosterColumn.A else "B")
            if holder is None:
                return self.tr("Nobody holds this role.")
            return self.tr("{name} ({username}), since {time}").format(
                name=holder.display_name,
                username=holder.username,
                time=local_time_text(holder.valid_from),
            )
        if column is RosterColumn.ABSENCE:
            lines = [
                absence_text(a, self._now)
                for a in ([post.absence] if post.absence else []) + list(post.upcoming)
            ]
            return "\n".join(lines) or None
        if column is RosterColumn.ON_DUTY:
            text = self.on_duty_text(post)  # the whole text when the column is narrow
            if post.on_duty_name is None:
                text += "\n" + self.tr("Neither A nor B can take reports at this post now.")
            return text
        return None

    def _on_duty_style(self, post: PostDuty, role: int) -> Any:
        nobody = post.on_duty_name is None and post.on_duty_username is None
        acting = post.on_duty_role == "B"
        if role == Qt.ItemDataRole.ForegroundRole:
            if nobody:
                return QColor(UNCOVERED_COLOR)
            if acting:
                return QColor(WARNING_COLOR)
        if role == Qt.ItemDataRole.FontRole and (nobody or acting):
            font = QFont()
            font.setBold(True)
            return font
        return None


def post_summary(post: PostDuty) -> str:
    """Return "瓦房村: A 张三 · B 李四" for dialog headings."""
    a = post.holder("A")
    b = post.holder("B")
    parts = [
        f"A {a.display_name}" if a else f"A {NONE_TEXT}",
        f"B {b.display_name}" if b else f"B {NONE_TEXT}",
    ]
    return f"{post.post_name or post.post_code}: {' · '.join(parts)}"

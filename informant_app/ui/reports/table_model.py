"""The report list as a lazily filled table model: pages of rows come from the worker.

Filtering and ordering happen in SQL (``count_reports`` / ``report_rows``); the model holds
only the pages the view has asked for (``canFetchMore`` / ``fetchMore``).  Each page comes with
what sync knows of its submitted versions, read on the worker: the photo progress ("2 of 3
photos received") and the server's message in both languages.  A report with an open conflict
comes from the store as "conflict" whichever of its versions is the latest here (the pull makes
the server's current version the latest; the conflict is between the two revisions).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QColor
from typing_extensions import override

from informant_app.core.review.service import ReviewStatus
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportFilter, ReportRow, ReportState
from informant_app.core.sync.engine import photo_progress, version_info
from informant_app.core.sync.types import PhotoProgress, VersionSyncInfo
from informant_app.ui.common.labels import (
    PLACEHOLDER_COLOR,
    STATE_COLORS,
    disaster_label,
    figure_text,
    local_time_text,
    stage_label,
    state_icon,
    state_label,
    village_name,
)
from informant_app.ui.common.paged_table_model import PAGE_SIZE, Index, Page, PagedTableModel
from informant_app.ui.common.plain_text import plain_tooltip
from informant_app.ui.common.review_labels import (
    REVIEW_COLORS,
    review_icon,
    review_status_label,
    row_review_reason,
    row_review_status,
)
from informant_app.ui.tasks.manager import TaskManager


class Column(IntEnum):
    """The list's columns, in display order."""

    STATE = 0
    STAGE = 1
    EVENT = 2
    VILLAGE = 3
    DISASTER = 4
    AFFECTED = 5
    DEATHS = 6
    DIRECT_LOSS = 7
    PHOTOS = 8
    UPDATED = 9


_NUMERIC = {Column.AFFECTED, Column.DEATHS, Column.DIRECT_LOSS, Column.PHOTOS}

#: States whose row carries a message from the server.
_MESSAGE_STATES = (ReportState.ERROR, ReportState.CONFLICT)


@dataclass(frozen=True)
class RowSync:
    """What sync knows of a submitted version on the list."""

    photos: PhotoProgress | None = None
    info: VersionSyncInfo | None = None


Progress = dict[str, RowSync]


def load_page(
    store: ReportStore, filt: ReportFilter, offset: int, limit: int
) -> tuple[list[ReportRow], Progress]:
    """Return one page of the list with its sync details (runs on the worker)."""
    rows = store.report_rows(filt, offset, limit)
    return rows, page_progress(store, rows)


def page_progress(store: ReportStore, rows: list[ReportRow]) -> Progress:
    """Return the sync details of a page's submitted versions (runs on the worker)."""
    found: Progress = {}
    for row in rows:
        if row.state is ReportState.DRAFT:
            continue
        photos = photo_progress(store, row.version_uuid) if row.photo_count else None
        info = version_info(store, row.version_uuid) if row.state in _MESSAGE_STATES else None
        if photos is not None or info is not None:
            found[row.version_uuid] = RowSync(photos, info)
    return found


def shown_review_status(row: ReportRow) -> ReviewStatus | None:
    """Return the township's verdict the list shows for ``row``: returned or approved.

    Only a delivered version carries one; "pending" shows as the delivery state.
    """
    review = row_review_status(row)
    if review is ReviewStatus.PENDING or row.state is not ReportState.RECEIVED:
        return None
    return review


class ReportTableModel(PagedTableModel[ReportRow, ReportFilter]):
    """The latest version of each report, newest first, fetched page by page.

    Signals:
        loaded(): rows arrived (a first page, a further page or a refresh).
    """

    def __init__(
        self,
        worker: TaskManager,
        lang: str,
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(worker, lang, ReportFilter(), page_size, parent)
        self._progress: Progress = {}

    @property
    def report_filter(self) -> ReportFilter:
        """The filter in force."""
        return self._filter

    @override
    def _count(self, store: ReportStore, filt: ReportFilter) -> int:
        return store.count_reports(filt)

    @override
    def _page(
        self, store: ReportStore, filt: ReportFilter, offset: int, limit: int
    ) -> Page[ReportRow]:
        return Page(*load_page(store, filt, offset, limit))

    @override
    def _row_key(self, row: ReportRow) -> str:
        return row.report_uuid

    @override
    def _keep_extra(self, extra: Any, replace: bool) -> None:
        if replace:
            self._progress = dict(extra)
        else:
            self._progress.update(extra)

    # --- the table -------------------------------------------------------------------------

    def photo_progress(self, row: ReportRow) -> PhotoProgress | None:
        """Return how many of a submitted version's photos the server holds, when known."""
        known = self._progress.get(row.version_uuid)
        return known.photos if known is not None else None

    def server_message(self, row: ReportRow) -> str | None:
        """Return the server's message about ``row`` in the UI language, when there is one."""
        known = self._progress.get(row.version_uuid)
        info = known.info if known is not None else None
        if info is not None:
            text = info.message_zh if self._lang.startswith("zh") else info.message_en
            if text:
                return text
        return row.error_message

    def row_of(self, report_uuid: str) -> int | None:
        """Return the line showing ``report_uuid``, or ``None`` when not loaded."""
        return next((i for i, r in enumerate(self._rows) if r.report_uuid == report_uuid), None)

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self._headers()[Column(section)]

    def _headers(self) -> dict[Column, str]:
        return {
            Column.STATE: self.tr("State"),
            Column.STAGE: self.tr("Stage"),
            Column.EVENT: self.tr("Event"),
            Column.VILLAGE: self.tr("Village"),
            Column.DISASTER: self.tr("Disaster type"),
            Column.AFFECTED: self.tr("Affected"),
            Column.DEATHS: self.tr("Deaths"),
            Column.DIRECT_LOSS: self.tr("Direct loss (10k CNY)"),
            Column.PHOTOS: self.tr("Photos"),
            Column.UPDATED: self.tr("Updated"),
        }

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, column = self._rows[index.row()], Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        review = shown_review_status(row)
        if role == Qt.ItemDataRole.DecorationRole and column is Column.STATE:
            return review_icon(review) if review is not None else state_icon(row.state)
        if role == Qt.ItemDataRole.ForegroundRole and column is Column.STATE:
            if review is not None:
                return QColor(REVIEW_COLORS[review])
            if row.state in (ReportState.ERROR, ReportState.CONFLICT):
                return QColor(STATE_COLORS[row.state])
        if role == Qt.ItemDataRole.ForegroundRole and column is Column.EVENT and not row.event_name:
            return QColor(PLACEHOLDER_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is Column.STATE and (message := self.server_message(row)):
                return plain_tooltip(message)
            if column is Column.STATE and review is ReviewStatus.RETURNED:
                return plain_tooltip(row_review_reason(row))
            if column is Column.PHOTOS and (progress := self.photo_progress(row)):
                return self.tr("{received} of {total} photos received by the server").format(
                    received=progress.received, total=progress.total
                )
            if column is Column.EVENT:
                return plain_tooltip(row.event_name)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: ReportRow, column: Column) -> str:
        match column:
            case Column.STATE:
                review = shown_review_status(row)
                return review_status_label(review) if review else state_label(row.state)
            case Column.STAGE:
                return stage_label(row.stage, self._lang)
            case Column.EVENT:
                return row.event_name or self.tr("(named when submitted)")
            case Column.VILLAGE:
                return village_name(row.village_code)
            case Column.DISASTER:
                return disaster_label(row.disaster_type, self._lang)
            case Column.AFFECTED:
                return figure_text(row.affected_pop)
            case Column.DEATHS:
                return figure_text(row.deaths)
            case Column.DIRECT_LOSS:
                return figure_text(row.direct_loss, 2)
            case Column.PHOTOS:
                progress = self.photo_progress(row)
                if progress is not None and progress.total:
                    return f"{progress.received}/{progress.total}"
                return str(row.photo_count) if row.photo_count else ""
            case Column.UPDATED:
                return local_time_text(row.updated_at)

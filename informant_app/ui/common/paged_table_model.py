"""A table model filled lazily, page by page, through the task manager's ``db`` lane.

The view asks for more rows (``canFetchMore`` / ``fetchMore``); each page is read on the lane
and arrives by a queued signal.  A new filter empties the table and loads its first page; a
refresh reloads what was shown.  Pages from before the latest reload are dropped (the reloads
replace the model's task key; further pages follow it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Signal
from typing_extensions import override

from informant_app.core.store.report_store import ReportStore
from informant_app.ui.tasks.manager import TaskKey, TaskManager

#: Rows asked for at a time.
PAGE_SIZE = 200

Index = QModelIndex | QPersistentModelIndex

RowT = TypeVar("RowT")
FilterT = TypeVar("FilterT")


@dataclass(frozen=True)
class Page(Generic[RowT]):
    """One page read on the worker: its rows and whatever else the model keeps beside them."""

    rows: list[RowT]
    extra: Any = None


class PagedTableModel(QAbstractTableModel, Generic[RowT, FilterT]):
    """Rows matching a filter, fetched page by page; subclasses say how to read and show them.

    Subclasses implement ``_count`` and ``_page`` (both run on the worker) and ``_row_key``
    (the identity that drops a row seen twice when the list moved under the paging); they may
    keep a page's ``extra`` in ``_keep_extra``.

    Signals:
        loaded(): rows arrived (a first page, a further page or a refresh).
    """

    loaded = Signal()

    def __init__(
        self,
        worker: TaskManager,
        lang: str,
        initial_filter: FilterT,
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._lang = lang
        self._page_size = page_size
        self._filter = initial_filter
        self._rows: list[RowT] = []
        self._total = 0
        self._key = TaskKey(type(self).__name__)  # a reload drops the pages asked before
        self._fetching = False

    # --- what subclasses provide (the first two run on the worker) ---------------------------

    def _count(self, store: ReportStore, filt: FilterT) -> int:
        raise NotImplementedError

    def _page(self, store: ReportStore, filt: FilterT, offset: int, limit: int) -> Page[RowT]:
        raise NotImplementedError

    def _row_key(self, row: RowT) -> str:
        raise NotImplementedError

    def _keep_extra(self, extra: Any, replace: bool) -> None:
        """Keep a page's ``extra``: in place of what was kept (``replace``) or beside it."""

    # --- loading -------------------------------------------------------------------------

    @property
    def total(self) -> int:
        """How many rows match the filter (loaded or not)."""
        return self._total

    @property
    def loading(self) -> bool:
        """Whether a request is on its way."""
        return self._fetching

    def set_filter(self, filt: FilterT) -> None:
        """Show the rows matching ``filt``: empty the table and load its first page."""
        self._filter = filt
        self.beginResetModel()
        self._rows = []
        self._total = 0
        self.endResetModel()
        self._reload(self._page_size)

    def refresh(self) -> None:
        """Reload the rows shown so far (after a change on the device); keeps the filter."""
        self._reload(max(len(self._rows), self._page_size))

    def _reload(self, limit: int) -> None:
        filt = self._filter
        self._fetching = True

        def load(store: ReportStore) -> tuple[int, Page[RowT]]:
            return self._count(store, filt), self._page(store, filt, 0, limit)

        self._worker.run(
            load,
            on_done=lambda result: self._replace(*result),
            on_error=self._failed,
            owner=self,
            key=self._key,
        )

    def _replace(self, total: int, page: Page[RowT]) -> None:
        self._fetching = False
        self.beginResetModel()
        self._rows = list(page.rows)
        self._keep_extra(page.extra, True)
        self._total = max(total, len(self._rows))
        self.endResetModel()
        self.loaded.emit()

    def _append(self, page: Page[RowT]) -> None:
        self._fetching = False
        self._keep_extra(page.extra, False)
        known = {self._row_key(r) for r in self._rows}
        fresh = [r for r in page.rows if self._row_key(r) not in known]
        if not fresh:
            self._total = len(self._rows)  # the list shrank under us: stop asking
        else:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._rows.extend(fresh)
            self.endInsertRows()
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self._fetching = False
        self._worker.failed.emit(exc)

    @override
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._fetching and len(self._rows) < self._total

    @override
    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        filt, offset, limit = self._filter, len(self._rows), self._page_size
        self._worker.run(
            lambda store: self._page(store, filt, offset, limit),
            on_done=self._append,
            on_error=self._failed,
            owner=self,
            key=self._key,
            replaces=False,
        )

    # --- rows ------------------------------------------------------------------------------

    def row_at(self, row: int) -> RowT:
        """Return the row shown on line ``row``."""
        return self._rows[row]

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

"""Pulling the server's changes by cursor, page by page (the store applies them: store.feed).

Each page is applied and its cursor stored in one transaction
(``informant_app.core.store.feed.apply_pulled_pages``), so a crash re-reads a page rather
than skipping one; applying is idempotent and never touches unsent work.  The changes reach
the store typed (``sync.contract.wire.feed``) as the client read them.  After the last page
the main-line versions held back earlier by unsent work that is gone now are shown
(``catch_up``).

Pages are fetched ahead on a helper thread (one request in flight): a page's cursor is known
as soon as it arrives, so the server reads and sends page *k + 1* while the store writes page
*k*.  The helper only fetches and reads pages (typed, each version's content checked against
its hash); the applying thread parses each page's report versions and counts the initial
reports' warnings (``pulled_versions.prepare_versions``) just before writing them.  Parsing
on a thread of its own was slower: every row an ``executemany`` writes hands the
interpreter lock over, and a thread busy parsing beside it keeps the writes waiting.
At most ``AHEAD`` pages wait; the pages waiting when the store is done with the last ones
are applied together, in feed order, with the last one's cursor, in one transaction (one
commit instead of one per page).  A page fetched but not applied (the round stopped) is
simply read again next time.  The first page is small and each next one twice the last (up
to ``page_limit``), so the store starts writing at once and the fetches stay ahead of it.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from informant_app.core.divisions import divisions_for
from informant_app.core.store.feed import FeedResult, apply_pulled_pages, catch_up, read_cursor
from informant_app.core.store.pulled_versions import prepare_versions
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_state import cursor_owner
from informant_app.core.sync.types import Account, Phase, Progress, ProgressCallback, Unit
from sync.client.api import ClientError, SyncClient
from sync.contract.wire.feed import ChangesPage

#: Changes per page by default: the server's largest page (``page_max``), fewest transactions.
PAGE_LIMIT = 1000
#: Changes in the first page (each next page asks for twice as many, up to the limit).
FIRST_PAGE = 100
#: Pages fetched ahead at most (waiting to be applied).
AHEAD = 3
#: Pages applied in one transaction at most.
MAX_BATCH = 4


@dataclass(frozen=True)
class _Fetched:
    """A fetched page and whether it is the last one to apply."""

    page: ChangesPage
    last: bool


#: What the helper thread hands over: a page, or the error that ended the fetching.
_Item = _Fetched | BaseException


@dataclass
class PullResult(FeedResult):
    """What the pull phase did."""

    error: ClientError | None = None


class Puller:
    """Runs the pull phase of one round.

    ``progress`` (optional) hears ``Phase.PULL`` for each page once its transaction is
    committed: the changes applied so far (the total is unknown: the server says only whether
    more follow), with ``first`` set when the store had no cursor (a first sync reads the
    whole feed).
    """

    def __init__(
        self,
        store: ReportStore,
        client: SyncClient,
        account: Account,
        page_limit: int = PAGE_LIMIT,
        max_pages: int = 1000,
        progress: ProgressCallback | None = None,
    ) -> None:
        self.progress = progress
        self.store = store
        self.client = client
        self.owner = cursor_owner(account)
        self.page_limit = page_limit
        self.max_pages = max_pages
        self._fetcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pull-fetch")
        self._pages: queue.Queue[_Item] = queue.Queue(maxsize=AHEAD)
        self._stop = threading.Event()
        self._first: bool | None = None

    def start(self) -> None:
        """Read the cursor and start fetching pages now; ``run`` applies them.

        The round calls this before its other work (decisions, photos), so the first page is
        on its way meanwhile.  Nothing is written before ``run``.
        """
        if self._first is None:
            cursor = read_cursor(self.store, self.owner)
            self._first = cursor is None
            self._fetcher.submit(self._fetch_all, cursor)

    def close(self) -> None:
        """Stop fetching, wait for the helper thread to end (idempotent)."""
        self._stop.set()
        while True:  # a helper waiting to hand over a page must not wait for ever
            try:
                self._pages.get_nowait()
            except queue.Empty:
                break
        self._fetcher.shutdown(wait=True)

    def run(self) -> PullResult:
        """Pull page after page until the server has no more (bounded)."""
        try:
            return self._run()
        finally:
            self.close()

    def _run(self) -> PullResult:
        result = PullResult()
        self.start()
        first = bool(self._first)
        if self.progress is not None:
            self.progress(Progress(Phase.PULL, 0, None, Unit.CHANGES, first))
        while True:
            batch, error = self._next_batch()
            if batch:
                touched_before = set(result.touched)
                result.touched.clear()
                divisions = divisions_for(self.store.data_dir)  # in memory: no query
                pages = [
                    (f.page.changes, prepare_versions(f.page.changes, divisions, f.page.texts))
                    for f in batch
                ]
                counts = apply_pulled_pages(
                    self.store, pages, batch[-1].page.cursor, self.owner, result
                )
                result.touched |= touched_before
                result.pages += len(batch)
                if self.progress is not None:
                    for count in counts:
                        self.progress(Progress(Phase.PULL, count, None, Unit.CHANGES, first))
            if error is not None:
                if isinstance(error, ClientError):
                    result.error = error
                    return result
                raise error
            if batch[-1].last:
                break
        catch_up(self.store)
        return result

    def _next_batch(self) -> tuple[list[_Fetched], BaseException | None]:
        """Wait for the next page; take the ones waiting behind it too (up to ``MAX_BATCH``).

        Returns the pages in feed order and the error that ended the fetching, if any.
        """
        item = self._pages.get()
        if isinstance(item, BaseException):
            return [], item
        batch = [item]
        while not batch[-1].last and len(batch) < MAX_BATCH:
            try:
                item = self._pages.get_nowait()
            except queue.Empty:
                break
            if isinstance(item, BaseException):
                return batch, item
            batch.append(item)
        return batch, None

    def _fetch_all(self, cursor: str | None) -> None:
        """Fetch page after page and hand each over (on the helper thread; no store access).

        Stops after the last page, at ``max_pages``, at the first error (handed over), or
        when ``close`` asks.
        """
        try:
            for n in range(self.max_pages):
                limit = min(self.page_limit, FIRST_PAGE << min(n, 16))
                page = self.client.changes(cursor, limit)
                last = not page.has_more or n + 1 >= self.max_pages
                if not self._hand_over(_Fetched(page, last)):
                    return
                if last:
                    return
                cursor = page.cursor
        except BaseException as exc:  # handed to the applying thread, which raises or reports it
            self._hand_over(exc)

    def _hand_over(self, item: _Item) -> bool:
        """Queue ``item`` for the applying thread; ``False`` when asked to stop meanwhile."""
        while not self._stop.is_set():
            try:
                self._pages.put(item, timeout=0.05)
            except queue.Full:
                continue
            return True
        return False

"""Pulling the server's changes by cursor, page by page (the store applies them: store.feed).

Each page is applied and its cursor stored in one transaction
(``informant_app.core.store.feed.apply_pulled_page``), so a crash re-reads a page rather than
skipping one; applying is idempotent and never touches unsent work.  The changes reach the
store typed (``sync.contract.wire.feed``) as the client read them.  After the last page the
main-line versions held back earlier by unsent work that is gone now are shown
(``catch_up``).

The next page is fetched while the current one is applied (one request in flight, on a
helper thread): the page's cursor is known as soon as it arrives, so the server reads and
sends page *k + 1* while the store writes page *k*.  Pages are still applied one after the
other, in feed order, each with its cursor in one transaction; a page fetched but not applied
(the round stopped) is simply read again next time.  The first page is small and each next
one twice the last (up to ``page_limit``), so the store starts writing at once and the
fetches stay ahead of it.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from informant_app.core.store.feed import FeedResult, apply_pulled_page, catch_up, read_cursor
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_state import cursor_owner
from informant_app.core.sync.types import Account, Phase, Progress, ProgressCallback, Unit
from sync.client.api import ClientError, SyncClient
from sync.contract.wire.feed import ChangesPage

#: Changes per page by default: the server's largest page (``page_max``), fewest transactions.
PAGE_LIMIT = 1000
#: Changes in the first page (each next page asks for twice as many, up to the limit).
FIRST_PAGE = 100


@dataclass
class PullResult(FeedResult):
    """What the pull phase did."""

    error: ClientError | None = None


class Puller:
    """Runs the pull phase of one round.

    ``progress`` (optional) hears ``Phase.PULL`` after each page: the changes applied so far
    (the total is unknown: the server says only whether more follow), with ``first`` set when
    the store had no cursor (a first sync reads the whole feed).
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
        self._started: tuple[str | None, Future[ChangesPage]] | None = None

    def start(self) -> None:
        """Read the cursor and ask for the first page now; ``run`` applies it.

        The round calls this before its other work (decisions, photos), so the first page is
        on its way meanwhile.  Nothing is written before ``run``.
        """
        if self._started is None:
            cursor = read_cursor(self.store, self.owner)
            self._started = (cursor, self._fetch(cursor, 0))

    def close(self) -> None:
        """Wait for a page still being fetched and end the helper thread (idempotent)."""
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
        assert self._started is not None
        cursor, pending = self._started
        first = cursor is None
        if self.progress is not None:
            self.progress(Progress(Phase.PULL, 0, None, Unit.CHANGES, first))
        for n in range(self.max_pages):
            try:
                page = pending.result()
            except ClientError as exc:
                result.error = exc
                return result
            more = page.has_more and n + 1 < self.max_pages
            if more:
                pending = self._fetch(page.cursor, n + 1)
            touched_before = set(result.touched)
            result.touched.clear()
            apply_pulled_page(self.store, page.changes, page.cursor, self.owner, result)
            result.touched |= touched_before
            result.pages += 1
            if self.progress is not None:
                self.progress(Progress(Phase.PULL, result.pulled, None, Unit.CHANGES, first))
            if not more:
                break
        catch_up(self.store)
        return result

    def _fetch(self, cursor: str | None, n: int) -> Future[ChangesPage]:
        """Ask for page ``n`` (from 0), the one after ``cursor``, on the helper thread."""
        limit = min(self.page_limit, FIRST_PAGE << min(n, 16))
        return self._fetcher.submit(self.client.changes, cursor, limit)

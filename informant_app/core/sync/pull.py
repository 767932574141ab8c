"""Pulling the server's changes by cursor, page by page (the store applies them: store.feed).

Each page is applied and its cursor stored in one transaction
(``informant_app.core.store.feed.apply_pulled_page``), so a crash re-reads a page rather than
skipping one; applying is idempotent and never touches unsent work.  The changes reach the
store typed (``sync.contract.wire.feed``) as the client read them.  After the last page the
main-line versions held back earlier by unsent work that is gone now are shown
(``catch_up``).
"""

from __future__ import annotations

from dataclasses import dataclass

from informant_app.core.store.feed import FeedResult, apply_pulled_page, catch_up, read_cursor
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_state import cursor_owner
from informant_app.core.sync.types import Account, Phase, Progress, ProgressCallback, Unit
from sync.client.api import ClientError, SyncClient


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
        page_limit: int = 500,
        max_pages: int = 1000,
        progress: ProgressCallback | None = None,
    ) -> None:
        self.progress = progress
        self.store = store
        self.client = client
        self.owner = cursor_owner(account)
        self.page_limit = page_limit
        self.max_pages = max_pages

    def run(self) -> PullResult:
        """Pull page after page until the server has no more (bounded)."""
        result = PullResult()
        cursor = read_cursor(self.store, self.owner)
        first = cursor is None
        if self.progress is not None:
            self.progress(Progress(Phase.PULL, 0, None, Unit.CHANGES, first))
        for _ in range(self.max_pages):
            try:
                page = self.client.changes(cursor, self.page_limit)
            except ClientError as exc:
                result.error = exc
                return result
            touched_before = set(result.touched)
            result.touched.clear()
            apply_pulled_page(self.store, page.changes, page.cursor, self.owner, result)
            result.touched |= touched_before
            result.pages += 1
            cursor = page.cursor
            if self.progress is not None:
                self.progress(Progress(Phase.PULL, result.pulled, None, Unit.CHANGES, first))
            if not page.has_more:
                break
        catch_up(self.store)
        return result

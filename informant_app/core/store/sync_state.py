"""The device's sync bookkeeping in the local store: device id, account, cursor, rounds.

Small functions over one session each; the caller owns the transaction.  Nothing here talks
to the network.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from sqlalchemy import insert, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from informant_app.core.store.models import SyncAccountRow, SyncRoundRow, SyncStateRow
from informant_app.core.sync.types import (
    Account,
    AccountPost,
    RoundSummary,
    SyncErrorKind,
    SyncProblem,
    TokenStorage,
)


def now_utc() -> datetime:
    """Return the current UTC time with microseconds (bookkeeping of this device)."""
    return datetime.now(UTC)


def sync_state(s: Session) -> SyncStateRow:
    """Return the sync-state row, creating it (with a new device id) on first use."""
    row = s.get(SyncStateRow, 1)
    if row is None:
        s.execute(
            sqlite_insert(SyncStateRow)
            .values(
                id=1,
                device_id=f"dev-{uuid.uuid4()}",
                failures=0,
            )
            .on_conflict_do_nothing(index_elements=["id"])
        )
        row = s.get(SyncStateRow, 1)
        assert row is not None
    return row


def read_state(s: Session) -> SyncStateRow | None:
    """Return the sync-state row without creating it (read-only sessions)."""
    return s.get(SyncStateRow, 1)


def cursor_owner(account: Account) -> str:
    """Return the owner key of a cursor: the server and the account."""
    return f"{account.server_url}|{account.username}"


def read_account(s: Session) -> Account | None:
    """Return the signed-in account, or ``None``."""
    row = s.get(SyncAccountRow, 1)
    if row is None:
        return None
    state = read_state(s)
    posts = tuple(AccountPost(**p) for p in json.loads(row.posts))
    return Account(
        server_url=row.server_url,
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        jurisdiction_code=row.jurisdiction_code,
        posts=posts,
        device_id=state.device_id if state is not None else "",
        token_storage=TokenStorage(row.token_storage),
    )


def write_account(s: Session, account: Account, when: datetime) -> None:
    """Save ``account`` (replacing any other); a new account's cursor starts over."""
    posts = json.dumps(
        [
            {
                "division_code": p.division_code,
                "division_name": p.division_name,
                "level": p.level,
                "post_role": p.post_role,
            }
            for p in account.posts
        ],
        ensure_ascii=False,
    )
    s.merge(
        SyncAccountRow(
            id=1,
            server_url=account.server_url,
            username=account.username,
            display_name=account.display_name,
            role=account.role,
            jurisdiction_code=account.jurisdiction_code,
            posts=posts,
            token_storage=account.token_storage.value,
            signed_in_at=when,
        )
    )
    state = sync_state(s)
    if state.cursor_owner != cursor_owner(account):
        state.cursor = None
        state.cursor_owner = cursor_owner(account)


def problem_of(state: SyncStateRow | None) -> SyncProblem | None:
    """Return the last round's problem recorded in ``state``."""
    if state is None or state.problem_kind is None:
        return None
    return SyncProblem(
        SyncErrorKind(state.problem_kind), state.problem_zh or "", state.problem_en or ""
    )


def record_round(
    s: Session, summary: RoundSummary, started: datetime, finished: datetime, reached_server: bool
) -> None:
    """Log a finished round and update the state the status bar shows."""
    s.execute(
        insert(SyncRoundRow).values(
            started_at=started,
            finished_at=finished,
            server_time=summary.server_time,
            clock_skew_seconds=summary.clock_skew_seconds,
            pushed=summary.pushed,
            pulled=summary.pulled,
            failed=summary.failed,
            conflicts=summary.conflicts,
            photos_sent=summary.photos_sent,
            still_queued=summary.still_queued,
            problem_kind=summary.problem.kind.value if summary.problem else None,
        )
    )
    state = sync_state(s)
    values: dict[str, object] = {"last_attempt_at": finished}
    if summary.problem is None:
        values.update(
            last_success_at=finished,
            failures=0,
            problem_kind=None,
            problem_zh=None,
            problem_en=None,
            online=True,
        )
    else:
        values.update(
            failures=SyncStateRow.failures + 1,
            problem_kind=summary.problem.kind.value,
            problem_zh=summary.problem.zh,
            problem_en=summary.problem.en,
            online=reached_server,
        )
    if summary.server_time is not None:
        values.update(
            server_time=summary.server_time, clock_skew_seconds=summary.clock_skew_seconds
        )
    s.execute(update(SyncStateRow).where(SyncStateRow.id == state.id).values(**values))

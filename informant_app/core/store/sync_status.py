"""What the sync engine reads and writes besides the outboxes and the feed.

The status bar's counts (``read_status``), a round's log (``finish_round``), the signed-in
account kept with its derived profile (``save_account``), forgetting the account
(``forget_account``), and what is known about one version's life on the server
(``version_info``).  Each function is one transaction of its own.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from informant_app.core.store.decisions import count_unsent
from informant_app.core.store.duty import parse_filing_role
from informant_app.core.store.models import (
    ConflictRow,
    OutboxRow,
    ProfileRow,
    ReportVersionRow,
    ServerVersionRow,
    SyncAccountRow,
    VersionSyncRow,
)
from informant_app.core.store.profile import read_profile
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_state import (
    now_utc,
    problem_of,
    read_account,
    read_state,
    record_round,
    sync_state,
    write_account,
)
from informant_app.core.store.types import Profile, ReportState
from informant_app.core.store.uploads import pending_count
from informant_app.core.sync.types import Account, RoundSummary, SyncStatus, VersionSyncInfo

#: Local states of a version still to be sent.
PENDING = (ReportState.QUEUED.value, ReportState.SENDING.value)


def still_to_send(store: ReportStore) -> tuple[int, int, int]:
    """Return what a round left to send: versions queued, decisions queued, photos pending.

    Three counts in one read (the end of every round).
    """
    with Session(store.engine) as s:
        return count_pending(s), count_unsent(s), pending_count(s)


def count_pending(s: Session) -> int:
    """Return how many versions wait in the outbox to be sent (queued or sending)."""
    return int(
        s.scalar(
            select(func.count())
            .select_from(OutboxRow)
            .join(ReportVersionRow, ReportVersionRow.version_uuid == OutboxRow.version_uuid)
            .where(ReportVersionRow.state.in_(PENDING))
        )
        or 0
    )


def read_status(store: ReportStore) -> SyncStatus:
    """Return the current sync status from the store (cheap; no network)."""
    with Session(store.engine) as s:
        state = read_state(s)
        signed_in = read_account(s) is not None
        errors = (
            s.scalar(
                select(func.count())
                .select_from(OutboxRow)
                .join(ReportVersionRow, ReportVersionRow.version_uuid == OutboxRow.version_uuid)
                .where(ReportVersionRow.state == ReportState.ERROR.value)
            )
            or 0
        )
        conflicts = (
            s.scalar(
                select(func.count(func.distinct(ConflictRow.report_uuid))).where(
                    ConflictRow.resolved_at.is_(None)
                )
            )
            or 0
        )
        return SyncStatus(
            signed_in=signed_in,
            online=state.online if state is not None else None,
            last_success_at=state.last_success_at if state is not None else None,
            queued=count_pending(s),
            errors=int(errors),
            conflicts=int(conflicts),
            photos_pending=pending_count(s),
            last_problem=problem_of(state),
            clock_skew_seconds=state.clock_skew_seconds if state is not None else None,
            failures=state.failures if state is not None else 0,
            server_time=state.server_time if state is not None else None,
            decisions_queued=count_unsent(s),
        )


def still_queued(store: ReportStore) -> tuple[int, int]:
    """Return how many versions and how many decisions still wait to be sent."""
    with Session(store.engine) as s:
        return count_pending(s), count_unsent(s)


def finish_round(
    store: ReportStore, summary: RoundSummary, started: datetime, reached_server: bool
) -> None:
    """Log a finished round (ended now, by the computer's clock) and the state it left."""
    with store.write_session() as s, s.begin():
        record_round(s, summary, started, now_utc(), reached_server)


def write_account_and_profile(
    s: Session, account: Account, derive: Callable[[Account, Profile | None], Profile]
) -> None:
    """Save the account and the profile ``derive`` makes of it, in the caller's transaction."""
    write_account(s, account, now_utc())
    profile = derive(account, read_profile(s))
    s.merge(
        ProfileRow(
            id=1,
            informant_name=profile.informant_name,
            phone=profile.phone,
            role=profile.role.value,
            post_code=profile.post_code,
            village_codes=json.dumps(list(profile.village_codes)),
            updated_at=now_utc(),
        )
    )


def save_account(
    store: ReportStore,
    account: Account,
    derive: Callable[[Account, Profile | None], Profile],
    *,
    forget_cursor: bool = False,
) -> None:
    """Save the account and the profile ``derive`` makes of it, in one transaction.

    ``forget_cursor`` makes the next pull read the whole feed again (a wider reach).
    """
    with store.write_session() as s, s.begin():
        write_account_and_profile(s, account, derive)
        if forget_cursor:
            sync_state(s).cursor = None


def current_account(store: ReportStore) -> Account | None:
    """Return the account this device is signed in with, or ``None`` (works offline)."""
    with Session(store.engine) as s:
        return read_account(s)


def last_round_offline(store: ReportStore) -> bool:
    """Return whether the last sync round failed to reach the server (a hint only)."""
    with Session(store.engine) as s:
        state = read_state(s)
        return state is not None and state.online is False


def device_id(store: ReportStore) -> str:
    """Return this installation's device id (made once, kept in the store)."""
    with store.write_session() as s, s.begin():
        return sync_state(s).device_id


def forget_account(store: ReportStore) -> None:
    """Forget the signed-in account (its reports stay)."""
    with store.write_session() as s, s.begin():
        s.execute(delete(SyncAccountRow))


def version_state(store: ReportStore, version_uuid: str) -> str | None:
    """Return the local state of a version, or ``None`` when there is no such version."""
    with Session(store.engine) as s:
        row = s.get(ReportVersionRow, version_uuid)
        return None if row is None else row.state


def version_info(store: ReportStore, version_uuid: str) -> VersionSyncInfo:
    """Return where a version came from and what the server said about it."""
    with Session(store.engine) as s:
        row = s.get(VersionSyncRow, version_uuid)
        local = s.get(ReportVersionRow, version_uuid)
        server = s.scalars(
            select(ServerVersionRow).where(ServerVersionRow.version_uuid == version_uuid)
        ).first()
        here = parse_filing_role(local.filing_role) if local is not None else None
        said = parse_filing_role(server.filing_role) if server is not None else None
        acting_for = (
            server.acting_for_name
            if said is not None and server is not None
            else local.acting_for_name
            if local is not None
            else None
        )
        filing: dict[str, Any] = {
            "filing_role": said or here,
            "acting_for_name": acting_for,
            "filing_role_here": here,
        }
        if row is None:
            return VersionSyncInfo(**filing)
        return VersionSyncInfo(
            origin=row.origin,
            filed_by=row.filed_by,
            server_status=row.server_status,
            server_code=row.server_code,
            message_zh=row.message_zh,
            message_en=row.message_en,
            server_received_at=row.server_received_at,
            **filing,
        )

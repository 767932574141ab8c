"""Online calls for the signed-in account: a client, its errors, and the cache of answers.

Township reports, the completeness panel and report histories are the server's computation.
Each answer is kept in ``review_cache`` so that it can be read offline; ``ClientError`` becomes
a ``BilingualError`` the UI can show: ``ReviewOfflineError`` when no server answered,
``ReviewRefusedError`` (with the server's code) when it refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import msgspec
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from informant_app.core.account import credentials
from informant_app.core.account.trust import make_client
from informant_app.core.review.types import (
    ReviewOfflineError,
    ReviewRefusedError,
    ReviewUnavailableError,
)
from informant_app.core.store.models import ReviewCacheRow
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_state import now_utc, read_account, read_state
from informant_app.core.sync.types import Account
from sync.client.api import ClientError, FailureKind, SyncClient, Timeouts, parse_server_time
from sync.contract.wire.base import as_object

T = TypeVar("T")

#: Online review requests wait less than a sync round: a person is waiting.
ONLINE_TIMEOUTS = Timeouts(connect=4.0, read=15.0)
#: Reading a history on the way: give up quickly when the server is away.
QUICK_TIMEOUTS = Timeouts(connect=2.0, read=6.0)
REVIEWER_ROLE = "township_reviewer"


def not_signed_in() -> ReviewOfflineError:
    """Return the error of an online action on a device that is not signed in."""
    return ReviewOfflineError(
        "尚未登录，无法连接服务器", "not signed in: the server cannot be asked"
    )


@dataclass(frozen=True)
class Cached:
    """A server answer kept in the store."""

    payload: dict[str, Any]
    fetched_at: datetime
    server_time: datetime | None


def signed_in_account(store: ReportStore) -> Account | None:
    """Return the signed-in account, or ``None``."""
    with Session(store.engine) as s:
        return read_account(s)


def last_round_offline(store: ReportStore) -> bool:
    """Return whether the last sync round failed to reach the server (a hint only)."""
    with Session(store.engine) as s:
        state = read_state(s)
        return state is not None and state.online is False


@contextmanager
def online_client(
    store: ReportStore, timeouts: Timeouts = ONLINE_TIMEOUTS, retries: int = 1
) -> Iterator[tuple[SyncClient, Account]]:
    """Yield a client of the signed-in account (``ReviewOfflineError`` when there is none)."""
    account = signed_in_account(store)
    if account is None:
        raise not_signed_in()
    token = credentials.load_token(
        store.data_dir, account.device_id, account.username, account.token_storage
    )
    if not token:
        raise ReviewOfflineError(
            "找不到登录凭证，请重新登录", "the sign-in token is missing; please sign in again"
        )
    client = make_client(
        store.data_dir,
        account.server_url,
        device_id=account.device_id,
        token=token,
        timeouts=timeouts,
        retries=retries,
    )
    try:
        yield client, account
    finally:
        client.close()


def translate(exc: ClientError) -> ReviewUnavailableError | ReviewRefusedError:
    """Return the user's error for a failed request."""
    if exc.kind is FailureKind.REQUEST:
        return ReviewRefusedError(exc.zh, exc.en, exc.code)
    if exc.kind is FailureKind.TLS:  # the message says what to do (CA, clock, address)
        return ReviewOfflineError(exc.zh, exc.en)
    if exc.kind is FailureKind.AUTH:
        return ReviewOfflineError(
            f"服务器不接受登录凭证：{exc.zh}", f"the server refused the sign-in: {exc.en}"
        )
    return ReviewOfflineError(
        f"无法连接服务器：{exc.zh}", f"the server cannot be reached: {exc.en}"
    )


def call(
    store: ReportStore,
    request: Callable[[SyncClient, Account], T],
    timeouts: Timeouts = ONLINE_TIMEOUTS,
    retries: int = 1,
) -> T:
    """Run one online request; raise ``ReviewOfflineError``/``ReviewRefusedError``."""
    with online_client(store, timeouts, retries) as (client, account):
        try:
            return request(client, account)
        except ClientError as exc:
            raise translate(exc) from exc


def save_cache(
    store: ReportStore, key: str, kind: str, payload: msgspec.Struct | Mapping[str, Any]
) -> datetime:
    """Keep a server answer under ``key`` as its JSON object; return the device time it was kept.

    A typed answer is kept as the wire's JSON object (``as_object``), so what is read back
    offline has the same shape as what came.
    """
    now = now_utc()
    data = as_object(payload) if isinstance(payload, msgspec.Struct) else dict(payload)
    try:
        server_time: datetime | None = parse_server_time(data.get("server_time"))
    except ValueError:
        server_time = None
    values = {
        "kind": kind,
        "payload": json.dumps(data, ensure_ascii=False),
        "fetched_at": now,
        "server_time": server_time,
    }
    with store.write_session() as s, s.begin():
        s.execute(
            sqlite_insert(ReviewCacheRow)
            .values(key=key, **values)
            .on_conflict_do_update(index_elements=["key"], set_=values)
        )
    return now


def load_cache(store: ReportStore, key: str) -> Cached | None:
    """Return the answer kept under ``key``, or ``None``."""
    with Session(store.engine) as s:
        row = s.get(ReviewCacheRow, key)
        if row is None:
            return None
        return Cached(json.loads(row.payload), row.fetched_at, row.server_time)


def township_code_of(account: Account | None) -> str:
    """Return the township a reviewer account reviews (``ReviewRefusedError`` otherwise)."""
    if account is None:
        raise not_signed_in()
    if account.role != REVIEWER_ROLE:
        raise ReviewRefusedError(
            "只有乡镇审核人员可以查看乡镇报表",
            "only a township reviewer works on the township report",
            "not_reviewer",
        )
    return account.jurisdiction_code

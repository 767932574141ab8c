"""Online calls for the signed-in account: a client, its errors, and the cache of answers.

Township reports, the completeness panel and report histories are the server's computation.
Each answer is kept in ``review_cache`` so that it can be read offline; ``ClientError`` becomes
a ``BilingualError`` the UI can show: ``ReviewOfflineError`` when no server answered,
``ReviewRefusedError`` (with the server's code) when it refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

import msgspec

from informant_app.core.account import credentials
from informant_app.core.account.trust import make_client
from informant_app.core.review.types import (
    ReviewOfflineError,
    ReviewRefusedError,
    ReviewUnavailableError,
)
from informant_app.core.store.answer_cache import Cached as Cached
from informant_app.core.store.answer_cache import load_answer, save_answer
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_status import current_account
from informant_app.core.store.sync_status import last_round_offline as last_round_offline
from informant_app.core.sync.types import Account
from sync.client.api import ClientError, FailureKind, SyncClient, Timeouts
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


def signed_in_account(store: ReportStore) -> Account | None:
    """Return the signed-in account, or ``None``."""
    return current_account(store)


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
    data = as_object(payload) if isinstance(payload, msgspec.Struct) else dict(payload)
    return save_answer(store, key, kind, data)


def load_cache(store: ReportStore, key: str) -> Cached | None:
    """Return the answer kept under ``key``, or ``None``."""
    return load_answer(store, key)


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

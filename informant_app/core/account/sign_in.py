"""Sign-in and sign-out: the account, its token, and the local profile derived from its posts.

Signing in (with a password, or once with a set-up code from the township) is the one step
that needs the network; afterwards the account and the profile are read from the store, so the
app starts and works offline.  Signing out forgets the token and the account but never
touches a report.
"""

from __future__ import annotations

import logging
from functools import partial

from sqlalchemy.orm import Session

from informant_app.core.account import credentials
from informant_app.core.account.trust import make_client
from informant_app.core.divisions import current_divisions, divisions_for
from informant_app.core.store.divisions import table_of
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_status import current_account as current_account
from informant_app.core.store.sync_status import device_id as device_id
from informant_app.core.store.sync_status import (
    forget_account,
    save_account,
    write_account_and_profile,
)
from informant_app.core.store.types import PostRole, Profile
from informant_app.core.sync.types import Account, AccountPost, TokenStorage
from sync.client.api import ClientError, FailureKind, Timeouts
from sync.contract import DivisionLevel, DivisionTable
from sync.contract.setup_code import format_code, normalize_code
from sync.contract.wire.account import Login, Me

log = logging.getLogger(__name__)

VILLAGE_ROLE = "village_informant"
TOWNSHIP_ROLE = "township_reviewer"


class SignInError(Exception):
    """Sign-in failed in a way the user can act on (wrong password, locked, unreachable).

    Attributes:
        zh: the message in Chinese.
        en: the message in English.
        code: the server's error code, or the client's failure kind.
    """

    def __init__(self, zh: str, en: str, code: str = "") -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.code = code

    def message(self, lang: str) -> str:
        """Return the message in ``lang``."""
        return self.zh if lang.startswith("zh") else self.en


def account_from(
    data: Login | Me, server_url: str, device_id: str, storage: TokenStorage
) -> Account:
    """Return the ``Account`` of a login or ``/me`` answer."""
    user = data.user
    posts = tuple(
        AccountPost(
            division_code=p.division_code,
            division_name=p.division_name,
            level=p.level,
            post_role=p.post_role,
        )
        for p in user.posts
    )
    return Account(
        server_url=server_url,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        jurisdiction_code=user.jurisdiction_code,
        posts=posts,
        device_id=device_id,
        token_storage=storage,
    )


def derive_profile(
    account: Account, previous: Profile | None, divisions: DivisionTable | None = None
) -> Profile:
    """Return the local profile of ``account``: name, A/B role, post and villages.

    A village informant reports for the villages of their posts; a township reviewer (or an
    admin) gets every village under their jurisdiction from the division table.  The phone
    number is kept from the previous profile.  ``divisions`` is the device's table (the one
    last synced, ``informant_app.core.divisions``), by default the current one.
    """
    table = divisions if divisions is not None else current_divisions()
    village_posts = [p for p in account.posts if p.level == DivisionLevel.VILLAGE.value]
    post: AccountPost | None
    if account.role == VILLAGE_ROLE and village_posts:
        villages = tuple(dict.fromkeys(p.division_code for p in village_posts))
        post = village_posts[0]
    else:
        villages = tuple(d.code for d in table.villages_under(account.jurisdiction_code))
        post = account.posts[0] if account.posts else None
    role = PostRole(post.post_role) if post and post.post_role in ("A", "B") else PostRole.A
    return Profile(
        informant_name=account.display_name or account.username,
        phone=previous.phone if previous else "",
        role=role,
        post_code=post.division_code if post else account.jurisdiction_code,
        village_codes=villages,
    )


def save_account_and_profile(s: Session, account: Account) -> None:
    """Save the account and its derived profile in the caller's transaction."""
    write_account_and_profile(s, account, partial(derive_profile, divisions=table_of(s)))


def _server_url(server_url: str) -> str:
    url = server_url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise SignInError(
            "服务器地址应以 http:// 或 https:// 开头",
            "the server address must start with http:// or https://",
            "bad_url",
        )
    return url


def _keep(store: ReportStore, url: str, dev: str, data: Login, how: str) -> Account:
    """Keep the token of a sign-in answer; save the account and derive the local profile."""
    storage = credentials.save_token(store.data_dir, dev, data.user.username, data.token)
    account = account_from(data, url, dev, storage)
    save_account(store, account, partial(derive_profile, divisions=divisions_for(store.data_dir)))
    log.info(
        "signed in as %s on %s %s (token kept in %s)", account.username, url, how, storage.value
    )
    return account


def sign_in(
    store: ReportStore,
    server_url: str,
    username: str,
    password: str,
    *,
    device_name: str = "",
    timeouts: Timeouts | None = None,
) -> Account:
    """Sign in online, keep the token, save the account and derive the local profile.

    Raises:
        SignInError: wrong password, locked or disabled account, unreachable server, an
            answer that is not our server's (a captive portal).
    """
    url = _server_url(server_url)
    dev = device_id(store)
    client = make_client(
        store.data_dir, url, device_id=dev, timeouts=timeouts or Timeouts(5.0, 20.0), probe_tls=True
    )
    try:
        data = client.login(username.strip(), password, device_name)
    except ClientError as exc:
        raise _sign_in_error(exc) from exc
    finally:
        client.close()
    return _keep(store, url, dev, data, "with a password")


def sign_in_with_code(
    store: ReportStore,
    server_url: str,
    code: str,
    *,
    device_name: str = "",
    timeouts: Timeouts | None = None,
) -> Account:
    """Sign in with a one-time set-up code from the township (instead of a password).

    Otherwise as ``sign_in``: the token is kept, the account saved, the profile derived, and
    the app works offline afterwards.  The code works once.

    Raises:
        SignInError: a code that is not one (checked before any request), an unknown, used
            or expired code (``setup_code_invalid``), too many tries, a disabled account, an
            unreachable server or an answer that is not our server's.
    """
    url = _server_url(server_url)
    plain = normalize_code(code)
    if plain is None:
        raise SignInError(
            "设置码不完整或有误：设置码是 12 位字母和数字，如 K7QM-3XHP-W9TD",
            "the set-up code is incomplete or wrong: it has 12 letters and "
            "digits, like K7QM-3XHP-W9TD",
            "bad_code",
        )
    dev = device_id(store)
    client = make_client(
        store.data_dir, url, device_id=dev, timeouts=timeouts or Timeouts(5.0, 20.0), probe_tls=True
    )
    try:
        data = client.provision(format_code(plain), device_name)
    except ClientError as exc:
        raise _sign_in_error(exc) from exc
    finally:
        client.close()
    return _keep(store, url, dev, data, "with a set-up code")


def _sign_in_error(exc: ClientError) -> SignInError:
    if exc.kind is FailureKind.REQUEST or exc.kind is FailureKind.AUTH:
        return SignInError(exc.zh, exc.en, exc.code)  # wrong password, locked, disabled
    return SignInError(f"登录失败：{exc.zh}", f"sign-in failed: {exc.en}", exc.kind.value)


def sign_out(store: ReportStore, *, revoke_online: bool = True) -> None:
    """Forget the token and the account; unsent reports stay queued for the next sign-in.

    The server is asked to revoke the token when it can be reached within a few seconds;
    offline, the token is only forgotten here (it expires on the server by itself).
    """
    account = current_account(store)
    if account is None:
        return
    token = credentials.load_token(
        store.data_dir, account.device_id, account.username, account.token_storage
    )
    if revoke_online and token:
        client = make_client(
            store.data_dir,
            account.server_url,
            device_id=account.device_id,
            token=token,
            timeouts=Timeouts(3.0, 5.0),
            retries=0,
        )
        try:
            client.logout()
        except ClientError as exc:
            log.info("token not revoked online (%s); forgotten locally", exc)
        finally:
            client.close()
    credentials.delete_token(store.data_dir, account.device_id, account.username)
    forget_account(store)

"""Sign-in with per-device tokens; the checks of a token on every request.

The password check itself and what guards it (the hashing pool, the slowdown) are in
``signin_guard`` and the route; this module issues tokens, refuses failed tries with one
answer for every reason, and judges tokens: expired, revoked, idle too long.  Everything
lives in the database, so any server process can answer any request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sync.server.db import Database, utc_now
from sync.server.errors import (
    ACCOUNT_DISABLED,
    INVALID_CREDENTIALS,
    TOKEN_EXPIRED,
    TOKEN_INVALID,
    TOKEN_REVOKED,
    ApiError,
)
from sync.server.jurisdiction import Caller
from sync.server.models import Device, Role, Token, User
from sync.server.security import Passwords, new_token, token_hash
from sync.server.services.accounts import active_posts
from sync.server.services.security_log import record_event, record_event_now
from sync.server.services.signin_guard import (
    Admitted,
    SlowedError,
    admit,
    slowed_error,
    succeeded,
)
from sync.server.services.signin_path import replaced_notice
from sync.server.settings import Settings


@dataclass(frozen=True)
class SignIn:
    """A successful sign-in: the token (shown once) and who it is for."""

    token: str
    expires_at: datetime
    caller: Caller
    server_time: datetime


def slowdown_seconds(failures: int, settings: Settings) -> float:
    """Return how long a failed set-up code try waits: nothing at first, then growing, bounded.

    (Password sign-in no longer sleeps: ``signin_guard`` answers 429 instead.)
    """
    over = failures - settings.login_slowdown_after + 1
    if over <= 0:
        return 0.0
    return float(min(settings.login_slowdown_max_seconds, 0.25 * 2 ** (over - 1)))


def finish_login(
    db: Database,
    passwords: Passwords,
    settings: Settings,
    admitted: Admitted,
    password_ok: bool,
    *,
    username: str,
    password: str,
    device_id: str,
    device_name: str,
    client: str,
    now: datetime,
) -> SignIn:
    """Issue the token of a checked try, or refuse it; either way, write the security log.

    An unknown name, a wrong password and a disabled account (right password or not) all get
    the same 401 ``invalid_credentials``; only the security log tells them apart.

    Raises:
        ApiError: 401 ``invalid_credentials``.
    """
    user_id = admitted.user_id
    if not password_ok or user_id is None or admitted.disabled:
        reason = (
            "unknown_user"
            if user_id is None
            else "disabled"
            if admitted.disabled
            else "wrong_password"
        )
        record_event_now(
            db,
            "signin.failed",
            now,
            username=username,
            user_id=user_id,
            client=client,
            device_id=device_id,
            detail={"reason": reason, "known_device": admitted.known_device},
        )
        raise ApiError(INVALID_CREDENTIALS)
    with db.writing() as session:
        user = session.get(User, user_id)
        if user is None or user.disabled_at is not None:  # changed since the check
            raise ApiError(INVALID_CREDENTIALS)
        succeeded(session, admitted.attempt_id)
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash(password)
        signed = issue_token(session, settings, user, device_id, device_name, now)
        record_event(
            session,
            "signin.ok",
            now,
            username=user.username,
            user_id=user.id,
            client=client,
            device_id=device_id,
            detail={"known_device": admitted.known_device},
        )
    return signed


def login(
    db: Database,
    passwords: Passwords,
    settings: Settings,
    *,
    username: str,
    password: str,
    device_id: str,
    device_name: str,
    client: str = "local",
) -> SignIn:
    """Sign in synchronously with the same guard and answers as the route (tools, tests).

    The route does the same steps but hashes in the server's bounded pool.

    Raises:
        ApiError: 401 ``invalid_credentials``, 429 ``too_many_attempts``.
    """
    now = utc_now()
    try:
        admitted = admit(
            db, settings, username=username, client=client, device_id=device_id, now=now
        )
    except SlowedError as slowed:
        raise slowed_error(slowed.seconds) from None
    ok = passwords.verify(admitted.stored_hash, password)
    return finish_login(
        db,
        passwords,
        settings,
        admitted,
        ok,
        username=username,
        password=password,
        device_id=device_id,
        device_name=device_name,
        client=client,
        now=now,
    )


def issue_token(
    session: Session,
    settings: Settings,
    user: User,
    device_id: str,
    device_name: str,
    now: datetime,
) -> SignIn:
    """Issue a token for ``user`` on the device ``device_id`` in the caller's transaction.

    The device is registered on its first sign-in; its previous token is retired (one live
    token per device).  Shared by the password sign-in and the set-up code.
    """
    device = session.scalar(
        select(Device).where(Device.user_id == user.id, Device.device_id == device_id)
    )
    if device is None:
        device = Device(
            user_id=user.id, device_id=device_id, device_name=device_name, created_at=now
        )
        session.add(device)
    device.device_name = device_name or device.device_name
    device.last_seen_at = now
    session.flush()
    session.execute(
        update(Token)
        .where(Token.device_pk == device.id, Token.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    token = new_token()
    expires = now + timedelta(days=settings.token_ttl_days)
    row = Token(
        device_pk=device.id, token_hash=token_hash(token), issued_at=now, expires_at=expires
    )
    session.add(row)
    session.flush()
    caller = _caller(session, user, device, row.id)
    return SignIn(token=token, expires_at=expires, caller=caller, server_time=utc_now())


def _caller(session: Session, user: User, device: Device, token_id: int) -> Caller:
    return Caller(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        jurisdiction_code=user.jurisdiction_code,
        device_pk=device.id,
        device_id=device.device_id,
        token_id=token_id,
        posts=active_posts(session, user.id),
    )


#: A token's ``last_used_at`` is written again only when it is older than this.
TOUCH_EVERY = timedelta(minutes=5)


def authenticate(
    session: Session, token: str, now: datetime | None = None, idle_days: float | None = None
) -> Caller:
    """Return the caller a bearer token speaks for (expiry judged at ``now``, default: now).

    With ``idle_days``, a token not used for that long (since ``last_used_at``, or since it
    was issued) is expired too.

    Raises:
        ApiError: 401 ``token_invalid``, ``token_revoked``, ``token_expired`` or
            ``account_disabled``.
    """
    return _check(session, token, now or utc_now(), idle_days)[0]


def _check(
    session: Session, token: str, now: datetime, idle_days: float | None
) -> tuple[Caller, bool]:
    """Return the caller and whether its token's ``last_used_at`` is due to be written."""
    row = session.execute(
        select(Token, Device, User)
        .join(Device, Device.id == Token.device_pk)
        .join(User, User.id == Device.user_id)
        .where(Token.token_hash == token_hash(token))
    ).first()
    if row is None:
        raise ApiError(TOKEN_INVALID)
    tok, device, user = row
    if tok.revoked_at is not None:
        # A device signed out because its account was set up elsewhere is told so.
        raise replaced_notice(session, device.id, tok.revoked_at) or ApiError(TOKEN_REVOKED)
    if tok.expires_at <= now:
        raise ApiError(TOKEN_EXPIRED)
    used = tok.last_used_at or tok.issued_at
    if idle_days is not None and now - used > timedelta(days=idle_days):
        raise ApiError(TOKEN_EXPIRED)
    if user.disabled_at is not None:
        raise ApiError(ACCOUNT_DISABLED)
    stale = tok.last_used_at is None or now - tok.last_used_at > TOUCH_EVERY
    return _caller(session, user, device, tok.id), stale


def authenticate_request(db: Database, settings: Settings, token: str, now: datetime) -> Caller:
    """Judge a request's token (idle time included); note its use at most every few minutes.

    The one ``UPDATE`` of ``last_used_at`` runs only when the stored time is older than
    :data:`TOUCH_EVERY`, in a short transaction of its own after the read.
    """
    with db.read_session() as session:
        caller, stale = _check(session, token, now, settings.token_idle_days)
    if stale:
        with db.writing() as session:
            session.execute(
                update(Token).where(Token.id == caller.token_id).values(last_used_at=now)
            )
    return caller


def logout(db: Database, caller: Caller) -> None:
    """Revoke the token the caller used."""
    with db.writing() as session:
        session.execute(
            update(Token).where(Token.id == caller.token_id).values(revoked_at=utc_now())
        )

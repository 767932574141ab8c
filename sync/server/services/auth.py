"""Sign-in with per-device tokens, and the failed-sign-in counter that slows and locks.

Everything lives in the database (counter, lock, tokens), so any server process can answer
any request.  Argon2 runs outside database transactions; the counter is changed with one
atomic ``UPDATE … SET failed_logins = failed_logins + 1`` so concurrent guesses all count.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sync.server.db import Database, utc_now
from sync.server.errors import (
    ACCOUNT_DISABLED,
    ACCOUNT_LOCKED,
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
from sync.server.settings import Settings


@dataclass(frozen=True)
class SignIn:
    """A successful sign-in: the token (shown once) and who it is for."""

    token: str
    expires_at: datetime
    caller: Caller
    server_time: datetime


def _locked_error(until: datetime, now: datetime) -> ApiError:
    seconds = max(1, int((until - now).total_seconds() + 0.999))
    minutes = (seconds + 59) // 60
    return ApiError(
        ACCOUNT_LOCKED,
        headers={"Retry-After": str(seconds)},
        zh=f"登录失败次数过多，账号已锁定，请 {minutes} 分钟后再试",
        en=f"too many failed sign-ins; the account is locked, try again in {minutes} min",
        retry_after=seconds,
    )


def slowdown_seconds(failures: int, settings: Settings) -> float:
    """Return how long a failed sign-in waits: nothing at first, then growing, bounded."""
    over = failures - settings.login_slowdown_after + 1
    if over <= 0:
        return 0.0
    return float(min(settings.login_slowdown_max_seconds, 0.25 * 2 ** (over - 1)))


def login(
    db: Database,
    passwords: Passwords,
    settings: Settings,
    *,
    username: str,
    password: str,
    device_id: str,
    device_name: str,
) -> SignIn:
    """Check a password and issue a token for the device.

    Raises:
        ApiError: 401 ``invalid_credentials`` or ``account_disabled``, 423 ``account_locked``.
    """
    now = utc_now()
    with db.read_session() as session:
        user = session.scalar(select(User).where(User.username == username))
        stored = user.password_hash if user else None
        user_id = user.id if user else None
        locked_until = user.locked_until if user else None
    if locked_until is not None and locked_until > now:
        raise _locked_error(locked_until, now)
    ok = passwords.verify(stored, password)  # a dummy hash when the user is unknown
    if user is None or user_id is None:
        raise ApiError(INVALID_CREDENTIALS)
    if not ok:
        failures, until = _count_failure(db, settings, user_id)
        time.sleep(slowdown_seconds(failures, settings))
        if until is not None:
            raise _locked_error(until, utc_now())
        raise ApiError(INVALID_CREDENTIALS)
    if user.disabled_at is not None:
        raise ApiError(ACCOUNT_DISABLED)
    with db.writing() as session:
        fresh = session.get(User, user_id)
        assert fresh is not None
        fresh.failed_logins = 0
        fresh.locked_until = None
        if passwords.needs_rehash(fresh.password_hash):
            fresh.password_hash = passwords.hash(password)
        signed = issue_token(session, settings, fresh, device_id, device_name, now)
    return signed


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


def _count_failure(db: Database, settings: Settings, user_id: int) -> tuple[int, datetime | None]:
    """Count one failed sign-in; return the count and the lock's end when it now locks."""
    now = utc_now()
    with db.writing() as session:
        user = session.get(User, user_id)
        assert user is not None
        if user.locked_until is not None and user.locked_until <= now:
            # A lock that has run out starts a new count.
            session.execute(
                update(User).where(User.id == user_id).values(failed_logins=0, locked_until=None)
            )
        failures = session.execute(
            update(User)
            .where(User.id == user_id)
            .values(failed_logins=User.failed_logins + 1, last_failed_at=now)
            .returning(User.failed_logins)
        ).scalar_one()
        until = None
        if failures >= settings.lockout_after:
            until = now + timedelta(minutes=settings.lockout_minutes)
            session.execute(update(User).where(User.id == user_id).values(locked_until=until))
    return failures, until


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


def authenticate(session: Session, token: str, now: datetime | None = None) -> Caller:
    """Return the caller a bearer token speaks for (expiry judged at ``now``, default: now).

    Raises:
        ApiError: 401 ``token_invalid``, ``token_revoked``, ``token_expired`` or
            ``account_disabled``.
    """
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
        raise ApiError(TOKEN_REVOKED)
    if tok.expires_at <= (now or utc_now()):
        raise ApiError(TOKEN_EXPIRED)
    if user.disabled_at is not None:
        raise ApiError(ACCOUNT_DISABLED)
    return _caller(session, user, device, tok.id)


def logout(db: Database, caller: Caller) -> None:
    """Revoke the token the caller used."""
    with db.writing() as session:
        session.execute(
            update(Token).where(Token.id == caller.token_id).values(revoked_at=utc_now())
        )
